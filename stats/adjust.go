package stats

import (
	"math"
	"sort"
)

// BH adjusts p-values for the false discovery rate (Benjamini and Hochberg
// 1995), as R's p.adjust(method = "BH"). NaN entries stay NaN and do not
// count in the number of tests.
func BH(p []float64) []float64 {
	return adjust(p, func(rank, m int, prev, q float64) float64 {
		return math.Min(prev, q*float64(m)/float64(rank+1))
	}, true)
}

// Holm adjusts p-values for the family-wise error rate (Holm 1979), as R's
// p.adjust(method = "holm").
func Holm(p []float64) []float64 {
	return adjust(p, func(rank, m int, prev, q float64) float64 {
		return math.Max(prev, q*float64(m-rank))
	}, false)
}

// adjust visits the finite p-values in ascending order (descending when
// fromTop) and carries the running bound step makes monotone, capped at 1.
func adjust(p []float64, step func(rank, m int, prev, q float64) float64, fromTop bool) []float64 {
	out := make([]float64, len(p))
	var idx []int
	for i, v := range p {
		out[i] = math.NaN()
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	m := len(idx)
	if fromTop {
		prev := math.Inf(1)
		for r := m - 1; r >= 0; r-- {
			prev = step(r, m, prev, p[idx[r]])
			out[idx[r]] = math.Min(1, prev)
		}
		return out
	}
	prev := 0.0
	for r := 0; r < m; r++ {
		prev = step(r, m, prev, p[idx[r]])
		out[idx[r]] = math.Min(1, prev)
	}
	return out
}
