package stats

import (
	"context"
	"errors"
	"math"
	"testing"
)

func TestWildClusterBootstrapAgainstR(t *testing.T) {
	g := loadGolden(t)
	c := readCSV(t, "synth_wild.csv")
	cl := factorOf("g", c["g"])
	tests := []struct {
		key  string
		null float64
		fe   bool
	}{{"x0", 0, false}, {"x05", 0.5, false}, {"fe_x0", 0, true}}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			var ref struct {
				T, P, Estimate float64
				Reps           int
			}
			g.get(t, &ref, "wild", tc.key)
			d := Design{Y: c["y"], X: []Var{{"x", c["x"]}, {"z", c["z"]}}, Cluster: []Factor{cl}}
			if tc.fe {
				d.FE = []Factor{factorOf("f", c["f"])}
			}
			r, err := WildClusterBootstrap(d, WildOptions{Term: "x", Null: tc.null})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Enumerated || r.Reps != ref.Reps {
				t.Errorf("reps = %d enumerated = %v, want all %d sign patterns", r.Reps, r.Enumerated, ref.Reps)
			}
			checkClose(t, "estimate", r.Estimate, ref.Estimate, 1e-8)
			checkClose(t, "p", r.P, ref.P, 1e-12)
			if !tc.fe { // with FE, R's t counts the dummies in K; the p-value does not depend on K
				checkClose(t, "t", r.T, ref.T, 1e-8)
			}
			if !(r.CILow < r.Estimate && r.Estimate < r.CIHigh) {
				t.Errorf("interval [%g, %g] does not contain the estimate %g", r.CILow, r.CIHigh, r.Estimate)
			}
		})
	}
}

// The interval is the set of nulls the test does not reject: just inside an
// end the p-value exceeds 1 − level, just outside it does not.
func TestWildIntervalInvertsTheTest(t *testing.T) {
	c := readCSV(t, "synth_wild.csv")
	d := Design{Y: c["y"], X: []Var{{"x", c["x"]}, {"z", c["z"]}}, Cluster: []Factor{factorOf("g", c["g"])}}
	for _, weights := range []string{"rademacher", "webb"} {
		t.Run(weights, func(t *testing.T) {
			o := WildOptions{Term: "x", Weights: weights, Reps: 999, Seed: 3, Level: 0.9}
			r, err := WildClusterBootstrap(d, o)
			if err != nil {
				t.Fatal(err)
			}
			width := r.CIHigh - r.CILow
			for _, end := range []struct {
				b0, inward float64
			}{{r.CILow, 1}, {r.CIHigh, -1}} {
				o.Null = end.b0 + end.inward*1e-3*width
				in, _ := WildClusterBootstrap(d, o)
				o.Null = end.b0 - end.inward*1e-3*width
				out, _ := WildClusterBootstrap(d, o)
				if !(in.P > 0.1 && out.P <= 0.1) {
					t.Errorf("at end %g: p just inside %g, just outside %g; want > 0.1 and ≤ 0.1", end.b0, in.P, out.P)
				}
			}
			again, _ := WildClusterBootstrap(d, WildOptions{Term: "x", Weights: weights, Reps: 999, Seed: 3, Level: 0.9})
			if again.P != r.P || again.CILow != r.CILow {
				t.Errorf("same seed, different result")
			}
		})
	}
}

func TestPowerAgainstR(t *testing.T) {
	g := loadGolden(t)
	var ref struct {
		Power27    float64 `json:"power_27_03"`
		Power100   float64 `json:"power_100_02_01"`
		MDC27      float64 `json:"mdc_27"`
		MDC200     float64 `json:"mdc_200_09"`
		MDET, MDEZ float64
	}
	g.get(t, &ref, "power")
	var mde struct {
		T float64 `json:"mde_t"`
		Z float64 `json:"mde_z"`
	}
	g.get(t, &mde, "power")
	p, err := CorrelationPower(27, 0.3, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "power n=27 rho=.3", p, ref.Power27, 1e-10)
	p, _ = CorrelationPower(100, 0.2, 0.1)
	checkClose(t, "power n=100 rho=.2 alpha=.1", p, ref.Power100, 1e-10)
	m, err := MinDetectableCorrelation(27, 0.05, 0.8)
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "MDC n=27", m, ref.MDC27, 1e-9)
	m, _ = MinDetectableCorrelation(200, 0.01, 0.9)
	checkClose(t, "MDC n=200", m, ref.MDC200, 1e-9)
	e, _ := MinDetectableEffect(0.12, 25, 0.05, 0.8)
	checkClose(t, "MDE t(25)", e, mde.T, 1e-10)
	e, _ = MinDetectableEffect(0.12, 0, 0.05, 0.8)
	checkClose(t, "MDE normal", e, mde.Z, 1e-10)
	if _, err := MinDetectableCorrelation(3, 0.05, 0.8); err == nil {
		t.Error("n = 3 accepted")
	}
}

func TestAdjustAgainstR(t *testing.T) {
	g := loadGolden(t)
	var ref struct {
		P    []*float64 `json:"p"`
		BH   []*float64 `json:"bh"`
		Holm []*float64 `json:"holm"`
	}
	g.get(t, &ref, "adjust")
	val := func(v []*float64) []float64 {
		out := make([]float64, len(v))
		for i, p := range v {
			out[i] = math.NaN()
			if p != nil {
				out[i] = *p
			}
		}
		return out
	}
	p := val(ref.P)
	for name, got := range map[string][2][]float64{"BH": {BH(p), val(ref.BH)}, "Holm": {Holm(p), val(ref.Holm)}} {
		for i := range p {
			checkClose(t, name, got[0][i], got[1][i], 1e-12)
		}
	}
}

// The wild bootstrap refuses draw counts outside [MinWild, MaxWild], stops
// with the context's error once it is cancelled, and reports progress that
// ends at its total and never passes it.
func TestWildLimitsCancelProgress(t *testing.T) {
	c := readCSV(t, "synth_wild.csv")
	d := Design{Y: c["y"], X: []Var{{"x", c["x"]}, {"z", c["z"]}}, Cluster: []Factor{factorOf("g", c["g"])}}
	for _, reps := range []int{-5, 1, MinWild(0.95) - 1, MaxWild + 1} {
		_, err := WildClusterBootstrap(d, WildOptions{Term: "x", Reps: reps, Weights: "webb"})
		if !errors.Is(err, ErrReplications) {
			t.Errorf("Reps %d: error %v, want ErrReplications", reps, err)
		}
	}
	if _, err := WildClusterBootstrap(d, WildOptions{Term: "x", Reps: MinWild(0.95), Weights: "webb"}); err != nil {
		t.Errorf("Reps = MinWild: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	o := WildOptions{Term: "x", Reps: 999, Weights: "webb", Control: Control{Context: ctx}}
	if _, err := WildClusterBootstrap(d, o); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}
	var calls [][2]int
	o.Control = Control{Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }}
	if _, err := WildClusterBootstrap(d, o); err != nil {
		t.Fatal(err)
	}
	if len(calls) < 3 || calls[len(calls)-1] != [2]int{wildMaxEvals, wildMaxEvals} {
		t.Fatalf("progress calls %v, want several ending at (%d, %d)", calls, wildMaxEvals, wildMaxEvals)
	}
	for i, c := range calls[:len(calls)-1] {
		if c[0] != i || c[1] != wildMaxEvals {
			t.Errorf("progress call %d is %v, want (%d, %d)", i, c, i, wildMaxEvals)
		}
	}
}
