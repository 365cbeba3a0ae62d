package study

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/census/synthetic"
	"github.com/assaylab/assay/ingest"
	"github.com/assaylab/assay/internal/datadir"
	"github.com/assaylab/assay/stats"
)

// synth is the real raw files ingested with a SYNTHETIC Census folder whose
// NTCA-share change is planted to correlate at r with each metro's real
// 2012-2017 violent-rate change.
type synth struct {
	ds      *assay.Dataset
	targets map[string]float64
	truth   map[string]synthetic.Truth
}

var (
	synthMu    sync.Mutex
	synthCache = map[float64]*synth{}
)

// synthData ingests once per planted r within the test binary.
func synthData(t *testing.T, r float64) *synth {
	t.Helper()
	raw := datadir.ForTest(t)
	synthMu.Lock()
	defer synthMu.Unlock()
	if s, ok := synthCache[r]; ok {
		return s
	}
	d, err := newData(bundled(t), "")
	if err != nil {
		t.Fatal(err)
	}
	s := &synth{targets: map[string]float64{}, truth: map[string]synthetic.Truth{}}
	var metros []synthetic.Metro
	for _, code := range d.cbsas {
		b, e := d.panel.At(code, 2012), d.panel.At(code, 2017)
		if b == nil || e == nil || b.Crime == nil || e.Crime == nil || !b.Crime.Rate[assay.Violent].Valid || !e.Crime.Rate[assay.Violent].Valid {
			continue
		}
		s.targets[code] = e.Crime.Rate[assay.Violent].V - b.Crime.Rate[assay.Violent].V
		metros = append(metros, synthetic.Metro{Code: code, Title: b.Title, Target: s.targets[code]})
	}
	set, err := synthetic.Generate(synthetic.Options{Seed: 2019, Metros: metros, R: r})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range set.Truth {
		s.truth[tr.Code] = tr
	}
	dir := t.TempDir()
	if err := set.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	if s.ds, err = ingest.Run(context.Background(), ingest.Options{Data: raw, Census: []string{dir}}); err != nil {
		t.Fatal(err)
	}
	synthCache[r] = s
	return s
}

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

// TestPlantedCorrelation checks that the study recovers a correlation
// planted in SYNTHETIC NTCA counts across every metro with a violent rate
// in both years (about 300). The sample r of n pairs has a standard error
// of about (1 − ρ²)/√(n − 1): 0.058 at ρ = 0 and 0.043 at ρ = 0.5 for 300
// metros. The test allows 3.5 of them (a false failure has probability
// under 0.05% for a fresh seed; the seed is fixed, so the outcome is too).
// It also checks that the study's r equals the r of the generator's own
// truth over the same metros: the pipeline adds nothing.
func TestPlantedCorrelation(t *testing.T) {
	for _, planted := range []float64{0, 0.5} {
		sd := synthData(t, planted)
		res, err := Run(context.Background(), sd.ds, mustParse(t, ntcaAll))
		if err != nil {
			t.Fatal(err)
		}
		f := res.Findings[0]
		if !res.Synthetic || !f.Synthetic || !res.Sample.Synthetic {
			t.Fatalf("planted %v: result not marked synthetic", planted)
		}
		var x, y []float64
		for _, r := range res.Sample.Rows {
			tr := sd.truth[r.CBSA]
			x, y = append(x, 100*(tr.Share2-tr.Share1)), append(y, sd.targets[r.CBSA])
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

// TestReproduceSynthetic runs the paper's 27-metro design on SYNTHETIC
// NTCA counts: with n = 27 the estimates themselves are too noisy to test,
// so this checks structure and determinism.
func TestReproduceSynthetic(t *testing.T) {
	sd := synthData(t, 0.5)
	opt := ReproduceOptions{Perm: 499, Boot: 200}
	rep, err := Reproduce(context.Background(), sd.ds, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.HasNTCA || rep.Source != "acs1" || rep.Group != "ntca" || rep.Missing != "" || !rep.Synthetic {
		t.Fatalf("has %v source %s group %s missing %q synthetic %v", rep.HasNTCA, rep.Source, rep.Group, rep.Missing, rep.Synthetic)
	}
	for _, rr := range rep.Rules {
		picked := selected(rr.Violent.Sample)
		if len(picked) != 27 || rr.Selected != 27 {
			t.Errorf("%s: %d metros picked", rr.Rule.Key, len(picked))
		}
		for i := 1; i < len(picked); i++ {
			a, b := picked[i-1], picked[i]
			rankA, rankB := a.BaseShare.Value.V, b.BaseShare.Value.V
			if rr.Rule.Selection.Rule == "top_count" {
				rankA, rankB = a.BaseCount.Value.V, b.BaseCount.Value.V
			}
			if b.Rank != i+1 || rankB > rankA {
				t.Errorf("%s: rank %d (%s) out of order", rr.Rule.Key, b.Rank, b.Title)
			}
		}
		for _, d := range rr.Violent.Sample.Dropped {
			if rr.Rule.Selection.Pool == "fbi" && strings.Contains(d.Reason, "did not publish") {
				t.Errorf("%s: %s unpublished, yet ranked among FBI metros", rr.Rule.Key, d.Title)
			}
		}
		if rr.Murder == nil || rr.Homicide.N != len(rr.Murder.Sample.Rows) || rr.Homicide.FellAndRose > rr.Homicide.Fell || !rr.Homicide.MOEKnown {
			t.Errorf("%s: homicide tally %+v", rr.Rule.Key, rr.Homicide)
		}
	}
	var ids []string
	for _, c := range rep.Claims {
		ids = append(ids, c.ID)
		if c.ID == "WP05" {
			// National series only: nothing synthetic in it.
			if c.Synthetic {
				t.Error("WP05 marked synthetic, though no metro count enters it")
			}
			continue
		}
		if c.Verdict == assay.NotCheckable || c.Verdict == "" || !c.Synthetic {
			t.Errorf("%s: verdict %q synthetic %v", c.ID, c.Verdict, c.Synthetic)
		}
		for _, f := range c.Findings {
			if !f.Synthetic {
				t.Errorf("%s: finding %s not marked synthetic", c.ID, f.Label)
			}
		}
		t.Logf("SYNTHETIC %s %s: %s", c.ID, c.Verdict, c.Computed)
	}
	if !slices.Equal(ids, []string{"WP05", "WP06", "WP07", "WP08", "WP09", "WP10"}) {
		t.Errorf("claims %v", ids)
	}
	if v := rep.Claims[1].Value; v != rep.Rules[0].Violent.Pearson.Estimate {
		t.Errorf("WP06 value %v, first rule's r %v", v, rep.Rules[0].Violent.Pearson.Estimate)
	}
	again, err := Reproduce(context.Background(), sd.ds, opt)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(rep)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Error("two runs with the same seed differ")
	}
	var text strings.Builder
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	if !strings.HasPrefix(out, SyntheticBanner) || !strings.Contains(out, "SYNTHETIC WP06") || strings.Contains(out, "NOTE: NTCA-born counts") {
		t.Errorf("synthetic reproduction text:\n%s", out)
	}
}

// TestGroupsFile runs a study on a user's own origin group, counted from a
// folder of fetched (here SYNTHETIC) files.
func TestGroupsFile(t *testing.T) {
	d, err := newData(bundled(t), "")
	if err != nil {
		t.Fatal(err)
	}
	var metros []synthetic.Metro
	for i, code := range d.cbsas {
		if o := d.panel.At(code, 2012); o != nil && o.Crime != nil && i%3 == 0 {
			metros = append(metros, synthetic.Metro{Code: code, Title: o.Title, Target: float64(i % 7)})
		}
	}
	set, err := synthetic.Generate(synthetic.Options{Seed: 3, Metros: metros, R: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := set.WriteDir(dir + "/acs"); err != nil {
		t.Fatal(err)
	}
	groups := "[[group]]\nkey = \"honduras\"\nname = \"Born in Honduras\"\ntable = \"B05006\"\nlabels = [\"Total!!Americas!!Latin America!!Central America!!Honduras\"]\n"
	if err := writeFile(dir+"/groups.toml", groups); err != nil {
		t.Fatal(err)
	}
	spec := ntcaAll + "groups_file = \"groups.toml\"\ncensus_dir = \"acs\"\n"
	spec = strings.Replace(spec, `group = "ntca"`, `group = "honduras"`, 1)
	if err := writeFile(dir+"/study.toml", spec); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir + "/study.toml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), bundled(t), s)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Synthetic || len(res.Sample.Rows) < 50 || res.Findings[0].Spec["group"] != "honduras" {
		t.Errorf("synthetic %v, %d metros, spec %v", res.Synthetic, len(res.Sample.Rows), res.Findings[0].Spec)
	}
}

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o644) }
