package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/chart"
	"github.com/assaylab/assay/internal/textfmt"
	"github.com/assaylab/assay/report"
	"github.com/assaylab/assay/study"
)

// scatterParams is one view of the scatter explorer: a cross-sectional
// study of one specification, as `assay study` runs it.
type scatterParams struct {
	Start, End int
	Source     study.Source
	Group      string
	Measure    study.Measure
	Outcome    assay.Offense
	Change     study.Change
	Select     study.Rule
	N          int // top rules only
	Pool       study.Pool
	Weights    study.Weights
	Coverage   float64
	Match      study.NameMatch
	Drop       []string // CBSA codes, sorted
	Perm       int
	Seed       uint64
}

// The bounds of the explorer's work: a view recomputes on the server, and
// these keep one request's share of it small.
const (
	maxPerm = 9999
	maxDrop = 50
	maxSeed = 1<<53 - 1 // a seed a browser's number keeps exactly
)

// scatterEstimators are what the explorer reports: r with its interval and
// permutation p, and the least-squares slope (weighted, both are).
var scatterEstimators = []study.Estimator{study.Pearson, study.OLS}

// scatterDefaults is the view a bare /scatter shows: the choices of the
// study of every metro that the report draws.
func scatterDefaults(s *study.Spec) scatterParams {
	return scatterParams{Start: s.Years.Base, End: s.Years.End, Source: s.Immigrant.Source, Group: s.Immigrant.Group, Measure: s.Immigrant.Measure,
		Outcome: s.Outcome.Offense, Change: s.Outcome.Change, Select: s.Selection.Rule, N: study.PaperN, Pool: study.CensusPool,
		Weights: s.Estimation.Weights, Coverage: s.Coverage.Min, Match: s.Coverage.Match, Perm: min(s.Estimation.Permutations, maxPerm), Seed: s.Estimation.Seed}
}

// offenseKeys are the outcomes a study takes, by key.
func offenseKeys() []string {
	out := make([]string, len(study.Offenses))
	for i, o := range study.Offenses {
		out[i] = o.Key()
	}
	return out
}

// scatterParamDocs documents the explorer's parameters with the values the
// data allows.
func (s *Server) scatterParamDocs() []param {
	d := s.defaults
	return []param{
		{"start", "integer", strconv.Itoa(d.Start), joinInts(s.data.MeasuredYears(d.Source, d.Group)), "base year (for the bundled measure, the ACS 5-year period ending then); the years of the chosen source and group"},
		{"end", "integer", strconv.Itoa(d.End), joinInts(s.data.MeasuredYears(d.Source, d.Group)), "end year, after start"},
		{"source", "word", string(d.Source), strings.Join(s.sources, ", "), "immigrant measure: bundled (all foreign-born, ACS 5-year county data) or fetched B05006 (acs1, acs5)"},
		{"group", "word", d.Group, "the origin groups the data counts for the source (bundled: foreign_born)", "origin group"},
		{"measure", "word", string(d.Measure), study.Words(study.Measures), "how the immigrant share enters (docs/study.md)"},
		{"outcome", "word", d.Outcome.Key(), strings.Join(offenseKeys(), ", "), "FBI offence whose rate per 100,000 is the outcome"},
		{"change", "word", string(d.Change), study.Words(study.Changes), "how the rate's change is measured"},
		{"select", "word", string(d.Select), study.Words(study.Rules), "selection rule"},
		{"n", "integer", strconv.Itoa(d.N), fmt.Sprintf("%d to %d", study.MinMetros, len(s.data.Metros())), "metros a top rule picks (read only with a top rule)"},
		{"pool", "word", string(d.Pool), study.Words(study.Pools), "where a top rule ranks (read only with a top rule)"},
		{"weights", "word", string(d.Weights), study.Words(study.WeightsAll), "population weights r and the slope (WLS)"},
		{"coverage", "number", strconv.FormatFloat(d.Coverage, 'g', -1, 64), "0 to 1", "least FBI reporting coverage in both years (0: every block the FBI published)"},
		{"match", "word", string(d.Match), study.Words(study.NameMatches), "exact keeps only FBI names matched exactly or after normalisation"},
		{"drop", "list", "", fmt.Sprintf("up to %d CBSA codes of the panel's metros, separated by commas", maxDrop), "metros left out after selection"},
		{"perm", "integer", strconv.Itoa(d.Perm), fmt.Sprintf("0 to %d", maxPerm), "permutations for the permutation p (0: analytic p only)"},
		{"seed", "integer", strconv.FormatUint(d.Seed, 10), fmt.Sprintf("1 to %d", uint64(maxSeed)), "seed of the permutations"},
	}
}

// measuredSources lists the immigrant sources the data has a measure of.
func (s *Server) measuredSources() []string {
	var out []string
	for _, src := range study.Sources {
		if len(s.data.Groups(src)) > 0 && (src != study.Bundled || len(s.data.MeasuredYears(src, study.ForeignBorn)) > 0) {
			out = append(out, string(src))
		}
	}
	return out
}

// parseScatter reads a view from a query string, every value checked
// against what the engine and the data allow.
func (s *Server) parseScatter(raw string) (scatterParams, error) {
	q, err := readQuery(raw, s.scatterDocs)
	if err != nil {
		return scatterParams{}, err
	}
	p := s.defaults
	p.Source = study.Source(q.word("source", string(p.Source), s.sources))
	groups := s.data.Groups(p.Source)
	def := p.Group
	if !slices.Contains(groups, def) && len(groups) > 0 {
		def = groups[0]
	}
	p.Group = q.word("group", def, groups)
	years := s.data.MeasuredYears(p.Source, p.Group)
	p.Start = q.oneOf("start", p.Start, years)
	p.End = q.oneOf("end", p.End, years)
	if q.err == nil && p.Start >= p.End {
		q.fail("end", strconv.Itoa(p.End), "a year after start, of "+joinInts(years), "not after start %d", p.Start)
	}
	p.Measure = term(q, "measure", p.Measure, study.Measures)
	if o := q.word("outcome", p.Outcome.Key(), offenseKeys()); q.err == nil {
		p.Outcome, _ = study.ParseOffense(o)
	}
	p.Change = term(q, "change", p.Change, study.Changes)
	p.Select = term(q, "select", p.Select, study.Rules)
	// A form sends n and pool whatever the rule; they are checked, and
	// kept only by a top rule.
	n := q.int("n", p.N, study.MinMetros, len(s.data.Metros()))
	pool := term(q, "pool", p.Pool, study.Pools)
	if p.Select != study.All {
		p.N, p.Pool = n, pool
	}
	p.Weights = term(q, "weights", p.Weights, study.WeightsAll)
	p.Coverage = q.number("coverage", p.Coverage, 0, 1)
	p.Match = term(q, "match", p.Match, study.NameMatches)
	p.Drop = q.list("drop", s.isMetro, "CBSA codes of the panel's metros", maxDrop)
	p.Perm = q.int("perm", p.Perm, 0, maxPerm)
	p.Seed = uint64(q.int("seed", int(p.Seed), 1, maxSeed))
	if q.err != nil {
		return scatterParams{}, q.err
	}
	return p, nil
}

// values is the view as a query string's parameters: those that differ
// from the defaults, so that equal views have equal URLs.
func (s *Server) values(p scatterParams) url.Values {
	d := s.defaults
	v := url.Values{}
	set := func(name, val, def string) {
		if val != def {
			v.Set(name, val)
		}
	}
	set("start", strconv.Itoa(p.Start), strconv.Itoa(d.Start))
	set("end", strconv.Itoa(p.End), strconv.Itoa(d.End))
	set("source", string(p.Source), string(d.Source))
	set("group", p.Group, d.Group)
	set("measure", string(p.Measure), string(d.Measure))
	set("outcome", p.Outcome.Key(), d.Outcome.Key())
	set("change", string(p.Change), string(d.Change))
	set("select", string(p.Select), string(d.Select))
	if p.Select != study.All {
		set("n", strconv.Itoa(p.N), strconv.Itoa(d.N))
		set("pool", string(p.Pool), string(d.Pool))
	}
	set("weights", string(p.Weights), string(d.Weights))
	set("coverage", strconv.FormatFloat(p.Coverage, 'g', -1, 64), strconv.FormatFloat(d.Coverage, 'g', -1, 64))
	set("match", string(p.Match), string(d.Match))
	set("drop", strings.Join(p.Drop, ","), "")
	set("perm", strconv.Itoa(p.Perm), strconv.Itoa(d.Perm))
	set("seed", strconv.FormatUint(p.Seed, 10), strconv.FormatUint(d.Seed, 10))
	return v
}

// scatterURL is a view's address under path (the page, the API).
func (s *Server) scatterURL(path string, p scatterParams) string {
	if q := s.values(p).Encode(); q != "" {
		return path + "?" + q
	}
	return path
}

// TOML is the view as a study file: `assay study` runs exactly this, and
// the explorer runs it the same way.
func (p scatterParams) TOML() string {
	var b strings.Builder
	b.WriteString("name = \"scatter\"\ntitle = \"A view of the assay dashboard's scatter explorer\"\n")
	if len(p.Drop) > 0 {
		fmt.Fprintf(&b, "exclude = [%s]\n", quoteAll(p.Drop))
	}
	fmt.Fprintf(&b, "\n[years]\nbase = %d\nend = %d\n", p.Start, p.End)
	fmt.Fprintf(&b, "\n[immigrant]\nsource = %q\ngroup = %q\nmeasure = %q\n", p.Source, p.Group, p.Measure)
	fmt.Fprintf(&b, "\n[outcome]\noffense = %q\nchange = %q\n", p.Outcome.Key(), p.Change)
	fmt.Fprintf(&b, "\n[selection]\nrule = %q\n", p.Select)
	if p.Select != study.All {
		fmt.Fprintf(&b, "n = %d\npool = %q\n", p.N, p.Pool)
	}
	// TOML reads 0 as an integer: a float keeps its point.
	fmt.Fprintf(&b, "\n[coverage]\nmin = %s\nmatch = %q\n", strconv.FormatFloat(p.Coverage, 'f', -1, 64)+pointIfWhole(p.Coverage), p.Match)
	fmt.Fprintf(&b, "\n[estimation]\nestimators = [%s]\nweights = %q\npermutations = %d\nseed = %d\n", quoteAll(textfmt.Strings(scatterEstimators)), p.Weights, p.Perm, p.Seed)
	return b.String()
}

func pointIfWhole(v float64) string {
	if v == float64(int64(v)) {
		return ".0"
	}
	return ""
}

func quoteAll(v []string) string {
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// scatterView is one view's findings, with its renderings made once, when
// first asked for.
type scatterView struct {
	res    *study.Result
	json   func() ([]byte, error)
	figure func() (*drawn, error)
}

// scatter returns a view's findings: from the cache, or computed by the
// engine behind `assay study` under the bound on recomputations.
func (s *Server) scatter(ctx context.Context, p scatterParams) (*scatterView, error) {
	v, err := s.cache.get(ctx, "scatter?"+s.values(p).Encode(), func(ctx context.Context) (any, error) {
		release, err := s.acquire(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		spec, err := study.Parse(strings.NewReader(p.TOML()), "scatter")
		if err != nil {
			return nil, fmt.Errorf("scatter view: %w", err)
		}
		res, err := study.Run(ctx, s.opt.Data, spec)
		if err != nil {
			return nil, err
		}
		view := &scatterView{res: res}
		view.json = sync.OnceValues(func() ([]byte, error) { return marshal(res) })
		view.figure = sync.OnceValues(func() (*drawn, error) { return newFigure(report.AllMetrosScatter(res)) })
		return view, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*scatterView), nil
}

// drawn is a figure with its SVG and CSV.
type drawn struct {
	fig *chart.Figure
	report.Rendered
}

// newFigure credits a figure the dashboard made with the assay version,
// as the report credits its own, and renders it.
func newFigure(fig *chart.Figure, err error) (*drawn, error) {
	if err != nil {
		return nil, err
	}
	report.Credit(fig)
	return renderFigure(fig)
}

// renderFigure renders a figure that is credited already.
func renderFigure(fig *chart.Figure) (*drawn, error) {
	r, err := report.Render(fig)
	if err != nil {
		return nil, err
	}
	return &drawn{fig, r}, nil
}
