package study

import (
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/stats"
)

// Inference is how estimates are tested.
type Inference struct {
	Level      float64
	Perm, Boot int
	Seed       uint64
	// Control lets a long resampling stop (its context) and be followed.
	Control stats.Control
}

// Fitter runs estimators on one sample. The correlations share their
// random draws (stats.CorrelateAll: each permutation drawn once for every
// coefficient), and OLS shares Pearson's permutation test (its slope has
// the same permutation distribution).
type Fitter struct {
	rows      []Row
	x, y, w   []float64
	synthetic bool
	inf       Inference
	corr      map[stats.CorrKind]stats.Result
}

// NewFitter prepares a sample's columns for estimation.
func NewFitter(s *Sample, inf Inference) *Fitter {
	x, y, w := s.Columns()
	return &Fitter{rows: s.Rows, x: x, y: y, w: w, synthetic: s.Synthetic, inf: inf, corr: map[stats.CorrKind]stats.Result{}}
}

// corrKind is the coefficient an effective estimator and weighting test
// with, if any.
func corrKind(e Estimator, w Weights, perm bool) (stats.CorrKind, bool) {
	switch {
	case e == Pearson && w == Population:
		return stats.CorrWeightedPearson, true
	case e == Pearson, e == OLS && w == Unweighted && perm:
		return stats.CorrPearson, true
	case e == Spearman:
		return stats.CorrSpearman, true
	case e == Kendall:
		return stats.CorrKendall, true
	}
	return 0, false
}

// Prepare computes, together, every correlation the estimators and
// weightings will ask for, so their permutations and bootstrap resamples
// are drawn once; the results are those each would get alone.
func (f *Fitter) Prepare(ests []Estimator, ws []Weights) error {
	var kinds []stats.CorrKind
	for _, e := range ests {
		for _, w := range ws {
			ee, ew := effective(e, w)
			if k, ok := corrKind(ee, ew, f.inf.Perm > 0); ok && !slices.Contains(kinds, k) {
				if _, done := f.corr[k]; !done {
					kinds = append(kinds, k)
				}
			}
		}
	}
	if len(kinds) == 0 {
		return nil
	}
	rs, err := stats.CorrelateAll(f.x, f.y, f.w, kinds, f.corrOptions())
	if err != nil {
		return err
	}
	for i, k := range kinds {
		f.corr[k] = rs[i]
	}
	return nil
}

// effective resolves an estimator and weighting to what is computed: rank
// correlations have no weighted form, wls is ols weighted by population.
func effective(e Estimator, w Weights) (Estimator, Weights) {
	switch e {
	case Spearman, Kendall:
		return e, Unweighted
	case WLS:
		return OLS, Population
	}
	return e, w
}

// FindingEstimator is the Finding.Estimator label of what an estimator
// computes under a weighting: "weighted_pearson" for Pearson weighted by
// population, "wls_hc3" for WLS or OLS weighted, and so on.
func FindingEstimator(e Estimator, w Weights) string { return estimatorName(effective(e, w)) }

// estimatorName is the Finding.Estimator label of an effective estimator.
func estimatorName(e Estimator, w Weights) string {
	switch {
	case e == Pearson && w == Population:
		return "weighted_pearson"
	case e == OLS && w == Population:
		return "wls_hc3"
	case e == OLS:
		return "ols_hc3"
	}
	return string(e)
}

func (f *Fitter) corrOptions() stats.CorrOptions {
	return stats.CorrOptions{Level: f.inf.Level, Perm: f.inf.Perm, Boot: f.inf.Boot, Seed: f.inf.Seed, Control: f.inf.Control}
}

// correlation returns a coefficient's result, computing it alone when
// Prepare did not.
func (f *Fitter) correlation(k stats.CorrKind) (stats.Result, error) {
	if r, ok := f.corr[k]; ok {
		return r, nil
	}
	rs, err := stats.CorrelateAll(f.x, f.y, f.w, []stats.CorrKind{k}, f.corrOptions())
	if err != nil {
		return stats.Result{}, err
	}
	f.corr[k] = rs[0]
	return rs[0], nil
}

// fit runs one effective estimator and returns its finding without the
// study-level fields (Study, Label, Spec).
func (f *Fitter) fit(e Estimator, w Weights, xName string) (assay.Finding, error) {
	if e == OLS {
		return f.ols(w, xName)
	}
	k, ok := corrKind(e, w, false)
	if !ok {
		return assay.Finding{}, fmt.Errorf("unknown estimator %q", e)
	}
	r, err := f.correlation(k)
	if err != nil {
		return assay.Finding{}, err
	}
	fd := fromTerm(r, r.Terms[0])
	fd.Estimator = estimatorName(e, w)
	if r.Perm != nil {
		fd.PermP = assay.Some(r.Perm.P)
	}
	if b := r.Boot; b != nil {
		fd.CILow, fd.CIHigh = assay.Some(b.BCaLow), assay.Some(b.BCaHigh)
		fd.Notes = append(fd.Notes, fmt.Sprintf("interval: BCa bootstrap, %d of %d resamples usable, seed %d", b.Used, b.Reps, b.Seed))
	}
	return fd, nil
}

func (f *Fitter) ols(w Weights, xName string) (assay.Finding, error) {
	d := stats.Design{YName: "outcome", Y: f.y, X: []stats.Var{{Name: xName, Values: f.x}}}
	if w == Population {
		d.Weights = f.w
	}
	r, err := stats.OLS(d, stats.Options{SE: stats.HC3, Level: f.inf.Level})
	if err != nil {
		return assay.Finding{}, err
	}
	t, _ := r.Term(xName)
	fd := fromTerm(r, t)
	fd.Estimator = estimatorName(OLS, w)
	if f.inf.Perm > 0 && w == Unweighted {
		// Permuting Y leaves the standard deviations of X and Y alone, and
		// the slope is r·sd(Y)/sd(X): the slope's permutation test is r's.
		pr, err := f.correlation(stats.CorrPearson)
		if err != nil {
			return assay.Finding{}, err
		}
		fd.PermP = assay.Some(pr.Perm.P)
	}
	return fd, nil
}

// Finding runs one estimator with one weighting on the fitter's sample and
// labels the result as one specification of a study.
func (f *Fitter) Finding(study string, c Choice, vintage string, e Estimator, w Weights) (assay.Finding, error) {
	ee, ew := effective(e, w)
	fd, err := f.fit(ee, ew, string(c.Measure))
	if err != nil {
		return assay.Finding{}, f.where(err)
	}
	fd.Study = study
	fd.Label = fmt.Sprintf("%s %s vs %s %s, %s, %s", c.Offense.Key(), c.Change, GroupWord(c.Source, c.Group), c.Measure, c.Years, c.Selection)
	fd.Spec = specMap(c, vintage, ew)
	fd.Synthetic = f.synthetic
	if n := RapeNote(c.Offense, c.Years.Base, c.Years.End); n != "" {
		fd.Notes = append(fd.Notes, n)
	}
	if c.Source == Bundled {
		fd.Notes = append(fd.Notes, "immigrant measure: the all-foreign-born share (any country of birth), not the NTCA-born share")
	}
	return fd, nil
}

// specMap records a specification's choice on every dimension.
func specMap(c Choice, vintage string, w Weights) map[string]string {
	m := map[string]string{"years": c.Years.String(), "vintage": vintage, "source": string(c.Source), "group": c.Group,
		"measure": string(c.Measure), "offense": c.Offense.Key(), "change": string(c.Change), "selection": c.Selection.String(),
		"coverage": c.Coverage.String(), "weights": string(w)}
	if len(c.Exclude) > 0 {
		m["exclude"] = strings.Join(c.Exclude, ",")
	}
	return m
}

// fromTerm copies one term of a result into a finding.
func fromTerm(r stats.Result, t stats.Term) assay.Finding {
	fd := assay.Finding{Term: t.Term, N: r.N, Clusters: t.Clusters, Estimate: num(t.Estimate), SE: num(t.SE),
		CILow: num(t.CILow), CIHigh: num(t.CIHigh), P: num(t.P), Notes: append([]string(nil), r.Notes...)}
	if fd.N == 0 {
		fd.N = t.N
	}
	return fd
}

// num turns NaN (an undefined statistic) into null.
func num(v float64) assay.Num {
	if v != v {
		return assay.Null
	}
	return assay.Some(v)
}

// SpecSeed derives a specification's seed from the study's and the
// specification's key (Sample.SeedKey), so its p-value does not depend on
// which other specifications a grid holds.
func SpecSeed(seed uint64, key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return seed ^ h.Sum64()
}

// PValue is the p a specification is judged by: the permutation p where
// there is one, else the analytic p.
func PValue(f assay.Finding) assay.Num {
	if f.PermP.Valid {
		return f.PermP
	}
	return f.P
}

// PValueName names the p that PValue gives, as text beside it says it.
func PValueName(f assay.Finding) string {
	if f.PermP.Valid {
		return "permutation p"
	}
	return "p"
}

// where names the metro and its source rows when an estimator refuses one
// observation (a negative weight, a value that is not finite), since the
// estimator knows only its index.
func (f *Fitter) where(err error) error {
	var re *stats.RowError
	if !errors.As(err, &re) || re.Row < 0 || re.Row >= len(f.rows) {
		return err
	}
	r := f.rows[re.Row]
	return fmt.Errorf("metro %s %s (%s): %w", r.CBSA, r.Title, strings.Join(r.Sources, "; "), err)
}
