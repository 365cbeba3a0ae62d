package ucr

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
)

// AgencyResult is one agency-panel file read.
type AgencyResult struct {
	Records []assay.AgencyCrime
	Audit   []assay.AuditEntry
	// RowsRead == RowsLoaded + RowsSkipped, always.
	RowsRead, RowsLoaded, RowsSkipped int
}

// Audit reason keys of the agency panel.
const (
	ReasonNotAgency     = "not_agency"            // skipped: a row without an ORI (the compiler's national totals)
	ReasonDuplicateYear = "duplicate_agency_year" // skipped: a second row for an ORI and year
	ReasonNotAvailable  = "not_available"         // flagged: NA (or blank) population, count, rate or months reported: null, not zero
	ReasonPartialYear   = "partial_year"          // flagged: fewer than 12 months reported
	ReasonUnknownState  = "unknown_state"         // flagged: the ORI's first two letters are no state code
	ReasonStateMismatch = "state_mismatch"        // flagged: the department name's state differs from the ORI's
	ReasonMonthsRange   = "months_out_of_range"   // flagged: months reported below 0 or above 12: left null
)

// agencyField is what an agency-panel column holds.
type agencyField int

const (
	agORI agencyField = iota
	agYear
	agName
	agPopulation
	agMonths
	agSource
	agURL
	agCount // agCount + offence: its count
)

// agRate + offence: its rate per 100,000.
const agRate = agCount + agencyField(assay.NumViolentOffenses)

// agencyColumns are the panel's headings (The Marshall Project's names).
var agencyColumns = map[string]agencyField{
	"ori": agORI, "year": agYear, "department_name": agName, "total_pop": agPopulation, "months_reported": agMonths,
	"source": agSource, "url": agURL,
	"violent_crime": agCount + agencyField(assay.Violent), "homs_sum": agCount + agencyField(assay.Murder),
	"rape_sum": agCount + agencyField(assay.Rape), "rob_sum": agCount + agencyField(assay.Robbery),
	"agg_ass_sum":      agCount + agencyField(assay.AggravatedAssault),
	"violent_per_100k": agRate + agencyField(assay.Violent), "homs_per_100k": agRate + agencyField(assay.Murder),
	"rape_per_100k": agRate + agencyField(assay.Rape), "rob_per_100k": agRate + agencyField(assay.Robbery),
	"agg_ass_per_100k": agRate + agencyField(assay.AggravatedAssault),
}

// optionalAgencyColumns may be absent: they only say where a year's
// figures came from.
var optionalAgencyColumns = map[agencyField]bool{agSource: true, agURL: true}

// ReadAgencies reads an agency-level UCR panel (The Marshall Project's
// ucr_crime_1975_2015.csv layout): one row per agency (ORI) and year.
func ReadAgencies(path string) (*AgencyResult, error) {
	return readFile("agencies", path, ParseAgencies)
}

// ParseAgencies reads an agency panel from r; name is recorded as the
// records' source.
func ParseAgencies(r io.Reader, name string) (*AgencyResult, error) {
	p := &agencyParser{res: &AgencyResult{}}
	if err := parseGrid("agencies", name, r, &p.rowLog, p.parse); err != nil {
		return nil, err
	}
	p.res.Audit, p.res.RowsRead, p.res.RowsLoaded, p.res.RowsSkipped = p.audit, p.read, p.loaded, p.skipped
	return p.res, nil
}

type oriYear struct {
	ori  string
	year int
}

type agencyParser struct {
	rowLog
	res     *AgencyResult
	cols    map[agencyField]int
	heading map[agencyField]string // as published, for messages
	seen    map[oriYear]int        // -> first row
}

func (p *agencyParser) parse(grid [][]string) error {
	// A row is an agency-year but for the header and the compiler's totals.
	p.res.Records = make([]assay.AgencyCrime, 0, len(grid)-1)
	p.seen = make(map[oriYear]int, len(grid)-1)
	if err := p.header(grid[0]); err != nil {
		return err
	}
	p.skip(1, ReasonHeader, "")
	for i := 1; i < len(grid); i++ {
		p.row(grid[i], i+1)
	}
	if len(p.res.Records) == 0 {
		return rowErrorf(len(grid), "no agency rows after the header")
	}
	return p.close(nil)
}

func (p *agencyParser) header(r []string) error {
	p.cols, p.heading = map[agencyField]int{}, map[agencyField]string{}
	for j, c := range r {
		h := strings.ToLower(strings.TrimSpace(c))
		if f, ok := agencyColumns[h]; ok {
			if _, dup := p.cols[f]; dup {
				return rowErrorf(1, "column %q appears twice (columns %d and %d)", h, p.cols[f]+1, j+1)
			}
			p.cols[f], p.heading[f] = j, h
		}
	}
	var missing []string
	for h, f := range agencyColumns {
		if _, ok := p.cols[f]; !ok && !optionalAgencyColumns[f] {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return rowErrorf(1, "not an agency panel this reader knows (The Marshall Project's ucr_crime_1975_2015.csv layout): the header lacks %s; row 1 reads %q",
			strings.Join(missing, ", "), rowText(r))
	}
	return nil
}

func (p *agencyParser) row(r []string, row int) {
	if blankRow(r) {
		p.skip(row, ReasonBlank, "")
		return
	}
	get := func(f agencyField) string {
		j, ok := p.cols[f]
		if !ok {
			return ""
		}
		return strings.TrimSpace(cell(r, j))
	}
	name, ori, y := get(agName), get(agORI), get(agYear)
	year, err := strconv.Atoi(y)
	if err != nil || year < 1900 || year > 2100 {
		p.skip(row, ReasonUnreadableYear, fmt.Sprintf("%s %s: column %d (year) reads %q: expected a year", ori, name, p.cols[agYear]+1, y))
		return
	}
	if ori == "" || ori == "NA" {
		p.skip(row, ReasonNotAgency, fmt.Sprintf("%q %d has no ORI: the compiler's total, not a police agency", name, year))
		return
	}
	key := oriYear{ori, year}
	if first, dup := p.seen[key]; dup {
		p.skip(row, ReasonDuplicateYear, fmt.Sprintf("%s (%s) %d is already loaded from row %d", ori, name, year, first))
		return
	}
	p.seen[key] = row
	rec := assay.AgencyCrime{Source: p.src, Row: row, Year: year, ORI: ori, Agency: name,
		PublishedIn: naText(get(agSource)), URL: naText(get(agURL))}
	what := fmt.Sprintf("%s %d", name, year)
	var na []string
	num := func(f agencyField, m measure) assay.Num {
		s := get(f)
		if s == "" || s == "NA" {
			na = append(na, p.heading[f])
		}
		return p.number(row, field{"", what, p.cols[f], p.heading[f]}, s, m, rNum)
	}
	rec.Population = num(agPopulation, populationOf)
	for o := range assay.NumViolentOffenses {
		rec.Counts[o] = num(agCount+agencyField(o), countOf)
		rec.Rate[o] = num(agRate+agencyField(o), rateOf)
	}
	rec.MonthsReported = num(agMonths, anyValue)
	if m := rec.MonthsReported; m.Valid && (m.V < 0 || m.V > 12) {
		p.flag(row, ReasonMonthsRange, fmt.Sprintf("%s: %s months reported, outside 0..12; left null", what, m))
		rec.MonthsReported = assay.Null
	}
	if len(na) > 0 {
		p.flag(row, ReasonNotAvailable, fmt.Sprintf("%s: %s not available (null, not zero)", what, strings.Join(na, ", ")))
	}
	if m := rec.MonthsReported; m.Valid && m.V < 12 {
		p.flag(row, ReasonPartialYear, fmt.Sprintf("%s: %s of 12 months reported; counts as published", what, m))
	}
	p.state(&rec, row)
	if gaps := rateGaps(rec.Counts[:], rec.Rate[:], rec.Population); len(gaps) > 0 {
		p.flag(row, ReasonRateMismatch, fmt.Sprintf("%s: %s", what, strings.Join(gaps, "; ")))
	}
	if sum, ok := partsSum(&rec.Counts); ok && sum != rec.Counts[assay.Violent].V {
		p.flag(row, ReasonViolentSum, fmt.Sprintf("%s: violent crime %s, its four offences sum to %s", what, rec.Counts[assay.Violent], assay.Some(sum)))
	}
	p.res.Records = append(p.res.Records, rec)
	p.loaded++
}

// state sets the record's state from its ORI and checks it against the
// state the department name gives, if any.
func (p *agencyParser) state(rec *assay.AgencyCrime, row int) {
	code := ""
	if len(rec.ORI) >= 2 {
		code = strings.ToUpper(rec.ORI[:2])
	}
	if code == "NB" {
		// NCIC codes are the postal ones but for Nebraska's.
		code = "NE"
	}
	if !stateCodes[code] {
		p.flag(row, ReasonUnknownState, fmt.Sprintf("%s %d: ORI %s begins with no state code", rec.Agency, rec.Year, rec.ORI))
		return
	}
	rec.State = code
	if _, named := splitPlaceState(rec.Agency); named != "" && named != code {
		p.flag(row, ReasonStateMismatch, fmt.Sprintf("%s %d: the name says %s, ORI %s says %s", rec.Agency, rec.Year, named, rec.ORI, code))
	}
}

// partsSum adds murder, rape, robbery and aggravated assault; ok is false
// when any is null.
func partsSum(c *[assay.NumViolentOffenses]assay.Num) (sum float64, ok bool) {
	if !c[assay.Violent].Valid {
		return 0, false
	}
	for _, o := range []assay.Offense{assay.Murder, assay.Rape, assay.Robbery, assay.AggravatedAssault} {
		if !c[o].Valid {
			return 0, false
		}
		sum += c[o].V
	}
	return sum, true
}

// rNumber is a number as R's write.csv prints it: plain decimals, and
// scientific notation where that is shorter (Seattle's 1977 population is
// "5e+05").
var rNumber = regexp.MustCompile(`^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$`)

// rNum reads a number written by R: NA (or blank) is null.
func rNum(s string) (assay.Num, error) {
	t := strings.TrimSpace(s)
	if t == "" || t == "NA" {
		return assay.Null, nil
	}
	if !rNumber.MatchString(t) {
		return assay.Null, fmt.Errorf("%q is not a number", s)
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return assay.Null, fmt.Errorf("%q is not a number", s)
	}
	return assay.Some(v), nil
}

// naText is a text cell with R's NA as empty.
func naText(s string) string {
	if s == "NA" {
		return ""
	}
	return s
}
