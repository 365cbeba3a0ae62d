package study

import (
	"context"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestReproduceBundled runs `assay reproduce blanchard2019` on the embedded
// data, where no metro NTCA counts exist, and compares its text with the
// golden file (regenerate: go test ./study -run TestReproduceBundled -update).
func TestReproduceBundled(t *testing.T) {
	rep, err := Reproduce(context.Background(), bundled(t), ReproduceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.HasNTCA || rep.Source != Bundled || rep.Synthetic {
		t.Fatalf("has NTCA %v, source %s, synthetic %v", rep.HasNTCA, rep.Source, rep.Synthetic)
	}
	for _, want := range []string{"assay fetch census --table B05006 --years 2012,2017 --geo cbsa --product acs1 --out acs",
		"assay ingest --census acs --db assay.duckdb", "assay reproduce blanchard2019 --db assay.duckdb"} {
		if !strings.Contains(rep.Missing, want) {
			t.Errorf("missing-data line lacks %q: %s", want, rep.Missing)
		}
	}
	for _, c := range rep.Claims {
		if c.ID == "WP05" {
			// The national trends: checkable on bundled data (package claims
			// tests the verdict); here only its place in the reproduction.
			if c.Verdict == "" || c.Verdict == assay.NotCheckable {
				t.Errorf("WP05: verdict %q", c.Verdict)
			}
			continue
		}
		if c.Verdict != assay.NotCheckable || c.Note == "" || c.Computed == "" || len(c.Inputs) == 0 {
			t.Errorf("%s: verdict %q, note %q, computed %q, inputs %v", c.ID, c.Verdict, c.Note, c.Computed, c.Inputs)
		}
	}
	mv := rep.MostViolent
	if mv.Year != 2017 || len(mv.Top) != 10 || len(mv.Unranked) != 18 || mv.Top[0].Name != "Memphis, TN-MS-AR" {
		t.Errorf("most violent: year %d, %d top, %d unranked, first %+v", mv.Year, len(mv.Top), len(mv.Unranked), mv.Top[0])
	}
	for _, want := range []string{"Chicago-Naperville-Elgin, IL-IN-WI", "St. Louis, MO-IL"} {
		if !slices.Contains(mv.Unranked, want) {
			t.Errorf("%s not listed as unranked in 2017", want)
		}
	}
	for _, v := range mv.Top {
		if v.ForeignBornRank == 0 || !v.ForeignBornShare.Valid {
			t.Errorf("%s has no foreign-born share", v.Name)
		}
	}
	c := rep.Columbus
	var years []int
	for _, p := range c.Published {
		years = append(years, p.Year)
	}
	if slices.Contains(years, 2012) || slices.Contains(years, 2013) || !slices.Contains(years, 2017) {
		t.Errorf("Columbus, OH published in %v; the FBI left it out of 2012 and 2013", years)
	}
	if c.PaperYears != nil || c.Nearest == nil || c.Nearest.From != 2011 || c.CityChange == nil || c.CityChange.From != 2011 {
		t.Errorf("Columbus changes: paper %+v nearest %+v city %+v", c.PaperYears, c.Nearest, c.CityChange)
	}
	// The City of Columbus (the police agency, not the metro): 2012 from
	// The Marshall Project's agency panel, 71 murders in 797,384 people;
	// 2017 from Table 6's City of Columbus row, 142 murders (16.3 per
	// 100,000): +83%. The two publications both give 2006-2011 and
	// 2014-2015 and agree on murders in 2007, 2011 and 2015.
	cp := c.CityPaperYears
	if cp == nil || cp.From != 2012 || cp.To != 2017 || math.Abs(cp.FromRate-71.0/797384*1e5) > 1e-9 || math.Round(cp.ToRate*10) != 163 ||
		math.Round(cp.Percent) != 83 || !strings.Contains(cp.Source, "agency panel ucr/city/") {
		t.Errorf("City of Columbus 2012-2017: %+v", cp)
	}
	var overlap, same []int
	for _, o := range c.CityOverlap {
		overlap = append(overlap, o.Year)
		if o.Agency.Count == o.Table6.Count {
			same = append(same, o.Year)
		}
	}
	if !slices.Equal(overlap, []int{2006, 2007, 2008, 2009, 2010, 2011, 2014, 2015}) || !slices.Equal(same, []int{2007, 2011, 2015}) {
		t.Errorf("City of Columbus in both publications %v, same murders %v", overlap, same)
	}
	if len(c.Agency) != 10 || c.Agency[0].Year != 2006 || c.Agency[9].Year != 2015 {
		t.Errorf("agency years %+v, want 2006-2015", c.Agency)
	}
	if rep.National == nil || rep.National.Percent <= 0 {
		t.Errorf("national murder change %+v: it rose 2012-2017", rep.National)
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if n := strings.Count(out, "--out acs && assay ingest"); n != 1 {
		t.Errorf("the fetch commands appear %d times, want once", n)
	}
	checkGolden(t, "reproduce_bundled.txt", out)
}

// checkGolden compares text with testdata/name, which -update rewrites.
func checkGolden(t *testing.T, name, out string) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("text differs from %s (go test ./study -run %s -update rewrites it):\n%s", golden, t.Name(), out)
	}
}

// fakeRule is a rule result with given violent and murder correlations.
func fakeRule(key string, rv, pv, rm, pm float64, h HomicideCount, inTop []string) RuleResult {
	est := func(r, p float64) *RuleEstimate {
		return &RuleEstimate{Sample: &Sample{}, Pearson: assay.Finding{Estimate: assay.Some(r), PermP: assay.Some(p), N: 27,
			CILow: assay.Some(r - 0.3), CIHigh: assay.Some(r + 0.3)}}
	}
	return RuleResult{Rule: Rule{Key: key}, Violent: est(rv, pv), Murder: est(rm, pm), Homicide: h, InTop10: inTop}
}

// TestVerdicts checks each verdict rule on invented rule results: every
// verdict a claim can get is reached, so none is fixed in advance.
func TestVerdicts(t *testing.T) {
	h := func(n, fell, both int) HomicideCount {
		return HomicideCount{N: n, Fell: fell, FellAndRose: both, MOEKnown: true}
	}
	many := h(27, 20, 19)
	for _, tc := range []struct {
		name  string
		rules []RuleResult
		want  map[string]assay.Verdict
	}{
		{"nothing significant, murder weaker, most fell, none in the top ten", []RuleResult{
			fakeRule("a", 0.05, 0.8, 0.01, 0.9, many, nil), fakeRule("b", -0.1, 0.6, 0.02, 0.9, many, nil)},
			map[string]assay.Verdict{"WP06": assay.Supported, "WP07": assay.Supported, "WP08": assay.Supported, "WP10": assay.Supported}},
		{"everything against the paper", []RuleResult{
			fakeRule("a", 0.6, 0.001, 0.7, 0.001, h(27, 5, 4), []string{"X"}), fakeRule("b", 0.5, 0.01, 0.6, 0.002, h(27, 5, 4), []string{"Y"})},
			map[string]assay.Verdict{"WP06": assay.Contradicted, "WP07": assay.Contradicted, "WP08": assay.Contradicted, "WP10": assay.Contradicted}},
		{"rules disagree", []RuleResult{
			fakeRule("a", 0.6, 0.001, 0.1, 0.6, h(27, 15, 10), []string{"X"}), fakeRule("b", 0.1, 0.5, 0.3, 0.2, h(27, 15, 10), nil)},
			map[string]assay.Verdict{"WP06": assay.PartlySupported, "WP07": assay.PartlySupported, "WP08": assay.PartlySupported, "WP10": assay.PartlySupported}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := &Reproduction{HasNTCA: true, Source: "acs1", Group: "ntca", Rules: tc.rules,
				MostViolent: MostViolent{Year: 2017}, Columbus: Columbus{CBSA: columbusCBSA}}
			if err := rep.verdicts(&assay.Dataset{}); err != nil {
				t.Fatal(err)
			}
			for _, c := range rep.Claims {
				if want, ok := tc.want[c.ID]; ok && c.Verdict != want {
					t.Errorf("%s: %q, want %q (%s)", c.ID, c.Verdict, want, c.Computed)
				}
			}
		})
	}
}

// TestColumbusVerdict covers WP09's rule: Columbus the only metro whose
// share fell, with a rise of about 20% in its murder rate.
func TestColumbusVerdict(t *testing.T) {
	columbus := Row{CBSA: columbusCBSA, Title: "Columbus, OH"}
	other := Row{CBSA: "99999", Title: "Elsewhere"}
	rise := func(p float64) *Change {
		return &Change{From: 2011, To: 2017, FromRate: 5, ToRate: 5 * (1 + p/100), Percent: p}
	}
	city := rise(20)
	city.From, city.Source = 2012, "2012: agency panel; 2017: Table 6"
	for _, tc := range []struct {
		name string
		fell [][]Row
		rise *Change
		city *Change // the city's change: never the metro's, so never the verdict's
		want assay.Verdict
	}{
		{"only Columbus, +20%", [][]Row{{columbus}, {columbus}}, rise(20), nil, assay.Supported},
		{"only Columbus, +65%", [][]Row{{columbus}, {columbus}}, rise(65), nil, assay.PartlySupported},
		{"others fell, not Columbus", [][]Row{{other}, {other}}, rise(20), nil, assay.Contradicted},
		{"Columbus and others", [][]Row{{columbus, other}, {columbus}}, rise(20), nil, assay.Supported},
		{"only Columbus, no MSA change, the city +20%", [][]Row{{columbus}, {columbus}}, nil, city, assay.PartlySupported},
		{"only Columbus, +65%, the city +20%", [][]Row{{columbus}, {columbus}}, rise(65), city, assay.PartlySupported},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := &Reproduction{HasNTCA: true, Source: "acs1", Group: "ntca", Columbus: Columbus{CBSA: columbusCBSA, Nearest: tc.rise, CityPaperYears: tc.city}}
			for i, f := range tc.fell {
				rep.Rules = append(rep.Rules, RuleResult{Rule: Rule{Key: string(rune('a' + i))}, ShareFell: f})
			}
			cr, err := rep.wp09(&assay.Dataset{}, 0.5)
			if err != nil {
				t.Fatal(err)
			}
			if cr.Verdict != tc.want {
				t.Errorf("verdict %q, want %q: %s", cr.Verdict, tc.want, cr.Computed)
			}
		})
	}
}

// TestBuiltinGolden runs the built-in studies that need no fetched data,
// as `assay study builtin:NAME` prints them; docs/study.md quotes these
// files (regenerate: go test ./study -run TestBuiltinGolden -update).
func TestBuiltinGolden(t *testing.T) {
	common := []string{"not the NTCA-born share", "Influence:", "Power:"}
	for name, wants := range map[string][]string{
		"foreignborn_all_metros": {"Multiverse: 3600 specifications", "weighted_pearson", "rape under different definitions"},
		"panel_2006_2018":        {"Panel 2006-2018", "fe_twoway_cr1", "first_difference_cr1", "poisson_fe_cr1", "descriptive"},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := Builtin(name)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Run(context.Background(), bundled(t), s)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := res.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, want := range append(common, wants...) {
				if !strings.Contains(out, want) {
					t.Errorf("text lacks %q", want)
				}
			}
			if strings.Contains(out, "SYNTHETIC") {
				t.Error("real data marked SYNTHETIC")
			}
			checkGolden(t, name+".txt", out)
		})
	}
}

// TestWilson checks the proportion interval by its definition: each bound
// π solves (p̂ − π)² = z²·π(1 − π)/n.
func TestWilson(t *testing.T) {
	rep := &Reproduction{Years: paperYears, Source: "acs1", Group: "ntca"}
	for _, tc := range []struct{ k, n int }{{8, 27}, {0, 27}, {27, 27}, {19, 27}} {
		f := proportionFinding(rep, "r", "t", "l", tc.k, tc.n)
		p := float64(tc.k) / float64(tc.n)
		if f.Estimate.V != p || f.CILow.V > p || f.CIHigh.V < p || f.CILow.V < -1e-12 || f.CIHigh.V > 1+1e-12 {
			t.Errorf("%d/%d: %v [%v, %v]", tc.k, tc.n, f.Estimate, f.CILow, f.CIHigh)
		}
		const z2 = 1.959963984540054 * 1.959963984540054
		for _, b := range []float64{f.CILow.V, f.CIHigh.V} {
			if lhs, rhs := (p-b)*(p-b), z2*b*(1-b)/float64(tc.n); math.Abs(lhs-rhs) > 1e-12 {
				t.Errorf("%d/%d bound %v: %v != %v", tc.k, tc.n, b, lhs, rhs)
			}
		}
	}
}

// TestCityFacts checks WP09's sentences on the City of Columbus from
// invented figures: none without the city's change; the overlap years
// listed, those that agree apart from those that do not.
func TestCityFacts(t *testing.T) {
	if f := cityFacts(Columbus{}); f != nil {
		t.Errorf("no city change, facts %q", f)
	}
	yr := func(y int, n float64) YearRate {
		return YearRate{Year: y, Count: assay.Some(n), Rate: assay.Some(n / 10)}
	}
	c := Columbus{
		Agency:         []YearRate{yr(2011, 10), yr(2012, 20), yr(2014, 30)},
		City:           []YearRate{yr(2011, 10), yr(2014, 33), yr(2017, 50)},
		CityPaperYears: newChange(2012, 2017, 2, 5, "x"),
		CityOverlap:    []CityOverlap{{2011, yr(2011, 10), yr(2011, 10)}, {2014, yr(2014, 30), yr(2014, 33)}},
	}
	got := strings.Join(cityFacts(c), "; ")
	for _, want := range []string{"2012 2.0 (20 murders, The Marshall Project's agency panel) -> 2017 5.0 (50, Table 6's", "(+150%;",
		"both give 2011, 2014: the same murders in 2011; different in 2014 (30 vs 33)"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}
