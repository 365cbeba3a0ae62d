package study

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/assaylab/assay"
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
	// Line is the OLS fit of Y on X with its confidence band.
	Line []LinePoint `json:"line"`
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
	// Curve is the MDC for every number of metros up to the larger of N
	// and PaperN.
	Curve []PowerPoint `json:"curve"`
}

// Choice returns the study's own specification.
func (s *Spec) Choice() Choice {
	return Choice{Years: s.Years, Source: s.Immigrant.Source, Group: s.Immigrant.Group, Measure: s.Immigrant.Measure,
		Offense: s.Outcome.Offense, Change: s.Outcome.Change, Selection: s.Selection, Coverage: s.Coverage, Exclude: s.Exclude}
}

func (s *Spec) inference(ctx context.Context) Inference {
	e := s.Estimation
	return Inference{Level: e.Level, Perm: e.Permutations, Boot: e.Bootstrap, Seed: e.Seed, Control: stats.Control{Context: ctx}}
}

type progressKey struct{}

// WithProgress returns a context under which Run and the multiverse report
// how far they are (a label, done of total); the command line draws it on a
// terminal.
func WithProgress(ctx context.Context, f func(label string, done, total int)) context.Context {
	return context.WithValue(ctx, progressKey{}, f)
}

// ProgressOf is the reporter WithProgress put in ctx, or one that hears
// nothing: packages built on the engine (a paper's reproduction) report
// through the same context, so a command wires one bar for all of them.
func ProgressOf(ctx context.Context) func(label string, done, total int) {
	f, _ := ctx.Value(progressKey{}).(func(string, int, int))
	if f == nil {
		return func(string, int, int) {}
	}
	return f
}

// ErrTooFew is a study whose choices leave fewer than MinMetros metros
// with every measure: valid choices the data cannot answer.
var ErrTooFew = errors.New("too few to estimate anything")

// Run carries out a study on a dataset.
func Run(ctx context.Context, ds *assay.Dataset, s *Spec) (*Result, error) {
	d, err := NewData(ds, s.Vintage)
	if err != nil {
		return nil, err
	}
	if s.Grid.dimensions() == 0 {
		return d.run(ctx, s)
	}
	// The multiverse runs beside the main estimates, which use one core for
	// a quarter of a second that the grid's workers would otherwise wait.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mv    *Multiverse
		mvErr error
		done  = make(chan struct{})
	)
	go func() {
		defer close(done)
		mv, mvErr = d.multiverse(ctx, s)
	}()
	res, err := d.run(ctx, s)
	if err != nil {
		cancel()
	}
	<-done
	if err != nil {
		return nil, err
	}
	if mvErr != nil {
		return nil, fmt.Errorf("study %s multiverse: %w", s.Name, mvErr)
	}
	res.Multiverse = mv
	res.Synthetic = res.Synthetic || mv.Synthetic
	return res, nil
}

// run carries out a study but for its multiverse.
func (d *Data) run(ctx context.Context, s *Spec) (*Result, error) {
	c := s.Choice()
	smp, err := d.Sample(c)
	if err != nil {
		return nil, err
	}
	if len(smp.Rows) < MinMetros {
		return nil, fmt.Errorf("study %s: only %d metros have every measure (%d dropped): %w", s.Name, len(smp.Rows), len(smp.Dropped), ErrTooFew)
	}
	res := &Result{Spec: s, Measure: c.MeasureLabel(), Outcome: c.OutcomeLabel(), Sample: smp, Synthetic: smp.Synthetic}
	if n := RapeNote(c.Offense, c.Years.Base, c.Years.End); n != "" {
		res.Notes = append(res.Notes, n)
	}
	if c.Source == Bundled {
		res.Notes = append(res.Notes, "the immigrant measure is the share of residents born abroad in any country, summed from county ACS 5-year estimates; it is not the NTCA-born share (that needs fetched B05006)")
	}
	f := NewFitter(smp, s.inference(ctx))
	if err := f.Prepare(s.Estimation.Estimators, []Weights{s.Estimation.Weights}); err != nil {
		return nil, fmt.Errorf("study %s: %w", s.Name, err)
	}
	for _, e := range s.Estimation.Estimators {
		fd, err := f.Finding(s.Name, c, d.Vintage(), e, s.Estimation.Weights)
		if err != nil {
			return nil, fmt.Errorf("study %s estimator %s: %w", s.Name, e, err)
		}
		res.Findings = append(res.Findings, fd)
	}
	if res.Line, err = FitLine(smp, s.Estimation.Level, s.Estimation.Weights); err != nil {
		return nil, fmt.Errorf("study %s fit line: %w", s.Name, err)
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
	return res, nil
}

// topInfluential is how many metros each influence list names.
const topInfluential = 5

func influence(s *Sample) (*Influence, error) {
	x, y, _ := s.Columns()
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
	Alpha       = 0.05
	TargetPower = 0.8
)

func power(n, paperN int, r float64) (*Power, error) {
	p := &Power{Alpha: Alpha, Target: TargetPower, N: n, PaperN: paperN, R: r}
	var err error
	if p.MDC, err = stats.MinDetectableCorrelation(n, Alpha, TargetPower); err != nil {
		return nil, err
	}
	if p.PaperMDC, err = stats.MinDetectableCorrelation(paperN, Alpha, TargetPower); err != nil {
		return nil, err
	}
	if p.PowerN, err = stats.CorrelationPower(n, r, Alpha); err != nil {
		return nil, err
	}
	if p.PowerPaperN, err = stats.CorrelationPower(paperN, r, Alpha); err != nil {
		return nil, err
	}
	if p.Curve, err = PowerCurve(max(n, paperN)); err != nil {
		return nil, err
	}
	return p, nil
}
