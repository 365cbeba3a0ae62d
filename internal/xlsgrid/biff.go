package xlsgrid

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
)

// The BIFF8 decoder is ours rather than github.com/extrame/xls or
// github.com/shakinm/xlsReader: on the FBI 2016 Table 4 the former assigns
// shared strings to the wrong cells (row 10 reads "St. Louis, MO-IL" where
// the file says "Akron, OH") and turns numbers with a custom format into
// dates; the latter drops formula cells, leaves 8-bit strings undecoded
// (Latin-1 bytes in UTF-8 text) and swallows its own panics while reading
// the shared-string table. The tests cross-check this decoder against
// xlsReader on every real .xls at hand.

// BIFF record types used here ([MS-XLS] 2.3).
const (
	recFormula    = 0x0006
	recEOF        = 0x000A
	recFilePass   = 0x002F
	recContinue   = 0x003C
	recBoundSheet = 0x0085
	recMulRK      = 0x00BD
	recRString    = 0x00D6
	recSST        = 0x00FC
	recLabelSST   = 0x00FD
	recNumber     = 0x0203
	recLabel      = 0x0204
	recBoolErr    = 0x0205
	recString     = 0x0207
	recRK         = 0x027E
	recBOF        = 0x0809

	biff8         = 0x0600
	bofGlobals    = 0x0005
	bofWorksheet  = 0x0010
	maxBIFF8Cols  = 256
	sheetTypeWork = 0
)

// ReadXLS reads the first worksheet of a BIFF8 (Excel 97-2003) workbook.
func ReadXLS(b []byte) ([][]string, error) {
	stream, err := workbookStream(b)
	if err != nil {
		return nil, err
	}
	return readStream(stream)
}

// readStream reads the first worksheet of a Workbook stream.
func readStream(stream []byte) ([][]string, error) {
	sheetAt, sst, err := readGlobals(stream)
	if err != nil {
		return nil, err
	}
	return readSheet(stream, sheetAt, sst)
}

// workbookStream extracts the "Workbook" stream from the OLE2 container.
// mscfb is third-party code reading untrusted bytes: a panic in it is a
// damaged file, not a crash.
func workbookStream(b []byte) (stream []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			stream, err = nil, fmt.Errorf("damaged OLE2 container: %v", r)
		}
	}()
	doc, err := mscfb.New(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("damaged OLE2 container: %w", err)
	}
	for {
		f, err := doc.Next()
		if err == io.EOF {
			return nil, errors.New("OLE2 file holds no Workbook stream (not an Excel 97-2003 workbook)")
		}
		if err != nil {
			return nil, fmt.Errorf("damaged OLE2 container: %w", err)
		}
		switch f.Name {
		case "Workbook":
			// The size the directory gives sizes the buffer, within what
			// the file itself can hold.
			buf := bytes.NewBuffer(make([]byte, 0, min(f.Size, int64(len(b)))+bytes.MinRead))
			_, err := buf.ReadFrom(f)
			s := buf.Bytes()
			if err != nil {
				return nil, fmt.Errorf("damaged OLE2 container (file cut short?): reading the Workbook stream: %w", err)
			}
			return s, nil
		case "Book":
			return nil, errors.New("Excel 5.0/95 (BIFF5) workbook: only Excel 97-2003 (BIFF8) .xls is supported; re-save it as .xlsx")
		}
	}
}

// record is one BIFF record with the data of any CONTINUE records that
// follow it.
type record struct {
	typ  uint16
	off  int // stream offset of the record header
	data []byte
	more [][]byte // CONTINUE payloads
}

type recordReader struct {
	s   []byte
	off int
}

func (rr *recordReader) next() (record, error) {
	if rr.off+4 > len(rr.s) {
		return record{}, fmt.Errorf("record at offset %d: stream ends (truncated file)", rr.off)
	}
	rec := record{typ: binary.LittleEndian.Uint16(rr.s[rr.off:]), off: rr.off}
	n := int(binary.LittleEndian.Uint16(rr.s[rr.off+2:]))
	if rr.off+4+n > len(rr.s) {
		return record{}, fmt.Errorf("record 0x%04X at offset %d: %d bytes announced, stream ends (truncated file)", rec.typ, rr.off, n)
	}
	rec.data = rr.s[rr.off+4 : rr.off+4+n]
	rr.off += 4 + n
	for rr.off+4 <= len(rr.s) && binary.LittleEndian.Uint16(rr.s[rr.off:]) == recContinue {
		m := int(binary.LittleEndian.Uint16(rr.s[rr.off+2:]))
		if rr.off+4+m > len(rr.s) {
			return record{}, fmt.Errorf("CONTINUE record at offset %d: stream ends (truncated file)", rr.off)
		}
		rec.more = append(rec.more, rr.s[rr.off+4:rr.off+4+m])
		rr.off += 4 + m
	}
	return rec, nil
}

func (rec record) errorf(format string, a ...any) error {
	return fmt.Errorf("record 0x%04X at offset %d: %s", rec.typ, rec.off, fmt.Sprintf(format, a...))
}

// checkBOF verifies a beginning-of-substream record of the wanted kind.
func checkBOF(rec record, kind uint16) error {
	if rec.typ != recBOF {
		return rec.errorf("expected a BOF record (not a BIFF8 workbook?)")
	}
	if len(rec.data) < 4 {
		return rec.errorf("BOF record too short")
	}
	if v := binary.LittleEndian.Uint16(rec.data); v != biff8 {
		return rec.errorf("BIFF version 0x%04X: only BIFF8 (Excel 97-2003) is supported", v)
	}
	if dt := binary.LittleEndian.Uint16(rec.data[2:]); dt != kind {
		return rec.errorf("substream type 0x%04X, expected 0x%04X", dt, kind)
	}
	return nil
}

// readGlobals walks the workbook globals substream for the first worksheet's
// offset and the shared-string table.
func readGlobals(s []byte) (sheetAt int, sst []string, err error) {
	rr := &recordReader{s: s}
	rec, err := rr.next()
	if err != nil {
		return 0, nil, err
	}
	if err := checkBOF(rec, bofGlobals); err != nil {
		return 0, nil, err
	}
	sheetAt = -1
	for {
		rec, err := rr.next()
		if err != nil {
			return 0, nil, err
		}
		switch rec.typ {
		case recEOF:
			if sheetAt < 0 {
				return 0, nil, errors.New("workbook has no worksheet")
			}
			return sheetAt, sst, nil
		case recFilePass:
			return 0, nil, errors.New("workbook is encrypted or password-protected")
		case recBoundSheet:
			if len(rec.data) < 6 {
				return 0, nil, rec.errorf("BOUNDSHEET record too short")
			}
			if sheetAt < 0 && rec.data[5] == sheetTypeWork {
				sheetAt = int(binary.LittleEndian.Uint32(rec.data))
			}
		case recSST:
			if sst, err = readSST(rec); err != nil {
				return 0, nil, err
			}
		}
	}
}

// segReader reads across a record and its CONTINUE payloads. Plain reads
// run straight across a boundary; character data does not: where it is
// split, the next payload starts with a fresh option byte saying whether
// the rest is 8-bit or UTF-16 ([MS-XLS] 2.5.293, as xlrd reads it).
type segReader struct {
	segs [][]byte
	i    int
	pos  int
}

var errShort = errors.New("record data ends early")

func (r *segReader) advance() bool {
	for r.i < len(r.segs) && r.pos >= len(r.segs[r.i]) {
		r.i++
		r.pos = 0
	}
	return r.i < len(r.segs)
}

func (r *segReader) u8() (byte, error) {
	if !r.advance() {
		return 0, errShort
	}
	c := r.segs[r.i][r.pos]
	r.pos++
	return c, nil
}

func (r *segReader) uint(n int) (uint32, error) {
	var v uint32
	for k := 0; k < n; k++ {
		c, err := r.u8()
		if err != nil {
			return 0, err
		}
		v |= uint32(c) << (8 * k)
	}
	return v, nil
}

func (r *segReader) skip(n int) error {
	for n > 0 {
		if !r.advance() {
			return errShort
		}
		k := min(n, len(r.segs[r.i])-r.pos)
		r.pos += k
		n -= k
	}
	return nil
}

// chars reads cch characters, 8-bit (Latin-1, the low bytes of UTF-16) or
// UTF-16LE as the option byte says, switching at payload boundaries.
func (r *segReader) chars(cch int, wide bool) (string, error) {
	u := make([]uint16, 0, cch)
	for len(u) < cch {
		if r.i < len(r.segs) && r.pos >= len(r.segs[r.i]) {
			r.i++
			r.pos = 0
			if r.i >= len(r.segs) || len(r.segs[r.i]) == 0 {
				return "", errShort
			}
			wide = r.segs[r.i][0]&1 != 0
			r.pos = 1
		}
		if r.i >= len(r.segs) {
			return "", errShort
		}
		seg := r.segs[r.i]
		if wide {
			for len(u) < cch && r.pos+1 < len(seg) {
				u = append(u, binary.LittleEndian.Uint16(seg[r.pos:]))
				r.pos += 2
			}
			if len(u) < cch && r.pos+1 == len(seg) {
				return "", errors.New("UTF-16 character split across records")
			}
		} else {
			for len(u) < cch && r.pos < len(seg) {
				u = append(u, uint16(seg[r.pos]))
				r.pos++
			}
		}
	}
	return string(utf16.Decode(u)), nil
}

// unicodeString reads an XLUnicodeString or, with rich set, an
// XLUnicodeRichExtendedString ([MS-XLS] 2.5.294, 2.5.293), keeping the
// characters and skipping formatting runs and phonetic data.
func (r *segReader) unicodeString(rich bool) (string, error) {
	cch, err := r.uint(2)
	if err != nil {
		return "", err
	}
	flags, err := r.u8()
	if err != nil {
		return "", err
	}
	var runs, ext uint32
	if rich && flags&0x08 != 0 {
		if runs, err = r.uint(2); err != nil {
			return "", err
		}
	}
	if rich && flags&0x04 != 0 {
		if ext, err = r.uint(4); err != nil {
			return "", err
		}
	}
	s, err := r.chars(int(cch), flags&1 != 0)
	if err != nil {
		return "", err
	}
	if err := r.skip(4*int(runs) + int(ext)); err != nil {
		return "", err
	}
	return s, nil
}

func readSST(rec record) ([]string, error) {
	r := &segReader{segs: append([][]byte{rec.data}, rec.more...)}
	if _, err := r.uint(4); err != nil {
		return nil, rec.errorf("SST: %v", err)
	}
	n, err := r.uint(4)
	if err != nil {
		return nil, rec.errorf("SST: %v", err)
	}
	var sst []string
	for i := 0; i < int(n); i++ {
		s, err := r.unicodeString(true)
		if err != nil {
			return nil, rec.errorf("SST string %d of %d: %v", i+1, n, err)
		}
		sst = append(sst, s)
	}
	return sst, nil
}

// rkValue decodes an RK number ([MS-XLS] 2.5.217): a 30-bit signed integer
// or the top 30 bits of a double, either possibly to be divided by 100.
func rkValue(rk uint32) float64 {
	var v float64
	if rk&2 != 0 {
		v = float64(int32(rk) >> 2)
	} else {
		v = math.Float64frombits(uint64(rk&^3) << 32)
	}
	if rk&1 != 0 {
		v /= 100
	}
	return v
}

var biffErrors = map[byte]string{
	0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!",
	0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A",
}

func boolErrText(v, isErr byte) string {
	if isErr != 0 {
		if s, ok := biffErrors[v]; ok {
			return s
		}
		return "#ERR"
	}
	if v != 0 {
		return "TRUE"
	}
	return "FALSE"
}

// readSheet reads the cells of the worksheet substream starting at off.
func readSheet(s []byte, off int, sst []string) ([][]string, error) {
	if off < 0 || off >= len(s) {
		return nil, fmt.Errorf("worksheet offset %d outside the %d-byte stream (truncated file)", off, len(s))
	}
	rr := &recordReader{s: s, off: off}
	rec, err := rr.next()
	if err != nil {
		return nil, err
	}
	if err := checkBOF(rec, bofWorksheet); err != nil {
		return nil, err
	}
	var g grid
	depth := 1 // embedded chart substreams nest BOF..EOF inside a sheet
	stringRow, stringCol := -1, -1
	for {
		rec, err := rr.next()
		if err != nil {
			return nil, err
		}
		switch rec.typ {
		case recBOF:
			depth++
			continue
		case recEOF:
			depth--
			if depth == 0 {
				return g, nil
			}
			continue
		}
		if depth > 1 {
			continue
		}
		d := rec.data
		row, col := 0, 0
		switch rec.typ {
		case recLabelSST, recLabel, recRString, recNumber, recRK, recMulRK, recBoolErr, recFormula:
			if len(d) < 6 {
				return nil, rec.errorf("cell record too short")
			}
			row, col = int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:]))
			if col >= maxBIFF8Cols {
				return nil, rec.errorf("column %d beyond BIFF8's %d", col, maxBIFF8Cols)
			}
		}
		switch rec.typ {
		case recLabelSST:
			if len(d) < 10 {
				return nil, rec.errorf("LABELSST record too short")
			}
			// A reference to no shared string is one damaged cell: shown as
			// Excel shows a broken reference, text a reader audits.
			if i := binary.LittleEndian.Uint32(d[6:]); int(i) < len(sst) {
				g.set(row, col, sst[i])
			} else {
				g.set(row, col, "#REF!")
			}
		case recLabel, recRString:
			r := &segReader{segs: append([][]byte{d[6:]}, rec.more...)}
			str, err := r.unicodeString(false)
			if err != nil {
				return nil, rec.errorf("LABEL: %v", err)
			}
			g.set(row, col, str)
		case recNumber:
			if len(d) < 14 {
				return nil, rec.errorf("NUMBER record too short")
			}
			g.set(row, col, formatNumber(math.Float64frombits(binary.LittleEndian.Uint64(d[6:]))))
		case recRK:
			if len(d) < 10 {
				return nil, rec.errorf("RK record too short")
			}
			g.set(row, col, formatNumber(rkValue(binary.LittleEndian.Uint32(d[6:]))))
		case recMulRK:
			if len(d) < 12 || (len(d)-6)%6 != 0 {
				return nil, rec.errorf("MULRK record has a bad length %d", len(d))
			}
			n := (len(d) - 6) / 6
			if last := int(binary.LittleEndian.Uint16(d[len(d)-2:])); last != col+n-1 || last >= maxBIFF8Cols {
				return nil, rec.errorf("MULRK columns %d..%d do not hold %d values", col, last, n)
			}
			for k := 0; k < n; k++ {
				g.set(row, col+k, formatNumber(rkValue(binary.LittleEndian.Uint32(d[4+6*k+2:]))))
			}
		case recBoolErr:
			if len(d) < 8 {
				return nil, rec.errorf("BOOLERR record too short")
			}
			g.set(row, col, boolErrText(d[6], d[7]))
		case recFormula:
			if len(d) < 20 {
				return nil, rec.errorf("FORMULA record too short")
			}
			res := d[6:14]
			if res[6] != 0xFF || res[7] != 0xFF {
				g.set(row, col, formatNumber(math.Float64frombits(binary.LittleEndian.Uint64(res))))
				continue
			}
			switch res[0] {
			case 0: // the text follows in a STRING record
				stringRow, stringCol = row, col
			case 1:
				g.set(row, col, boolErrText(res[2], 0))
			case 2:
				g.set(row, col, boolErrText(res[2], 1))
			}
		case recString:
			if stringRow < 0 {
				return nil, rec.errorf("STRING record without a FORMULA before it")
			}
			r := &segReader{segs: append([][]byte{d}, rec.more...)}
			str, err := r.unicodeString(false)
			if err != nil {
				return nil, rec.errorf("STRING: %v", err)
			}
			g.set(stringRow, stringCol, str)
			stringRow, stringCol = -1, -1
		}
	}
}
