package stats

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
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

// CorrelateAll shares permutations and resamples among the coefficients; each
// result must be exactly what the coefficient's own function returns with the
// same options (compared as JSON, which writes every float exactly).
func TestCorrelateAllIdenticalToSeparateCalls(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 11))
	data := func(n, zeroWeights int) (x, y, w []float64) {
		x, y, w = make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(6)) + 0.1*rng.NormFloat64()
			y[i] = 0.4*x[i] + rng.NormFloat64()
			w[i] = 0.5 + rng.Float64()
			if i < zeroWeights {
				w[i] = 0
			}
		}
		y[n-1] = y[0] // a tie in y
		return x, y, w
	}
	all := []CorrKind{CorrPearson, CorrWeightedPearson, CorrSpearman, CorrKendall}
	tests := []struct {
		name        string
		n, zeroW    int
		kinds       []CorrKind
		o           CorrOptions
		exactShared bool // every kind's permutation test enumerates n!
	}{
		{"n = 8, exact, all four", 8, 0, all, CorrOptions{Perm: 1, Boot: 99, Seed: 3}, true},
		{"n = 9, exact, zero weights", 9, 2, all, CorrOptions{Perm: 1, Boot: 50, Seed: 4}, true},
		{"n = 12: weighted exact on 10 rows, the rest sampled", 12, 2, all, CorrOptions{Perm: 999, Boot: 99, Seed: 5}, false},
		{"n = 27, sampled, the multiverse's three", 27, 0, []CorrKind{CorrPearson, CorrWeightedPearson, CorrSpearman}, CorrOptions{Perm: 2000, Boot: 199, Seed: 6, Level: 0.9}, false},
		{"n = 27, order and repeats kept", 27, 3, []CorrKind{CorrKendall, CorrPearson, CorrKendall}, CorrOptions{Perm: 500, Seed: 7}, false},
		{"n = 304, sampled, all four", 304, 0, all, CorrOptions{Perm: 300, Boot: 40, Seed: 8}, false},
	}
	alone := map[CorrKind]func(x, y, w []float64, o CorrOptions) (Result, error){
		CorrPearson:         func(x, y, _ []float64, o CorrOptions) (Result, error) { return Pearson(x, y, o) },
		CorrWeightedPearson: WeightedPearson,
		CorrSpearman:        func(x, y, _ []float64, o CorrOptions) (Result, error) { return Spearman(x, y, o) },
		CorrKendall:         func(x, y, _ []float64, o CorrOptions) (Result, error) { return Kendall(x, y, o) },
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x, y, w := data(tc.n, tc.zeroW)
			rs, err := CorrelateAll(x, y, w, tc.kinds, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != len(tc.kinds) {
				t.Fatalf("%d results for %d kinds", len(rs), len(tc.kinds))
			}
			for i, k := range tc.kinds {
				want, err := alone[k](x, y, w, tc.o)
				if err != nil {
					t.Fatal(err)
				}
				if rs[i].Perm == nil || (tc.o.Boot > 0) != (rs[i].Boot != nil) {
					t.Fatalf("%v: permutation %v, bootstrap %v missing", k, rs[i].Perm, rs[i].Boot)
				}
				if tc.exactShared && !rs[i].Perm.Exact {
					t.Errorf("%v: permutation test not exact at n = %d", k, tc.n)
				}
				got, _ := json.Marshal(rs[i])
				exp, _ := json.Marshal(want)
				if string(got) != string(exp) {
					t.Errorf("%v differs from its own function:\nCorrelateAll %s\nalone        %s", k, got, exp)
				}
			}
		})
	}
}

func TestCorrelateAllErrors(t *testing.T) {
	x, y := []float64{1, 2, 3, 4, 5, 6}, []float64{2, 1, 4, 3, 6, 5}
	tests := []struct {
		name  string
		w     []float64
		kinds []CorrKind
		o     CorrOptions
		is    error
	}{
		{"no kinds", nil, nil, CorrOptions{}, nil},
		{"unknown kind", nil, []CorrKind{CorrKind(9)}, CorrOptions{}, nil},
		{"weighted without weights", nil, []CorrKind{CorrWeightedPearson}, CorrOptions{}, nil},
		{"too many permutations", nil, []CorrKind{CorrPearson}, CorrOptions{Perm: MaxPermutations + 1}, ErrReplications},
		{"negative permutations", nil, []CorrKind{CorrPearson}, CorrOptions{Perm: -1}, ErrReplications},
		{"too few resamples", nil, []CorrKind{CorrPearson}, CorrOptions{Boot: 3}, ErrReplications},
		{"too many resamples", nil, []CorrKind{CorrSpearman}, CorrOptions{Boot: MaxBootstrap + 1}, ErrReplications},
		{"level 1", nil, []CorrKind{CorrPearson}, CorrOptions{Level: 1}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CorrelateAll(x, y, tc.w, tc.kinds, tc.o)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q does not wrap %v", err, tc.is)
			}
		})
	}
}

// Correlations do not depend on the scale of the data, so values near the
// ends of float64's range must give what the same data give at ordinary
// magnitudes: bit for bit when rescaled by a power of two (exact), to
// rounding when by a power of ten.
func TestCorrelationExtremeMagnitudes(t *testing.T) {
	c := readCSV(t, "synth_corr.csv")
	x, y, w := c["x"], c["y"], c["w"]
	scale := func(v []float64, f func(float64) float64) []float64 {
		out := make([]float64, len(v))
		for i, a := range v {
			out[i] = f(a)
		}
		return out
	}
	pow2 := func(e int) func(float64) float64 { return func(a float64) float64 { return math.Ldexp(a, e) } }
	mul := func(m float64) func(float64) float64 { return func(a float64) float64 { return a * m } }
	tests := []struct {
		name  string
		f     func(float64) float64
		exact bool
	}{
		{"near ±1e308 (×2^1020)", pow2(1020), true},
		{"near ±1e308 (×1e307)", mul(1e307), false},
		// 2^-1010 keeps the smallest |x| (about 2^-10) a normal number,
		// so the scaled data are exact.
		{"near 1e-305 (×2^-1010)", pow2(-1010), true},
		{"near 1e-308 (×1e-308; the smallest values subnormal)", mul(1e-308), false},
	}
	o := CorrOptions{Perm: 999, Boot: 99, Seed: 2}
	kinds := []CorrKind{CorrPearson, CorrWeightedPearson, CorrSpearman, CorrKendall}
	want, err := CorrelateAll(x, y, w, kinds, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CorrelateAll(scale(x, tc.f), scale(y, tc.f), scale(w, tc.f), kinds, o)
			if err != nil {
				t.Fatal(err)
			}
			for i, k := range kinds {
				g, wt := got[i].Terms[0], want[i].Terms[0]
				if tc.exact {
					gj, _ := json.Marshal(got[i])
					wj, _ := json.Marshal(want[i])
					if string(gj) != string(wj) {
						t.Errorf("%v: %s\nwant %s", k, gj, wj)
					}
					continue
				}
				for _, v := range [][3]float64{{g.Estimate, wt.Estimate}, {g.P, wt.P}, {g.CILow, wt.CILow}, {g.CIHigh, wt.CIHigh}, {got[i].Perm.P, want[i].Perm.P}} {
					if math.IsNaN(v[0]) || math.Abs(v[0]-v[1]) > 1e-12*math.Max(1, math.Abs(v[1])) {
						t.Errorf("%v: %v, at ordinary magnitude %v", k, v[0], v[1])
					}
				}
			}
		})
	}
	// Mixed: x near the top of the range, y near the bottom.
	r, err := Pearson(scale(x, pow2(1020)), scale(y, pow2(-1010)), CorrOptions{})
	if err != nil || r.Terms[0].Estimate != want[0].Terms[0].Estimate {
		t.Errorf("x ×2^1020, y ×2^-1010: r = %v (%v), want %v", r.Terms[0].Estimate, err, want[0].Terms[0].Estimate)
	}
}

// A cancelled context stops the permutations and the bootstrap with the
// context's error; Progress sees done rise to the total.
func TestCorrelationCancelAndProgress(t *testing.T) {
	c := readCSV(t, "synth_corr.csv")
	x, y := c["x"], c["y"]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, o := range []CorrOptions{{Perm: MaxPermutations}, {Boot: MaxBootstrap}, {Perm: 1}} {
		o.Context = ctx
		xs, ys := x, y
		if o.Perm == 1 {
			xs, ys = x[:10], y[:10] // exact enumeration
		}
		if _, err := Kendall(xs, ys, o); !errors.Is(err, context.Canceled) {
			t.Errorf("%+v: error %v, want context.Canceled", o, err)
		}
	}
	var calls [][2]int
	o := CorrOptions{Perm: 3000, Control: Control{Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }}}
	if _, err := Pearson(x, y, o); err != nil {
		t.Fatal(err)
	}
	want := [][2]int{{0, 3000}, {1024, 3000}, {2048, 3000}, {3000, 3000}}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("progress calls %v, want %v", calls, want)
	}
}

// MinBootstrap is the fewest resamples whose percentile interval reads no
// extreme order statistic: at the minimum both endpoints interpolate
// between interior replicates; one fewer and an endpoint is the smallest or
// largest replicate.
func TestMinBootstrap(t *testing.T) {
	for _, tc := range []struct {
		level float64
		want  int
	}{{0.8, 10}, {0.9, 20}, {0.95, 40}, {0.99, 200}} {
		m := MinBootstrap(tc.level)
		if m != tc.want {
			t.Errorf("MinBootstrap(%g) = %d, want %d", tc.level, m, tc.want)
		}
		extreme := func(r int) bool {
			t := make([]float64, r)
			for i := range t {
				t[i] = float64(i)
			}
			lo, hi := normInter(t, (1-tc.level)/2), normInter(t, (1+tc.level)/2)
			return lo == 0 || hi == float64(r-1)
		}
		if extreme(m) || !extreme(m-1) {
			t.Errorf("level %g: extreme endpoint with %d resamples %v, with %d %v", tc.level, m, extreme(m), m-1, extreme(m-1))
		}
	}
	for _, tc := range []struct {
		level float64
		want  int
	}{{0.9, 9}, {0.95, 19}, {0.99, 99}} {
		if got := MinWild(tc.level); got != tc.want {
			t.Errorf("MinWild(%g) = %d, want %d", tc.level, got, tc.want)
		}
	}
}
