package report

import (
	"testing"

	"github.com/assaylab/assay"
)

// TestCorrText checks a correlation is told with the p it is judged by
// (study.PValue's), named as such: the permutation p where there is one,
// else the analytic p.
func TestCorrText(t *testing.T) {
	f := assay.Finding{Estimate: assay.Some(-0.42), CILow: assay.Some(-0.71), CIHigh: assay.Some(-0.01), P: assay.Some(0.03)}
	perm := f
	perm.PermP = assay.Some(0.046)
	for _, tc := range []struct {
		name string
		f    assay.Finding
		want string
	}{
		{"permutation", perm, "r = -0.42 (95% CI -0.71 to -0.01), permutation p = 0.046"},
		{"analytic", f, "r = -0.42 (95% CI -0.71 to -0.01), p = 0.030"},
	} {
		if got := corrText(tc.f, 0.95); got != tc.want {
			t.Errorf("%s: corrText = %q, want %q", tc.name, got, tc.want)
		}
	}
}
