package census

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assaylab/assay"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	ntcaSalvador = "Estimate!!Total:!!Americas:!!Latin America:!!Central America:!!El Salvador"
	fixtureAPI   = "testdata/api/acs1_2017_B05006_cbsa.json"
	fixturePop   = "testdata/api/acs1_2017_B01003_cbsa.json"
	fixtureDC    = "testdata/datacensus/ACSDT1Y2019.B05006-Data.csv"
	fixtureAFF   = "testdata/aff/ACS_12_1YR_B05006_with_ann.csv"
	fixtureS0201 = "testdata/s0201/acs-acs1-spp-2016-GROUP_S0201_TESTLAND_DATA.csv"
)

func mustRead(t *testing.T, path string, opt Options) *Result {
	t.Helper()
	res, err := ReadFile(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Source.RowsRead != res.Source.RowsLoaded+res.Source.RowsSkipped {
		t.Errorf("%s: rows read %d != loaded %d + skipped %d", path, res.Source.RowsRead, res.Source.RowsLoaded, res.Source.RowsSkipped)
	}
	return res
}

func geo(t *testing.T, res *Result, id string) *assay.GeoValues {
	t.Helper()
	g, ok := Join(res.Geos)[id]
	if !ok {
		t.Fatalf("%s: no geography %s", res.Source.Path, id)
	}
	return g
}

func value(t *testing.T, g *assay.GeoValues, label string) assay.ACSValue {
	t.Helper()
	v, ok := Lookup(g, label)
	if !ok {
		t.Fatalf("%s: no value labelled %q", g.GeoID, label)
	}
	return v
}

// TestReadFormats reads the same NTCA lines from each format, where their
// ids differ (2012: _140, 2017: _142, 2019: _147), by label.
func TestReadFormats(t *testing.T) {
	tests := []struct {
		path                  string
		format                Format
		table, product        string
		year                  int
		salvadorID            string
		alphaNTCA, alphaNTCAM float64
	}{
		// 9,000 + 6,000 + 3,000; MOE sqrt(1,200² + 900² + 700²) = sqrt(2,740,000).
		{fixtureAPI, FormatAPIJSON, "B05006", "acs1", 2017, "B05006_142", 18000, math.Sqrt(2740000)},
		// 9,500 + 6,500 + 3,200; MOE sqrt(1,250² + 950² + 720²) = sqrt(2,983,400).
		{fixtureDC, FormatDataCensus, "B05006", "acs1", 2019, "B05006_147", 19200, math.Sqrt(2983400)},
		// 8,000 + 5,500 + 2,800; MOE sqrt(1,100² + 880² + 690²) = sqrt(2,460,500).
		{fixtureAFF, FormatAFF, "B05006", "acs1", 2012, "VD140", 16300, math.Sqrt(2460500)},
	}
	groups, err := DefaultGroups()
	if err != nil {
		t.Fatal(err)
	}
	ntca, _ := FindGroup(groups, "ntca")
	for _, tc := range tests {
		t.Run(string(tc.format), func(t *testing.T) {
			res := mustRead(t, tc.path, Options{})
			if res.Synthetic() {
				t.Error("real-format fixture marked synthetic")
			}
			if res.Format != tc.format || res.Table != tc.table || res.Product != tc.product || res.Year != tc.year {
				t.Errorf("read as %s %s %s %d", res.Format, res.Table, res.Product, res.Year)
			}
			if id, ok := res.Labels.Resolve(ntcaSalvador); !ok || id != tc.salvadorID {
				t.Errorf("El Salvador resolves to %q %v, want %s", id, ok, tc.salvadorID)
			}
			a := geo(t, res, "99901")
			if a.Level != "cbsa" || !strings.HasPrefix(a.Name, "Alphaville, ZZ") || a.Synthetic {
				t.Errorf("Alphaville read as %+v", a)
			}
			n, err := GroupEstimate(ntca, a)
			if err != nil {
				t.Fatal(err)
			}
			if n.Value.V != tc.alphaNTCA || math.Abs(n.MOE.V-tc.alphaNTCAM) > 1e-9 {
				t.Errorf("NTCA = %+v, want %v ± %v", n, tc.alphaNTCA, tc.alphaNTCAM)
			}
		})
	}
}

func TestReadAnnotations(t *testing.T) {
	api := mustRead(t, fixtureAPI, Options{})
	dc := mustRead(t, fixtureDC, Options{})
	aff := mustRead(t, fixtureAFF, Options{})
	s := mustRead(t, fixtureS0201, Options{})
	const (
		guatemala = "Total!!Americas!!Latin America!!Central America!!Guatemala"
		honduras  = "Total!!Americas!!Latin America!!Central America!!Honduras"
		central   = "Total!!Americas!!Latin America!!Central America"
	)
	tests := []struct {
		name           string
		res            *Result
		geo, label     string
		annot, moeNote string
		value, moe     float64 // NaN: null
	}{
		{"api jam values", api, "99903", ntcaSalvador, assay.AnnotNotComputed, assay.AnnotMOENotComputed, math.NaN(), math.NaN()},
		{"api JSON null", api, "99903", guatemala, assay.AnnotEmpty, assay.AnnotEmpty, math.NaN(), math.NaN()},
		{"api zero estimate", api, "99902", ntcaSalvador, "", "", 0, 220},
		{"data.census.gov - and **", dc, "99902", ntcaSalvador, assay.AnnotNotComputed, assay.AnnotMOENotComputed, math.NaN(), math.NaN()},
		{"data.census.gov N", dc, "99902", honduras, assay.AnnotTooFewCases, assay.AnnotTooFewCases, math.NaN(), math.NaN()},
		{"data.census.gov (X)", dc, "99903", central, assay.AnnotNotApplicable, assay.AnnotNotApplicable, math.NaN(), math.NaN()},
		{"data.census.gov *****", dc, "99903", "Total", "", assay.AnnotControlled, 7100, math.NaN()},
		{"data.census.gov ***", dc, "99903", ntcaSalvador, "", assay.AnnotMedianOpenMOE, 0, math.NaN()},
		{"aff *****", aff, "99904", honduras, "", assay.AnnotControlled, 20, math.NaN()},
		{"s0201 controlled MA beside a number", s, "99/001", assay.S0201TotalPopulation, "", assay.AnnotControlled, 100000, math.NaN()},
		{"s0201 open-ended median", s, "99/408", assay.S0201ForeignBorn, "2,500-", assay.AnnotMedianOpenMOE, math.NaN(), math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := value(t, geo(t, tc.res, tc.geo), tc.label)
			if v.Annotation != tc.annot || v.MOEAnnotation != tc.moeNote {
				t.Errorf("annotations %q/%q, want %q/%q", v.Annotation, v.MOEAnnotation, tc.annot, tc.moeNote)
			}
			for _, c := range []struct {
				what string
				got  assay.Num
				want float64
			}{{"estimate", v.Value, tc.value}, {"moe", v.MOE, tc.moe}} {
				if math.IsNaN(c.want) != !c.got.Valid || (c.got.Valid && c.got.V != c.want) {
					t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestReadLayoutQuirks(t *testing.T) {
	aff := mustRead(t, fixtureAFF, Options{})
	if n := geo(t, aff, "99904").Name; n != "Peña Alta, ZZ Micropolitan Statistical Area" {
		t.Errorf("Windows-1252 name read as %q", n)
	}
	if !hasAudit(aff.Audit, "latin1") {
		t.Errorf("no latin1 audit entry: %+v", aff.Audit)
	}
	s := mustRead(t, fixtureS0201, Options{})
	g := geo(t, s, "99/412")
	if g.Level != "state" || g.PopGroupLabel != "Salvadoran (226)" || g.CensusGeoID != "0400000US99" || g.Name != "Testland" {
		t.Errorf("S0201 row read as %+v", g)
	}
	if id, ok := s.Labels.Resolve(assay.S0201ForeignBorn); !ok || id != "S0201_0130" {
		t.Errorf("2016 four-digit id: %q %v", id, ok)
	}
	dc := mustRead(t, fixtureDC, Options{})
	if hasAudit(dc.Audit, "ignored_columns") {
		t.Errorf("data.census.gov trailing empty column audited: %+v", dc.Audit)
	}
	// The header and label rows are skipped, every data row loaded.
	if dc.Source.RowsRead != 5 || dc.Source.RowsLoaded != 3 || dc.Source.RowsSkipped != 2 {
		t.Errorf("rows %+v", dc.Source)
	}
}

func hasAudit(audit []assay.AuditEntry, reason string) bool {
	for _, a := range audit {
		if a.Reason == reason {
			return true
		}
	}
	return false
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"empty", "", "empty file"},
		{"legend CSV", "VARIABLE,TYPE,LABEL,GROUP\nB01003_001E,int,Estimate!!Total,B01003\n", "legend"},
		{"variables JSON", `{"variables":{}}`, "legend"},
		{"truncated JSON", `[["NAME","B01003_001E","us"],["United States","3`, "truncated"},
		{"not a table", "a,b,c\n1,2,3\n", "not an ACS table"},
		{"no variables", `[["NAME","us"],["x","1"]]`, "no estimate"},
		{"no geography", `[["NAME","B01003_001E"],["x","1"]]`, "no geography id"},
		{"wrong table", `[["NAME","B01003_001E","us"],["x","1","1"]]`, "no variables of table B05006"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.data), "acs1_2017_B05006_us.json", Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one mentioning %q", err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), "acs1_2017_B05006_us.json") {
				t.Errorf("error %v does not name the file", err)
			}
		})
	}
}

func TestReadBadRowsAudited(t *testing.T) {
	data := `[["NAME","B01003_001E","B01003_001M","us"],["United States","12x","-555555555","1"],["short"],["Nowhere","5","1",""]]`
	res, err := Read(strings.NewReader(data), "acs1_2017_B01003_us.json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"header": 1, "bad_value": 1, "bad_row": 1, "no_geo_id": 1, "no_labels": 1}
	got := map[string]int{}
	for _, a := range res.Audit {
		got[a.Reason]++
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("audit %s: %d, want %d (%+v)", k, got[k], n, res.Audit)
		}
	}
	if res.Source.RowsRead != 4 || res.Source.RowsLoaded != 1 || res.Source.RowsSkipped != 3 {
		t.Errorf("rows %+v", res.Source)
	}
	if v := res.Geos[0].Values[0]; v.Value.Valid || v.Annotation != assay.AnnotInvalid {
		t.Errorf("bad cell read as %+v", v)
	}
}

func TestLabels(t *testing.T) {
	l := NewLabels("S0201", 2012, "acs1")
	l.Add("S0201_128E", "Estimate!!PLACE OF BIRTH, CITIZENSHIP STATUS AND YEAR OF ENTRY!!Male")
	l.Add("S0201_131E", "Estimate!!PLACE OF BIRTH, CITIZENSHIP STATUS AND YEAR OF ENTRY!!Male")
	l.Add("S0201_130M", "Margin of Error!!PLACE OF BIRTH, CITIZENSHIP STATUS AND YEAR OF ENTRY!!Foreign born")
	if _, ok := l.Resolve("PLACE OF BIRTH, CITIZENSHIP STATUS AND YEAR OF ENTRY!!Male"); ok {
		t.Error("an ambiguous label resolved")
	}
	if id, ok := l.Resolve("estimate!!place of birth, citizenship status and year of entry!!foreign  born"); !ok || id != "S0201_130" {
		t.Errorf("Resolve = %q %v", id, ok)
	}
	if got := l.Find("foreign"); len(got) != 1 || got[0].ID != "S0201_130" {
		t.Errorf("Find = %+v", got)
	}
	for in, want := range map[string]string{
		"Estimate!!Total:!!Americas:":                       "Total!!Americas",
		"Estimate; Total: - Americas: - Latin America:":     "Total!!Americas!!Latin America",
		"Margin of Error; Male: - Under 5 years":            "Male!!Under 5 years",
		"Annotation of Margin of Error!!GROSS RENT!!Median": "GROSS RENT!!Median",
	} {
		if got := CanonicalLabel(in); got != want {
			t.Errorf("CanonicalLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOriginCounts(t *testing.T) {
	groups, err := DefaultGroups()
	if err != nil {
		t.Fatal(err)
	}
	data := mustRead(t, fixtureAPI, Options{})
	pop := mustRead(t, fixturePop, Options{})
	counts, audit, err := OriginCounts(data, pop, groups)
	if err != nil {
		t.Fatal(err)
	}
	// Gammaburg (99903) has no population row: audited, not counted.
	if len(audit) != 1 || audit[0].Reason != "no_population" || !strings.Contains(audit[0].Detail, "99903") {
		t.Errorf("audit %+v", audit)
	}
	by := map[string]assay.OriginCount{}
	for _, c := range counts {
		by[c.GeoID+"/"+c.Group] = c
	}
	if len(counts) != 2*len(groups) {
		t.Errorf("%d counts, want %d", len(counts), 2*len(groups))
	}
	tests := []struct {
		key                 string
		count, moe, share   float64
		shareMOE, tolerance float64
	}{
		// 18,000 / 2,500,000 = 0.0072; the population is controlled, so
		// MOE = 1,655.295 / 2,500,000 = 0.000662118.
		{"99901/ntca", 18000, math.Sqrt(2740000), 0.0072, math.Sqrt(2740000) / 2500000, 1e-12},
		// Betatown's El Salvador and Honduras are zero estimates (MOEs 220,
		// 210): only the larger counts: sqrt(600² + 220²) = sqrt(408,400).
		{"99902/ntca", 2500, math.Sqrt(408400), 2500.0 / 900000, math.Sqrt(408400) / 900000, 1e-12},
		{"99902/foreign_born", 45000, 3000, 0.05, 3000.0 / 900000, 1e-12},
	}
	for _, tc := range tests {
		c, ok := by[tc.key]
		if !ok {
			t.Errorf("%s: no count", tc.key)
			continue
		}
		if c.Count.Value.V != tc.count || math.Abs(c.Count.MOE.V-tc.moe) > tc.tolerance ||
			math.Abs(c.Share.Value.V-tc.share) > tc.tolerance || math.Abs(c.Share.MOE.V-tc.shareMOE) > tc.tolerance {
			t.Errorf("%s = %+v share %+v, want %v ± %v, %v ± %v", tc.key, c.Count, c.Share, tc.count, tc.moe, tc.share, tc.shareMOE)
		}
		if c.Year != 2017 || c.Product != "acs1" || c.Synthetic {
			t.Errorf("%s: %+v", tc.key, c)
		}
	}
}

// TestReadGolden pins the full reading of each fixture.
func TestReadGolden(t *testing.T) {
	for _, path := range []string{fixtureAPI, fixturePop, fixtureDC, fixtureAFF, fixtureS0201} {
		res := mustRead(t, path, Options{})
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for _, g := range res.Geos {
			if err := enc.Encode(g); err != nil {
				t.Fatal(err)
			}
		}
		for _, a := range res.Audit {
			if err := enc.Encode(a); err != nil {
				t.Fatal(err)
			}
		}
		golden := filepath.Join("testdata", "golden", filepath.Base(path)+".jsonl")
		compareGolden(t, golden, buf.Bytes())
	}
}

func compareGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; run go test -update and review the diff\ngot:\n%s", golden, got)
	}
}

func TestLoadOriginCounts(t *testing.T) {
	groups, err := DefaultGroups()
	if err != nil {
		t.Fatal(err)
	}
	counts, audit, sources, err := LoadOriginCounts("testdata/api", "acs", groups)
	if err != nil {
		t.Fatal(err)
	}
	// Two metros with population rows × seven groups; Gammaburg audited.
	if len(counts) != 14 || len(sources) != 2 || !hasAudit(audit, "no_population") {
		t.Errorf("%d counts, %d sources, audit %+v", len(counts), len(sources), audit)
	}
	// Files are named under the label, not where the folder lies.
	for _, s := range sources {
		if !strings.HasPrefix(s.Path, "acs/") || strings.Contains(s.Path, "testdata") {
			t.Errorf("source %q: want acs/NAME", s.Path)
		}
	}
	for _, c := range counts {
		if !strings.HasPrefix(c.Source, "acs/") {
			t.Errorf("count source %q: want acs/NAME", c.Source)
		}
	}
	dir := t.TempDir()
	b, err := os.ReadFile(fixtureAPI)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "acs1_2017_B05006_cbsa.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := LoadOriginCounts(dir, "acs", groups); err == nil || !strings.Contains(err.Error(), "no B01003") {
		t.Errorf("without B01003: %v", err)
	}
}
