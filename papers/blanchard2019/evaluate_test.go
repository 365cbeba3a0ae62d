package blanchard2019

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/census"
	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/ingest"
	"github.com/assaylab/assay/snapshot"
)

func TestFiguresQuoteTheList(t *testing.T) {
	for id, fs := range figures {
		c, err := claims.Lookup(id)
		if err != nil {
			t.Errorf("figures for %s: %v", id, err)
			continue
		}
		for key, text := range fs {
			if !strings.Contains(c.Stated, text) && !strings.Contains(c.Text, text) {
				t.Errorf("%s %s: %q is neither in the stated value %q nor in the claim %q", id, key, text, c.Stated, c.Text)
			}
			if _, err := stated(id, key); err != nil {
				t.Errorf("%s %s: %v", id, key, err)
			}
		}
	}
}

func TestParseFigure(t *testing.T) {
	for _, tc := range []struct {
		in          string
		value, half float64
	}{
		{"1.5 million", 1.5e6, 0.05e6},
		{"10,000", 1e4, 5e3},
		{"10000", 1e4, 5e3},
		{"+400000", 4e5, 5e4},
		{"0.3%", 0.003, 0.0005},
		{"1%", 0.01, 0.005},
		{"2.0", 2, 0.05},
		{"6500", 6500, 50},
		{"0", 0, 0.5},
	} {
		f, err := parseFigure(tc.in)
		if err != nil || math.Abs(f.Value-tc.value) > 1e-12*math.Max(1, tc.value) || math.Abs(f.Half-tc.half) > 1e-12*math.Max(1, tc.half) {
			t.Errorf("%q: %+v %v, want value %v half %v", tc.in, f, err, tc.value, tc.half)
		}
	}
	for _, bad := range []string{"", "%", "about", "1e5", "-3", "3.4 billion", "Inf", "NaN", "1.2.3"} {
		if f, err := parseFigure(bad); err == nil {
			t.Errorf("%q parsed as %+v", bad, f)
		}
	}
	f, _ := parseFigure("3.4 million")
	for _, tc := range []struct {
		lo, hi float64
		want   bool
	}{{3.3e6, 3.36e6, true}, {3.44e6, 3.5e6, true}, {3.0e6, 3.34e6, false}, {3.46e6, 3.6e6, false}, {3e6, 4e6, true}} {
		if got := f.Meets(tc.lo, tc.hi); got != tc.want {
			t.Errorf("3.4 million meets [%v, %v] = %v", tc.lo, tc.hi, got)
		}
	}
}

func FuzzParseFigure(f *testing.F) {
	for _, fs := range figures {
		for _, text := range fs {
			f.Add(text)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		fig, err := parseFigure(s)
		if err != nil {
			return
		}
		if fig.Value < 0 || fig.Half <= 0 || math.IsNaN(fig.Value) || math.IsInf(fig.Value, 0) || math.IsInf(fig.Half, 0) {
			t.Fatalf("%q parsed as %+v", s, fig)
		}
	})
}

// metroClaims are the claims the reproduction decides.
var metroClaims = []string{"WP06", "WP07", "WP08", "WP09", "WP10"}

// evaluate runs the paper's evaluators of the claims outside the metro
// study on a dataset, in the claims list's order.
func evaluate(ctx context.Context, ds *assay.Dataset) ([]assay.ClaimResult, error) {
	c := &claims.Context{Ctx: ctx, Data: ds}
	var out []assay.ClaimResult
	for _, e := range Evaluators() {
		if slices.Contains(metroClaims, e.Claim) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		claim, err := claims.Lookup(e.Claim)
		if err != nil {
			return nil, err
		}
		r, err := e.Eval(c, claim)
		if err != nil {
			return nil, fmt.Errorf("claim %s: %w", e.Claim, err)
		}
		r.ID, r.Stated = claim.ID, claim.Stated
		out = append(out, r)
	}
	return out, nil
}

// bundled evaluates the claims on the embedded snapshot, by id.
func bundled(t *testing.T) (*assay.Dataset, map[string]assay.ClaimResult, []assay.ClaimResult) {
	t.Helper()
	ds, err := snapshot.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	results, err := evaluate(context.Background(), ds)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]assay.ClaimResult{}
	for _, r := range results {
		by[r.ID] = r
	}
	return ds, by, results
}

// s0201 returns a group's S0201 national record for a year, read straight
// from the dataset.
func s0201(t *testing.T, ds *assay.Dataset, year int, group string) assay.NationalOrigin {
	t.Helper()
	for _, r := range ds.NationalOrigins {
		if r.Year == year && r.PopGroup == group {
			return r
		}
	}
	t.Fatalf("no S0201 group %s in %d", group, year)
	return assay.NationalOrigin{}
}

// ntcaFB sums the three origin groups' foreign-born by hand, MOE by the
// square root of the sum of squares (none of them is zero).
func ntcaFB(t *testing.T, ds *assay.Dataset, year int) (v, moe float64) {
	t.Helper()
	var sq float64
	for _, g := range []string{"412", "408", "409"} {
		fb := s0201(t, ds, year, g).ForeignBorn
		v += fb.Value.V
		sq += fb.MOE.V * fb.MOE.V
	}
	return v, math.Sqrt(sq)
}

// nationalCrime returns one file's national records, by year.
func nationalCrime(ds *assay.Dataset, file string) map[int]assay.NationalCrime {
	out := map[int]assay.NationalCrime{}
	for _, r := range ds.National {
		if strings.HasSuffix(r.Source, file) {
			out[r.Year] = r
		}
	}
	return out
}

const marshallFile = "crime_rates_1985_2017_ucr_us_whole.csv"

func near(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b)) }

func TestEvaluateBundled(t *testing.T) {
	ds, by, results := bundled(t)
	var want []string
	for _, e := range Evaluators() {
		if !slices.Contains(metroClaims, e.Claim) {
			want = append(want, e.Claim)
		}
	}
	var got []string
	for _, r := range results {
		got = append(got, r.ID)
		if r.Synthetic {
			t.Errorf("%s: synthetic on the bundled data", r.ID)
		}
		if r.Note == "" || r.Computed == "" || r.Stated == "" {
			t.Errorf("%s: empty note, computed or stated: %+v", r.ID, r)
		}
		if r.Verdict != assay.NotCheckable && len(r.Inputs) == 0 {
			t.Errorf("%s: a %s verdict with no inputs", r.ID, r.Verdict)
		}
	}
	if !slices.Equal(got, want) || len(got) != 13 {
		t.Fatalf("results for %v, want the 13 claims %v", got, want)
	}

	verdicts := map[string]assay.Verdict{
		"WP01": assay.NotCheckable, "WP03": assay.NotCheckable, "WP12": assay.NotCheckable, "WP13": assay.NotCheckable,
		// The 2000 base is not bundled.
		"WP02": assay.NotCheckable,
		// Below 1% on the origin proxy only.
		"WP04": assay.PartlySupported,
		// Crime fell 2000-2017; the share is checkable from 2009 only.
		"WP05": assay.PartlySupported,
		"WP11": assay.ArithmeticError, "WP14": assay.ArithmeticError,
		"WP15": assay.Supported,
		// The origin proxy falls short of 3.4 million: no contradiction.
		"XS01": assay.NotCheckable,
		// The proxy's change and ranking agree.
		"XS02": assay.PartlySupported, "XS03": assay.PartlySupported,
	}
	for id, v := range verdicts {
		if by[id].Verdict != v {
			t.Errorf("%s: %s, want %s\n%s", id, by[id].Verdict, v, by[id].Note)
		}
	}
	for _, id := range []string{"WP01", "WP03", "WP12", "WP13"} {
		if r := by[id]; r.Value.Valid || len(r.Inputs) != 0 || !strings.Contains(r.Note, "settle") {
			t.Errorf("%s: a not-checkable claim with a value, inputs or no word of what settles it: %+v", id, r)
		}
	}

	pop17 := s0201(t, ds, 2017, "001").Total.Value.V
	fb11, moe11 := ntcaFB(t, ds, 2011)
	fb17, moe17 := ntcaFB(t, ds, 2017)

	// WP11: 10,000 over the 2017 population, a hundredth of the stated share.
	wp11 := by["WP11"]
	if !near(wp11.Value.V, 10000/pop17, 1e-12) {
		t.Errorf("WP11 value %v, want 10000 / %v", wp11.Value, pop17)
	}
	if k := math.Round(math.Log10(0.003 / wp11.Value.V)); k != 2 {
		t.Errorf("WP11: stated 0.3%% is 10^%v times the computed %v, want 10^2", k, wp11.Value)
	}
	marshall := nationalCrime(ds, marshallFile)
	if rd := nationalCrime(ds, "us_crime_rates_spec_tbl_df.csv")[2017].Population.V; !near(wp11.High.V, 10000/rd, 1e-12) || rd == pop17 {
		t.Errorf("WP11 high %v: want the share of the smaller Rdatasets population %v", wp11.High, rd)
	}

	// WP14: the six years' counts summed; the stated 1.2 million is about a sixth.
	var sum float64
	for y := 2012; y <= 2017; y++ {
		sum += marshall[y].Counts[assay.Violent].V
	}
	wp14 := by["WP14"]
	if wp14.Value.V != sum || !strings.Contains(wp14.Inputs[0], marshallFile) {
		t.Errorf("WP14 value %v from %q, want %v from %s", wp14.Value, wp14.Inputs[0], sum, marshallFile)
	}
	if n := math.Round(wp14.Value.V / 1.2e6); n != 6 {
		t.Errorf("WP14: the six-year sum is %v times 1.2 million, want about 6", n)
	}

	// WP15: arithmetic on the stated figures.
	if v := by["WP15"].Value.V; !near(v*1.4e6, 10000, 1e-12) {
		t.Errorf("WP15 value %v", v)
	}

	// WP02, WP04, XS01-XS03: S0201 sums by hand.
	if r := by["WP02"]; !near(r.Value.V, fb17/1.5e6, 1e-12) || !near(r.High.V-r.Value.V, moe17/1.5e6, 1e-9) {
		t.Errorf("WP02 value %v (%v to %v), want %v ± %v", r.Value, r.Low, r.High, fb17/1.5e6, moe17/1.5e6)
	}
	if r := by["WP04"]; !near(r.Value.V, fb17/pop17, 1e-12) || r.High.V >= 0.01 || r.Low.V >= r.Value.V {
		t.Errorf("WP04 value %v (%v to %v), want %v with an interval below 1%%", r.Value, r.Low, r.High, fb17/pop17)
	}
	if r := by["XS01"]; r.Value.V != fb17 || !near(r.Low.V, fb17-moe17, 1e-12) || !near(r.High.V, fb17+moe17, 1e-12) {
		t.Errorf("XS01 value %v (%v to %v), want %v ± %v", r.Value, r.Low, r.High, fb17, moe17)
	}
	if r := by["XS02"]; r.Value.V != fb17-fb11 || !near(r.High.V-r.Value.V, math.Hypot(moe11, moe17), 1e-9) {
		t.Errorf("XS02 value %v (%v to %v), want %v ± %v", r.Value, r.Low, r.High, fb17-fb11, math.Hypot(moe11, moe17))
	}
	sv := s0201(t, ds, 2017, "412").ForeignBorn
	if r := by["XS03"]; r.Value != sv.Value || r.High.V != sv.Value.V+sv.MOE.V {
		t.Errorf("XS03 value %v, want %v ± %v", r.Value, sv.Value, sv.MOE)
	}

	// WP05: the crime slope is the least-squares slope of the file's rates.
	wp05 := by["WP05"]
	if len(wp05.Findings) != 3 {
		t.Fatalf("WP05: %d findings, want crime 2000-2017, share and crime over the share's years", len(wp05.Findings))
	}
	slope := func(from, to int, y func(int) float64) float64 {
		var mx, my, sxy, sxx float64
		n := float64(to - from + 1)
		for yr := from; yr <= to; yr++ {
			mx, my = mx+float64(yr)/n, my+y(yr)/n
		}
		for yr := from; yr <= to; yr++ {
			sxy += (float64(yr) - mx) * (y(yr) - my)
			sxx += (float64(yr) - mx) * (float64(yr) - mx)
		}
		return sxy / sxx
	}
	// The chosen national series, read straight from its rows; each year's
	// rate agrees with The Marshall Project's file within the FBI's
	// rounding of rates to one decimal.
	chosen := map[int]float64{}
	for _, f := range ds.NationalSeries {
		if f.Chosen && f.Measure == "violent_rate" {
			chosen[f.Year] = f.Value
		}
	}
	for y := 2000; y <= 2017; y++ {
		if d := math.Abs(chosen[y] - marshall[y].Rate[assay.Violent].V); d > 0.05+1e-9 {
			t.Errorf("%d: chosen violent rate %v, The Marshall Project's %v", y, chosen[y], marshall[y].Rate[assay.Violent].V)
		}
	}
	crime := slope(2000, 2017, func(y int) float64 { return chosen[y] })
	if f := wp05.Findings[0]; !near(f.Estimate.V, crime, 1e-9) || f.N != 18 || f.CIHigh.V >= 0 {
		t.Errorf("WP05 crime trend %+v, want slope %v over 18 years, interval below zero", f, crime)
	}
	share := slope(2009, 2017, func(y int) float64 {
		v, _ := ntcaFB(t, ds, y)
		return 100 * v / s0201(t, ds, y, "001").Total.Value.V
	})
	if f := wp05.Findings[1]; !near(f.Estimate.V, share, 1e-9) || f.N != 9 || f.CILow.V <= 0 {
		t.Errorf("WP05 share trend %+v, want slope %v over 9 years, interval above zero", f, share)
	}
}

// TestResultsJSON checks the fields every consumer of --json relies on.
func TestResultsJSON(t *testing.T) {
	ds, _, _ := bundled(t)
	b, err := json.Marshal(ledger(t, ds, claims.Options{Perm: 99}).Results)
	if err != nil {
		t.Fatal(err)
	}
	var back []map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for _, m := range back {
		for _, k := range []string{"id", "verdict", "stated", "computed", "inputs", "note", "value", "low", "high"} {
			if _, ok := m[k]; !ok {
				t.Errorf("%v: no %q", m["id"], k)
			}
		}
		if _, ok := m["inputs"].([]any); !ok {
			t.Errorf("%v: inputs %v is not a list", m["id"], m["inputs"])
		}
	}
}

// TestEvaluateEmptyDataset: a dataset without the national data leaves
// every claim that needs it not checkable, saying so, and fails nothing.
func TestEvaluateEmptyDataset(t *testing.T) {
	results, err := evaluate(context.Background(), &assay.Dataset{})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 13 {
		t.Fatalf("%d results", len(results))
	}
	for _, r := range results {
		want := assay.NotCheckable
		if r.ID == "WP15" { // arithmetic on its own figures
			want = assay.Supported
		}
		if r.Verdict != want {
			t.Errorf("%s: %s, want %s", r.ID, r.Verdict, want)
		}
	}
}

func TestEvaluateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := evaluate(ctx, &assay.Dataset{}); err == nil {
		t.Error("no error from a cancelled context")
	}
}

// fetchedYear is one year of invented national B05006 figures
// (SYNTHETIC, not Census data): El Salvador, Guatemala and Honduras with
// their MOEs, and the total population.
type fetchedYear struct {
	year       int
	counts     [3]float64
	moes       [3]float64
	population float64
}

// B05006 lines of Total, Central America, Mexico, El Salvador, Guatemala
// and Honduras (shared/data/acs/PROVENANCE.md) for the years used here.
var b05006Lines = map[int][6]int{2011: {1, 137, 138, 141, 142, 143}, 2017: {1, 138, 139, 142, 143, 144}}

var b05006Labels = [6]string{"Total", "Total!!Americas!!Latin America!!Central America",
	"Total!!Americas!!Latin America!!Central America!!Mexico", "Total!!Americas!!Latin America!!Central America!!El Salvador",
	"Total!!Americas!!Latin America!!Central America!!Guatemala", "Total!!Americas!!Latin America!!Central America!!Honduras"}

// fetched writes each list of years as `assay fetch census --geo us` would,
// a folder each, and adds them to the embedded snapshot as `assay ingest
// --census` does.
func fetched(t *testing.T, folders ...[]fetchedYear) *assay.Dataset {
	t.Helper()
	var dirs []string
	for _, years := range folders {
		dirs = append(dirs, writeFetched(t, years...))
	}
	base, err := snapshot.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := ingest.Extend(context.Background(), base, ingest.Options{Census: dirs})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// writeFetched writes the years as `assay fetch census --geo us` would.
func writeFetched(t *testing.T, years ...fetchedYear) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	variable := func(label string) map[string]string {
		return map[string]string{"label": label, "concept": "SYNTHETIC test data, not a Census Bureau estimate"}
	}
	for _, y := range years {
		ntca := y.counts[0] + y.counts[1] + y.counts[2]
		// Total and Central America are invented to contain the rest.
		values := [6]float64{ntca * 10, ntca * 4, ntca * 3, y.counts[0], y.counts[1], y.counts[2]}
		moes := [6]float64{100000, 60000, 50000, y.moes[0], y.moes[1], y.moes[2]}
		header, row := []string{"NAME"}, []string{census.SyntheticPrefix + "United States"}
		vars := map[string]any{}
		for i, line := range b05006Lines[y.year] {
			id := fmt.Sprintf("B05006_%03d", line)
			header = append(header, id+"E", id+"M")
			row = append(row, fmt.Sprint(values[i]), fmt.Sprint(moes[i]))
			vars[id+"E"] = variable("Estimate!!" + b05006Labels[i])
			vars[id+"M"] = variable("Margin of Error!!" + b05006Labels[i])
		}
		stem := fmt.Sprintf("SYNTHETIC_acs1_%d_", y.year)
		write(stem+"B05006_us.json", [][]string{append(header, "us"), append(row, "1")})
		write(stem+"B05006_variables.json", map[string]any{"variables": vars})
		write(stem+"B01003_us.json", [][]string{{"NAME", "B01003_001E", "B01003_001M", "us"},
			{census.SyntheticPrefix + "United States", fmt.Sprint(y.population), "-555555555", "1"}})
		write(stem+"B01003_variables.json", map[string]any{"variables": map[string]any{
			"B01003_001E": variable("Estimate!!Total"), "B01003_001M": variable("Margin of Error!!Total")}})
	}
	return dir
}

// TestEvaluateFetched: with national B05006 fetched, the population claims
// are decided on birthplace counts, and synthetic inputs mark the results.
func TestEvaluateFetched(t *testing.T) {
	y2011 := fetchedYear{2011, [3]float64{1.3e6, 1.0e6, 0.7e6}, [3]float64{20000, 20000, 20000}, 311e6}
	for _, tc := range []struct {
		name  string
		years []fetchedYear
		want  map[string]assay.Verdict
		value map[string]float64 // expected Value, from the invented figures
	}{
		{
			// 3.4 million of 325 million: 1.05%.
			name:  "as the paper says",
			years: []fetchedYear{y2011, {2017, [3]float64{1.5e6, 1.1e6, 0.8e6}, [3]float64{20000, 20000, 20000}, 325e6}},
			want: map[string]assay.Verdict{"WP02": assay.PartlySupported, "WP04": assay.Contradicted,
				"XS01": assay.Supported, "XS02": assay.Supported, "XS03": assay.PartlySupported},
			value: map[string]float64{"WP02": 3.4e6 / 1.5e6, "WP04": 3.4e6 / 325e6, "XS01": 3.4e6, "XS02": 0.4e6, "XS03": 1.5e6},
		},
		{
			// 2.8 million: below a doubling and below 3.4 million.
			name:  "fewer",
			years: []fetchedYear{y2011, {2017, [3]float64{1.3e6, 0.9e6, 0.6e6}, [3]float64{20000, 20000, 20000}, 325e6}},
			want: map[string]assay.Verdict{"WP02": assay.Contradicted, "WP04": assay.Supported,
				"XS01": assay.Contradicted, "XS02": assay.Contradicted, "XS03": assay.PartlySupported},
			value: map[string]float64{"WP02": 2.8e6 / 1.5e6, "WP04": 2.8e6 / 325e6, "XS01": 2.8e6, "XS02": -0.2e6, "XS03": 1.3e6},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			results, err := evaluate(context.Background(), fetched(t, tc.years))
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range results {
				want, fetched := tc.want[r.ID]
				if !fetched {
					if r.Synthetic {
						t.Errorf("%s: synthetic without fetched inputs", r.ID)
					}
					continue
				}
				if r.Verdict != want || !r.Synthetic {
					t.Errorf("%s: %s (synthetic %v), want %s, synthetic\n%s", r.ID, r.Verdict, r.Synthetic, want, r.Note)
				}
				if !near(r.Value.V, tc.value[r.ID], 1e-9) {
					t.Errorf("%s: value %v, want %v", r.ID, r.Value, tc.value[r.ID])
				}
				if !strings.Contains(r.Computed, "born in El Salvador") && r.ID != "WP04" {
					t.Errorf("%s: computed %q does not say it counts birthplace", r.ID, r.Computed)
				}
				if !strings.Contains(strings.Join(r.Inputs, "\n"), "B05006") || !strings.Contains(strings.Join(r.Inputs, "\n"), "[SYNTHETIC]") {
					t.Errorf("%s: inputs %q do not name the synthetic B05006 file", r.ID, r.Inputs)
				}
			}
		})
	}

	// Only 2017 fetched: XS02 keeps to the S0201 proxy for both years
	// rather than subtract an origin count from a birthplace count.
	results, err := evaluate(context.Background(), fetched(t, []fetchedYear{{2017, [3]float64{1.5e6, 1.1e6, 0.8e6}, [3]float64{20000, 20000, 20000}, 325e6}}))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.ID == "XS02" && (r.Synthetic || r.Verdict != assay.PartlySupported || !strings.Contains(r.Computed, "origin")) {
			t.Errorf("XS02 with 2017 fetched only: %+v", r)
		}
	}

	// Two different fetched counts for one year cannot both be used.
	twice := fetched(t, []fetchedYear{y2011}, []fetchedYear{{2011, [3]float64{1, 1, 1}, [3]float64{1, 1, 1}, 311e6}})
	if _, err := evaluate(context.Background(), twice); err == nil || !strings.Contains(err.Error(), "two different") {
		t.Errorf("two different counts for 2011: error %v", err)
	}

	// A fetched count without a margin of error cannot be weighed.
	noMOE := *twice
	noMOE.OriginCounts = []assay.OriginCount{{Source: "SYNTHETIC_acs1_2017_B05006_us.json", Year: 2017, Product: "acs1", GeoID: "1", Group: "ntca",
		Count: assay.Estimate{Value: assay.Some(3e6)}, Population: assay.Estimate{Value: assay.Some(325e6)},
		Share: assay.Estimate{Value: assay.Some(3e6 / 325e6)}, Synthetic: true}}
	if _, err := evaluate(context.Background(), &noMOE); err == nil || !strings.Contains(err.Error(), "no usable MOE") {
		t.Errorf("a count without MOE: error %v", err)
	}
}

// TestXS03Birthplace: with each country's national B05006 count fetched,
// XS03 is decided on birthplace, across the three possible readings.
func TestXS03Birthplace(t *testing.T) {
	moe := [3]float64{20000, 20000, 20000}
	for _, tc := range []struct {
		counts [3]float64
		want   assay.Verdict
	}{
		{[3]float64{1.4e6, 1.1e6, 0.8e6}, assay.Supported},        // largest, about 1.4 million
		{[3]float64{1.6e6, 1.1e6, 0.8e6}, assay.PartlySupported},  // largest, but not about 1.4 million
		{[3]float64{1.4e6, 1.39e6, 0.8e6}, assay.PartlySupported}, // lead within sampling error
		{[3]float64{1.0e6, 1.2e6, 0.8e6}, assay.Contradicted},     // Guatemala larger
	} {
		results, err := evaluate(context.Background(), fetched(t, []fetchedYear{{2017, tc.counts, moe, 325e6}}))
		if err != nil {
			t.Fatal(err)
		}
		r := results[slices.IndexFunc(results, func(r assay.ClaimResult) bool { return r.ID == "XS03" })]
		if r.Verdict != tc.want || !r.Synthetic || r.Value.V != tc.counts[0] || len(r.Inputs) != 3 {
			t.Errorf("%v: %s (synthetic %v, value %v, %d inputs), want %s: %s", tc.counts, r.Verdict, r.Synthetic, r.Value, len(r.Inputs), tc.want, r.Note)
		}
	}
}
