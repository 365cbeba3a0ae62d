package schema

import (
	"context"
	"fmt"
	"sync"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/parallel"
)

var sourceDef = def[assay.Source]{
	name: "source",
	doc:  "One row per raw input file: its checksum and how its rows were accounted for (rows_read = rows_loaded + rows_skipped).",
	fields: []field[assay.Source]{
		textCol("path", "file path relative to the data directory", func(s *assay.Source) *string { return &s.Path }),
		textCol("sha256", "SHA-256 of the file's bytes", func(s *assay.Source) *string { return &s.SHA256 }),
		textCol("publisher", "original publisher", func(s *assay.Source) *string { return &s.Publisher }),
		textCol("kind", "what the file holds (table6, delineation, national_crime, ...)", func(s *assay.Source) *string { return &s.Kind }),
		intCol("year", "data year; 0 for multi-year files", func(s *assay.Source) *int { return &s.Year }),
		intCol("rows_read", "physical rows read", func(s *assay.Source) *int { return &s.RowsRead }),
		intCol("rows_loaded", "rows that contributed to loaded records", func(s *assay.Source) *int { return &s.RowsLoaded }),
		intCol("rows_skipped", "rows not loaded; each has a skipped line in audit", func(s *assay.Source) *int { return &s.RowsSkipped }),
	},
}

var auditDef = def[assay.AuditEntry]{
	name: "audit",
	doc:  "Every input row that did not simply load: skipped (not loaded, with the reason) or flagged (loaded with a caveat).",
	fields: []field[assay.AuditEntry]{
		textCol("source", "file path relative to the data directory", func(a *assay.AuditEntry) *string { return &a.Source }),
		intCol("row", "1-based row in the file; 0 for the file as a whole", func(a *assay.AuditEntry) *int { return &a.Row }),
		textCol("action", "skipped or flagged", func(a *assay.AuditEntry) *string { return (*string)(&a.Action) }),
		textCol("reason", "short stable reason key", func(a *assay.AuditEntry) *string { return &a.Reason }),
		textCol("detail", "what a person needs to act on it", func(a *assay.AuditEntry) *string { return &a.Detail }),
	},
}

// offenseCols gives one column per offence for a per-offence array field.
func offenseCols[T any](suffix, doc string, p func(*T) *[assay.NumOffenses]assay.Num) []field[T] {
	return offenseColsOf(assay.Offenses(), suffix, doc, func(r *T, o assay.Offense) *assay.Num { return &p(r)[o] })
}

// violentCols gives one column per violent offence (violent crime and its
// four parts) for an array field that holds those only.
func violentCols[T any](suffix, doc string, p func(*T) *[assay.NumViolentOffenses]assay.Num) []field[T] {
	return offenseColsOf(assay.Offenses()[:assay.NumViolentOffenses], suffix, doc, func(r *T, o assay.Offense) *assay.Num { return &p(r)[o] })
}

func offenseColsOf[T any](offenses []assay.Offense, suffix, doc string, p func(*T, assay.Offense) *assay.Num) []field[T] {
	out := make([]field[T], 0, len(offenses))
	for _, o := range offenses {
		out = append(out, numCol(o.Key()+"_"+suffix, o.Key()+": "+doc,
			func(r *T) *assay.Num { return p(r, o) }))
	}
	return out
}

func concat[T any](parts ...[]field[T]) []field[T] {
	var out []field[T]
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var crimeDef = def[assay.CrimeRecord]{
	name: "crime_metro_year",
	doc:  "FBI Crime in the United States Table 6: one row per MSA or metropolitan division (kind) and year. NULL counts and rates were left blank (suppressed) by the FBI.",
	fields: concat(
		[]field[assay.CrimeRecord]{
			intCol("year", "data year", func(r *assay.CrimeRecord) *int { return &r.Year }),
			textCol("kind", "msa or md (metropolitan division, inside its MSA: never add to the MSA)", func(r *assay.CrimeRecord) *string { return (*string)(&r.Kind) }),
			textCol("name", "clean name (footnote markers and M.S.A./M.D. suffix removed)", func(r *assay.CrimeRecord) *string { return &r.Name }),
			textCol("cbsa", "CBSA code (for an M.D., the metropolitan division code); NULL when unmatched", func(r *assay.CrimeRecord) *string { return &r.CBSA }),
			textCol("cbsa_title", "OMB title of the matched code", func(r *assay.CrimeRecord) *string { return &r.CBSATitle }),
			textCol("cbsa_match", "how the name was matched: exact, normalized, reordered, alias, first_city, fuzzy; NULL when unmatched", func(r *assay.CrimeRecord) *string { return &r.Match }),
			textCol("published_name", "name cell as published", func(r *assay.CrimeRecord) *string { return &r.PublishedName }),
			textCol("parent", "for an M.D., the clean name of its MSA", func(r *assay.CrimeRecord) *string { return &r.Parent }),
			listCol("states", "two-letter state codes from the name, comma-separated", func(r *assay.CrimeRecord) *[]string { return &r.States }),
			numCol("population", "population covered by the MSA or M.D.", func(r *assay.CrimeRecord) *assay.Num { return &r.Population }),
			numCol("coverage", "share of the population in agencies reporting, 0..1", func(r *assay.CrimeRecord) *assay.Num { return &r.Coverage }),
			textCol("rape_definition", "legacy, mixed (2013-2016) or revised: violent crime is not strictly comparable across a change", func(r *assay.CrimeRecord) *string { return (*string)(&r.RapeDefinition) }),
		},
		offenseCols("rate", "rate per 100,000 inhabitants as published", func(r *assay.CrimeRecord) *[assay.NumOffenses]assay.Num { return &r.Rate }),
		offenseCols("reported", "count, total area actually reporting", func(r *assay.CrimeRecord) *[assay.NumOffenses]assay.Num { return &r.Reported }),
		offenseCols("estimated", "count, estimated total (published only below 100% coverage)", func(r *assay.CrimeRecord) *[assay.NumOffenses]assay.Num { return &r.Estimated }),
		suppressedCols(),
		[]field[assay.CrimeRecord]{
			listCol("footnotes", "footnote markers glued to the published name", func(r *assay.CrimeRecord) *[]string { return &r.Footnotes }),
			textCol("counties", "the Includes ... line as published", func(r *assay.CrimeRecord) *string { return &r.Counties }),
			textCol("source", "file path relative to the data directory", func(r *assay.CrimeRecord) *string { return &r.Source }),
			intCol("row", "1-based row of the block's name row", func(r *assay.CrimeRecord) *int { return &r.Row }),
		},
	),
}

// suppressedCols are the FBI's blanks as flags, derived from the NULL rates,
// so a query need not know that NULL means suppressed here.
func suppressedCols() []field[assay.CrimeRecord] {
	out := make([]field[assay.CrimeRecord], 0, assay.NumOffenses)
	for _, o := range assay.Offenses() {
		col := assay.Column{Name: o.Key() + "_suppressed", Type: assay.Bool, Doc: o.Key() + ": rate left blank by the FBI"}
		out = append(out, derivedCol(col, func(r *assay.CrimeRecord) any { return r.Suppressed(o) }))
	}
	return out
}

var cityDef = def[assay.CityRecord]{
	name: "crime_city_year",
	doc:  "Principal-city rows inside FBI Table 6 blocks: offence counts as reported.",
	fields: concat(
		[]field[assay.CityRecord]{
			intCol("year", "data year", func(r *assay.CityRecord) *int { return &r.Year }),
			textCol("area", "clean name of the MSA or M.D. block the city sits in", func(r *assay.CityRecord) *string { return &r.Area }),
			textCol("name", "clean city name", func(r *assay.CityRecord) *string { return &r.Name }),
			textCol("published", "city cell as published", func(r *assay.CityRecord) *string { return &r.Published }),
			listCol("footnotes", "footnote markers glued to the city name", func(r *assay.CityRecord) *[]string { return &r.Footnotes }),
			numCol("population", "city population", func(r *assay.CityRecord) *assay.Num { return &r.Population }),
		},
		offenseCols("count", "count as reported; NULL when blank", func(r *assay.CityRecord) *[assay.NumOffenses]assay.Num { return &r.Counts }),
		[]field[assay.CityRecord]{
			textCol("source", "file path relative to the data directory", func(r *assay.CityRecord) *string { return &r.Source }),
			intCol("row", "1-based row", func(r *assay.CityRecord) *int { return &r.Row }),
		},
	),
}

var nationalDef = def[assay.NationalCrime]{
	name: "crime_national_year",
	doc:  "U.S. national estimated offence counts and rates, one row per source file and year (sources disagree slightly; see the reconciliation).",
	fields: concat(
		[]field[assay.NationalCrime]{
			textCol("source", "file path relative to the data directory", func(r *assay.NationalCrime) *string { return &r.Source }),
			intCol("year", "data year", func(r *assay.NationalCrime) *int { return &r.Year }),
			numCol("population", "U.S. population as the source gives it", func(r *assay.NationalCrime) *assay.Num { return &r.Population }),
		},
		offenseCols("count", "estimated count", func(r *assay.NationalCrime) *[assay.NumOffenses]assay.Num { return &r.Counts }),
		offenseCols("rate", "rate per 100,000 (published, or count/population where the source has none)", func(r *assay.NationalCrime) *[assay.NumOffenses]assay.Num { return &r.Rate }),
		[]field[assay.NationalCrime]{
			numCol("rape_legacy_count", "rape, legacy definition, where published", func(r *assay.NationalCrime) *assay.Num { return &r.RapeLegacy }),
			numCol("rape_revised_count", "rape, revised definition, where published", func(r *assay.NationalCrime) *assay.Num { return &r.RapeRevised }),
			numCol("rape_legacy_rate", "rape rate, legacy definition, where published", func(r *assay.NationalCrime) *assay.Num { return &r.RapeLegacyRate }),
			numCol("rape_revised_rate", "rape rate, revised definition, where published", func(r *assay.NationalCrime) *assay.Num { return &r.RapeRevisedRate }),
			boolCol("rates_computed", "true when the source gives counts only and the rates are count / population x 100,000 (unrounded)", func(r *assay.NationalCrime) *bool { return &r.RatesComputed }),
			intCol("row", "1-based row", func(r *assay.NationalCrime) *int { return &r.Row }),
		},
	),
}

var nationalSeriesDef = def[assay.NationalFigure]{
	name: "crime_national_series",
	doc: "The U.S. national crime series analyses read: every national file's figure of every measure and year, with exactly one chosen per measure and year " +
		"(the figure most other files confirm within rounding; ties: the FBI's own .xls, then the file covering the measure in the most years, then the path). " +
		"agrees marks the figures within rounding of the chosen one.",
	fields: []field[assay.NationalFigure]{
		textCol("measure", "the crime_national_year column: population, violent_count, murder_rate, rape_legacy_count, ...", func(r *assay.NationalFigure) *string { return &r.Measure }),
		intCol("year", "data year", func(r *assay.NationalFigure) *int { return &r.Year }),
		numColOf("value", "the file's figure", func(r *assay.NationalFigure) *float64 { return &r.Value }),
		boolCol("chosen", "the figure analyses use (one per measure and year)", func(r *assay.NationalFigure) *bool { return &r.Chosen }),
		boolCol("agrees", "within rounding of the chosen figure", func(r *assay.NationalFigure) *bool { return &r.Agrees }),
		textCol("source", "file path relative to the data directory", func(r *assay.NationalFigure) *string { return &r.Source }),
		intCol("row", "1-based row in that file", func(r *assay.NationalFigure) *int { return &r.Row }),
	},
}

var agencyDef = def[assay.AgencyCrime]{
	name: "crime_agency_year",
	doc:  "Police agencies, one row per agency (ORI) and year, from The Marshall Project's panel of large-city agencies built from FBI UCR figures (1975-2015): cities, and a few county departments, never metro areas. Violent offences only. NULL is NA in the panel, never zero.",
	fields: concat(
		[]field[assay.AgencyCrime]{
			intCol("year", "data year", func(r *assay.AgencyCrime) *int { return &r.Year }),
			textCol("ori", "FBI originating agency identifier", func(r *assay.AgencyCrime) *string { return &r.ORI }),
			textCol("state", "two-letter state code, from the ORI (the FBI's NB is NE)", func(r *assay.AgencyCrime) *string { return &r.State }),
			textCol("agency", "department name as published (\"Columbus, Ohio\")", func(r *assay.AgencyCrime) *string { return &r.Agency }),
			numCol("population", "population the agency serves", func(r *assay.AgencyCrime) *assay.Num { return &r.Population }),
		},
		violentCols("count", "count; NULL when NA", func(r *assay.AgencyCrime) *[assay.NumViolentOffenses]assay.Num { return &r.Counts }),
		violentCols("rate", "rate per 100,000 as published (unrounded); NULL when NA", func(r *assay.AgencyCrime) *[assay.NumViolentOffenses]assay.Num { return &r.Rate }),
		[]field[assay.AgencyCrime]{
			numCol("months_reported", "months of the year the agency reported; NULL when NA (every row of 2015)", func(r *assay.AgencyCrime) *assay.Num { return &r.MonthsReported }),
			textCol("published_in", "where the compiler took the year's figures from, when not the FBI's agency files", func(r *assay.AgencyCrime) *string { return &r.PublishedIn }),
			textCol("url", "address of that publication", func(r *assay.AgencyCrime) *string { return &r.URL }),
			textCol("source", "file path relative to the data directory", func(r *assay.AgencyCrime) *string { return &r.Source }),
			intCol("row", "1-based row", func(r *assay.AgencyCrime) *int { return &r.Row }),
		},
	),
}

var outlineDef = def[assay.Outline]{
	name: "outline",
	doc: "Map shapes: the nation, each state and each county as SVG path data in one 975x610 frame (Albers USA with Alaska and Hawaii as insets), " +
		"from us-atlas 3.0.1's counties file (© Mike Bostock, ISC licence; Census Bureau cartographic boundaries), simplified to 0.5 px. Join counties to metros with cbsa_county.fips.",
	fields: []field[assay.Outline]{
		textCol("kind", "nation, state or county", func(r *assay.Outline) *string { return (*string)(&r.Kind) }),
		textCol("id", "FIPS code: two digits for a state, five for a county; NULL for the nation", func(r *assay.Outline) *string { return &r.ID }),
		textCol("name", "name as published", func(r *assay.Outline) *string { return &r.Name }),
		textCol("path", "SVG path data, rings closed, drawn with fill-rule evenodd", func(r *assay.Outline) *string { return &r.Path }),
	},
}

// countyRow is one county of one delineation, the flat form of the nested
// assay.Delineation, as OMB publishes it.
type countyRow struct {
	Vintage, Source, CBSA, Title string
	Metro                        bool
	CSA, CSATitle, DivisionTitle string
	assay.County                 // its Division is the metropolitan division code
}

var countyDef = def[countyRow]{
	name: "cbsa_county",
	doc:  "OMB delineations: one row per county of a core-based statistical area, per vintage.",
	fields: []field[countyRow]{
		textCol("vintage", "delineation vintage (YYYY-MM)", func(r *countyRow) *string { return &r.Vintage }),
		textCol("cbsa", "CBSA code", func(r *countyRow) *string { return &r.CBSA }),
		textCol("cbsa_title", "CBSA title", func(r *countyRow) *string { return &r.Title }),
		boolCol("metro", "metropolitan (true) or micropolitan", func(r *countyRow) *bool { return &r.Metro }),
		textCol("csa", "combined statistical area code", func(r *countyRow) *string { return &r.CSA }),
		textCol("csa_title", "combined statistical area title", func(r *countyRow) *string { return &r.CSATitle }),
		textCol("division", "metropolitan division code", func(r *countyRow) *string { return &r.Division }),
		textCol("division_title", "metropolitan division title", func(r *countyRow) *string { return &r.DivisionTitle }),
		textCol("fips", "five-digit county FIPS code", func(r *countyRow) *string { return &r.FIPS }),
		textCol("county", "county name", func(r *countyRow) *string { return &r.Name }),
		textCol("state", "state name", func(r *countyRow) *string { return &r.State }),
		boolCol("central", "central (true) or outlying county", func(r *countyRow) *bool { return &r.Central }),
		textCol("source", "file path relative to the data directory", func(r *countyRow) *string { return &r.Source }),
	},
}

func flattenDelineations(ds []assay.Delineation) []countyRow {
	var rows []countyRow
	for _, d := range ds {
		for _, c := range d.CBSAs {
			for _, k := range c.Counties {
				rows = append(rows, countyRow{
					Vintage: d.Vintage, Source: d.Source, CBSA: c.Code, Title: c.Title, Metro: c.Metro,
					CSA: c.CSA, CSATitle: c.CSATitle, DivisionTitle: c.Divisions[k.Division], County: k,
				})
			}
		}
	}
	return rows
}

// nestDelineations rebuilds the delineations, keeping the order in which
// vintages and CBSAs first appear.
func nestDelineations(rows []countyRow) ([]assay.Delineation, error) {
	var out []assay.Delineation
	vIdx := map[string]int{}
	cIdx := map[[2]string]int{}
	for i, r := range rows {
		vi, ok := vIdx[r.Vintage]
		if !ok {
			vi = len(out)
			vIdx[r.Vintage] = vi
			out = append(out, assay.Delineation{Vintage: r.Vintage, Source: r.Source})
		}
		d := &out[vi]
		key := [2]string{r.Vintage, r.CBSA}
		ci, ok := cIdx[key]
		if !ok {
			ci = len(d.CBSAs)
			cIdx[key] = ci
			d.CBSAs = append(d.CBSAs, assay.CBSA{Code: r.CBSA, Title: r.Title, Metro: r.Metro, Vintage: r.Vintage, CSA: r.CSA, CSATitle: r.CSATitle})
		}
		c := &d.CBSAs[ci]
		if c.Title != r.Title || c.Metro != r.Metro || c.CSA != r.CSA {
			return nil, fmt.Errorf("table cbsa_county row %d: CBSA %s (%s) disagrees with an earlier row on title, metro status or CSA", i+1, r.CBSA, r.Vintage)
		}
		if r.Division != "" {
			if c.Divisions == nil {
				c.Divisions = map[string]string{}
			}
			c.Divisions[r.Division] = r.DivisionTitle
		}
		c.Counties = append(c.Counties, r.County)
	}
	return out, nil
}

// InfoTable names the table of facts about the dataset as a whole, which
// every decode reads first.
const InfoTable = "dataset_info"

// info is one key of the dataset_info table.
type info struct{ Key, Value, Doc string }

var infoDef = def[info]{
	name: InfoTable,
	doc:  "Facts about the dataset as a whole, one per key.",
	fields: []field[info]{
		textCol("key", "what the value is", func(r *info) *string { return &r.Key }),
		textCol("value", "its value", func(r *info) *string { return &r.Value }),
		textCol("doc", "what it means", func(r *info) *string { return &r.Doc }),
	},
}

// Version is the layout of the tables; a warehouse of another version is
// rebuilt, not read.
const Version = "3"

func infoRows(ds *assay.Dataset) []info {
	return []info{
		{"schema_version", Version, "layout of these tables; assay reads only warehouses of its own version"},
		{"vintage", ds.Vintage, "OMB delineation vintage of every CBSA code: FBI names were matched to it and county data summed into it"},
	}
}

// cbsaDef is a convenience view of the delineations: one row per CBSA.
var cbsaDef = def[assay.CBSA]{
	name: "cbsa",
	doc:  "OMB delineations: one row per core-based statistical area per vintage (counties in cbsa_county).",
	fields: []field[assay.CBSA]{
		textCol("vintage", "delineation vintage (YYYY-MM)", func(c *assay.CBSA) *string { return &c.Vintage }),
		textCol("cbsa", "CBSA code", func(c *assay.CBSA) *string { return &c.Code }),
		textCol("cbsa_title", "CBSA title", func(c *assay.CBSA) *string { return &c.Title }),
		boolCol("metro", "metropolitan (true) or micropolitan", func(c *assay.CBSA) *bool { return &c.Metro }),
		textCol("csa", "combined statistical area code", func(c *assay.CBSA) *string { return &c.CSA }),
		textCol("csa_title", "combined statistical area title", func(c *assay.CBSA) *string { return &c.CSATitle }),
		derivedCol(assay.Column{Name: "counties", Type: assay.Int, Doc: "number of counties"}, func(c *assay.CBSA) any { return int64(len(c.Counties)) }),
		derivedCol(assay.Column{Name: "divisions", Type: assay.Int, Doc: "number of metropolitan divisions"}, func(c *assay.CBSA) any { return int64(len(c.Divisions)) }),
	},
}

func allCBSAs(ds []assay.Delineation) []assay.CBSA {
	var out []assay.CBSA
	for _, d := range ds {
		for _, c := range d.CBSAs {
			c.Vintage = d.Vintage
			out = append(out, c)
		}
	}
	return out
}

// Tables converts a dataset to its tables, in a fixed order. The cbsa table
// is derived from cbsa_county and is not read back; metro_year, the panel,
// is read back by linking each row to the records it was built from.
func Tables(ds *assay.Dataset) []assay.Table {
	return []assay.Table{
		infoDef.encode(infoRows(ds)),
		sourceDef.encode(ds.Sources),
		auditDef.encode(ds.Audit),
		cbsaDef.encode(allCBSAs(ds.Delineations)),
		countyDef.encode(flattenDelineations(ds.Delineations)),
		crimeDef.encode(ds.Crime),
		cityDef.encode(ds.Cities),
		nationalDef.encode(ds.National),
		nationalSeriesDef.encode(ds.NationalSeries),
		agencyDef.encode(ds.Agencies),
		variableDef.encode(ds.Variables),
		countyNativityDef.encode(ds.CountyNativity),
		metroNativityDef.encode(ds.MetroNativity),
		nationalOriginDef.encode(ds.NationalOrigins),
		nationalNativityDef.encode(ds.NationalNativity),
		originGroupDef.encode(ds.OriginGroups),
		originCountDef.encode(ds.OriginCounts),
		metroYearDef.encode(ds.Panel.Obs),
		outlineDef.encode(ds.Outlines),
	}
}

// Columns returns the columns of a named table, for readers of stored
// tables (the snapshot's CSV) that need the types back.
func Columns(table string) ([]assay.Column, bool) {
	t, ok := Empty(table)
	return t.Columns, ok
}

// Empty returns a named table with its doc and columns and no rows.
func Empty(table string) (assay.Table, bool) {
	for _, t := range emptyTables() {
		if t.Name == table {
			return t, true
		}
	}
	return assay.Table{}, false
}

var emptyTables = sync.OnceValue(func() []assay.Table { return Tables(&assay.Dataset{}) })

// Decode rebuilds a dataset from its tables (a warehouse's). Every table
// Tables writes must be present.
func Decode(tables []assay.Table) (*assay.Dataset, error) {
	src := source{tables: map[string]assay.Table{}}
	for _, t := range tables {
		src.tables[t.Name] = t
	}
	return decodeSource(src)
}

// DecodeCSV rebuilds a dataset from its tables as CSV text (the
// snapshot's files, by table name), reading each cell straight into its
// field. Every table Tables writes must be present.
func DecodeCSV(files map[string]string) (*assay.Dataset, error) {
	return decodeSource(source{csv: files})
}

// DecodeSomeCSV rebuilds the part of a dataset its tables give, for a
// command that needs a few of them: the fields of the tables left out stay
// empty. dataset_info is required; metro_year, the panel, needs the tables
// its rows link to (crime_metro_year, acs_metro_nativity, acs_metro_origin).
func DecodeSomeCSV(files map[string]string) (*assay.Dataset, error) {
	return decodeSource(source{csv: files, partial: true})
}

// source holds a dataset's stored tables, as cells or as CSV text.
type source struct {
	tables  map[string]assay.Table
	csv     map[string]string
	partial bool // tables may be missing (DecodeSomeCSV)
}

func (s source) has(name string) bool {
	_, t := s.tables[name]
	_, c := s.csv[name]
	return t || c
}

func decodeTable[T any](s source, d *def[T]) ([]T, error) {
	if !s.has(d.name) {
		return nil, nil
	}
	if b, ok := s.csv[d.name]; ok {
		return d.decodeCSV(d.name+".csv", b)
	}
	return d.decode(s.tables[d.name])
}

// decodeSource decodes every table, at once, then links what refers to
// other tables: delineations nest their counties, the panel its records.
func decodeSource(src source) (*assay.Dataset, error) {
	for _, want := range emptyTables() {
		if !src.has(want.Name) && (!src.partial || want.Name == infoDef.name) {
			return nil, fmt.Errorf("table %s is missing", want.Name)
		}
	}
	if src.partial && src.has(metroYearDef.name) {
		for _, need := range []string{crimeDef.name, metroNativityDef.name, originCountDef.name} {
			if !src.has(need) {
				return nil, fmt.Errorf("table %s links to table %s, which is missing", metroYearDef.name, need)
			}
		}
	}
	ds := &assay.Dataset{}
	infos, err := decodeTable(src, &infoDef)
	if err != nil {
		return nil, err
	}
	for _, i := range infos {
		switch i.Key {
		case "schema_version":
			if i.Value != Version {
				return nil, fmt.Errorf("tables of schema version %s; this assay reads version %s (rebuild with assay ingest)", i.Value, Version)
			}
		case "vintage":
			ds.Vintage = i.Value
		}
	}
	var (
		counties []countyRow
		keys     []panelKey
	)
	// Each step decodes one table into a field of its own.
	steps := []func() error{
		func() (err error) { ds.Sources, err = decodeTable(src, &sourceDef); return },
		func() (err error) { ds.Audit, err = decodeTable(src, &auditDef); return },
		func() (err error) { counties, err = decodeTable(src, &countyDef); return },
		func() (err error) { ds.Crime, err = decodeTable(src, &crimeDef); return },
		func() (err error) { ds.Cities, err = decodeTable(src, &cityDef); return },
		func() (err error) { ds.National, err = decodeTable(src, &nationalDef); return },
		func() (err error) { ds.NationalSeries, err = decodeTable(src, &nationalSeriesDef); return },
		func() (err error) { ds.Agencies, err = decodeTable(src, &agencyDef); return },
		func() (err error) { ds.Variables, err = decodeTable(src, &variableDef); return },
		func() (err error) { ds.CountyNativity, err = decodeTable(src, &countyNativityDef); return },
		func() (err error) { ds.MetroNativity, err = decodeTable(src, &metroNativityDef); return },
		func() (err error) { ds.NationalOrigins, err = decodeTable(src, &nationalOriginDef); return },
		func() (err error) { ds.NationalNativity, err = decodeTable(src, &nationalNativityDef); return },
		func() (err error) { ds.OriginGroups, err = decodeTable(src, &originGroupDef); return },
		func() (err error) { ds.OriginCounts, err = decodeTable(src, &originCountDef); return },
		func() (err error) { keys, err = decodeTable(src, &panelKeyDef); return },
		func() (err error) { ds.Outlines, err = decodeTable(src, &outlineDef); return },
	}
	if err := parallel.Do(context.Background(), len(steps), func(i int) error { return steps[i]() }, nil); err != nil {
		return nil, err
	}
	if ds.Delineations, err = nestDelineations(counties); err != nil {
		return nil, err
	}
	if err := linkPanel(ds, keys); err != nil {
		return nil, err
	}
	return ds, nil
}
