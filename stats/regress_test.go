package stats

import (
	"errors"
	"strings"
	"testing"
)

func olsDesign(c map[string][]float64, weighted bool, xs ...string) Design {
	d := Design{YName: "y", Y: c["y"]}
	for _, x := range xs {
		d.X = append(d.X, Var{Name: x, Values: c[x]})
	}
	if weighted {
		d.Weights = c["w"]
	}
	return d
}

func TestOLSAgainstR(t *testing.T) {
	g := loadGolden(t)
	c := readCSV(t, "synth_ols.csv")
	cl := factorOf("g", c["g"])
	h := factorOf("h", c["h"])
	tests := []struct {
		name     string
		path     []string
		weighted bool
		noInt    bool
		xs       []string
		se       SEType
		clusters []Factor
	}{
		{"iid", []string{"ols", "iid"}, false, false, []string{"x1", "x2", "x3"}, IID, nil},
		{"HC0", []string{"ols", "HC0"}, false, false, []string{"x1", "x2", "x3"}, HC0, nil},
		{"HC1", []string{"ols", "HC1"}, false, false, []string{"x1", "x2", "x3"}, HC1, nil},
		{"HC2", []string{"ols", "HC2"}, false, false, []string{"x1", "x2", "x3"}, HC2, nil},
		{"HC3", []string{"ols", "HC3"}, false, false, []string{"x1", "x2", "x3"}, HC3, nil},
		{"CR1 with singleton clusters", []string{"ols", "CR1"}, false, false, []string{"x1", "x2", "x3"}, "", []Factor{cl}},
		{"CR1 two-way", []string{"ols", "CR1_twoway"}, false, false, []string{"x1", "x2", "x3"}, CR1, []Factor{cl, h}},
		{"WLS zero weights iid", []string{"wls", "iid"}, true, false, []string{"x1", "x2", "x3"}, IID, nil},
		{"WLS HC1", []string{"wls", "HC1"}, true, false, []string{"x1", "x2", "x3"}, HC1, nil},
		{"WLS HC3", []string{"wls", "HC3"}, true, false, []string{"x1", "x2", "x3"}, HC3, nil},
		{"WLS CR1", []string{"wls", "CR1"}, true, false, []string{"x1", "x2", "x3"}, CR1, []Factor{cl}},
		{"no intercept", []string{"ols_noint", "iid"}, false, true, []string{"x1", "x2"}, IID, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ref coefRef
			g.get(t, &ref, tc.path...)
			d := olsDesign(c, tc.weighted, tc.xs...)
			d.NoIntercept = tc.noInt
			d.Cluster = tc.clusters
			r, err := OLS(d, Options{SE: tc.se})
			if err != nil {
				t.Fatal(err)
			}
			checkTerms(t, r, ref, 1e-8)
			fixed := strings.Contains(strings.Join(r.Notes, " "), "negative eigenvalues set to zero")
			if want := tc.name == "CR1 two-way"; fixed != want {
				t.Errorf("eigenvalue fix applied = %v, want %v (R's matrix has a negative eigenvalue only in the two-way case)", fixed, want)
			}
		})
	}
}

func TestOLSFitAgainstR(t *testing.T) {
	g := loadGolden(t)
	c := readCSV(t, "synth_ols.csv")
	tests := []struct {
		name     string
		path     string
		weighted bool
		noInt    bool
		xs       []string
		n        int
	}{
		{"ols", "ols", false, false, []string{"x1", "x2", "x3"}, 60},
		{"wls", "wls", true, false, []string{"x1", "x2", "x3"}, 57},
		{"no intercept", "ols_noint", false, true, []string{"x1", "x2"}, 60},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ref fitRef
			g.get(t, &ref, tc.path, "fit")
			d := olsDesign(c, tc.weighted, tc.xs...)
			d.NoIntercept = tc.noInt
			r, err := OLS(d, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if r.N != tc.n {
				t.Errorf("n = %d, want %d", r.N, tc.n)
			}
			checkClose(t, "R2", r.Fit.R2, ref.R2, 1e-8)
			checkClose(t, "adj R2", r.Fit.AdjR2, ref.AdjR2, 1e-8)
			checkClose(t, "F", r.Fit.F, ref.F, 1e-8)
			checkClose(t, "RSS", r.Fit.RSS, ref.RSS, 1e-8)
		})
	}
	var wald float64
	g.get(t, &wald, "ols", "CR1_wald_f")
	d := olsDesign(c, false, "x1", "x2", "x3")
	d.Cluster = []Factor{factorOf("g", c["g"])}
	r, err := OLS(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "clustered Wald F", r.Fit.F, wald, 1e-8)
}

func TestCollinearityIsAnError(t *testing.T) {
	g := loadGolden(t)
	c := readCSV(t, "synth_ols.csv")
	var aliased struct {
		Collinear string `json:"collinear"`
		Constant  string `json:"constant"`
	}
	g.get(t, &aliased, "aliased")
	p := readCSV(t, "synth_panel.csv")
	tests := []struct {
		name string
		fit  func() (Result, error)
		term string
	}{
		{"linear combination", func() (Result, error) { return OLS(olsDesign(c, false, "x1", "x2", "xcol"), Options{}) }, aliased.Collinear},
		{"constant column", func() (Result, error) { return OLS(olsDesign(c, false, "x1", "const"), Options{}) }, aliased.Constant},
		{"time-invariant regressor with unit FE", func() (Result, error) {
			return FE(Design{Y: p["y"], X: []Var{{"x1", p["x1"]}, {"logpop0", p["state"]}}, FE: []Factor{factorOf("unit", p["unit"])}}, Options{})
		}, "logpop0"},
		{"Poisson", func() (Result, error) {
			return Poisson(Design{Y: p["count"], X: []Var{{"x1", p["x1"]}, {"st", p["state"]}}, FE: []Factor{factorOf("unit", p["unit"])}}, Options{})
		}, "st"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.fit()
			var ce *CollinearError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a CollinearError", err)
			}
			if ce.Term != tc.term {
				t.Errorf("collinear term = %q, R aliases %q", ce.Term, tc.term)
			}
		})
	}
}

func TestTooFewObservations(t *testing.T) {
	tests := []struct {
		name string
		fit  func() (Result, error)
	}{
		{"OLS n = k", func() (Result, error) {
			return OLS(Design{Y: []float64{1, 2}, X: []Var{{"x", []float64{1, 3}}}}, Options{})
		}},
		{"FE no residual df", func() (Result, error) {
			return FE(Design{Y: []float64{1, 2, 3}, X: []Var{{"x", []float64{1, 3, 2}}}, FE: []Factor{NewFactor("u", []int{1, 1, 2})}}, Options{})
		}},
		{"Pearson n = 3", func() (Result, error) { return Pearson([]float64{1, 2, 3}, []float64{1, 3, 2}, CorrOptions{}) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.fit(); !errors.Is(err, ErrTooFew) {
				t.Fatalf("err = %v, want ErrTooFew", err)
			}
		})
	}
}

func TestInfluenceAgainstR(t *testing.T) {
	g := loadGolden(t)
	c := readCSV(t, "synth_ols.csv")
	var ref struct {
		DFBeta [][]float64 `json:"dfbeta"`
		Cook   []float64   `json:"cook"`
		Hat    []float64   `json:"hat"`
	}
	g.get(t, &ref, "influence")
	inf, err := Influence(olsDesign(c, false, "x1", "x2", "x3"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range ref.Cook {
		checkClose(t, "cook", inf.Cook[i], ref.Cook[i], 1e-8)
		checkClose(t, "hat", inf.Leverage[i], ref.Hat[i], 1e-8)
		for j := range ref.DFBeta[i] {
			checkClose(t, "dfbeta", inf.DFBeta[i][j], ref.DFBeta[i][j], 1e-8)
		}
	}
	var refw struct {
		DFBeta [][]float64 `json:"dfbeta"`
		Cook   []float64   `json:"cook"`
		Rows   []int       `json:"rows"`
	}
	g.get(t, &refw, "influence_w")
	infw, err := Influence(olsDesign(c, true, "x1", "x2", "x3"))
	if err != nil {
		t.Fatal(err)
	}
	for r, i := range refw.Rows {
		checkClose(t, "weighted cook", infw.Cook[i], refw.Cook[r], 1e-8)
		for j := range refw.DFBeta[r] {
			checkClose(t, "weighted dfbeta", infw.DFBeta[i][j], refw.DFBeta[r][j], 1e-8)
		}
	}
}
