package census

import (
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/cbsa"
	"github.com/assaylab/assay/internal/datadir"
)

func est(v float64) assay.Estimate {
	return assay.Estimate{Value: assay.Some(v), MOE: assay.Null, MOEAnnotation: assay.AnnotNotPublished}
}

func estMOE(v, m float64) assay.Estimate {
	return assay.Estimate{Value: assay.Some(v), MOE: assay.Some(m)}
}

// fixtureDelineation is an invented delineation (state code 99 does not
// exist) exercising each way a county can fail to line up.
func fixtureDelineation() *assay.Delineation {
	return &assay.Delineation{Vintage: "test", Source: "fixture", CBSAs: []assay.CBSA{
		{Code: "99010", Title: "Alpha, ZZ", Counties: []assay.County{{FIPS: "99001"}, {FIPS: "99003"}}},
		{Code: "99020", Title: "Beta, ZZ", Counties: []assay.County{{FIPS: "99005"}, {FIPS: "99009"}, {FIPS: "99011"}}},
		{Code: "99030", Title: "Gamma, ZZ", Counties: []assay.County{{FIPS: "99013"}, {FIPS: "99015"}, {FIPS: "99019"}}},
	}}
}

var fixtureChanges = []FIPSChange{
	{Old: "99007", New: "99005", Year: 2015, Kind: "renamed", Note: "Seven renamed Five"},
	{Old: "99011", New: "99009", Year: 2013, Kind: "merged", Note: "Eleven city joined Nine County"},
	{Old: "99017", New: "99019", Year: 2019, Kind: "split", Note: "Seventeen split"},
	{Old: "99017", New: "99021", Year: 2019, Kind: "split", Note: "Seventeen split"},
}

func TestAggregateCountiesFixture(t *testing.T) {
	counts := []CountyValue{
		{FIPS: "99001", Name: "One", Row: 2, Values: map[string]assay.Estimate{"x": estMOE(100, 30)}},
		{FIPS: "99003", Name: "Three", Row: 3, Values: map[string]assay.Estimate{"x": estMOE(50, 40)}},
		{FIPS: "99007", Name: "Seven (old code)", Row: 4, Values: map[string]assay.Estimate{"x": estMOE(10, 0)}},
		{FIPS: "99009", Name: "Nine (with Eleven)", Row: 5, Values: map[string]assay.Estimate{"x": estMOE(20, 0)}},
		{FIPS: "99013", Name: "Thirteen", Row: 6, Values: map[string]assay.Estimate{"x": estMOE(5, 1)}},
		{FIPS: "99017", Name: "Seventeen (before split)", Row: 7, Values: map[string]assay.Estimate{"x": estMOE(7, 1)}},
		{FIPS: "99099", Name: "Rural", Row: 8, Values: map[string]assay.Estimate{"x": estMOE(1, 1)}},
	}
	metros, audit := AggregateCounties(counts, fixtureDelineation(), fixtureChanges)
	byCode := map[string]MetroValue{}
	for _, m := range metros {
		byCode[m.CBSA] = m
	}
	// Alpha: 100 + 50, MOE sqrt(30² + 40²) = 50.
	if x := byCode["99010"].Values["x"]; x.Value.V != 150 || x.MOE.V != 50 {
		t.Errorf("Alpha x = %+v, want 150 ± 50", x)
	}
	// Beta: Seven placed through its rename (10), Nine (20); Eleven has no
	// row but was merged into Nine, so Beta is complete: 30 ± 0.
	if x := byCode["99020"].Values["x"]; x.Value.V != 30 || !x.MOE.Valid || x.MOE.V != 0 {
		t.Errorf("Beta x = %+v, want 30 ± 0", x)
	}
	if got := strings.Join(byCode["99020"].Counties, ","); got != "99007,99009" {
		t.Errorf("Beta counties = %s", got)
	}
	// Gamma: 99015 and 99019 have no row (Seventeen cannot be split), so
	// Gamma's values are null, never a partial sum.
	g := byCode["99030"]
	if x := g.Values["x"]; x.Value.Valid || x.Annotation != assay.AnnotMissingMember {
		t.Errorf("Gamma x = %+v, want null %s", x, assay.AnnotMissingMember)
	}
	if got := strings.Join(g.Missing, ","); got != "99015,99019" {
		t.Errorf("Gamma missing = %s", got)
	}
	reasons := map[string]int{}
	for _, a := range audit {
		reasons[string(a.Action)+" "+a.Reason]++
	}
	want := map[string]int{
		"flagged fips_changed":    1, // 99007
		"flagged member_changed":  1, // 99011
		"flagged member_missing":  2, // 99015, 99019
		"flagged split_ambiguous": 1, // 99017
		"flagged not_in_cbsa":     1, // 99099
	}
	for k, n := range want {
		if reasons[k] != n {
			t.Errorf("audit %q: %d entries, want %d (all: %v)", k, reasons[k], n, reasons)
		}
	}
	if len(reasons) != len(want) {
		t.Errorf("audit reasons %v, want %v", reasons, want)
	}
}

func TestDefaultFIPSChanges(t *testing.T) {
	ch, err := DefaultFIPSChanges()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]string{}
	for _, c := range ch {
		have[c.Old+">"+c.New] = c.Kind
		if c.Note == "" {
			t.Errorf("%s>%s: no reason", c.Old, c.New)
		}
	}
	for pair, kind := range map[string]string{
		"46113>46102": "renamed", "02270>02158": "renamed", "51515>51019": "merged",
		"02261>02063": "split", "02261>02066": "split", "12025>12086": "renamed",
	} {
		if have[pair] != kind {
			t.Errorf("%s: kind %q, want %q", pair, have[pair], kind)
		}
	}
}

// loadDelineation reads a real delineation with the cbsa package's reader.
func loadDelineation(t *testing.T, rel, vintage string) *assay.Delineation {
	t.Helper()
	res, err := cbsa.ReadDelineation(datadir.File(t, rel), cbsa.Options{Source: rel, Vintage: vintage})
	if err != nil {
		t.Fatal(err)
	}
	return res.Delineation
}

// countyFile reads a county file independently of the package: FIPS ->
// [total, foreign_born].
func countyFile(t *testing.T, path string) map[string][2]float64 {
	t.Helper()
	rows := csvFile(t, path)
	out := map[string][2]float64{}
	for _, r := range rows[1:] {
		tot, err1 := strconv.ParseFloat(r[2], 64)
		fb, err2 := strconv.ParseFloat(r[4], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", r[0], err1, err2)
		}
		out[r[0]] = [2]float64{tot, fb}
	}
	return out
}

// TestMetroNativityRealFiles aggregates both county files onto the February
// 2013 delineation and checks every metro's totals against sums computed
// here from the raw rows, then the audit counts on the 2013 and 2020
// delineations.
func TestMetroNativityRealFiles(t *testing.T) {
	d2013 := loadDelineation(t, "geo/cbsa_delineation_2013_Feb.csv", "2013-02")
	d2020 := loadDelineation(t, "geo/cbsa_delineation_2020_Mar.csv", "2020-03")
	changes, err := DefaultFIPSChanges()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file       string
		period     string
		rows       int
		audit2013  map[string]int
		audit2020  map[string]int
		lynchburg  []string // counties summed into CBSA 31340 on the 2013 delineation
		sumTotal13 float64
	}{
		{
			file: "acs/county_foreignborn/acs5_2012_foreignborn_counties.csv", period: "2008-2012", rows: 3221,
			audit2013: map[string]int{"flagged not_in_cbsa": 1339},
			// On the 2020 delineation Bedford city (gone in 2013) is placed
			// through Bedford County; Shannon, Wade Hampton and Valdez-Cordova
			// are recoded counties in no CBSA.
			// Every 2020 member has a row; Bedford city makes one more placed row.
			audit2020: map[string]int{"flagged not_in_cbsa": 3221 - 1916 - 1, "flagged fips_changed": 1},
			lynchburg: []string{"51009", "51011", "51019", "51031", "51515", "51680"},
		},
		{
			file: "acs/county_foreignborn/acs5_2017_foreignborn_counties.csv", period: "2013-2017", rows: 3220,
			// Bedford city has no row in 2013-2017: it is inside Bedford County's.
			audit2013: map[string]int{"flagged not_in_cbsa": 1339, "flagged member_changed": 1},
			audit2020: map[string]int{"flagged not_in_cbsa": 3220 - 1916},
			lynchburg: []string{"51009", "51011", "51019", "51031", "51680"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.period, func(t *testing.T) {
			path := datadir.File(t, tc.file)
			counties, res, err := ReadCountyNativity(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(counties) != tc.rows || res.Source.RowsLoaded != tc.rows {
				t.Fatalf("%d counties (%d loaded), want %d", len(counties), res.Source.RowsLoaded, tc.rows)
			}
			raw := countyFile(t, path)
			metros, audit := MetroNativity(counties, d2013, changes)
			checkAudit(t, "2013-02", audit, tc.audit2013)
			if len(metros) != 929 {
				t.Fatalf("%d metros, want 929", len(metros))
			}
			var metroTotal, memberTotal float64
			for _, m := range metros {
				cb, _ := d2013.Lookup(m.CBSA)
				var tot, fb float64
				for _, c := range cb.Counties {
					tot += raw[c.FIPS][0]
					fb += raw[c.FIPS][1]
				}
				memberTotal += tot
				if m.Period != tc.period || m.Total.Value.V != tot || m.ForeignBorn.Value.V != fb ||
					m.Share.Value.V != fb/tot {
					t.Errorf("%s %s: total %v fb %v share %v, want %v %v %v", m.CBSA, m.Title, m.Total.Value, m.ForeignBorn.Value, m.Share.Value, tot, fb, fb/tot)
				}
				if m.Total.MOE.Valid || m.Total.MOEAnnotation != assay.AnnotNotPublished {
					t.Errorf("%s: MOE %v %q, want null not_published", m.CBSA, m.Total.MOE, m.Total.MOEAnnotation)
				}
				metroTotal += m.Total.Value.V
				if m.CBSA == "31340" && strings.Join(m.Counties, ",") != strings.Join(tc.lynchburg, ",") {
					t.Errorf("Lynchburg counties %v, want %v", m.Counties, tc.lynchburg)
				}
			}
			if metroTotal != memberTotal || metroTotal == 0 {
				t.Errorf("sum over metros %v, sum over member counties %v", metroTotal, memberTotal)
			}
			_, audit20 := MetroNativity(counties, d2020, changes)
			checkAudit(t, "2020-03", audit20, tc.audit2020)
		})
	}
}

func checkAudit(t *testing.T, vintage string, audit []assay.AuditEntry, want map[string]int) {
	t.Helper()
	got := map[string]int{}
	for _, a := range audit {
		got[string(a.Action)+" "+a.Reason]++
	}
	t.Logf("delineation %s audit: %v", vintage, got)
	for k, n := range want {
		if got[k] != n {
			t.Errorf("delineation %s: %d %q, want %d", vintage, got[k], k, n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("delineation %s: audit reasons %v, want %v", vintage, got, want)
	}
}

// csvFile reads a whole CSV file with encoding/csv alone, for checks made
// independently of the package's readers.
func csvFile(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
