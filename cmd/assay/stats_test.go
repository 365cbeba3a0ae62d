package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testdata(name string) string { return filepath.Join("..", "..", "stats", "testdata", name) }

func writeCSV(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestStatsCommand(t *testing.T) {
	gappy := writeCSV(t, "y,x,g\n1,2,a\n2,NA,a\n3,5,b\n2,3,b\n5,8,c\n4,,c\n6,9,d\n")
	bad := writeCSV(t, "y,x\n1,2\n2,3\n3,four\n4,5\n")
	collinear := writeCSV(t, "y,x,z\n1,1,2\n2,2,4\n3,4,8\n5,3,6\n4,6,12\n")
	few := writeCSV(t, "y,x\n1,2\n2,1\n")
	// Line 3 is dropped (missing x), so the bad values on lines 5 and 6 are
	// data rows 2 and 3 once deletion is done: a message must give lines.
	negative := writeCSV(t, "y,x,w,g\n1,2,1,a\n2,NA,1,a\n3,5,2,b\n2,3,-1,b\n-4,8,1,c\n4,6,1,c\n6,9,1,d\n")
	corr := testdata("synth_corr.csv")
	tests := []struct {
		name    string
		args    []string
		code    int
		stdout  []string
		stderr  []string
		jsonOut bool
	}{
		{"clustered OLS summary", []string{"stats", "ols", "--csv", testdata("synth_ols.csv"), "--y", "y", "--x", "x1,x2,x3", "--cluster", "g"}, 0,
			[]string{"Observations: 60", "Clusters: g (14)", "CR1 clustered by g", "t(13)", "95% low", "x3"}, nil, false},
		{"two-way FE", []string{"stats", "fe", "--csv", testdata("synth_panel.csv"), "--y", "y", "--x", "x1,x2", "--fe", "unit,year", "--cluster", "state", "--json"}, 0,
			[]string{`"n": 210`, `"clusters": 8`, `"term": "x1"`, `"ci_low"`}, nil, true},
		{"Poisson FE with offset", []string{"stats", "poisson", "--csv", testdata("synth_panel.csv"), "--y", "count", "--x", "x1,x2", "--fe", "unit,year", "--offset", "logpop", "--cluster", "state"}, 0,
			[]string{"Poisson PML with fixed effects", "dropped: their fixed-effect level has only zero outcomes"}, nil, false},
		{"Kendall with exact permutation", []string{"stats", "corr", "--csv", testdata("synth_small.csv"), "--y", "y", "--x", "x", "--method", "kendall", "--perm", "1"}, 0,
			[]string{"Kendall", "exact, all 40320 orderings"}, nil, false},
		{"missing values reported", []string{"stats", "ols", "--csv", gappy, "--y", "y", "--x", "x"}, 0,
			[]string{"Observations: 5", "2 rows with a missing value dropped", "file lines 3, 7"}, nil, false},
		{"wild bootstrap", []string{"stats", "ols", "--csv", gappy, "--y", "y", "--x", "x", "--cluster", "g", "--wild", "99"}, 0,
			[]string{"Wild cluster bootstrap", "all 16 Rademacher sign patterns"}, nil, false},
		{"missing column is a usage error", []string{"stats", "ols", "--csv", gappy, "--y", "y", "--x", "nope"}, 2,
			nil, []string{`no such column "nope"`, "columns: y, x, g"}, false},
		{"non-numeric cell names its line", []string{"stats", "corr", "--csv", bad, "--y", "y", "--x", "x"}, 1,
			nil, []string{"line 4", `column "x"`, `"four"`}, false},
		{"collinearity", []string{"stats", "ols", "--csv", collinear, "--y", "y", "--x", "x,z"}, 1,
			nil, []string{`"z" is perfectly collinear`}, false},
		{"too few observations", []string{"stats", "ols", "--csv", few, "--y", "y", "--x", "x"}, 1,
			nil, []string{"too few observations"}, false},
		{"missing --y", []string{"stats", "corr", "--csv", few, "--x", "x"}, 2, nil, []string{"needs --csv, --y and --x"}, false},
		{"unknown method", []string{"stats", "corr", "--csv", few, "--y", "y", "--x", "x", "--method", "tau"}, 2, nil, []string{"--method"}, false},
		{"unknown flag", []string{"stats", "ols", "--csv", few, "--y", "y", "--x", "x", "--perm", "9"}, 2, nil, []string{"unknown flag"}, false},
		{"fe without --fe", []string{"stats", "fe", "--csv", few, "--y", "y", "--x", "x"}, 2, nil, []string{"needs --fe"}, false},
		{"poisson refuses --wild", []string{"stats", "poisson", "--csv", gappy, "--y", "y", "--x", "x", "--cluster", "g", "--wild", "99"}, 2,
			nil, []string{"--wild", "poisson", "ols, fe"}, false},
		{"negative --wild", []string{"stats", "ols", "--csv", gappy, "--y", "y", "--x", "x", "--cluster", "g", "--wild", "-5"}, 2,
			nil, []string{"wild bootstrap draws", "minimum 19"}, false},
		{"--wild 1", []string{"stats", "ols", "--csv", gappy, "--y", "y", "--x", "x", "--cluster", "g", "--wild", "1"}, 2,
			nil, []string{"1 wild bootstrap draws", "minimum 19"}, false},
		{"--wild over the maximum", []string{"stats", "fe", "--csv", gappy, "--y", "y", "--x", "x", "--fe", "g", "--cluster", "g", "--wild", "100001"}, 2,
			nil, []string{"maximum 100000"}, false},
		{"negative --boot", []string{"stats", "corr", "--csv", corr, "--y", "y", "--x", "x", "--boot", "-1"}, 2,
			nil, []string{"bootstrap resamples", "minimum 40"}, false},
		{"--boot 3", []string{"stats", "corr", "--csv", corr, "--y", "y", "--x", "x", "--boot", "3"}, 2,
			nil, []string{"3 bootstrap resamples", "minimum 40", "95%"}, false},
		{"--boot minimum at 90%", []string{"stats", "corr", "--csv", corr, "--y", "y", "--x", "x", "--boot", "19", "--level", "0.9"}, 2,
			nil, []string{"minimum 20", "90%"}, false},
		{"--boot over the maximum", []string{"stats", "corr", "--csv", corr, "--y", "y", "--x", "x", "--boot", "100001"}, 2,
			nil, []string{"maximum 100000"}, false},
		{"--perm over the maximum", []string{"stats", "corr", "--csv", corr, "--y", "y", "--x", "x", "--perm", "1000000000"}, 2,
			nil, []string{"1000000000 permutations", "maximum 1000000"}, false},
		{"negative --perm", []string{"stats", "corr", "--csv", corr, "--y", "y", "--x", "x", "--perm", "-3"}, 2,
			nil, []string{"permutations", "minimum 1"}, false},
		{"--boot at the minimum runs", []string{"stats", "corr", "--csv", corr, "--y", "y", "--x", "x", "--boot", "40"}, 0,
			[]string{"40 of 40 reps usable"}, nil, false},
		{"negative weight names its file line", []string{"stats", "corr", "--csv", negative, "--y", "y", "--x", "x", "--weights", "w"}, 1,
			nil, []string{"line 5", `column "w"`, "negative weight -1"}, false},
		{"negative weight in a regression names its file line", []string{"stats", "ols", "--csv", negative, "--y", "y", "--x", "x", "--weights", "w"}, 1,
			nil, []string{"line 5", `column "w"`, "negative weight -1"}, false},
		{"negative Poisson outcome names its file line", []string{"stats", "poisson", "--csv", negative, "--y", "y", "--x", "x"}, 1,
			nil, []string{"line 6", `column "y"`, "non-negative outcome"}, false},
		{"absent file", []string{"stats", "ols", "--csv", filepath.Join(t.TempDir(), "none.csv"), "--y", "y", "--x", "x"}, 1, nil, []string{"none.csv"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCapture(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
			if tc.jsonOut && !json.Valid([]byte(out)) {
				t.Errorf("output is not JSON:\n%s", out)
			}
		})
	}
}

// The CLI's correlation is R's cor.test value from the golden file.
func TestStatsCorrMatchesR(t *testing.T) {
	code, out, errOut := runCapture(t, "stats", "corr", "--csv", testdata("synth_corr.csv"), "--y", "y", "--x", "x", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Terms []struct {
			Estimate, P   float64
			CILow, CIHigh float64 `json:"-"`
			Term          string
		}
		N int
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(testdata("golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Ref struct{ Estimate, P float64 } `json:"pearson_x_y"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(got.Terms) != 1 || got.N != 27 || got.Terms[0].Term != "cor(y, x)" {
		t.Fatalf("unexpected result %+v", got)
	}
	for _, c := range []struct{ got, want float64 }{{got.Terms[0].Estimate, g.Ref.Estimate}, {got.Terms[0].P, g.Ref.P}} {
		if d := c.got - c.want; d > 1e-8*c.want || d < -1e-8*c.want {
			t.Errorf("CLI gives %.15g, R %.15g", c.got, c.want)
		}
	}
}
