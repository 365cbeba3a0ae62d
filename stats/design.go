package stats

import (
	"errors"
	"fmt"
	"math"
)

// Var is one named regressor.
type Var struct {
	Name   string
	Values []float64
}

// Design is the data of one regression: an outcome, regressors, and
// optionally weights, an offset (Poisson only), fixed effects to absorb and
// cluster variables for the standard errors. Every slice has one entry per
// observation; missing values must have been removed before (package frame
// does listwise deletion and reports it).
type Design struct {
	YName string
	Y     []float64
	X     []Var
	// NoIntercept drops the constant OLS adds. Fixed-effects estimators
	// absorb the constant into the fixed effects and ignore this.
	NoIntercept bool
	Weights     []float64
	Offset      []float64
	FE          []Factor
	Cluster     []Factor
}

// SEType names a variance estimator.
type SEType string

// Variance estimators. CR1 is chosen automatically when Design.Cluster is
// set; two cluster factors give Cameron–Gelbach–Miller two-way clustering.
const (
	IID SEType = "iid"
	HC0 SEType = "HC0"
	HC1 SEType = "HC1"
	HC2 SEType = "HC2"
	HC3 SEType = "HC3"
	CR1 SEType = "CR1"
	// HAC is Newey–West: heteroskedasticity- and autocorrelation-
	// consistent, Bartlett weights up to Options.Lag, for observations in
	// time order (R: sandwich::NeweyWest(fit, lag, prewhite = FALSE,
	// adjust = FALSE)).
	HAC SEType = "HAC"
)

// Options are shared by the regression estimators.
type Options struct {
	// SE is the variance estimator; empty means CR1 when the design has
	// clusters and IID otherwise.
	SE SEType
	// Level is the confidence level of the intervals; 0 means 0.95.
	Level float64
	// Lag is the largest lag HAC standard errors weigh (NeweyWestLag gives
	// the usual choice).
	Lag int
}

// RankTol is the relative tolerance below which a column counts as a linear
// combination of the columns before it (the tolerance of R's lm).
const RankTol = 1e-7

// ErrTooFew is returned when there are not more observations than parameters.
var ErrTooFew = errors.New("too few observations")

// CollinearError says which regressor is (numerically) a linear combination
// of the ones before it or of the absorbed fixed effects.
type CollinearError struct {
	Term string
	With string // "earlier regressors" or "the fixed effects"
}

func (e *CollinearError) Error() string {
	return fmt.Sprintf("regressor %q is perfectly collinear with %s", e.Term, e.With)
}

// RowError is a bad value in one observation. Row is its 0-based index in
// the slices the caller passed, so a caller that read them from a file can
// name the line; Column is the variable's name, or "weights", "offset", "x"
// or "y" for the unnamed ones.
type RowError struct {
	Column string
	Row    int
	Err    error
}

func (e *RowError) Error() string { return fmt.Sprintf("%s row %d: %v", e.Column, e.Row, e.Err) }

func (e *RowError) Unwrap() error { return e.Err }

func (o Options) level() float64 { return defaultLevel(o.Level) }

// defaultLevel is the confidence level every procedure uses when given 0.
func defaultLevel(level float64) float64 {
	if level == 0 {
		return 0.95
	}
	return level
}

func (o Options) seType(d Design) SEType {
	if o.SE != "" {
		return o.SE
	}
	if len(d.Cluster) > 0 {
		return CR1
	}
	return IID
}

// check validates lengths and values and returns the rows that take part in
// the fit: all rows with a positive weight.
func (d Design) check() ([]int, error) {
	n := len(d.Y)
	if err := finite(d.yName(), d.Y); err != nil {
		return nil, err
	}
	for _, v := range d.X {
		if len(v.Values) != n {
			return nil, fmt.Errorf("regressor %s has %d values, outcome has %d", v.Name, len(v.Values), n)
		}
		if err := finite(v.Name, v.Values); err != nil {
			return nil, err
		}
	}
	if d.Weights != nil {
		if len(d.Weights) != n {
			return nil, fmt.Errorf("weights have %d values, outcome has %d", len(d.Weights), n)
		}
		if err := finite("weights", d.Weights); err != nil {
			return nil, err
		}
	}
	if d.Offset != nil {
		if len(d.Offset) != n {
			return nil, fmt.Errorf("offset has %d values, outcome has %d", len(d.Offset), n)
		}
		if err := finite("offset", d.Offset); err != nil {
			return nil, err
		}
	}
	for _, f := range append(append([]Factor{}, d.FE...), d.Cluster...) {
		if err := f.check(n); err != nil {
			return nil, err
		}
	}
	if len(d.Cluster) > 2 {
		return nil, fmt.Errorf("at most two cluster variables, got %d", len(d.Cluster))
	}
	rows := make([]int, 0, n)
	for i := 0; i < n; i++ {
		if d.Weights != nil {
			if d.Weights[i] < 0 {
				return nil, &RowError{Column: "weights", Row: i, Err: fmt.Errorf("negative weight %g", d.Weights[i])}
			}
			if d.Weights[i] == 0 {
				continue
			}
		}
		rows = append(rows, i)
	}
	return rows, nil
}

func (d Design) yName() string {
	if d.YName == "" {
		return "y"
	}
	return d.YName
}

func finite(name string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return &RowError{Column: name, Row: i, Err: fmt.Errorf("value %g is not finite (remove missing values first)", x)}
		}
	}
	return nil
}

// subset returns the design restricted to rows (all slices copied).
func (d Design) subset(rows []int) Design {
	pick := func(v []float64) []float64 {
		if v == nil {
			return nil
		}
		out := make([]float64, len(rows))
		for i, r := range rows {
			out[i] = v[r]
		}
		return out
	}
	s := d
	s.Y = pick(d.Y)
	s.X = make([]Var, len(d.X))
	for j, v := range d.X {
		s.X[j] = Var{Name: v.Name, Values: pick(v.Values)}
	}
	s.Weights = pick(d.Weights)
	s.Offset = pick(d.Offset)
	s.FE = make([]Factor, len(d.FE))
	for j, f := range d.FE {
		s.FE[j] = f.subset(rows)
	}
	s.Cluster = make([]Factor, len(d.Cluster))
	for j, f := range d.Cluster {
		s.Cluster[j] = f.subset(rows)
	}
	return s
}

// regressors returns the names and columns of the model matrix: a column of
// ones first when withConst, then the regressors in order.
func (d Design) regressors(withConst bool) ([]string, [][]float64) {
	var names []string
	var cols [][]float64
	if withConst {
		one := make([]float64, len(d.Y))
		for i := range one {
			one[i] = 1
		}
		names, cols = append(names, InterceptName), append(cols, one)
	}
	for _, v := range d.X {
		names, cols = append(names, v.Name), append(cols, v.Values)
	}
	return names, cols
}
