package census

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/cellfuzz"
	"github.com/assaylab/assay/internal/csvgrid"
)

const (
	fixtureCounty      = "testdata/county/acs5_2017_foreignborn_counties_SYNTHETIC.csv"
	fixtureS0201Legend = "testdata/s0201/acs-acs1-spp-2016-GROUP_S0201_TESTLAND_LEGEND.csv"
)

// checkRows asserts a result's accounting: rows read = loaded + skipped,
// one audit entry a skipped row, one geography a loaded row.
func checkRows(t *testing.T, res *Result) {
	t.Helper()
	s := res.Source
	cellfuzz.CheckRows(t, res.Audit, s.RowsRead, s.RowsLoaded, s.RowsSkipped, s.RowsRead)
	if len(res.Geos) != s.RowsLoaded {
		t.Errorf("%d rows loaded, %d geographies", s.RowsLoaded, len(res.Geos))
	}
}

func fixtureText(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReadOddCells: one odd cell of an ACS file is audited and the file
// loads; every other reason keeps the sound file's count.
func TestReadOddCells(t *testing.T) {
	const us = `[["NAME","B01003_001E","B01003_001M","us"],["United States",%s,"12","1"]]`
	s0201 := fixtureText(t, fixtureS0201)
	county := fixtureText(t, fixtureCounty)
	tests := []struct {
		name, file, base, data string
		opt                    Options
		delta                  map[string]int
		check                  func(t *testing.T, res *Result)
	}{
		{"a negative estimate", "acs1_2017_B01003_us.json", strings.Replace(us, "%s", `"5"`, 1), strings.Replace(us, "%s", `"-5"`, 1), Options{},
			map[string]int{"flagged negative_value": 1},
			func(t *testing.T, res *Result) {
				if v := res.Geos[0].Values[0]; v.Value.Valid || v.Annotation != assay.AnnotInvalid || v.MOE != assay.Some(12) {
					t.Errorf("%+v", v)
				}
			}},
		{"a JSON cell that is no string or number", "acs1_2017_B01003_us.json", strings.Replace(us, "%s", `"5"`, 1), strings.Replace(us, "%s", `true`, 1), Options{},
			map[string]int{"flagged bad_value": 1},
			func(t *testing.T, res *Result) {
				if v := res.Geos[0].Values[0]; v.Value.Valid || v.Annotation != assay.AnnotInvalid {
					t.Errorf("%+v", v)
				}
			}},
		{"a JSON number beyond a double's range", "acs1_2017_B01003_us.json", strings.Replace(us, "%s", `"5"`, 1), strings.Replace(us, "%s", `1e999`, 1), Options{},
			map[string]int{"flagged bad_value": 1},
			func(t *testing.T, res *Result) {
				if v := res.Geos[0].Values[0]; v.Value.Valid || v.Annotation != assay.AnnotInvalid {
					t.Errorf("%+v", v)
				}
			}},
		{"a quote inside an unquoted cell", fixtureS0201, s0201, strings.Replace(s0201, ",Testland,", `,Test"land,`, 1), Options{Legend: fixtureS0201Legend},
			map[string]int{"flagged lenient_quotes": 1},
			func(t *testing.T, res *Result) {
				if g := geo(t, res, "99/412"); g.Name != `Test"land` {
					t.Errorf("%+v", g)
				}
			}},
		{"a county code without its leading zero", fixtureCounty, county, strings.Replace(county, "99003,", "9003,", 1), Options{},
			map[string]int{"flagged fips_padded": 1},
			func(t *testing.T, res *Result) { geo(t, res, "09003") }},
		{"a county code with a letter", fixtureCounty, county, strings.Replace(county, "99003,", "99O03,", 1), Options{},
			map[string]int{"skipped unreadable_fips": 1},
			func(t *testing.T, res *Result) {
				if len(res.Geos) != 2 {
					t.Errorf("%d counties", len(res.Geos))
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, err := Read(strings.NewReader(tt.base), tt.file, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Read(strings.NewReader(tt.data), tt.file, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkRows(t, res)
			if got, want := cellfuzz.Tally(res.Audit), cellfuzz.WithDelta(cellfuzz.Tally(base.Audit), tt.delta); !maps.Equal(got, want) {
				t.Errorf("audit reasons %v, want %v", got, want)
			}
			tt.check(t, res)
		})
	}
}

// TestCountyNativityImpossibleTotal: a county of no people is flagged and
// its total left null, the row kept.
func TestCountyNativityImpossibleTotal(t *testing.T) {
	path := t.TempDir() + "/acs5_2017_foreignborn_counties.csv"
	data := strings.Replace(fixtureText(t, fixtureCounty), "800.0,790.0,10.0", "0.0,790.0,10.0", 1)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, res, err := ReadCountyNativity(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[2].Total.Value.Valid || recs[2].Total.Annotation != assay.AnnotInvalid || recs[2].ForeignBorn.Value != assay.Some(10) {
		t.Errorf("%+v", recs)
	}
	if n := cellfuzz.Tally(res.Audit)["flagged nonpositive_population"]; n != 1 {
		t.Errorf("audit %+v", res.Audit)
	}
}

// TestReadSelect: a read restricted to some labels gives exactly those
// values of the full read.
func TestReadSelect(t *testing.T) {
	full := mustRead(t, fixtureS0201, Options{})
	some := mustRead(t, fixtureS0201, Options{Select: []string{"Estimate!!PLACE OF BIRTH, CITIZENSHIP STATUS AND YEAR OF ENTRY!!Foreign born"}})
	if len(some.Geos) != len(full.Geos) || some.Source != full.Source {
		t.Fatalf("%+v, full read %+v", some.Source, full.Source)
	}
	for i, g := range some.Geos {
		want, _ := Lookup(&full.Geos[i], assay.S0201ForeignBorn)
		if len(g.Values) != 1 || g.Values[0] != want {
			t.Errorf("row %d: %+v, want %+v", g.Row, g.Values, want)
		}
	}
}

// TestParseLegendRows: a legend row that cannot label a variable is
// skipped with its reason; the rest of the legend loads.
func TestParseLegendRows(t *testing.T) {
	const mapHeader = "acs_year,acs_product,table_id,line_number,column_id,api_variable_estimate,api_variable_moe,column_title,indent,parent_column_id\n"
	tests := []struct {
		name, data string
		table      string
		want       map[string]int // audit tally
		loaded     int
	}{
		{"legend CSV", "VARIABLE,TYPE,LABEL,GROUP\nB01003_001E,int,Estimate!!Total,B01003\nB01003_001M\nVARIABLE,TYPE,LABEL,GROUP\nB05006_001E,int,Estimate!!Total,B05006\nNAME,string,Geographic Area Name,\n",
			"B01003", map[string]int{"skipped header": 2, "skipped short_row": 1, "skipped other_table": 2}, 1},
		{"variable map", mapHeader +
			"2017,1yr,B05006,1,B05006001,B05006_001E,B05006_001M,Total:,0,\n" +
			"2017,1yr,B05006,2,B05006002,B05006_002E,B05006_002M,Europe:,1,B05006001\n" +
			"20l7,1yr,B05006,2,B05006002,B05006_002E,B05006_002M,Europe:,1,B05006001\n" +
			"2017,2yr,B05006,2,B05006002,B05006_002E,B05006_002M,Europe:,1,B05006001\n" +
			"2017,1yr,B05006,3,B05006003,B05006_003E,B05006_003M,Asia:,1,B05006009\n" +
			"2017,1yr,B05006,4\n",
			"", map[string]int{"skipped header": 1, "skipped unreadable_year": 1, "skipped unknown_product": 1, "skipped broken_parent": 1, "skipped short_row": 1}, 2},
		{"variables JSON", `{"variables": {"B01003_001E": {"label": "Estimate!!Total"}, "B01003_001M": {"label": "Margin of Error!!Total"}, "B05006_001E": {"label": "Estimate!!Total"}, "NAME": {"label": "Geographic Area Name"}}}`,
			"B01003", map[string]int{"skipped other_table": 2}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lg, err := ParseLegend(strings.NewReader(tt.data), "legend.csv", tt.table, 2017, "acs1")
			if err != nil {
				t.Fatal(err)
			}
			if got := cellfuzz.Tally(lg.Audit); !maps.Equal(got, tt.want) {
				t.Errorf("audit %v, want %v", got, tt.want)
			}
			if lg.RowsLoaded != tt.loaded || lg.RowsRead != lg.RowsLoaded+lg.RowsSkipped || lg.RowsSkipped != len(lg.Audit) {
				t.Errorf("read %d, loaded %d, skipped %d; audit %+v", lg.RowsRead, lg.RowsLoaded, lg.RowsSkipped, lg.Audit)
			}
			if id, ok := lg.Labels[0].Resolve("Total"); !ok || !strings.HasSuffix(id, "_001") {
				t.Errorf("Total resolves to %q %v", id, ok)
			}
		})
	}
}

// cellLayouts are the ACS fixtures in the Census layouts, for the cell
// fuzz target.
func cellLayouts(t testing.TB) ([]cellfuzz.Layout, []Options) {
	grid := func(path string) [][]string {
		rows, _, _, err := csvgrid.ReadAll(fixtureText(t, path))
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	var api [][]string
	if err := json.Unmarshal([]byte(fixtureText(t, fixturePop)), &api); err != nil {
		t.Fatal(err)
	}
	asJSON := func(t testing.TB, g [][]string) []byte {
		b, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return []cellfuzz.Layout{
			{Grid: grid(fixtureS0201), Header: 1, Name: fixtureS0201, Encode: cellfuzz.CSV},
			{Grid: grid(fixtureDC), Header: 2, Name: fixtureDC, Encode: cellfuzz.CSV},
			{Grid: grid(fixtureAFF), Header: 2, Name: fixtureAFF, Encode: cellfuzz.CSV},
			{Grid: grid(fixtureCounty), Header: 1, Name: fixtureCounty, Encode: cellfuzz.CSV},
			{Grid: api, Header: 1, Name: fixturePop, Encode: asJSON},
		}, []Options{
			{Legend: fixtureS0201Legend}, {}, {}, {}, {Legend: "testdata/api/acs1_2017_B01003_variables.json"},
		}
}

// FuzzReadCells changes one cell below the header of an ACS file in each
// layout: the file must load, every row accounted for, no null without a
// reason and no negative value.
func FuzzReadCells(f *testing.F) {
	layouts, opts := cellLayouts(f)
	for k := range cellfuzz.NumKinds {
		f.Add(uint8(0), uint16(0), uint8(1), uint8(k), "")
		f.Add(uint8(3), uint16(1), uint8(2), uint8(k), "")
	}
	f.Fuzz(func(t *testing.T, layout uint8, row uint16, col, kind uint8, payload string) {
		i := int(layout) % len(layouts)
		l := layouts[i]
		res, err := Read(bytes.NewReader(l.Mutate(t, row, col, kind, payload)), l.Name, opts[i])
		if err != nil {
			t.Fatal(err)
		}
		checkRows(t, res)
		for _, g := range res.Geos {
			for _, v := range g.Values {
				if !v.Value.Valid && v.Annotation == "" || !v.MOE.Valid && v.MOEAnnotation == "" {
					t.Errorf("row %d %s: null without a reason: %+v", g.Row, v.Variable, v)
				}
				if v.Value.Valid && v.Value.V < 0 || v.MOE.Valid && v.MOE.V < 0 {
					t.Errorf("row %d %s: negative %+v", g.Row, v.Variable, v)
				}
			}
		}
	})
}

// FuzzLegendCells changes one cell below the header of a legend CSV and
// of a variable map of two years: the legend must load with its rows
// accounted for. (A cell can break one year's lines, all of which hang
// from its first line; the real map has 35 years and products.)
func FuzzLegendCells(f *testing.F) {
	rows, _, _, err := csvgrid.ReadAll(fixtureText(f, fixtureS0201Legend))
	if err != nil {
		f.Fatal(err)
	}
	varMap, _, _, err := csvgrid.ReadAll("acs_year,acs_product,table_id,line_number,column_id,api_variable_estimate,api_variable_moe,column_title,indent,parent_column_id\n" +
		"2017,1yr,B05006,1,B05006001,B05006_001E,B05006_001M,Total:,0,\n" +
		"2017,1yr,B05006,2,B05006002,B05006_002E,B05006_002M,Europe:,1,B05006001\n" +
		"2017,1yr,B05006,3,B05006003,B05006_003E,B05006_003M,Asia:,1,B05006001\n" +
		"2018,1yr,B05006,1,B05006001,B05006_001E,B05006_001M,Total:,0,\n" +
		"2018,1yr,B05006,2,B05006002,B05006_002E,B05006_002M,Europe:,1,B05006001\n")
	if err != nil {
		f.Fatal(err)
	}
	layouts := []cellfuzz.Layout{
		{Grid: rows, Header: 1, Name: "legend.csv", Encode: cellfuzz.CSV},
		{Grid: varMap, Header: 1, Name: "map.csv", Encode: cellfuzz.CSV},
	}
	for k := range cellfuzz.NumKinds {
		f.Add(uint8(0), uint16(0), uint8(0), uint8(k), "")
		f.Add(uint8(1), uint16(1), uint8(0), uint8(k), "")
	}
	f.Fuzz(func(t *testing.T, layout uint8, row uint16, col, kind uint8, payload string) {
		l := layouts[int(layout)%len(layouts)]
		lg, err := ParseLegend(bytes.NewReader(l.Mutate(t, row, col, kind, payload)), l.Name, "", 2017, "acs1")
		if err != nil {
			t.Fatal(err)
		}
		if lg.RowsRead != lg.RowsLoaded+lg.RowsSkipped || lg.RowsSkipped != len(lg.Audit)-lenientNotes(lg.Audit) {
			t.Errorf("read %d, loaded %d, skipped %d; audit %+v", lg.RowsRead, lg.RowsLoaded, lg.RowsSkipped, lg.Audit)
		}
	})
}

func lenientNotes(audit []assay.AuditEntry) int {
	return cellfuzz.Tally(audit)["flagged lenient_quotes"]
}

// FuzzCanonicalLabel holds the shortcut for labels already in canonical
// form (but for their prefix) to the part-by-part rule.
func FuzzCanonicalLabel(f *testing.F) {
	for _, s := range []string{"Estimate!!TOTAL NUMBER OF RACES REPORTED!!Total population", "Estimate!!Total:!!Americas:",
		"Estimate; Total: - Americas:", "Margin of Error!!Total", "Estimate", "estimate!!", "Total!!  Latin  America", " a!!b ", "a!!!!b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.TrimSpace(s)
		if c, ok := canonicalAlready(s); ok && c != canonicalParts(s) {
			t.Errorf("%q: shortcut %q, rule %q", s, c, canonicalParts(s))
		}
	})
}
