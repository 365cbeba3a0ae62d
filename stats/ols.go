package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// InterceptName is the name of OLS's constant term (R's spelling).
const InterceptName = "(Intercept)"

// OLS fits ordinary (or, with Design.Weights, weighted) least squares with
// an intercept unless Design.NoIntercept. Fixed effects are FE's job.
func OLS(d Design, o Options) (Result, error) {
	if len(d.FE) > 0 {
		return Result{}, fmt.Errorf("OLS does not absorb fixed effects; use FE")
	}
	d, notes, err := prepare(d)
	if err != nil {
		return Result{}, err
	}
	n := len(d.Y)
	names, cols := d.regressors(!d.NoIntercept)
	fit, err := leastSquares(names, cols, d.Y, d.Weights, "")
	if err != nil {
		return Result{}, err
	}
	k := len(cols)
	tss := totalSS(d.Y, d.Weights, !d.NoIntercept)
	r, err := lsResult(d, o, fit, lsShape{
		method: "OLS", dfResid: float64(n - k), kCluster: float64(k),
		slopes: slopeIndex(k, !d.NoIntercept), tss: tss, hasConst: !d.NoIntercept, leverage: true, within: math.NaN(),
	})
	if err != nil {
		return Result{}, err
	}
	r.Notes = append(notes, r.Notes...)
	return r, nil
}

// prepare validates the design and drops zero-weight rows, saying so.
func prepare(d Design) (Design, []string, error) {
	rows, err := d.check()
	if err != nil {
		return Design{}, nil, err
	}
	var notes []string
	if len(rows) < len(d.Y) {
		notes = append(notes, fmt.Sprintf("%d observations with zero weight left out of the fit and of n (as R's lm counts degrees of freedom)", len(d.Y)-len(rows)))
		d = d.subset(rows)
	}
	return d, notes, nil
}

func slopeIndex(k int, hasConst bool) []int {
	var s []int
	for j := 0; j < k; j++ {
		if j == 0 && hasConst {
			continue
		}
		s = append(s, j)
	}
	return s
}

// totalSS is Σw(y-ȳ_w)², or Σwy² without a constant (R's convention for R²).
func totalSS(y, w []float64, centered bool) float64 {
	mean := 0.0
	if centered {
		sw := 0.0
		for i, v := range y {
			wi := weightAt(w, i)
			mean += wi * v
			sw += wi
		}
		mean /= sw
	}
	s := 0.0
	for i, v := range y {
		s += weightAt(w, i) * (v - mean) * (v - mean)
	}
	return s
}

func weightAt(w []float64, i int) float64 {
	if w == nil {
		return 1
	}
	return w[i]
}

// lsShape carries what differs between OLS and FE when turning a
// least-squares fit into a Result.
type lsShape struct {
	method   string
	dfResid  float64 // N minus all parameters, absorbed ones included
	kCluster float64 // K in CR1's (N-1)/(N-K)
	slopes   []int   // coefficients the F statistic tests
	tss      float64 // total sum of squares for R²
	hasConst bool    // the model has a constant (explicit or absorbed)
	absorbed int
	within   float64 // within total SS for FE; NaN otherwise
	leverage bool    // false when absorbed FE make HC2/HC3 unavailable
}

func lsResult(d Design, o Options, fit *lsFit, s lsShape) (Result, error) {
	n := len(d.Y)
	if s.dfResid <= 0 {
		return Result{}, fmt.Errorf("%w: %d observations leave no residual degrees of freedom", ErrTooFew, n)
	}
	se := o.seType(d)
	in := lsSandwich(fit)
	if !s.leverage {
		in.leverage = nil
	}
	rss := fit.rss()
	v, df, notes, err := vcov(in, vcovSpec{se: se, lag: o.Lag, sigma2: rss / s.dfResid, dfResid: s.dfResid, kCluster: s.kCluster, clusters: d.Cluster})
	if err != nil {
		return Result{}, err
	}
	r := Result{Method: s.method, Outcome: d.yName(), N: n, SEType: seLabel(se, d.Cluster), DF: df, Level: o.level(), Notes: notes}
	for _, c := range d.Cluster {
		r.Clusters = append(r.Clusters, ClusterCount{Name: c.Name, G: c.Levels})
	}
	ses := seFromVcov(v)
	for j, name := range fit.names {
		r.Terms = append(r.Terms, waldTerm(name, fit.beta[j], ses[j], refDist{df}, r.Level))
	}
	r.Vcov = denseRows(v)
	fitStats := &Fit{R2: 1 - rss/s.tss, WithinR2: math.NaN(), F: math.NaN(), FDF1: math.NaN(), FDF2: math.NaN(), FP: math.NaN(),
		RSS: rss, Deviance: math.NaN(), AbsorbedDF: s.absorbed}
	c := 0.0
	if s.hasConst {
		c = 1
	}
	fitStats.AdjR2 = 1 - (1-fitStats.R2)*(float64(n)-c)/s.dfResid
	if !math.IsNaN(s.within) {
		fitStats.WithinR2 = 1 - rss/s.within
	}
	if q := len(s.slopes); q > 0 {
		b := make([]float64, q)
		sub := mat.NewSymDense(q, nil)
		for a, ja := range s.slopes {
			b[a] = fit.beta[ja]
			for bb, jb := range s.slopes {
				sub.SetSym(a, bb, v.At(ja, jb))
			}
		}
		f, err := waldF(b, sub)
		if err == nil {
			fitStats.F, fitStats.FDF1, fitStats.FDF2 = f, float64(q), df
			fitStats.FP = distuv.F{D1: float64(q), D2: df}.Survival(f)
		} else {
			r.Notes = append(r.Notes, "F statistic not computed: "+err.Error())
		}
	}
	r.Fit = fitStats
	r.finish()
	return r, nil
}

func seLabel(se SEType, clusters []Factor) string {
	switch {
	case se == CR1 && len(clusters) == 2:
		return fmt.Sprintf("CR1 two-way clustered by %s & %s", clusters[0].Name, clusters[1].Name)
	case se == CR1 && len(clusters) == 1:
		return "CR1 clustered by " + clusters[0].Name
	case se == IID:
		return "iid"
	case se == HAC:
		return "HAC (Newey-West)"
	}
	return string(se) + " heteroskedasticity-robust"
}

func denseRows(v mat.Symmetric) [][]float64 {
	k := v.SymmetricDim()
	out := make([][]float64, k)
	for i := range out {
		out[i] = make([]float64, k)
		for j := range out[i] {
			out[i][j] = v.At(i, j)
		}
	}
	return out
}
