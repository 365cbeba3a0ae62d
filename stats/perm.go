package stats

import (
	"math"
)

// permEngine evaluates every requested correlation on a reordering of y
// (x[i] paired with y[perm[i]]). What a permutation cannot change — centred
// values, ranks, weighted moments of x, ties — is computed once, so a
// permutation costs one gather of y's precomputed values (shared by all the
// product-moment statistics) and, for Kendall, one O(n log n) count.
type permEngine struct {
	kinds []CorrKind
	xs    []permX
	ys    []permY
	// Denominators: Pearson's and Spearman's √(Σx̃²Σỹ²); for weighted
	// Pearson Σw(x−x̄_w)² and Σw.
	den, rden, wsxx, sw float64
	linear              bool     // a product-moment statistic is asked for
	only                CorrKind // the one product-moment statistic, if only one is
	kn                  *knight  // nil unless Kendall is asked for
}

// permX holds what each position i contributes: x centred, its centred rank,
// w·(x − x̄_w) and w. permY holds what observation j of y brings wherever it
// is moved: y centred (by its plain mean), its centred rank, and the square
// of the first. Keeping each in one struct makes the gather one memory access.
type permX struct{ xc, rx, wx, w float64 }
type permY struct{ yc, ry, yc2 float64 }

// permOut holds one evaluation, indexed by CorrKind.
type permOut [CorrKendall + 1]float64

func newPermEngine(kinds []CorrKind, x, y, w []float64) *permEngine {
	n := len(x)
	e := &permEngine{kinds: kinds, xs: make([]permX, n), ys: make([]permY, n)}
	xs, ys := rescaled(x), rescaled(y)
	xc, yc := centred(xs), centred(ys)
	for _, k := range kinds {
		switch k {
		case CorrPearson:
			e.den = math.Sqrt(dot(xc, xc) * dot(yc, yc))
		case CorrSpearman:
			rx, ry := centred(ranks(x)), centred(ranks(y))
			e.rden = math.Sqrt(dot(rx, rx) * dot(ry, ry))
			for i := range e.xs {
				e.xs[i].rx, e.ys[i].ry = rx[i], ry[i]
			}
		case CorrWeightedPearson:
			ws := rescaled(w)
			mx := 0.0
			for i, a := range xs {
				e.sw += ws[i]
				mx += ws[i] * a
			}
			mx /= e.sw
			for i, a := range xs {
				d := a - mx
				e.xs[i].wx, e.xs[i].w = ws[i]*d, ws[i]
				e.wsxx += ws[i] * d * d
			}
		case CorrKendall:
			e.kn = newKnight(x, y)
			continue
		}
		e.only = k
		if e.linear {
			e.only = 0
		}
		e.linear = true
	}
	for i := range e.xs {
		e.xs[i].xc, e.ys[i].yc, e.ys[i].yc2 = xc[i], yc[i], yc[i]*yc[i]
	}
	return e
}

// eval computes the statistics for perm into out: r for the product-moment
// coefficients, S for Kendall (its denominator does not depend on perm).
// Each sum runs in index order whichever statistics are asked for, so a
// statistic's value does not depend on the company it is computed in; Pearson
// or Spearman alone skips the other sums, which would double its cost.
func (e *permEngine) eval(perm []int32, out *permOut) {
	xs, ys := e.xs[:len(perm)], e.ys
	switch {
	case e.only == CorrPearson:
		var sp float64
		for i, j := range perm {
			sp += xs[i].xc * ys[j].yc
		}
		out[CorrPearson] = sp / e.den
	case e.only == CorrSpearman:
		var sr float64
		for i, j := range perm {
			sr += xs[i].rx * ys[j].ry
		}
		out[CorrSpearman] = sr / e.rden
	case e.linear:
		var sp, sr, swx, swy, swyy float64
		for i, j := range perm {
			a, b := &xs[i], &ys[j]
			sp += a.xc * b.yc
			sr += a.rx * b.ry
			swx += a.wx * b.yc
			swy += a.w * b.yc
			swyy += a.w * b.yc2
		}
		out[CorrPearson] = sp / e.den
		out[CorrSpearman] = sr / e.rden
		out[CorrWeightedPearson] = swx / math.Sqrt(e.wsxx*(swyy-swy*swy/e.sw))
	}
	if e.kn != nil {
		e.kn.scatter(perm)
		out[CorrKendall] = float64(e.kn.count())
	}
}

// permCounts counts, per CorrKind, orderings at least as extreme as observed.
type permCounts [CorrKendall + 1]int

// countBlock evaluates the orderings in block and adds to b those whose
// statistic is at least as far from zero as cut.
func (e *permEngine) countBlock(block []int32, cut *permOut, b *permCounts) {
	n := len(e.xs)
	var out permOut
	for r := 0; r+n <= len(block); r += n {
		e.eval(block[r:r+n], &out)
		for _, k := range e.kinds {
			if math.Abs(out[k]) >= cut[k] {
				b[k]++
			}
		}
	}
}

// permBlock is the number of orderings drawn at a time: few enough (78 KB
// at n = 304) that a block is evaluated from cache. checkEvery is a
// multiple.
const permBlock = 64

// orderings writes the next block of orderings of a test, n values each,
// into dst (room for permBlock of them); an empty block once there are no
// more.
type orderings func(dst []int32) []int32

// shuffled yields reps Fisher–Yates shuffles of perm, each shuffling the
// previous one, from src.
func shuffled(src *pcg, perm []int32, reps int) orderings {
	return func(dst []int32) []int32 {
		n := len(perm)
		m := min(reps, len(dst)/n)
		for r := 0; r < m; r++ {
			shuffle(src, perm)
			copy(dst[r*n:], perm)
		}
		reps -= m
		return dst[:m*n]
	}
}

// heapOrderings yields all n! orderings of perm, perm itself first, by
// Heap's algorithm (one swap between consecutive orderings).
func heapOrderings(perm []int32) orderings {
	n := len(perm)
	c := make([]int, n)
	i, first := 1, true
	return func(dst []int32) []int32 {
		m := 0
		for ; m < len(dst)/n; m++ {
			if !first {
				for i < n && c[i] >= i {
					c[i] = 0
					i++
				}
				if i >= n {
					break
				}
				if i%2 == 0 {
					perm[0], perm[i] = perm[i], perm[0]
				} else {
					perm[c[i]], perm[i] = perm[i], perm[c[i]]
				}
				c[i]++
				i = 1
			}
			first = false
			copy(dst[m*n:], perm)
		}
		return dst[:m*n]
	}
}

// countExtreme evaluates the total orderings next yields, a block at a
// time, and counts the extreme ones per kind.
func (e *permEngine) countExtreme(next orderings, total int, cut permOut, ctl Control) (permCounts, error) {
	n := len(e.xs)
	buf := make([]int32, permBlock*n)
	var b permCounts
	for done := 0; ; {
		if done%checkEvery == 0 {
			if err := ctl.step(done, total); err != nil {
				return b, err
			}
		}
		block := next(buf)
		if len(block) == 0 {
			break
		}
		e.countBlock(block, &cut, &b)
		done += len(block) / n
	}
	return b, ctl.step(total, total)
}

// permutationTest counts, for each kind, the orderings of y whose statistic
// is at least as far from zero as the observed one (two-sided). With
// n ≤ ExactPermMax it visits all n! orderings and p = b/n!; otherwise it
// draws o.Perm random orderings and p = (b+1)/(R+1) (Phipson and Smyth
// 2010). Every kind sees the same orderings as it would alone.
func permutationTest(kinds []CorrKind, x, y, w []float64, o CorrOptions) ([]Permutation, error) {
	n := len(x)
	e := newPermEngine(kinds, x, y, w)
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	var obs, cut permOut
	e.eval(perm, &obs)
	for _, k := range kinds {
		// Orderings that tie the observed statistic count as extreme; the
		// tolerance absorbs rounding in sums taken in a different order.
		a := math.Abs(obs[k])
		cut[k] = a - 1e-10*math.Max(1, a)
	}
	exact := n <= ExactPermMax
	total, next := o.Perm, shuffled(newSource(o.Seed), perm, o.Perm)
	if exact {
		total = 1
		for i := 2; i <= n; i++ {
			total *= i
		}
		next = heapOrderings(perm)
	}
	b, err := e.countExtreme(next, total, cut, o.Control)
	if err != nil {
		return nil, err
	}
	ps := make([]Permutation, len(kinds))
	for i, k := range kinds {
		if exact {
			ps[i] = Permutation{Reps: total, Exact: true, P: float64(b[k]) / float64(total)}
		} else {
			ps[i] = Permutation{Reps: total, Seed: o.Seed, P: float64(b[k]+1) / float64(total+1)}
		}
	}
	return ps, nil
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

// bootstrapCorr resamples (x, y, w) rows with replacement o.Boot times and
// evaluates every kind on each resample.
func bootstrapCorr(kinds []CorrKind, x, y, w []float64, ests []float64, o CorrOptions) ([]Bootstrap, error) {
	n := len(x)
	xs, ys, ws := make([]float64, n), make([]float64, n), make([]float64, n)
	stats := make([]BootStat, len(kinds))
	for s, k := range kinds {
		f, weighted := corrKinds[k].stat, k == CorrWeightedPearson
		stats[s] = func(rows []int) (float64, bool) {
			m := len(rows)
			for i, r := range rows {
				xs[i], ys[i] = x[r], y[r]
				if weighted {
					ws[i] = w[r]
				}
			}
			var wm []float64
			if weighted {
				wm = ws[:m]
			}
			v, err := f(xs[:m], ys[:m], wm)
			return v, err == nil
		}
	}
	bs, err := resample(n, o.Boot, uniformRows(newSource(o.Seed)), stats, ests, o.level(), o.Control)
	if err != nil {
		return nil, err
	}
	for i := range bs {
		bs[i].Seed = o.Seed
	}
	return bs, nil
}
