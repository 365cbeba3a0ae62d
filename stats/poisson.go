package stats

import (
	"fmt"
	"math"
	"slices"
)

// IRLS stops when the relative change in deviance falls below poissonTol.
const (
	poissonTol     = 1e-12
	poissonMaxIter = 200
)

// Poisson fits Poisson pseudo-maximum likelihood, log E[y] = Xb + FE +
// offset, by iteratively reweighted least squares, absorbing Design.FE by
// weighted alternating projections at each step (as ppmlhdfe and fixest
// do). Pass log(population) as Design.Offset to model rates. Weights are
// prior weights.
//
// Observations in a fixed-effect level whose outcome is zero throughout are
// dropped (repeatedly, until none remain): their fixed effect is −∞ and they
// carry no information about the slopes; fixest and ppmlhdfe drop them too.
// Standard errors: iid means the model-based (inverse Fisher information)
// variance; HC and CR1 are sandwiches with the scores x̃_i (y_i − μ_i), with
// the same small-sample constants as FE. Without clusters inference is on
// the normal, as glm and statsmodels report it; with clusters on t(G−1).
func Poisson(d Design, o Options) (Result, error) {
	// Before prepare drops zero-weight rows, so Row indexes the caller's data.
	for i, y := range d.Y {
		if y < 0 {
			return Result{}, &RowError{Column: d.yName(), Row: i, Err: fmt.Errorf("Poisson needs a non-negative outcome, got %g", y)}
		}
	}
	d, notes, err := prepare(d)
	if err != nil {
		return Result{}, err
	}
	if keep := dropAllZeroLevels(d); len(keep) < len(d.Y) {
		notes = append(notes, fmt.Sprintf("%d observations dropped: their fixed-effect level has only zero outcomes", len(d.Y)-len(keep)))
		d = d.subset(keep)
	}
	n := len(d.Y)
	names, raw := d.regressors(len(d.FE) == 0 && !d.NoIntercept)
	if len(raw) == 0 {
		return Result{}, fmt.Errorf("Poisson needs at least one regressor")
	}
	k := len(raw)
	absorbed, dfNotes := absorbedDF(d.FE)
	notes = append(notes, dfNotes...)
	if n <= k+absorbed {
		return Result{}, fmt.Errorf("%w: %d observations for %d parameters", ErrTooFew, n, k+absorbed)
	}
	off := func(i int) float64 {
		if d.Offset == nil {
			return 0
		}
		return d.Offset[i]
	}
	ybar := 0.0
	for _, y := range d.Y {
		ybar += y
	}
	ybar /= float64(n)
	mu, eta := make([]float64, n), make([]float64, n)
	for i, y := range d.Y {
		mu[i] = (y + ybar) / 2
		eta[i] = math.Log(mu[i])
	}
	w, z := make([]float64, n), make([]float64, n)
	dev, iters := math.Inf(1), 0
	var fit *lsFit
	var xt [][]float64
	converged := false
	for iters = 1; iters <= poissonMaxIter; iters++ {
		for i, y := range d.Y {
			w[i] = weightAt(d.Weights, i) * mu[i]
			z[i] = eta[i] - off(i) + (y-mu[i])/mu[i]
		}
		zt, xcols, _, err := absorb(d.FE, w, "working outcome", z, names, raw)
		if err != nil {
			return Result{}, err
		}
		if fit, err = leastSquares(names, xcols, zt, w, ""); err != nil {
			return Result{}, err
		}
		xt = xcols
		for i := range eta {
			eta[i] = z[i] - fit.resid[i] + off(i)
			mu[i] = math.Exp(eta[i])
		}
		newDev := poissonDeviance(d.Y, mu, d.Weights)
		if math.IsNaN(newDev) || math.IsInf(newDev, 0) {
			return Result{}, fmt.Errorf("Poisson IRLS diverged at iteration %d (fitted means overflow); check for separation or extreme regressors", iters)
		}
		if math.Abs(newDev-dev)/(0.1+math.Abs(newDev)) < poissonTol {
			dev, converged = newDev, true
			break
		}
		dev = newDev
	}
	if !converged {
		return Result{}, fmt.Errorf("Poisson IRLS did not converge in %d iterations", poissonMaxIter)
	}
	// The variance uses the weights at the converged means, so recompute
	// the demeaned regressors and the bread with them.
	for i := range w {
		w[i] = weightAt(d.Weights, i) * mu[i]
	}
	if _, xt, _, err = absorb(d.FE, w, "working outcome", z, names, raw); err != nil {
		return Result{}, err
	}
	bread, err := leastSquares(names, xt, z, w, "")
	if err != nil {
		return Result{}, err
	}
	in := sandwichInput{
		bread: bread.xtxInv,
		n:     n,
		score: func(i int, dst []float64) {
			e := weightAt(d.Weights, i) * (d.Y[i] - mu[i])
			for j, c := range xt {
				dst[j] = e * c[i]
			}
		},
	}
	se := o.seType(d)
	kCluster, fes, kNotes := clusterK(d, o, k, absorbed)
	notes = append(notes, kNotes...)
	v, df, vNotes, err := vcov(in, vcovSpec{se: se, sigma2: 1, dfResid: float64(n - k - absorbed), kCluster: float64(kCluster), clusters: d.Cluster})
	if err != nil {
		return Result{}, err
	}
	if se != CR1 {
		df = 0
	}
	r := Result{Method: "Poisson PML", Outcome: d.yName(), N: n, SEType: seLabel(se, d.Cluster), DF: df, Level: o.level(), Notes: append(notes, vNotes...)}
	if se == IID {
		r.SEType = "iid (model-based)"
	}
	if len(d.FE) > 0 {
		r.Method = "Poisson PML with fixed effects"
		r.FE = fes
	}
	for _, c := range d.Cluster {
		r.Clusters = append(r.Clusters, ClusterCount{Name: c.Name, G: c.Levels})
	}
	ses := seFromVcov(v)
	for j, name := range names {
		r.Terms = append(r.Terms, waldTerm(name, fit.beta[j], ses[j], refDist{df}, r.Level))
	}
	r.Vcov = denseRows(v)
	nan := math.NaN()
	r.Fit = &Fit{R2: nan, AdjR2: nan, WithinR2: nan, F: nan, FDF1: nan, FDF2: nan, FP: nan, RSS: nan,
		Deviance: dev, AbsorbedDF: absorbed, Iterations: iters}
	r.finish()
	return r, nil
}

// absorb is demeaner.absorb with weights w, or y and the regressors
// unchanged when there are no fixed effects.
func absorb(fes []Factor, w []float64, yName string, y []float64, names []string, raw [][]float64) ([]float64, [][]float64, int, error) {
	if len(fes) == 0 {
		return y, raw, 0, nil
	}
	return newDemeaner(fes, w).absorb(yName, y, names, raw)
}

// dropAllZeroLevels returns the rows that remain after repeatedly removing
// fixed-effect levels whose outcomes are all zero.
func dropAllZeroLevels(d Design) []int {
	keep := make([]bool, len(d.Y))
	for i := range keep {
		keep[i] = true
	}
	for changed := true; changed; {
		changed = false
		for _, f := range d.FE {
			pos := make([]bool, f.Levels)
			for i, c := range f.Codes {
				if keep[i] && d.Y[i] > 0 {
					pos[c] = true
				}
			}
			for i, c := range f.Codes {
				if keep[i] && !pos[c] {
					keep[i], changed = false, true
				}
			}
		}
	}
	var rows []int
	for i, k := range keep {
		if k {
			rows = append(rows, i)
		}
	}
	return slices.Clip(rows)
}

// poissonDeviance is 2 Σ w [y log(y/μ) − (y − μ)], with 0·log 0 = 0.
func poissonDeviance(y, mu, w []float64) float64 {
	s := 0.0
	for i := range y {
		t := -(y[i] - mu[i])
		if y[i] > 0 {
			t += y[i] * math.Log(y[i]/mu[i])
		}
		s += weightAt(w, i) * t
	}
	return 2 * s
}
