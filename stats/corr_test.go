package stats

import (
	"math"
	"testing"
)

type corrRef struct {
	Estimate float64   `json:"estimate"`
	Stat     float64   `json:"stat"`
	P        float64   `json:"p"`
	CI       []float64 `json:"ci"`
	N        int       `json:"n"`
}

func TestCorrelationsAgainstR(t *testing.T) {
	g := loadGolden(t)
	c := readCSV(t, "synth_corr.csv")
	type corrFunc func(x, y []float64, o CorrOptions) (Result, error)
	tests := []struct {
		name   string
		fn     corrFunc
		x, y   string
		hasCI  bool
		isStat bool // R's statistic is ours (t or z); Spearman's S is not
	}{
		{"pearson", Pearson, "x", "y", true, true},
		{"spearman", Spearman, "x", "y", true, false},
		{"kendall", Kendall, "x", "y", true, true},
		{"pearson", Pearson, "xt", "yt", true, true},
		{"spearman", Spearman, "xt", "yt", true, false},
		{"kendall", Kendall, "xt", "yt", true, true},
	}
	for _, tc := range tests {
		key := tc.name + "_" + tc.x + "_" + tc.y
		t.Run(key, func(t *testing.T) {
			var ref corrRef
			g.get(t, &ref, key)
			r, err := tc.fn(c[tc.x], c[tc.y], CorrOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := r.Terms[0]
			checkClose(t, "estimate", got.Estimate, ref.Estimate, 1e-8)
			checkClose(t, "p", got.P, ref.P, 1e-8)
			if tc.isStat {
				checkClose(t, "stat", got.Stat, ref.Stat, 1e-8)
			}
			checkClose(t, "ci_low", got.CILow, ref.CI[0], 1e-8)
			checkClose(t, "ci_high", got.CIHigh, ref.CI[1], 1e-8)
		})
	}
	t.Run("weighted pearson with zero weights", func(t *testing.T) {
		var ref corrRef
		g.get(t, &ref, "weighted_pearson")
		r, err := WeightedPearson(c["x"], c["y"], c["w"], CorrOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := r.Terms[0]
		checkClose(t, "estimate", got.Estimate, ref.Estimate, 1e-8)
		checkClose(t, "t", got.Stat, ref.Stat, 1e-8)
		checkClose(t, "p", got.P, ref.P, 1e-8)
		checkClose(t, "ci_low", got.CILow, ref.CI[0], 1e-8)
		checkClose(t, "ci_high", got.CIHigh, ref.CI[1], 1e-8)
		if r.N != ref.N {
			t.Errorf("n = %d, want %d positive weights", r.N, ref.N)
		}
	})
}

func TestExactPermutationAgainstR(t *testing.T) {
	g := loadGolden(t)
	c := readCSV(t, "synth_small.csv")
	var ref struct {
		Pearson, Spearman, Kendall float64
		Reps                       int
	}
	g.get(t, &ref, "perm_exact")
	for _, tc := range []struct {
		name string
		fn   func(x, y []float64, o CorrOptions) (Result, error)
		want float64
	}{{"pearson", Pearson, ref.Pearson}, {"spearman", Spearman, ref.Spearman}, {"kendall", Kendall, ref.Kendall}} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.fn(c["x"], c["y"], CorrOptions{Perm: 1})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Perm.Exact || r.Perm.Reps != ref.Reps {
				t.Errorf("permutation = %+v, want exact over %d orderings", r.Perm, ref.Reps)
			}
			checkClose(t, "exact permutation p", r.Perm.P, tc.want, 1e-12)
		})
	}
}

// The Monte Carlo p-value is seeded: the same seed gives the same p on every
// run, and with enough shuffles it lands near the exact p.
func TestMonteCarloPermutation(t *testing.T) {
	c := readCSV(t, "synth_corr.csv")
	x, y := c["x"][:12], c["y"][:12] // n = 12 > ExactPermMax: sampled
	a, err := Pearson(x, y, CorrOptions{Perm: 20000, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Pearson(x, y, CorrOptions{Perm: 20000, Seed: 42})
	other, _ := Pearson(x, y, CorrOptions{Perm: 20000, Seed: 43})
	if a.Perm.Exact || a.Perm.Reps != 20000 {
		t.Fatalf("permutation = %+v, want 20000 sampled", a.Perm)
	}
	if a.Perm.P != b.Perm.P {
		t.Errorf("same seed gave p %g and %g", a.Perm.P, b.Perm.P)
	}
	if a.Perm.P == other.Perm.P {
		t.Errorf("seeds 42 and 43 gave the same p %g; the seed is not used", a.Perm.P)
	}
	// Against the parametric p (the t test is accurate for near-normal
	// data): within 4 Monte Carlo standard errors plus a small-sample margin.
	tp := a.Terms[0].P
	se := math.Sqrt(tp * (1 - tp) / 20000)
	if math.Abs(a.Perm.P-tp) > 4*se+0.02 {
		t.Errorf("Monte Carlo p %g far from t-test p %g", a.Perm.P, tp)
	}
	// The (b+1)/(R+1) rule: p is never zero.
	perfect := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	r, _ := Pearson(perfect, perfect, CorrOptions{Perm: 99, Seed: 1})
	if r.Perm.P != 1.0/100 {
		t.Errorf("p for a perfect correlation with 99 shuffles = %g, want 1/100", r.Perm.P)
	}
}

func TestBootstrapIntervalsAgainstR(t *testing.T) {
	g := loadGolden(t)
	c := readCSV(t, "synth_corr.csv")
	var ref struct {
		Indices    [][]int   `json:"indices"`
		Level      float64   `json:"level"`
		T0         float64   `json:"t0"`
		Percentile []float64 `json:"percentile"`
		BCa        []float64 `json:"bca"`
	}
	g.get(t, &ref, "boot")
	x, y := c["x"], c["y"]
	stat := func(rows []int) (float64, bool) {
		xs, ys := make([]float64, len(rows)), make([]float64, len(rows))
		for i, r := range rows {
			xs[i], ys[i] = x[r], y[r]
		}
		v, err := pearsonR(xs, ys)
		return v, err == nil
	}
	bs, err := resample(len(x), len(ref.Indices), fixedRows(ref.Indices), []BootStat{stat}, []float64{ref.T0}, ref.Level, Control{})
	if err != nil {
		t.Fatal(err)
	}
	b := bs[0]
	checkClose(t, "percentile low", b.PercentLow, ref.Percentile[0], 1e-8)
	checkClose(t, "percentile high", b.PercentHi, ref.Percentile[1], 1e-8)
	checkClose(t, "BCa low", b.BCaLow, ref.BCa[0], 1e-8)
	checkClose(t, "BCa high", b.BCaHigh, ref.BCa[1], 1e-8)

	r, err := Pearson(x, y, CorrOptions{Boot: 999, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := Pearson(x, y, CorrOptions{Boot: 999, Seed: 5})
	if *r.Boot != *r2.Boot {
		t.Errorf("same seed, different bootstrap: %+v vs %+v", r.Boot, r2.Boot)
	}
	est := r.Terms[0].Estimate
	if !(r.Boot.PercentLow < est && est < r.Boot.PercentHi && r.Boot.BCaLow < est && est < r.Boot.BCaHigh) {
		t.Errorf("bootstrap intervals %+v do not contain the estimate %g", r.Boot, est)
	}
}

func TestCorrelationErrors(t *testing.T) {
	tests := []struct {
		name string
		fn   func() (Result, error)
	}{
		{"constant x", func() (Result, error) {
			return Pearson([]float64{1, 1, 1, 1, 1}, []float64{1, 2, 3, 4, 6}, CorrOptions{})
		}},
		{"constant y kendall", func() (Result, error) {
			return Kendall([]float64{1, 2, 3, 4, 6}, []float64{2, 2, 2, 2, 2}, CorrOptions{})
		}},
		{"length mismatch", func() (Result, error) { return Spearman([]float64{1, 2, 3, 4, 5}, []float64{1, 2}, CorrOptions{}) }},
		{"NaN", func() (Result, error) {
			return Pearson([]float64{1, 2, math.NaN(), 4, 5}, []float64{1, 2, 3, 4, 5}, CorrOptions{})
		}},
		{"negative weight", func() (Result, error) {
			return WeightedPearson([]float64{1, 2, 3, 4, 5}, []float64{1, 3, 2, 4, 5}, []float64{1, 1, -1, 1, 1}, CorrOptions{})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.fn(); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestLeaveOneOut(t *testing.T) {
	c := readCSV(t, "synth_corr.csv")
	x, y := c["x"], c["y"]
	loo, err := LeaveOneOut(x, y, Pearson)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Pearson(x[1:], y[1:], CorrOptions{})
	if loo[0] != want.Terms[0].Estimate {
		t.Errorf("without the first row r = %g, want %g", loo[0], want.Terms[0].Estimate)
	}
	if len(loo) != len(x) {
		t.Errorf("%d leave-one-out values for %d rows", len(loo), len(x))
	}
}

// fixedRows replays given resamples, in order, as resample's draw.
func fixedRows(idx [][]int) func(rows []int) {
	r := 0
	return func(rows []int) {
		copy(rows, idx[r])
		r++
	}
}
