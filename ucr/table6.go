// Package ucr reads FBI Uniform Crime Reporting publications: Crime in the
// United States Table 6 (crime by metropolitan statistical area) in the
// forms the FBI used from 2006 to 2024 (CSV saves and exports of the
// tables, .xls through 2020, .xlsx from 2022), and national series of
// estimated offences.
package ucr

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/csvgrid"
)

// Options adjust how a Table 6 file is read.
type Options struct {
	Year   int    // override; 0 = read it from the title row or, failing that, the file name
	Source string // name recorded in records and audit (e.g. path relative to the data dir); default: the path given
}

// Result is one Table 6 file read.
type Result struct {
	Year    int
	Table   string              // the title's table number as published ("Table 6"; 2016's is "Table 4"); "" without title rows
	Format  string              // "csv", "xls" or "xlsx", as sniffed from the content
	Records []assay.CrimeRecord // one per MSA and per M.D. block, file order
	Cities  []assay.CityRecord  // principal-city rows
	// Legend maps footnote markers to the legend text at the foot of the table.
	Legend map[string]string
	Audit  []assay.AuditEntry // every row not loaded (Skipped, with reason) + caveats on loaded rows (Flagged)
	// RowsRead == RowsLoaded + RowsSkipped, always.
	RowsRead, RowsLoaded, RowsSkipped int
}

// Audit reason keys.
const (
	ReasonTitle          = "title"            // skipped: a title row above the header
	ReasonHeader         = "header"           // skipped: the column header row
	ReasonBlank          = "blank"            // skipped: an empty row
	ReasonFootnoteLegend = "footnote_legend"  // skipped: a footnote legend or NOTE row at the foot
	ReasonSuppressed     = "suppressed"       // flagged: blank rate cells (the FBI suppressed the value)
	ReasonFootnote       = "footnote"         // flagged: footnote markers on a name, city or Includes line
	ReasonLabelsSwapped  = "labels_swapped"   // flagged: "Estimated total" and "Total area actually reporting" labels exchanged
	ReasonNoReportedRow  = "no_reported_row"  // flagged: an "Estimated total" row without a "Total area actually reporting" row
	ReasonNoEstimate     = "no_estimate"      // flagged: coverage below 100% but no "Estimated total" row
	ReasonRapeDefinition = "rape_definition"  // flagged: the rape column heading or legend contradicts the year's definition
	ReasonYearMismatch   = "year_mismatch"    // flagged: the file name's year differs from the title's
	ReasonNoCountiesLine = "no_counties_line" // flagged: a block without an "Includes ..." line
	ReasonStrayValue     = "stray_value"      // flagged: a value where the layout has none (ignored)
	ReasonDivisionsSum   = "divisions_sum"    // flagged: a divided M.S.A.'s M.D.s do not add up to it
	ReasonRateMismatch   = "rate_mismatch"    // flagged: a published rate differs from count / population beyond rounding

	ReasonCoveragePercent = "coverage_percent"      // flagged: coverage written as a percentage (98.2) where the table writes fractions: read as 98.2%
	ReasonCoverageRange   = "coverage_out_of_range" // flagged: coverage below 0 or above 100% even read as a percentage: left null
	ReasonNoRateRow       = "no_rate_row"           // flagged: a block that ends without its rate row (file cut short?): its rates left null
	ReasonRowOrder        = "row_order"             // flagged: a row out of the layout's order, loaded where it belongs (a city below the totals, a name below the legend, an M.D. before any M.S.A.)
	ReasonDuplicateRow    = "duplicate_row"         // skipped: a block's second "Total area actually reporting" or "Estimated total" row
	ReasonUnreadableName  = "unreadable_name"       // skipped: column A text that is neither an M.S.A. or M.D. name nor a footnote; its block's rows are skipped as unexpected_row
	ReasonIgnoredColumn   = "ignored_column"        // flagged: a column heading Table 6 does not have: the column is not read
)

// ReadTable6 reads a Table 6 file: CSV export, legacy .xls or .xlsx, told by
// content, not by extension.
func ReadTable6(path string, opt Options) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("table6: %w", err)
	}
	defer f.Close()
	return ParseTable6(f, path, opt)
}

// ParseTable6 reads a Table 6 file from r; name is its path, used for the
// year when no title row gives it, and as the source unless opt.Source is set.
func ParseTable6(r io.Reader, name string, opt Options) (*Result, error) {
	src := opt.Source
	if src == "" {
		src = name
	}
	grid, format, notes, err := readInput(r)
	if err != nil {
		return nil, fmt.Errorf("table6 %s: %w", src, err)
	}
	p := &parser{name: name, opt: opt, res: &Result{Format: format, Legend: map[string]string{}}}
	p.res.Records, p.res.Cities = sized(grid)
	p.start(src, len(grid), notes)
	if err := p.parse(grid); err != nil {
		return nil, fmt.Errorf("table6 %s: %w", src, err)
	}
	p.res.Audit, p.res.RowsRead, p.res.RowsLoaded, p.res.RowsSkipped = p.audit, p.read, p.loaded, p.skipped
	return p.res, nil
}

// Columns: the FBI's names, normalised (see normHeader).
const (
	colName = iota
	colLabel
	colPopulation
	colOffense // first of assay.NumOffenses offence columns
	numCols    = colOffense + int(assay.NumOffenses)
)

var headerNames = map[string]int{
	"metropolitan statistical area":        colName,
	"counties/principal cities":            colLabel,
	"population":                           colPopulation,
	"violent crime":                        colOffense + int(assay.Violent),
	"murder and nonnegligent manslaughter": colOffense + int(assay.Murder),
	"forcible rape":                        colOffense + int(assay.Rape),
	"rape":                                 colOffense + int(assay.Rape),
	"robbery":                              colOffense + int(assay.Robbery),
	"aggravated assault":                   colOffense + int(assay.AggravatedAssault),
	"property crime":                       colOffense + int(assay.Property),
	"burglary":                             colOffense + int(assay.Burglary),
	"larceny-theft":                        colOffense + int(assay.LarcenyTheft),
	"motor vehicle theft":                  colOffense + int(assay.MotorVehicleTheft),
}

const publishedHeader = "Metropolitan Statistical Area, Counties/principal cities, Population, Violent crime, Murder and nonnegligent manslaughter, Rape, Robbery, Aggravated assault, Property crime, Burglary, Larceny-theft, Motor vehicle theft"

// headerMarker is a footnote marker glued to a heading ("Rape1").
var headerMarker = regexp.MustCompile(`(\D)(\d+)$`)

// normHeader folds a heading cell: newlines and runs of spaces to one space,
// "Larceny-\ntheft" to "larceny-theft", the footnote marker split off.
func normHeader(s string) (h, marker string) {
	h = strings.ToLower(strings.Join(strings.Fields(s), " "))
	h = strings.ReplaceAll(h, "- ", "-")
	if m := headerMarker.FindStringSubmatchIndex(h); m != nil {
		marker = h[m[4]:m[5]]
		h = strings.TrimSpace(h[:m[4]])
	}
	return h, marker
}

// maxTitleRows bounds the rows searched for the header: the FBI prints
// three title rows, the 2019 CSV export none.
const maxTitleRows = 10

var (
	titleYear = regexp.MustCompile(`(?i)metropolitan statistical area,?\s*((?:19|20)\d\d)\b`)
	titleNum  = regexp.MustCompile(`(?i)^table\s+\d+\b`)
	nameYear  = regexp.MustCompile(`(?:^|\D)((?:19|20)\d\d)(?:\D|$)`)
	// legendMarker is the marker opening a footnote legend row ("4 The data ...").
	legendMarker = regexp.MustCompile(`^(\d+)\s+`)
)

type parser struct {
	rowLog
	name string
	opt  Options
	res  *Result

	cols       [numCols]int
	rapeHead   string // the rape heading as published
	rapeMarker string
	headerRow  int
	titleYear  int
	titleRow   int

	cur      *block // &blk while a block is read, else nil
	blk      block
	parent   string // clean name of the last M.S.A.
	inLegend bool
	// lost is column-A text that named no block: the rows under it, up to
	// the next name, belong to no block read.
	lost string
}

// block is the M.S.A. or M.D. being read.
type block struct {
	rec             assay.CrimeRecord
	countiesSeen    bool
	cities          int // len(Result.Cities) when the block started
	totalRow        int
	estRow          int
	rateRow         int
	totalCov        assay.Num
	estCov          assay.Num
	total, estimate [assay.NumOffenses]assay.Num
	// unread marks the rate cells the reader left null (not a number, or
	// negative): they are not the FBI's blanks.
	unread [assay.NumOffenses]bool
}

// sized makes room for every record and city of a grid from the start,
// rather than copies of them at each doubling: a record's name is the
// only text in column A but for titles and notes, and a block's counties,
// totals and rate rows are at least three of the rows with text in column
// B that are not cities.
func sized(grid [][]string) ([]assay.CrimeRecord, []assay.CityRecord) {
	a, b := 0, 0
	for _, r := range grid {
		if len(r) > 0 && r[0] != "" {
			a++
		}
		if len(r) > 1 && r[1] != "" {
			b++
		}
	}
	return make([]assay.CrimeRecord, 0, a), make([]assay.CityRecord, 0, max(b-3*a, 0))
}

func (p *parser) parse(grid [][]string) error {
	i := 0
	for ; i < len(grid) && i < maxTitleRows && p.headerRow == 0; i++ {
		row := i + 1
		switch {
		case blankRow(grid[i]):
			p.skip(row, ReasonBlank, "")
		case isHeader(grid[i]):
			if err := p.header(grid[i], row); err != nil {
				return err
			}
			p.skip(row, ReasonHeader, "")
		default:
			p.title(grid[i], row)
		}
	}
	if p.headerRow == 0 {
		return rowErrorf(1, "not a Table 6 file (or cut short): no header row starting %q in its first %d rows; row 1 reads %q",
			"Metropolitan Statistical Area, Counties/principal cities, Population", i, rowText(grid[0]))
	}
	if err := p.resolveYear(); err != nil {
		return err
	}
	for ; i < len(grid); i++ {
		p.row(grid[i], i+1)
	}
	p.finish(len(grid) + 1)
	if len(p.res.Records) == 0 {
		return rowErrorf(len(grid), "no M.S.A. block after the header (row %d): not a Table 6 file, or cut short", p.headerRow)
	}
	p.rapeDefinition()
	p.checkDivisions()
	return p.close(p.res.Legend)
}

func rowText(r []string) string {
	var parts []string
	for _, c := range r {
		if c = strings.TrimSpace(c); c != "" {
			parts = append(parts, c)
		}
	}
	s := []rune(strings.Join(parts, ","))
	if len(s) > 80 {
		return string(s[:80]) + "..."
	}
	return string(s)
}

// isHeader tells the header row by its first two headings, wherever they
// stand (an OMB delineation row may hold "Metropolitan Statistical Area"
// alone, as a value).
func isHeader(r []string) bool {
	name, label := false, false
	for _, c := range r {
		switch h, _ := normHeader(c); h {
		case "metropolitan statistical area":
			name = true
		case "counties/principal cities":
			label = true
		}
	}
	return name && label
}

func (p *parser) title(r []string, row int) {
	text := rowText(r)
	if m := titleYear.FindStringSubmatch(text); m != nil && p.titleYear == 0 {
		p.titleYear, _ = strconv.Atoi(m[1])
		p.titleRow = row
	}
	if m := titleNum.FindString(text); m != "" && p.res.Table == "" {
		p.res.Table = m
	}
	p.skip(row, ReasonTitle, text)
}

// header maps the columns by their headings, so that a reordered layout
// reads the same, and refuses a file that lacks one of Table 6's.
func (p *parser) header(r []string, row int) error {
	for j := range p.cols {
		p.cols[j] = -1
	}
	for j, c := range r {
		h, marker := normHeader(c)
		if h == "" {
			continue
		}
		k, ok := headerNames[h]
		if !ok {
			p.flag(row, ReasonIgnoredColumn, fmt.Sprintf("column %d is headed %q, which Table 6 does not have (%s): not read",
				j+1, strings.Join(strings.Fields(c), " "), publishedHeader))
			continue
		}
		if p.cols[k] >= 0 {
			return rowErrorf(row, "column heading %q twice (columns %d and %d)", h, p.cols[k]+1, j+1)
		}
		p.cols[k] = j
		if k == colOffense+int(assay.Rape) {
			p.rapeHead, p.rapeMarker = strings.Join(strings.Fields(c), " "), marker
		}
	}
	var missing []string
	for h, k := range headerNames {
		if p.cols[k] < 0 && h != "forcible rape" && h != "rape" {
			missing = append(missing, h)
		}
	}
	if p.cols[colOffense+int(assay.Rape)] < 0 {
		missing = append(missing, "rape")
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return rowErrorf(row, "header lacks the column(s) %s", strings.Join(missing, ", "))
	}
	p.headerRow = row
	return nil
}

func (p *parser) resolveYear() error {
	fileYear := 0
	if m := nameYear.FindAllStringSubmatch(filepath.Base(p.name), -1); len(m) > 0 {
		fileYear, _ = strconv.Atoi(m[len(m)-1][1])
	}
	switch {
	case p.opt.Year != 0 && p.titleYear != 0 && p.opt.Year != p.titleYear:
		return rowErrorf(p.titleRow, "year %d given, but the title says %d", p.opt.Year, p.titleYear)
	case p.opt.Year != 0:
		p.res.Year = p.opt.Year
	case p.titleYear != 0:
		p.res.Year = p.titleYear
		if fileYear != 0 && fileYear != p.titleYear {
			p.flag(p.titleRow, ReasonYearMismatch, fmt.Sprintf("file name says %d, title says %d; using the title", fileYear, p.titleYear))
		}
	case fileYear != 0:
		p.res.Year = fileYear
	default:
		return fmt.Errorf("no year: neither a title row (\"by Metropolitan Statistical Area, YYYY\") nor the file name %q gives one; give it with --year", filepath.Base(p.name))
	}
	return nil
}

// labels of the rows inside a block, as isLabel compares them.
const (
	labelTotal    = "total area actually reporting"
	labelEstimate = "estimated total"
	labelRate     = "rate per 100,000 inhabitants"
)

// isLabel reports whether a label cell reads label, whatever its case and
// the spaces and line breaks between its words.
func isLabel(s, label string) bool {
	// Spaces only lengthen a label, and its first letter comes first.
	if len(s) < len(label) || s[0]|0x20 != label[0] {
		return false
	}
	if strings.EqualFold(s, label) {
		return true
	}
	return csvgrid.OddSpace(s) && strings.EqualFold(strings.Join(strings.Fields(s), " "), label)
}

// row reads one row below the header: every row is loaded or skipped, and
// none stops the file.
func (p *parser) row(r []string, row int) {
	a := strings.TrimSpace(cell(r, p.cols[colName]))
	b := strings.TrimSpace(cell(r, p.cols[colLabel]))
	switch {
	case blankRow(r):
		p.skip(row, ReasonBlank, "")
		return
	case a != "":
		p.columnA(r, a, row)
		return
	case p.inLegend:
		// Legend text wrapped onto a following row.
		p.skip(row, ReasonFootnoteLegend, rowText(r))
		return
	case b == "":
		p.skip(row, ReasonUnexpectedRow, fmt.Sprintf("values %q without a label in column %d (Counties/principal cities)", rowText(r), p.cols[colLabel]+1))
		return
	case p.lost != "":
		p.skip(row, ReasonUnexpectedRow, fmt.Sprintf("%q below %q, which names no M.S.A. or M.D.", b, p.lost))
		return
	case p.cur == nil:
		p.skip(row, ReasonUnexpectedRow, fmt.Sprintf("%q before the first M.S.A. name", b))
		return
	}
	bl := p.cur
	if bl.rateRow != 0 {
		p.skip(row, ReasonUnexpectedRow, fmt.Sprintf("%q after the rate row (row %d) of %q: expected the next M.S.A. or M.D. name in column %d",
			b, bl.rateRow, bl.rec.PublishedName, p.cols[colName]+1))
		return
	}
	switch {
	case isLabel(b, labelTotal):
		if bl.totalRow != 0 {
			p.skip(row, ReasonDuplicateRow, fmt.Sprintf("a second %q row in %q (first at row %d)", b, bl.rec.PublishedName, bl.totalRow))
			return
		}
		bl.totalRow = row
		bl.totalCov = p.coverage(r, row, bl.rec.Name)
		p.counts(r, row, field{"", bl.rec.Name, 0, ""}, &bl.total)
		return
	case isLabel(b, labelEstimate):
		if bl.estRow != 0 {
			p.skip(row, ReasonDuplicateRow, fmt.Sprintf("a second %q row in %q (first at row %d)", b, bl.rec.PublishedName, bl.estRow))
			return
		}
		bl.estRow = row
		bl.estCov = p.coverage(r, row, bl.rec.Name)
		p.counts(r, row, field{"", bl.rec.Name, 0, ""}, &bl.estimate)
		return
	case isLabel(b, labelRate):
		bl.rateRow = row
		if v := strings.TrimSpace(cell(r, p.cols[colPopulation])); v != "" {
			p.flag(row, ReasonStrayValue, fmt.Sprintf("rate row of %s carries %q in the Population column; ignored", bl.rec.Name, v))
		}
		for o := range assay.NumOffenses {
			j := p.cols[colOffense+int(o)]
			bl.rec.Rate[o] = p.number(row, field{"", bl.rec.Name, j, o.Key()}, cell(r, j), rateOf, parseNum)
			bl.unread[o] = !bl.rec.Rate[o].Valid && strings.TrimSpace(cell(r, j)) != ""
		}
		p.loaded++
		return
	}
	if len(p.res.Cities) == bl.cities && !bl.countiesSeen && bl.totalRow == 0 && bl.estRow == 0 && (isCountiesLine(b) || !p.hasValues(r)) {
		bl.countiesSeen = true
		if p.hasValues(r) {
			p.flag(row, ReasonStrayValue, fmt.Sprintf("Includes line of %s carries %q; ignored", bl.rec.Name, p.valuesText(r)))
		}
		clean, fn := cleanCounties(b)
		bl.rec.Counties = clean
		p.footnote(row, fn, "Includes line of ", bl.rec.Name)
		p.loaded++
		return
	}
	if bl.totalRow != 0 || bl.estRow != 0 {
		p.flag(row, ReasonRowOrder, fmt.Sprintf("%q below the totals of %q, where the layout has only the rate row: read as a principal city of the block",
			b, bl.rec.PublishedName))
	}
	p.city(r, b, row)
}

// isCountiesLine tells the line naming a block's counties (or, for a
// divided M.S.A., its divisions) by its wording: "Includes ...", "Included
// ..." (2006, 2013, 2015), "Metropolitan Divisions of ..." (2006).
func isCountiesLine(label string) bool {
	hasPrefix := func(p string) bool { return len(label) >= len(p) && strings.EqualFold(label[:len(p)], p) }
	return hasPrefix("includ") || hasPrefix("metropolitan division")
}

// hasValues reports whether the row's population or offence cells hold
// anything.
func (p *parser) hasValues(r []string) bool {
	for k := colPopulation; k < numCols; k++ {
		if strings.TrimSpace(cell(r, p.cols[k])) != "" {
			return true
		}
	}
	return false
}

// valuesText is the row's population and offence cells, as rowText.
func (p *parser) valuesText(r []string) string {
	vals := make([]string, 0, numCols-colPopulation)
	for k := colPopulation; k < numCols; k++ {
		vals = append(vals, cell(r, p.cols[k]))
	}
	return rowText(vals)
}

// columnA handles a row with text in column A: a block name, or the
// footnote legend at the foot.
func (p *parser) columnA(r []string, a string, row int) {
	if n, ok := parseAreaName(a); ok {
		p.finish(row)
		if p.inLegend {
			p.inLegend = false
			p.flag(row, ReasonRowOrder, fmt.Sprintf("M.S.A. or M.D. name %q below the footnote legend: read as a block", a))
		}
		p.lost = ""
		p.openBlock(r, a, n, row)
		return
	}
	if a[0] >= '0' && a[0] <= '9' || a[0] == '*' || strings.HasPrefix(strings.ToUpper(a), "NOTE") {
		p.finish(row)
		p.lost = ""
		p.inLegend = true
		if m := legendMarker.FindStringSubmatch(a); m != nil {
			p.res.Legend[m[1]] = strings.TrimSpace(a[len(m[0]):])
		}
		p.skip(row, ReasonFootnoteLegend, rowText(r))
		return
	}
	if p.inLegend {
		p.skip(row, ReasonFootnoteLegend, rowText(r))
		return
	}
	p.finish(row)
	// Which M.S.A. an M.D. below this row belongs to is unknown now.
	p.lost, p.parent = a, ""
	p.skip(row, ReasonUnreadableName, fmt.Sprintf("column %d reads %q: expected an M.S.A. or M.D. name (ending \"M.S.A.\" or \"M.D.\") or a footnote; the rows below it up to the next name are skipped",
		p.cols[colName]+1, a))
}

func (p *parser) openBlock(r []string, a string, n areaName, row int) {
	rec := assay.CrimeRecord{
		Source: p.src, Row: row, Year: p.res.Year, Kind: n.kind,
		PublishedName: a, Name: n.clean, States: n.states, Footnotes: n.footnotes,
		RapeDefinition: assay.RapeDefinitionFor(p.res.Year),
	}
	switch n.kind {
	case assay.KindMSA:
		p.parent = n.clean
	case assay.KindMD:
		if p.parent == "" {
			p.flag(row, ReasonRowOrder, fmt.Sprintf("M.D. %q before any M.S.A. that could be read: loaded without a parent", a))
		}
		rec.Parent = p.parent
	}
	j := p.cols[colPopulation]
	rec.Population = p.number(row, field{"", n.clean, j, "Population"}, cell(r, j), populationOf, parseNum)
	var stray []string
	for o := range assay.NumOffenses {
		if v := strings.TrimSpace(cell(r, p.cols[colOffense+int(o)])); v != "" {
			stray = append(stray, fmt.Sprintf("%s %q", o, v))
		}
	}
	if len(stray) > 0 {
		p.flag(row, ReasonStrayValue, fmt.Sprintf("name row of %s carries %s, where the layout has none; ignored", n.clean, strings.Join(stray, ", ")))
	}
	p.footnote(row, n.footnotes, "name ", n.clean)
	p.blk = block{rec: rec, cities: len(p.res.Cities)}
	p.cur = &p.blk
	p.loaded++
}

func (p *parser) city(r []string, b string, row int) {
	bl := p.cur
	name, fn := parseCityName(b)
	c := assay.CityRecord{Source: p.src, Row: row, Year: p.res.Year, Area: bl.rec.Name, Name: name, Published: b, Footnotes: fn}
	j := p.cols[colPopulation]
	c.Population = p.number(row, field{"city", name, j, "Population"}, cell(r, j), populationOf, parseNum)
	p.counts(r, row, field{"city", name, 0, ""}, &c.Counts)
	p.footnote(row, fn, "city ", name, " in ", bl.rec.Name)
	p.res.Cities = append(p.res.Cities, c)
}

// counts reads the nine offence columns of a loaded row and loads it;
// what names the row.
func (p *parser) counts(r []string, row int, what field, vals *[assay.NumOffenses]assay.Num) {
	for o := range assay.NumOffenses {
		what.col, what.heading = p.cols[colOffense+int(o)], o.Key()
		vals[o] = p.number(row, what, cell(r, what.col), countOf, parseNum)
	}
	p.loaded++
}

// coverage reads the Population column of a totals row, which holds the
// share of the population covered: a fraction as the spreadsheets store it
// (0.982), or a percentage with its sign as the CSV saves print it
// ("98.2%"). A bare number above 1 can only be a percentage written
// without its sign, and is read as one, flagged.
func (p *parser) coverage(r []string, row int, what string) assay.Num {
	j := p.cols[colPopulation]
	s := cell(r, j)
	f := field{"", what, j, "Population"}
	v := p.number(row, f, s, anyValue, parseNum)
	switch {
	case !v.Valid || v.V >= 0 && v.V <= 1:
		return v
	case v.V > 1 && v.V <= 100 && !strings.HasSuffix(strings.TrimSpace(s), "%"):
		pct, err := parseNum(strings.TrimSpace(s) + "%")
		if err == nil {
			p.flag(row, ReasonCoveragePercent, fmt.Sprintf("%s: coverage %v, a percentage in a column of shares: read as %v%%", f, v, v))
			return pct
		}
	}
	p.flag(row, ReasonCoverageRange, fmt.Sprintf("%s: coverage %q is outside 0..100%%; left null", f, strings.TrimSpace(s)))
	return assay.Null
}

// finish checks the block being read and stores it; row is the row that
// ended it.
func (p *parser) finish(row int) {
	bl := p.cur
	if bl == nil {
		return
	}
	p.cur = nil
	rec := &bl.rec
	if bl.rateRow == 0 {
		what := fmt.Sprintf("row %d", row)
		if p.read < row {
			what = "the end of the file"
		}
		p.flag(rec.Row, ReasonNoRateRow, fmt.Sprintf("%q ends at %s without its %q row (file cut short?): its rates are left null",
			rec.PublishedName, what, "Rate per 100,000 inhabitants"))
	}
	if !bl.countiesSeen {
		p.flag(rec.Row, ReasonNoCountiesLine, rec.PublishedName+" has no Includes line")
	}
	// The FBI estimates totals only below full coverage, and the
	// estimate's coverage column always reads 100%: a labelled estimate
	// below 100% beside a 100% "actual" row means the labels are exchanged.
	if bl.totalRow != 0 && bl.estRow != 0 && bl.estCov.Valid && bl.estCov.V < 1 && bl.totalCov.Valid && bl.totalCov.V == 1 {
		bl.totalRow, bl.estRow = bl.estRow, bl.totalRow
		bl.totalCov, bl.estCov = bl.estCov, bl.totalCov
		bl.total, bl.estimate = bl.estimate, bl.total
		p.flag(rec.Row, ReasonLabelsSwapped, fmt.Sprintf("%s: row %d is labelled %q but has %s coverage, row %d the reverse; read as exchanged labels",
			rec.Name, bl.totalRow, "Estimated total", pct(bl.totalCov), bl.estRow))
	}
	if bl.totalRow != 0 {
		rec.Coverage = bl.totalCov
		rec.Reported = bl.total
	}
	if bl.estRow != 0 {
		rec.Estimated = bl.estimate
	}
	switch {
	case bl.totalRow == 0 && bl.estRow != 0:
		p.flag(bl.estRow, ReasonNoReportedRow, fmt.Sprintf("%s: only an %q row (coverage column %s); loaded as the estimate, reported counts and coverage left null",
			rec.Name, "Estimated total", pct(bl.estCov)))
	case bl.totalRow != 0 && bl.estRow == 0 && rec.Coverage.Valid && rec.Coverage.V < 1:
		p.flag(bl.totalRow, ReasonNoEstimate, fmt.Sprintf("%s: coverage %s but no %q row", rec.Name, pct(rec.Coverage), "Estimated total"))
	}
	if bl.rateRow != 0 {
		var blank []string
		for o := range assay.NumOffenses {
			if !rec.Rate[o].Valid && !bl.unread[o] {
				blank = append(blank, o.Key())
			}
		}
		if len(blank) > 0 {
			p.flag(bl.rateRow, ReasonSuppressed, fmt.Sprintf("%s: rate blank for %s", rec.Name, strings.Join(blank, ", ")))
		}
		var best [assay.NumOffenses]assay.Num
		for o := range assay.NumOffenses {
			best[o] = rec.Count(o)
		}
		if off := rateGaps(best[:], rec.Rate[:], rec.Population); len(off) > 0 {
			p.flag(bl.rateRow, ReasonRateMismatch, fmt.Sprintf("%s: %s", rec.Name, strings.Join(off, "; ")))
		}
	}
	p.res.Records = append(p.res.Records, *rec)
}

func pct(n assay.Num) string {
	if !n.Valid {
		return "blank"
	}
	return strconv.FormatFloat(n.V*100, 'f', 1, 64) + "%"
}

// rapeDefinition checks the rape heading (and its footnote, where the
// heading has one) against the definition the year implies, and trusts the
// file where they disagree.
func (p *parser) rapeDefinition() {
	year := assay.RapeDefinitionFor(p.res.Year)
	h, _ := normHeader(p.rapeHead)
	var file assay.RapeDefinition
	legend := strings.ToLower(p.res.Legend[p.rapeMarker])
	switch {
	case h == "forcible rape":
		file = assay.RapeLegacy
	case strings.Contains(legend, "aggregate") && strings.Contains(legend, "legacy"):
		file = assay.RapeMixed
	case strings.Contains(legend, "only the revised"):
		file = assay.RapeRevised
	}
	switch {
	case file != "" && file != year:
		p.flag(p.headerRow, ReasonRapeDefinition, fmt.Sprintf("rape column %q (footnote %q) says %s, the year %d implies %s; records say %s",
			p.rapeHead, p.res.Legend[p.rapeMarker], file, p.res.Year, year, file))
		for i := range p.res.Records {
			p.res.Records[i].RapeDefinition = file
		}
	case file == "" && year == assay.RapeLegacy:
		p.flag(p.headerRow, ReasonRapeDefinition, fmt.Sprintf("rape column %q is not headed \"Forcible rape\" as in %d's legacy-definition tables; records keep %s",
			p.rapeHead, p.res.Year, year))
	}
}

// divisionsTolerance is the relative gap between a divided M.S.A. and the
// sum of its M.D.s that is flagged: the FBI's own rounding leaves gaps of a
// person or so (Los Angeles 2006: 1 in 12.9 million); a missing or
// misprinted division leaves far more.
const divisionsTolerance = 0.001

// checkDivisions flags divided M.S.A.s whose M.D.s' populations or counts
// do not add up to the M.S.A.'s own, so that nobody sums M.D.s (or uses
// their rates) unawares.
func (p *parser) checkDivisions() {
	recs := p.res.Records
	for i := 0; i < len(recs); i++ {
		if recs[i].Kind != assay.KindMSA {
			continue
		}
		msa := &recs[i]
		j := i + 1
		for j < len(recs) && recs[j].Kind == assay.KindMD && recs[j].Parent == msa.Name {
			j++
		}
		mds := recs[i+1 : j]
		if len(mds) == 0 {
			continue
		}
		var gaps []string
		check := func(what string, total assay.Num, part func(*assay.CrimeRecord) assay.Num) {
			sum := 0.0
			for k := range mds {
				v := part(&mds[k])
				if !v.Valid {
					return
				}
				sum += v.V
			}
			if total.Valid && math.Abs(sum-total.V) > divisionsTolerance*total.V {
				gaps = append(gaps, fmt.Sprintf("%s %s vs M.D.s %s", what, total, assay.Some(sum)))
			}
		}
		check("population", msa.Population, func(r *assay.CrimeRecord) assay.Num { return r.Population })
		for o := range assay.NumOffenses {
			check(o.Key(), msa.Count(o), func(r *assay.CrimeRecord) assay.Num { return r.Count(o) })
		}
		if len(gaps) > 0 {
			p.flag(msa.Row, ReasonDivisionsSum, fmt.Sprintf("%s: %s", msa.Name, strings.Join(gaps, "; ")))
		}
	}
}

// rateRounding is half a unit in the last place of a rate published to one
// decimal: a published rate farther than that from count / population ×
// 100,000 is not a rounding of it.
const rateRounding = 0.05

// rateGaps lists the offences whose published rate is farther from count /
// population × 100,000 than rounding allows.
func rateGaps(counts, rates []assay.Num, pop assay.Num) []string {
	var off []string
	for i := range min(len(counts), len(rates)) {
		o := assay.Offense(i)
		calc := perCapita(counts[o], pop)
		if calc.Valid && rates[o].Valid && math.Abs(calc.V-rates[o].V) > rateRounding+1e-9 {
			off = append(off, fmt.Sprintf("%s %v published, %.2f from the count", o, rates[o].V, calc.V))
		}
	}
	return off
}
