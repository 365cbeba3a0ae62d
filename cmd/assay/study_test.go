package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assaylab/assay/census/synthetic"
	"github.com/assaylab/assay/internal/datadir"
	"github.com/assaylab/assay/papers"
	"github.com/assaylab/assay/papers/blanchard2019"
	"github.com/assaylab/assay/study"
)

func TestStudyCommand(t *testing.T) {
	code, out, errOut := runCapture(t, "study", "--list")
	if code != 0 || !strings.Contains(out, "builtin:foreignborn_all_metros\t") || strings.Count(out, "\n") != len(papers.Studies()) {
		t.Errorf("--list: exit %d, %q %q", code, out, errOut)
	}
	code, out, _ = runCapture(t, "study", "--list", "--json")
	var list []struct{ Name, Title string }
	if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || len(list) != len(papers.Studies()) {
		t.Errorf("--list --json: exit %d, %v, %q", code, err, out)
	}
	code, out, _ = runCapture(t, "study", "--show", "builtin:panel_2006_2018")
	if code != 0 || !strings.Contains(out, `interpolation = "linear"`) {
		t.Errorf("--show: exit %d, %q", code, out)
	}
	for _, args := range [][]string{{"study"}, {"study", "builtin:nope"}, {"study", "--show", "nope"}, {"study", "a.toml", "b.toml"}} {
		if code, _, errOut := runCapture(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d (%s), want %d", args, code, errOut, exitUsage)
		}
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("name = \"x\"\ntitle = \"t\"\n[years]\nbase = 2012\nend = 2017\nestimator = \"pearson\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"study", filepath.Join(dir, "missing.toml")}, "missing.toml"},
		{[]string{"study", bad}, "line 6: unknown key years.estimator"},
		{[]string{"study", "builtin:blanchard2019"}, "assay study builtin:blanchard2019 --db assay.duckdb"},
	} {
		code, _, errOut := runCapture(t, tc.args...)
		if code != exitError || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, exitError, tc.want)
		}
	}
	good := filepath.Join(dir, "good.toml")
	if err := os.WriteFile(good, []byte("name = \"g\"\ntitle = \"t\"\n[years]\nbase = 2012\nend = 2017\n[outcome]\noffense = \"murder\"\n[estimation]\npermutations = 99\n[grid]\nmeasure = [\"pp_change\", \"share\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCapture(t, "study", good, "--json", "--seed", "5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res study.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Spec.Estimation.Seed != 5 || len(res.Findings) != 1 || res.Findings[0].N < 300 || res.Multiverse == nil || len(res.Multiverse.Specs) != 2 {
		t.Errorf("JSON result: seed %d, findings %+v", res.Spec.Estimation.Seed, res.Findings)
	}
	code, out, _ = runCapture(t, "study", good)
	if code != 0 || !strings.Contains(out, "not the NTCA-born share") || !strings.Contains(out, "Multiverse:") {
		t.Errorf("text: exit %d\n%s", code, out)
	}
}

func TestReproduceCommand(t *testing.T) {
	code, out, errOut := runCapture(t, "reproduce", "blanchard2019", "--perm", "199")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"NOTE: NTCA-born counts by metro", "WP06", "WP10", "Memphis, TN-MS-AR", "not checkable with the bundled data"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	code, out, _ = runCapture(t, "reproduce", "blanchard2019", "--perm", "199", "--json")
	var rep blanchard2019.Reproduction
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil {
		t.Fatalf("--json: exit %d, %v", code, err)
	}
	if len(rep.Claims) != 6 || len(rep.Rules) != 4 || rep.HasNTCA {
		t.Errorf("JSON: %d claims, %d rules, has NTCA %v", len(rep.Claims), len(rep.Rules), rep.HasNTCA)
	}
	for _, args := range [][]string{{"reproduce"}, {"reproduce", "smith2020"}, {"reproduce", "blanchard2019", "--product", "acs3"}, {"reproduce", "blanchard2019", "--perm", "-1"}, {"reproduce", "blanchard2019", "--perm", "1000000000"}, {"claims", "--perm", "1000000001"}} {
		if code, _, errOut := runCapture(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d (%s), want %d", args, code, errOut, exitUsage)
		}
	}
}

// TestSyntheticRefused builds a warehouse from the real raw files plus
// SYNTHETIC NTCA counts, and checks that reproduce refuses to print them
// as findings unless asked, and then marks them.
func TestSyntheticRefused(t *testing.T) {
	raw := datadir.ForTest(t)
	var metros []synthetic.Metro
	for i, m := range []struct{ code, title string }{{"35620", "New York-Newark-Jersey City, NY-NJ-PA"}, {"31080", "Los Angeles-Long Beach-Anaheim, CA"},
		{"26420", "Houston-The Woodlands-Sugar Land, TX"}, {"47900", "Washington-Arlington-Alexandria, DC-VA-MD-WV"}, {"33100", "Miami-Fort Lauderdale-West Palm Beach, FL"},
		{"19100", "Dallas-Fort Worth-Arlington, TX"}, {"41860", "San Francisco-Oakland-Hayward, CA"}, {"14460", "Boston-Cambridge-Newton, MA-NH"}} {
		metros = append(metros, synthetic.Metro{Code: m.code, Title: m.title, Target: float64(i)})
	}
	set, err := synthetic.Generate(synthetic.Options{Seed: 1, Metros: metros, R: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	acs := t.TempDir()
	if err := set.WriteDir(acs); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "w.duckdb")
	if code, _, errOut := runCapture(t, "ingest", "--data", raw, "--census", acs, "--db", db); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errOut)
	}
	code, out, errOut := runCapture(t, "reproduce", "blanchard2019", "--db", db, "--perm", "99")
	if code != exitError || !strings.Contains(errOut, "SYNTHETIC") || out != "" {
		t.Errorf("synthetic data: exit %d, stdout %q, stderr %q; want a refusal", code, out, errOut)
	}
	code, out, errOut = runCapture(t, "reproduce", "blanchard2019", "--db", db, "--perm", "99", "--synthetic")
	if code != 0 || !strings.HasPrefix(out, study.SyntheticBanner) || !strings.Contains(out, "SYNTHETIC WP06") {
		t.Errorf("--synthetic: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
}
