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
	// when n ≤ ExactPermMax, else Monte Carlo with Perm shuffles (at most
	// MaxPermutations).
	Perm int
	// Boot > 0 adds pairs-bootstrap percentile and BCa intervals from Boot
	// resamples, from MinBootstrap(Level) to MaxBootstrap.
	Boot int
	// Seed seeds the Monte Carlo permutation and the bootstrap.
	Seed uint64
	// Control stops and follows the permutations and the bootstrap.
	Control
}

// ExactPermMax is the largest n for which permutation tests enumerate every
// ordering (10! = 3,628,800) rather than sample them.
const ExactPermMax = 10

func (o CorrOptions) level() float64 { return defaultLevel(o.Level) }

// Check reports whether the options are usable, naming what is wrong; the
// error wraps ErrReplications when Perm or Boot is out of range.
func (o CorrOptions) Check() error {
	if err := checkLevel(o.Level); err != nil {
		return err
	}
	if o.Perm != 0 {
		if err := checkCount("permutations", o.Perm, 1, MaxPermutations, ""); err != nil {
			return err
		}
	}
	if o.Boot != 0 {
		return checkBootstrap(o.Boot, o.level())
	}
	return nil
}

// CorrKind names a correlation coefficient for CorrelateAll.
type CorrKind int

// The coefficients; each is documented at the function of the same name.
const (
	CorrPearson CorrKind = iota + 1
	CorrWeightedPearson
	CorrSpearman
	CorrKendall
)

func (k CorrKind) String() string {
	switch k {
	case CorrPearson:
		return "Pearson"
	case CorrWeightedPearson:
		return "weighted Pearson"
	case CorrSpearman:
		return "Spearman"
	case CorrKendall:
		return "Kendall"
	}
	return fmt.Sprintf("CorrKind(%d)", int(k))
}

// corrKind describes one correlation coefficient.
type corrKind struct {
	method, term string
	minN         int
	stat         func(x, y, w []float64) (float64, error)
}

var corrKinds = map[CorrKind]corrKind{
	CorrPearson:         {"Pearson correlation", "r", 4, func(x, y, _ []float64) (float64, error) { return pearsonR(x, y) }},
	CorrWeightedPearson: {"Weighted Pearson correlation", "r", 4, weightedR},
	CorrSpearman:        {"Spearman rank correlation", "rho", 4, func(x, y, _ []float64) (float64, error) { return pearsonR(ranks(x), ranks(y)) }},
	CorrKendall: {"Kendall rank correlation (tau-b)", "tau", 5, func(x, y, _ []float64) (float64, error) {
		k, err := kendall(x, y)
		return k.tau, err
	}},
}

// Pearson tests the product-moment correlation: t = r√((n−2)/(1−r²)) on n−2
// degrees of freedom (R's cor.test), interval by Fisher's z with standard
// error 1/√(n−3).
func Pearson(x, y []float64, o CorrOptions) (Result, error) {
	return correlateOne(x, y, nil, CorrPearson, o)
}

// WeightedPearson is Pearson's r with observation weights: weighted means,
// variances and covariance. Zero-weight rows are left out of n. The p-value
// is the t test of the slope in the weighted regression of y on x, which
// equals r_w√((n−2)/(1−r_w²)) on n−2 degrees of freedom; the interval uses
// Fisher's z with 1/√(n−3).
func WeightedPearson(x, y, w []float64, o CorrOptions) (Result, error) {
	return correlateOne(x, y, w, CorrWeightedPearson, o)
}

// Spearman tests the rank correlation (Pearson's r of average ranks, so ties
// share their mean rank). The p-value is the t approximation R's
// cor.test(method = "spearman", exact = FALSE) uses; the interval is
// Fisher's z with the Bonett–Wright (2000) standard error √((1+ρ²/2)/(n−3)).
func Spearman(x, y []float64, o CorrOptions) (Result, error) {
	return correlateOne(x, y, nil, CorrSpearman, o)
}

// Kendall tests Kendall's tau-b, which corrects for ties. The p-value is the
// normal approximation with the tie-corrected variance of S (Kendall 1970),
// without continuity correction, as R's cor.test(method = "kendall",
// exact = FALSE); the interval is Fisher's z with the Fieller–Hartley–Pearson
// (1957) variance 0.437/(n−4). S is counted in O(n log n) (Knight 1966).
func Kendall(x, y []float64, o CorrOptions) (Result, error) {
	return correlateOne(x, y, nil, CorrKendall, o)
}

func correlateOne(x, y, w []float64, kind CorrKind, o CorrOptions) (Result, error) {
	rs, err := CorrelateAll(x, y, w, []CorrKind{kind}, o)
	if err != nil {
		return Result{}, err
	}
	return rs[0], nil
}

// CorrelateAll computes several correlations of the same (x, y) — w is read
// only for CorrWeightedPearson and may be nil otherwise — and returns one
// Result per kind, in order, each identical to what the function of that
// name returns with the same options. It is faster because the
// coefficients share their random draws: each permutation is drawn once and
// every coefficient evaluated on it in one pass, and each bootstrap
// resample likewise. (Weighted Pearson with zero weights runs on fewer rows
// and so on its own draws, as WeightedPearson does.)
func CorrelateAll(x, y, w []float64, kinds []CorrKind, o CorrOptions) ([]Result, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	if len(kinds) == 0 {
		return nil, fmt.Errorf("no correlation asked for")
	}
	if len(x) != len(y) {
		return nil, fmt.Errorf("x has %d values, y has %d", len(x), len(y))
	}
	if err := finite("x", x); err != nil {
		return nil, err
	}
	if err := finite("y", y); err != nil {
		return nil, err
	}
	var all, weighted []CorrKind
	for _, k := range kinds {
		switch {
		case k == CorrWeightedPearson:
			weighted = append(weighted, k)
		case corrKinds[k].method == "":
			return nil, fmt.Errorf("unknown correlation kind %v", k)
		default:
			all = append(all, k)
		}
	}
	byKind := map[CorrKind]Result{}
	if len(weighted) > 0 {
		keep, err := positiveWeights(w, len(x))
		if err != nil {
			return nil, err
		}
		if len(keep) == len(x) {
			all = append(all, weighted...)
		} else {
			pick := func(v []float64) []float64 {
				out := make([]float64, len(keep))
				for i, r := range keep {
					out[i] = v[r]
				}
				return out
			}
			if err := correlateGroup(pick(x), pick(y), pick(w), weighted, o, byKind); err != nil {
				return nil, err
			}
			r := byKind[CorrWeightedPearson]
			r.Notes = append(r.Notes, fmt.Sprintf("%d observations with zero weight left out of n", len(x)-len(keep)))
			byKind[CorrWeightedPearson] = r
		}
	}
	if len(all) > 0 {
		if err := correlateGroup(x, y, w, all, o, byKind); err != nil {
			return nil, err
		}
	}
	out := make([]Result, len(kinds))
	for i, k := range kinds {
		out[i] = byKind[k]
	}
	return out, nil
}

// positiveWeights checks the weights and returns the rows with w > 0.
func positiveWeights(w []float64, n int) ([]int, error) {
	if len(w) != n {
		return nil, fmt.Errorf("weights have %d values, x has %d", len(w), n)
	}
	if err := finite("weights", w); err != nil {
		return nil, err
	}
	keep := make([]int, 0, n)
	for i, v := range w {
		if v < 0 {
			return nil, &RowError{Column: "weights", Row: i, Err: fmt.Errorf("negative weight %g", v)}
		}
		if v > 0 {
			keep = append(keep, i)
		}
	}
	return keep, nil
}

// correlateGroup computes kinds that share their observations, and so their
// permutations and resamples, into byKind.
func correlateGroup(x, y, w []float64, kinds []CorrKind, o CorrOptions, byKind map[CorrKind]Result) error {
	kinds = slices.Compact(slices.Sorted(slices.Values(kinds)))
	rs := make([]Result, len(kinds))
	ests := make([]float64, len(kinds))
	for i, k := range kinds {
		r, err := corrInference(k, x, y, w, o)
		if err != nil {
			return err
		}
		rs[i], ests[i] = r, r.Terms[0].Estimate
	}
	if o.Perm > 0 {
		ps, err := permutationTest(kinds, x, y, w, o)
		if err != nil {
			return err
		}
		for i := range rs {
			rs[i].Perm = &ps[i]
		}
	}
	if o.Boot > 0 {
		bs, err := bootstrapCorr(kinds, x, y, w, ests, o)
		if err != nil {
			return err
		}
		for i := range rs {
			rs[i].Boot = &bs[i]
		}
	}
	for i, k := range kinds {
		rs[i].finish()
		byKind[k] = rs[i]
	}
	return nil
}

// corrInference returns the estimate with its parametric test and interval.
func corrInference(k CorrKind, x, y, w []float64, o CorrOptions) (Result, error) {
	kind := corrKinds[k]
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
	switch k {
	case CorrKendall:
		ks, _ := kendall(x, y)
		t.Stat, t.SE = ks.z, ks.seTau
		t.P = refDist{}.twoSided(ks.z)
		seZ = math.Sqrt(0.437 / (nf - 4))
		r.SEType, r.DF = "normal approximation, tie-corrected variance of S", 0
	default:
		t.SE = math.Sqrt((1 - est*est) / (nf - 2))
		t.Stat = est / t.SE
		r.DF = nf - 2
		t.P = refDist{r.DF}.twoSided(t.Stat)
		r.SEType = "t approximation"
		if k == CorrSpearman {
			seZ = math.Sqrt((1 + est*est/2) / (nf - 3))
		}
	}
	z := math.Atanh(est)
	t.CILow, t.CIHigh = math.Tanh(z-zq*seZ), math.Tanh(z+zq*seZ)
	r.Terms = []Term{t}
	return r, nil
}

func pearsonR(x, y []float64) (float64, error) {
	return weightedR(x, y, nil)
}

// weightedR is the (weighted) product-moment correlation, computed from
// centred values in two passes for accuracy, on values rescaled by powers of
// two (exact, and r is scale-free) when their magnitude could overflow or
// underflow the sums of squares.
func weightedR(x, y, w []float64) (float64, error) {
	x, y, w = rescaled(x), rescaled(y), rescaled(w)
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

// Values whose largest magnitude lies outside [2^-safeExp, 2^safeExp] are
// rescaled before sums of squares. Inside it, with weights inside it too,
// Σw(x−x̄)² over up to 2^40 observations stays below 2^(3·150+42) and the
// product of two such sums below 2^984, short of overflow at 2^1024, and
// the terms that matter stay far above underflow.
const safeExp = 150

// rescaled returns v multiplied by the power of two that brings its largest
// magnitude near 1, or v itself when it is safe as it is. Multiplying by a
// power of two is exact, so a correlation of the rescaled values is bit for
// bit that of the originals whenever the originals would not overflow.
func rescaled(v []float64) []float64 {
	m := 0.0
	for _, a := range v {
		m = math.Max(m, math.Abs(a))
	}
	_, e := math.Frexp(m)
	if m == 0 || (e > -safeExp && e < safeExp) {
		return v
	}
	out := make([]float64, len(v))
	for i, a := range v {
		out[i] = math.Ldexp(a, -e)
	}
	return out
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
