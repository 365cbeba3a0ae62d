package schema

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/panel"
)

// sample is an invented dataset touching every column kind: nulls, lists,
// derived flags, nested delineations.
func sample() *assay.Dataset {
	ds := sampleRecords()
	p, _, err := panel.Build(ds, ds.Vintage)
	if err != nil {
		panic(err)
	}
	ds.Panel = *p
	return ds
}

func sampleRecords() *assay.Dataset {
	rec := assay.CrimeRecord{
		Source: "ucr/t6/2012.csv", Row: 5, Year: 2012, Kind: assay.KindMSA,
		PublishedName: "Alpha, TX M.S.A.2, 5", Name: "Alpha, TX", States: []string{"TX"},
		Counties: "Includes Beta County", Footnotes: []string{"2", "5"},
		Population: assay.Some(168908), Coverage: assay.Some(0.916),
		RapeDefinition: assay.RapeLegacy, CBSA: "10180", CBSATitle: "Alpha, TX", Match: "exact",
	}
	rec.Rate[assay.Murder] = assay.Some(1.8)
	rec.Reported[assay.Murder] = assay.Some(3)
	rec.Estimated[assay.Murder] = assay.Some(3.5)
	md := assay.CrimeRecord{Source: "ucr/t6/2012.csv", Row: 40, Year: 2012, Kind: assay.KindMD,
		PublishedName: "Gamma, CA M.D.", Name: "Gamma, CA", Parent: "Delta-Gamma, CA", States: []string{"CA"},
		RapeDefinition: assay.RapeLegacy}
	nat := assay.NationalCrime{Source: "ucr/n.csv", Row: 2, Year: 1960, Population: assay.Some(179323175),
		RapeLegacy: assay.Some(17190), RapeLegacyRate: assay.Some(9.6), RatesComputed: true}
	nat.Counts[assay.Violent] = assay.Some(288460)
	city := assay.CityRecord{Source: "ucr/t6/2012.csv", Row: 7, Year: 2012, Area: "Alpha, TX", Name: "Alpha",
		Published: "City of Alpha3", Footnotes: []string{"3"}, Population: assay.Some(119886)}
	city.Counts[assay.Robbery] = assay.Some(127)
	agency := assay.AgencyCrime{Source: "ucr/city/panel.csv", Row: 9, Year: 1990, ORI: "TX00001", State: "TX", Agency: "Alpha, Texas",
		Population: assay.Some(119000), MonthsReported: assay.Some(11), PublishedIn: "Invented Bulletin", URL: "https://example.org/x"}
	agency.Counts[assay.Murder] = assay.Some(4)
	agency.Rate[assay.Murder] = assay.Some(4.0 / 119000 * 1e5)
	return &assay.Dataset{
		Vintage: "2013-02",
		Sources: []assay.Source{{Path: "ucr/t6/2012.csv", SHA256: "ab", Publisher: "FBI", Kind: "table6", Year: 2012,
			RowsRead: 10, RowsLoaded: 7, RowsSkipped: 3}},
		Audit: []assay.AuditEntry{{Source: "ucr/t6/2012.csv", Row: 1, Action: assay.Skipped, Reason: "title", Detail: "Table 6"}},
		Delineations: []assay.Delineation{{Vintage: "2013-02", Source: "geo/list1.xls", CBSAs: []assay.CBSA{
			{Code: "10180", Title: "Alpha, TX", Metro: true, Vintage: "2013-02", Counties: []assay.County{
				{FIPS: "48059", Name: "Beta County", State: "Texas", Central: true},
				{FIPS: "48253", Name: "Epsilon County", State: "Texas"},
			}},
			{Code: "31080", Title: "Delta-Gamma, CA", Metro: true, Vintage: "2013-02", CSA: "348", CSATitle: "Delta-Gamma-Eta, CA CSA",
				Divisions: map[string]string{"31084": "Gamma, CA"},
				Counties:  []assay.County{{FIPS: "06037", Name: "Zeta County", State: "California", Central: true, Division: "31084"}}},
		}}},
		Crime:    []assay.CrimeRecord{rec, md},
		Cities:   []assay.CityRecord{city},
		National: []assay.NationalCrime{nat},
		Agencies: []assay.AgencyCrime{agency},
		Variables: []assay.ACSVariable{{Source: "acs/map.csv", Table: "B05006", Year: 2012, Product: "acs1",
			Variable: "B05006_140", Label: "Total!!Americas!!Latin America!!Central America!!El Salvador"}},
		CountyNativity: []assay.CountyNativity{{Source: "acs/c.csv", Row: 2, Period: "2008-2012", FIPS: "48059", Name: "Beta County, Texas",
			Total: est(1000, 0, ""), Native: est(900, 0, ""), ForeignBorn: est(100, 0, "")}},
		MetroNativity: []assay.MetroNativity{{CBSA: "10180", Title: "Alpha, TX", Vintage: "2013-02", Period: "2008-2012",
			Total: est(1000, 0, ""), ForeignBorn: est(100, 0, ""), Share: est(0.1, 0, ""), Counties: []string{"48059", "48253"}}},
		NationalOrigins: []assay.NationalOrigin{{Source: "acs/s.csv", Row: 3, Year: 2009, PopGroup: "001", PopGroupLabel: "Total population",
			Total: assay.Estimate{Value: assay.Some(307006556), Annotation: "", MOEAnnotation: "*****"}}},
		OriginCounts: []assay.OriginCount{{Source: "SYNTHETIC_x.json", Year: 2017, Product: "acs1", GeoID: "10180", Name: "SYNTHETIC Alpha",
			Group: "ntca", Count: est(500, 120, ""), Population: est(100000, 0, "-555555555"), Share: est(0.005, 0.0012, ""), Synthetic: true}},
	}
}

func est(v, moe float64, moeNote string) assay.Estimate {
	e := assay.Estimate{Value: assay.Some(v), MOE: assay.Some(moe), MOEAnnotation: moeNote}
	if moeNote != "" {
		e.MOE = assay.Null
	}
	return e
}

func TestRoundTrip(t *testing.T) {
	want := sample()
	tables := Tables(want)
	// Through text as well, the way the snapshot stores cells.
	for ti := range tables {
		for ri, row := range tables[ti].Rows {
			for ci, cell := range row {
				s, err := FormatCell(cell)
				if err != nil {
					t.Fatal(err)
				}
				back, err := ParseCell(tables[ti].Columns[ci].Type, s)
				if err != nil {
					t.Fatalf("%s row %d col %s: %v", tables[ti].Name, ri, tables[ti].Columns[ci].Name, err)
				}
				tables[ti].Rows[ri][ci] = back
			}
		}
	}
	got, err := Decode(tables)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got, want)
	}
}

func TestDerivedSuppressedFlags(t *testing.T) {
	tab := table(t, Tables(sample()), "crime_metro_year")
	col := map[string]int{}
	for i, c := range tab.Columns {
		col[c.Name] = i
	}
	row := tab.Rows[0]
	if row[col["murder_suppressed"]] != false || row[col["violent_suppressed"]] != true {
		t.Errorf("suppressed flags: murder %v violent %v", row[col["murder_suppressed"]], row[col["violent_suppressed"]])
	}
	if row[col["violent_rate"]] != nil {
		t.Errorf("a suppressed rate must be NULL, got %v", row[col["violent_rate"]])
	}
}

func table(t *testing.T, ts []assay.Table, name string) assay.Table {
	t.Helper()
	for _, tab := range ts {
		if tab.Name == name {
			return tab
		}
	}
	t.Fatalf("no table %s", name)
	return assay.Table{}
}

func TestCBSATable(t *testing.T) {
	tab := table(t, Tables(sample()), "cbsa")
	if len(tab.Rows) != 2 || tab.Rows[1][1] != "31080" || tab.Rows[1][6] != int64(1) || tab.Rows[1][7] != int64(1) {
		t.Errorf("cbsa rows %v", tab.Rows)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func([]assay.Table) []assay.Table
	}{
		{"missing table", func(ts []assay.Table) []assay.Table { return ts[1:] }},
		{"missing column", func(ts []assay.Table) []assay.Table {
			ts[0].Columns = ts[0].Columns[1:]
			for i := range ts[0].Rows {
				ts[0].Rows[i] = ts[0].Rows[i][1:]
			}
			return ts
		}},
		{"wrong cell type", func(ts []assay.Table) []assay.Table { ts[1].Rows[0][4] = "2012"; return ts }},
		{"inconsistent cbsa title", func(ts []assay.Table) []assay.Table { ts[4].Rows[1][2] = "Other"; return ts }},
		{"other schema version", func(ts []assay.Table) []assay.Table { ts[0].Rows[0][1] = "0"; return ts }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Decode(tc.mutate(Tables(sample()))); err == nil {
				t.Error("want an error")
			}
		})
	}
}

func TestCellText(t *testing.T) {
	tests := []struct {
		typ  assay.ColumnType
		cell any
		text string
	}{
		{assay.Float, 3200000.0, "3200000"},
		{assay.Float, 0.939, "0.939"},
		{assay.Float, 1.0 / 3, "0.3333333333333333"},
		{assay.Int, int64(-12), "-12"},
		{assay.Bool, true, "true"},
		{assay.Text, "a,b \"c\"", "a,b \"c\""},
		{assay.Float, nil, ""},
	}
	for _, tc := range tests {
		s, err := FormatCell(tc.cell)
		if err != nil || s != tc.text {
			t.Errorf("FormatCell(%v) = %q, %v; want %q", tc.cell, s, err, tc.text)
		}
		back, err := ParseCell(tc.typ, s)
		if err != nil || back != tc.cell {
			t.Errorf("ParseCell(%s, %q) = %v, %v; want %v", tc.typ, s, back, err, tc.cell)
		}
	}
	if _, err := ParseCell(assay.Int, "1.5"); err == nil {
		t.Error("ParseCell(BIGINT, 1.5): want an error")
	}
}

func FuzzParseCell(f *testing.F) {
	for _, s := range []string{"", "0", "-1.5", "1e300", "true", "NaN", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, typ := range []assay.ColumnType{assay.Text, assay.Int, assay.Float, assay.Bool} {
			v, err := ParseCell(typ, s)
			if err != nil {
				continue
			}
			text, err := FormatCell(v)
			if err != nil {
				t.Fatalf("%s %q: parsed to %v but cannot format: %v", typ, s, v, err)
			}
			again, err := ParseCell(typ, text)
			if err != nil {
				t.Fatalf("%s %q: formatted %q does not parse: %v", typ, s, text, err)
			}
			if f, ok := v.(float64); ok && math.IsNaN(f) {
				continue
			}
			if again != v {
				t.Fatalf("%s %q: %v -> %q -> %v", typ, s, v, text, again)
			}
		}
	})
}

// fill sets every field of v, recursively, to a non-zero value, so that a
// field the schema forgets to store fails the round trip below. Strings are
// all "x" so that fields that must agree (a county's division and its CBSA's
// division map, a delineation's vintage and its CBSAs') do.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Int:
		v.SetInt(7)
	case reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i))
		}
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i))
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0))
		v.Set(s)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem())
		v.Set(p)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k)
		fill(e)
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}

// TestEveryFieldStored round-trips a dataset in which every field of every
// record is set: a field added to a record type without a column fails here.
func TestEveryFieldStored(t *testing.T) {
	var ds assay.Dataset
	fill(reflect.ValueOf(&ds).Elem())
	// Fields that hold a fixed code in the data: keep them decodable.
	ds.Audit[0].Action = assay.Flagged
	// The panel links metro counts, which are at the cbsa level.
	ds.OriginCounts[0].Level = "cbsa"
	ds.Panel.Obs[0].Origins[0].Level = "cbsa"
	got, err := Decode(Tables(&ds))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &ds) {
		t.Errorf("fields lost in the round trip:\n got %+v\nwant %+v", got, &ds)
	}
	fromCSV, err := DecodeCSV(csvFiles(t, Tables(&ds)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromCSV, &ds) {
		t.Errorf("fields lost in the round trip through CSV:\n got %+v\nwant %+v", fromCSV, &ds)
	}
}

func TestMetroYear(t *testing.T) {
	tab := table(t, Tables(sample()), "metro_year")
	col := map[string]int{}
	for i, c := range tab.Columns {
		col[c.Name] = i
	}
	if len(tab.Rows) != 1 {
		t.Fatalf("%d rows, want 1 (the matched MSA of 2012 with its 2008-2012 share)", len(tab.Rows))
	}
	row := tab.Rows[0]
	for name, want := range map[string]any{"cbsa": "10180", "year": int64(2012), "fbi_name": "Alpha, TX", "murder_rate": 1.8,
		"murder_count": 3.5, "violent_rate": nil, "fb_period": "2008-2012", "fb_share": 0.1, "population": 168908.0} {
		if got := row[col[name]]; got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

// TestAgencyTable checks the agency table's offence columns: the panel has
// violent offences only, so no property column stands empty.
func TestAgencyTable(t *testing.T) {
	tab := table(t, Tables(sample()), "crime_agency_year")
	col := map[string]int{}
	for i, c := range tab.Columns {
		col[c.Name] = i
	}
	for _, name := range []string{"violent_count", "murder_count", "aggravated_assault_count", "violent_rate", "aggravated_assault_rate", "months_reported", "ori", "state"} {
		if _, ok := col[name]; !ok {
			t.Errorf("no column %s", name)
		}
	}
	for _, name := range []string{"property_count", "burglary_rate"} {
		if _, ok := col[name]; ok {
			t.Errorf("column %s in a violent-only table", name)
		}
	}
	row := tab.Rows[0]
	if row[col["murder_count"]] != 4.0 || row[col["violent_count"]] != nil {
		t.Errorf("murder %v (want 4), violent %v (want NULL: not given)", row[col["murder_count"]], row[col["violent_count"]])
	}
}

// csvFiles writes tables as the snapshot stores them.
func csvFiles(t *testing.T, tables []assay.Table) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, tab := range tables {
		b, err := EncodeCSV(tab)
		if err != nil {
			t.Fatal(err)
		}
		out[tab.Name] = string(b)
	}
	return out
}

func TestDecodeCSVRoundTrip(t *testing.T) {
	want := sample()
	got, err := DecodeCSV(csvFiles(t, Tables(want)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got, want)
	}
	files := csvFiles(t, Tables(want))
	good := files["crime_metro_year"]
	files["crime_metro_year"] = strings.Replace(good, "168908", "16x908", 1)
	if _, err := DecodeCSV(files); err == nil || !strings.Contains(err.Error(), "crime_metro_year.csv line 2 column population") {
		t.Errorf("a bad cell: %v", err)
	}
	header, _, _ := strings.Cut(good, "\n")
	files["crime_metro_year"] = header + "\n2017,msa\n"
	if _, err := DecodeCSV(files); err == nil || !strings.Contains(err.Error(), "crime_metro_year.csv line 2: 2 cells, no column") {
		t.Errorf("a short row: %v", err)
	}
	files["crime_metro_year"] = good
	delete(files, "audit")
	if _, err := DecodeCSV(files); err == nil || !strings.Contains(err.Error(), "table audit is missing") {
		t.Errorf("a missing table: %v", err)
	}
}

func TestDecodeSomeCSV(t *testing.T) {
	all := csvFiles(t, Tables(sample()))
	some := map[string]string{"dataset_info": all["dataset_info"], "crime_metro_year": all["crime_metro_year"]}
	ds, err := DecodeSomeCSV(some)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Crime) != 2 || ds.Vintage != "2013-02" || ds.Audit != nil || len(ds.Panel.Obs) != 0 {
		t.Errorf("crime only: %d records, vintage %q, audit %v, panel %d", len(ds.Crime), ds.Vintage, ds.Audit, len(ds.Panel.Obs))
	}
	some["metro_year"] = all["metro_year"]
	if _, err := DecodeSomeCSV(some); err == nil || !strings.Contains(err.Error(), "links to table acs_metro_nativity") {
		t.Errorf("the panel without its records: %v", err)
	}
	delete(some, "dataset_info")
	if _, err := DecodeSomeCSV(some); err == nil || !strings.Contains(err.Error(), "table dataset_info is missing") {
		t.Errorf("without dataset_info: %v", err)
	}
}
