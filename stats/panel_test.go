package stats

import (
	"strings"
	"testing"
)

type panelData struct {
	c                 map[string][]float64
	unit, year, state Factor
	years             []int
}

func loadPanel(t *testing.T) panelData {
	c := readCSV(t, "synth_panel.csv")
	years := make([]int, len(c["year"]))
	for i, v := range c["year"] {
		years[i] = int(v)
	}
	return panelData{c, factorOf("unit", c["unit"]), factorOf("year", c["year"]), factorOf("state", c["state"]), years}
}

func (p panelData) design(y string, weights string) Design {
	d := Design{YName: y, Y: p.c[y], X: []Var{{"x1", p.c["x1"]}, {"x2", p.c["x2"]}}}
	if weights != "" {
		d.Weights = p.c[weights]
	}
	return d
}

func TestFEAgainstR(t *testing.T) {
	g := loadGolden(t)
	p := loadPanel(t)
	tests := []struct {
		name     string
		path     []string
		fe       []Factor
		clusters []Factor
		se       SEType
		weights  string
	}{
		{"one-way iid", []string{"fe1", "iid"}, []Factor{p.unit}, nil, IID, ""},
		{"one-way HC1", []string{"fe1", "HC1"}, []Factor{p.unit}, nil, HC1, ""},
		{"one-way CR1 by unit, nested", []string{"fe1", "CR1_unit"}, []Factor{p.unit}, []Factor{p.unit}, "", ""},
		{"two-way unbalanced iid", []string{"fe2", "iid"}, []Factor{p.unit, p.year}, nil, IID, ""},
		{"two-way HC1", []string{"fe2", "HC1"}, []Factor{p.unit, p.year}, nil, HC1, ""},
		{"two-way CR1 by state", []string{"fe2", "CR1_state"}, []Factor{p.unit, p.year}, []Factor{p.state}, CR1, ""},
		{"two-way CR1 by unit and year", []string{"fe2", "CR1_unit_year"}, []Factor{p.unit, p.year}, []Factor{p.unit, p.year}, CR1, ""},
		{"two-way weighted iid", []string{"fe2w", "iid"}, []Factor{p.unit, p.year}, nil, IID, "wt"},
		{"two-way weighted CR1 by state", []string{"fe2w", "CR1_state"}, []Factor{p.unit, p.year}, []Factor{p.state}, CR1, "wt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ref coefRef
			g.get(t, &ref, tc.path...)
			d := p.design("y", tc.weights)
			d.FE, d.Cluster = tc.fe, tc.clusters
			r, err := FE(d, Options{SE: tc.se})
			if err != nil {
				t.Fatal(err)
			}
			checkTerms(t, r, ref, 1e-8)
		})
	}
}

func TestFEFitAgainstR(t *testing.T) {
	g := loadGolden(t)
	p := loadPanel(t)
	tests := []struct {
		path    string
		fe      []Factor
		weights string
	}{
		{"fe1", []Factor{p.unit}, ""},
		{"fe2", []Factor{p.unit, p.year}, ""},
		{"fe2w", []Factor{p.unit, p.year}, "wt"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			var ref fitRef
			g.get(t, &ref, tc.path, "fit")
			d := p.design("y", tc.weights)
			d.FE = tc.fe
			r, err := FE(d, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkClose(t, "R2", r.Fit.R2, ref.R2, 1e-8)
			checkClose(t, "adj R2", r.Fit.AdjR2, ref.AdjR2, 1e-8)
			checkClose(t, "within R2", r.Fit.WithinR2, ref.WithinR2, 1e-8)
			checkClose(t, "within F", r.Fit.F, ref.F, 1e-8)
			checkClose(t, "RSS", r.Fit.RSS, ref.RSS, 1e-8)
		})
	}
	var absorbed int
	g.get(t, &absorbed, "fe2", "absorbed")
	d := p.design("y", "")
	d.FE = []Factor{p.unit, p.year}
	r, err := FE(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Fit.AbsorbedDF != absorbed {
		t.Errorf("absorbed df = %d, R's lm has %d dummy parameters", r.Fit.AbsorbedDF, absorbed)
	}
	if !strings.Contains(strings.Join(r.Notes, "\n"), "1 singleton") {
		t.Errorf("the singleton unit is not reported: %q", r.Notes)
	}
}

func TestFEMatchesPlm(t *testing.T) {
	g := loadGolden(t)
	p := loadPanel(t)
	var est, se []float64
	g.get(t, &est, "fe1", "plm_estimate")
	g.get(t, &se, "fe1", "plm_se")
	d := p.design("y", "")
	d.FE = []Factor{p.unit}
	r, err := FE(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for j := range est {
		checkClose(t, "estimate vs plm", r.Terms[j].Estimate, est[j], 1e-8)
		checkClose(t, "se vs plm", r.Terms[j].SE, se[j], 1e-8)
	}
}

func TestDifferencesAgainstR(t *testing.T) {
	g := loadGolden(t)
	p := loadPanel(t)
	var iid, cr1, ld coefRef
	var n, nld int
	g.get(t, &iid, "fd", "iid")
	g.get(t, &cr1, "fd", "CR1_state")
	g.get(t, &n, "fd", "n")
	g.get(t, &ld, "ld", "HC1")
	g.get(t, &nld, "ld", "n")

	r, err := Difference(p.design("y", ""), p.unit, p.years, 1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkTerms(t, r, iid, 1e-8)
	if r.N != n {
		t.Errorf("first differences: n = %d, R has %d", r.N, n)
	}
	d := p.design("y", "")
	d.Cluster = []Factor{p.state}
	if r, err = Difference(d, p.unit, p.years, 1, Options{}); err != nil {
		t.Fatal(err)
	}
	checkTerms(t, r, cr1, 1e-8)

	var rows []int
	for i, y := range p.years {
		if y == 2010 || y == 2017 {
			rows = append(rows, i)
		}
	}
	sub := p.design("y", "").subset(rows)
	years := make([]int, len(rows))
	for i, r := range rows {
		years[i] = p.years[r]
	}
	if r, err = Difference(sub, p.unit.subset(rows), years, 7, Options{SE: HC1}); err != nil {
		t.Fatal(err)
	}
	checkTerms(t, r, ld, 1e-8)
	if r.N != nld {
		t.Errorf("long difference: n = %d, R has %d", r.N, nld)
	}
}

func TestDifferenceRejectsDuplicateUnitTime(t *testing.T) {
	d := Design{Y: []float64{1, 2, 3}, X: []Var{{"x", []float64{1, 2, 4}}}}
	_, err := Difference(d, NewFactor("u", []int{1, 1, 1}), []int{2000, 2001, 2001}, 1, Options{})
	if err == nil || !strings.Contains(err.Error(), "both unit") {
		t.Fatalf("err = %v, want a duplicate unit-time error", err)
	}
}

func TestPoissonAgainstR(t *testing.T) {
	g := loadGolden(t)
	p := loadPanel(t)
	const tol = 1e-6 // iterative estimator
	tests := []struct {
		name     string
		path     []string
		fe       []Factor
		clusters []Factor
		se       SEType
	}{
		{"FE model-based", []string{"poisson_fe", "iid"}, []Factor{p.unit, p.year}, nil, IID},
		{"FE HC1", []string{"poisson_fe", "HC1"}, []Factor{p.unit, p.year}, nil, HC1},
		{"FE CR1 by state", []string{"poisson_fe", "CR1_state"}, []Factor{p.unit, p.year}, []Factor{p.state}, ""},
		{"no FE model-based", []string{"poisson", "iid"}, nil, nil, IID},
		{"no FE CR1 by state", []string{"poisson", "CR1_state"}, nil, []Factor{p.state}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ref coefRef
			g.get(t, &ref, tc.path...)
			var n int
			var dev float64
			g.get(t, &n, tc.path[0], "n")
			g.get(t, &dev, tc.path[0], "deviance")
			d := p.design("count", "")
			d.Offset = p.c["logpop"]
			d.FE, d.Cluster = tc.fe, tc.clusters
			r, err := Poisson(d, Options{SE: tc.se})
			if err != nil {
				t.Fatal(err)
			}
			checkTerms(t, r, ref, tol)
			checkClose(t, "deviance", r.Fit.Deviance, dev, tol)
			if r.N != n {
				t.Errorf("n = %d, R has %d", r.N, n)
			}
		})
	}
}

func TestPoissonRejectsNegativeCounts(t *testing.T) {
	d := Design{Y: []float64{1, -2, 3, 4}, X: []Var{{"x", []float64{1, 2, 4, 3}}}}
	if _, err := Poisson(d, Options{}); err == nil || !strings.Contains(err.Error(), "row 1") {
		t.Fatalf("err = %v, want an error naming row 1", err)
	}
}
