// Package blanchard2019 is the January 2019 Justice in Mexico working
// paper on Central American immigration and violent crime as a published
// analysis assay checks: its metro design (27 metros, 2012-2017, four
// readings of its selection rule) run on the study engine, a verdict for
// each of its claims with the prose that explains it, and its design as a
// study spec. It registers its evaluators through package papers; the
// engine (package study) knows nothing of it.
package blanchard2019

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/parallel"
	"github.com/assaylab/assay/panel"
	"github.com/assaylab/assay/stats"
	"github.com/assaylab/assay/study"
)

// Name is the analysis's name on the command line (assay reproduce NAME)
// and in findings.
const Name = "blanchard2019"

// Paper is the working paper Reproduce follows.
const Paper = `"Immigration and National Security: An Empirical Assessment of Central American Immigration and Violent Crime in the United States", Justice in Mexico working paper series vol. 16 no. 1, January 2019`

// The paper's design: 2012 against 2017, 27 metros.
var paperYears = study.Years{Base: 2012, End: 2017}

const paperN = 27

// ReproduceOptions tune Reproduce; the zero value is the default.
type ReproduceOptions struct {
	// Product is acs1 or acs5; empty takes acs1 when the data has it for
	// both years, else acs5.
	Product study.Source
	Perm    int     // permutations per correlation; 0 means none (analytic p-values)
	Boot    int     // bootstrap resamples for WP07's difference; 0 means 2000
	Seed    uint64  // 0 means 1
	Level   float64 // 0 means 0.95
}

func (o *ReproduceOptions) defaults() {
	if o.Boot == 0 {
		o.Boot = 2000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Level == 0 {
		o.Level = 0.95
	}
}

// Rule is one reading of "the 27 metros with the highest NTCA
// concentration": the paper publishes no list.
type Rule struct {
	Key         string          `json:"key"`
	Description string          `json:"description"`
	Selection   study.Selection `json:"selection"`
}

// PaperRules are the selection rules Reproduce compares; the first is the
// headline one.
func PaperRules() []Rule {
	top := func(rule study.Rule, pool study.Pool) study.Selection {
		return study.Selection{Rule: rule, N: paperN, Pool: pool, RankYear: study.BaseYear}
	}
	among := fmt.Sprintf("among metros the FBI published in %d and %d", paperYears.Base, paperYears.End)
	const dropOut = "those the FBI did not publish in both years drop out"
	return []Rule{
		{"count_fbi", fmt.Sprintf("top %d by count in %d, %s", paperN, paperYears.Base, among), top(study.TopCount, study.FBIPool)},
		{"count", fmt.Sprintf("top %d by count in %d; %s", paperN, paperYears.Base, dropOut), top(study.TopCount, study.CensusPool)},
		{"share_fbi", fmt.Sprintf("top %d by share in %d, %s", paperN, paperYears.Base, among), top(study.TopShare, study.FBIPool)},
		{"share", fmt.Sprintf("top %d by share in %d; %s", paperN, paperYears.Base, dropOut), top(study.TopShare, study.CensusPool)},
	}
}

// RuleEstimate is one outcome's correlation under one selection rule.
type RuleEstimate struct {
	Sample  *study.Sample `json:"sample"`
	Pearson assay.Finding `json:"pearson"`
	// Slope is the OLS slope (HC3): the change in the rate per 100,000
	// for each percentage point of change in the share; Line draws it with
	// its 95% band.
	Slope assay.Finding     `json:"slope"`
	Line  []study.LinePoint `json:"line"`
}

// HomicideCount tallies WP08 in one rule's metros.
type HomicideCount struct {
	N         int `json:"n"`    // metros with both murder rates and both shares
	Fell      int `json:"fell"` // murder rate lower in the end year
	ShareRose int `json:"share_rose"`
	// ShareRoseBeyondMOE counts rises larger than the 90% margin of error
	// of the difference; MOEKnown says whether the measure has margins.
	ShareRoseBeyondMOE int  `json:"share_rose_beyond_moe"`
	MOEKnown           bool `json:"moe_known"`
	// FellAndRose: murder fell while the share rose (beyond its margin of
	// error where margins are known).
	FellAndRose int `json:"fell_and_rose"`
}

// RuleResult is everything one selection rule gives.
type RuleResult struct {
	Rule    Rule          `json:"rule"`
	Violent *RuleEstimate `json:"violent,omitempty"`
	Murder  *RuleEstimate `json:"murder,omitempty"`
	// Errors say why an outcome could not be estimated.
	Errors []string `json:"errors,omitempty"`
	// Selected counts the metros the rule picked, in the sample or not.
	Selected int           `json:"selected"`
	Homicide HomicideCount `json:"homicide"`
	// ShareFell are the selected metros (in the sample or not) whose share
	// was lower in the end year.
	ShareFell []study.Row `json:"share_fell"`
	// InTop10 are selected metros among the ten highest 2017 violent rates;
	// Unranked are selected metros with no 2017 violent rate to rank.
	InTop10  []string `json:"in_top10"`
	Unranked []string `json:"unranked"`

	synthetic bool
}

// ViolentMetro is one of the most violent metros of a year.
type ViolentMetro struct {
	Rank int       `json:"rank"`
	Name string    `json:"name"`
	CBSA string    `json:"cbsa"`
	Rate assay.Num `json:"violent_rate"`
	// ForeignBornShare is the bundled all-foreign-born share (5-year period
	// ending that year) and its rank among metros; NTCAShare the fetched
	// NTCA-born share and its rank, when the data has it.
	ForeignBornShare assay.Num `json:"foreign_born_share"`
	ForeignBornRank  int       `json:"foreign_born_rank,omitempty"`
	NTCAShare        assay.Num `json:"ntca_share"`
	NTCARank         int       `json:"ntca_rank,omitempty"`
}

// MostViolent is WP10's ranking.
type MostViolent struct {
	Year   int            `json:"year"`
	Top    []ViolentMetro `json:"top"`
	Ranked int            `json:"ranked"`
	// Unranked are MSAs the FBI published without a violent rate: no
	// ranking can place them.
	Unranked []string `json:"unranked"`
	// Metros counts the metros the share ranks are among.
	ForeignBornMetros int `json:"foreign_born_metros"`
	NTCAMetros        int `json:"ntca_metros,omitempty"`
}

// YearRate is a murder rate of one year.
type YearRate struct {
	Year       int       `json:"year"`
	Rate       assay.Num `json:"rate"`
	Count      assay.Num `json:"count"`
	Population assay.Num `json:"population"`
}

// Change is a rate's change between two years.
type Change struct {
	From     int     `json:"from"`
	To       int     `json:"to"`
	FromRate float64 `json:"from_rate"`
	ToRate   float64 `json:"to_rate"`
	Percent  float64 `json:"percent"`
	Source   string  `json:"source,omitempty"`
}

// newChange returns nil when the first rate is zero: no percent change
// exists.
func newChange(from, to int, a, b float64, source string) *Change {
	if a <= 0 {
		return nil
	}
	return &Change{From: from, To: to, FromRate: a, ToRate: b, Percent: 100 * (b/a - 1), Source: source}
}

// Columbus is what the data says about Columbus, Ohio (WP09).
type Columbus struct {
	CBSA  string `json:"cbsa"`
	Title string `json:"title"`
	// Published are the years the FBI published the MSA, with its murder
	// rate; PaperYears is the change over the paper's years when both
	// exist.
	Published  []YearRate `json:"published"`
	PaperYears *Change    `json:"paper_years,omitempty"`
	// Nearest is the change from the last published year at or before the
	// paper's base year to its end year; AfterGap, when the FBI did not
	// publish the base year, from the first year it published after it.
	Nearest  *Change `json:"nearest,omitempty"`
	AfterGap *Change `json:"after_gap,omitempty"`
	// City is the City of Columbus row inside the MSA block (the FBI prints
	// principal cities only inside published blocks).
	City       []YearRate `json:"city"`
	CityChange *Change    `json:"city_change,omitempty"`
	// Agency are the City of Columbus police's years in the agency panel
	// from Table 6's first year on: the city again, from another
	// publication, which may have years Table 6 lacks.
	Agency []YearRate `json:"agency"`
	// CityPaperYears is the city's 2012→2017 change across the two
	// publications: 2012 from the agency panel, 2017 from Table 6's City
	// of Columbus row. CityOverlap sets the two side by side in the years
	// both give, to show how far they agree.
	CityPaperYears *Change       `json:"city_paper_years,omitempty"`
	CityOverlap    []CityOverlap `json:"city_overlap,omitempty"`
	// Shares of the two years: the fetched NTCA-born share (with its
	// margin of error) and the bundled all-foreign-born share.
	NTCABase        assay.Estimate `json:"ntca_share_base"`
	NTCAEnd         assay.Estimate `json:"ntca_share_end"`
	ForeignBornBase assay.Num      `json:"foreign_born_share_base"`
	ForeignBornEnd  assay.Num      `json:"foreign_born_share_end"`
}

// CityOverlap is one year of the City of Columbus in both publications.
type CityOverlap struct {
	Year   int      `json:"year"`
	Agency YearRate `json:"agency_panel"`
	Table6 YearRate `json:"table6"`
}

// Interval is an estimate with a bootstrap percentile interval.
type Interval struct {
	N         int     `json:"n"`
	Estimate  float64 `json:"estimate"`
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
	Resamples int     `json:"resamples"`
}

// Reproduction is the paper's design run on the data, with a verdict on
// each of its metro claims.
type Reproduction struct {
	Paper string      `json:"paper"`
	Years study.Years `json:"years"`
	// Source and Group are the immigrant measure used: fetched NTCA counts,
	// or, without them, the bundled all-foreign-born share as a stand-in.
	Source  study.Source `json:"source"`
	Group   string       `json:"group"`
	Measure string       `json:"measure"`
	HasNTCA bool         `json:"has_ntca"`
	// Missing is one line naming what to fetch, when HasNTCA is false.
	Missing string       `json:"missing,omitempty"`
	Rules   []RuleResult `json:"rules"`
	// Unpaired are metros with an NTCA count for 2017 but none for 2012
	// under the same CBSA code (ACS 2012 used the 2009 delineation): no
	// rule can rank them.
	Unpaired []string `json:"unpaired,omitempty"`
	// MurderMinusViolent is WP07's |r murder| − |r violent| under the
	// first rule, with a paired bootstrap percentile interval.
	MurderMinusViolent *Interval   `json:"murder_minus_violent,omitempty"`
	MostViolent        MostViolent `json:"most_violent"`
	Columbus           Columbus    `json:"columbus"`
	// AllMetros tallies murder 2012→2017 in every metro the FBI published
	// both years; National is the national murder rate's change.
	AllMetros HomicideCount `json:"all_metros_murder"`
	National  *Change       `json:"national_murder,omitempty"`
	// PaperMDC is the smallest |r| the paper's 27 metros detect with the
	// conventional power at the conventional level.
	PaperMDC float64 `json:"paper_mdc"`
	// Claims are the ledger's verdicts on the claims the reproduction
	// bears on (set by FromLedger).
	Claims    []assay.ClaimResult `json:"claims"`
	Synthetic bool                `json:"synthetic,omitempty"`

	ds *assay.Dataset
}

// Reproduce runs the paper's design: the change in the NTCA-born share
// against the change in the violent-crime and murder rates over the
// paper's years, 27 metros, under each of PaperRules. Without fetched metro
// B05006 counts it runs the same design on the bundled all-foreign-born
// share (labelled as such) and says which claims need the counts. The
// verdicts are the ledger's (Evaluators); Reproduce computes what they
// rest on.
func Reproduce(ctx context.Context, ds *assay.Dataset, opt ReproduceOptions) (*Reproduction, error) {
	opt.defaults()
	d, err := study.NewData(ds, "")
	if err != nil {
		return nil, err
	}
	mdc, err := stats.MinDetectableCorrelation(paperN, study.Alpha, study.TargetPower)
	if err != nil {
		return nil, err
	}
	rep := &Reproduction{Paper: Paper, Years: paperYears, Group: "ntca", PaperMDC: mdc, ds: ds}
	for _, p := range []study.Source{opt.Product, study.ACS1, study.ACS5} {
		if p != "" && d.Has(p, "ntca", paperYears.Base) && d.Has(p, "ntca", paperYears.End) {
			rep.Source, rep.HasNTCA = p, true
			break
		}
		if opt.Product != "" {
			break
		}
	}
	if !rep.HasNTCA {
		product := cmp.Or(opt.Product, study.ACS1)
		rep.Source, rep.Group = study.Bundled, study.ForeignBorn
		rep.Missing = fmt.Sprintf("NTCA-born counts by metro (ACS B05006) are not in the data: WP06-WP10 get no verdict and the tables use the all-foreign-born share as a stand-in; to check them: %s",
			study.FetchHint(product, paperYears, "assay reproduce blanchard2019"))
	}
	if rep.HasNTCA {
		for _, code := range d.Metros() {
			_, inBase := study.MeasureAt(d.At(code, paperYears.Base), rep.Source, rep.Group)
			_, inEnd := study.MeasureAt(d.At(code, paperYears.End), rep.Source, rep.Group)
			if inEnd && !inBase {
				rep.Unpaired = append(rep.Unpaired, d.At(code, paperYears.End).Title)
			}
		}
	}
	base := study.Choice{Years: paperYears, Source: rep.Source, Group: rep.Group, Measure: study.PPChange, Change: study.RateChange,
		Coverage: study.Coverage{Match: study.AnyMatch}}
	rep.Measure = base.MeasureLabel()
	ranking := panel.Rank(ds.Crime, paperYears.End, assay.Violent, assay.KindMSA)
	top10 := map[*assay.CrimeRecord]bool{}
	for _, r := range ranking.Ranked[:min(topViolent, len(ranking.Ranked))] {
		top10[r] = true
	}
	progress := study.ProgressOf(ctx)
	rules := PaperRules()
	rep.Rules = make([]RuleResult, len(rules))
	err = parallel.Do(ctx, len(rules), func(i int) error {
		c := base
		c.Selection = rules[i].Selection
		var err error
		rep.Rules[i], err = runRule(d, rules[i], c, opt, top10, rep.Group)
		return err
	}, func(_, done int) { progress("blanchard2019 selection rules", done, len(rules)) })
	if err != nil {
		return nil, err
	}
	for _, rr := range rep.Rules {
		rep.Synthetic = rep.Synthetic || rr.synthetic
	}
	if err := rep.murderDifference(opt); err != nil {
		return nil, err
	}
	rep.MostViolent = mostViolent(d, ranking, rep.HasNTCA, rep.Source)
	rep.Columbus = columbus(d, rep.Source, rep.HasNTCA)
	rep.AllMetros = murderContext(d)
	rep.National = nationalMurder(ds.NationalSeries)
	return rep, nil
}

// topViolent is WP10's ranking: "the ten most violent metros".
const topViolent = 10

// runRule estimates both outcomes under one rule and tallies WP08-WP10.
func runRule(d *study.Data, rule Rule, c study.Choice, opt ReproduceOptions, top10 map[*assay.CrimeRecord]bool, group string) (RuleResult, error) {
	rr := RuleResult{Rule: rule}
	rr.Rule.Description = strings.Replace(rule.Description, "by ", "by "+study.GroupWord(c.Source, group)+" ", 1)
	for _, o := range []assay.Offense{assay.Violent, assay.Murder} {
		c.Offense = o
		smp, err := d.Sample(c)
		if err != nil {
			return rr, err
		}
		rr.synthetic = rr.synthetic || smp.Synthetic
		if o == assay.Violent {
			picked := selected(smp)
			rr.Selected = len(picked)
			for _, r := range picked {
				if r.BaseShare.Value.Valid && r.EndShare.Value.Valid && r.EndShare.Value.V < r.BaseShare.Value.V {
					rr.ShareFell = append(rr.ShareFell, r)
				}
				end := d.At(r.CBSA, paperYears.End)
				switch {
				case end == nil || end.Crime == nil || !end.Crime.Rate[assay.Violent].Valid:
					rr.Unranked = append(rr.Unranked, r.Title)
				case top10[end.Crime]:
					rr.InTop10 = append(rr.InTop10, r.Title)
				}
			}
		}
		if len(smp.Rows) < study.MinMetros {
			rr.Errors = append(rr.Errors, fmt.Sprintf("%s: only %d metros", o.Key(), len(smp.Rows)))
			continue
		}
		f := study.NewFitter(smp, study.Inference{Level: opt.Level, Perm: opt.Perm, Seed: study.SpecSeed(opt.Seed, smp.SeedKey(c))})
		est := &RuleEstimate{Sample: smp}
		if est.Pearson, err = f.Finding(Name, c, d.Vintage(), study.Pearson, study.Unweighted); err != nil {
			return rr, err
		}
		if est.Slope, err = f.Finding(Name, c, d.Vintage(), study.OLS, study.Unweighted); err != nil {
			return rr, err
		}
		est.Pearson.Spec["rule"], est.Slope.Spec["rule"] = rule.Key, rule.Key
		if est.Line, err = study.FitLine(smp, opt.Level, study.Unweighted); err != nil {
			return rr, err
		}
		if o == assay.Violent {
			rr.Violent = est
		} else {
			rr.Murder = est
			rr.Homicide = tallyMurder(smp.Rows)
		}
	}
	return rr, nil
}

// selected lists a sample's metros, in the sample or dropped, in rank order.
func selected(s *study.Sample) []study.Row {
	out := slices.Clone(s.Rows)
	for _, d := range s.Dropped {
		out = append(out, d.Row)
	}
	slices.SortStableFunc(out, func(a, b study.Row) int { return cmp.Compare(a.Rank, b.Rank) })
	return out
}

func tallyMurder(rows []study.Row) HomicideCount {
	var h HomicideCount
	for _, r := range rows {
		h.N++
		fell := r.EndRate.V < r.BaseRate.V
		if fell {
			h.Fell++
		}
		ch := study.ShareChange(r)
		rose := ch.Value.V > 0
		if rose {
			h.ShareRose++
		}
		h.MOEKnown = ch.MOE.Valid
		beyond := rose && ch.MOE.Valid && ch.Value.V > ch.MOE.V
		if beyond {
			h.ShareRoseBeyondMOE++
		}
		if fell && (beyond || rose && !ch.MOE.Valid) {
			h.FellAndRose++
		}
	}
	return h
}

// murderDifference bootstraps |r murder| − |r violent| over the metros of
// the first rule that have both outcomes.
func (rep *Reproduction) murderDifference(opt ReproduceOptions) error {
	rr := rep.Rules[0]
	if rr.Violent == nil || rr.Murder == nil {
		return nil
	}
	murder := map[string]study.Row{}
	for _, r := range rr.Murder.Sample.Rows {
		murder[r.CBSA] = r
	}
	var x, yv, ym []float64
	for _, r := range rr.Violent.Sample.Rows {
		if m, ok := murder[r.CBSA]; ok {
			x, yv, ym = append(x, r.X), append(yv, r.Y), append(ym, m.Y)
		}
	}
	if len(x) < study.MinMetros {
		return nil
	}
	px, pv, pm := make([]float64, len(x)), make([]float64, len(x)), make([]float64, len(x))
	diff := func(idx []int) (float64, bool) {
		for i, j := range idx {
			px[i], pv[i], pm[i] = x[j], yv[j], ym[j]
		}
		v, err1 := stats.Pearson(px, pv, stats.CorrOptions{})
		m, err2 := stats.Pearson(px, pm, stats.CorrOptions{})
		if err1 != nil || err2 != nil || math.IsNaN(v.Terms[0].Estimate) || math.IsNaN(m.Terms[0].Estimate) {
			return 0, false
		}
		return math.Abs(m.Terms[0].Estimate) - math.Abs(v.Terms[0].Estimate), true
	}
	all := make([]int, len(x))
	for i := range all {
		all[i] = i
	}
	est, ok := diff(all)
	if !ok {
		return nil
	}
	b, err := stats.BootstrapStat(len(x), diff, stats.BootOptions{Reps: opt.Boot, Seed: opt.Seed, Level: opt.Level})
	if err != nil {
		return fmt.Errorf("WP07 bootstrap: %w", err)
	}
	rep.MurderMinusViolent = &Interval{N: len(x), Estimate: est, Low: b.PercentLow, High: b.PercentHi, Resamples: b.Used}
	return nil
}

// mostViolent describes the highest violent rates of the end year with
// each metro's immigrant shares and ranks.
func mostViolent(d *study.Data, r panel.Ranking, hasNTCA bool, source study.Source) MostViolent {
	mv := MostViolent{Year: r.Year, Ranked: len(r.Ranked)}
	for _, u := range r.Unranked {
		mv.Unranked = append(mv.Unranked, u.Name)
	}
	fbRank, fbShare := shareRanks(d, study.Bundled, study.ForeignBorn, r.Year)
	mv.ForeignBornMetros = len(fbRank)
	var ntRank map[string]int
	var ntShare map[string]float64
	if hasNTCA {
		ntRank, ntShare = shareRanks(d, source, "ntca", r.Year)
		mv.NTCAMetros = len(ntRank)
	}
	for i, c := range r.Ranked[:min(topViolent, len(r.Ranked))] {
		v := ViolentMetro{Rank: i + 1, Name: c.Name, CBSA: c.CBSA, Rate: c.Rate[assay.Violent]}
		if k, ok := fbRank[c.CBSA]; ok {
			v.ForeignBornRank, v.ForeignBornShare = k, assay.Some(fbShare[c.CBSA])
		}
		if k, ok := ntRank[c.CBSA]; ok {
			v.NTCARank, v.NTCAShare = k, assay.Some(ntShare[c.CBSA])
		}
		mv.Top = append(mv.Top, v)
	}
	return mv
}

// shareRanks ranks every metro with the measure in a year by its share,
// largest first.
func shareRanks(d *study.Data, source study.Source, group string, year int) (map[string]int, map[string]float64) {
	shares := map[string]float64{}
	var codes []string
	for _, code := range d.Metros() {
		if m, ok := study.MeasureAt(d.At(code, year), source, group); ok {
			shares[code] = m.Share.Value.V
			codes = append(codes, code)
		}
	}
	slices.SortStableFunc(codes, func(a, b string) int { return cmp.Compare(shares[b], shares[a]) })
	ranks := map[string]int{}
	for i, c := range codes {
		ranks[c] = i + 1
	}
	return ranks, shares
}

// columbus gathers what the data says about Columbus, Ohio.
func columbus(d *study.Data, source study.Source, hasNTCA bool) Columbus {
	c := Columbus{CBSA: columbusCBSA}
	for _, o := range d.Series(columbusCBSA) {
		c.Title = o.Title
		if o.Crime != nil {
			c.Published = append(c.Published, YearRate{o.Year, o.Crime.Rate[assay.Murder], o.Crime.Count(assay.Murder), o.Crime.Population})
		}
		if m, ok := study.MeasureAt(&o, study.Bundled, study.ForeignBorn); ok {
			switch o.Year {
			case paperYears.Base:
				c.ForeignBornBase = m.Share.Value
			case paperYears.End:
				c.ForeignBornEnd = m.Share.Value
			}
		}
		if m, ok := study.MeasureAt(&o, source, "ntca"); ok && hasNTCA {
			switch o.Year {
			case paperYears.Base:
				c.NTCABase = m.Share
			case paperYears.End:
				c.NTCAEnd = m.Share
			}
		}
	}
	rate := func(y int) (float64, bool) {
		for _, p := range c.Published {
			if p.Year == y && p.Rate.Valid {
				return p.Rate.V, true
			}
		}
		return 0, false
	}
	end, okEnd := rate(paperYears.End)
	base, okBase := rate(paperYears.Base)
	if okBase && okEnd {
		c.PaperYears = newChange(paperYears.Base, paperYears.End, base, end, "")
	}
	for i := len(c.Published) - 1; i >= 0 && okEnd; i-- {
		if p := c.Published[i]; p.Year <= paperYears.Base && p.Rate.Valid {
			c.Nearest = newChange(p.Year, paperYears.End, p.Rate.V, end, "")
			break
		}
	}
	if !okBase && okEnd {
		for _, p := range c.Published {
			if p.Year > paperYears.Base && p.Year < paperYears.End && p.Rate.Valid {
				c.AfterGap = newChange(p.Year, paperYears.End, p.Rate.V, end, "")
				break
			}
		}
	}
	ds := d.Dataset()
	var endRow *assay.CityRecord // the end year's row, whose file and row the city's change cites
	for i := range ds.Cities {
		ct := &ds.Cities[i]
		if ct.Area == columbusArea && ct.Name == columbusCity {
			if ct.Year == paperYears.End {
				endRow = ct
			}
			yr := YearRate{Year: ct.Year, Count: ct.Counts[assay.Murder], Population: ct.Population}
			if yr.Count.Valid && yr.Population.Valid && yr.Population.V > 0 {
				yr.Rate = assay.Some(yr.Count.V / yr.Population.V * 1e5)
			}
			c.City = append(c.City, yr)
		}
	}
	slices.SortFunc(c.City, func(a, b YearRate) int { return cmp.Compare(a.Year, b.Year) })
	var cityEnd, cityFrom *YearRate
	for i := range c.City {
		y := &c.City[i]
		if y.Year == paperYears.End && y.Rate.Valid {
			cityEnd = y
		}
		if y.Year <= paperYears.Base && y.Rate.Valid {
			cityFrom = y
		}
	}
	if cityEnd != nil && cityFrom != nil {
		c.CityChange = newChange(cityFrom.Year, cityEnd.Year, cityFrom.Rate.V, cityEnd.Rate.V, "")
	}
	columbusAgency(ds, &c, cityEnd, endRow)
	return c
}

// Columbus in the data: the CBSA (2013 delineation), the name of its
// Table 6 block, its principal city's row and the City of Columbus
// police's ORI (Division of Police).
const (
	columbusCBSA = "18140"
	columbusArea = "Columbus, OH"
	columbusCity = "Columbus"
	columbusORI  = "OHCOP00"
)

// columbusAgency adds the agency panel's City of Columbus years from Table
// 6's first year on, the city's change over the paper's years with the
// base year from the panel and the end year from Table 6, and the years
// both publications give.
func columbusAgency(ds *assay.Dataset, c *Columbus, cityEnd *YearRate, endRow *assay.CityRecord) {
	first := math.MaxInt
	for _, r := range ds.Crime {
		first = min(first, r.Year)
	}
	var base *assay.AgencyCrime
	for i := range ds.Agencies {
		a := &ds.Agencies[i]
		if a.ORI != columbusORI || a.Year < first {
			continue
		}
		yr := YearRate{Year: a.Year, Rate: a.Rate[assay.Murder], Count: a.Counts[assay.Murder], Population: a.Population}
		c.Agency = append(c.Agency, yr)
		if a.Year == paperYears.Base && yr.Rate.Valid {
			base = a
		}
		for _, t := range c.City {
			if t.Year == a.Year {
				c.CityOverlap = append(c.CityOverlap, CityOverlap{Year: a.Year, Agency: yr, Table6: t})
			}
		}
	}
	slices.SortFunc(c.Agency, func(a, b YearRate) int { return cmp.Compare(a.Year, b.Year) })
	slices.SortFunc(c.CityOverlap, func(a, b CityOverlap) int { return cmp.Compare(a.Year, b.Year) })
	if base == nil || cityEnd == nil {
		return
	}
	c.CityPaperYears = newChange(base.Year, cityEnd.Year, base.Rate[assay.Murder].V, cityEnd.Rate.V,
		fmt.Sprintf("%d: agency panel %s row %d; %d: Table 6 %s row %d", base.Year, base.Source, base.Row, endRow.Year, endRow.Source, endRow.Row))
}

// murderContext tallies murder over the paper's years in every metro the
// FBI published both years.
func murderContext(d *study.Data) HomicideCount {
	var h HomicideCount
	for _, code := range d.Metros() {
		b, e := d.At(code, paperYears.Base), d.At(code, paperYears.End)
		if b == nil || e == nil || b.Crime == nil || e.Crime == nil || !b.Crime.Rate[assay.Murder].Valid || !e.Crime.Rate[assay.Murder].Valid {
			continue
		}
		h.N++
		if e.Crime.Rate[assay.Murder].V < b.Crime.Rate[assay.Murder].V {
			h.Fell++
		}
	}
	return h
}

// nationalMurder is the national murder rate's change over the paper's
// years, from the national series ingest chose.
func nationalMurder(s assay.NationalSeries) *Change {
	b, ok1 := s.Chosen("murder_rate", paperYears.Base)
	e, ok2 := s.Chosen("murder_rate", paperYears.End)
	if !ok1 || !ok2 {
		return nil
	}
	src := b.Source
	if e.Source != b.Source {
		src += ", " + e.Source
	}
	return newChange(paperYears.Base, paperYears.End, b.Value, e.Value, src)
}
