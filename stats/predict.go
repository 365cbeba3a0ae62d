package stats

import (
	"fmt"
	"math"
)

// Predict is a fitted model's value at one point x (a value for each term,
// in Terms order: 1 for the intercept) with its confidence interval at the
// result's level, from the estimates' variance matrix and the result's
// reference distribution (R: predict(fit, newdata, interval =
// "confidence") for lm). With robust or clustered standard errors the band
// follows them.
func (r Result) Predict(x []float64) (fit, lo, hi float64, err error) {
	if len(x) != len(r.Terms) {
		return 0, 0, 0, fmt.Errorf("predict: %d values for %d terms", len(x), len(r.Terms))
	}
	if len(r.Vcov) != len(r.Terms) {
		return 0, 0, 0, fmt.Errorf("predict: the result carries no variance matrix")
	}
	var v float64
	for i, xi := range x {
		fit += xi * r.Terms[i].Estimate
		for j, xj := range x {
			v += xi * r.Vcov[i][j] * xj
		}
	}
	if v < 0 {
		return 0, 0, 0, fmt.Errorf("predict: negative variance %g", v)
	}
	half := refDist{r.DF}.quantile(1-(1-r.Level)/2) * math.Sqrt(v)
	return fit, fit - half, fit + half, nil
}
