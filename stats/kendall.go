package stats

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// knight counts Kendall's S = concordant − discordant pairs of (x, y) in
// O(n log n) (Knight 1966), for y in its own order or reordered by a
// permutation. With the observations sorted by x (and by y within tied x),
// the discordant pairs are the inversions a merge sort of y removes, and
//
//	S = n₀ − n₁ − n₂ + n₃ − 2·inversions,
//
// n₀ = n(n−1)/2 pairs, n₁ tied in x, n₂ tied in y, n₃ tied in both. Only
// the inversions and n₃ depend on how y is ordered; the rest is fixed here.
type knight struct {
	pos    []int   // pos[i] is observation i's place in the x order
	groups []int   // starts of the runs of tied x in that order, then n; nil without ties
	yr     []int32 // dense rank of each y (ties share a rank)
	base   int     // n₀ − n₁ − n₂
	buf    []int32 // y ranks in x order, sorted in place by count
	tmp    []int32
}

func newKnight(x, y []float64) *knight {
	n := len(x)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return x[order[a]] < x[order[b]] })
	k := &knight{pos: make([]int, n), yr: denseRanks(y), buf: make([]int32, n), tmp: make([]int32, n)}
	k.base = n * (n - 1) / 2
	for p, i := range order {
		k.pos[i] = p
	}
	for p := 0; p < n; {
		q := p + 1
		for q < n && x[order[q]] == x[order[p]] {
			q++
		}
		k.base -= (q - p) * (q - p - 1) / 2
		k.groups = append(k.groups, p)
		p = q
	}
	if len(k.groups) == n {
		k.groups = nil // no ties in x: nothing to sort within runs
	} else {
		k.groups = append(k.groups, n)
	}
	for _, t := range tieSizes(y) {
		k.base -= int(t) * int(t-1) / 2
	}
	return k
}

// denseRanks numbers the distinct values of v 0, 1, … in increasing order.
func denseRanks(v []float64) []int32 {
	u := slices.Clone(v)
	slices.Sort(u)
	u = slices.Compact(u)
	r := make([]int32, len(v))
	for i, a := range v {
		j, _ := slices.BinarySearch(u, a)
		r[i] = int32(j)
	}
	return r
}

// scatter puts y[perm[i]]'s rank at observation i's place in the x order.
func (k *knight) scatter(perm []int32) {
	for i, j := range perm {
		k.buf[k.pos[i]] = k.yr[j]
	}
}

// count returns S for the ranks scatter placed; it reorders buf.
func (k *knight) count() int {
	joint := 0
	for g := 0; g+1 < len(k.groups); g++ {
		run := k.buf[k.groups[g]:k.groups[g+1]]
		if len(run) < 2 {
			continue
		}
		sortCounting(run)
		for p := 0; p < len(run); {
			q := p + 1
			for q < len(run) && run[q] == run[p] {
				q++
			}
			joint += (q - p) * (q - p - 1) / 2
			p = q
		}
	}
	return k.base + joint - 2*inversions(k.buf, k.tmp)
}

// sortCounting sorts a short slice by insertion and returns the number of
// inversions it removed.
func sortCounting(a []int32) int {
	inv := 0
	for i := 1; i < len(a); i++ {
		v := a[i]
		j := i
		for ; j > 0 && a[j-1] > v; j-- {
			a[j] = a[j-1]
		}
		inv += i - j
		a[j] = v
	}
	return inv
}

// inversionRun is the width of the runs inversions sorts by insertion
// before merging: on short runs insertion is faster than merging.
const inversionRun = 8

// inversions sorts a (using tmp, of the same length) and returns the number
// of pairs i < j with a[i] > a[j], by a bottom-up merge sort. Equal values
// are not inversions: a pair tied in y is neither concordant nor discordant.
func inversions(a, tmp []int32) int {
	n := len(a)
	inv := 0
	for lo := 0; lo < n; lo += inversionRun {
		inv += sortCounting(a[lo:min(lo+inversionRun, n)])
	}
	src, dst := a, tmp
	for width := inversionRun; width < n; width *= 2 {
		for lo := 0; lo < n; lo += 2 * width {
			mid, hi := min(lo+width, n), min(lo+2*width, n)
			i, j, d := lo, mid, lo
			for i < mid && j < hi {
				if src[j] < src[i] {
					dst[d] = src[j]
					inv += mid - i
					j++
				} else {
					dst[d] = src[i]
					i++
				}
				d++
			}
			d += copy(dst[d:], src[i:mid])
			copy(dst[d:], src[j:hi])
		}
		src, dst = dst, src
	}
	return inv
}

type kendallStat struct {
	s, tau, varS, z, seTau float64
}

// kendall computes S = concordant − discordant pairs, tau-b and the
// tie-corrected null variance of S.
func kendall(x, y []float64) (kendallStat, error) {
	n := len(x)
	k := newKnight(x, y)
	id := make([]int32, n)
	for i := range id {
		id[i] = int32(i)
	}
	k.scatter(id)
	s := k.count()
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
