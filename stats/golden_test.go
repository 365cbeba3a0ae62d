package stats

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// golden holds the values testdata/reference.R computed with R; see the
// comment at the top of that script for how to regenerate it.
type golden map[string]json.RawMessage

// coefRef is one coefficient table from R.
type coefRef struct {
	Term     []string  `json:"term"`
	Estimate []float64 `json:"estimate"`
	SE       []float64 `json:"se"`
	Stat     []float64 `json:"stat"`
	P        []float64 `json:"p"`
	CILow    []float64 `json:"ci_low"`
	CIHigh   []float64 `json:"ci_high"`
	DF       float64   `json:"df"`
}

// fitRef holds R's goodness-of-fit statistics for one model.
type fitRef struct {
	R2       float64 `json:"r2"`
	AdjR2    float64 `json:"adj_r2"`
	WithinR2 float64 `json:"within_r2"`
	F        float64 `json:"f"`
	RSS      float64 `json:"rss"`
}

func loadGolden(t *testing.T) golden {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// get decodes the value at a path of keys, e.g. get(t, "ols", "HC1", &ref).
func (g golden) get(t *testing.T, dst any, path ...string) {
	t.Helper()
	raw := g[path[0]]
	for _, k := range path[1:] {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("golden %v: %v", path, err)
		}
		raw = m[k]
	}
	if raw == nil {
		t.Fatalf("golden %v: missing", path)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		t.Fatalf("golden %v: %v", path, err)
	}
}

// readRecords reads a whole CSV test file.
func readRecords(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// readCSV reads a synthetic all-numeric test file into columns.
func readCSV(t *testing.T, name string) map[string][]float64 {
	t.Helper()
	recs := readRecords(t, filepath.Join("testdata", name))
	cols := map[string][]float64{}
	for _, rec := range recs[1:] {
		for j, cell := range rec {
			v, err := strconv.ParseFloat(cell, 64)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			cols[recs[0][j]] = append(cols[recs[0][j]], v)
		}
	}
	return cols
}

func factorOf(name string, v []float64) Factor { return NewFactor(name, v) }

func close(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= tol*math.Abs(want)+1e-14
}

func checkClose(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !close(got, want, tol) {
		t.Errorf("%s = %.15g, R says %.15g (rel. diff %.2g, tol %g)", what, got, want, math.Abs(got-want)/math.Abs(want), tol)
	}
}

// checkTerms compares every term of r present in ref (by name).
func checkTerms(t *testing.T, r Result, ref coefRef, tol float64) {
	t.Helper()
	if len(ref.Term) == 0 {
		t.Fatal("empty reference")
	}
	if r.DF != ref.DF {
		t.Errorf("df = %g, reference %g", r.DF, ref.DF)
	}
	for i, name := range ref.Term {
		got, ok := r.Term(name)
		if !ok {
			t.Errorf("term %q missing from result", name)
			continue
		}
		checkClose(t, name+" estimate", got.Estimate, ref.Estimate[i], tol)
		checkClose(t, name+" se", got.SE, ref.SE[i], tol)
		checkClose(t, name+" stat", got.Stat, ref.Stat[i], tol)
		checkClose(t, name+" p", got.P, ref.P[i], tol)
		checkClose(t, name+" ci_low", got.CILow, ref.CILow[i], tol)
		checkClose(t, name+" ci_high", got.CIHigh, ref.CIHigh[i], tol)
	}
}
