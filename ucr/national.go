package ucr

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
)

// NationalResult is one national-series file read.
type NationalResult struct {
	Layout  string // which publication's layout: LayoutRdatasets, LayoutMarshall, LayoutUCROnline, LayoutCIUSState
	Records []assay.NationalCrime
	Audit   []assay.AuditEntry
	// RowsRead == RowsLoaded + RowsSkipped, always.
	RowsRead, RowsLoaded, RowsSkipped int
}

// National-series layouts.
const (
	// LayoutRdatasets: R package usdatasets' us_crime_rates (Rdatasets CSV),
	// counts 1960-2019, no rates.
	LayoutRdatasets = "rdatasets"
	// LayoutMarshall: The Marshall Project's U.S. totals with counts and
	// unrounded rates, legacy and revised rape.
	LayoutMarshall = "marshall"
	// LayoutUCROnline: the UCR Data Online export "Estimated crime in
	// United States-Total" (preamble rows, counts only).
	LayoutUCROnline = "ucr_online"
	// LayoutCIUSState: CIUS Table 2/4 "by Region, Geographic Division, and
	// State", two years a table; only its United States Total rows load.
	LayoutCIUSState = "cius_state"
)

// More audit reason keys, for national series.
const (
	ReasonNote            = "note"              // skipped: notes, sources and download dates around the data
	ReasonNotNational     = "not_national"      // skipped: a region, division or state row
	ReasonPercentChange   = "percent_change"    // skipped: a CIUS "Percent change" row
	ReasonViolentSum      = "violent_sum"       // flagged: violent crime differs from the sum of its four offences
	ReasonRapeNotTotalled = "rape_not_totalled" // flagged: neither rape count published is the one inside violent crime
)

// nationalField is what a national-series column holds.
type nationalField int

const (
	natIgnore nationalField = iota
	natYear
	natArea
	natPopulation
	natLegacy
	natRevised
	natLegacyRate
	natRevisedRate
	// natRdatasetsRape is Rdatasets' forcible_rape: legacy-definition counts
	// through 2015, revised from 2016 (2015 is 91,261, the legacy estimate;
	// 2016 is 132,414, the revised one).
	natRdatasetsRape
	natCount // natCount + offence: its count
)

// natRate + offence: its rate per 100,000.
const natRate = natCount + nationalField(assay.NumOffenses)

func count(o assay.Offense) nationalField { return natCount + nationalField(o) }
func rate(o assay.Offense) nationalField  { return natRate + nationalField(o) }

// nationalLayout says how to recognise a layout's header and read its columns.
type nationalLayout struct {
	name     string
	isHeader func(cells []string) bool // cells normalised by normHeader
	columns  map[string]nationalField
	// rateBeside: a rate column sits right of each count column, headed
	// on the next row (CIUS tables).
	rateBeside bool
}

func has(cells []string, names ...string) bool {
	for _, n := range names {
		found := false
		for _, c := range cells {
			if c == n {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

var nationalLayouts = []nationalLayout{
	{
		name: LayoutRdatasets,
		isHeader: func(c []string) bool {
			return has(c, "year", "population", "violent", "forcible_rape", "vehicle_theft")
		},
		columns: map[string]nationalField{
			"year": natYear, "population": natPopulation, "violent": count(assay.Violent), "property": count(assay.Property),
			"murder": count(assay.Murder), "forcible_rape": natRdatasetsRape, "robbery": count(assay.Robbery),
			"aggravated_assault": count(assay.AggravatedAssault), "burglary": count(assay.Burglary),
			"larceny_theft": count(assay.LarcenyTheft), "vehicle_theft": count(assay.MotorVehicleTheft),
		},
	},
	{
		name:     LayoutMarshall,
		isHeader: func(c []string) bool { return has(c, "year", "state", "population", "violent.crime.total") },
		columns: func() map[string]nationalField {
			m := map[string]nationalField{
				"year": natYear, "state": natArea, "population": natPopulation,
				"legacy.rape.total": natLegacy, "revised.rape.total": natRevised,
				"legacy.rape.rate": natLegacyRate, "revised.rape.rate": natRevisedRate,
			}
			for o, n := range map[assay.Offense]string{
				assay.Violent: "violent.crime", assay.Murder: "murder.and.nonnegligent.manslaughter", assay.Robbery: "robbery",
				assay.AggravatedAssault: "aggravated.assault", assay.Property: "property.crime", assay.Burglary: "burglary",
				assay.LarcenyTheft: "larceny.theft", assay.MotorVehicleTheft: "motor.vehicle.theft",
			} {
				m[n+".total"], m[n+".rate"] = count(o), rate(o)
			}
			return m
		}(),
	},
	{
		name: LayoutUCROnline,
		isHeader: func(c []string) bool {
			return len(c) > 0 && c[0] == "year" && has(c, "population", "violent crime total")
		},
		columns: map[string]nationalField{
			"year": natYear, "population": natPopulation, "violent crime total": count(assay.Violent),
			"murder and nonnegligent manslaughter": count(assay.Murder), "legacy rape /": natLegacy, "revised rape /": natRevised,
			"robbery": count(assay.Robbery), "aggravated assault": count(assay.AggravatedAssault),
			"property crime total": count(assay.Property), "burglary": count(assay.Burglary),
			"larceny-theft": count(assay.LarcenyTheft), "motor vehicle theft": count(assay.MotorVehicleTheft),
		},
	},
	{
		name:     LayoutCIUSState,
		isHeader: func(c []string) bool { return len(c) > 1 && c[0] == "area" && c[1] == "year" },
		columns: map[string]nationalField{
			"area": natArea, "year": natYear, "population": natPopulation, "violent crime": count(assay.Violent),
			"murder and nonnegligent manslaughter": count(assay.Murder), "rape (revised definition)": natRevised,
			"rape (legacy definition)": natLegacy, "robbery": count(assay.Robbery), "aggravated assault": count(assay.AggravatedAssault),
			"property crime": count(assay.Property), "burglary": count(assay.Burglary), "larceny-theft": count(assay.LarcenyTheft),
			"motor vehicle theft": count(assay.MotorVehicleTheft),
		},
		rateBeside: true,
	},
}

// ReadNational reads a national-series file (CSV or .xls), telling its
// layout from its header row.
func ReadNational(path string) (*NationalResult, error) {
	return readFile("national", path, ParseNational)
}

// ParseNational reads a national-series file from r; name is recorded as
// the records' source.
func ParseNational(r io.Reader, name string) (*NationalResult, error) {
	p := &natParser{res: &NationalResult{}, legend: map[string]string{}}
	if err := parseGrid("national", name, r, &p.rowLog, p.parse); err != nil {
		return nil, err
	}
	p.res.Audit, p.res.RowsRead, p.res.RowsLoaded, p.res.RowsSkipped = p.audit, p.read, p.loaded, p.skipped
	return p.res, nil
}

type natParser struct {
	rowLog
	res    *NationalResult
	layout *nationalLayout
	cols   map[int]nationalField
	order  []int          // the keys of cols, in column order
	names  map[int]string // the keys of cols: the column's field as its heading names it
	years  int            // rows with a year: data rows, national or not
	area   string         // CIUS: the area of the row, carried down from the row that names it
	legend map[string]string
}

func normCells(r []string) []string {
	out := make([]string, len(r))
	for j, c := range r {
		h, _ := normHeader(c)
		out[j] = h
	}
	return out
}

func (p *natParser) parse(grid [][]string) error {
	i := 0
	for ; i < len(grid) && i < maxTitleRows && p.layout == nil; i++ {
		cells := normCells(grid[i])
		for k := range nationalLayouts {
			if nationalLayouts[k].isHeader(cells) {
				p.layout = &nationalLayouts[k]
				break
			}
		}
		switch {
		case p.layout != nil:
			if err := p.header(grid, i); err != nil {
				return err
			}
		case blankRow(grid[i]):
			p.skip(i+1, ReasonBlank, "")
		default:
			p.skip(i+1, ReasonTitle, rowText(grid[i]))
		}
	}
	if p.layout == nil {
		return rowErrorf(1, "not a national crime series this reader knows (Rdatasets us_crime_rates, The Marshall Project's U.S. totals, UCR Data Online's Estimated crime, CIUS by state): no header row in its first %d rows; row 1 reads %q",
			i, rowText(grid[0]))
	}
	p.res.Layout = p.layout.name
	if p.layout.rateBeside {
		i++ // the header's second row, consumed by header()
	}
	for ; i < len(grid); i++ {
		p.row(grid[i], i+1)
	}
	// A table whose years are all of states or regions is read, every row
	// skipped with its reason; one with no year at all is not a series.
	if p.years == 0 {
		return rowErrorf(len(grid), "no data rows after the header")
	}
	return p.close(p.legend)
}

// header maps the columns of the header at grid[i] (and, for CIUS tables,
// the rate headings on the row below).
func (p *natParser) header(grid [][]string, i int) error {
	p.cols = map[int]nationalField{}
	seen := map[nationalField]bool{}
	for j, c := range normCells(grid[i]) {
		f, ok := p.layout.columns[c]
		if !ok {
			continue
		}
		p.cols[j] = f
		seen[f] = true
		if p.layout.rateBeside && (f >= natCount || f == natLegacy || f == natRevised) {
			sub, _ := normHeader(cell(cellRow(grid, i+1), j+1))
			if !strings.HasPrefix(sub, "rate per") {
				return rowErrorf(i+2, "expected %q under the rate column beside %q (column %d)", "Rate per 100,000", c, j+2)
			}
			switch f {
			case natLegacy:
				p.cols[j+1] = natLegacyRate
			case natRevised:
				p.cols[j+1] = natRevisedRate
			default:
				p.cols[j+1] = f + natRate - natCount
			}
		}
	}
	var missing []string
	for name, f := range p.layout.columns {
		required := f != natArea && f != natLegacy && f != natRevised && f != natLegacyRate && f != natRevisedRate
		if required && !seen[f] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return rowErrorf(i+1, "%s header lacks the column(s) %s", p.layout.name, strings.Join(missing, ", "))
	}
	p.names = map[int]string{}
	for j, f := range p.cols {
		p.order = append(p.order, j)
		p.names[j] = p.fieldName(f)
	}
	sort.Ints(p.order)
	p.skip(i+1, ReasonHeader, "")
	if p.layout.rateBeside {
		p.skip(i+2, ReasonHeader, "rate headings")
	}
	return nil
}

func cellRow(grid [][]string, i int) []string {
	if i < len(grid) {
		return grid[i]
	}
	return nil
}

// natNum reads a number of a national series; "NA" (R's missing) is null.
func natNum(s string) (assay.Num, error) {
	if strings.EqualFold(strings.TrimSpace(s), "NA") {
		return assay.Null, nil
	}
	return parseNum(s)
}

// measure says what values a field's cells can take.
func (f nationalField) measure() measure {
	switch {
	case f == natPopulation:
		return populationOf
	case f >= natRate || f == natLegacyRate || f == natRevisedRate:
		return rateOf
	case f >= natCount || f == natLegacy || f == natRevised || f == natRdatasetsRape:
		return countOf
	}
	return anyValue
}

func (p *natParser) row(r []string, row int) {
	if blankRow(r) {
		p.skip(row, ReasonBlank, "")
		return
	}
	vals := map[nationalField]string{}
	for j, f := range p.cols {
		vals[f] = strings.TrimSpace(cell(r, j))
	}
	first := strings.TrimSpace(cell(r, 0))
	if first != "" && (first[0] >= '0' && first[0] <= '9' || first[0] == '*') && p.layout.rateBeside {
		if m := legendMarker.FindStringSubmatch(first); m != nil {
			p.legend[m[1]] = strings.TrimSpace(first[len(m[0]):])
		}
		p.skip(row, ReasonFootnoteLegend, rowText(r))
		return
	}
	if a, ok := vals[natArea]; ok && a != "" {
		p.area = a
	}
	y := vals[natYear]
	year, err := strconv.Atoi(y)
	if err != nil || year < 1900 || year > 2100 {
		switch {
		case strings.EqualFold(y, "percent change"):
			p.skip(row, ReasonPercentChange, p.area)
		case p.layout.rateBeside && strings.HasPrefix(strings.ToUpper(first), "NOTE"):
			p.skip(row, ReasonFootnoteLegend, rowText(r))
		case p.layout.rateBeside:
			p.skip(row, ReasonUnreadableYear, fmt.Sprintf("%s: year column reads %q: expected a year or \"Percent change\"", p.area, y))
		default:
			p.skip(row, ReasonNote, rowText(r))
		}
		return
	}
	p.years++
	if p.layout.name == LayoutMarshall && p.area != "All" || p.layout.rateBeside && !isUSTotal(p.area) {
		p.skip(row, ReasonNotNational, p.area)
		return
	}
	rec := assay.NationalCrime{Source: p.src, Row: row, Year: year}
	var legacy, revised, legacyRate, revisedRate assay.Num
	for _, j := range p.order {
		f := p.cols[j]
		if f == natYear || f == natArea {
			continue
		}
		v := p.number(row, field{"", y, j, p.names[j]}, cell(r, j), f.measure(), natNum)
		switch {
		case f == natPopulation:
			rec.Population = v
		case f >= natRate:
			rec.Rate[f-natRate] = v
		case f >= natCount:
			rec.Counts[f-natCount] = v
		case f == natLegacy:
			legacy = v
		case f == natRevised:
			revised = v
		case f == natLegacyRate:
			legacyRate = v
		case f == natRevisedRate:
			revisedRate = v
		case f == natRdatasetsRape && year <= 2015:
			legacy = v
		case f == natRdatasetsRape:
			revised = v
		}
	}
	rec.RapeLegacy, rec.RapeRevised = legacy, revised
	rec.RapeLegacyRate, rec.RapeRevisedRate = legacyRate, revisedRate
	if _, published := p.colFor(rate(assay.Violent)); !published {
		rec.RatesComputed = true
		for o := range assay.NumOffenses {
			rec.Rate[o] = perCapita(rec.Counts[o], rec.Population)
		}
		rec.RapeLegacyRate = perCapita(legacy, rec.Population)
		rec.RapeRevisedRate = perCapita(revised, rec.Population)
	}
	p.totalledRape(&rec)
	if !rec.RatesComputed {
		if gaps := rateGaps(rec.Counts[:], rec.Rate[:], rec.Population); len(gaps) > 0 {
			p.flag(row, ReasonRateMismatch, fmt.Sprintf("%d: %s", year, strings.Join(gaps, "; ")))
		}
	}
	if p.layout.rateBeside {
		_, fn := parseCityName(p.area)
		p.footnote(row, fn, "United States Total, ", y)
	}
	p.res.Records = append(p.res.Records, rec)
	p.loaded++
}

func isUSTotal(area string) bool {
	name, _ := parseCityName(area)
	return strings.EqualFold(name, "United States Total")
}

func (p *natParser) colFor(f nationalField) (int, bool) {
	for _, j := range p.order {
		if p.cols[j] == f {
			return j, true
		}
	}
	return 0, false
}

// fieldName names a field by its heading, or as the rate beside a heading.
func (p *natParser) fieldName(f nationalField) string {
	for name, g := range p.layout.columns {
		if g == f {
			return name
		}
	}
	switch {
	case f >= natRate:
		return assay.Offense(f-natRate).Key() + " rate"
	case f == natLegacyRate:
		return "legacy rape rate"
	}
	return "revised rape rate"
}

func perCapita(count, pop assay.Num) assay.Num {
	if !count.Valid || !pop.Valid || pop.V <= 0 {
		return assay.Null
	}
	return assay.Some(count.V / pop.V * 1e5)
}

// violentSumTolerance is the share of violent crime by which its four
// offences may miss it and still be taken as its parts (Rdatasets 2010 is
// 50 off in 1.25 million); a rape count of the other definition misses by
// some 2.5%.
const violentSumTolerance = 0.001

// totalledRape sets Counts[Rape] (and its rate) to the rape count that
// violent crime includes: revised or legacy, whichever violent minus
// murder, robbery and aggravated assault gives; null, flagged, when
// neither does.
func (p *natParser) totalledRape(rec *assay.NationalCrime) {
	type cand struct {
		n, r assay.Num
		def  assay.RapeDefinition
	}
	cands := []cand{{rec.RapeRevised, rec.RapeRevisedRate, assay.RapeRevised}, {rec.RapeLegacy, rec.RapeLegacyRate, assay.RapeLegacy}}
	v, m, rb, a := rec.Counts[assay.Violent], rec.Counts[assay.Murder], rec.Counts[assay.Robbery], rec.Counts[assay.AggravatedAssault]
	if !v.Valid || !m.Valid || !rb.Valid || !a.Valid {
		for _, c := range cands {
			if c.n.Valid {
				rec.Counts[assay.Rape], rec.Rate[assay.Rape] = c.n, c.r
				return
			}
		}
		return
	}
	implied := v.V - m.V - rb.V - a.V
	best := -1
	for k, c := range cands {
		if c.n.Valid && (best < 0 || math.Abs(c.n.V-implied) < math.Abs(cands[best].n.V-implied)) {
			best = k
		}
	}
	if best < 0 || math.Abs(cands[best].n.V-implied) > violentSumTolerance*v.V {
		var pub []string
		for _, c := range cands {
			if c.n.Valid {
				pub = append(pub, fmt.Sprintf("%s %s", c.def, c.n))
			}
		}
		p.flag(rec.Row, ReasonRapeNotTotalled, fmt.Sprintf("%d: violent crime includes %s rapes (violent - murder - robbery - aggravated assault); the file gives %s; rape left null",
			rec.Year, assay.Some(implied), strings.Join(pub, ", ")))
		return
	}
	c := cands[best]
	rec.Counts[assay.Rape], rec.Rate[assay.Rape] = c.n, c.r
	if c.n.V != implied {
		p.flag(rec.Row, ReasonViolentSum, fmt.Sprintf("%d: violent crime %s, its four offences (%s rape) sum to %s", rec.Year, v, c.def, assay.Some(v.V-implied+c.n.V)))
	}
}
