package stats

import "testing"

// hacSeries is the invented annual series of testdata/hac.R.
var hacSeries = []float64{506.5, 504.5, 494.4, 475.8, 463.2, 469.0, 479.3, 471.8, 458.6, 431.9,
	404.5, 387.1, 387.8, 369.1, 361.6, 373.7, 386.3, 383.0}

// TestNeweyWest checks HAC standard errors of a linear trend against R
// 4.2.2 sandwich 3.0.2 (testdata/hac.R): NeweyWest(fit, lag, prewhite =
// FALSE, adjust = FALSE).
func TestNeweyWest(t *testing.T) {
	year := make([]float64, len(hacSeries))
	for i := range year {
		year[i] = float64(2000 + i)
	}
	d := Design{YName: "y", Y: hacSeries, X: []Var{{Name: "year", Values: year}}}
	for _, tc := range []struct {
		lag             int
		seConst, seYear float64
	}{
		{0, 1427.1965684562, 0.711643878799417},
		{2, 1820.84534527687, 0.908124842381625},
		{5, 1606.98310926346, 0.801531594015206},
	} {
		r, err := OLS(d, Options{SE: HAC, Lag: tc.lag})
		if err != nil {
			t.Fatal(err)
		}
		c, _ := r.Term(InterceptName)
		y, _ := r.Term("year")
		if !close(c.SE, tc.seConst, 1e-8) || !close(y.SE, tc.seYear, 1e-8) || !close(y.Estimate, -9.08431372549043, 1e-10) {
			t.Errorf("lag %d: se %v %v slope %v", tc.lag, c.SE, y.SE, y.Estimate)
		}
		if r.SEType != "HAC (Newey-West)" {
			t.Errorf("SE type %q", r.SEType)
		}
	}
	if _, err := OLS(d, Options{SE: HAC, Lag: len(hacSeries)}); err == nil {
		t.Error("a lag as long as the series: no error")
	}
}

func TestLag1Autocorrelation(t *testing.T) {
	year := make([]float64, len(hacSeries))
	for i := range year {
		year[i] = float64(2000 + i)
	}
	r, err := OLS(Design{Y: hacSeries, X: []Var{{Name: "year", Values: year}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := r.Term(InterceptName)
	y, _ := r.Term("year")
	resid := make([]float64, len(hacSeries))
	for i := range resid {
		resid[i] = hacSeries[i] - c.Estimate - y.Estimate*year[i]
	}
	if rho, err := Lag1Autocorrelation(resid); err != nil || !close(rho, 0.663620695388804, 1e-10) {
		t.Errorf("acf1 = %v, %v; R gives 0.663620695388804", rho, err)
	}
	if _, err := Lag1Autocorrelation([]float64{1, 1, 1}); err == nil {
		t.Error("constant series: no error")
	}
}

func TestNeweyWestLag(t *testing.T) {
	for n, want := range map[int]int{18: 2, 100: 4, 9: 2, 1000: 6} {
		if got := NeweyWestLag(n); got != want {
			t.Errorf("NeweyWestLag(%d) = %d, want %d", n, got, want)
		}
	}
}

// TestPredict checks the confidence band of a fitted line against R 4.2.2
// (testdata/hac.R): predict(lm, interval = "confidence").
func TestPredict(t *testing.T) {
	year := make([]float64, len(hacSeries))
	for i := range year {
		year[i] = float64(2000 + i)
	}
	for _, tc := range []struct {
		level, year, fit, lo, hi float64
	}{
		{0.95, 2000, 511.000000000004, 494.085852596481, 527.914147403526},
		{0.95, 2008.5, 433.783333333336, 424.971264283794, 442.595402382879},
		{0.95, 2020, 329.313725490196, 307.885149376672, 350.742301603719},
		{0.90, 2000, 511.000000000004, 497.070069327729, 524.929930672278},
		{0.90, 2020, 329.313725490196, 311.665861099184, 346.961589881208},
	} {
		r, err := OLS(Design{Y: hacSeries, X: []Var{{Name: "year", Values: year}}}, Options{Level: tc.level})
		if err != nil {
			t.Fatal(err)
		}
		fit, lo, hi, err := r.Predict([]float64{1, tc.year})
		if err != nil {
			t.Fatal(err)
		}
		if !close(fit, tc.fit, 1e-9) || !close(lo, tc.lo, 1e-9) || !close(hi, tc.hi, 1e-9) {
			t.Errorf("level %v year %v: %v [%v, %v], R %v [%v, %v]", tc.level, tc.year, fit, lo, hi, tc.fit, tc.lo, tc.hi)
		}
	}
	if _, _, _, err := (Result{Terms: []Term{{}}}).Predict([]float64{1, 2}); err == nil {
		t.Error("two values for one term: no error")
	}
}
