package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// hacMeat is Newey and West's (1987) meat: the sum of each observation's
// score outer product and, for lags 1..lag, Bartlett-weighted
// (1 − l/(lag+1)) cross products of scores l apart, in the order the
// observations were given.
func hacMeat(in sandwichInput, lag int) (*mat.SymDense, error) {
	if lag < 0 || lag >= in.n {
		return nil, fmt.Errorf("HAC standard errors: lag %d, want 0 to %d (one less than the observations)", lag, in.n-1)
	}
	k := in.bread.SymmetricDim()
	scores := make([][]float64, in.n)
	for i := range scores {
		scores[i] = make([]float64, k)
		in.score(i, scores[i])
	}
	meat := mat.NewSymDense(k, nil)
	for l := 0; l <= lag; l++ {
		w := 1 - float64(l)/float64(lag+1)
		for i := l; i < in.n; i++ {
			a, b := scores[i], scores[i-l]
			for p := 0; p < k; p++ {
				for q := p; q < k; q++ {
					v := a[p] * b[q]
					if l > 0 {
						v += b[p] * a[q]
					}
					meat.SetSym(p, q, meat.At(p, q)+w*v)
				}
			}
		}
	}
	return meat, nil
}

// NeweyWestLag is the common rule of thumb for the HAC lag of n time-ordered
// observations, ⌊4·(n/100)^(2/9)⌋ (Newey and West 1994).
func NeweyWestLag(n int) int { return int(math.Floor(4 * math.Pow(float64(n)/100, 2.0/9))) }

// Lag1Autocorrelation is the lag-1 autocorrelation of a series about its
// mean (R: acf(x, lag.max = 1, plot = FALSE)$acf[2]).
func Lag1Autocorrelation(x []float64) (float64, error) {
	if len(x) < 3 {
		return 0, fmt.Errorf("lag-1 autocorrelation: %d values, want at least 3", len(x))
	}
	c := centred(x)
	den := dot(c, c)
	if den == 0 {
		return 0, fmt.Errorf("lag-1 autocorrelation of a constant series")
	}
	return dot(c[1:], c[:len(c)-1]) / den, nil
}
