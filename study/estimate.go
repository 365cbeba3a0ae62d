package study

import (
	"fmt"
	"hash/fnv"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/stats"
)

// inference is how estimates are tested.
type inference struct {
	level      float64
	perm, boot int
	seed       uint64
}

// fitter runs estimators on one sample, sharing the permutation test of
// Pearson's r with OLS (whose slope has the same permutation distribution).
type fitter struct {
	x, y, w []float64
	inf     inference
	pearson map[string]stats.Result // by weights
}

func newFitter(s *Sample, inf inference) *fitter {
	x, y, w := s.columns()
	return &fitter{x: x, y: y, w: w, inf: inf, pearson: map[string]stats.Result{}}
}

// effective resolves an estimator and weighting to what is computed: rank
// correlations have no weighted form, wls is ols weighted by population.
func effective(estimator, weights string) (string, string) {
	switch estimator {
	case "spearman", "kendall":
		return estimator, "none"
	case "wls":
		return "ols", "population"
	}
	return estimator, weights
}

// estimatorName is the Finding.Estimator label of an effective estimator.
func estimatorName(estimator, weights string) string {
	switch {
	case estimator == "pearson" && weights == "population":
		return "weighted_pearson"
	case estimator == "ols" && weights == "population":
		return "wls_hc3"
	case estimator == "ols":
		return "ols_hc3"
	}
	return estimator
}

func (f *fitter) corrOptions() stats.CorrOptions {
	return stats.CorrOptions{Level: f.inf.level, Perm: f.inf.perm, Boot: f.inf.boot, Seed: f.inf.seed}
}

func (f *fitter) pearsonResult(weights string) (stats.Result, error) {
	if r, ok := f.pearson[weights]; ok {
		return r, nil
	}
	var r stats.Result
	var err error
	if weights == "population" {
		r, err = stats.WeightedPearson(f.x, f.y, f.w, f.corrOptions())
	} else {
		r, err = stats.Pearson(f.x, f.y, f.corrOptions())
	}
	if err == nil {
		f.pearson[weights] = r
	}
	return r, err
}

// fit runs one effective estimator and returns its finding without the
// study-level fields (Study, Label, Spec).
func (f *fitter) fit(estimator, weights, xName string) (assay.Finding, error) {
	var r stats.Result
	var err error
	switch estimator {
	case "pearson":
		r, err = f.pearsonResult(weights)
	case "spearman":
		r, err = stats.Spearman(f.x, f.y, f.corrOptions())
	case "kendall":
		r, err = stats.Kendall(f.x, f.y, f.corrOptions())
	case "ols":
		return f.ols(weights, xName)
	default:
		return assay.Finding{}, fmt.Errorf("unknown estimator %q", estimator)
	}
	if err != nil {
		return assay.Finding{}, err
	}
	fd := fromTerm(r, r.Terms[0])
	fd.Estimator = estimatorName(estimator, weights)
	if r.Perm != nil {
		fd.PermP = assay.Some(r.Perm.P)
	}
	if b := r.Boot; b != nil {
		fd.CILow, fd.CIHigh = assay.Some(b.BCaLow), assay.Some(b.BCaHigh)
		fd.Notes = append(fd.Notes, fmt.Sprintf("interval: BCa bootstrap, %d of %d resamples usable, seed %d", b.Used, b.Reps, b.Seed))
	}
	return fd, nil
}

func (f *fitter) ols(weights, xName string) (assay.Finding, error) {
	d := stats.Design{YName: "outcome", Y: f.y, X: []stats.Var{{Name: xName, Values: f.x}}}
	if weights == "population" {
		d.Weights = f.w
	}
	r, err := stats.OLS(d, stats.Options{SE: stats.HC3, Level: f.inf.level})
	if err != nil {
		return assay.Finding{}, err
	}
	t, _ := r.Term(xName)
	fd := fromTerm(r, t)
	fd.Estimator = estimatorName("ols", weights)
	if f.inf.perm > 0 && weights == "none" {
		// Permuting Y leaves the standard deviations of X and Y alone, and
		// the slope is r·sd(Y)/sd(X): the slope's permutation test is r's.
		pr, err := f.pearsonResult("none")
		if err != nil {
			return assay.Finding{}, err
		}
		fd.PermP = assay.Some(pr.Perm.P)
	}
	return fd, nil
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

// specSeed derives a specification's seed from the study's and the
// specification's key, so its p-value does not depend on which other
// specifications a grid holds.
func specSeed(seed uint64, key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return seed ^ h.Sum64()
}
