package study

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/moe"
	"github.com/assaylab/assay/panel"
)

// choice is one specification's choice on every dimension that shapes the
// sample (the estimator and weights do not).
type choice struct {
	Years     Years
	Source    string
	Group     string
	Measure   string
	Offense   assay.Offense
	Change    string
	Selection Selection
	Coverage  Coverage
}

func (s Selection) String() string {
	if s.Rule == "all" {
		out := "all"
		if s.MinPopulation > 0 {
			out += fmt.Sprintf(" (population >= %.0f)", s.MinPopulation)
		}
		return out
	}
	out := fmt.Sprintf("%s %d (%s pool, %s year", s.Rule, s.N, s.Pool, s.RankYear)
	if s.MinPopulation > 0 {
		out += fmt.Sprintf(", population >= %.0f", s.MinPopulation)
	}
	return out + ")"
}

func (c Coverage) String() string {
	out := "as published"
	if c.Min > 0 {
		out = fmt.Sprintf("coverage >= %g", c.Min)
	}
	if c.Match == "exact" {
		out += ", exact names"
	}
	return out
}

// Row is one metro of a cross-sectional sample: its immigrant measure and
// crime rates in the two years, and the X and Y the estimators see.
type Row struct {
	CBSA  string `json:"cbsa"`
	Title string `json:"title"`
	// Rank is the metro's place in the selection's ranking (0 under rule
	// all).
	Rank      int            `json:"rank,omitempty"`
	BaseCount assay.Estimate `json:"base_count"`
	BaseShare assay.Estimate `json:"base_share"`
	EndShare  assay.Estimate `json:"end_share"`
	BaseRate  assay.Num      `json:"base_rate"` // FBI rate per 100,000
	EndRate   assay.Num      `json:"end_rate"`
	X         float64        `json:"x"`
	Y         float64        `json:"y"`
	// Weight is the FBI population of the base year.
	Weight    float64 `json:"weight"`
	Synthetic bool    `json:"synthetic,omitempty"`
}

// Drop is a metro the selection chose, or that had the immigrant measure
// in both years, but that cannot enter the sample, and why.
type Drop struct {
	Row
	Reason string `json:"reason"`
}

// Sample is the metros one specification analyses.
type Sample struct {
	Rows    []Row  `json:"metros"`
	Dropped []Drop `json:"dropped,omitempty"`
	// Ranked is how many metros the selection ranked (0 under rule all).
	Ranked    int  `json:"ranked,omitempty"`
	Synthetic bool `json:"synthetic,omitempty"`
}

// seedKey identifies what a permutation test on the sample sees (the
// metros and how X and Y were measured), so identical samples reached by
// different rules get the same seed and the same permutation p.
func (s *Sample) seedKey(c choice) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%s|%s|%s|%s", c.Years, c.Source, c.Group, c.Measure, c.Offense.Key(), c.Change)
	for _, r := range s.Rows {
		b.WriteString("|" + r.CBSA)
	}
	return b.String()
}

// columns returns X, Y and the weights.
func (s *Sample) columns() (x, y, w []float64) {
	for _, r := range s.Rows {
		x, y, w = append(x, r.X), append(y, r.Y), append(w, r.Weight)
	}
	return x, y, w
}

// data is what every specification of a run reads.
type data struct {
	ds    *assay.Dataset
	panel *assay.Panel
	cbsas []string // every CBSA of the panel, ascending
	// spans holds where each CBSA's observations start and end in the
	// panel (which is sorted by CBSA and year).
	spans map[string][2]int
}

func newData(ds *assay.Dataset, vintage string) (*data, error) {
	if vintage == "" {
		vintage = ds.Vintage
	}
	if vintage != ds.Vintage {
		return nil, fmt.Errorf("vintage %s: the data's FBI names were matched to delineation %s; ingest again with --vintage %s", vintage, ds.Vintage, vintage)
	}
	p, _, err := panel.Build(ds, vintage)
	if err != nil {
		return nil, err
	}
	d := &data{ds: ds, panel: p, spans: map[string][2]int{}}
	for i, o := range p.Obs {
		if n := len(d.cbsas); n == 0 || d.cbsas[n-1] != o.CBSA {
			d.cbsas = append(d.cbsas, o.CBSA)
			d.spans[o.CBSA] = [2]int{i, i}
		}
		sp := d.spans[o.CBSA]
		d.spans[o.CBSA] = [2]int{sp[0], i + 1}
	}
	return d, nil
}

// immigrant is a metro's immigrant count and share in one year.
type immigrant struct {
	count, share, population assay.Estimate
	synthetic                bool
}

// immigrantAt reads the measure of an observation; false when it has none.
func immigrantAt(o *assay.Observation, source, group string) (immigrant, bool) {
	if o == nil {
		return immigrant{}, false
	}
	if source == Bundled {
		n := o.Nativity
		if n == nil || !n.Share.Value.Valid {
			return immigrant{}, false
		}
		return immigrant{count: n.ForeignBorn, share: n.Share, population: n.Total}, true
	}
	c := o.Origin(group, source)
	if c == nil || !c.Share.Value.Valid {
		return immigrant{}, false
	}
	return immigrant{count: c.Count, share: c.Share, population: c.Population, synthetic: c.Synthetic}, true
}

// hasImmigrant reports whether any observation has the measure in a year.
func (d *data) hasImmigrant(source, group string, year int) bool {
	for i := range d.panel.Obs {
		o := &d.panel.Obs[i]
		if o.Year == year {
			if _, ok := immigrantAt(o, source, group); ok {
				return true
			}
		}
	}
	return false
}

// fbiProblem says why an observation's FBI block fails the coverage
// filter, or "" when it passes.
func fbiProblem(o *assay.Observation, year int, c Coverage) string {
	if o == nil || o.Crime == nil {
		return fmt.Sprintf("the FBI did not publish it in %d", year)
	}
	r := o.Crime
	if c.Min > 0 && (!r.Coverage.Valid || r.Coverage.V < c.Min) {
		return fmt.Sprintf("FBI coverage %s in %d, below %g", r.Coverage, year, c.Min)
	}
	if c.Match == "exact" && r.Match != "exact" && r.Match != "normalized" {
		return fmt.Sprintf("the FBI name %q matched its CBSA by %s in %d, not exactly", r.Name, r.Match, year)
	}
	return ""
}

// cand is a metro the selection considers.
type cand struct {
	row        Row
	base, end  *assay.Observation
	bm, em     immigrant
	bok, eok   bool
	rankValue  float64
	fbiProblem string
}

// selectMetros applies a choice's selection rule: every metro with the
// immigrant measure in both years, or the top N of a ranking, in rank
// order. It also reports how many metros were ranked.
func (d *data) selectMetros(c choice) ([]cand, int, error) {
	if !d.hasImmigrant(c.Source, c.Group, c.Years.Base) || !d.hasImmigrant(c.Source, c.Group, c.Years.End) {
		return nil, 0, &MissingOriginError{Source: c.Source, Group: c.Group, Years: c.Years}
	}
	var cands []cand
	sel := c.Selection
	for _, code := range d.cbsas {
		k := cand{base: d.panel.At(code, c.Years.Base), end: d.panel.At(code, c.Years.End)}
		k.bm, k.bok = immigrantAt(k.base, c.Source, c.Group)
		k.em, k.eok = immigrantAt(k.end, c.Source, c.Group)
		k.row = Row{CBSA: code, Title: metroTitle(k.base, k.end), BaseCount: k.bm.count, BaseShare: k.bm.share,
			EndShare: k.em.share, Synthetic: k.bm.synthetic || k.em.synthetic}
		k.fbiProblem = fbiProblem(k.base, c.Years.Base, c.Coverage)
		if k.fbiProblem == "" {
			k.fbiProblem = fbiProblem(k.end, c.Years.End, c.Coverage)
		}
		rank, rok := k.bm, k.bok
		if sel.RankYear == "end" {
			rank, rok = k.em, k.eok
		}
		switch {
		case sel.Rule == "all" && !(k.bok && k.eok):
			continue
		case sel.Rule == "all":
		case !rok, sel.Pool == "fbi" && k.fbiProblem != "":
			continue
		case sel.Rule == "top_count":
			if !rank.count.Value.Valid {
				continue
			}
			k.rankValue = rank.count.Value.V
		default:
			k.rankValue = rank.share.Value.V
		}
		if sel.MinPopulation > 0 && rank.population.Value.Or(0) < sel.MinPopulation {
			continue
		}
		cands = append(cands, k)
	}
	if sel.Rule == "all" {
		return cands, 0, nil
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(b.rankValue, a.rankValue), cmp.Compare(a.row.CBSA, b.row.CBSA))
	})
	ranked := len(cands)
	if len(cands) > sel.N {
		cands = cands[:sel.N]
	}
	for i := range cands {
		cands[i].row.Rank = i + 1
	}
	return cands, ranked, nil
}

// sample builds the metros of one choice: the selected ones with every
// measure, and the others with the reason each dropped out.
func (d *data) sample(c choice) (*Sample, error) {
	cands, ranked, err := d.selectMetros(c)
	if err != nil {
		return nil, err
	}
	s := &Sample{Ranked: ranked}
	for _, k := range cands {
		r := k.row
		s.Synthetic = s.Synthetic || r.Synthetic
		if k.base != nil && k.base.Crime != nil {
			r.BaseRate, r.Weight = k.base.Crime.Rate[c.Offense], k.base.Crime.Population.Or(0)
		}
		if k.end != nil && k.end.Crime != nil {
			r.EndRate = k.end.Crime.Rate[c.Offense]
		}
		reason := ""
		switch {
		case !k.bok:
			reason = fmt.Sprintf("no immigrant measure for %d", c.Years.Base)
		case !k.eok:
			reason = fmt.Sprintf("no immigrant measure for %d", c.Years.End)
		case k.fbiProblem != "":
			reason = k.fbiProblem
		case !r.BaseRate.Valid:
			reason = fmt.Sprintf("the FBI left its %s rate blank in %d", c.Offense.Key(), c.Years.Base)
		case !r.EndRate.Valid:
			reason = fmt.Sprintf("the FBI left its %s rate blank in %d", c.Offense.Key(), c.Years.End)
		}
		if reason == "" {
			var err error
			if r.X, err = measureValue(c.Measure, k.bm.share.Value.V, k.em.share.Value.V); err != nil {
				reason = "immigrant measure: " + err.Error()
			} else if r.Y, err = changeValue(c.Change, r.BaseRate.V, r.EndRate.V); err != nil {
				reason = "outcome: " + err.Error()
			}
		}
		if reason != "" {
			s.Dropped = append(s.Dropped, Drop{Row: r, Reason: reason})
			continue
		}
		s.Rows = append(s.Rows, r)
	}
	return s, nil
}

func metroTitle(obs ...*assay.Observation) string {
	for _, o := range obs {
		if o != nil && o.Title != "" {
			return o.Title
		}
	}
	return ""
}

// measureValue is the immigrant measure from the shares (0..1) of the two
// years: the base-year share in percent, the log ratio of the shares, the
// change in percentage points, or the percent change.
func measureValue(measure string, base, end float64) (float64, error) {
	switch measure {
	case "share":
		return 100 * base, nil
	case "pp_change":
		return 100 * (end - base), nil
	case "pct_change":
		if base <= 0 {
			return 0, fmt.Errorf("percent change from a zero share")
		}
		return 100 * (end/base - 1), nil
	case "log_share":
		if base <= 0 || end <= 0 {
			return 0, fmt.Errorf("log of a zero share")
		}
		return math.Log(end) - math.Log(base), nil
	}
	return 0, fmt.Errorf("unknown measure %q", measure)
}

// changeValue is the outcome's change between two rates.
func changeValue(change string, base, end float64) (float64, error) {
	switch change {
	case "rate_change":
		return end - base, nil
	case "pct_change":
		if base <= 0 {
			return 0, fmt.Errorf("percent change from a zero rate")
		}
		return 100 * (end/base - 1), nil
	case "log_ratio":
		if base <= 0 || end <= 0 {
			return 0, fmt.Errorf("log ratio with a zero rate")
		}
		return math.Log(end / base), nil
	}
	return 0, fmt.Errorf("unknown change %q", change)
}

// shareChange is the change in a share between two years with the 90%
// margin of error of the difference (the sum rule).
func shareChange(r Row) assay.Estimate { return moe.Difference(r.EndShare, r.BaseShare) }

// groupWord names an origin group for a reader.
func groupWord(source, group string) string {
	if source == Bundled {
		return "all-foreign-born"
	}
	switch group {
	case "ntca":
		return "NTCA-born"
	case "mexico":
		return "Mexico-born"
	case "central_america":
		return "Central America-born"
	case ForeignBorn:
		return "foreign-born"
	}
	return group
}

// sourceWord names where the immigrant measure comes from.
func sourceWord(source string, y Years) string {
	switch source {
	case Bundled:
		return fmt.Sprintf("ACS 5-year county data summed into metros, %d-%d and %d-%d", y.Base-4, y.Base, y.End-4, y.End)
	case "acs5":
		return "ACS 5-year B05006 by metro"
	}
	return "ACS 1-year B05006 by metro"
}

// measureLabel says what X is, in words.
func measureLabel(c choice) string {
	what := fmt.Sprintf("%s share of the population", groupWord(c.Source, c.Group))
	var s string
	switch c.Measure {
	case "share":
		s = fmt.Sprintf("%s in %d (percent)", what, c.Years.Base)
	case "log_share":
		s = fmt.Sprintf("log change in the %s, %s", what, c.Years)
	case "pp_change":
		s = fmt.Sprintf("change in the %s, %s (percentage points)", what, c.Years)
	default:
		s = fmt.Sprintf("percent change in the %s, %s", what, c.Years)
	}
	s += " [" + sourceWord(c.Source, c.Years) + "]"
	if c.Source == Bundled {
		s += " - not the NTCA-born share"
	}
	return s
}

// outcomeLabel says what Y is, in words.
func outcomeLabel(o assay.Offense, change string, y Years) string {
	what := strings.ReplaceAll(o.Key(), "_", " ") + " crime rate per 100,000"
	if o == assay.Murder {
		what = "murder rate per 100,000"
	}
	switch change {
	case "pct_change":
		return fmt.Sprintf("percent change in the %s, %s [FBI Table 6]", what, y)
	case "log_ratio":
		return fmt.Sprintf("log ratio of the %s, %s [FBI Table 6]", what, y)
	}
	return fmt.Sprintf("change in the %s, %s [FBI Table 6]", what, y)
}

// rapeNote warns when violent crime spans a change of rape definition.
func rapeNote(o assay.Offense, years ...int) string {
	if o != assay.Violent {
		return ""
	}
	var defs []string
	for _, y := range years {
		d := string(assay.RapeDefinitionFor(y))
		if !slices.Contains(defs, d) {
			defs = append(defs, d)
		}
	}
	if len(defs) < 2 {
		return ""
	}
	parts := make([]string, len(years))
	for i, y := range years {
		parts[i] = fmt.Sprintf("%d %s", y, assay.RapeDefinitionFor(y))
	}
	return fmt.Sprintf("violent crime counts rape under different definitions (%s): part of its change is definitional; murder is comparable across years", strings.Join(parts, ", "))
}

// MissingOriginError says the data has no metro origin counts of the kind a
// study needs: assay bundles none, users fetch them.
type MissingOriginError struct {
	Source string
	Group  string
	Years  Years
	// Rerun is the command that runs the study again once the counts are
	// loaded (the command line sets it); empty means "assay study FILE".
	Rerun string
}

func (e *MissingOriginError) Error() string {
	if e.Source == Bundled {
		return fmt.Sprintf("no bundled all-foreign-born shares for the 5-year periods ending %d and %d (assay bundles 2008-2012 and 2013-2017 only)", e.Years.Base, e.Years.End)
	}
	return fmt.Sprintf("no metro %s %s counts for %d and %d in the data (assay bundles no metro B05006); to fetch and use them: %s",
		e.Source, e.Group, e.Years.Base, e.Years.End, FetchHint(e.Source, e.Years, cmp.Or(e.Rerun, "assay study FILE")))
}

// FetchHint gives the commands that fetch and load metro B05006 counts.
// then is the command to run once they are loaded.
func FetchHint(product string, y Years, then string) string {
	if product == Bundled || product == "" {
		product = "acs1"
	}
	return fmt.Sprintf("assay fetch census --table B05006 --years %d,%d --geo cbsa --product %s --out acs && assay ingest --census acs --db assay.duckdb && %s --db assay.duckdb (the fetch needs CENSUS_API_KEY)",
		y.Base, y.End, product, then)
}
