package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/assaylab/assay/report"
	"github.com/assaylab/assay/study"
)

// multiverseParams is a part of the multiverse: a choice on some of its
// dimensions, and the estimator whose findings are kept (every one if
// empty) or, on the page, whose curve is drawn.
type multiverseParams struct {
	Choice    map[string]string
	Estimator string
}

// key is the canonical form of the filter, its URL query.
func (p multiverseParams) key() string { return p.values().Encode() }

func (p multiverseParams) values() url.Values {
	v := url.Values{}
	for dim, val := range p.Choice {
		v.Set(dim, val)
	}
	if p.Estimator != "" {
		v.Set("estimator", p.Estimator)
	}
	return v
}

// multiverse returns the study of every metro and its multiverse, once
// the findings are in.
func (s *Server) multiverse(ctx context.Context) (*study.Result, *study.Multiverse, error) {
	r, err := s.findings(ctx)
	if err != nil {
		return nil, nil, err
	}
	if r.Study.Multiverse == nil {
		return nil, nil, fmt.Errorf("study %s has no multiverse", r.Study.Spec.Name)
	}
	return r.Study, r.Study.Multiverse, nil
}

// multiverseParamDocs documents the filters: one parameter per dimension
// of the multiverse (its alternatives allowed), and the estimator. For the
// page, the estimator is the curve's, a correlation, Pearson's r unless
// chosen; for the API it filters the findings and defaults to every one.
func (s *Server) multiverseParamDocs(ctx context.Context, page bool) ([]param, error) {
	_, m, err := s.multiverse(ctx)
	if err != nil {
		return nil, err
	}
	var out []param
	for _, d := range m.Dimensions {
		if d.Name == "estimator" {
			continue
		}
		out = append(out, param{d.Name, "word", "", strings.Join(d.Values, "; "), "keep the specifications making this choice (every one if not given)"})
	}
	def, ests := estimators(m, page)
	doc := "keep this estimator's findings (every one if not given)"
	if page {
		doc = "the correlation the specification curve draws"
	}
	return append(out, param{"estimator", "word", def, strings.Join(ests, ", "), doc}), nil
}

// estimators are the values of the estimator filter and its default: for
// the page, the correlations a curve can draw, the first unless chosen;
// for the API, every estimator of the multiverse, none by default.
func estimators(m *study.Multiverse, page bool) (def string, allowed []string) {
	if page {
		curves := report.CurveEstimators(m)
		return curves[0], curves
	}
	for _, e := range m.Summary.ByEstimator {
		allowed = append(allowed, e.Estimator)
	}
	return "", allowed
}

// parseMultiverse reads a filter, each choice one of its dimension's
// alternatives.
func (s *Server) parseMultiverse(ctx context.Context, raw string, page bool) (multiverseParams, error) {
	_, m, err := s.multiverse(ctx)
	if err != nil {
		return multiverseParams{}, err
	}
	docs, err := s.multiverseParamDocs(ctx, page)
	if err != nil {
		return multiverseParams{}, err
	}
	q, err := readQuery(raw, docs)
	if err != nil {
		return multiverseParams{}, err
	}
	p := multiverseParams{Choice: map[string]string{}}
	for _, d := range m.Dimensions {
		if d.Name == "estimator" {
			continue
		}
		if v := q.word(d.Name, "", d.Values); v != "" {
			p.Choice[d.Name] = v
		}
	}
	def, ests := estimators(m, page)
	p.Estimator = q.word("estimator", def, ests)
	if q.err != nil {
		// Dimension values hold commas; the message lists them apart.
		if i := slices.IndexFunc(m.Dimensions, func(d study.Dimension) bool { return d.Name == q.err.Param && d.Name != "estimator" }); i >= 0 {
			q.err.Allowed = strings.Join(m.Dimensions[i].Values, "; ")
		}
		return multiverseParams{}, q.err
	}
	return p, nil
}

// filtered is the part of the multiverse a filter keeps.
func (s *Server) filtered(ctx context.Context, p multiverseParams) (*study.Multiverse, error) {
	_, m, err := s.multiverse(ctx)
	if err != nil {
		return nil, err
	}
	return m.Filter(p.Choice, p.Estimator), nil
}
