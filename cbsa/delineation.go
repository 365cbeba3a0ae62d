// Package cbsa reads the OMB core-based statistical area delineations (the
// Census Bureau's "list1" files, as .xls or CSV) and matches the metro-area
// names the FBI prints in Crime in the United States to CBSA codes.
package cbsa

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/csvgrid"
	"github.com/assaylab/assay/internal/filekind"
	"github.com/assaylab/assay/internal/xlsgrid"
)

// Options adjusts ReadDelineation.
type Options struct {
	// Vintage ("2013-02") overrides the vintage read from the file's title
	// or footer, or from its name.
	Vintage string
	// Source names the file in audit entries and Delineation.Source
	// (ReadDelineation defaults it to the path). Its base name is where a
	// vintage is looked for when the content states none.
	Source string
}

// Result is a delineation with the account of every row of its file.
// RowsRead == RowsLoaded + RowsSkipped; each skipped row has an audit entry.
type Result struct {
	Delineation *assay.Delineation
	Audit       []assay.AuditEntry
	RowsRead    int
	RowsLoaded  int
	RowsSkipped int
	SHA256      string // of the file's bytes
}

// ReadDelineation reads a delineation file: the Census .xls (list1) or a
// CSV with the same columns, told apart by content, not by name.
func ReadDelineation(path string, opt Options) (*Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("delineation: %w", err)
	}
	if opt.Source == "" {
		opt.Source = path
	}
	return ParseDelineation(data, opt)
}

// ParseDelineation is ReadDelineation on the bytes of a file.
func ParseDelineation(data []byte, opt Options) (*Result, error) {
	p := &parser{opt: opt, res: &Result{}}
	sum := sha256.Sum256(data)
	p.res.SHA256 = hex.EncodeToString(sum[:])
	rows, lines, err := p.grid(data)
	if err != nil {
		return nil, fmt.Errorf("delineation %s: %w", opt.Source, err)
	}
	if err := p.parse(rows, lines); err != nil {
		return nil, err
	}
	return p.res, nil
}

// Column headers as published. The 2020 list spells out "Metropolitan
// Division Code" where the 2013 one writes "Metro Division Code".
const (
	colCode        = "CBSA Code"
	colDivision    = "Metropolitan Division Code"
	colCSA         = "CSA Code"
	colTitle       = "CBSA Title"
	colKind        = "Metropolitan/Micropolitan Statistical Area"
	colDivTitle    = "Metropolitan Division Title"
	colCSATitle    = "CSA Title"
	colCounty      = "County/County Equivalent"
	colState       = "State Name"
	colStateFIPS   = "FIPS State Code"
	colCountyFIPS  = "FIPS County Code"
	colCentral     = "Central/Outlying County"
	headerSynonym  = "Metro Division Code"
	metroKind      = "Metropolitan Statistical Area"
	microKind      = "Micropolitan Statistical Area"
	centralCounty  = "Central"
	outlyingCounty = "Outlying"
)

var requiredColumns = []string{colCode, colDivision, colCSA, colTitle, colKind, colDivTitle,
	colCSATitle, colCounty, colState, colStateFIPS, colCountyFIPS, colCentral}

// cfbMagic opens every compound document, so every BIFF .xls.
var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

type parser struct {
	opt    Options
	res    *Result
	col    map[string]int
	cbsa   map[string]int // code -> index in CBSAs
	first  []cbsaFirst    // by index in CBSAs: the rows its fields were taken from
	fips   map[string]int // county FIPS -> row
	divRow map[string]int // division code -> row its title was taken from
	text   []string       // title and footnote text, where the vintage is stated
}

// grid returns the file's rows and the 1-based file row (CSV line) of each.
func (p *parser) grid(data []byte) ([][]string, []int, error) {
	if bytes.HasPrefix(data, cfbMagic) {
		rows, err := xlsgrid.ReadBytes(data)
		if err != nil {
			return nil, nil, err
		}
		lines := make([]int, len(rows))
		for i := range lines {
			lines[i] = i + 1
		}
		return rows, lines, nil
	}
	// Read as Latin-1, UTF-16 would fail only at the header, as missing
	// every column.
	if filekind.IsUTF16(data[:min(len(data), 4)]) {
		return nil, nil, filekind.ErrUTF16
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	if !utf8.ValidString(text) {
		text = csvgrid.Latin1(text)
		p.fileNote("encoding", "file is not UTF-8; read as Latin-1")
	}
	rows, lines, lenient, err := csvgrid.ReadAll(text)
	if err != nil {
		return nil, nil, err
	}
	if lenient != nil {
		p.fileNote(ReasonLenientQuotes, csvgrid.LenientDetail(lenient))
	}
	if len(rows) == 0 {
		return nil, nil, errors.New("empty file")
	}
	return rows, lines, nil
}

func (p *parser) parse(rows [][]string, lines []int) error {
	// A CBSA has a county or more: room for all from the start.
	d := &assay.Delineation{Source: p.opt.Source, CBSAs: make([]assay.CBSA, 0, len(rows))}
	p.res.Delineation = d
	p.cbsa = make(map[string]int, len(rows))
	p.fips = make(map[string]int, len(rows))
	p.divRow = map[string]int{}
	p.res.RowsRead = len(rows)
	for i, cells := range rows {
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		line := lines[i]
		switch {
		case blank(cells):
			p.skip(line, "blank", "empty row")
		case p.col == nil:
			if hdr := header(cells); hdr != nil {
				p.col = hdr
				p.skip(line, "header", "column headers")
				continue
			}
			t := strings.Join(slices.DeleteFunc(slices.Clone(cells), func(c string) bool { return c == "" }), " ")
			p.text = append(p.text, t)
			p.skip(line, "title", t)
		case isCode(p.cell(cells, colCode), 5):
			if p.county(cells, line) {
				p.res.RowsLoaded++
			}
		case onlyFirst(cells):
			p.text = append(p.text, cells[0])
			p.skip(line, "footnote", cells[0])
		default:
			p.skip(line, ReasonUnexpectedRow, fmt.Sprintf("field %s: %q is neither a CBSA code nor a note", colCode, p.cell(cells, colCode)))
		}
	}
	if p.col == nil {
		return fmt.Errorf("delineation %s: no header row (one naming %q, %q, ...)", p.opt.Source, colCode, colTitle)
	}
	if len(d.CBSAs) == 0 {
		return fmt.Errorf("delineation %s: no county rows", p.opt.Source)
	}
	v, err := p.vintage()
	if err != nil {
		return fmt.Errorf("delineation %s: %w", p.opt.Source, err)
	}
	d.Vintage = v
	for i := range d.CBSAs {
		d.CBSAs[i].Vintage = v
	}
	return nil
}

// cbsaFirst holds the rows a CBSA's title, kind and CSA were first read
// from; 0 while no row has given them.
type cbsaFirst struct{ title, kind, csa int }

func (p *parser) skip(line int, reason, detail string) {
	p.res.RowsSkipped++
	p.res.Audit = append(p.res.Audit, assay.AuditEntry{
		Source: p.opt.Source, Row: line, Action: assay.Skipped, Reason: reason, Detail: detail,
	})
}

func (p *parser) flag(line int, reason, detail string) {
	p.res.Audit = append(p.res.Audit, assay.AuditEntry{
		Source: p.opt.Source, Row: line, Action: assay.Flagged, Reason: reason, Detail: detail,
	})
}

// fileNote records a caveat about the file as a whole (row 0).
func (p *parser) fileNote(reason, detail string) {
	p.res.Audit = append(p.res.Audit, assay.AuditEntry{
		Source: p.opt.Source, Action: assay.Flagged, Reason: reason, Detail: detail,
	})
}

// header maps column names to indexes when cells are the header row.
func header(cells []string) map[string]int {
	col := map[string]int{}
	for i, c := range cells {
		c = strings.Join(strings.Fields(c), " ")
		if c == headerSynonym {
			c = colDivision
		}
		if _, dup := col[c]; !dup && c != "" {
			col[c] = i
		}
	}
	for _, name := range requiredColumns {
		if _, ok := col[name]; !ok {
			return nil
		}
	}
	return col
}

func (p *parser) cell(cells []string, name string) string {
	if i := p.col[name]; i < len(cells) {
		return cells[i]
	}
	return ""
}

// Audit reason keys of a delineation's rows.
const (
	ReasonUnreadableValue  = "unreadable_value"          // flagged: a field empty or not in its published form: left empty (a CBSA's kind and CSA come from its other rows)
	ReasonInconsistentCBSA = "inconsistent_cbsa"         // flagged: a row's CBSA title, kind, CSA or division title differs from the CBSA's first row: the first row's kept
	ReasonUnreadableFIPS   = "unreadable_fips"           // skipped: a county row whose FIPS state or county code is no code: the county cannot be placed
	ReasonDuplicateCounty  = "duplicate_county"          // skipped: a county listed again
	ReasonUnexpectedRow    = "unexpected_row"            // skipped: a row below the header that is neither a county (a CBSA code first) nor a note
	ReasonLenientQuotes    = csvgrid.ReasonLenientQuotes // flagged (file): a quote inside an unquoted CSV cell, read as text
)

// county reads one county row into its CBSA, reporting whether it loaded.
// A field that cannot be read is flagged and left empty; only a county
// that cannot be placed (no FIPS code, or one listed already) is skipped.
func (p *parser) county(cells []string, line int) bool {
	get := func(name string) string { return p.cell(cells, name) }
	unreadable := func(name, format string, a ...any) {
		p.flag(line, ReasonUnreadableValue, fmt.Sprintf("field %s: %s", name, fmt.Sprintf(format, a...)))
	}
	unplaced := func(name string, err error) bool {
		p.skip(line, ReasonUnreadableFIPS, fmt.Sprintf("field %s: %v: the county cannot be placed", name, err))
		return false
	}
	st, err := digits(get(colStateFIPS), 2)
	if err != nil {
		return unplaced(colStateFIPS, err)
	}
	co, err := digits(get(colCountyFIPS), 3)
	if err != nil {
		return unplaced(colCountyFIPS, err)
	}
	fips := st + co
	if prev, dup := p.fips[fips]; dup {
		p.skip(line, ReasonDuplicateCounty, fmt.Sprintf("county %s is listed again (first on row %d)", fips, prev))
		return false
	}
	p.fips[fips] = line

	code, title := get(colCode), get(colTitle)
	if title == "" {
		unreadable(colTitle, "empty")
	}
	kind, kindKnown := get(colKind), true
	metro := kind == metroKind
	if kind != metroKind && kind != microKind {
		unreadable(colKind, "%q is neither %q nor %q", kind, metroKind, microKind)
		kindKnown = false
	}
	csa, csaTitle := get(colCSA), get(colCSATitle)
	switch {
	case csa != "" && !isCode(csa, 3):
		unreadable(colCSA, "%q is not a 3-digit code", csa)
		csa, csaTitle = "", ""
	case (csa == "") != (csaTitle == ""):
		unreadable(colCSATitle, "%q does not go with CSA code %q", csaTitle, csa)
		csa, csaTitle = "", ""
	}
	csaKnown := csa != "" || get(colCSA) == "" && get(colCSATitle) == ""
	div, divTitle := get(colDivision), get(colDivTitle)
	switch {
	case div != "" && !isCode(div, 5):
		unreadable(colDivision, "%q is not a 5-digit code", div)
		div = ""
	case (div == "") != (divTitle == ""):
		unreadable(colDivTitle, "%q does not go with division code %q", divTitle, div)
		div = ""
	}
	central := get(colCentral) == centralCounty
	if v := get(colCentral); v != centralCounty && v != outlyingCounty {
		unreadable(colCentral, "%q is neither %q nor %q: read as outlying", v, centralCounty, outlyingCounty)
	}
	county := assay.County{FIPS: fips, Name: get(colCounty), State: get(colState), Central: central, Division: div}
	if county.Name == "" {
		unreadable(colCounty, "empty")
	}
	if county.State == "" {
		unreadable(colState, "empty")
	}

	d := p.res.Delineation
	i, seen := p.cbsa[code]
	if !seen {
		i = len(d.CBSAs)
		p.cbsa[code] = i
		d.CBSAs = append(d.CBSAs, assay.CBSA{Code: code})
		p.first = append(p.first, cbsaFirst{})
	}
	c, first := &d.CBSAs[i], &p.first[i]
	inconsistent := func(what string, got, kept any, from int) {
		p.flag(line, ReasonInconsistentCBSA, fmt.Sprintf("CBSA %s: %s %v differs from %v on row %d; kept %v", code, what, got, kept, from, kept))
	}
	// Each of the CBSA's fields is its first readable row's.
	switch {
	case title == "":
	case first.title == 0:
		c.Title, first.title = title, line
	case title != c.Title:
		inconsistent("title", fmt.Sprintf("%q", title), fmt.Sprintf("%q", c.Title), first.title)
	}
	switch {
	case !kindKnown:
	case first.kind == 0:
		c.Metro, first.kind = metro, line
	case metro != c.Metro:
		inconsistent("kind", fmt.Sprintf("%q", kind), kindName(c.Metro), first.kind)
	}
	switch {
	case !csaKnown:
	case first.csa == 0:
		c.CSA, c.CSATitle, first.csa = csa, csaTitle, line
	case c.CSA != csa || c.CSATitle != csaTitle:
		inconsistent("CSA", fmt.Sprintf("%s %q", csa, csaTitle), fmt.Sprintf("%s %q", c.CSA, c.CSATitle), first.csa)
	}
	if div != "" {
		if c.Divisions == nil {
			c.Divisions = map[string]string{}
		}
		if t, ok := c.Divisions[div]; ok && t != divTitle {
			inconsistent("division "+div+" title", fmt.Sprintf("%q", divTitle), fmt.Sprintf("%q", t), p.divRow[div])
		} else if !ok {
			c.Divisions[div] = divTitle
			p.divRow[div] = line
		}
	}
	c.Counties = append(c.Counties, county)
	return true
}

func kindName(metro bool) string {
	if metro {
		return fmt.Sprintf("%q", metroKind)
	}
	return fmt.Sprintf("%q", microKind)
}

func blank(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// onlyFirst reports a row with text in its first cell alone, the shape of
// the notes under the table.
func onlyFirst(cells []string) bool {
	return len(cells) > 0 && cells[0] != "" && blank(cells[1:])
}

func isCode(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// digits pads a FIPS code to n digits: spreadsheet round trips drop leading
// zeros ("6" for California).
func digits(s string, n int) (string, error) {
	if s == "" || len(s) > n || !isCode(s, len(s)) {
		return "", fmt.Errorf("%q is not a code of at most %d digits", s, n)
	}
	return strings.Repeat("0", n-len(s)) + s, nil
}

var (
	textDate   = regexp.MustCompile(`(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december)\s+((?:19|20)\d\d)\b`)
	nameDate   = regexp.MustCompile(`(?i)((?:19|20)\d\d)[_\- ]?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*`)
	vintageFmt = regexp.MustCompile(`^(19|20)\d\d-(0[1-9]|1[0-2])$`)
	releaseRow = regexp.MustCompile(`(?i)release\s+date`)
)

// vintage decides the delineation vintage: Options.Vintage, else the month
// and year the title or footer state (not the release date), else the file
// name ("list1_2013_Feb.xls").
func (p *parser) vintage() (string, error) {
	fromText := map[string]bool{}
	for _, t := range p.text {
		if releaseRow.MatchString(t) {
			continue
		}
		for _, m := range textDate.FindAllStringSubmatch(t, -1) {
			fromText[m[2]+"-"+monthNumber(m[1])] = true
		}
	}
	if len(fromText) > 1 {
		return "", fmt.Errorf("the title and notes name several delineations (%v); set the vintage", slices.Sorted(maps.Keys(fromText)))
	}
	var text, name string
	for v := range fromText {
		text = v
	}
	if m := nameDate.FindStringSubmatch(filepath.Base(p.opt.Source)); m != nil {
		name = m[1] + "-" + monthNumber(m[2])
	}
	found, from := text, "the title or notes"
	if found == "" {
		found, from = name, "the file name"
	} else if name != "" && name != text {
		p.fileNote("vintage_name_mismatch", fmt.Sprintf("the file name says %s but the contents %s; using %s", name, text, text))
	}
	switch {
	case p.opt.Vintage != "":
		if !vintageFmt.MatchString(p.opt.Vintage) {
			return "", fmt.Errorf("vintage %q: want YYYY-MM", p.opt.Vintage)
		}
		if found != "" && found != p.opt.Vintage {
			p.fileNote("vintage_override", fmt.Sprintf("%s says %s; using %s as asked", from, found, p.opt.Vintage))
		}
		return p.opt.Vintage, nil
	case found == "":
		return "", errors.New("no vintage in the title, notes or file name; set it (e.g. 2013-02)")
	}
	return found, nil
}

// monthNumber turns a month name the regexps above admitted into "01".."12".
func monthNumber(name string) string {
	return monthNumbers[strings.ToLower(name[:3])]
}

var monthNumbers = map[string]string{"jan": "01", "feb": "02", "mar": "03", "apr": "04", "may": "05", "jun": "06",
	"jul": "07", "aug": "08", "sep": "09", "oct": "10", "nov": "11", "dec": "12"}
