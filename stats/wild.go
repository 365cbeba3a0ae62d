package stats

import (
	"encoding/json"
	"fmt"
	"math"
)

// WildOptions configures a wild cluster bootstrap test of one coefficient.
type WildOptions struct {
	// Term is the coefficient tested, by name.
	Term string
	// Null is its value under the null hypothesis (usually 0).
	Null float64
	// Reps is the number of bootstrap draws, from MinWild(Level) to
	// MaxWild; 0 means 9999. With Rademacher weights and 2^G ≤ Reps every
	// sign pattern is enumerated instead, so the p-value is exact and needs
	// no seed.
	Reps int
	// Weights is "rademacher" (default) or "webb" (six-point, Webb 2014;
	// better when G is below about 12).
	Weights string
	Seed    uint64
	// Level is the confidence level of the interval found by inverting the
	// test; 0 means 0.95.
	Level float64
	// Control stops the bootstrap and follows it; progress counts the
	// p-values computed (one for the test, the rest for the interval) out
	// of wildMaxEvals, an upper bound the search usually stops short of.
	Control
}

// Check reports whether the options are usable, naming what is wrong; the
// error wraps ErrReplications when Reps is out of range.
func (o WildOptions) Check() error {
	if err := checkLevel(o.Level); err != nil {
		return err
	}
	if o.Reps == 0 {
		return nil
	}
	level := defaultLevel(o.Level)
	return checkCount("wild bootstrap draws", o.Reps, MinWild(level), MaxWild,
		fmt.Sprintf(" for a test at the %g%% level", 100*(1-level)))
}

// WildResult is the outcome of WildClusterBootstrap.
type WildResult struct {
	Term       string  `json:"term"`
	Estimate   float64 `json:"estimate"`
	Null       float64 `json:"null"`
	T          float64 `json:"t"` // CR1 t statistic of the sample
	P          float64 `json:"p"`
	CILow      float64 `json:"ci_low"`
	CIHigh     float64 `json:"ci_high"`
	Level      float64 `json:"ci_level"`
	Reps       int     `json:"reps"`
	Enumerated bool    `json:"enumerated"`
	Weights    string  `json:"weights"`
	Seed       uint64  `json:"seed"`
	N          int     `json:"n"`
	Clusters   int     `json:"clusters"`
}

// WildClusterBootstrap tests Term = Null with the restricted wild cluster
// bootstrap (WCR; Cameron, Gelbach and Miller 2008), as Stata's boottest
// does by default: residuals come from the model estimated under the null,
// each cluster's residuals are multiplied by one random weight, and the
// bootstrap CR1 t statistics are compared with the sample's (symmetric
// two-sided p-value: the share with |t*| ≥ |t|). Fixed effects in
// Design.FE are partialled out first; the design must have exactly one
// cluster variable. The interval collects every null value the test does
// not reject at 1 − Level, found by bisection with the same draws.
func WildClusterBootstrap(d Design, o WildOptions) (WildResult, error) {
	if err := o.Check(); err != nil {
		return WildResult{}, err
	}
	d, _, err := prepare(d)
	if err != nil {
		return WildResult{}, err
	}
	if len(d.Cluster) != 1 {
		return WildResult{}, fmt.Errorf("wild cluster bootstrap needs exactly one cluster variable, got %d", len(d.Cluster))
	}
	cl := d.Cluster[0]
	if cl.Levels < 2 {
		return WildResult{}, fmt.Errorf("wild cluster bootstrap needs at least 2 clusters, got %d", cl.Levels)
	}
	names, cols, y, absorbed, projectFE, err := wildDesign(d)
	if err != nil {
		return WildResult{}, err
	}
	j := -1
	for i, nm := range names {
		if nm == o.Term {
			j = i
		}
	}
	if j < 0 {
		return WildResult{}, fmt.Errorf("term %q is not in the model (terms: %v)", o.Term, names)
	}
	full, err := leastSquares(names, cols, y, nil, "")
	if err != nil {
		return WildResult{}, err
	}
	n, k, g := len(y), len(cols), cl.Levels
	kCluster, _, _ := clusterK(d, Options{SE: CR1}, k, absorbed)
	if len(d.FE) == 0 {
		kCluster = k
	}
	ssc := float64(g) / float64(g-1) * float64(n-1) / float64(n-kCluster)

	// q_i is row j of (X'X)^-1 X'; a_i the whole column (X'X)^-1 x_i.
	a := make([][]float64, n)
	q := make([]float64, n)
	for i := 0; i < n; i++ {
		a[i] = make([]float64, k)
		for r := 0; r < k; r++ {
			for c := 0; c < k; c++ {
				a[i][r] += full.xtxInv.At(r, c) * cols[c][i]
			}
		}
		q[i] = a[i][j]
	}
	// Q_g = Σ_{i∈g} q_i x_i is the same for every draw and null value.
	bigQ := make([][]float64, g)
	for c := range bigQ {
		bigQ[c] = make([]float64, k)
	}
	for i := 0; i < n; i++ {
		for r := 0; r < k; r++ {
			bigQ[cl.Codes[i]][r] += q[i] * cols[r][i]
		}
	}
	seHat := 0.0
	{
		sc := make([]float64, g)
		for i := 0; i < n; i++ {
			sc[cl.Codes[i]] += q[i] * full.resid[i]
		}
		for _, s := range sc {
			seHat += s * s
		}
		seHat = math.Sqrt(ssc * seHat)
	}
	// Restricted residuals are affine in the null value b0:
	// ũ(b0) = M₋ⱼ y − b0 M₋ⱼ xⱼ.
	u0, ux, err := restrictedResiduals(names, cols, y, j)
	if err != nil {
		return WildResult{}, err
	}
	// A draw v multiplies cluster g's residuals by v_g, so everything the
	// bootstrap t needs is linear in v once these are known:
	//   C[h][g] = Σ_{i∈h} q_i (M_D ũ⁽ᵍ⁾)_i, ũ⁽ᵍ⁾ = ũ on cluster g and 0 elsewhere,
	//   S[g]    = Σ_{i∈g} a_i ũ_i.
	// M_D removes the fixed effects again: when they cross clusters the
	// flipped residuals are no longer orthogonal to them. Without fixed
	// effects (or with effects nested in the clusters) C is diagonal.
	perCluster := func(u []float64) ([][]float64, [][]float64, error) {
		c := make([][]float64, g)
		s := make([][]float64, g)
		for h := range s {
			c[h] = make([]float64, g)
			s[h] = make([]float64, k)
		}
		for i := 0; i < n; i++ {
			for r := 0; r < k; r++ {
				s[cl.Codes[i]][r] += a[i][r] * u[i]
			}
		}
		if projectFE == nil {
			for i := 0; i < n; i++ {
				c[cl.Codes[i]][cl.Codes[i]] += q[i] * u[i]
			}
			return c, s, nil
		}
		part := make([]float64, n)
		for gg := 0; gg < g; gg++ {
			for i := range part {
				part[i] = 0
				if cl.Codes[i] == gg {
					part[i] = u[i]
				}
			}
			m, err := projectFE(part)
			if err != nil {
				return nil, nil, err
			}
			for i := 0; i < n; i++ {
				c[cl.Codes[i]][gg] += q[i] * m[i]
			}
		}
		return c, s, nil
	}
	c0, s0, err := perCluster(u0)
	if err != nil {
		return WildResult{}, err
	}
	cx, sx, err := perCluster(ux)
	if err != nil {
		return WildResult{}, err
	}

	draws, enumerated, wname, err := wildDraws(g, o)
	if err != nil {
		return WildResult{}, err
	}
	est := full.beta[j]
	cb, sb := make([][]float64, g), make([][]float64, g)
	for h := range cb {
		cb[h], sb[h] = make([]float64, g), make([]float64, k)
	}
	sv := make([]float64, k)
	var stop error
	evals := 0
	pvalue := func(b0 float64) float64 {
		if stop != nil {
			return math.NaN()
		}
		if stop = o.step(evals, wildMaxEvals); stop != nil {
			return math.NaN()
		}
		evals++
		t := (est - b0) / seHat
		for h := 0; h < g; h++ {
			for gg := 0; gg < g; gg++ {
				cb[h][gg] = c0[h][gg] - b0*cx[h][gg]
			}
			for r := 0; r < k; r++ {
				sb[h][r] = s0[h][r] - b0*sx[h][r]
			}
		}
		extreme := 0
		for r, v := range draws {
			if r%checkEvery == 0 && o.Context != nil {
				if stop = o.Context.Err(); stop != nil {
					return math.NaN()
				}
			}
			clear(sv)
			top := 0.0
			for h := 0; h < g; h++ {
				for r := 0; r < k; r++ {
					sv[r] += v[h] * sb[h][r]
				}
			}
			den := 0.0
			for h := 0; h < g; h++ {
				num := 0.0
				for gg, c := range cb[h] {
					num += c * v[gg]
				}
				top += num
				for r := 0; r < k; r++ {
					num -= bigQ[h][r] * sv[r]
				}
				den += num * num
			}
			tstar := top / math.Sqrt(ssc*den)
			if math.Abs(tstar) >= math.Abs(t)-1e-12*math.Max(1, math.Abs(t)) {
				extreme++
			}
		}
		return float64(extreme) / float64(len(draws))
	}
	level := defaultLevel(o.Level)
	res := WildResult{Term: o.Term, Estimate: est, Null: o.Null, T: (est - o.Null) / seHat, P: pvalue(o.Null),
		Level: level, Reps: len(draws), Enumerated: enumerated, Weights: wname, N: n, Clusters: g}
	if !enumerated {
		res.Seed = o.Seed
	}
	res.CILow = invertWild(pvalue, est, -seHat, 1-level)
	res.CIHigh = invertWild(pvalue, est, seHat, 1-level)
	if stop == nil {
		stop = o.step(wildMaxEvals, wildMaxEvals)
	}
	if stop != nil {
		return WildResult{}, stop
	}
	return res, nil
}

// The interval search looks up to wildReach standard errors from the
// estimate, doubling its step from one (11 p-values at most on a side), then
// bisects to wildTol standard errors (a bracket of at most 512 standard
// errors: 29 more). With the test's own p-value that bounds the p-values
// computed.
const (
	wildReach    = 1024
	wildTol      = 1e-6
	wildMaxEvals = 1 + 2*(11+29)
)

// invertWild walks from the estimate in steps of step until the test
// rejects at alpha, then bisects to the boundary (to wildTol of a standard
// error). NaN if no rejection is found within wildReach standard errors.
func invertWild(p func(float64) float64, est, step, alpha float64) float64 {
	in, out := est, math.NaN()
	for m := 1.0; m <= wildReach; m *= 2 {
		b := est + m*step
		if p(b) <= alpha {
			out = b
			break
		}
		in = b
	}
	if math.IsNaN(out) {
		return math.NaN()
	}
	for math.Abs(out-in) > wildTol*math.Abs(step) {
		mid := (in + out) / 2
		if p(mid) <= alpha {
			out = mid
		} else {
			in = mid
		}
	}
	return (in + out) / 2
}

// wildDesign returns the √w-scaled regressors and outcome, with fixed
// effects partialled out and an intercept added when the model has one, and
// the projection that removes the fixed effects from a vector of that
// scaled space (nil without fixed effects).
func wildDesign(d Design) ([]string, [][]float64, []float64, int, func([]float64) ([]float64, error), error) {
	n := len(d.Y)
	names, cols := d.regressors(len(d.FE) == 0 && !d.NoIntercept)
	y := d.Y
	absorbed := 0
	var project func([]float64) ([]float64, error)
	sqrtW := func(v []float64, inverse bool) []float64 {
		if d.Weights == nil {
			return v
		}
		out := make([]float64, n)
		for i := range v {
			if inverse {
				out[i] = v[i] / math.Sqrt(d.Weights[i])
			} else {
				out[i] = math.Sqrt(d.Weights[i]) * v[i]
			}
		}
		return out
	}
	if len(d.FE) > 0 {
		dm := newDemeaner(d.FE, d.Weights)
		var err error
		if y, cols, _, err = dm.absorb(d.yName(), y, names, cols); err != nil {
			return nil, nil, nil, 0, nil, err
		}
		absorbed, _ = absorbedDF(d.FE)
		// In the √w-scaled space the projection off the fixed effects is
		// √w · (weighted demeaning) · 1/√w.
		project = func(v []float64) ([]float64, error) {
			m, _, err := dm.demean("bootstrap residuals", sqrtW(v, true))
			return sqrtW(m, false), err
		}
	}
	y = sqrtW(y, false)
	for j := range cols {
		cols[j] = sqrtW(cols[j], false)
	}
	return names, cols, y, absorbed, project, nil
}

// restrictedResiduals returns M₋ⱼ y and M₋ⱼ xⱼ, the residuals from
// regressing y and column j on the other columns.
func restrictedResiduals(names []string, cols [][]float64, y []float64, j int) ([]float64, []float64, error) {
	var on [][]float64
	var onNames []string
	for c := range cols {
		if c != j {
			on, onNames = append(on, cols[c]), append(onNames, names[c])
		}
	}
	if len(on) == 0 {
		return append([]float64(nil), y...), append([]float64(nil), cols[j]...), nil
	}
	fy, err := leastSquares(onNames, on, y, nil, "")
	if err != nil {
		return nil, nil, err
	}
	fx, err := leastSquares(onNames, on, cols[j], nil, "")
	if err != nil {
		return nil, nil, err
	}
	return fy.resid, fx.resid, nil
}

// wildDraws returns the cluster weight vectors.
func wildDraws(g int, o WildOptions) ([][]float64, bool, string, error) {
	reps := o.Reps
	if reps == 0 {
		reps = 9999
	}
	switch o.Weights {
	case "", "rademacher":
		if g < 30 && 1<<g <= reps {
			draws := make([][]float64, 1<<g)
			for m := range draws {
				draws[m] = make([]float64, g)
				for h := 0; h < g; h++ {
					draws[m][h] = 1
					if m>>h&1 == 1 {
						draws[m][h] = -1
					}
				}
			}
			return draws, true, "rademacher", nil
		}
		src := newSource(o.Seed)
		draws := make([][]float64, reps)
		for m := range draws {
			draws[m] = make([]float64, g)
			for h := range draws[m] {
				draws[m][h] = float64(2*int(src.uintn(2)) - 1)
			}
		}
		return draws, false, "rademacher", nil
	case "webb":
		vals := [6]float64{-math.Sqrt(1.5), -1, -math.Sqrt(0.5), math.Sqrt(0.5), 1, math.Sqrt(1.5)}
		src := newSource(o.Seed)
		draws := make([][]float64, reps)
		for m := range draws {
			draws[m] = make([]float64, g)
			for h := range draws[m] {
				draws[m][h] = vals[src.uintn(6)]
			}
		}
		return draws, false, "webb", nil
	}
	return nil, false, "", fmt.Errorf("unknown wild bootstrap weights %q (want rademacher or webb)", o.Weights)
}

// MarshalJSON writes non-finite numbers (an interval end the test never
// reaches) as null.
func (w WildResult) MarshalJSON() ([]byte, error) {
	type plain WildResult
	return json.Marshal(struct {
		plain
		CILow  jf `json:"ci_low"`
		CIHigh jf `json:"ci_high"`
	}{plain(w), jf(w.CILow), jf(w.CIHigh)})
}
