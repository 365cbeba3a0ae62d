package stats

import "math/bits"

// pcg is PCG-DXSM with a 128-bit state, the generator math/rand/v2's PCG
// implements, written out so that the hot loops (a permutation test draws
// hundreds of millions of numbers) hold its state in registers: as a value
// copied into a loop it need not be stored back after every draw. It gives
// exactly math/rand/v2's stream for the same seeds (TestPCGMatchesStdlib).
type pcg struct{ hi, lo uint64 }

// newSource returns the one random source every resampling procedure uses:
// PCG seeded with (seed, seed XOR golden-ratio constant). Bounded integers
// are drawn by uintn rather than by math/rand helpers, so the streams
// depend only on PCG's published definition.
func newSource(seed uint64) *pcg { return &pcg{seed, seed ^ 0x9e3779b97f4a7c15} }

// uint64 advances the state (state·mul + inc, 128-bit) and returns the
// DXSM output (O'Neill's pcg-cpp, as math/rand/v2 does).
func (p *pcg) uint64() uint64 {
	const (
		mulHi    = 2549297995355413924
		mulLo    = 4865540595714422341
		incHi    = 6364136223846793005
		incLo    = 1442695040888963407
		cheapMul = 0xda942042e4dd58b5
	)
	hi, lo := bits.Mul64(p.lo, mulLo)
	hi += p.hi*mulLo + p.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	p.lo, p.hi = lo, hi
	hi ^= hi >> 32
	hi *= cheapMul
	hi ^= hi >> 48
	return hi * (lo | 1)
}

// uintn returns a uniform integer in [0, n) by Lemire's multiply-and-reject
// method (no modulo bias).
func (p *pcg) uintn(n uint64) uint64 {
	hi, lo := bits.Mul64(p.uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(p.uint64(), n)
		}
	}
	return hi
}

// shuffle is the Fisher–Yates shuffle of p, drawing from src.
func shuffle(src *pcg, p []int32) {
	s := *src
	for i := len(p) - 1; i > 0; i-- {
		j := int(s.uintn(uint64(i + 1)))
		p[i], p[j] = p[j], p[i]
	}
	*src = s
}
