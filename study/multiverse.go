package study

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/parallel"
	"github.com/assaylab/assay/internal/textfmt"
	"github.com/assaylab/assay/stats"
)

// Multiverse is every combination of a study's alternatives (its
// specification curve): one finding per specification and estimator, and
// a summary. It is plain data for the report and the dashboard to chart.
type Multiverse struct {
	Dimensions []Dimension       `json:"dimensions"`
	Specs      []assay.Finding   `json:"specs"`
	Skipped    []Skipped         `json:"skipped,omitempty"`
	Summary    MultiverseSummary `json:"summary"`
	Synthetic  bool              `json:"synthetic,omitempty"`
}

// Dimension is one choice the multiverse varies, with its alternatives.
type Dimension struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// Skipped is a specification that could not be estimated, and why.
type Skipped struct {
	Spec      map[string]string `json:"spec"`
	Estimator string            `json:"estimator,omitempty"`
	Reason    string            `json:"reason"`
}

// MultiverseSummary condenses the specifications. A specification counts
// as significant when its p-value (the permutation p where there is one,
// else the analytic p) is below Alpha.
type MultiverseSummary struct {
	Specs            int       `json:"specs"`
	Skipped          int       `json:"skipped"`
	Alpha            float64   `json:"alpha"`
	Significant      int       `json:"significant"`
	ShareSignificant assay.Num `json:"share_significant"`
	Positive         int       `json:"positive"`
	Negative         int       `json:"negative"`
	// Correlation spreads the estimates of the correlation estimators
	// (Pearson, weighted Pearson, Spearman, Kendall), which share a scale;
	// regression slopes have the units of their measures and are
	// summarized per estimator only.
	Correlation Spread             `json:"correlation"`
	ByEstimator []EstimatorSummary `json:"by_estimator"`
}

// Spread is the distribution of a set of estimates.
type Spread struct {
	N      int       `json:"n"`
	Median assay.Num `json:"median"`
	Min    assay.Num `json:"min"`
	Max    assay.Num `json:"max"`
}

// EstimatorSummary is the summary of one estimator's specifications.
type EstimatorSummary struct {
	Estimator        string    `json:"estimator"`
	Specs            int       `json:"specs"`
	Significant      int       `json:"significant"`
	ShareSignificant assay.Num `json:"share_significant"`
	Estimate         Spread    `json:"estimate"`
}

// dimensions counts the grid's varied dimensions.
func (g Grid) dimensions() int {
	n := 0
	for _, l := range []int{len(g.Years), len(g.Source), len(g.Group), len(g.Measure), len(g.Offense), len(g.Change),
		len(g.Selection), len(g.Coverage), len(g.Weights), len(g.Estimators)} {
		if l > 0 {
			n++
		}
	}
	return n
}

// choices enumerates the grid's data choices in a fixed order.
func (s *Spec) choices() ([]Choice, []Dimension) {
	g := s.Grid
	years := orDefault(g.Years, s.Years)
	srcs := orDefault(g.Source, s.Immigrant.Source)
	groups := orDefault(g.Group, s.Immigrant.Group)
	meas := orDefault(g.Measure, s.Immigrant.Measure)
	offs := orDefault(g.Offense, s.Outcome.Offense)
	chs := orDefault(g.Change, s.Outcome.Change)
	sels := orDefault(g.Selection, s.Selection)
	covs := orDefault(g.Coverage, s.Coverage)
	dims := []Dimension{
		{"years", strs(years)}, {"source", textfmt.Strings(srcs)}, {"group", groups}, {"measure", textfmt.Strings(meas)}, {"offense", strs(offs)}, {"change", textfmt.Strings(chs)},
		{"selection", strs(sels)}, {"coverage", strs(covs)},
		{"weights", textfmt.Strings(s.weights())}, {"estimator", textfmt.Strings(s.estimators())},
	}
	var out []Choice
	for _, y := range years {
		for _, src := range srcs {
			for _, grp := range groups {
				for _, m := range meas {
					for _, o := range offs {
						for _, ch := range chs {
							for _, sel := range sels {
								for _, cov := range covs {
									out = append(out, Choice{Years: y, Source: src, Group: grp, Measure: m, Offense: o, Change: ch, Selection: sel, Coverage: cov, Exclude: s.Exclude})
								}
							}
						}
					}
				}
			}
		}
	}
	return out, dims
}

// weights and estimators are the grid's alternatives, or the study's own.
func (s *Spec) weights() []Weights { return orDefault(s.Grid.Weights, s.Estimation.Weights) }

func (s *Spec) estimators() []Estimator {
	if len(s.Grid.Estimators) > 0 {
		return s.Grid.Estimators
	}
	return s.Estimation.Estimators
}

func strs[T fmt.Stringer](v []T) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = x.String()
	}
	return out
}

// outcome of one data choice: its findings and skips.
type choiceOutcome struct {
	findings  []assay.Finding
	skipped   []Skipped
	synthetic bool
}

// multiverse runs every specification of the grid. Data choices run in
// parallel; the output order is the enumeration order whatever the
// scheduling, and each specification's seed depends only on its own key.
func (d *Data) multiverse(ctx context.Context, s *Spec) (*Multiverse, error) {
	chs, dims := s.choices()
	ests, weights := s.estimators(), s.weights()
	outs := make([]choiceOutcome, len(chs))
	progress := ProgressOf(ctx)
	err := parallel.Do(ctx, len(chs), func(i int) error {
		var err error
		outs[i], err = d.runChoice(ctx, s, chs[i], ests, weights)
		return err
	}, func(_, done int) { progress("multiverse "+s.Name, done, len(chs)) })
	if err != nil {
		return nil, err
	}
	m := &Multiverse{Dimensions: dims}
	for _, o := range outs {
		m.Specs = append(m.Specs, o.findings...)
		m.Skipped = append(m.Skipped, o.skipped...)
		m.Synthetic = m.Synthetic || o.synthetic
	}
	m.Summary = summarize(m.Specs, len(m.Skipped))
	return m, nil
}

// runChoice builds one data choice's sample and runs every estimator and
// weighting on it, each effective combination once.
func (d *Data) runChoice(ctx context.Context, s *Spec, c Choice, ests []Estimator, weights []Weights) (choiceOutcome, error) {
	var out choiceOutcome
	vintage := d.Vintage()
	smp, err := d.Sample(c)
	var missing *MissingOriginError
	switch {
	case errors.As(err, &missing):
		out.skipped = append(out.skipped, Skipped{Spec: specMap(c, vintage, ""), Reason: missing.short()})
		return out, nil
	case err != nil:
		return out, err
	case len(smp.Rows) < MinMetros:
		out.skipped = append(out.skipped, Skipped{Spec: specMap(c, vintage, ""), Reason: fmt.Sprintf("only %d metros", len(smp.Rows))})
		return out, nil
	}
	out.synthetic = smp.Synthetic
	f := NewFitter(smp, Inference{Level: s.Estimation.Level, Perm: s.Grid.Permutations, Seed: SpecSeed(s.Estimation.Seed, smp.SeedKey(c)),
		Control: stats.Control{Context: ctx}})
	// A coefficient Prepare cannot compute fails again below, alone, and is
	// skipped with its reason; the others still share their draws.
	_ = f.Prepare(ests, weights)
	type done struct {
		e Estimator
		w Weights
	}
	var seen []done
	for _, e := range ests {
		for _, w := range weights {
			ee, ew := effective(e, w)
			if k := (done{ee, ew}); slices.Contains(seen, k) {
				continue
			} else {
				seen = append(seen, k)
			}
			fd, err := f.Finding(s.Name, c, vintage, e, w)
			if err != nil {
				out.skipped = append(out.skipped, Skipped{Spec: specMap(c, vintage, ew), Estimator: estimatorName(ee, ew), Reason: err.Error()})
				continue
			}
			out.findings = append(out.findings, fd)
		}
	}
	return out, nil
}

// Filter returns the findings (and skips) that make the given choice on
// each named dimension ("offense": "murder") and, unless estimator is
// empty, come from that estimator (a Finding.Estimator: "spearman",
// "wls_hc3"), with their summary; the dimensions still list every
// alternative.
func (m *Multiverse) Filter(choice map[string]string, estimator string) *Multiverse {
	keep := func(spec map[string]string, est string) bool {
		if estimator != "" && est != estimator {
			return false
		}
		for dim, v := range choice {
			if spec[dim] != v {
				return false
			}
		}
		return true
	}
	out := &Multiverse{Dimensions: m.Dimensions, Synthetic: m.Synthetic}
	for _, f := range m.Specs {
		if keep(f.Spec, f.Estimator) {
			out.Specs = append(out.Specs, f)
		}
	}
	for _, s := range m.Skipped {
		// A skip without an estimator is a sample none could use.
		if keep(s.Spec, cmp.Or(s.Estimator, estimator)) {
			out.Skipped = append(out.Skipped, s)
		}
	}
	out.Summary = summarize(out.Specs, len(out.Skipped))
	return out
}

func isCorrelation(estimator string) bool {
	switch estimator {
	case "pearson", "weighted_pearson", "spearman", "kendall":
		return true
	}
	return false
}

func summarize(specs []assay.Finding, skipped int) MultiverseSummary {
	s := MultiverseSummary{Specs: len(specs), Skipped: skipped, Alpha: Alpha}
	var corr []float64
	byEst := map[string][]assay.Finding{}
	var order []string
	for _, f := range specs {
		if p := PValue(f); p.Valid && p.V < Alpha {
			s.Significant++
		}
		if f.Estimate.Valid {
			switch {
			case f.Estimate.V > 0:
				s.Positive++
			case f.Estimate.V < 0:
				s.Negative++
			}
			if isCorrelation(f.Estimator) {
				corr = append(corr, f.Estimate.V)
			}
		}
		if _, ok := byEst[f.Estimator]; !ok {
			order = append(order, f.Estimator)
		}
		byEst[f.Estimator] = append(byEst[f.Estimator], f)
	}
	s.ShareSignificant = share(s.Significant, s.Specs)
	s.Correlation = spread(corr)
	for _, e := range order {
		fs := byEst[e]
		es := EstimatorSummary{Estimator: e, Specs: len(fs)}
		var v []float64
		for _, f := range fs {
			if p := PValue(f); p.Valid && p.V < Alpha {
				es.Significant++
			}
			if f.Estimate.Valid {
				v = append(v, f.Estimate.V)
			}
		}
		es.ShareSignificant = share(es.Significant, es.Specs)
		es.Estimate = spread(v)
		s.ByEstimator = append(s.ByEstimator, es)
	}
	return s
}

func share(k, n int) assay.Num {
	if n == 0 {
		return assay.Null
	}
	return assay.Some(float64(k) / float64(n))
}

func spread(v []float64) Spread {
	if len(v) == 0 {
		return Spread{}
	}
	v = slices.Clone(v)
	slices.Sort(v)
	med := v[len(v)/2]
	if len(v)%2 == 0 {
		med = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return Spread{N: len(v), Median: assay.Some(med), Min: assay.Some(v[0]), Max: assay.Some(v[len(v)-1])}
}
