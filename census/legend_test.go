package census

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/assaylab/assay/internal/datadir"
)

// TestVariableMapByLabel resolves the NTCA and Mexico lines by label in every
// year and product of the B05006 variable map, against the line numbers in
// shared/data/acs/PROVENANCE.md.
func TestVariableMapByLabel(t *testing.T) {
	f, err := os.Open(datadir.File(t, "acs/b05006_variable_map_by_year.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	maps, err := ReadVariableMap(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(maps) != 35 {
		t.Errorf("%d year-products, want 35", len(maps))
	}
	// line numbers: Central America, Mexico, El Salvador, Guatemala, Honduras; table lines.
	lines := func(y int) ([5]int, int) {
		switch {
		case y <= 2011:
			return [5]int{137, 138, 141, 142, 143}, 161
		case y == 2012:
			return [5]int{136, 137, 140, 141, 142}, 160
		case y <= 2014:
			return [5]int{137, 138, 141, 142, 143}, 161
		case y <= 2018:
			return [5]int{138, 139, 142, 143, 144}, 162
		case y <= 2021:
			return [5]int{144, 150, 147, 148, 149}, 168
		}
		return [5]int{154, 160, 157, 158, 159}, 178
	}
	const ca = "Total!!Americas!!Latin America!!Central America"
	labels := []string{ca, ca + "!!Mexico", ca + "!!El Salvador", ca + "!!Guatemala", ca + "!!Honduras"}
	for k, l := range maps {
		want, n := lines(k.Year)
		if l.Len() != n || l.Table != "B05006" {
			t.Errorf("%s %d: %d lines of %s, want %d", k.Product, k.Year, l.Len(), l.Table, n)
		}
		for i, lab := range labels {
			id, ok := l.Resolve(lab)
			if w := fmt.Sprintf("B05006_%03d", want[i]); !ok || id != w {
				t.Errorf("%s %d %q = %q %v, want %s", k.Product, k.Year, lab, id, ok, w)
			}
		}
		if id, ok := l.Resolve("Estimate!!Total:"); !ok || id != "B05006_001" {
			t.Errorf("%s %d Total = %q", k.Product, k.Year, id)
		}
	}
	l, err := ReadLegendFile(datadir.File(t, "acs/b05006_variable_map_by_year.csv"), "B05006", 2017, "acs5")
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Find("salvador"); len(got) != 1 || got[0].ID != "B05006_142" {
		t.Errorf("Find(salvador) = %+v", got)
	}
	if _, err := ReadLegendFile(datadir.File(t, "acs/b05006_variable_map_by_year.csv"), "B05006", 0, ""); err == nil ||
		!strings.Contains(err.Error(), "year and product") {
		t.Errorf("map without a year: %v", err)
	}
}

func TestReadLegendForms(t *testing.T) {
	tests := []struct {
		name, data string
		wantID     string
		wantErr    string
	}{
		{name: "legend CSV", data: "VARIABLE,TYPE,LABEL,GROUP\nB01003_001E,int,Estimate!!Total,B01003\nB01003_001M,int,Margin of Error!!Total,B01003\n", wantID: "B01003_001"},
		{name: "groups JSON", data: `{"variables":{"B01003_001E":{"label":"Estimate!!Total","group":"B01003"},"for":{"label":"Census API FIPS 'for' clause"}}}`, wantID: "B01003_001"},
		// Blank lines and byte order marks before the legend, in any order.
		{name: "padded legend CSV", data: "\n \ufeff\r\n\ufeffVARIABLE,TYPE,LABEL,GROUP\nB01003_001E,int,Estimate!!Total,B01003\n", wantID: "B01003_001"},
		{name: "padded groups JSON", data: "\ufeff\n\ufeff " + `{"variables":{"B01003_001E":{"label":"Estimate!!Total","group":"B01003"}}}`, wantID: "B01003_001"},
		{name: "other table", data: "VARIABLE,TYPE,LABEL,GROUP\nB05006_001E,int,Estimate!!Total,B05006\n", wantErr: "no variables of table"},
		{name: "not a legend", data: "a,b\n1,2\n", wantErr: "not a legend"},
		{name: "bad JSON", data: `{"variables":`, wantErr: "variables JSON"},
		{name: "empty", data: "  \n", wantErr: "empty"},
		// "VARIABLE," as a spreadsheet's "Unicode text" saves it.
		{name: "UTF-16", data: "\xff\xfeV\x00A\x00R\x00I\x00A\x00B\x00L\x00E\x00,\x00", wantErr: "UTF-16 text: save the file as UTF-8"},
		{name: "UTF-16 without BOM", data: "V\x00A\x00R\x00I\x00A\x00B\x00L\x00E\x00,\x00", wantErr: "UTF-16 text: save the file as UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := ReadLegend(strings.NewReader(tc.data), "B01003", 2017, "acs1")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if id, ok := l.Resolve("Total"); !ok || id != tc.wantID || l.Len() != 1 {
				t.Errorf("Resolve(Total) = %q %v (%d variables)", id, ok, l.Len())
			}
		})
	}
}
