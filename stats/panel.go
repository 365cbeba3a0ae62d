package stats

import (
	"fmt"
	"math"
	"strings"
)

// FE fits a linear model with the fixed effects in Design.FE absorbed by
// the within transformation (alternating projections when there are two or
// more, so unbalanced panels are handled).
//
// Degrees of freedom: the residual df is N − k − A, where A is the number of
// absorbed parameters (see absorbedDF); σ², HC1 and the adjusted R² use it,
// so they equal lm() with the fixed effects entered as factor dummies. For
// CR1, fixed effects nested in a cluster variable (a metro effect with
// metro or state clusters) are not counted in K beyond the one constant they
// contain: K = k + A − Σ_nested (levels − 1). This is Stata's xtreg, fe
// vce(cluster) rule and the idea behind fixest's ssc(fixef.K = "nested").
// HC2 and HC3 are refused: their leverages need the fixed-effect part of the
// hat matrix, which the within transformation does not give.
func FE(d Design, o Options) (Result, error) {
	if len(d.FE) == 0 {
		return Result{}, fmt.Errorf("FE needs at least one fixed effect")
	}
	d, notes, err := prepare(d)
	if err != nil {
		return Result{}, err
	}
	if len(d.X) == 0 {
		return Result{}, fmt.Errorf("FE needs at least one regressor besides the fixed effects")
	}
	names, raw := d.regressors(false)
	yt, cols, iters, err := newDemeaner(d.FE, d.Weights).absorb(d.yName(), d.Y, names, raw)
	if err != nil {
		return Result{}, err
	}
	fit, err := leastSquares(names, cols, yt, d.Weights, "")
	if err != nil {
		return Result{}, err
	}
	n, k := len(d.Y), len(cols)
	absorbed, dfNotes := absorbedDF(d.FE)
	notes = append(notes, dfNotes...)
	kCluster, fes, kNotes := clusterK(d, o, k, absorbed)
	notes = append(notes, kNotes...)
	if s := singletons(d.FE); s > 0 {
		notes = append(notes, fmt.Sprintf("%d singleton observations (alone in a fixed-effect level) kept; they have zero residual", s))
	}
	r, err := lsResult(d, o, fit, lsShape{
		method: "Fixed-effects OLS", dfResid: float64(n - k - absorbed), kCluster: float64(kCluster),
		slopes: slopeIndex(k, false), tss: totalSS(d.Y, d.Weights, true), hasConst: true,
		absorbed: absorbed, within: totalSS(yt, d.Weights, false),
	})
	if err != nil {
		return Result{}, err
	}
	r.FE = fes
	r.Fit.Iterations = iters
	r.Notes = append(notes, r.Notes...)
	return r, nil
}

// clusterK returns the K of CR1's (N-1)/(N-K) under the nested rule
// documented at FE, and describes the fixed effects.
func clusterK(d Design, o Options, k, absorbed int) (int, []FixedEffect, []string) {
	kCluster := k + absorbed
	fes := make([]FixedEffect, len(d.FE))
	var nested []string
	for j, f := range d.FE {
		fes[j] = FixedEffect{Name: f.Name, Levels: f.Levels}
		for _, c := range d.Cluster {
			if f.nestedIn(c) {
				fes[j].Nested = true
			}
		}
		if fes[j].Nested && o.seType(d) == CR1 {
			kCluster -= f.Levels - 1
			nested = append(nested, f.Name)
		}
	}
	var notes []string
	if len(nested) > 0 {
		notes = append(notes, fmt.Sprintf("fixed effects nested in the clusters (%s) not counted in the CR1 small-sample K = %d", strings.Join(nested, ", "), kCluster))
	}
	return kCluster, fes, notes
}

func wnorm(v, w []float64) float64 {
	s := 0.0
	for i, x := range v {
		s += weightAt(w, i) * x * x
	}
	return math.Sqrt(s)
}

// Difference fits OLS on differenced data: for every observation of a unit
// at time t whose own observation at t − lag exists, the outcome, the
// regressors and the offset become their change since t − lag; weights and
// clusters are those of the later observation. lag = 1 on consecutive years
// is the first-difference estimator; keeping only two years and setting lag
// to their distance is a long difference (2012→2017). The intercept is kept
// unless Design.NoIntercept (it estimates a common trend, as plm's "fd"
// model does).
func Difference(d Design, unit Factor, time []int, lag int, o Options) (Result, error) {
	n := len(d.Y)
	if err := unit.check(n); err != nil {
		return Result{}, err
	}
	if len(time) != n {
		return Result{}, fmt.Errorf("time has %d values, outcome has %d", len(time), n)
	}
	if lag < 1 {
		return Result{}, fmt.Errorf("difference lag must be at least 1, got %d", lag)
	}
	if len(d.FE) > 0 {
		return Result{}, fmt.Errorf("differencing removes unit effects; fixed effects are not supported with it")
	}
	at := make(map[[2]int]int, n)
	for i := 0; i < n; i++ {
		key := [2]int{unit.Codes[i], time[i]}
		if j, dup := at[key]; dup {
			return Result{}, fmt.Errorf("rows %d and %d are both unit %d at time %d", j, i, unit.Codes[i], time[i])
		}
		at[key] = i
	}
	var cur, prev []int
	for i := 0; i < n; i++ {
		if j, ok := at[[2]int{unit.Codes[i], time[i] - lag}]; ok {
			cur, prev = append(cur, i), append(prev, j)
		}
	}
	diff := func(v []float64) []float64 {
		if v == nil {
			return nil
		}
		out := make([]float64, len(cur))
		for r := range cur {
			out[r] = v[cur[r]] - v[prev[r]]
		}
		return out
	}
	dd := d.subset(cur)
	dd.Y = diff(d.Y)
	for j, v := range d.X {
		dd.X[j].Values = diff(v.Values)
	}
	dd.Offset = diff(d.Offset)
	r, err := OLS(dd, o)
	if err != nil {
		return Result{}, err
	}
	r.Method = fmt.Sprintf("OLS on %d-period differences", lag)
	if lag == 1 {
		r.Method = "First-difference OLS"
	}
	r.Notes = append(r.Notes, fmt.Sprintf("%d of %d observations have a value %d period(s) earlier in the same unit", len(cur), n, lag))
	return r, nil
}
