package blanchard2019

import "github.com/assaylab/assay/study"

// Picked lists the metros the rule picked, in its ranking's order, those
// left out of the sample (with the reason in the sample's Dropped) among
// them: the report draws each one's crime series. Nil when neither outcome
// could be sampled.
func (rr *RuleResult) Picked() []study.Row {
	for _, e := range []*RuleEstimate{rr.Violent, rr.Murder} {
		if e != nil {
			return selected(e.Sample)
		}
	}
	return nil
}
