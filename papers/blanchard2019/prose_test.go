package blanchard2019

import (
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/stats"
)

// The tests here cover both branches of every sentence whose claim
// depends on the data, with invented figures.

func TestSerialNote(t *testing.T) {
	fit := func(lo, hi, rho, hacLo, hacHi float64) trendFit {
		return trendFit{Finding: assay.Finding{Estimate: assay.Some((lo + hi) / 2), CILow: assay.Some(lo), CIHigh: assay.Some(hi)},
			Rho: rho, HAC: stats.Term{CILow: hacLo, CIHigh: hacHi}, Lag: 2}
	}
	for _, tc := range []struct {
		name string
		fit  trendFit
		want []string
		not  []string
	}{
		{"no positive autocorrelation", fit(-9, -7, -0.1, -9.5, -6.5), []string{"not positively serially correlated (lag-1 -0.10)", "-9.50 to -6.50"}, []string{"too narrow"}},
		{"autocorrelated, HC1 interval across zero", fit(-2, 1, 0.6, -3, 2), []string{"serially correlated (lag-1 0.60)"}, []string{"too narrow", "excludes"}},
		{"autocorrelated, the fall survives", fit(-9, -7, 0.7, -10, -6), []string{"too narrow", "still excludes zero", "does not rest on HC1"}, []string{"includes zero"}},
		{"autocorrelated, the fall does not survive", fit(-9, -7, 0.7, -12, 1), []string{"too narrow", "which includes zero", "only the too-narrow interval"}, []string{"still excludes"}},
		{"a rise that survives", fit(2, 4, 0.5, 1, 5), []string{"still excludes zero"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := serialNote(tc.fit, "rate", 2000, 2017)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("%q says %q", got, w)
				}
			}
		})
	}
}

func TestRapeDefinitionNote(t *testing.T) {
	if got := rapeDefinitionNote(2000, 2017, -8); !strings.Contains(got, "From 2013") || !strings.Contains(got, "fall is if anything understated") {
		t.Errorf("a fall across 2013: %q", got)
	}
	if got := rapeDefinitionNote(2000, 2017, 3); !strings.Contains(got, "part of the measured rise is definitional") || strings.Contains(got, "understated") {
		t.Errorf("a rise across 2013: %q", got)
	}
	if got := rapeDefinitionNote(2000, 2010, -8); got != "" {
		t.Errorf("years before 2013 only: %q", got)
	}
}

func TestOwnCountNote(t *testing.T) {
	count := figure{Text: "3.4 million", Value: 3.4e6}
	limit := figure{Text: "1%", Value: 0.01}
	if got := ownCountNote(count, limit, 325e6); !strings.Contains(got, "1.05% of the same population, not below 1%: the two claims cannot both hold") {
		t.Errorf("above the limit: %q", got)
	}
	if got := ownCountNote(count, limit, 400e6); !strings.Contains(got, "0.85% of the same population, below 1%: the two claims agree") {
		t.Errorf("below the limit: %q", got)
	}
}

func TestDefinitionEffect(t *testing.T) {
	stated := figure{Text: "1.2 million", Value: 1.2e6, Half: 0.05e6}
	if got := definitionEffect(stated, 7.4e6, 0.1e6); got != "too little to change the verdict" {
		t.Errorf("far from the figure: %q", got)
	}
	if got := definitionEffect(stated, 1.3e6, 0.06e6); got != "enough to change the verdict" {
		t.Errorf("the difference crosses the figure's rounding: %q", got)
	}
}
