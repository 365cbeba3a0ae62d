package stats

import "math"

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
	linear              bool    // a product-moment statistic is asked for
	kn                  *knight // nil unless Kendall is asked for
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
// statistic's value does not depend on the company it is computed in.
func (e *permEngine) eval(perm []int, out *permOut) {
	if e.linear {
		var sp, sr, swx, swy, swyy float64
		xs, ys := e.xs[:len(perm)], e.ys
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

// permutationTest counts, for each kind, the orderings of y whose statistic
// is at least as far from zero as the observed one (two-sided). With
// n ≤ ExactPermMax it visits all n! orderings (Heap's algorithm) and
// p = b/n!; otherwise it draws o.Perm random orderings and
// p = (b+1)/(R+1) (Phipson and Smyth 2010). Every kind sees the same
// orderings, in the same order, as it would alone.
func permutationTest(kinds []CorrKind, x, y, w []float64, o CorrOptions) ([]Permutation, error) {
	n := len(x)
	e := newPermEngine(kinds, x, y, w)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	var out, cut permOut
	e.eval(perm, &out)
	for _, k := range kinds {
		// Orderings that tie the observed statistic count as extreme; the
		// tolerance absorbs rounding in sums taken in a different order.
		obs := math.Abs(out[k])
		cut[k] = obs - 1e-10*math.Max(1, obs)
	}
	var b [CorrKendall + 1]int
	count := func() {
		e.eval(perm, &out)
		for _, k := range kinds {
			if math.Abs(out[k]) >= cut[k] {
				b[k]++
			}
		}
	}
	ps := make([]Permutation, len(kinds))
	if n <= ExactPermMax {
		total := 1
		for i := 2; i <= n; i++ {
			total *= i
		}
		count()
		c := make([]int, n)
		for done, i := 1, 1; i < n; {
			if c[i] < i {
				if i%2 == 0 {
					perm[0], perm[i] = perm[i], perm[0]
				} else {
					perm[c[i]], perm[i] = perm[i], perm[c[i]]
				}
				if done%checkEvery == 0 {
					if err := o.step(done, total); err != nil {
						return nil, err
					}
				}
				count()
				done++
				c[i]++
				i = 1
			} else {
				c[i] = 0
				i++
			}
		}
		if err := o.step(total, total); err != nil {
			return nil, err
		}
		for i, k := range kinds {
			ps[i] = Permutation{Reps: total, Exact: true, P: float64(b[k]) / float64(total)}
		}
		return ps, nil
	}
	src := newSource(o.Seed)
	for r := 0; r < o.Perm; r++ {
		if r%checkEvery == 0 {
			if err := o.step(r, o.Perm); err != nil {
				return nil, err
			}
		}
		shuffle(src, perm)
		count()
	}
	if err := o.step(o.Perm, o.Perm); err != nil {
		return nil, err
	}
	for i, k := range kinds {
		ps[i] = Permutation{Reps: o.Perm, Seed: o.Seed, P: float64(b[k]+1) / float64(o.Perm+1)}
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
