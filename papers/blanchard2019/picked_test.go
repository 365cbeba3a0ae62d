package blanchard2019

import (
	"slices"
	"testing"

	"github.com/assaylab/assay/study"
)

// TestPicked checks the metros a rule picked come in rank order, the
// dropped ones among them, from whichever outcome was sampled. The metros
// are SYNTHETIC: made-up codes and ranks.
func TestPicked(t *testing.T) {
	row := func(code string, rank int) study.Row { return study.Row{CBSA: code, Rank: rank} }
	violent := &RuleEstimate{Sample: &study.Sample{
		Rows:    []study.Row{row("90030", 3), row("90010", 1)},
		Dropped: []study.Drop{{Row: row("90020", 2), Reason: "the FBI did not publish it in 2012"}},
	}}
	murder := &RuleEstimate{Sample: &study.Sample{Rows: []study.Row{row("90050", 2), row("90040", 1)}}}
	for _, tc := range []struct {
		name string
		rr   RuleResult
		want []string
	}{
		{"violent sampled", RuleResult{Violent: violent, Murder: murder}, []string{"90010", "90020", "90030"}},
		{"murder only", RuleResult{Murder: murder}, []string{"90040", "90050"}},
		{"neither", RuleResult{}, nil},
	} {
		var got []string
		for _, r := range tc.rr.Picked() {
			got = append(got, r.CBSA)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: picked %v, want %v", tc.name, got, tc.want)
		}
	}
}
