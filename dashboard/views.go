package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/chart"
	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/internal/textfmt"
	"github.com/assaylab/assay/papers/blanchard2019"
	"github.com/assaylab/assay/report"
	"github.com/assaylab/assay/study"
)

// noParams refuses a page request with parameters, as a page that takes
// none, and says whether the page may go on.
func (s *Server) noParams(w http.ResponseWriter, r *http.Request) bool {
	if _, err := readQuery(r.URL.RawQuery, nil); err != nil {
		s.errorPage(w, r, 0, err)
		return false
	}
	return true
}

type ledgerRow struct {
	assay.ClaimResult
	Text string
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	if !s.noParams(w, r) {
		return
	}
	rep, err := s.findings(r.Context())
	if err != nil {
		s.errorPage(w, r, 0, err)
		return
	}
	v := struct {
		Title, Headline string
		Synthetic       bool
		Rows            []ledgerRow
		Tally           []claims.VerdictCount
	}{Title: rep.Title, Headline: rep.Headline, Synthetic: rep.Synthetic, Tally: claims.Tally(rep.Ledger.Results)}
	for _, res := range rep.Ledger.Results {
		v.Rows = append(v.Rows, ledgerRow{ClaimResult: res, Text: report.ClaimText(res)})
	}
	s.render(w, r, http.StatusOK, "overview", page{Title: "Claims", Nav: "overview", Content: v})
}

// link is a labelled URL.
type link struct {
	Label, URL string
}

func (s *Server) claimPage(w http.ResponseWriter, r *http.Request) {
	if !s.noParams(w, r) {
		return
	}
	res, err := s.claimResult(r.Context(), r.PathValue("id"))
	if err != nil {
		s.errorPage(w, r, 0, err)
		return
	}
	c, _ := claims.Lookup(res.ID)
	v := struct {
		Claim   assay.Claim
		Result  assay.ClaimResult
		Explore []link
	}{Claim: c, Result: res}
	for _, f := range res.Findings {
		if u, ok := s.scatterLink(f); ok && !slices.ContainsFunc(v.Explore, func(l link) bool { return l.URL == u }) {
			v.Explore = append(v.Explore, link{f.Label, u})
		}
	}
	s.render(w, r, http.StatusOK, "claim", page{Title: res.ID, Nav: "overview", Content: v})
}

// scatterLink is the scatter explorer's view of a finding of the paper's
// reproduction, when the explorer can show its specification: the same
// metros, measures and estimate (its permutation p is drawn with the
// explorer's seed).
func (s *Server) scatterLink(f assay.Finding) (string, bool) {
	if f.Study != blanchard2019.Name || f.Spec["coverage"] != (study.Coverage{Match: study.AnyMatch}).String() {
		return "", false
	}
	i := slices.IndexFunc(blanchard2019.PaperRules(), func(r blanchard2019.Rule) bool { return r.Key == f.Spec["rule"] })
	base, end, ok := strings.Cut(f.Spec["years"], "-")
	if i < 0 || !ok {
		return "", false
	}
	sel := blanchard2019.PaperRules()[i].Selection
	v := url.Values{"start": {base}, "end": {end}, "source": {f.Spec["source"]}, "group": {f.Spec["group"]}, "measure": {f.Spec["measure"]},
		"outcome": {f.Spec["offense"]}, "change": {f.Spec["change"]}, "select": {string(sel.Rule)}, "n": {strconv.Itoa(sel.N)},
		"pool": {string(sel.Pool)}, "weights": {f.Spec["weights"]}}
	if sel.RankYear != study.BaseYear || sel.MinPopulation != 0 {
		return "", false
	}
	p, err := s.parseScatter(v.Encode())
	if err != nil {
		return "", false
	}
	return s.scatterURL("/scatter", p), true
}

// mapFigure is the report's maps.
func (s *Server) mapFigure(ctx context.Context) (*drawn, error) {
	return s.cachedFigure(ctx, "maps", func(ctx context.Context) (*drawn, error) {
		rep, err := s.findings(ctx)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(rep.Figures, func(f *chart.Figure) bool { return f.ID == report.IDMaps })
		if i < 0 {
			return nil, fmt.Errorf("the report has no figure %s", report.IDMaps)
		}
		return renderFigure(rep.Figures[i])
	})
}

func (s *Server) mapPage(w http.ResponseWriter, r *http.Request) {
	if !s.noParams(w, r) {
		return
	}
	d, err := s.mapFigure(r.Context())
	if err != nil {
		s.errorPage(w, r, 0, err)
		return
	}
	s.render(w, r, http.StatusOK, "map", page{Title: "Map", Nav: "map", Content: struct {
		Figure figureView
		Metros []metroName
	}{inline(d, "maps", nil), s.byTitle}})
}

var metroParams = []param{
	{"q", "words", "", "words of a metro's title, or its CBSA code", "search"},
	{"cbsa", "CBSA code", "", "the five-digit code of a metro of the panel", "the metro to show"},
}

// metroFigure is one metro's series, for the years of the report's panel
// study.
func (s *Server) metroFigure(ctx context.Context, raw string) (*drawn, error) {
	q, err := readQuery(raw, metroParams[1:])
	if err != nil {
		return nil, err
	}
	code, ok := q.raw("cbsa")
	if !ok {
		return nil, &ParamError{Param: "cbsa", Allowed: s.cbsaParam().Allowed, Problem: "required"}
	}
	return s.metroSeries(ctx, code)
}

// metroSeries is the series figure of a metro given by its CBSA code.
func (s *Server) metroSeries(ctx context.Context, code string) (*drawn, error) {
	if err := s.metroCode(code); err != nil {
		return nil, err
	}
	return s.cachedFigure(ctx, "metro/"+code, func(context.Context) (*drawn, error) {
		return newFigure(report.MetroSeries(&s.opt.Data.Panel, code, s.panelYears.Base, s.panelYears.End))
	})
}

// yearRow is a year of the metro explorer's table.
type yearRow struct {
	metroYear
	Coverage, Population, Violent, Murder, Footnotes string
}

func (s *Server) metroPage(w http.ResponseWriter, r *http.Request) {
	q, err := readQuery(r.URL.RawQuery, metroParams)
	if err != nil {
		s.errorPage(w, r, 0, err)
		return
	}
	words, searched := q.raw("q")
	code, chosen := q.raw("cbsa")
	v := struct {
		Query   string
		Metros  []metroName
		Matches []metroName
		Profile *profile
		Rows    []yearRow
		Figure  figureView
		Scatter string
	}{Query: words, Metros: s.byTitle}
	switch {
	case chosen:
		d, err := s.metroSeries(r.Context(), code)
		if err != nil {
			s.errorPage(w, r, 0, err)
			return
		}
		v.Profile, v.Figure = s.profile(code), inline(d, "metro", url.Values{"cbsa": {code}})
		for _, y := range v.Profile.Years {
			row := yearRow{metroYear: y}
			if c := y.FBI; c != nil {
				row.Coverage, row.Population = textfmt.Percent(c.Coverage), textfmt.Num("%.0f", c.Population)
				row.Violent, row.Murder = textfmt.F1(c.Rate[assay.Violent]), textfmt.F1(c.Rate[assay.Murder])
				row.Footnotes = strings.Join(c.Footnotes, ", ")
			}
			v.Rows = append(v.Rows, row)
		}
		drop := s.defaults
		drop.Drop = []string{code}
		v.Scatter = s.scatterURL("/scatter", drop)
	case searched:
		v.Matches = s.search(words)
		if len(v.Matches) == 1 {
			http.Redirect(w, r, "/metro?cbsa="+v.Matches[0].CBSA, http.StatusSeeOther)
			return
		}
	}
	title := "Metros"
	if v.Profile != nil {
		title = v.Profile.Title
	}
	s.render(w, r, http.StatusOK, "metro", page{Title: title, Nav: "metro", Content: v})
}

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// field is one control of a form.
type field struct {
	Name, Label, Help string
	Options           []option // a select; else a number input
	Value             string
	Min, Max, Step    string
}

func selectField(name, label, help, selected string, values []string) field {
	f := field{Name: name, Label: label, Help: help, Value: selected}
	for _, v := range values {
		f.Options = append(f.Options, option{v, strings.ReplaceAll(v, "_", " "), v == selected})
	}
	return f
}

// scatterForm is the explorer's controls set to a view.
func (s *Server) scatterForm(p scatterParams) []field {
	years := make([]string, 0)
	for _, y := range s.data.MeasuredYears(p.Source, p.Group) {
		years = append(years, strconv.Itoa(y))
	}
	return []field{
		selectField("start", "Base year", "", strconv.Itoa(p.Start), years),
		selectField("end", "End year", "", strconv.Itoa(p.End), years),
		selectField("source", "Immigrant data", "bundled: all foreign-born, ACS 5-year county data", string(p.Source), s.sources),
		selectField("group", "Origin group", "", p.Group, s.data.Groups(p.Source)),
		selectField("measure", "Immigrant measure", "", string(p.Measure), textfmt.Strings(study.Measures)),
		selectField("outcome", "Crime outcome", "FBI rate per 100,000", p.Outcome.Key(), offenseKeys()),
		selectField("change", "Change in the rate", "", string(p.Change), textfmt.Strings(study.Changes)),
		selectField("select", "Selection rule", "", string(p.Select), textfmt.Strings(study.Rules)),
		{Name: "n", Label: "Metros a top rule picks", Value: strconv.Itoa(p.N), Min: strconv.Itoa(study.MinMetros), Max: strconv.Itoa(len(s.metros)), Step: "1"},
		selectField("pool", "Top rule ranks among", "census: every metro; fbi: those the FBI published both years", string(p.Pool), textfmt.Strings(study.Pools)),
		selectField("weights", "Weights", "population weights r and the slope", string(p.Weights), textfmt.Strings(study.WeightsAll)),
		{Name: "coverage", Label: "Least FBI coverage", Help: "share of the population in reporting agencies, both years", Value: strconv.FormatFloat(p.Coverage, 'g', -1, 64), Min: "0", Max: "1", Step: "0.05"},
		selectField("match", "FBI name matches", "exact: only names matched exactly or after normalisation", string(p.Match), textfmt.Strings(study.NameMatches)),
		{Name: "perm", Label: "Permutations", Value: strconv.Itoa(p.Perm), Min: "0", Max: strconv.Itoa(maxPerm), Step: "1"},
		{Name: "seed", Label: "Seed", Value: strconv.FormatUint(p.Seed, 10), Min: "1", Max: strconv.FormatUint(maxSeed, 10), Step: "1"},
	}
}

// rowView is a metro of the scatter's sample with the link that drops it.
type rowView struct {
	study.Row
	X, Y, Drop string
}

// dropView is a metro the reader dropped, with the link that restores it.
type dropView struct {
	CBSA, Title, Restore string
}

// stat is a number the explorer shows, its full value kept for a script.
type stat struct {
	ID, Label, Text string
	Value           float64
}

func (s *Server) scatterPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.parseScatter(r.URL.RawQuery)
	if err != nil {
		s.errorPage(w, r, 0, err)
		return
	}
	q := s.values(p)
	v := struct {
		Form             []field
		Drop             string
		Message          string
		Stats            []stat
		Figure           figureView
		Dropped          []dropView
		Others           []study.Drop
		Rows             []rowView
		TOML, API, Share string
		Measure, Outcome string
		N, Ranked        int
	}{Form: s.scatterForm(p), Drop: strings.Join(p.Drop, ","), API: s.scatterURL("/api/scatter", p), Share: s.scatterURL("/scatter", p), TOML: p.TOML()}
	for _, code := range p.Drop {
		title, _ := s.metroTitle(code)
		rest := p
		rest.Drop = slices.DeleteFunc(slices.Clone(p.Drop), func(c string) bool { return c == code })
		v.Dropped = append(v.Dropped, dropView{code, title, s.scatterURL("/scatter", rest)})
	}
	view, err := s.scatter(r.Context(), p)
	switch {
	case errors.Is(err, study.ErrTooFew):
		v.Message = err.Error()
		s.render(w, r, http.StatusUnprocessableEntity, "scatter", page{Title: "Scatter", Nav: "scatter", Content: v})
		return
	case err != nil:
		s.errorPage(w, r, 0, err)
		return
	}
	d, err := view.figure()
	if err != nil {
		s.errorPage(w, r, 0, err)
		return
	}
	v.Figure = inline(d, "scatter", q)
	v.Measure, v.Outcome, v.N = view.res.Measure, view.res.Outcome, len(view.res.Sample.Rows)
	rf, _ := report.FindingOf(view.res, study.Pearson)
	sf, _ := report.FindingOf(view.res, study.OLS)
	level := textfmt.Pct(view.res.Spec.Estimation.Level, 0)
	v.Stats = []stat{
		{"n", "Metros", strconv.Itoa(rf.N), float64(rf.N)},
		{"r", statLabel(p, "r"), textfmt.Num("%.3f", rf.Estimate), rf.Estimate.V},
		{"r-ci", level + " interval of r", textfmt.Num("%.3f", rf.CILow) + " to " + textfmt.Num("%.3f", rf.CIHigh), rf.CIHigh.V - rf.CILow.V},
		{"r-p", pLabel(rf), textfmt.P(study.PValue(rf)), study.PValue(rf).V},
		{"slope", statLabel(p, "slope") + " (rate per unit of the measure)", textfmt.Num("%.3g", sf.Estimate), sf.Estimate.V},
		{"slope-ci", level + " interval of the slope (HC3)", textfmt.G3(sf.CILow) + " to " + textfmt.G3(sf.CIHigh), sf.CIHigh.V - sf.CILow.V},
	}
	for _, d := range view.res.Sample.Dropped {
		if !slices.Contains(p.Drop, d.CBSA) {
			v.Others = append(v.Others, d)
		}
	}
	for _, row := range view.res.Sample.Rows {
		more := p
		more.Drop = append(slices.Clone(p.Drop), row.CBSA)
		slices.Sort(more.Drop)
		drop := ""
		if len(more.Drop) <= maxDrop {
			drop = s.scatterURL("/scatter", more)
		}
		v.Rows = append(v.Rows, rowView{row, strconv.FormatFloat(row.X, 'f', 2, 64), strconv.FormatFloat(row.Y, 'f', 1, 64), drop})
	}
	s.render(w, r, http.StatusOK, "scatter", page{Title: "Scatter", Nav: "scatter", Content: v})
}

// statLabel names r or the slope as weighted or not.
func statLabel(p scatterParams, what string) string {
	if p.Weights == study.Population {
		return "Population-weighted " + what
	}
	return map[string]string{"r": "Pearson's r", "slope": "Least-squares slope"}[what]
}

func pLabel(f assay.Finding) string {
	if f.PermP.Valid {
		return "Permutation p"
	}
	return "p"
}

// curve draws the specification curve of a filter.
func (s *Server) curve(ctx context.Context, p multiverseParams) (*drawn, error) {
	return s.cachedFigure(ctx, "multiverse?"+p.key(), func(ctx context.Context) (*drawn, error) {
		res, _, err := s.multiverse(ctx)
		if err != nil {
			return nil, err
		}
		part, err := s.filtered(ctx, multiverseParams{Choice: p.Choice})
		if err != nil {
			return nil, err
		}
		return newFigure(report.SpecCurveOf(res, part, p.Estimator))
	})
}

func (s *Server) multiversePage(w http.ResponseWriter, r *http.Request) {
	p, err := s.parseMultiverse(r.Context(), r.URL.RawQuery, true)
	if err != nil {
		s.errorPage(w, r, 0, err)
		return
	}
	_, m, err := s.multiverse(r.Context())
	if err != nil {
		s.errorPage(w, r, 0, err)
		return
	}
	part, err := s.filtered(r.Context(), multiverseParams{Choice: p.Choice})
	if err != nil {
		s.errorPage(w, r, 0, err)
		return
	}
	v := struct {
		Filters []field
		Summary study.MultiverseSummary
		Figure  *figureView
		Message string
		API     string
	}{Summary: part.Summary, API: "/api/multiverse?" + p.key()}
	for _, d := range m.Dimensions {
		if d.Name == "estimator" || len(d.Values) < 2 {
			continue
		}
		f := selectField(d.Name, d.Name, "", p.Choice[d.Name], d.Values)
		f.Options = append([]option{{"", "any", p.Choice[d.Name] == ""}}, f.Options...)
		v.Filters = append(v.Filters, f)
	}
	v.Filters = append(v.Filters, selectField("estimator", "curve of", "", p.Estimator, report.CurveEstimators(m)))
	if len(part.Specs) == 0 {
		v.Message = "No specification makes these choices."
	} else if d, err := s.curve(r.Context(), p); err != nil {
		v.Message = "No curve to draw: " + err.Error() + "."
	} else {
		fv := inline(d, "multiverse", p.values())
		v.Figure = &fv
	}
	s.render(w, r, http.StatusOK, "multiverse", page{Title: "Multiverse", Nav: "multiverse", Content: v})
}

func (s *Server) dataPage(w http.ResponseWriter, r *http.Request) {
	if !s.noParams(w, r) {
		return
	}
	s.render(w, r, http.StatusOK, "data", page{Title: "Data", Nav: "data", Content: tables()})
}
