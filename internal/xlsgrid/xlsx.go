package xlsgrid

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// The .xlsx reader is ours rather than excelize's GetRows: asking excelize
// a cell's type (to tell a stored double from text that looks numeric)
// makes it parse the whole sheet into its object model, which cost the
// 2023 Table 6 0.15 s and 56 MB; reading the sheet's XML once as tokens
// costs a tenth of that. The tests hold it to excelize's reading.

// Sheet limits of the format: a reference beyond them is damage, and must
// not make the grid allocate a million rows.
const (
	maxXLSXRows = 1 << 20
	maxXLSXCols = 1 << 14
	// maxPart bounds a part's inflated size: a sheet of the FBI's is 1 MB.
	maxPart = 256 << 20
)

// ReadXLSX reads the first worksheet of an .xlsx workbook.
func ReadXLSX(b []byte) ([][]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("damaged .xlsx (file cut short?): %w", err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	book := "xl/workbook.xml"
	if rels, err := readRels(files, "_rels/.rels"); err == nil {
		if t, ok := rels.byType("/officeDocument"); ok {
			book = t
		}
	}
	rels, err := readRels(files, relsPath(book))
	if err != nil {
		return nil, err
	}
	first, err := firstSheet(files, book)
	if err != nil {
		return nil, err
	}
	target, ok := rels.byID[first]
	if !ok {
		return nil, fmt.Errorf("damaged .xlsx: the first sheet's relationship %q is not in %s", first, relsPath(book))
	}
	var sst []string
	if p, ok := rels.byType("/sharedStrings"); ok {
		if sst, err = readSharedStrings(files, p); err != nil {
			return nil, err
		}
	}
	data, err := unzip(files, target)
	if err != nil {
		return nil, err
	}
	g, err := readSheetXML(data, sst)
	if err != nil {
		return nil, fmt.Errorf("damaged .xlsx: %s: %w", target, err)
	}
	for i := range g {
		g[i] = trimRow(g[i])
	}
	for len(g) > 0 && len(g[len(g)-1]) == 0 {
		g = g[:len(g)-1]
	}
	return g, nil
}

// unzip returns a part of the package.
func unzip(files map[string]*zip.File, name string) ([]byte, error) {
	f, ok := files[name]
	if !ok {
		return nil, fmt.Errorf("damaged .xlsx: no part %s", name)
	}
	r, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("damaged .xlsx: %s: %w", name, err)
	}
	defer r.Close()
	// The size a damaged header claims is no size to allocate.
	buf := bytes.NewBuffer(make([]byte, 0, min(f.UncompressedSize64, maxPart)+bytes.MinRead))
	n, err := buf.ReadFrom(io.LimitReader(r, maxPart+1))
	if err != nil {
		return nil, fmt.Errorf("damaged .xlsx (file cut short?): %s: %w", name, err)
	}
	if n > maxPart {
		return nil, fmt.Errorf("damaged .xlsx: %s inflates beyond %d MB", name, maxPart>>20)
	}
	return buf.Bytes(), nil
}

// rels are a part's relationships: targets by id, and by type.
type rels struct {
	byID   map[string]string
	types  []string
	target []string
}

func (r rels) byType(suffix string) (string, bool) {
	for i, t := range r.types {
		if strings.HasSuffix(t, suffix) {
			return r.target[i], true
		}
	}
	return "", false
}

// relsPath is where a part's relationships are: xl/_rels/workbook.xml.rels.
func relsPath(part string) string {
	dir, file := path.Split(part)
	return dir + "_rels/" + file + ".rels"
}

// readRels reads a relationships part, targets resolved to package paths.
func readRels(files map[string]*zip.File, name string) (rels, error) {
	data, err := unzip(files, name)
	if err != nil {
		return rels{}, err
	}
	var doc struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return rels{}, fmt.Errorf("damaged .xlsx: %s: %w", name, err)
	}
	base := path.Dir(path.Dir(name)) // the part the relationships are of
	r := rels{byID: map[string]string{}}
	for _, x := range doc.Rel {
		t := x.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join(base, t)
		}
		r.byID[x.ID] = t
		r.types = append(r.types, x.Type)
		r.target = append(r.target, t)
	}
	return r, nil
}

// firstSheet returns the relationship id of the workbook's first sheet.
func firstSheet(files map[string]*zip.File, book string) (string, error) {
	data, err := unzip(files, book)
	if err != nil {
		return "", err
	}
	var doc struct {
		Sheets []struct {
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return "", fmt.Errorf("damaged .xlsx: %s: %w", book, err)
	}
	if len(doc.Sheets) == 0 {
		return "", errors.New("workbook has no worksheet")
	}
	for _, a := range doc.Sheets[0].Attrs {
		if a.Name.Local == "id" && a.Name.Space != "" {
			return a.Value, nil
		}
	}
	return "", fmt.Errorf("damaged .xlsx: %s: the first sheet has no relationship id", book)
}

// readSharedStrings reads the shared strings: each item's text, its rich-text runs
// joined, phonetic runs left out.
func readSharedStrings(files map[string]*zip.File, name string) ([]string, error) {
	data, err := unzip(files, name)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var sst []string
	var text strings.Builder
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return sst, nil
		}
		if err != nil {
			return nil, fmt.Errorf("damaged .xlsx: %s: %w", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "si" {
			if err := stringItem(d, &text); err != nil {
				return nil, fmt.Errorf("damaged .xlsx: %s: item %d: %w", name, len(sst)+1, err)
			}
			sst = append(sst, unescapeXString(text.String()))
		}
	}
}

// stringItem reads the text of a string item (<si> or <is>) whose start
// element was just read, up to its end element.
func stringItem(d *xml.Decoder, text *strings.Builder) error {
	text.Reset()
	depth, skip, inT := 1, 0, false
	for depth > 0 {
		tok, err := d.RawToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case skip > 0:
				skip++
			case t.Name.Local == "rPh":
				skip = 1
			case t.Name.Local == "t":
				inT = true
			}
		case xml.EndElement:
			depth--
			switch {
			case skip > 0:
				skip--
			case t.Name.Local == "t":
				inT = false
			}
		case xml.CharData:
			if inT && skip == 0 {
				text.Write(t)
			}
		}
	}
	return nil
}

// xstringEscape is an escaped character of an ST_Xstring ("_x000D_").
var xstringEscape = regexp.MustCompile(`_x[0-9A-Fa-f]{4}_`)

// unescapeXString decodes the "_xHHHH_" escapes that writers use for
// characters XML cannot hold, as Excel and excelize read them.
func unescapeXString(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	return xstringEscape.ReplaceAllStringFunc(s, func(m string) string {
		v, _ := strconv.ParseUint(m[2:6], 16, 16)
		if v >= 0xD800 && v <= 0xDFFF {
			return "" // half a surrogate pair is no character
		}
		return string(rune(v))
	})
}

// readSheetXML reads the cells of a worksheet part.
func readSheetXML(data []byte, sst []string) (grid, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var g grid
	var text strings.Builder
	row, col := 0, 0 // 1-based; 0 before the first
	var typ string   // the cell's t attribute
	var v string     // its <v>, or inline string
	inCell, inV, hasV := false, false, false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return g, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				r, err := rowRef(t.Attr, row)
				if err != nil {
					return nil, err
				}
				row, col = r, 0
			case "c":
				r, c, err := cellRef(t.Attr, row, col)
				if err != nil {
					return nil, err
				}
				row, col = r, c
				typ, v, inCell, hasV = attr(t.Attr, "t"), "", true, false
			case "v":
				if inCell {
					inV, hasV = true, true
					text.Reset()
				}
			case "is":
				if inCell {
					if err := stringItem(d, &text); err != nil {
						return nil, err
					}
					v, hasV = unescapeXString(text.String()), true
				}
			}
		case xml.CharData:
			if inV {
				text.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				if inV {
					v, inV = text.String(), false
				}
			case "c":
				if inCell && hasV {
					g.set(row-1, col-1, cellText(typ, v, sst))
				}
				inCell = false
			}
		}
	}
}

// cellText is a cell's text by the xlsgrid conventions.
func cellText(typ, v string, sst []string) string {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(sst) {
			// A reference to no shared string: shown as Excel shows a
			// broken reference, text a reader audits, not a blank.
			return "#REF!"
		}
		return sst[i]
	case "b":
		switch strings.TrimSpace(v) {
		case "1":
			return "TRUE"
		case "0":
			return "FALSE"
		}
		return v
	case "", "n":
		// Writers store doubles with up to 17 digits ("34.799999999999997").
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			return formatNumber(x)
		}
	}
	return v // text, a formula's text, an error ("#DIV/0!"), a date
}

func attr(as []xml.Attr, local string) string {
	for _, a := range as {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// rowRef reads a row's number, the one after prev when it has none.
func rowRef(as []xml.Attr, prev int) (int, error) {
	s := attr(as, "r")
	if s == "" {
		return prev + 1, nil
	}
	r, err := strconv.Atoi(s)
	if err != nil || r < 1 || r > maxXLSXRows {
		return 0, fmt.Errorf("row reference %q", s)
	}
	return r, nil
}

// cellRef reads a cell's reference ("AB12"): its row and column, the
// column after prevCol on row when it has none.
func cellRef(as []xml.Attr, row, prevCol int) (r, c int, err error) {
	s := attr(as, "r")
	if s == "" {
		return max(row, 1), prevCol + 1, nil
	}
	i := 0
	for i < len(s) && i < 3 && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		c = c*26 + int(s[i]|0x20-'a') + 1
		i++
	}
	r, perr := strconv.Atoi(s[i:])
	if i == 0 || perr != nil || r < 1 || r > maxXLSXRows || c > maxXLSXCols {
		return 0, 0, fmt.Errorf("cell reference %q", s)
	}
	return r, c, nil
}

func trimRow(r []string) []string {
	for len(r) > 0 && r[len(r)-1] == "" {
		r = r[:len(r)-1]
	}
	return r
}
