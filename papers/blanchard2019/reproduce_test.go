package blanchard2019

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/internal/golden"
	"github.com/assaylab/assay/internal/synthdata"
	"github.com/assaylab/assay/papers/cooperation2021"
	"github.com/assaylab/assay/snapshot"
	"github.com/assaylab/assay/study"
)

// ledger runs every claim of this paper (and the other registered
// analyses, so that the list is covered) on a dataset.
func ledger(t *testing.T, ds *assay.Dataset, opt claims.Options) *claims.Ledger {
	t.Helper()
	r, err := claims.NewRegistry(Evaluators(), cooperation2021.Evaluators())
	if err != nil {
		t.Fatal(err)
	}
	l, err := r.Ledger(context.Background(), ds, opt)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestReproduceBundled runs `assay reproduce blanchard2019` on the embedded
// data, where no metro NTCA counts exist, and compares its text with the
// golden file (regenerate: go test ./papers/blanchard2019 -run TestReproduceBundled -update).
func TestReproduceBundled(t *testing.T) {
	ds, err := snapshot.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := FromLedger(ledger(t, ds, claims.Options{Perm: 9999}))
	if err != nil {
		t.Fatal(err)
	}
	if rep.HasNTCA || rep.Source != study.Bundled || rep.Synthetic {
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
	if slices.Contains(years, 2012) || slices.Contains(years, 2013) || !slices.Contains(years, 2017) || c.AfterGap == nil || c.AfterGap.From != 2014 {
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
	golden.Check(t, "reproduce_bundled.txt", out)
}

// fakeRule is a rule result with given violent and murder correlations.
func fakeRule(key string, rv, pv, rm, pm float64, h HomicideCount, inTop []string) RuleResult {
	est := func(r, p float64) *RuleEstimate {
		return &RuleEstimate{Sample: &study.Sample{}, Pearson: assay.Finding{Estimate: assay.Some(r), PermP: assay.Some(p), N: 27,
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
			rep := &Reproduction{HasNTCA: true, Source: study.ACS1, Group: "ntca", Rules: tc.rules,
				MostViolent: MostViolent{Year: 2017}, Columbus: Columbus{CBSA: columbusCBSA}, PaperMDC: 0.5, ds: &assay.Dataset{}}
			for id, f := range map[string]func(*Reproduction) (assay.ClaimResult, error){
				"WP06": (*Reproduction).wp06, "WP07": (*Reproduction).wp07, "WP08": (*Reproduction).wp08, "WP10": (*Reproduction).wp10} {
				c, err := f(rep)
				if err != nil {
					t.Fatal(err)
				}
				if c.Verdict != tc.want[id] {
					t.Errorf("%s: %q, want %q (%s)", id, c.Verdict, tc.want[id], c.Computed)
				}
			}
		})
	}
}

// TestColumbusVerdict covers WP09's rule: Columbus the only metro whose
// share fell, with a rise of about 20% in its murder rate.
func TestColumbusVerdict(t *testing.T) {
	columbus := study.Row{CBSA: columbusCBSA, Title: "Columbus, OH"}
	other := study.Row{CBSA: "99999", Title: "Elsewhere"}
	rise := func(p float64) *Change {
		return &Change{From: 2011, To: 2017, FromRate: 5, ToRate: 5 * (1 + p/100), Percent: p}
	}
	city := rise(20)
	city.From, city.Source = 2012, "2012: agency panel; 2017: Table 6"
	for _, tc := range []struct {
		name string
		fell [][]study.Row
		rise *Change
		city *Change // the city's change: never the metro's, so never the verdict's
		want assay.Verdict
	}{
		{"only Columbus, +20%", [][]study.Row{{columbus}, {columbus}}, rise(20), nil, assay.Supported},
		{"only Columbus, +65%", [][]study.Row{{columbus}, {columbus}}, rise(65), nil, assay.PartlySupported},
		{"others fell, not Columbus", [][]study.Row{{other}, {other}}, rise(20), nil, assay.Contradicted},
		{"Columbus and others", [][]study.Row{{columbus, other}, {columbus}}, rise(20), nil, assay.Supported},
		{"only Columbus, no MSA change, the city +20%", [][]study.Row{{columbus}, {columbus}}, nil, city, assay.PartlySupported},
		{"only Columbus, +65%, the city +20%", [][]study.Row{{columbus}, {columbus}}, rise(65), city, assay.PartlySupported},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := &Reproduction{HasNTCA: true, Source: study.ACS1, Group: "ntca", Columbus: Columbus{CBSA: columbusCBSA, Nearest: tc.rise, CityPaperYears: tc.city}, ds: &assay.Dataset{}}
			for i, f := range tc.fell {
				rep.Rules = append(rep.Rules, RuleResult{Rule: Rule{Key: string(rune('a' + i))}, ShareFell: f})
			}
			cr, err := rep.wp09()
			if err != nil {
				t.Fatal(err)
			}
			if cr.Verdict != tc.want {
				t.Errorf("verdict %q, want %q: %s", cr.Verdict, tc.want, cr.Computed)
			}
		})
	}
}

// TestColumbusNotes: each sentence of WP09's note follows the data, both
// ways.
func TestColumbusNotes(t *testing.T) {
	gap := strings.Join(columbusNotes(Columbus{}), "; ")
	if !strings.Contains(gap, "no Columbus, OH block for 2012 or 2017") || strings.Contains(gap, "changed") {
		t.Errorf("no MSA change: %s", gap)
	}
	published := strings.Join(columbusNotes(Columbus{PaperYears: &Change{From: 2012, To: 2017, Percent: 21}}), "; ")
	if strings.Contains(published, "no Columbus") || !strings.Contains(published, "2012-2017 murder rate changed +21% in Table 6") {
		t.Errorf("MSA published both years: %s", published)
	}
	if strings.Contains(gap, "City of Columbus") {
		t.Errorf("no city change, yet a sentence on it: %s", gap)
	}
	city := strings.Join(columbusNotes(Columbus{CityPaperYears: &Change{From: 2012, To: 2017}}), "; ")
	if !strings.Contains(city, "City of Columbus's 2012-2017 change") {
		t.Errorf("city change without its sentence: %s", city)
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

// TestReproduceSynthetic runs the paper's 27-metro design on SYNTHETIC
// NTCA counts: with n = 27 the estimates themselves are too noisy to test,
// so this checks structure and determinism.
func TestReproduceSynthetic(t *testing.T) {
	sd := synthdata.Planted(t, 0.5)
	opt := claims.Options{Perm: 499, Boot: 200}
	rep, err := FromLedger(ledger(t, sd.DS, opt))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.HasNTCA || rep.Source != "acs1" || rep.Group != "ntca" || rep.Missing != "" || !rep.Synthetic {
		t.Fatalf("has %v source %s group %s missing %q synthetic %v", rep.HasNTCA, rep.Source, rep.Group, rep.Missing, rep.Synthetic)
	}
	for _, rr := range rep.Rules {
		picked := selected(rr.Violent.Sample)
		if len(picked) != 27 || rr.Selected != 27 {
			t.Errorf("%s: %d metros picked", rr.Rule.Key, len(picked))
		}
		for i := 1; i < len(picked); i++ {
			a, b := picked[i-1], picked[i]
			rankA, rankB := a.BaseShare.Value.V, b.BaseShare.Value.V
			if rr.Rule.Selection.Rule == study.TopCount {
				rankA, rankB = a.BaseCount.Value.V, b.BaseCount.Value.V
			}
			if b.Rank != i+1 || rankB > rankA {
				t.Errorf("%s: rank %d (%s) out of order", rr.Rule.Key, b.Rank, b.Title)
			}
		}
		for _, d := range rr.Violent.Sample.Dropped {
			if rr.Rule.Selection.Pool == study.FBIPool && strings.Contains(d.Reason, "did not publish") {
				t.Errorf("%s: %s unpublished, yet ranked among FBI metros", rr.Rule.Key, d.Title)
			}
		}
		if rr.Murder == nil || rr.Homicide.N != len(rr.Murder.Sample.Rows) || rr.Homicide.FellAndRose > rr.Homicide.Fell || !rr.Homicide.MOEKnown {
			t.Errorf("%s: homicide tally %+v", rr.Rule.Key, rr.Homicide)
		}
	}
	var ids []string
	for _, c := range rep.Claims {
		ids = append(ids, c.ID)
		if c.ID == "WP05" {
			// National series only: nothing synthetic in it.
			if c.Synthetic {
				t.Error("WP05 marked synthetic, though no metro count enters it")
			}
			continue
		}
		if c.Verdict == assay.NotCheckable || c.Verdict == "" || !c.Synthetic {
			t.Errorf("%s: verdict %q synthetic %v", c.ID, c.Verdict, c.Synthetic)
		}
		for _, f := range c.Findings {
			if !f.Synthetic {
				t.Errorf("%s: finding %s not marked synthetic", c.ID, f.Label)
			}
		}
		t.Logf("SYNTHETIC %s %s: %s", c.ID, c.Verdict, c.Computed)
	}
	if !slices.Equal(ids, []string{"WP05", "WP06", "WP07", "WP08", "WP09", "WP10"}) {
		t.Errorf("claims %v", ids)
	}
	if v := rep.Claims[1].Value; v != rep.Rules[0].Violent.Pearson.Estimate {
		t.Errorf("WP06 value %v, first rule's r %v", v, rep.Rules[0].Violent.Pearson.Estimate)
	}
	again, err := FromLedger(ledger(t, sd.DS, opt))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(rep)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Error("two runs with the same seed differ")
	}
	var text strings.Builder
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	if !strings.HasPrefix(out, study.SyntheticBanner) || !strings.Contains(out, "SYNTHETIC WP06") || strings.Contains(out, "NOTE: NTCA-born counts") {
		t.Errorf("synthetic reproduction text:\n%s", out)
	}
}

// TestReproduceReportsProgress: the command line's bar hears of each
// selection rule through the study engine's context, ending at the total.
func TestReproduceReportsProgress(t *testing.T) {
	ds, err := snapshot.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	var last [2]int
	calls := 0
	ctx := study.WithProgress(context.Background(), func(label string, done, total int) {
		if label != "" {
			calls++
			last = [2]int{done, total}
		}
	})
	if _, err := Reproduce(ctx, ds, ReproduceOptions{Perm: 99}); err != nil {
		t.Fatal(err)
	}
	if n := len(PaperRules()); calls != n || last != [2]int{n, n} {
		t.Errorf("%d reports ending at %v, want %d ending at [%d %d]", calls, last, n, n, n)
	}
}
