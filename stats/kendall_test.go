package stats

import (
	"math/rand/v2"
	"testing"
)

// naiveS is Kendall's S by its definition, over all n(n−1)/2 pairs: the
// reference Knight's count must equal exactly.
func naiveS(x, y []float64) int {
	sign := func(d float64) int {
		switch {
		case d > 0:
			return 1
		case d < 0:
			return -1
		}
		return 0
	}
	s := 0
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			s += sign(x[i]-x[j]) * sign(y[i]-y[j])
		}
	}
	return s
}

// randomPairs draws n pairs whose values come from `levels` distinct
// numbers (few levels: many ties in x, in y and in both).
func randomPairs(rng *rand.Rand, n, levels int) (x, y []float64) {
	x, y = make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = float64(rng.IntN(levels))
		y[i] = float64(rng.IntN(levels)) + 0.5*x[i]
	}
	return x, y
}

func TestKnightEqualsDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name      string
		n, levels int
	}{
		{"no ties, n below one insertion run", 5, 1 << 30},
		{"no ties, n = 304", 304, 1 << 30},
		{"ties in both, small", 12, 3},
		{"heavy ties", 100, 4},
		{"binary x and y", 57, 2},
		{"n not a power of two, moderate ties", 1001, 40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for trial := 0; trial < 20; trial++ {
				x, y := randomPairs(rng, tc.n, tc.levels)
				k := newKnight(x, y)
				perm := make([]int32, tc.n)
				yp := make([]float64, tc.n)
				for i, j := range rng.Perm(tc.n) {
					perm[i], yp[i] = int32(j), y[j]
				}
				k.scatter(perm)
				if got, want := k.count(), naiveS(x, yp); got != want {
					t.Fatalf("trial %d: Knight S = %d, definition %d", trial, got, want)
				}
				// The same knight again: count must not depend on what
				// an earlier call left in its buffers.
				id := make([]int32, tc.n)
				for i := range id {
					id[i] = int32(i)
				}
				k.scatter(id)
				if got, want := k.count(), naiveS(x, y); got != want {
					t.Fatalf("trial %d, reused: Knight S = %d, definition %d", trial, got, want)
				}
			}
		})
	}
}

func TestInversions(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 7, 8, 9, 16, 17, 100, 304} {
		a := make([]int32, n)
		for i := range a {
			a[i] = int32(rng.IntN(max(1, n/3)))
		}
		want := 0
		for i := range a {
			for j := i + 1; j < n; j++ {
				if a[i] > a[j] {
					want++
				}
			}
		}
		if got := inversions(append([]int32(nil), a...), make([]int32, n)); got != want {
			t.Errorf("n = %d: %d inversions, want %d", n, got, want)
		}
	}
}
