package study

import (
	"fmt"
	"slices"

	"github.com/assaylab/assay/stats"
)

// LinePoint is one point of a fitted line with its confidence band.
type LinePoint struct {
	X   float64 `json:"x"`
	Fit float64 `json:"fit"`
	Lo  float64 `json:"lo"`
	Hi  float64 `json:"hi"`
}

// linePoints is how many points a fitted line is drawn through.
const linePoints = 41

// FitLine is the least-squares line of a sample's Y on X with its
// confidence band at the level, across the range of X: the band follows
// the HC3 standard errors the slope is reported with. Weighted by
// population it is the WLS line, the slope a weighted study reports.
func FitLine(s *Sample, level float64, w Weights) ([]LinePoint, error) {
	x, y, wt := s.Columns()
	if len(x) < MinMetros {
		return nil, fmt.Errorf("fit line: %d metros", len(x))
	}
	d := stats.Design{YName: "y", Y: y, X: []stats.Var{{Name: "x", Values: x}}}
	if w == Population {
		d.Weights = wt
	}
	r, err := stats.OLS(d, stats.Options{SE: stats.HC3, Level: level})
	if err != nil {
		return nil, err
	}
	lo, hi := slices.Min(x), slices.Max(x)
	out := make([]LinePoint, linePoints)
	for i := range out {
		xv := lo + (hi-lo)*float64(i)/float64(linePoints-1)
		fit, l, h, err := r.Predict([]float64{1, xv})
		if err != nil {
			return nil, err
		}
		out[i] = LinePoint{X: xv, Fit: fit, Lo: l, Hi: h}
	}
	return out, nil
}

// PowerPoint is the smallest |r| a number of metros detects with the
// conventional power at the conventional level.
type PowerPoint struct {
	N   int     `json:"n"`
	MDC float64 `json:"mdc"`
}

// PowerCurve gives the minimum detectable correlation for every number of
// metros from MinMetros to upTo.
func PowerCurve(upTo int) ([]PowerPoint, error) {
	var out []PowerPoint
	for n := MinMetros; n <= upTo; n++ {
		m, err := stats.MinDetectableCorrelation(n, Alpha, TargetPower)
		if err != nil {
			return nil, err
		}
		out = append(out, PowerPoint{n, m})
	}
	return out, nil
}
