package census

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// fuzzRead checks what must hold for any input a reader accepts: every row
// accounted for, and no null without a reason.
func fuzzRead(f *testing.F, name string, seeds ...string) {
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	labels := NewLabels("B05006", 2017, "acs1")
	labels.Add("B05006_001E", "Estimate!!Total")
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Read(bytes.NewReader(data), name, Options{Labels: labels})
		if err != nil {
			return
		}
		if res.Source.RowsRead != res.Source.RowsLoaded+res.Source.RowsSkipped || res.Source.RowsLoaded != len(res.Geos) {
			t.Fatalf("rows %+v, %d geographies", res.Source, len(res.Geos))
		}
		for _, g := range res.Geos {
			if g.GeoID == "" {
				t.Fatalf("row %d loaded without a geography id", g.Row)
			}
			for _, v := range g.Values {
				if !v.Value.Valid && v.Annotation == "" || !v.MOE.Valid && v.MOEAnnotation == "" {
					t.Fatalf("row %d %s: null without a reason: %+v", g.Row, v.Variable, v)
				}
			}
		}
	})
}

func FuzzReadAPIJSON(f *testing.F) {
	fuzzRead(f, "acs1_2017_B05006_cbsa.json", fixtureAPI, fixturePop)
}

func FuzzReadAPICSV(f *testing.F) {
	fuzzRead(f, "acs-acs1-spp-2016-GROUP_S0201_TESTLAND_DATA.csv", fixtureS0201)
}

func FuzzReadDataCensusCSV(f *testing.F) {
	fuzzRead(f, "ACSDT1Y2019.B05006-Data.csv", fixtureDC)
}

func FuzzReadAFFCSV(f *testing.F) {
	fuzzRead(f, "ACS_12_1YR_B05006_with_ann.csv", fixtureAFF)
}

func FuzzReadLegend(f *testing.F) {
	for _, s := range []string{"testdata/s0201/acs-acs1-spp-2016-GROUP_S0201_TESTLAND_LEGEND.csv", "testdata/api/acs1_2017_B05006_variables.json"} {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "")
	}
	// An invented two-line variable map in the shape of b05006_variable_map_by_year.csv.
	f.Add([]byte("acs_year,acs_product,table_id,line_number,column_id,api_variable_estimate,api_variable_moe,column_title,indent,parent_column_id\n"+
		"2017,1yr,B05006,1,B05006001,B05006_001E,B05006_001M,Total:,0,\n"+
		"2017,1yr,B05006,2,B05006002,B05006_002E,B05006_002M,Europe:,1,B05006001\n"), "B05006")
	f.Fuzz(func(t *testing.T, data []byte, table string) {
		l, err := ReadLegend(bytes.NewReader(data), table, 2017, "acs1")
		if err != nil {
			return
		}
		for _, v := range l.Variables() {
			if got, ok := l.Label(v.ID); !ok || got != v.Label {
				t.Fatalf("%s: label %q, listed as %q", v.ID, got, v.Label)
			}
			if id, ok := l.Resolve(v.Label); ok && id != v.ID {
				if other, _ := l.Label(id); !strings.EqualFold(labelKey(other), labelKey(v.Label)) {
					t.Fatalf("label %q resolves to %s labelled %q", v.Label, id, other)
				}
			}
		}
	})
}

func FuzzParseAPITable(f *testing.F) {
	f.Add([]byte(`[["NAME","B01003_001E","state"],["Zedland","5","99"],["Yland",null,"98"]]`), "NAME,B01003_001E")
	f.Add([]byte(`[["NAME","us"],["x","1"],["x","1"]]`), "NAME")
	f.Fuzz(func(t *testing.T, body []byte, get string) {
		tab, err := parseAPITable(body, strings.Split(get, ","))
		if err != nil {
			return
		}
		out, err := tab.encode()
		if err != nil {
			t.Fatal(err)
		}
		again, err := parseAPITable(out, tab.vars)
		if err != nil {
			t.Fatalf("re-reading encoded table: %v\n%s", err, out)
		}
		if len(again.rows) != len(tab.rows) {
			t.Fatalf("%d rows became %d", len(tab.rows), len(again.rows))
		}
	})
}

func FuzzReadGroupsAndChanges(f *testing.F) {
	f.Add(defaultGroups, defaultFIPSChanges)
	f.Fuzz(func(t *testing.T, groups, changes []byte) {
		if gs, err := ReadGroups(bytes.NewReader(groups)); err == nil {
			for _, g := range gs {
				if g.Key == "" || len(g.Labels) == 0 {
					t.Fatalf("group accepted without key or labels: %+v", g)
				}
			}
		}
		if cs, err := ReadFIPSChanges(bytes.NewReader(changes)); err == nil {
			for _, c := range cs {
				if !isFIPS(c.Old) || !isFIPS(c.New) {
					t.Fatalf("change accepted with bad codes: %+v", c)
				}
			}
		}
	})
}
