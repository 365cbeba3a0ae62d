package study

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/census"
	"github.com/assaylab/assay/stats"
)

// Result is everything a study found: the sample, one finding per
// estimator, influence and power diagnostics, the panel and the multiverse.
type Result struct {
	Spec     *Spec           `json:"spec"`
	Measure  string          `json:"measure"` // the immigrant measure (X), in words
	Outcome  string          `json:"outcome"` // the crime outcome (Y), in words
	Sample   *Sample         `json:"sample"`
	Findings []assay.Finding `json:"findings"`
	// Influence and Power are about Pearson's r on the study's sample.
	Influence  *Influence   `json:"influence,omitempty"`
	Power      *Power       `json:"power,omitempty"`
	Panel      *PanelResult `json:"panel,omitempty"`
	Multiverse *Multiverse  `json:"multiverse,omitempty"`
	Notes      []string     `json:"notes,omitempty"`
	// Synthetic is set when any input came from the test generator: the
	// result is then a test artefact, never a finding.
	Synthetic bool `json:"synthetic,omitempty"`
}

// Influence says how much single metros move the result.
type Influence struct {
	R      float64 `json:"r"`
	LOOMin float64 `json:"loo_min"` // smallest r with one metro left out
	LOOMax float64 `json:"loo_max"`
	// ByShift are the metros whose removal moves r most, ByCook those with
	// the largest Cook's distance in the OLS fit; five of each at most.
	ByShift []Influential `json:"by_shift"`
	ByCook  []Influential `json:"by_cook"`
	// CookOver counts metros with Cook's distance above 4/n.
	CookOver int `json:"cook_over"`
}

// Influential is one metro's pull on the estimate.
type Influential struct {
	CBSA     string  `json:"cbsa"`
	Title    string  `json:"title"`
	RWithout float64 `json:"r_without"`
	Shift    float64 `json:"shift"`   // RWithout − R
	DFBeta   float64 `json:"dfbeta"`  // how much the OLS slope falls when it is left out
	Cook     float64 `json:"cooks_d"` // Cook's distance
}

// Power compares what the study's n and the paper's n can detect.
type Power struct {
	Alpha  float64 `json:"alpha"`
	Target float64 `json:"target_power"`
	N      int     `json:"n"`
	// MDC is the smallest |r| detected with the target power.
	MDC      float64 `json:"mdc"`
	PaperN   int     `json:"paper_n"`
	PaperMDC float64 `json:"paper_mdc"`
	// R is the study's Pearson r; PowerN and PowerPaperN the chance that
	// n and PaperN metros detect a true correlation that large.
	R           float64 `json:"r"`
	PowerN      float64 `json:"power_n"`
	PowerPaperN float64 `json:"power_paper_n"`
}

// choice returns the study's own specification.
func (s *Spec) choice() (choice, error) {
	o, err := assay.ParseOffense(s.Outcome.Offense)
	if err != nil {
		return choice{}, err
	}
	return choice{Years: s.Years, Source: s.Immigrant.Source, Group: s.Immigrant.Group, Measure: s.Immigrant.Measure,
		Offense: o, Change: s.Outcome.Change, Selection: s.Selection, Coverage: s.Coverage}, nil
}

func (s *Spec) inference() inference {
	e := s.Estimation
	return inference{level: e.Level, perm: e.Permutations, boot: e.Bootstrap, seed: e.Seed}
}

// specMap records a specification's choice on every dimension.
func specMap(c choice, vintage, weights string) map[string]string {
	return map[string]string{"years": c.Years.String(), "vintage": vintage, "source": c.Source, "group": c.Group,
		"measure": c.Measure, "offense": c.Offense.Key(), "change": c.Change, "selection": c.Selection.String(),
		"coverage": c.Coverage.String(), "weights": weights}
}

// finding runs one estimator on a sample and labels the result.
func finding(study string, c choice, vintage string, s *Sample, f *fitter, estimator, weights string) (assay.Finding, error) {
	est, w := effective(estimator, weights)
	fd, err := f.fit(est, w, c.Measure)
	if err != nil {
		return assay.Finding{}, err
	}
	fd.Study = study
	fd.Label = fmt.Sprintf("%s %s vs %s %s, %s, %s", c.Offense.Key(), c.Change, groupWord(c.Source, c.Group), c.Measure, c.Years, c.Selection)
	fd.Spec = specMap(c, vintage, w)
	fd.Synthetic = s.Synthetic
	if n := rapeNote(c.Offense, c.Years.Base, c.Years.End); n != "" {
		fd.Notes = append(fd.Notes, n)
	}
	if c.Source == Bundled {
		fd.Notes = append(fd.Notes, "immigrant measure: the all-foreign-born share (any country of birth), not the NTCA-born share")
	}
	return fd, nil
}

// Run carries out a study on a dataset.
func Run(ctx context.Context, ds *assay.Dataset, s *Spec) (*Result, error) {
	ds, err := withGroups(ds, s)
	if err != nil {
		return nil, err
	}
	d, err := newData(ds, s.Vintage)
	if err != nil {
		return nil, err
	}
	vintage := d.panel.Vintage
	c, err := s.choice()
	if err != nil {
		return nil, err
	}
	smp, err := d.sample(c)
	if err != nil {
		return nil, err
	}
	if len(smp.Rows) < minMetros {
		return nil, fmt.Errorf("study %s: only %d metros have every measure (%d dropped): too few to estimate anything", s.Name, len(smp.Rows), len(smp.Dropped))
	}
	res := &Result{Spec: s, Measure: measureLabel(c), Outcome: outcomeLabel(c.Offense, c.Change, c.Years), Sample: smp, Synthetic: smp.Synthetic}
	if n := rapeNote(c.Offense, c.Years.Base, c.Years.End); n != "" {
		res.Notes = append(res.Notes, n)
	}
	if c.Source == Bundled {
		res.Notes = append(res.Notes, "the immigrant measure is the share of residents born abroad in any country, summed from county ACS 5-year estimates; it is not the NTCA-born share the 2019 paper used (that needs fetched B05006)")
	}
	f := newFitter(smp, s.inference())
	for _, e := range s.Estimation.Estimators {
		fd, err := finding(s.Name, c, vintage, smp, f, e, s.Estimation.Weights)
		if err != nil {
			return nil, fmt.Errorf("study %s estimator %s: %w", s.Name, e, err)
		}
		res.Findings = append(res.Findings, fd)
	}
	if res.Influence, err = influence(smp); err != nil {
		return nil, fmt.Errorf("study %s influence: %w", s.Name, err)
	}
	if res.Power, err = power(len(smp.Rows), s.Estimation.PowerN, res.Influence.R); err != nil {
		return nil, fmt.Errorf("study %s power: %w", s.Name, err)
	}
	if s.Panel != nil {
		if res.Panel, err = d.runPanel(s); err != nil {
			return nil, fmt.Errorf("study %s panel: %w", s.Name, err)
		}
		res.Synthetic = res.Synthetic || res.Panel.Synthetic
	}
	if s.Grid.dimensions() > 0 {
		if res.Multiverse, err = d.multiverse(ctx, s); err != nil {
			return nil, fmt.Errorf("study %s multiverse: %w", s.Name, err)
		}
		res.Synthetic = res.Synthetic || res.Multiverse.Synthetic
	}
	return res, nil
}

// withGroups adds the counts of a study's own origin groups, computed from
// its fetched files, to a copy of the dataset.
func withGroups(ds *assay.Dataset, s *Spec) (*assay.Dataset, error) {
	im := s.Immigrant
	if im.GroupsFile == "" {
		return ds, nil
	}
	groups, err := census.ReadGroupsFile(s.resolve(im.GroupsFile))
	if err != nil {
		return nil, err
	}
	counts, _, _, err := census.LoadOriginCounts(s.resolve(im.CensusDir), "census", groups)
	if err != nil {
		return nil, fmt.Errorf("study %s census_dir: %w", s.Name, err)
	}
	out := *ds
	out.OriginCounts = append(slices.Clip(ds.OriginCounts), counts...)
	return &out, nil
}

// topInfluential is how many metros each influence list names.
const topInfluential = 5

func influence(s *Sample) (*Influence, error) {
	x, y, _ := s.columns()
	full, err := stats.Pearson(x, y, stats.CorrOptions{})
	if err != nil {
		return nil, err
	}
	loo, err := stats.LeaveOneOut(x, y, stats.Pearson)
	if err != nil {
		return nil, err
	}
	inf, err := stats.Influence(stats.Design{Y: y, X: []stats.Var{{Name: "x", Values: x}}})
	if err != nil {
		return nil, err
	}
	r := full.Terms[0].Estimate
	out := &Influence{R: r, LOOMin: slices.Min(loo), LOOMax: slices.Max(loo)}
	all := make([]Influential, len(s.Rows))
	cut := 4 / float64(len(s.Rows))
	for i, row := range s.Rows {
		all[i] = Influential{CBSA: row.CBSA, Title: row.Title, RWithout: loo[i], Shift: loo[i] - r, DFBeta: inf.DFBeta[i][1], Cook: inf.Cook[i]}
		if inf.Cook[i] > cut {
			out.CookOver++
		}
	}
	top := func(key func(Influential) float64) []Influential {
		v := slices.Clone(all)
		slices.SortStableFunc(v, func(a, b Influential) int { return cmp.Compare(key(b), key(a)) })
		return v[:min(topInfluential, len(v))]
	}
	out.ByShift = top(func(m Influential) float64 { return math.Abs(m.Shift) })
	out.ByCook = top(func(m Influential) float64 { return m.Cook })
	return out, nil
}

// The conventional test level and power target.
const (
	alpha       = 0.05
	targetPower = 0.8
)

func power(n, paperN int, r float64) (*Power, error) {
	p := &Power{Alpha: alpha, Target: targetPower, N: n, PaperN: paperN, R: r}
	var err error
	if p.MDC, err = stats.MinDetectableCorrelation(n, alpha, targetPower); err != nil {
		return nil, err
	}
	if p.PaperMDC, err = stats.MinDetectableCorrelation(paperN, alpha, targetPower); err != nil {
		return nil, err
	}
	if p.PowerN, err = stats.CorrelationPower(n, r, alpha); err != nil {
		return nil, err
	}
	if p.PowerPaperN, err = stats.CorrelationPower(paperN, r, alpha); err != nil {
		return nil, err
	}
	return p, nil
}
