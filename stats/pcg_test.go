package stats

import (
	"math/rand/v2"
	"testing"
)

// Uint64 makes the source a rand.Source for the tests' data generators.
func (p *pcg) Uint64() uint64 { return p.uint64() }

// TestPCGMatchesStdlib: the written-out generator gives math/rand/v2's PCG
// stream, draw for draw, so every permutation and resample is what it was
// when the procedures drew from rand.PCG.
func TestPCGMatchesStdlib(t *testing.T) {
	for _, seed := range []uint64{0, 1, 2019, 1<<63 + 12345} {
		ours := newSource(seed)
		std := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
		for i := range 100_000 {
			if a, b := ours.uint64(), std.Uint64(); a != b {
				t.Fatalf("seed %d draw %d: %x, math/rand/v2 %x", seed, i, a, b)
			}
		}
	}
}
