package study

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/assaylab/assay"
)

func TestBuiltins(t *testing.T) {
	names := Builtins()
	for _, want := range []string{"foreignborn_all_metros", "ntca_all_metros", "panel_2006_2018"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found {
			t.Errorf("no built-in study %s in %v", want, names)
		}
	}
	for _, n := range names {
		s, err := Builtin(n)
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if s.Name != n {
			t.Errorf("built-in %s names itself %q", n, s.Name)
		}
	}
	if _, err := Builtin("nope"); err == nil || !strings.Contains(err.Error(), "foreignborn_all_metros") {
		t.Errorf("unknown built-in: %v, want an error listing the built-ins", err)
	}
}

const minimal = `
name = "mini"
title = "Minimal"
[years]
base = 2012
end = 2017
`

func TestDefaults(t *testing.T) {
	s, err := Parse(strings.NewReader(minimal), "mini.toml")
	if err != nil {
		t.Fatal(err)
	}
	want := Spec{Name: "mini", Title: "Minimal", Years: Years{2012, 2017},
		Immigrant:  Immigrant{Source: Bundled, Group: ForeignBorn, Measure: PPChange},
		Outcome:    Outcome{Offense: assay.Violent, Change: RateChange},
		Selection:  Selection{Rule: All},
		Coverage:   Coverage{Match: AnyMatch},
		Estimation: Estimation{Estimators: []Estimator{Pearson}, Weights: Unweighted, Level: 0.95, Seed: 1, PowerN: PaperN},
	}
	if !reflect.DeepEqual(*s, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", *s, want)
	}
	top, err := Parse(strings.NewReader(minimal+"[selection]\nrule = \"top_share\"\nn = 10\n"), "top.toml")
	if err != nil {
		t.Fatal(err)
	}
	if top.Selection.Pool != CensusPool || top.Selection.RankYear != BaseYear {
		t.Errorf("top_share defaults: %+v", top.Selection)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, toml string
		want       []string // substrings of the error
	}{
		{"unknown key with its line", minimal + "[selection]\nruel = \"all\"\n", []string{"mini.toml", "line 8", "unknown key selection.ruel"}},
		{"unknown top-level key", "name = \"x\"\ncolour = 1\n", []string{"line 2", "unknown key colour"}},
		{"syntax", "name = \"x\ntitle = 2\n", []string{"line 1"}},
		{"no name", "title = \"t\"\n[years]\nbase = 2012\nend = 2017\n", []string{"name is required"}},
		{"bad name", strings.Replace(minimal, `"mini"`, `"Mini Study"`, 1), []string{"lower-case"}},
		{"years reversed", strings.Replace(minimal, "base = 2012", "base = 2018", 1), []string{"years 2018-2017", "before end"}},
		{"years missing", "name = \"x\"\ntitle = \"t\"\n", []string{"base and end are required"}},
		{"ntca on bundled", minimal + "[immigrant]\ngroup = \"ntca\"\n", []string{"all-foreign-born", "B05006"}},
		{"malformed group", minimal + "[immigrant]\nsource = \"acs1\"\ngroup = \"Mar tians\"\n", []string{`immigrant.group "Mar tians"`, "lower-case"}},
		{"bad measure", minimal + "[immigrant]\nmeasure = \"ratio\"\n", []string{"line 8", "immigrant.measure", `"ratio": want one of share, log_share, pp_change, pct_change`}},
		{"offence a study does not take", minimal + "[outcome]\noffense = \"rape\"\n", []string{`outcome.offense "rape"`, "violent, murder"}},
		{"unknown offence", minimal + "[outcome]\noffense = \"arson\"\n", []string{"line 8", "outcome.offense", `unknown offence "arson"`}},
		{"bad change", minimal + "[outcome]\nchange = \"diff\"\n", []string{"line 8", "outcome.change", `"diff": want one of rate_change, pct_change, log_ratio`}},
		{"wrong type", strings.Replace(minimal, "base = 2012", `base = "2012"`, 1), []string{"line 5", "years.base: want a whole number, got a TOML string"}},
		{"wrong type in a list", minimal + "[estimation]\nestimators = \"pearson\"\n", []string{"line 8", "estimation.estimators: want a list"}},
		{"top without n", minimal + "[selection]\nrule = \"top_count\"\n", []string{"selection.n 0", "at least 5"}},
		{"all with n", minimal + "[selection]\nrule = \"all\"\nn = 27\n", []string{"rule all takes no n"}},
		{"bad pool", minimal + "[selection]\nrule = \"top_count\"\nn = 27\npool = \"fbi_both\"\n", []string{"line 10", "selection.pool", `"fbi_both": want one of census, fbi`}},
		{"coverage above one", minimal + "[coverage]\nmin = 90\n", []string{"coverage.min 90"}},
		{"bad match", minimal + "[coverage]\nmatch = \"fuzzy\"\n", []string{"coverage.match", `"fuzzy": want one of any, exact`}},
		{"bad estimator", minimal + "[estimation]\nestimators = [\"pearson\", \"tobit\"]\n", []string{"line 8", "estimation.estimators", `"tobit": want one of pearson`}},
		{"bad level", minimal + "[estimation]\nlevel = 95\n", []string{"estimation.level 95"}},
		{"negative permutations", minimal + "[estimation]\npermutations = -1\n", []string{"line 8", "estimation.permutations -1: want 0 (none) to 1000000"}},
		{"a billion permutations", minimal + "[estimation]\npermutations = 1000000000\n", []string{"estimation.permutations 1000000000: want 0 (none) to 1000000"}},
		{"too few resamples", minimal + "[estimation]\nbootstrap = 3\n", []string{"estimation.bootstrap 3: want 0 (none) or"}},
		{"a billion grid permutations", minimal + "[grid]\nmeasure = [\"share\"]\npermutations = 1000000000\n", []string{"grid.permutations 1000000000"}},
		{"panel without years", minimal + "[panel]\noffense = \"murder\"\n", []string{"panel: from and to are required"}},
		{"panel bad interpolation", minimal + "[panel]\nfrom = 2006\nto = 2018\ninterpolation = \"spline\"\n", []string{"panel.interpolation", `"spline": want one of observed, linear`}},
		{"panel bad estimator", minimal + "[panel]\nfrom = 2006\nto = 2018\nestimators = [\"gmm\"]\n", []string{"panel.estimators", `"gmm": want one of fe, fd, poisson`}},
		{"panel change as measure", minimal + "[panel]\nfrom = 2006\nto = 2018\nmeasure = \"pp_change\"\n", []string{`panel.measure "pp_change": want one of share, log_share`}},
		{"grid bad value", minimal + "[grid]\nmeasure = [\"share\", \"odds\"]\n", []string{"grid.measure", `"odds": want one of`}},
		{"grid bad selection", minimal + "[grid]\nselection = [{ rule = \"top_count\", n = 2 }]\n", []string{"grid.selection[0].n 2"}},
		{"grid bad source-group pair", minimal + "[grid]\ngroup = [\"foreign_born\", \"ntca\"]\n", []string{"line 8", "grid.group \"ntca\" with source bundled"}},
		{"grid bad years", minimal + "[grid]\nyears = [{ base = 2017, end = 2012 }]\n", []string{"grid.years[0]"}},
		{"exclude not a code", strings.Replace(minimal, "[years]", "exclude = [\"1080\"]\n[years]", 1), []string{"line 4", `exclude[0] "1080": a CBSA code is five digits`}},
		{"exclude twice", strings.Replace(minimal, "[years]", "exclude = [\"10180\", \"10180\"]\n[years]", 1), []string{`exclude[1] "10180" is listed twice`}},
		{"files are not a study's to read", minimal + "[immigrant]\nsource = \"acs1\"\ngroups_file = \"g.toml\"\n", []string{"unknown key immigrant.groups_file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.toml), "mini.toml")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "s.toml")
	if err := os.WriteFile(p, []byte(minimal), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "mini" {
		t.Errorf("loaded %+v", s)
	}
	if _, err := Load(filepath.Join(dir, "missing.toml")); err == nil {
		t.Error("a missing file loaded")
	}
}

// FuzzParse checks that no input makes the study parser panic, and that
// what it accepts validates again. The seeds are small on purpose: the
// fuzzer minimizes every input that finds new coverage, and on the
// commented built-in files that takes most of a short run.
func FuzzParse(f *testing.F) {
	for _, extra := range []string{
		"",
		"[selection]\nrule = \"top_count\"\nn = 27\npool = \"fbi\"\n",
		"[immigrant]\nsource = \"acs1\"\ngroup = \"ntca\"\nmeasure = \"log_share\"\n",
		"[grid]\nmeasure = [\"share\"]\nselection = [{ rule = \"top_share\", n = 5 }]\ncoverage = [{ min = 0.9 }]\n",
		"[panel]\nfrom = 2006\nto = 2018\ninterpolation = \"linear\"\n",
	} {
		f.Add([]byte(minimal + extra))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(strings.NewReader(string(b)), "fuzz.toml")
		if err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			t.Errorf("accepted a spec that does not validate: %v", err)
		}
	})
}
