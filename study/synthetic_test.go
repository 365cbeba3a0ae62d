package study

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/assaylab/assay/census/synthetic"
	"github.com/assaylab/assay/ingest"
	"github.com/assaylab/assay/internal/synthdata"
	"github.com/assaylab/assay/stats"
)

const ntcaAll = `
name = "ntca_synthetic"
title = "SYNTHETIC planted correlation"
[years]
base = 2012
end = 2017
[immigrant]
source = "acs1"
group = "ntca"
`

// plantedRs are the correlations planted in the SYNTHETIC NTCA counts.
var plantedRs = []float64{0, 0.5}

// plantedRuns keeps each planted study's result: TestPlantedCorrelation
// checks what it recovers and TestStudyDoc that docs/study.md quotes it,
// from one run.
var plantedRuns sync.Map // planted r -> *Result

// runPlanted runs the study of every metro's NTCA share (ntcaAll) on the
// SYNTHETIC counts with r planted, once per process.
func runPlanted(t *testing.T, planted float64) (*synthdata.Set, *Result) {
	t.Helper()
	sd := synthdata.Planted(t, planted)
	if res, ok := plantedRuns.Load(planted); ok {
		return sd, res.(*Result)
	}
	res, err := Run(context.Background(), sd.DS, mustParse(t, ntcaAll))
	if err != nil {
		t.Fatal(err)
	}
	plantedRuns.Store(planted, res)
	return sd, res
}

// TestPlantedCorrelation checks that the study recovers a correlation
// planted in SYNTHETIC NTCA counts across every metro with a violent rate
// in both years (about 300). The sample r of n pairs has a standard error
// of about (1 − ρ²)/√(n − 1): 0.058 at ρ = 0 and 0.043 at ρ = 0.5 for 300
// metros. The test allows 3.5 of them (a false failure has probability
// under 0.05% for a fresh seed; the seed is fixed, so the outcome is too).
// It also checks that the study's r equals the r of the generator's own
// truth over the same metros: the pipeline adds nothing.
func TestPlantedCorrelation(t *testing.T) {
	for _, planted := range plantedRs {
		sd, res := runPlanted(t, planted)
		f := res.Findings[0]
		if !res.Synthetic || !f.Synthetic || !res.Sample.Synthetic {
			t.Fatalf("planted %v: result not marked synthetic", planted)
		}
		var x, y []float64
		for _, r := range res.Sample.Rows {
			tr := sd.Truth[r.CBSA]
			x, y = append(x, 100*(tr.Share2-tr.Share1)), append(y, sd.Targets[r.CBSA])
		}
		truth, err := stats.Pearson(x, y, stats.CorrOptions{})
		if err != nil {
			t.Fatal(err)
		}
		n := float64(f.N)
		tol := 3.5 * (1 - planted*planted) / math.Sqrt(n-1)
		t.Logf("planted r = %.1f: recovered r = %.4f (95%% CI %.3f to %.3f, p = %.3g), n = %d; generator truth r = %.4f; tolerance ±%.3f",
			planted, f.Estimate.V, f.CILow.V, f.CIHigh.V, f.P.V, f.N, truth.Terms[0].Estimate, tol)
		if f.N < 280 {
			t.Errorf("only %d metros", f.N)
		}
		if math.Abs(f.Estimate.V-truth.Terms[0].Estimate) > 1e-9 {
			t.Errorf("study r %v differs from the generator's truth r %v", f.Estimate.V, truth.Terms[0].Estimate)
		}
		if math.Abs(f.Estimate.V-planted) > tol {
			t.Errorf("planted %v, recovered %v: further than %.3f", planted, f.Estimate.V, tol)
		}
		var b strings.Builder
		if err := res.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		if out := b.String(); !strings.HasPrefix(out, SyntheticBanner) || !strings.HasSuffix(out, SyntheticBanner+"\n") {
			t.Errorf("synthetic text not bannered at both ends:\n%s", out)
		}
	}
}

// TestOwnOriginGroup runs a study on a user's own origin group, counted at
// ingest (assay ingest --census DIR --groups FILE) from a folder of fetched
// (here SYNTHETIC) files added to the embedded snapshot.
func TestOwnOriginGroup(t *testing.T) {
	base := bundled(t)
	d, err := NewData(base, "")
	if err != nil {
		t.Fatal(err)
	}
	var metros []synthetic.Metro
	for i, code := range d.Metros() {
		if o := d.At(code, 2012); o != nil && o.Crime != nil && i%3 == 0 {
			metros = append(metros, synthetic.Metro{Code: code, Title: o.Title, Target: float64(i % 7)})
		}
	}
	set, err := synthetic.Generate(synthetic.Options{Seed: 3, Metros: metros, R: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := set.WriteDir(filepath.Join(dir, "acs")); err != nil {
		t.Fatal(err)
	}
	groups := "[[group]]\nkey = \"honduras_own\"\nname = \"Born in Honduras\"\ntable = \"B05006\"\nlabels = [\"Total!!Americas!!Latin America!!Central America!!Honduras\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "groups.toml"), []byte(groups), 0o644); err != nil {
		t.Fatal(err)
	}
	ds, err := ingest.Extend(context.Background(), base, ingest.Options{Census: []string{filepath.Join(dir, "acs")}, Groups: filepath.Join(dir, "groups.toml")})
	if err != nil {
		t.Fatal(err)
	}
	spec := strings.Replace(ntcaAll, `group = "ntca"`, `group = "honduras_own"`, 1)
	res, err := Run(context.Background(), ds, mustParse(t, spec))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Synthetic || len(res.Sample.Rows) < 50 || res.Findings[0].Spec["group"] != "honduras_own" {
		t.Errorf("synthetic %v, %d metros, spec %v", res.Synthetic, len(res.Sample.Rows), res.Findings[0].Spec)
	}
	// A group the data has no counts of: the error lists those it has.
	_, err = Run(context.Background(), ds, mustParse(t, strings.Replace(ntcaAll, `group = "ntca"`, `group = "martians"`, 1)))
	if err == nil || !strings.Contains(err.Error(), `origin group "martians"`) || !strings.Contains(err.Error(), "honduras_own") {
		t.Errorf("unknown group: %v", err)
	}
}
