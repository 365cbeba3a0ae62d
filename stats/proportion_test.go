package stats

import (
	"fmt"
	"testing"
)

func TestProportionIntervalsAgainstR(t *testing.T) {
	var ref struct {
		K, N       []int
		Level      []float64
		WilsonLow  []float64 `json:"wilson_low"`
		WilsonHigh []float64 `json:"wilson_high"`
		CPLow      []float64 `json:"cp_low"`
		CPHigh     []float64 `json:"cp_high"`
	}
	loadGolden(t).get(t, &ref, "proportions")
	if len(ref.K) == 0 {
		t.Fatal("empty reference")
	}
	for i, k := range ref.K {
		n, level := ref.N[i], ref.Level[i]
		wl, wh, err := Wilson(k, n, level)
		if err != nil {
			t.Fatal(err)
		}
		cl, ch, err := ClopperPearson(k, n, level)
		if err != nil {
			t.Fatal(err)
		}
		what := func(s string) string { return fmt.Sprintf("%s %d/%d at %g", s, k, n, level) }
		// The ends: exactly 0 and 1, as R gives them.
		checkClose(t, what("Wilson low"), wl, ref.WilsonLow[i], 1e-12)
		checkClose(t, what("Wilson high"), wh, ref.WilsonHigh[i], 1e-12)
		checkClose(t, what("Clopper-Pearson low"), cl, ref.CPLow[i], 1e-10)
		checkClose(t, what("Clopper-Pearson high"), ch, ref.CPHigh[i], 1e-10)
		if (k == 0) != (wl == 0 && cl == 0) || (k == n) != (wh == 1 && ch == 1) {
			t.Errorf("%d/%d: Wilson [%g, %g], Clopper-Pearson [%g, %g]: an end is not exact", k, n, wl, wh, cl, ch)
		}
	}
}

func TestProportionErrors(t *testing.T) {
	for _, tc := range []struct {
		k, n  int
		level float64
	}{{-1, 10, 0.95}, {11, 10, 0.95}, {0, 0, 0.95}, {3, 10, 0}, {3, 10, 1}} {
		if _, _, err := Wilson(tc.k, tc.n, tc.level); err == nil {
			t.Errorf("Wilson(%d, %d, %g): no error", tc.k, tc.n, tc.level)
		}
		if _, _, err := ClopperPearson(tc.k, tc.n, tc.level); err == nil {
			t.Errorf("ClopperPearson(%d, %d, %g): no error", tc.k, tc.n, tc.level)
		}
	}
}
