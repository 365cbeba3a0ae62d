package stats

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// CorrOptions controls a correlation test.
type CorrOptions struct {
	// Name labels the term; empty means "r", "rho" or "tau".
	Name string
	// Level is the confidence level; 0 means 0.95.
	Level float64
	// Perm > 0 adds a permutation p-value: exact over all n! orderings
	// when n ≤ ExactPermMax, else Monte Carlo with Perm shuffles.
	Perm int
	// Boot > 0 adds pairs-bootstrap percentile and BCa intervals.
	Boot int
	// Seed seeds the Monte Carlo permutation and the bootstrap.
	Seed uint64
}

// ExactPermMax is the largest n for which permutation tests enumerate every
// ordering (10! = 3,628,800) rather than sample them.
const ExactPermMax = 10

func (o CorrOptions) level() float64 {
	if o.Level == 0 {
		return 0.95
	}
	return o.Level
}

// corrKind describes one correlation coefficient.
type corrKind struct {
	method, term string
	minN         int
	stat         func(x, y, w []float64) (float64, error)
}

// Pearson tests the product-moment correlation: t = r√((n−2)/(1−r²)) on n−2
// degrees of freedom (R's cor.test), interval by Fisher's z with standard
// error 1/√(n−3).
func Pearson(x, y []float64, o CorrOptions) (Result, error) {
	return correlate(corrKind{"Pearson correlation", "r", 4, func(x, y, _ []float64) (float64, error) { return pearsonR(x, y) }}, x, y, nil, o)
}

// WeightedPearson is Pearson's r with observation weights: weighted means,
// variances and covariance. Zero-weight rows are left out of n. The p-value
// is the t test of the slope in the weighted regression of y on x, which
// equals r_w√((n−2)/(1−r_w²)) on n−2 degrees of freedom; the interval uses
// Fisher's z with 1/√(n−3).
func WeightedPearson(x, y, w []float64, o CorrOptions) (Result, error) {
	if len(w) != len(x) {
		return Result{}, fmt.Errorf("weights have %d values, x has %d", len(w), len(x))
	}
	if err := finite("weights", w); err != nil {
		return Result{}, err
	}
	var keep []int
	for i, v := range w {
		if v < 0 {
			return Result{}, fmt.Errorf("weights row %d: negative weight %g", i, v)
		}
		if v > 0 {
			keep = append(keep, i)
		}
	}
	pick := func(v []float64) []float64 {
		out := make([]float64, len(keep))
		for i, r := range keep {
			out[i] = v[r]
		}
		return out
	}
	if len(y) != len(x) {
		return Result{}, fmt.Errorf("x has %d values, y has %d", len(x), len(y))
	}
	r, err := correlate(corrKind{"Weighted Pearson correlation", "r", 4, weightedR}, pick(x), pick(y), pick(w), o)
	if err == nil && len(keep) < len(w) {
		r.Notes = append(r.Notes, fmt.Sprintf("%d observations with zero weight left out of n", len(w)-len(keep)))
	}
	return r, err
}

// Spearman tests the rank correlation (Pearson's r of average ranks, so ties
// share their mean rank). The p-value is the t approximation R's
// cor.test(method = "spearman", exact = FALSE) uses; the interval is
// Fisher's z with the Bonett–Wright (2000) standard error √((1+ρ²/2)/(n−3)).
func Spearman(x, y []float64, o CorrOptions) (Result, error) {
	return correlate(corrKind{"Spearman rank correlation", "rho", 4, func(x, y, _ []float64) (float64, error) { return pearsonR(ranks(x), ranks(y)) }}, x, y, nil, o)
}

// Kendall tests Kendall's tau-b, which corrects for ties. The p-value is the
// normal approximation with the tie-corrected variance of S (Kendall 1970),
// without continuity correction, as R's cor.test(method = "kendall",
// exact = FALSE); the interval is Fisher's z with the Fieller–Hartley–Pearson
// (1957) variance 0.437/(n−4).
func Kendall(x, y []float64, o CorrOptions) (Result, error) {
	return correlate(corrKind{"Kendall rank correlation (tau-b)", "tau", 5, func(x, y, _ []float64) (float64, error) {
		k, err := kendall(x, y)
		return k.tau, err
	}}, x, y, nil, o)
}

func correlate(kind corrKind, x, y, w []float64, o CorrOptions) (Result, error) {
	if len(x) != len(y) {
		return Result{}, fmt.Errorf("x has %d values, y has %d", len(x), len(y))
	}
	if err := finite("x", x); err != nil {
		return Result{}, err
	}
	if err := finite("y", y); err != nil {
		return Result{}, err
	}
	n := len(x)
	if n < kind.minN {
		return Result{}, fmt.Errorf("%w: %s needs at least %d observations, got %d", ErrTooFew, kind.method, kind.minN, n)
	}
	est, err := kind.stat(x, y, w)
	if err != nil {
		return Result{}, err
	}
	name := o.Name
	if name == "" {
		name = kind.term
	}
	level := o.level()
	zq := refDist{}.quantile(1 - (1-level)/2)
	nf := float64(n)
	r := Result{Method: kind.method, N: n, Level: level}
	t := Term{Term: name, Estimate: est}
	seZ := 1 / math.Sqrt(nf-3)
	switch kind.term {
	case "tau":
		k, _ := kendall(x, y)
		t.Stat, t.SE = k.z, k.seTau
		t.P = refDist{}.twoSided(k.z)
		seZ = math.Sqrt(0.437 / (nf - 4))
		r.SEType, r.DF = "normal approximation, tie-corrected variance of S", 0
	default:
		t.SE = math.Sqrt((1 - est*est) / (nf - 2))
		t.Stat = est / t.SE
		r.DF = nf - 2
		t.P = refDist{r.DF}.twoSided(t.Stat)
		r.SEType = "t approximation"
		if kind.term == "rho" {
			seZ = math.Sqrt((1 + est*est/2) / (nf - 3))
		}
	}
	z := math.Atanh(est)
	t.CILow, t.CIHigh = math.Tanh(z-zq*seZ), math.Tanh(z+zq*seZ)
	r.Terms = []Term{t}
	if o.Perm > 0 {
		p, err := permutationTest(kind, x, y, w, o)
		if err != nil {
			return Result{}, err
		}
		r.Perm = &p
	}
	if o.Boot > 0 {
		b := bootstrapCorr(kind, x, y, w, est, o)
		r.Boot = &b
	}
	r.finish()
	return r, nil
}

func pearsonR(x, y []float64) (float64, error) {
	return weightedR(x, y, nil)
}

// weightedR is the (weighted) product-moment correlation, computed from
// centred values in two passes for accuracy.
func weightedR(x, y, w []float64) (float64, error) {
	var sw, mx, my float64
	for i := range x {
		wi := weightAt(w, i)
		sw += wi
		mx += wi * x[i]
		my += wi * y[i]
	}
	mx /= sw
	my /= sw
	var sxx, syy, sxy float64
	for i := range x {
		wi := weightAt(w, i)
		dx, dy := x[i]-mx, y[i]-my
		sxx += wi * dx * dx
		syy += wi * dy * dy
		sxy += wi * dx * dy
	}
	if sxx == 0 {
		return math.NaN(), fmt.Errorf("x is constant: correlation undefined")
	}
	if syy == 0 {
		return math.NaN(), fmt.Errorf("y is constant: correlation undefined")
	}
	r := sxy / math.Sqrt(sxx*syy)
	return math.Max(-1, math.Min(1, r)), nil
}

// ranks returns 1-based ranks, ties getting the mean of the ranks they span.
func ranks(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	r := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && v[idx[j+1]] == v[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

type kendallStat struct {
	s, tau, varS, z, seTau float64
}

// kendall computes S = concordant − discordant pairs, tau-b and the
// tie-corrected null variance of S.
func kendall(x, y []float64) (kendallStat, error) {
	n := len(x)
	s := 0
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			s += sign(x[i]-x[j]) * sign(y[i]-y[j])
		}
	}
	tx, ty := tieSizes(x), tieSizes(y)
	nf := float64(n)
	t0 := nf * (nf - 1) / 2
	sum := func(ts []float64, f func(t float64) float64) float64 {
		a := 0.0
		for _, t := range ts {
			a += f(t)
		}
		return a
	}
	pairs := func(t float64) float64 { return t * (t - 1) }
	t1, t2 := sum(tx, pairs)/2, sum(ty, pairs)/2
	if t0 == t1 {
		return kendallStat{}, fmt.Errorf("x is constant: correlation undefined")
	}
	if t0 == t2 {
		return kendallStat{}, fmt.Errorf("y is constant: correlation undefined")
	}
	v0 := nf * (nf - 1) * (2*nf + 5)
	v5 := func(t float64) float64 { return t * (t - 1) * (2*t + 5) }
	triples := func(t float64) float64 { return t * (t - 1) * (t - 2) }
	varS := (v0-sum(tx, v5)-sum(ty, v5))/18 +
		sum(tx, pairs)*sum(ty, pairs)/(2*nf*(nf-1)) +
		sum(tx, triples)*sum(ty, triples)/(9*nf*(nf-1)*(nf-2))
	den := math.Sqrt((t0 - t1) * (t0 - t2))
	sf := float64(s)
	return kendallStat{s: sf, tau: sf / den, varS: varS, z: sf / math.Sqrt(varS), seTau: math.Sqrt(varS) / den}, nil
}

func sign(d float64) int {
	switch {
	case d > 0:
		return 1
	case d < 0:
		return -1
	}
	return 0
}

// tieSizes lists the sizes of groups of equal values (groups of one omitted).
func tieSizes(v []float64) []float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	var out []float64
	for i := 0; i < len(s); {
		j := i
		for j+1 < len(s) && s[j+1] == s[i] {
			j++
		}
		if j > i {
			out = append(out, float64(j-i+1))
		}
		i = j + 1
	}
	return out
}
