package stats

import (
	"fmt"
	"math"
)

// InfluenceResult holds leave-one-out diagnostics of an OLS/WLS fit, one
// row per input observation (NaN for zero-weight rows, which take no part).
type InfluenceResult struct {
	Terms []string
	// DFBeta[i][j] is how much coefficient j falls when observation i is
	// dropped: b − b₍₋ᵢ₎, R's dfbeta().
	DFBeta   [][]float64
	Cook     []float64 // Cook's distance, R's cooks.distance()
	Leverage []float64 // hat values
}

// Influence computes DFBETA, Cook's distance and leverage for OLS(d) in
// closed form (no refitting): b − b₍₋ᵢ₎ = (X'WX)⁻¹xᵢwᵢeᵢ/(1−hᵢ) and
// Dᵢ = wᵢeᵢ²hᵢ / (k s² (1−hᵢ)²).
func Influence(d Design) (InfluenceResult, error) {
	if len(d.FE) > 0 {
		return InfluenceResult{}, fmt.Errorf("influence diagnostics are for OLS; enter fixed effects as regressors")
	}
	rows, err := d.check()
	if err != nil {
		return InfluenceResult{}, err
	}
	sub := d.subset(rows)
	n := len(sub.Y)
	names, cols := sub.regressors(!d.NoIntercept)
	fit, err := leastSquares(names, cols, sub.Y, sub.Weights, "")
	if err != nil {
		return InfluenceResult{}, err
	}
	k := len(cols)
	s2 := fit.rss() / float64(n-k)
	out := InfluenceResult{Terms: names, DFBeta: make([][]float64, len(d.Y)), Cook: make([]float64, len(d.Y)), Leverage: make([]float64, len(d.Y))}
	for i := range d.Y {
		out.DFBeta[i] = make([]float64, k)
		for j := range out.DFBeta[i] {
			out.DFBeta[i][j] = math.NaN()
		}
		out.Cook[i], out.Leverage[i] = math.NaN(), math.NaN()
	}
	for r, i := range rows {
		h := fit.leverage(r)
		we := fit.weight(r) * fit.resid[r]
		for j := 0; j < k; j++ {
			s := 0.0
			for c := 0; c < k; c++ {
				s += fit.xtxInv.At(j, c) * cols[c][r]
			}
			out.DFBeta[i][j] = s * we / (1 - h)
		}
		out.Cook[i] = we * fit.resid[r] * h / (float64(k) * s2 * (1 - h) * (1 - h))
		out.Leverage[i] = h
	}
	return out, nil
}

// LeaveOneOut returns the estimate of the first term of corr recomputed
// without each observation in turn: how much one metro moves a correlation.
func LeaveOneOut(x, y []float64, corr func(x, y []float64, o CorrOptions) (Result, error)) ([]float64, error) {
	if len(x) != len(y) {
		return nil, fmt.Errorf("x has %d values, y has %d", len(x), len(y))
	}
	out := make([]float64, len(x))
	xs, ys := make([]float64, 0, len(x)), make([]float64, 0, len(y))
	for i := range x {
		xs, ys = append(xs[:0], x[:i]...), append(ys[:0], y[:i]...)
		xs, ys = append(xs, x[i+1:]...), append(ys, y[i+1:]...)
		r, err := corr(xs, ys, CorrOptions{})
		if err != nil {
			return nil, fmt.Errorf("without observation %d: %w", i, err)
		}
		out[i] = r.Terms[0].Estimate
	}
	return out, nil
}
