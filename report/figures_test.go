package report

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/chart"
	"github.com/assaylab/assay/papers/blanchard2019"
	"github.com/assaylab/assay/study"
)

// figureTable reads a figure's tables by name and column, failing the test
// on a name the figure lacks.
type figureTable struct {
	t   *testing.T
	fig *chart.Figure
	tab *chart.Table
}

func tableOf(t *testing.T, fig *chart.Figure, name string) figureTable {
	t.Helper()
	for i := range fig.Tables {
		if fig.Tables[i].Name == name {
			return figureTable{t, fig, &fig.Tables[i]}
		}
	}
	t.Fatalf("figure %s has no table %q", fig.ID, name)
	return figureTable{}
}

func (ft figureTable) column(name string) *chart.Column {
	ft.t.Helper()
	for i := range ft.tab.Columns {
		if ft.tab.Columns[i].Name == name {
			return &ft.tab.Columns[i]
		}
	}
	ft.t.Fatalf("figure %s table %s has no column %q", ft.fig.ID, ft.tab.Name, name)
	return nil
}

func (ft figureTable) num(name string) []float64 { ft.t.Helper(); return ft.column(name).Num }
func (ft figureTable) text(name string) []string { ft.t.Helper(); return ft.column(name).Text }

// same is exact equality, NaN equal to NaN: a figure copies the findings'
// numbers, it does not compute them again.
func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func sameNums(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, the findings have %d", what, len(got), len(want))
		return
	}
	for i := range got {
		if !same(got[i], want[i]) {
			t.Errorf("%s[%d] = %v, the findings say %v", what, i, got[i], want[i])
			return
		}
	}
}

// axisNames are the names of the columns a finding's X and Y are drawn
// from.
func axisNames(t *testing.T, f assay.Finding) (x, y string) {
	t.Helper()
	xq, yq, err := studyQuantities(f)
	if err != nil {
		t.Fatal(err)
	}
	return xq.Name, yq.Name
}

func figureByID(t *testing.T, r *Report, id string) *chart.Figure {
	t.Helper()
	for _, f := range r.Figures {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("the report has no figure %s", id)
	return nil
}

// TestFiguresReadTheFindings checks every number each figure draws against
// the finding it comes from: the report computes none of them.
func TestFiguresReadTheFindings(t *testing.T) {
	r, f := snapshotReport(t)
	checked := map[string]bool{}
	check := func(id string, fn func(fig *chart.Figure)) {
		t.Run(id, func(t *testing.T) {
			checked[id] = true
			fn(figureByID(t, r, id))
		})
	}
	for _, o := range []assay.Offense{assay.Violent, assay.Murder} {
		check(IDPaperScatter+o.Key(), func(fig *chart.Figure) {
			metros, fit, corr := tableOf(t, fig, "metros"), tableOf(t, fig, "fit"), tableOf(t, fig, "correlation")
			for i := range f.rep.Rules {
				e := estimateOf(&f.rep.Rules[i], o)
				key := f.rep.Rules[i].Rule.Key
				x, y := axisNames(t, e.Pearson)
				var gx, gy, wx, wy, lx, lf, llo, lhi, wlx, wlf, wlo, wlhi []float64
				for k, rule := range metros.text("rule") {
					if rule == key {
						gx, gy = append(gx, metros.num(x)[k]), append(gy, metros.num(y)[k])
					}
				}
				for _, row := range e.Sample.Rows {
					wx, wy = append(wx, row.X), append(wy, row.Y)
				}
				for k, rule := range fit.text("rule") {
					if rule == key {
						lx, lf, llo, lhi = append(lx, fit.num(x)[k]), append(lf, fit.num("fitted")[k]), append(llo, fit.num("fit low")[k]), append(lhi, fit.num("fit high")[k])
					}
				}
				for _, pt := range e.Line {
					wlx, wlf, wlo, wlhi = append(wlx, pt.X), append(wlf, pt.Fit), append(wlo, pt.Lo), append(wlhi, pt.Hi)
				}
				sameNums(t, key+" x", gx, wx)
				sameNums(t, key+" y", gy, wy)
				sameNums(t, key+" line", slices.Concat(lx, lf, llo, lhi), slices.Concat(wlx, wlf, wlo, wlhi))
				k := slices.Index(corr.text("rule"), key)
				p := e.Pearson
				sameNums(t, key+" n, r, interval, p", []float64{corr.num("n")[k], corr.num("r")[k], corr.num("r low")[k], corr.num("r high")[k], corr.num("p")[k]},
					[]float64{float64(p.N), p.Estimate.V, p.CILow.V, p.CIHigh.V, p.PermP.V})
			}
		})
	}
	check(IDAllMetrosScatter, func(fig *chart.Figure) {
		pf, err := pearsonOf(f.all)
		if err != nil {
			t.Fatal(err)
		}
		x, y := axisNames(t, pf)
		got := map[string][2]float64{}
		for _, name := range []string{"metros", "influential"} {
			tab := tableOf(t, fig, name)
			for k, c := range tab.text("cbsa") {
				got[c] = [2]float64{tab.num(x)[k], tab.num(y)[k]}
			}
		}
		if len(got) != len(f.all.Sample.Rows) {
			t.Errorf("%d metros drawn, the sample has %d", len(got), len(f.all.Sample.Rows))
		}
		for _, row := range f.all.Sample.Rows {
			if g := got[row.CBSA]; !same(g[0], row.X) || !same(g[1], row.Y) {
				t.Errorf("%s drawn at %v, the sample has %v, %v", row.Title, g, row.X, row.Y)
			}
		}
		inf := tableOf(t, fig, "influential")
		for _, m := range f.all.Influence.ByCook {
			k := slices.Index(inf.text("cbsa"), m.CBSA)
			if k < 0 || !same(inf.num("Cook's distance")[k], m.Cook) {
				t.Errorf("influential %s: not drawn with its Cook's distance %v", m.Title, m.Cook)
			}
		}
		corr := tableOf(t, fig, "correlation")
		sameNums(t, "n, r, interval, p", []float64{corr.num("n")[0], corr.num("r")[0], corr.num("r low")[0], corr.num("r high")[0], corr.num("p")[0]},
			[]float64{float64(pf.N), pf.Estimate.V, pf.CILow.V, pf.CIHigh.V, pf.PermP.V})
		var wf []float64
		for _, pt := range f.all.Line {
			wf = append(wf, pt.Fit)
		}
		sameNums(t, "fitted line", tableOf(t, fig, "fit").num("fitted"), wf)
	})
	check(IDMaps, func(fig *chart.Figure) {
		pf, err := pearsonOf(f.all)
		if err != nil {
			t.Fatal(err)
		}
		tab := tableOf(t, fig, "metros")
		x, y := axisNames(t, pf)
		sample := map[string]int{}
		for i, row := range f.all.Sample.Rows {
			sample[row.CBSA] = i
		}
		coloured := 0
		for k, c := range tab.text("cbsa") {
			want := [2]float64{math.NaN(), math.NaN()}
			if i, ok := sample[c]; ok {
				want = [2]float64{f.all.Sample.Rows[i].X, f.all.Sample.Rows[i].Y}
				coloured++
			}
			if !same(tab.num(x)[k], want[0]) || !same(tab.num(y)[k], want[1]) {
				t.Errorf("metro %s coloured by %v, %v; the sample says %v", c, tab.num(x)[k], tab.num(y)[k], want)
			}
		}
		if coloured == 0 {
			t.Error("no metro of the sample is coloured")
		}
	})
	check(IDSpecCurve, func(fig *chart.Figure) {
		tab := tableOf(t, fig, "estimates")
		n := 0
		for _, s := range f.all.Multiverse.Specs {
			if s.Estimator == pearson {
				n++
			}
		}
		if len(tab.text("spec")) != n {
			t.Errorf("%d specifications drawn, the multiverse has %d of Pearson's r", len(tab.text("spec")), n)
		}
		for k, id := range tab.text("spec") {
			i, err := strconv.Atoi(id[len("spec-"):])
			if err != nil {
				t.Fatal(err)
			}
			s := f.all.Multiverse.Specs[i-1]
			sameNums(t, id, []float64{tab.num("r")[k], tab.num("r low")[k], tab.num("r high")[k]}, []float64{s.Estimate.V, s.CILow.V, s.CIHigh.V})
		}
		if !slices.IsSorted(tab.num("r")) {
			t.Error("the estimates are not sorted")
		}
	})
	check(IDPower, func(fig *chart.Figure) {
		p := f.all.Power
		var n, mdc []float64
		for _, pt := range p.Curve {
			n, mdc = append(n, float64(pt.N)), append(mdc, pt.MDC)
		}
		curve, marked := tableOf(t, fig, "curve"), tableOf(t, fig, "marked")
		sameNums(t, "curve", slices.Concat(curve.num("metros"), curve.num("detectable r")), slices.Concat(n, mdc))
		sameNums(t, "marked", slices.Concat(marked.num("metros"), marked.num("detectable r")), []float64{float64(p.PaperN), float64(p.N), p.PaperMDC, p.MDC})
	})
	check(IDNationalCrime, func(fig *chart.Figure) {
		crime := tableOf(t, fig, "crime")
		for k, m := range crime.text("measure") {
			year := int(crime.num("year")[k])
			want := math.NaN()
			if c, ok := f.ds.NationalSeries.Chosen(m, year); ok {
				want = c.Value
			}
			if !same(crime.num("rate")[k], want) {
				t.Errorf("%s %d drawn as %v, the national series says %v", m, year, crime.num("rate")[k], want)
			}
		}
		share := tableOf(t, fig, "share")
		var want, lo, hi []float64
		for _, n := range f.ds.NationalNativity {
			e := n.FBNTCAShare
			want, lo, hi = append(want, 100*e.Value.V), append(lo, 100*(e.Value.V-e.MOE.V)), append(hi, 100*(e.Value.V+e.MOE.V))
		}
		sameNums(t, "NTCA-origin share", slices.Concat(share.num("NTCA-origin share"), share.num("90% low"), share.num("90% high")), slices.Concat(want, lo, hi))
	})
	check(IDOrigin, func(fig *chart.Figure) {
		tab := tableOf(t, fig, "origin")
		var want []float64
		for _, o := range origins {
			for i := range f.ds.NationalNativity {
				want = append(want, o.get(&f.ds.NationalNativity[i]).Value.V)
			}
		}
		sameNums(t, "residents", tab.num("foreign-born residents"), want)
	})
	for _, o := range []assay.Offense{assay.Violent, assay.Murder} {
		check(IDMetroRates+o.Key(), func(fig *chart.Figure) {
			tab := tableOf(t, fig, "rates")
			rate := offenceName(o) + " rate"
			picked := f.rep.Rules[0].Picked()
			if got := len(slices.Compact(slices.Clone(tab.text("cbsa")))); got != len(picked) {
				t.Errorf("%d metros drawn, the first rule picks %d", got, len(picked))
			}
			for k, c := range tab.text("cbsa") {
				want := math.NaN()
				if obs := f.ds.Panel.At(c, int(tab.num("year")[k])); obs != nil && obs.Crime != nil {
					want = obs.Crime.Rate[o].Or(math.NaN())
				}
				if !same(tab.num(rate)[k], want) {
					t.Errorf("%s %v drawn as %v, the panel says %v", c, tab.num("year")[k], tab.num(rate)[k], want)
				}
			}
		})
	}
	check(IDColumbus, func(fig *chart.Figure) {
		tab := tableOf(t, fig, "murder")
		c := f.rep.Columbus
		series := map[string][]blanchard2019.YearRate{"msa": c.Published, "city": c.City, "agency": c.Agency}
		for k, key := range tab.text("series") {
			year := int(tab.num("year")[k])
			want := rateIn(series[key], year).Or(math.NaN())
			if !same(tab.num("murder rate")[k], want) {
				t.Errorf("%s %d drawn as %v, the reproduction says %v", key, year, tab.num("murder rate")[k], want)
			}
		}
	})
	check(IDMostViolent, func(fig *chart.Figure) {
		tab := tableOf(t, fig, "top")
		var rate, share, rank []float64
		for _, v := range f.rep.MostViolent.Top {
			rate, share, rank = append(rate, v.Rate.V), append(share, 100*v.ForeignBornShare.V), append(rank, float64(v.ForeignBornRank))
		}
		sameNums(t, "top ten", slices.Concat(tab.num("violent-crime rate"), tab.num("foreign-born share"), tab.num("foreign-born rank")), slices.Concat(rate, share, rank))
	})
	for _, fig := range r.Figures {
		if !checked[fig.ID] {
			t.Errorf("figure %s: no test checks its numbers against the findings", fig.ID)
		}
	}
}

// TestFiguresOfOtherChoices draws the figures the dashboard asks for beyond
// the report's: the specification curve of another estimator over part of
// the multiverse, the scatter of a study weighted by population, and one
// metro's series; each copies its findings' numbers.
func TestFiguresOfOtherChoices(t *testing.T) {
	r, f := snapshotReport(t)
	if r.Ledger != f.ledger || r.Study != f.all {
		t.Error("the report does not carry the findings it lays out")
	}
	t.Run("spec curve", func(t *testing.T) {
		if got := CurveEstimators(f.all.Multiverse); !slices.Equal(got, []string{"pearson", "weighted_pearson", "spearman"}) {
			t.Errorf("curve estimators %v", got)
		}
		part := f.all.Multiverse.Filter(map[string]string{"offense": "murder"}, "")
		fig, err := SpecCurveOf(f.all, part, "spearman")
		if err != nil {
			t.Fatal(err)
		}
		var want []float64
		for _, s := range part.Specs {
			if s.Estimator == "spearman" {
				want = append(want, s.Estimate.V)
			}
		}
		slices.Sort(want)
		sameNums(t, "spearman estimates", tableOf(t, fig, "estimates").num("r"), want)
		if !strings.Contains(fig.Title, "Spearman's rho") || strings.Contains(fig.Title, "Pearson") {
			t.Errorf("title %q", fig.Title)
		}
		for _, c := range tableOf(t, fig, "choices").text("choice") {
			if strings.HasPrefix(c, "offense:") {
				t.Fatalf("the dot matrix shows the offence, which the filter fixed: %q", c)
			}
		}
		if _, err := SpecCurveOf(f.all, part, "ols_hc3"); err == nil {
			t.Error("a curve of slopes, which share no scale")
		}
		if _, err := SpecCurveOf(f.all, f.all.Multiverse.Filter(map[string]string{"offense": "arson"}, ""), "pearson"); err == nil {
			t.Error("a curve of no specification")
		}
	})
	t.Run("weighted scatter", func(t *testing.T) {
		spec := *f.all.Spec
		spec.Grid = study.Grid{}
		spec.Estimation.Weights = study.Population
		spec.Estimation.Permutations = 99
		res, err := study.Run(context.Background(), f.ds, &spec)
		if err != nil {
			t.Fatal(err)
		}
		fig, err := AllMetrosScatter(res)
		if err != nil {
			t.Fatal(err)
		}
		wp := res.Findings[0]
		corr := tableOf(t, fig, "correlation")
		if wp.Estimator != "weighted_pearson" || corr.num("r")[0] != wp.Estimate.V {
			t.Errorf("scatter r %v, the study's %s %v", corr.num("r")[0], wp.Estimator, wp.Estimate.V)
		}
		var wf []float64
		for _, pt := range res.Line {
			wf = append(wf, pt.Fit)
		}
		sameNums(t, "fitted line", tableOf(t, fig, "fit").num("fitted"), wf)
		if !strings.Contains(strings.Join(fig.Notes, " "), "weighted by population") {
			t.Errorf("notes do not say the line is weighted: %q", fig.Notes)
		}
	})
	t.Run("metro series", func(t *testing.T) {
		const first, last = 2006, 2018
		for _, cbsa := range []string{f.all.Sample.Rows[0].CBSA, "18140"} { // 18140: Columbus, OH, unpublished some years
			fig, err := MetroSeries(&f.ds.Panel, cbsa, first, last)
			if err != nil {
				t.Fatal(err)
			}
			crime, share := tableOf(t, fig, "crime"), tableOf(t, fig, "share")
			var violent, murder, pct []float64
			gaps := 0
			for y := first; y <= last; y++ {
				v, m, s := math.NaN(), math.NaN(), math.NaN()
				if o := f.ds.Panel.At(cbsa, y); o != nil {
					if o.Crime != nil {
						v, m = o.Crime.Rate[assay.Violent].Or(math.NaN()), o.Crime.Rate[assay.Murder].Or(math.NaN())
					}
					if o.Nativity != nil {
						s = 100 * o.Nativity.Share.Value.V
					}
				}
				if math.IsNaN(v) {
					gaps++
				}
				violent, murder, pct = append(violent, v), append(murder, m), append(pct, s)
			}
			sameNums(t, cbsa+" violent", crime.num("violent-crime rate"), violent)
			sameNums(t, cbsa+" murder", crime.num("murder rate"), murder)
			sameNums(t, cbsa+" share", share.num("share"), pct)
			if (gaps > 0) != strings.Contains(fig.Title, "no rate in") {
				t.Errorf("%s: %d years without a rate, title %q", cbsa, gaps, fig.Title)
			}
		}
		if _, err := MetroSeries(&f.ds.Panel, "00000", first, last); err == nil {
			t.Error("a series of a metro the panel lacks")
		}
	})
}
