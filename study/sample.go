package study

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/textfmt"
	"github.com/assaylab/assay/moe"
)

// Choice is one specification's choice on every dimension that shapes the
// sample (the estimator and weights do not).
type Choice struct {
	Years     Years
	Source    Source
	Group     string
	Measure   Measure
	Offense   assay.Offense
	Change    Change
	Selection Selection
	Coverage  Coverage
	// Exclude are metros the study leaves out after selection.
	Exclude []string
}

func (s Selection) String() string {
	if s.Rule == All {
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
	if c.Match == ExactMatch {
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
	Weight float64 `json:"weight"`
	// Sources are the FBI Table 6 blocks behind the rates, as file and row.
	Sources   []string `json:"sources,omitempty"`
	Synthetic bool     `json:"synthetic,omitempty"`
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

// SeedKey identifies what a permutation test on the sample sees (the
// metros and how X and Y were measured), so identical samples reached by
// different rules get the same seed and the same permutation p.
func (s *Sample) SeedKey(c Choice) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%s|%s|%s|%s", c.Years, c.Source, c.Group, c.Measure, c.Offense.Key(), c.Change)
	for _, r := range s.Rows {
		b.WriteString("|" + r.CBSA)
	}
	return b.String()
}

// Columns returns X, Y and the weights.
func (s *Sample) Columns() (x, y, w []float64) {
	for _, r := range s.Rows {
		x, y, w = append(x, r.X), append(y, r.Y), append(w, r.Weight)
	}
	return x, y, w
}

// Data is what every specification of a run reads: the dataset and its
// metro-year panel, indexed by metro.
type Data struct {
	ds    *assay.Dataset
	panel *assay.Panel
	cbsas []string // every CBSA of the panel, ascending
	// spans holds where each CBSA's observations start and end in the
	// panel (which is sorted by CBSA and year).
	spans map[string][2]int
	// years caches MeasuredYears by source and group.
	years sync.Map
}

// NewData prepares a dataset for studies. vintage is the delineation the
// study codes metros in; empty means the dataset's own, and another is an
// error: names were matched to one vintage at ingest.
func NewData(ds *assay.Dataset, vintage string) (*Data, error) {
	if vintage == "" {
		vintage = ds.Vintage
	}
	if vintage != ds.Vintage {
		return nil, fmt.Errorf("vintage %s: the data's FBI names were matched to delineation %s; ingest again with --vintage %s", vintage, ds.Vintage, vintage)
	}
	if len(ds.Panel.Obs) == 0 {
		return nil, fmt.Errorf("the data has no metro-year panel (an empty or partial dataset): ingest builds it")
	}
	d := &Data{ds: ds, panel: &ds.Panel, spans: map[string][2]int{}}
	for i, o := range d.panel.Obs {
		if n := len(d.cbsas); n == 0 || d.cbsas[n-1] != o.CBSA {
			d.cbsas = append(d.cbsas, o.CBSA)
			d.spans[o.CBSA] = [2]int{i, i}
		}
		sp := d.spans[o.CBSA]
		d.spans[o.CBSA] = [2]int{sp[0], i + 1}
	}
	return d, nil
}

// Dataset is the data the studies read.
func (d *Data) Dataset() *assay.Dataset { return d.ds }

// Vintage is the delineation the metros are coded in.
func (d *Data) Vintage() string { return d.panel.Vintage }

// Metros lists every CBSA of the panel, ascending.
func (d *Data) Metros() []string { return d.cbsas }

// At returns a metro's observation in a year, or nil: a short scan of its
// own years, where a multiverse asks thousands of times.
func (d *Data) At(cbsa string, year int) *assay.Observation {
	obs := d.Series(cbsa)
	for i := range obs {
		if obs[i].Year == year {
			return &obs[i]
		}
	}
	return nil
}

// Series returns a metro's observations, by year.
func (d *Data) Series(cbsa string) []assay.Observation {
	sp, ok := d.spans[cbsa]
	if !ok {
		return nil
	}
	return d.panel.Obs[sp[0]:sp[1]]
}

// Measured is a metro's immigrant count and share in one year.
type Measured struct {
	Count, Share, Population assay.Estimate
	Synthetic                bool
}

// MeasureAt reads the immigrant measure of an observation; false when it
// has none.
func MeasureAt(o *assay.Observation, source Source, group string) (Measured, bool) {
	if o == nil {
		return Measured{}, false
	}
	if source == Bundled {
		n := o.Nativity
		if n == nil || !n.Share.Value.Valid {
			return Measured{}, false
		}
		return Measured{Count: n.ForeignBorn, Share: n.Share, Population: n.Total}, true
	}
	c := o.Origin(group, string(source))
	if c == nil || !c.Share.Value.Valid {
		return Measured{}, false
	}
	return Measured{Count: c.Count, Share: c.Share, Population: c.Population, Synthetic: c.Synthetic}, true
}

// MeasuredYears lists the years any metro has the measure, ascending.
// A multiverse asks for them once per specification, from several
// goroutines, so each answer is kept.
func (d *Data) MeasuredYears(source Source, group string) []int {
	key := string(source) + "|" + group
	if ys, ok := d.years.Load(key); ok {
		return ys.([]int)
	}
	var ys []int
	for i := range d.panel.Obs {
		o := &d.panel.Obs[i]
		if _, ok := MeasureAt(o, source, group); ok && !slices.Contains(ys, o.Year) {
			ys = append(ys, o.Year)
		}
	}
	slices.Sort(ys)
	d.years.Store(key, ys)
	return ys
}

// Has reports whether any metro has the measure in a year.
func (d *Data) Has(source Source, group string, year int) bool {
	return slices.Contains(d.MeasuredYears(source, group), year)
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
	if c.Match == ExactMatch && r.Match != assay.MatchExact && r.Match != assay.MatchNormalized {
		return fmt.Sprintf("the FBI name %q matched its CBSA by %s in %d, not exactly", r.Name, r.Match, year)
	}
	return ""
}

// cand is a metro the selection considers.
type cand struct {
	code       string
	base, end  *assay.Observation
	bm, em     Measured
	bok, eok   bool
	rankValue  float64
	fbiProblem string
}

// row is the candidate as a sample row, ranked rank (0: no ranking).
func (k *cand) row(rank int) Row {
	return Row{CBSA: k.code, Title: metroTitle(k.base, k.end), Rank: rank, BaseCount: k.bm.Count, BaseShare: k.bm.Share,
		EndShare: k.em.Share, Synthetic: k.bm.Synthetic || k.em.Synthetic}
}

// selectMetros applies a choice's selection rule: every metro with the
// immigrant measure in both years, or the top N of a ranking, in rank
// order. It also reports how many metros were ranked.
func (d *Data) selectMetros(c Choice) ([]cand, int, error) {
	have := d.MeasuredYears(c.Source, c.Group)
	if !slices.Contains(have, c.Years.Base) || !slices.Contains(have, c.Years.End) {
		return nil, 0, &MissingOriginError{Source: c.Source, Group: c.Group, Years: c.Years, Have: have, Groups: d.Groups(c.Source)}
	}
	var cands []cand
	sel := c.Selection
	for _, code := range d.cbsas {
		k := cand{code: code, base: d.At(code, c.Years.Base), end: d.At(code, c.Years.End)}
		k.bm, k.bok = MeasureAt(k.base, c.Source, c.Group)
		k.em, k.eok = MeasureAt(k.end, c.Source, c.Group)
		k.fbiProblem = fbiProblem(k.base, c.Years.Base, c.Coverage)
		if k.fbiProblem == "" {
			k.fbiProblem = fbiProblem(k.end, c.Years.End, c.Coverage)
		}
		rank, rok := k.bm, k.bok
		if sel.RankYear == EndYear {
			rank, rok = k.em, k.eok
		}
		switch {
		case sel.Rule == All && !(k.bok && k.eok):
			continue
		case sel.Rule == All:
		case !rok, sel.Pool == FBIPool && k.fbiProblem != "":
			continue
		case sel.Rule == TopCount:
			if !rank.Count.Value.Valid {
				continue
			}
			k.rankValue = rank.Count.Value.V
		default:
			k.rankValue = rank.Share.Value.V
		}
		if sel.MinPopulation > 0 && rank.Population.Value.Or(0) < sel.MinPopulation {
			continue
		}
		cands = append(cands, k)
	}
	if sel.Rule == All {
		return cands, 0, nil
	}
	// CBSA codes break ties, so the order is total.
	slices.SortFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(b.rankValue, a.rankValue), cmp.Compare(a.code, b.code))
	})
	return cands[:min(sel.N, len(cands))], len(cands), nil
}

// Sample builds the metros of one choice: the selected ones with every
// measure, and the others with the reason each dropped out.
func (d *Data) Sample(c Choice) (*Sample, error) {
	cands, ranked, err := d.selectMetros(c)
	if err != nil {
		return nil, err
	}
	s := &Sample{Ranked: ranked}
	for i, k := range cands {
		rank := 0
		if c.Selection.Rule != All {
			rank = i + 1
		}
		r := k.row(rank)
		s.Synthetic = s.Synthetic || r.Synthetic
		if k.base != nil && k.base.Crime != nil {
			r.BaseRate, r.Weight = k.base.Crime.Rate[c.Offense], k.base.Crime.Population.Or(0)
			r.Sources = append(r.Sources, crimeSource(k.base.Crime))
		}
		if k.end != nil && k.end.Crime != nil {
			r.EndRate = k.end.Crime.Rate[c.Offense]
			r.Sources = append(r.Sources, crimeSource(k.end.Crime))
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
			if r.X, err = measureValue(c.Measure, k.bm.Share.Value.V, k.em.Share.Value.V); err != nil {
				reason = "immigrant measure: " + err.Error()
			} else if r.Y, err = changeValue(c.Change, r.BaseRate.V, r.EndRate.V); err != nil {
				reason = "outcome: " + err.Error()
			}
		}
		if reason == "" && slices.Contains(c.Exclude, k.code) {
			reason = ExcludedReason
		}
		if reason != "" {
			s.Dropped = append(s.Dropped, Drop{Row: r, Reason: reason})
			continue
		}
		s.Rows = append(s.Rows, r)
	}
	return s, nil
}

// ExcludedReason is the reason a metro the study excludes is dropped
// with, when nothing else kept it out of the sample.
const ExcludedReason = "left out by the study (exclude)"

// crimeSource names a Table 6 block by its file and row.
func crimeSource(r *assay.CrimeRecord) string { return r.Source + " row " + strconv.Itoa(r.Row) }

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
func measureValue(measure Measure, base, end float64) (float64, error) {
	switch measure {
	case Share:
		return 100 * base, nil
	case PPChange:
		return 100 * (end - base), nil
	case PctChange:
		if base <= 0 {
			return 0, fmt.Errorf("percent change from a zero share")
		}
		return 100 * (end/base - 1), nil
	case LogShare:
		if base <= 0 || end <= 0 {
			return 0, fmt.Errorf("log of a zero share")
		}
		return math.Log(end) - math.Log(base), nil
	}
	return 0, fmt.Errorf("unknown measure %q", measure)
}

// changeValue is the outcome's change between two rates.
func changeValue(change Change, base, end float64) (float64, error) {
	switch change {
	case RateChange:
		return end - base, nil
	case PctRateChange:
		if base <= 0 {
			return 0, fmt.Errorf("percent change from a zero rate")
		}
		return 100 * (end/base - 1), nil
	case LogRatio:
		if base <= 0 || end <= 0 {
			return 0, fmt.Errorf("log ratio with a zero rate")
		}
		return math.Log(end / base), nil
	}
	return 0, fmt.Errorf("unknown change %q", change)
}

// ShareChange is the change in a metro's share between the two years with
// the 90% margin of error of the difference (the sum rule).
func ShareChange(r Row) assay.Estimate { return moe.Difference(r.EndShare, r.BaseShare) }

// GroupWord names an origin group for a reader.
func GroupWord(source Source, group string) string {
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

// acs5Years is how many years an ACS 5-year period spans.
const acs5Years = 5

// sourceWord names where the immigrant measure comes from.
func sourceWord(source Source, y Years) string {
	switch source {
	case Bundled:
		return fmt.Sprintf("ACS 5-year county data summed into metros, %s and %s", Period5(y.Base), Period5(y.End))
	case ACS5:
		return "ACS 5-year B05006 by metro"
	}
	return "ACS 1-year B05006 by metro"
}

// Period5 names the ACS 5-year period ending in a year.
func Period5(end int) string { return fmt.Sprintf("%d-%d", end-acs5Years+1, end) }

// MeasureLabel says what X is, in words.
func (c Choice) MeasureLabel() string {
	what := fmt.Sprintf("%s share of the population", GroupWord(c.Source, c.Group))
	var s string
	switch c.Measure {
	case Share:
		s = fmt.Sprintf("%s in %d (percent)", what, c.Years.Base)
	case LogShare:
		s = fmt.Sprintf("log change in the %s, %s", what, c.Years)
	case PPChange:
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

// OutcomeLabel says what Y is, in words.
func (c Choice) OutcomeLabel() string {
	what := strings.ReplaceAll(c.Offense.Key(), "_", " ") + " crime rate per 100,000"
	if c.Offense == assay.Murder {
		what = "murder rate per 100,000"
	}
	switch c.Change {
	case PctRateChange:
		return fmt.Sprintf("percent change in the %s, %s [FBI Table 6]", what, c.Years)
	case LogRatio:
		return fmt.Sprintf("log ratio of the %s, %s [FBI Table 6]", what, c.Years)
	}
	return fmt.Sprintf("change in the %s, %s [FBI Table 6]", what, c.Years)
}

// RapeNote warns when violent crime spans a change of rape definition.
func RapeNote(o assay.Offense, years ...int) string {
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

// Groups lists the origin groups the data has counts of, for a source:
// foreign_born for the bundled source, and none for a product not fetched.
func (d *Data) Groups(source Source) []string {
	var out []string
	if source == Bundled {
		return []string{ForeignBorn}
	}
	for _, c := range d.ds.OriginCounts {
		if c.Product == string(source) && c.Level == "cbsa" && !slices.Contains(out, c.Group) {
			out = append(out, c.Group)
		}
	}
	slices.Sort(out)
	return out
}

// MissingOriginError says the data has no immigrant measure of the kind
// and years a study needs: assay bundles no metro B05006 counts, users
// fetch them.
type MissingOriginError struct {
	Source Source
	Group  string
	Years  Years
	// Have are the years the data has the measure; Groups the origin
	// groups it has counts of for the source.
	Have   []int
	Groups []string
	// Rerun is the command that runs the study again once the counts are
	// loaded (the command line sets it); empty means "assay study FILE".
	Rerun string
}

func (e *MissingOriginError) Error() string {
	if e.Source == Bundled {
		periods := make([]string, len(e.Have))
		for i, y := range e.Have {
			periods[i] = Period5(y)
		}
		return fmt.Sprintf("no bundled all-foreign-born shares for the 5-year periods ending %d and %d (the data has %s)", e.Years.Base, e.Years.End, textfmt.OrNone(periods))
	}
	if len(e.Groups) > 0 && !slices.Contains(e.Groups, e.Group) {
		return fmt.Sprintf("no metro %s counts of origin group %q in the data (it has %s); other groups are counted at ingest: assay ingest --census DIR --groups FILE",
			e.Source, e.Group, strings.Join(e.Groups, ", "))
	}
	return fmt.Sprintf("no metro %s %s counts for %d and %d in the data (it has %s); to fetch and use them: %s",
		e.Source, e.Group, e.Years.Base, e.Years.End, textfmt.OrNone(yearStrings(e.Have)), FetchHint(e.Source, e.Years, cmp.Or(e.Rerun, "assay study FILE")))
}

// short is the reason a multiverse gives for skipping a specification.
func (e *MissingOriginError) short() string {
	return fmt.Sprintf("no %s %s measure for %d and %d in the data", e.Source, e.Group, e.Years.Base, e.Years.End)
}

func yearStrings(ys []int) []string {
	out := make([]string, len(ys))
	for i, y := range ys {
		out[i] = fmt.Sprint(y)
	}
	return out
}

// FetchHint gives the commands that fetch and load metro B05006 counts.
// then is the command to run once they are loaded.
func FetchHint(product Source, y Years, then string) string {
	if product == Bundled || product == "" {
		product = ACS1
	}
	return fmt.Sprintf("assay fetch census --table B05006 --years %d,%d --geo cbsa --product %s --out acs && assay ingest --census acs --db assay.duckdb && %s --db assay.duckdb (the fetch needs CENSUS_API_KEY)",
		y.Base, y.End, product, then)
}
