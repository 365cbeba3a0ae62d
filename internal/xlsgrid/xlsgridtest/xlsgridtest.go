// Package xlsgridtest writes small Excel 97-2003 (.xls, BIFF8) workbooks for
// tests and fuzz seeds, so that fixtures are built from invented values in
// code rather than committed as binary copies of published files.
package xlsgridtest

import (
	"encoding/binary"
	"fmt"
	"math"
	"unicode/utf16"
)

// Record is one BIFF record.
type Record struct {
	Type uint16
	Data []byte
}

// BIFF record types written here.
const (
	TypeEOF        = 0x000A
	TypeContinue   = 0x003C
	TypeBoundSheet = 0x0085
	TypeSST        = 0x00FC
	TypeLabelSST   = 0x00FD
	TypeNumber     = 0x0203
	TypeRK         = 0x027E
	TypeBOF        = 0x0809
)

// XLS builds a one-sheet workbook. A cell may be nil (empty), a string
// (shared string), a float64 (NUMBER record) or an int (RK integer when it
// fits in 30 bits, else NUMBER).
func XLS(rows [][]any) []byte {
	var strs []string
	index := map[string]int{}
	var cells []Record
	for r, row := range rows {
		for c, v := range row {
			switch v := v.(type) {
			case nil:
			case string:
				i, ok := index[v]
				if !ok {
					i = len(strs)
					index[v] = i
					strs = append(strs, v)
				}
				cells = append(cells, LabelSST(r, c, i))
			case float64:
				cells = append(cells, Number(r, c, v))
			case int:
				if v >= -(1<<29) && v < 1<<29 {
					cells = append(cells, RK(r, c, uint32(int32(v)<<2)|2))
				} else {
					cells = append(cells, Number(r, c, float64(v)))
				}
			default:
				panic(fmt.Sprintf("xlsgridtest: cell (%d,%d) of type %T", r, c, v))
			}
		}
	}
	return Container(Stream([]Record{SST(strs...)}, cells))
}

func cell(typ uint16, row, col int, rest []byte) Record {
	d := make([]byte, 6, 6+len(rest))
	binary.LittleEndian.PutUint16(d, uint16(row))
	binary.LittleEndian.PutUint16(d[2:], uint16(col))
	return Record{typ, append(d, rest...)}
}

// LabelSST is a cell holding shared string i.
func LabelSST(row, col, i int) Record {
	return cell(TypeLabelSST, row, col, binary.LittleEndian.AppendUint32(nil, uint32(i)))
}

// Number is a cell holding a double.
func Number(row, col int, v float64) Record {
	return cell(TypeNumber, row, col, binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)))
}

// RK is a cell holding a raw RK-encoded number.
func RK(row, col int, rk uint32) Record {
	return cell(TypeRK, row, col, binary.LittleEndian.AppendUint32(nil, rk))
}

// Cell is a cell record of any type: row, column, XF index 0, then rest.
func Cell(typ uint16, row, col int, rest []byte) Record { return cell(typ, row, col, rest) }

// UnicodeString encodes s as an XLUnicodeString: 8-bit when every
// character is Latin-1, UTF-16LE otherwise.
func UnicodeString(s string) []byte {
	u := utf16.Encode([]rune(s))
	wide := false
	for _, c := range u {
		if c > 0xFF {
			wide = true
		}
	}
	b := binary.LittleEndian.AppendUint16(nil, uint16(len(u)))
	if !wide {
		b = append(b, 0)
		for _, c := range u {
			b = append(b, byte(c))
		}
		return b
	}
	b = append(b, 1)
	for _, c := range u {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

// SST is a shared-string table in one record (callers splitting it into
// CONTINUE records build those themselves).
func SST(strs ...string) Record {
	d := binary.LittleEndian.AppendUint32(nil, uint32(len(strs)))
	d = binary.LittleEndian.AppendUint32(d, uint32(len(strs)))
	for _, s := range strs {
		d = append(d, UnicodeString(s)...)
	}
	return Record{TypeSST, d}
}

func bof(kind uint16) Record {
	d := make([]byte, 16)
	binary.LittleEndian.PutUint16(d, 0x0600)
	binary.LittleEndian.PutUint16(d[2:], kind)
	return Record{TypeBOF, d}
}

func appendRecords(b []byte, recs ...Record) []byte {
	for _, r := range recs {
		b = binary.LittleEndian.AppendUint16(b, r.Type)
		b = binary.LittleEndian.AppendUint16(b, uint16(len(r.Data)))
		b = append(b, r.Data...)
	}
	return b
}

// Stream assembles a Workbook stream: the globals substream (BOF, globals,
// one BOUNDSHEET for "Sheet1", EOF) then the worksheet substream (BOF,
// sheet records, EOF).
func Stream(globals, sheet []Record) []byte {
	name := UnicodeString("Sheet1")
	name = append([]byte{byte(len("Sheet1"))}, name[2:]...) // ShortXLUnicodeString: 1-byte count
	bs := Record{TypeBoundSheet, append(make([]byte, 6), name...)}
	recs := append(append([]Record{bof(0x0005)}, globals...), bs, Record{Type: TypeEOF})
	size := 0
	for _, r := range recs {
		size += 4 + len(r.Data)
	}
	binary.LittleEndian.PutUint32(bs.Data, uint32(size))
	b := appendRecords(nil, recs...)
	b = appendRecords(b, bof(0x0010))
	b = appendRecords(b, sheet...)
	return appendRecords(b, Record{Type: TypeEOF})
}

// OLE2 compound-file constants ([MS-CFB]), version 3 with 512-byte sectors.
const (
	sectorSize  = 512
	endOfChain  = 0xFFFFFFFE
	fatSector   = 0xFFFFFFFD
	freeSector  = 0xFFFFFFFF
	noStream    = 0xFFFFFFFF
	miniCutoff  = 4096
	entriesPerF = sectorSize / 4
)

// Container wraps a Workbook stream in an OLE2 compound file. The stream is
// padded to the mini-stream cutoff so that it lives in regular sectors.
func Container(stream []byte) []byte {
	data := append([]byte(nil), stream...)
	if len(data) < miniCutoff {
		data = append(data, make([]byte, miniCutoff-len(data))...)
	}
	size := len(data)
	if r := len(data) % sectorSize; r != 0 {
		data = append(data, make([]byte, sectorSize-r)...)
	}
	nData := len(data) / sectorSize
	nFAT := 1
	for (nFAT+1+nData+entriesPerF-1)/entriesPerF > nFAT {
		nFAT++
	}
	if nFAT > 109 {
		panic("xlsgridtest: stream too large for a header-only DIFAT")
	}
	dirSect := nFAT
	first := nFAT + 1

	h := make([]byte, sectorSize)
	copy(h, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le := binary.LittleEndian
	le.PutUint16(h[24:], 0x003E)
	le.PutUint16(h[26:], 0x0003)
	le.PutUint16(h[28:], 0xFFFE)
	le.PutUint16(h[30:], 9)
	le.PutUint16(h[32:], 6)
	le.PutUint32(h[44:], uint32(nFAT))
	le.PutUint32(h[48:], uint32(dirSect))
	le.PutUint32(h[56:], miniCutoff)
	le.PutUint32(h[60:], endOfChain)
	le.PutUint32(h[68:], endOfChain)
	for i := 0; i < 109; i++ {
		v := uint32(freeSector)
		if i < nFAT {
			v = uint32(i)
		}
		le.PutUint32(h[76+4*i:], v)
	}

	fat := make([]byte, nFAT*sectorSize)
	for i := 0; i < nFAT*entriesPerF; i++ {
		var v uint32
		switch {
		case i < nFAT:
			v = fatSector
		case i == dirSect:
			v = endOfChain
		case i >= first && i < first+nData-1:
			v = uint32(i + 1)
		case i == first+nData-1:
			v = endOfChain
		default:
			v = freeSector
		}
		le.PutUint32(fat[4*i:], v)
	}

	dir := make([]byte, sectorSize)
	entry := func(k int, name string, typ byte, child, start uint32, size int) {
		e := dir[128*k : 128*(k+1)]
		u := utf16.Encode([]rune(name))
		for i, c := range u {
			le.PutUint16(e[2*i:], c)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
		e[66] = typ
		e[67] = 1 // black
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint32(e[120:], uint32(size))
	}
	entry(0, "Root Entry", 5, 1, endOfChain, 0)
	entry(1, "Workbook", 2, noStream, uint32(first), size)
	for k := 2; k < 4; k++ {
		e := dir[128*k : 128*(k+1)]
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], noStream)
	}

	out := append(h, fat...)
	out = append(out, dir...)
	return append(out, data...)
}
