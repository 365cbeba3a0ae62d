package study

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/golden"
	"github.com/assaylab/assay/snapshot"
	"github.com/assaylab/assay/stats"
)

// bundled returns the data embedded in assay (real FBI and Census files).
func bundled(t testing.TB) *assay.Dataset {
	t.Helper()
	ds, err := snapshot.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func mustParse(t testing.TB, src string) *Spec {
	t.Helper()
	s, err := Parse(strings.NewReader(src), t.Name())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// allMetros is the bundled all-metros study with few permutations.
const allMetros = minimal + `
[estimation]
estimators = ["pearson", "spearman", "kendall", "ols", "wls"]
permutations = 199
`

func TestRunBundled(t *testing.T) {
	res, err := Run(context.Background(), bundled(t), mustParse(t, allMetros))
	if err != nil {
		t.Fatal(err)
	}
	if res.Synthetic {
		t.Error("bundled data marked synthetic")
	}
	n := len(res.Sample.Rows)
	// 388 metros have the bundled share in both years; the FBI published
	// a violent rate in both years for a little over 300 of them.
	if n < 280 || n > 340 {
		t.Errorf("%d metros in the sample", n)
	}
	if got := len(res.Sample.Rows) + len(res.Sample.Dropped); got < 380 {
		t.Errorf("only %d metros considered", got)
	}
	var names []string
	for _, f := range res.Findings {
		names = append(names, f.Estimator)
		if f.N != n || !f.Estimate.Valid || !f.P.Valid || f.P.V < 0 || f.P.V > 1 {
			t.Errorf("%s: n %d estimate %v p %v", f.Estimator, f.N, f.Estimate, f.P)
		}
		if !(f.CILow.V <= f.Estimate.V && f.Estimate.V <= f.CIHigh.V) {
			t.Errorf("%s: interval [%v, %v] misses the estimate %v", f.Estimator, f.CILow, f.CIHigh, f.Estimate)
		}
		if f.Spec["source"] != string(Bundled) || f.Spec["offense"] != "violent" || f.Spec["years"] != "2012-2017" {
			t.Errorf("%s: spec %v", f.Estimator, f.Spec)
		}
		if !strings.Contains(strings.Join(f.Notes, " "), "not the NTCA-born share") {
			t.Errorf("%s: notes do not say the measure is not NTCA: %v", f.Estimator, f.Notes)
		}
	}
	if want := []string{"pearson", "spearman", "kendall", "ols_hc3", "wls_hc3"}; !reflect.DeepEqual(names, want) {
		t.Errorf("estimators %v, want %v", names, want)
	}
	// The OLS slope's permutation test is Pearson's: same orderings, same p.
	if res.Findings[3].PermP != res.Findings[0].PermP || !res.Findings[0].PermP.Valid {
		t.Errorf("ols perm p %v, pearson %v", res.Findings[3].PermP, res.Findings[0].PermP)
	}
	// The slope is r·sd(Y)/sd(X).
	x, y, _ := res.Sample.Columns()
	if want := res.Findings[0].Estimate.V * sd(y) / sd(x); math.Abs(res.Findings[3].Estimate.V-want) > 1e-9*math.Abs(want) {
		t.Errorf("ols slope %v, r·sd(y)/sd(x) = %v", res.Findings[3].Estimate.V, want)
	}
	for _, r := range res.Sample.Rows {
		if r.X != 100*(r.EndShare.Value.V-r.BaseShare.Value.V) || r.Y != r.EndRate.V-r.BaseRate.V || r.Weight <= 0 {
			t.Fatalf("row %+v: X, Y or weight wrong", r)
		}
	}
	if !strings.Contains(strings.Join(res.Notes, " "), "rape under different definitions") {
		t.Errorf("no rape-definition caveat for violent crime 2012-2017: %v", res.Notes)
	}
	t.Logf("all metros, bundled all-foreign-born share: %+v", res.Findings[0])

	top, err := Run(context.Background(), bundled(t), mustParse(t, minimal+"[selection]\nrule = \"top_count\"\nn = 10\npool = \"fbi\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := top.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	// A small sample is listed metro by metro, in rank order.
	for _, r := range top.Sample.Rows {
		if !strings.Contains(b.String(), r.Title) {
			t.Errorf("text does not list %s:\n%s", r.Title, b.String())
		}
	}
}

func sd(v []float64) float64 {
	var m, s float64
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(v)-1))
}

func TestInfluenceAndPower(t *testing.T) {
	res, err := Run(context.Background(), bundled(t), mustParse(t, minimal))
	if err != nil {
		t.Fatal(err)
	}
	in := res.Influence
	if !(in.LOOMin <= in.R && in.R <= in.LOOMax) {
		t.Errorf("r %v outside its leave-one-out range [%v, %v]", in.R, in.LOOMin, in.LOOMax)
	}
	if len(in.ByShift) != topInfluential || len(in.ByCook) != topInfluential {
		t.Fatalf("influence lists %d and %d long", len(in.ByShift), len(in.ByCook))
	}
	for i := 1; i < topInfluential; i++ {
		if math.Abs(in.ByShift[i].Shift) > math.Abs(in.ByShift[i-1].Shift) || in.ByCook[i].Cook > in.ByCook[i-1].Cook {
			t.Errorf("influence lists out of order at %d", i)
		}
	}
	// The largest shift is one of the two ends of the leave-one-out range.
	if top := in.ByShift[0].RWithout; top != in.LOOMin && top != in.LOOMax {
		t.Errorf("most influential metro's r %v is neither end of [%v, %v]", top, in.LOOMin, in.LOOMax)
	}
	// Recompute one metro's r without it.
	drop := in.ByShift[0].CBSA
	var x, y []float64
	for _, r := range res.Sample.Rows {
		if r.CBSA != drop {
			x, y = append(x, r.X), append(y, r.Y)
		}
	}
	p, err := stats.Pearson(x, y, stats.CorrOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(p.Terms[0].Estimate-in.ByShift[0].RWithout) > 1e-12 {
		t.Errorf("r without %s: %v, influence says %v", drop, p.Terms[0].Estimate, in.ByShift[0].RWithout)
	}
	pw := res.Power
	// docs/stats.md: 0.5167 for 27 metros at alpha 0.05 and 80% power.
	if math.Abs(pw.PaperMDC-0.5167) > 5e-5 || pw.PaperN != 27 || pw.N != len(res.Sample.Rows) {
		t.Errorf("power %+v", pw)
	}
	if !(pw.MDC < pw.PaperMDC && pw.PowerPaperN <= pw.PowerN && pw.PowerN >= Alpha) {
		t.Errorf("more metros should detect smaller effects: %+v", pw)
	}
	t.Logf("influence %+v", in)
	t.Logf("power %+v", pw)
}

func TestSelectionRules(t *testing.T) {
	d, err := NewData(bundled(t), "")
	if err != nil {
		t.Fatal(err)
	}
	base := Choice{Years: Years{2012, 2017}, Source: Bundled, Group: ForeignBorn, Measure: PPChange, Offense: assay.Murder,
		Change: RateChange, Coverage: Coverage{Match: AnyMatch}}
	for _, tc := range []struct {
		name   string
		sel    Selection
		cov    Coverage
		check  func(t *testing.T, s *Sample)
		picked int // rows + dropped
	}{
		{"top count among FBI metros", Selection{Rule: TopCount, N: 27, Pool: FBIPool, RankYear: BaseYear}, Coverage{Match: AnyMatch}, func(t *testing.T, s *Sample) {
			if len(s.Dropped) != 0 {
				t.Errorf("murder is never blank, yet %d dropped: %+v", len(s.Dropped), s.Dropped)
			}
			for i := 1; i < len(s.Rows); i++ {
				if s.Rows[i].BaseCount.Value.V > s.Rows[i-1].BaseCount.Value.V {
					t.Errorf("rank %d has a larger count than rank %d", i+1, i)
				}
			}
		}, 27},
		{"top share, census pool", Selection{Rule: TopShare, N: 100, Pool: CensusPool, RankYear: BaseYear}, Coverage{Match: AnyMatch}, func(t *testing.T, s *Sample) {
			for _, dr := range s.Dropped {
				if !strings.Contains(dr.Reason, "FBI did not publish") {
					t.Errorf("%s dropped for %q", dr.Title, dr.Reason)
				}
			}
			if len(s.Dropped) == 0 {
				t.Error("the top 100 shares should include metros the FBI did not publish in both years")
			}
		}, 100},
		{"end-year ranking with a population floor", Selection{Rule: TopShare, N: 10, Pool: FBIPool, RankYear: EndYear, MinPopulation: 1e6}, Coverage{Match: AnyMatch}, func(t *testing.T, s *Sample) {
			for _, r := range s.Rows {
				if d.At(r.CBSA, 2017).Nativity.Total.Value.V < 1e6 {
					t.Errorf("%s is under a million", r.Title)
				}
			}
		}, 10},
		{"coverage 0.9", Selection{Rule: All}, Coverage{Min: 0.9, Match: AnyMatch}, func(t *testing.T, s *Sample) {
			for _, r := range s.Rows {
				for _, y := range []int{2012, 2017} {
					if c := d.At(r.CBSA, y).Crime.Coverage; c.V < 0.9 {
						t.Errorf("%s %d coverage %v", r.Title, y, c)
					}
				}
			}
		}, -1},
		{"exact names", Selection{Rule: All}, Coverage{Match: ExactMatch}, func(t *testing.T, s *Sample) {
			for _, r := range s.Rows {
				for _, y := range []int{2012, 2017} {
					if m := d.At(r.CBSA, y).Crime.Match; m != "exact" && m != "normalized" {
						t.Errorf("%s %d matched by %s", r.Title, y, m)
					}
				}
			}
		}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			c.Selection, c.Coverage = tc.sel, tc.cov
			s, err := d.Sample(c)
			if err != nil {
				t.Fatal(err)
			}
			if tc.picked >= 0 && len(s.Rows)+len(s.Dropped) != tc.picked {
				t.Errorf("%d metros picked (%d in, %d dropped), want %d", len(s.Rows)+len(s.Dropped), len(s.Rows), len(s.Dropped), tc.picked)
			}
			tc.check(t, s)
		})
	}
}

func TestMeasures(t *testing.T) {
	for _, tc := range []struct {
		measure   Measure
		base, end float64
		want      float64
		err       bool
	}{
		{"share", 0.05, 0.06, 5, false},
		{"pp_change", 0.05, 0.06, 1, false},
		{"pct_change", 0.05, 0.06, 20, false},
		{"log_share", 0.05, 0.06, math.Log(1.2), false},
		{"pct_change", 0, 0.06, 0, true},
		{"log_share", 0.05, 0, 0, true},
		{"odds", 0.05, 0.06, 0, true},
	} {
		got, err := measureValue(tc.measure, tc.base, tc.end)
		if (err != nil) != tc.err || math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s(%v, %v) = %v, %v; want %v (error %v)", tc.measure, tc.base, tc.end, got, err, tc.want, tc.err)
		}
	}
	for _, tc := range []struct {
		change    Change
		base, end float64
		want      float64
		err       bool
	}{
		{"rate_change", 400, 300, -100, false},
		{"pct_change", 400, 300, -25, false},
		{"log_ratio", 400, 300, math.Log(0.75), false},
		{"pct_change", 0, 3, 0, true},
		{"log_ratio", 2, 0, 0, true},
	} {
		got, err := changeValue(tc.change, tc.base, tc.end)
		if (err != nil) != tc.err || math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s(%v, %v) = %v, %v; want %v (error %v)", tc.change, tc.base, tc.end, got, err, tc.want, tc.err)
		}
	}
}

func TestShareIn(t *testing.T) {
	pts := []yearValue{{2012, 0.10}, {2017, 0.15}}
	for _, tc := range []struct {
		year   int
		linear bool
		want   float64
		ok     bool
	}{
		{2012, false, 0.10, true},
		{2014, false, 0, false},
		{2014, true, 0.12, true},
		{2006, true, 0.04, true}, // the 2012-2017 line extended back
		{2018, true, 0.16, true},
	} {
		got, ok := shareIn(tc.year, pts, tc.linear)
		if ok != tc.ok || math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("shareIn(%d, linear %v) = %v, %v; want %v, %v", tc.year, tc.linear, got, ok, tc.want, tc.ok)
		}
	}
	// With three measured years each stretch uses its own line.
	three := []yearValue{{2010, 0.1}, {2012, 0.2}, {2017, 0.1}}
	if got, _ := shareIn(2011, three, true); math.Abs(got-0.15) > 1e-12 {
		t.Errorf("2011: %v", got)
	}
	if got, _ := shareIn(2018, three, true); math.Abs(got-0.08) > 1e-12 {
		t.Errorf("2018: %v", got)
	}
	if _, ok := shareIn(2013, pts[:1], true); ok {
		t.Error("interpolated from one point")
	}
}

func TestPanel(t *testing.T) {
	ds := bundled(t)
	for _, tc := range []struct {
		interpolation string
		years         []int
	}{
		{"observed", []int{2012, 2017}},
		{"linear", []int{2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018}},
	} {
		t.Run(tc.interpolation, func(t *testing.T) {
			s := mustParse(t, minimal+"[panel]\nfrom = 2006\nto = 2018\ninterpolation = \""+tc.interpolation+"\"\n")
			res, err := Run(context.Background(), ds, s)
			if err != nil {
				t.Fatal(err)
			}
			p := res.Panel
			if !reflect.DeepEqual(p.Years, tc.years) {
				t.Errorf("years %v, want %v", p.Years, tc.years)
			}
			if len(p.Findings) != 3 || p.Metros < 300 {
				t.Fatalf("%d findings, %d metros", len(p.Findings), p.Metros)
			}
			for _, f := range p.Findings {
				if f.Clusters < 300 || f.Clusters > p.Metros || !f.SE.Valid || f.Spec["interpolation"] != tc.interpolation {
					t.Errorf("%s: clusters %d, se %v, spec %v", f.Estimator, f.Clusters, f.SE, f.Spec)
				}
			}
			notes := strings.Join(p.Notes, " ")
			if !strings.Contains(notes, "measured in 2012, 2017") {
				t.Errorf("notes do not say when the share is measured: %s", notes)
			}
			if tc.interpolation == "linear" && !strings.Contains(notes, "descriptive") {
				t.Errorf("interpolated panel not flagged as descriptive: %s", notes)
			}
			if tc.interpolation == "observed" {
				// Two years: first differences are the 2012-2017 long
				// difference, which two-way fixed effects equal exactly.
				fe, fd := p.Findings[0], p.Findings[1]
				if math.Abs(fe.Estimate.V-fd.Estimate.V) > 1e-9*math.Abs(fe.Estimate.V) {
					t.Errorf("two periods: FE %v != FD %v", fe.Estimate, fd.Estimate)
				}
			}
			t.Logf("%s: %+v", tc.interpolation, p.Findings)
		})
	}
	s := mustParse(t, minimal+"[outcome]\noffense = \"murder\"\n[panel]\nfrom = 2006\nto = 2018\noffense = \"violent\"\n")
	res, err := Run(context.Background(), ds, s)
	if err != nil {
		t.Fatal(err)
	}
	if notes := strings.Join(res.Panel.Notes, " "); !strings.Contains(notes, "2012 legacy, 2017 revised") {
		t.Errorf("violent panel without the rape-definition note: %s", notes)
	}
}

// grid is a small multiverse on the bundled data.
const grid = minimal + `
[estimation]
estimators = ["pearson"]
[grid]
measure = ["pp_change", "log_share"]
offense = ["violent", "murder"]
weights = ["none", "population"]
estimators = ["pearson", "spearman", "ols"]
selection = [{ rule = "all" }, { rule = "top_count", n = 27, pool = "fbi" }]
permutations = 99
`

func TestMultiverse(t *testing.T) {
	ds := bundled(t)
	run := func(seed uint64) *Multiverse {
		s := mustParse(t, grid)
		s.Estimation.Seed = seed
		res, err := Run(context.Background(), ds, s)
		if err != nil {
			t.Fatal(err)
		}
		return res.Multiverse
	}
	m := run(1)
	// 2 measures × 2 offences × 2 selections = 8 samples; per sample
	// pearson and weighted pearson, spearman once (no weighted form), ols
	// and wls: 5 each.
	if m.Summary.Specs != 40 || len(m.Specs) != 40 || m.Summary.Skipped != 0 {
		t.Fatalf("%d specifications (%d skipped), want 40", len(m.Specs), m.Summary.Skipped)
	}
	seen := map[string]bool{}
	sig := 0
	for _, f := range m.Specs {
		k := f.Spec["measure"] + f.Spec["offense"] + f.Spec["selection"] + f.Spec["weights"] + f.Estimator
		if seen[k] {
			t.Errorf("specification %s twice", k)
		}
		seen[k] = true
		if p := PValue(f); p.V < Alpha {
			sig++
		}
		if !f.PermP.Valid && f.Estimator != "wls_hc3" {
			t.Errorf("%s has no permutation p", k)
		}
	}
	if sig != m.Summary.Significant || m.Summary.Positive+m.Summary.Negative != 40 {
		t.Errorf("summary %+v disagrees with the specifications (%d significant)", m.Summary, sig)
	}
	if m.Summary.Correlation.N != 24 { // pearson, weighted pearson, spearman × 8
		t.Errorf("%d correlation estimates, want 24", m.Summary.Correlation.N)
	}
	a, _ := json.Marshal(m)
	for _, procs := range []int{1, 3} {
		// The grid's workers are GOMAXPROCS; each specification's draws
		// depend only on its own key, so any number gives the same answer.
		prev := runtime.GOMAXPROCS(procs)
		again := run(1)
		runtime.GOMAXPROCS(prev)
		if b, _ := json.Marshal(again); string(a) != string(b) {
			t.Errorf("the same seed on %d workers gave a different multiverse", procs)
		}
	}
	other := run(2)
	differ := false
	for i := range m.Specs {
		if m.Specs[i].Estimate != other.Specs[i].Estimate {
			t.Fatalf("spec %d: the seed changed an estimate", i)
		}
		differ = differ || m.Specs[i].PermP != other.Specs[i].PermP
	}
	if !differ {
		t.Error("another seed gave the same permutation p-values everywhere")
	}
	t.Logf("summary %+v", m.Summary)

	// A filter keeps the specifications making its choices, summarised
	// anew: 2 selections × 5 estimator-weightings of murder, log share.
	f := m.Filter(map[string]string{"offense": "murder", "measure": "log_share"}, "")
	if len(f.Specs) != 10 || f.Summary.Specs != 10 || len(f.Dimensions) != len(m.Dimensions) {
		t.Fatalf("filtered: %d specifications (summary %d), %d dimensions", len(f.Specs), f.Summary.Specs, len(f.Dimensions))
	}
	fsig := 0
	for _, fd := range f.Specs {
		if fd.Spec["offense"] != "murder" || fd.Spec["measure"] != "log_share" {
			t.Errorf("filter kept %v", fd.Spec)
		}
		if p := PValue(fd); p.V < Alpha {
			fsig++
		}
	}
	if f.Summary.Significant != fsig {
		t.Errorf("filtered summary: %d significant, the specifications %d", f.Summary.Significant, fsig)
	}
	if none := m.Filter(map[string]string{"offense": "arson"}, ""); len(none.Specs) != 0 || none.Summary.Specs != 0 {
		t.Errorf("a choice no specification makes kept %d", len(none.Specs))
	}
	sp := m.Filter(map[string]string{"offense": "murder"}, "spearman")
	if len(sp.Specs) != 4 || len(sp.Summary.ByEstimator) != 1 || sp.Summary.ByEstimator[0].Estimator != "spearman" {
		t.Errorf("murder, spearman: %d specifications, summary %+v", len(sp.Specs), sp.Summary.ByEstimator)
	}
	if w := FindingEstimator(Pearson, Population); w != "weighted_pearson" {
		t.Errorf("FindingEstimator(pearson, population) = %q", w)
	}
}

func TestMultiverseSkipsMissingSources(t *testing.T) {
	s := mustParse(t, minimal+"[grid]\nsource = [\"bundled\", \"acs1\"]\ngroup = [\"foreign_born\"]\n")
	// acs1 foreign_born is a valid choice; the bundled data just lacks it.
	res, err := Run(context.Background(), bundled(t), s)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Multiverse
	if len(m.Specs) != 1 || len(m.Skipped) != 1 || !strings.Contains(m.Skipped[0].Reason, "no acs1 foreign_born measure") {
		t.Errorf("specs %d, skipped %+v", len(m.Specs), m.Skipped)
	}
}

func TestMissingOrigin(t *testing.T) {
	_, err := Run(context.Background(), bundled(t), mustParse(t, minimal+"[immigrant]\nsource = \"acs1\"\ngroup = \"ntca\"\n"))
	var me *MissingOriginError
	if !errors.As(err, &me) {
		t.Fatalf("error %v, want a MissingOriginError", err)
	}
	me.Rerun = "assay study mine.toml"
	for _, want := range []string{"assay fetch census --table B05006 --years 2012,2017 --geo cbsa --product acs1 --out acs",
		"assay ingest --census acs --db assay.duckdb", "assay study mine.toml --db assay.duckdb", "(it has none)"} {
		if !strings.Contains(me.Error(), want) {
			t.Errorf("%q lacks %q", me.Error(), want)
		}
	}
	// The bundled share is measured for two 5-year periods: the message
	// names them, from the data.
	_, err = Run(context.Background(), bundled(t), mustParse(t, strings.Replace(minimal, "base = 2012", "base = 2010", 1)))
	if err == nil || !strings.Contains(err.Error(), "the data has 2008-2012, 2013-2017") {
		t.Errorf("bundled years outside the data: %v", err)
	}
}

// TestPanelYearsOutsideTheData: a panel naming years the data lacks is
// refused, with the years the data has.
func TestPanelYearsOutsideTheData(t *testing.T) {
	_, err := Run(context.Background(), bundled(t), mustParse(t, minimal+"[panel]\nfrom = 2005\nto = 2030\n"))
	if err == nil || !strings.Contains(err.Error(), "panel 2005-2030: the data's metro-year panel has the years 2006-2018, 2023") {
		t.Errorf("error %v", err)
	}
}

func TestVintage(t *testing.T) {
	_, err := Run(context.Background(), bundled(t), mustParse(t, strings.Replace(minimal, "[years]", "vintage = \"2020-03\"\n[years]", 1)))
	if err == nil || !strings.Contains(err.Error(), "--vintage 2020-03") {
		t.Errorf("another vintage: %v", err)
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
			golden.Check(t, name+".txt", out)
		})
	}
}

// TestMultiverseProgressAndCancel: the multiverse reports each data choice
// done, and a cancelled context stops it with the context's error.
func TestMultiverseProgressAndCancel(t *testing.T) {
	var mu sync.Mutex
	var last, total int
	ctx := WithProgress(context.Background(), func(label string, done, n int) {
		mu.Lock()
		defer mu.Unlock()
		last, total = max(last, done), n
	})
	if _, err := Run(ctx, bundled(t), mustParse(t, grid)); err != nil {
		t.Fatal(err)
	}
	if total != 8 || last != 8 {
		t.Errorf("progress reached %d of %d, want 8 of 8 data choices", last, total)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(cancelled, bundled(t), mustParse(t, grid)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}
}

// TestEstimatorNamesTheMetro: an observation an estimator refuses (here a
// negative population weight, as an impossible FBI figure would give) is
// named by metro and source row, not by its index.
func TestEstimatorNamesTheMetro(t *testing.T) {
	s := &Sample{Rows: []Row{
		{CBSA: "10180", Title: "Abilene, TX", X: 1, Y: 2, Weight: 100, Sources: []string{"t6/2012.csv row 5", "t6/2017.csv row 9"}},
		{CBSA: "10420", Title: "Akron, OH", X: 2, Y: 1, Weight: -3, Sources: []string{"t6/2012.csv row 12", "t6/2017.csv row 20"}},
		{CBSA: "10500", Title: "Albany, GA", X: 3, Y: 5, Weight: 50},
		{CBSA: "10580", Title: "Albany, NY", X: 4, Y: 3, Weight: 70},
		{CBSA: "10740", Title: "Albuquerque, NM", X: 5, Y: 6, Weight: 90},
	}}
	c := Choice{Years: Years{2012, 2017}, Measure: PPChange, Change: RateChange, Source: Bundled, Group: ForeignBorn}
	_, err := NewFitter(s, Inference{Level: 0.95}).Finding("x", c, "2013-02", Pearson, Population)
	if err == nil || !strings.Contains(err.Error(), "metro 10420 Akron, OH (t6/2012.csv row 12; t6/2017.csv row 20)") {
		t.Errorf("error %v", err)
	}
}

// TestLineAndPowerCurve: the drawn line has the OLS slope the findings
// report, its band contains it, and the power curve falls with n and gives
// the reported MDC at the study's and the reference's n.
// TestExclude leaves metros out after selection: each is dropped with the
// study's reason, a top-n rule does not replace it, and the estimate is the
// one on the other metros.
func TestExclude(t *testing.T) {
	for _, sel := range []string{"", "[selection]\nrule = \"top_count\"\nn = 27\npool = \"fbi\"\n"} {
		full, err := Run(context.Background(), bundled(t), mustParse(t, minimal+sel))
		if err != nil {
			t.Fatal(err)
		}
		out := []string{full.Sample.Rows[0].CBSA, full.Sample.Rows[len(full.Sample.Rows)-1].CBSA}
		src := strings.Replace(minimal, "[years]", fmt.Sprintf("exclude = [%q, %q]\n[years]", out[0], out[1]), 1) + sel
		res, err := Run(context.Background(), bundled(t), mustParse(t, src))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(res.Sample.Rows), len(full.Sample.Rows)-2; got != want {
			t.Errorf("%q: %d metros, want %d", sel, got, want)
		}
		for _, code := range out {
			i := slices.IndexFunc(res.Sample.Dropped, func(d Drop) bool { return d.CBSA == code })
			if i < 0 || res.Sample.Dropped[i].Reason != ExcludedReason {
				t.Errorf("%q: %s not dropped as excluded: %+v", sel, code, res.Sample.Dropped)
			}
		}
		x, y, _ := res.Sample.Columns()
		r, err := stats.Pearson(x, y, stats.CorrOptions{})
		if err != nil {
			t.Fatal(err)
		}
		f := res.Findings[0]
		if f.Estimate.V != r.Terms[0].Estimate || f.N != len(x) {
			t.Errorf("%q: r %v n %d, on the rest %v n %d", sel, f.Estimate, f.N, r.Terms[0].Estimate, len(x))
		}
		if want := out[0] + "," + out[1]; f.Spec["exclude"] != want {
			t.Errorf("%q: spec exclude %q, want %q", sel, f.Spec["exclude"], want)
		}
	}
}

func TestLineAndPowerCurve(t *testing.T) {
	res, err := Run(context.Background(), bundled(t), mustParse(t, allMetros))
	if err != nil {
		t.Fatal(err)
	}
	l := res.Line
	first, last := l[0], l[len(l)-1]
	var ols assay.Finding
	for _, f := range res.Findings {
		if f.Estimator == "ols_hc3" {
			ols = f
		}
	}
	if slope := (last.Fit - first.Fit) / (last.X - first.X); math.Abs(slope-ols.Estimate.V) > 1e-9*math.Abs(ols.Estimate.V) {
		t.Errorf("line slope %v, OLS %v", slope, ols.Estimate.V)
	}
	// A study weighted by population draws the WLS line it reports.
	weighted, err := Run(context.Background(), bundled(t), mustParse(t, minimal+"[estimation]\nestimators = [\"ols\"]\nweights = \"population\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	wl, wls := weighted.Line, weighted.Findings[0]
	if slope := (wl[len(wl)-1].Fit - wl[0].Fit) / (wl[len(wl)-1].X - wl[0].X); wls.Estimator != "wls_hc3" || math.Abs(slope-wls.Estimate.V) > 1e-9*math.Abs(wls.Estimate.V) {
		t.Errorf("weighted line slope %v, %s %v", slope, wls.Estimator, wls.Estimate.V)
	}
	for _, p := range l {
		if !(p.Lo < p.Fit && p.Fit < p.Hi) {
			t.Errorf("band [%v, %v] misses the fit %v at x %v", p.Lo, p.Hi, p.Fit, p.X)
		}
	}
	pw := res.Power
	for i := 1; i < len(pw.Curve); i++ {
		if pw.Curve[i].MDC >= pw.Curve[i-1].MDC || pw.Curve[i].N != pw.Curve[i-1].N+1 {
			t.Fatalf("curve not falling by one metro at a time at %+v", pw.Curve[i])
		}
	}
	at := func(n int) float64 { return pw.Curve[n-MinMetros].MDC }
	if at(pw.N) != pw.MDC || at(pw.PaperN) != pw.PaperMDC {
		t.Errorf("curve at %d and %d: %v %v, reported %v %v", pw.N, pw.PaperN, at(pw.N), at(pw.PaperN), pw.MDC, pw.PaperMDC)
	}
}
