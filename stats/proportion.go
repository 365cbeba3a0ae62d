package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// checkProportion validates k successes of n at a confidence level and
// returns the two-sided tail probability α/2.
func checkProportion(k, n int, level float64) (float64, error) {
	if n < 1 || k < 0 || k > n {
		return 0, fmt.Errorf("proportion needs 0 ≤ k ≤ n and n ≥ 1, got k = %d, n = %d", k, n)
	}
	if level <= 0 || level >= 1 || math.IsNaN(level) {
		return 0, fmt.Errorf("confidence level must be between 0 and 1, got %g", level)
	}
	return (1 - level) / 2, nil
}

// Wilson is the Wilson score interval for a proportion of k successes in n
// trials, without continuity correction: R's prop.test(k, n, correct =
// FALSE)$conf.int. At k = 0 the lower bound is exactly 0 and at k = n the
// upper bound exactly 1, as R has them.
func Wilson(k, n int, level float64) (lo, hi float64, err error) {
	tail, err := checkProportion(k, n, level)
	if err != nil {
		return 0, 0, err
	}
	z := distuv.UnitNormal.Quantile(1 - tail)
	nf := float64(n)
	p := float64(k) / nf
	z22n := z * z / (2 * nf)
	half := z * math.Sqrt(p*(1-p)/nf+z22n/(2*nf))
	lo, hi = 0, 1
	if k > 0 {
		lo = (p + z22n - half) / (1 + 2*z22n)
	}
	if k < n {
		hi = (p + z22n + half) / (1 + 2*z22n)
	}
	return lo, hi, nil
}

// ClopperPearson is the exact (Clopper–Pearson) interval for a proportion
// of k successes in n trials, from beta quantiles: R's binom.test(k,
// n)$conf.int. It is 0 below at k = 0 and 1 above at k = n.
func ClopperPearson(k, n int, level float64) (lo, hi float64, err error) {
	tail, err := checkProportion(k, n, level)
	if err != nil {
		return 0, 0, err
	}
	lo, hi = 0, 1
	if k > 0 {
		lo = distuv.Beta{Alpha: float64(k), Beta: float64(n - k + 1)}.Quantile(tail)
	}
	if k < n {
		hi = distuv.Beta{Alpha: float64(k + 1), Beta: float64(n - k)}.Quantile(1 - tail)
	}
	return lo, hi, nil
}
