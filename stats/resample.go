package stats

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// newSource returns the one random source every resampling procedure uses:
// PCG seeded with (seed, seed XOR golden-ratio constant). Bounded integers
// are drawn by uintn below rather than by math/rand helpers, so the streams
// depend only on PCG's published definition.
func newSource(seed uint64) *rand.PCG {
	return rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
}

// uintn returns a uniform integer in [0, n) by Lemire's multiply-and-reject
// method (no modulo bias).
func uintn(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}

// shuffle is the Fisher–Yates shuffle.
func shuffle(src *rand.PCG, p []int) {
	for i := len(p) - 1; i > 0; i-- {
		j := int(uintn(src, uint64(i+1)))
		p[i], p[j] = p[j], p[i]
	}
}

// permStat returns a function giving the statistic with y reordered by
// perm. Every statistic here is invariant to what a permutation cannot
// change (y's mean, variance, ranks and ties), which is precomputed.
func permStat(kind corrKind, x, y, w []float64) func(perm []int) float64 {
	switch {
	case kind.term == "tau":
		return func(perm []int) float64 {
			s := 0
			for i := range x {
				for j := i + 1; j < len(x); j++ {
					s += sign(x[i]-x[j]) * sign(y[perm[i]]-y[perm[j]])
				}
			}
			return float64(s)
		}
	case w == nil:
		if kind.term == "rho" {
			x, y = ranks(x), ranks(y)
		}
		xc, yc := centred(x), centred(y)
		den := math.Sqrt(dot(xc, xc) * dot(yc, yc))
		return func(perm []int) float64 {
			s := 0.0
			for i, v := range xc {
				s += v * yc[perm[i]]
			}
			return s / den
		}
	default:
		yp := make([]float64, len(y))
		return func(perm []int) float64 {
			for i, j := range perm {
				yp[i] = y[j]
			}
			r, _ := weightedR(x, yp, w)
			return r
		}
	}
}

func centred(v []float64) []float64 {
	m := 0.0
	for _, a := range v {
		m += a
	}
	m /= float64(len(v))
	out := make([]float64, len(v))
	for i, a := range v {
		out[i] = a - m
	}
	return out
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// permutationTest counts orderings of y whose statistic is at least as far
// from zero as the observed one (two-sided). With n ≤ ExactPermMax it visits
// all n! orderings (Heap's algorithm) and p = b/n!; otherwise it draws
// o.Perm random orderings and p = (b+1)/(R+1) (Phipson and Smyth 2010).
func permutationTest(kind corrKind, x, y, w []float64, o CorrOptions) (Permutation, error) {
	n := len(x)
	stat := permStat(kind, x, y, w)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	obs := math.Abs(stat(perm))
	// Orderings that tie the observed statistic count as extreme; the
	// tolerance absorbs rounding in sums taken in a different order.
	cut := obs - 1e-10*math.Max(1, obs)
	b := 0
	if n <= ExactPermMax {
		c := make([]int, n)
		total := 1
		if math.Abs(stat(perm)) >= cut {
			b++
		}
		for i := 1; i < n; {
			if c[i] < i {
				if i%2 == 0 {
					perm[0], perm[i] = perm[i], perm[0]
				} else {
					perm[c[i]], perm[i] = perm[i], perm[c[i]]
				}
				total++
				if math.Abs(stat(perm)) >= cut {
					b++
				}
				c[i]++
				i = 1
			} else {
				c[i] = 0
				i++
			}
		}
		return Permutation{Reps: total, Exact: true, P: float64(b) / float64(total)}, nil
	}
	src := newSource(o.Seed)
	for r := 0; r < o.Perm; r++ {
		shuffle(src, perm)
		if math.Abs(stat(perm)) >= cut {
			b++
		}
	}
	return Permutation{Reps: o.Perm, Seed: o.Seed, P: float64(b+1) / float64(o.Perm+1)}, nil
}

// bootstrapCorr resamples (x, y, w) rows with replacement o.Boot times.
func bootstrapCorr(kind corrKind, x, y, w []float64, est float64, o CorrOptions) Bootstrap {
	n := len(x)
	src := newSource(o.Seed)
	idx := make([][]int, o.Boot)
	for r := range idx {
		idx[r] = make([]int, n)
		for i := range idx[r] {
			idx[r][i] = int(uintn(src, uint64(n)))
		}
	}
	stat := func(rows []int) float64 {
		xs, ys := make([]float64, len(rows)), make([]float64, len(rows))
		var ws []float64
		if w != nil {
			ws = make([]float64, len(rows))
		}
		for i, r := range rows {
			xs[i], ys[i] = x[r], y[r]
			if w != nil {
				ws[i] = w[r]
			}
		}
		v, err := kind.stat(xs, ys, ws)
		if err != nil {
			return math.NaN()
		}
		return v
	}
	b := bootFromIndices(stat, est, n, idx, o.level())
	b.Seed = o.Seed
	return b
}

// bootFromIndices computes the replicates for the given resamples, the
// jackknife influence values, and the percentile and BCa intervals.
func bootFromIndices(stat func(rows []int) float64, est float64, n int, idx [][]int, level float64) Bootstrap {
	reps := make([]float64, 0, len(idx))
	for _, rows := range idx {
		if v := stat(rows); !math.IsNaN(v) && !math.IsInf(v, 0) {
			reps = append(reps, v)
		}
	}
	jack := make([]float64, n)
	rows := make([]int, 0, n-1)
	for i := range jack {
		rows = rows[:0]
		for j := 0; j < n; j++ {
			if j != i {
				rows = append(rows, j)
			}
		}
		jack[i] = stat(rows)
	}
	b := Bootstrap{Reps: len(idx), Used: len(reps), Level: level}
	b.PercentLow, b.PercentHi, b.BCaLow, b.BCaHigh = bootIntervals(est, reps, jackInfluence(est, jack), level)
	return b
}

// jackInfluence turns leave-one-out estimates into empirical influence
// values L_i = (n−1)(t − t₍₋ᵢ₎), centred on the full-sample estimate t as
// boot::empinf(type = "jack") does (Efron's textbook version centres on the
// mean of the t₍₋ᵢ₎ instead; the two differ slightly).
func jackInfluence(est float64, jack []float64) []float64 {
	n := float64(len(jack))
	l := make([]float64, len(jack))
	for i, v := range jack {
		l[i] = (n - 1) * (est - v)
	}
	return l
}

// bootIntervals returns the percentile and BCa (Efron 1987) intervals. Both
// read quantiles the way boot::boot.ci does (Davison and Hinkley 1997,
// eq. 5.8): the (R+1)α-th order statistic, interpolated on the normal
// quantile scale when (R+1)α is not an integer. The BCa acceleration is
// Σ L³ / (6 (Σ L²)^1.5) from jackknife influence values L.
func bootIntervals(est float64, reps, infl []float64, level float64) (pLo, pHi, bLo, bHi float64) {
	nan := math.NaN()
	if len(reps) < 2 {
		return nan, nan, nan, nan
	}
	t := append([]float64(nil), reps...)
	sort.Float64s(t)
	alpha := [2]float64{(1 - level) / 2, (1 + level) / 2}
	pLo, pHi = normInter(t, alpha[0]), normInter(t, alpha[1])
	below := 0
	for _, v := range t {
		if v < est {
			below++
		}
	}
	z0 := distuv.UnitNormal.Quantile(float64(below) / float64(len(t)))
	var l2, l3 float64
	for _, l := range infl {
		l2 += l * l
		l3 += l * l * l
	}
	a := l3 / (6 * math.Pow(l2, 1.5))
	if math.IsInf(z0, 0) || math.IsNaN(a) {
		return pLo, pHi, nan, nan
	}
	adj := func(al float64) float64 {
		za := distuv.UnitNormal.Quantile(al)
		return distuv.UnitNormal.CDF(z0 + (z0+za)/(1-a*(z0+za)))
	}
	return pLo, pHi, normInter(t, adj(alpha[0])), normInter(t, adj(alpha[1]))
}

// normInter reads the α quantile of the sorted replicates t.
func normInter(t []float64, alpha float64) float64 {
	r := len(t)
	rk := float64(r+1) * alpha
	k := int(math.Trunc(rk))
	switch {
	case k <= 0:
		return t[0]
	case k >= r:
		return t[r-1]
	case float64(k) == rk:
		return t[k-1]
	}
	q := distuv.UnitNormal.Quantile
	z, zk, zk1 := q(alpha), q(float64(k)/float64(r+1)), q(float64(k+1)/float64(r+1))
	return t[k-1] + (z-zk)/(zk1-zk)*(t[k]-t[k-1])
}
