package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// CorrelationPower is the power of the two-sided test of ρ = 0 at level
// alpha with n pairs when the true correlation is rho, by Fisher's z
// approximation: atanh(r) ~ N(atanh(ρ), 1/(n−3)), so power =
// Φ(δ − z) + Φ(−δ − z) with δ = atanh(ρ)√(n−3) and z = Φ⁻¹(1 − α/2).
// Both rejection tails are counted.
func CorrelationPower(n int, rho, alpha float64) (float64, error) {
	if n < 4 {
		return 0, fmt.Errorf("%w: power needs n ≥ 4, got %d", ErrTooFew, n)
	}
	if !(alpha > 0 && alpha < 1) || !(rho > -1 && rho < 1) {
		return 0, fmt.Errorf("need 0 < alpha < 1 and -1 < rho < 1, got alpha %g rho %g", alpha, rho)
	}
	z := distuv.UnitNormal.Quantile(1 - alpha/2)
	d := math.Atanh(rho) * math.Sqrt(float64(n-3))
	return distuv.UnitNormal.CDF(d-z) + distuv.UnitNormal.CDF(-d-z), nil
}

// MinDetectableCorrelation is the smallest |ρ| that the two-sided test at
// level alpha detects with the given power from n pairs, under the same
// Fisher-z approximation as CorrelationPower (solved exactly, both tails
// included, by bisection).
func MinDetectableCorrelation(n int, alpha, power float64) (float64, error) {
	if !(power > alpha && power < 1) {
		return 0, fmt.Errorf("need alpha < power < 1, got alpha %g power %g", alpha, power)
	}
	if _, err := CorrelationPower(n, 0, alpha); err != nil {
		return 0, err
	}
	lo, hi := 0.0, 1.0
	for hi-lo > 1e-13 {
		mid := (lo + hi) / 2
		if p, _ := CorrelationPower(n, mid, alpha); p < power {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2, nil
}

// MinDetectableEffect is the smallest true coefficient a two-sided test at
// level alpha detects with the given power when its standard error is se:
// (t₁₋α/₂ + t_power)·se on df degrees of freedom (df = 0: normal). The far
// rejection tail is ignored, as in the usual MDE formula (Bloom 1995).
func MinDetectableEffect(se, df, alpha, power float64) (float64, error) {
	if !(power > alpha && power < 1) || !(alpha > 0) || !(se >= 0) {
		return 0, fmt.Errorf("need se ≥ 0 and 0 < alpha < power < 1, got se %g alpha %g power %g", se, alpha, power)
	}
	d := refDist{df}
	return (d.quantile(1-alpha/2) + d.quantile(power)) * se, nil
}
