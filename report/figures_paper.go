package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/chart"
	"github.com/assaylab/assay/internal/textfmt"
	"github.com/assaylab/assay/papers/blanchard2019"
	"github.com/assaylab/assay/study"
)

// reproductionLevel is the confidence level of the reproduction's
// intervals and fitted bands: blanchard2019.Reproduce's default, which the
// ledger runs it at.
const reproductionLevel = 0.95

// Figure IDs: stable, so that a dashboard and a reader's bookmarks find
// the same figure in every report.
const (
	IDPaperScatter     = "paper-scatter-" // + the offence key
	IDMetroRates       = "metro-rates-"   // + the offence key
	IDAllMetrosScatter = "all-metros-scatter"
	IDMaps             = "maps"
	IDSpecCurve        = "spec-curve"
	IDPower            = "power"
	IDNationalCrime    = "national-crime"
	IDOrigin           = "ntca-origin"
	IDMostViolent      = "most-violent"
	IDColumbus         = "columbus"
)

// estimateOf is a rule's estimate for an outcome: violent crime or murder.
func estimateOf(rr *blanchard2019.RuleResult, o assay.Offense) *blanchard2019.RuleEstimate {
	if o == assay.Murder {
		return rr.Murder
	}
	return rr.Violent
}

// PaperScatter is the paper's figure for one outcome (violent crime or
// murder): each metro's change in the immigrant measure against its change
// in the crime rate, one panel per reading of the paper's selection rule,
// with the least-squares line, its confidence band, and n, r with its
// interval and the permutation p under each panel. Without metro NTCA
// counts the measure is the all-foreign-born stand-in, and the title and
// notes say so.
func PaperScatter(rep *blanchard2019.Reproduction, o assay.Offense) (*chart.Figure, error) {
	var xq, yq quantity
	var rule, cbsa, metro, short, rule2, rule3 []string
	var xs, ys, n, r, rlo, rhi, p []float64
	var line []study.LinePoint
	var panels []chart.Panel
	var alts, notes, rules []string
	picked := 0
	for i := range rep.Rules {
		rr := &rep.Rules[i]
		e := estimateOf(rr, o)
		if e == nil {
			notes = append(notes, fmt.Sprintf("%s: no estimate (%s).", rr.Rule.Key, strings.Join(rr.Errors, "; ")))
			continue
		}
		var err error
		if xq, yq, err = studyQuantities(e.Pearson); err != nil {
			return nil, fmt.Errorf("figure %s%s: %w", IDPaperScatter, o.Key(), err)
		}
		key := rr.Rule.Key
		picked = cmp.Or(picked, rr.Selected)
		var extremes []study.Row
		for _, row := range e.Sample.Rows {
			rule, cbsa, metro, short = append(rule, key), append(cbsa, row.CBSA), append(metro, row.Title), append(short, shortMetro(row.Title))
			xs, ys = append(xs, row.X), append(ys, row.Y)
		}
		for _, by := range []func(a, b study.Row) int{
			func(a, b study.Row) int { return cmp.Compare(a.Y, b.Y) },
			func(a, b study.Row) int { return cmp.Compare(a.X, b.X) },
		} {
			extremes = append(extremes, slices.MinFunc(e.Sample.Rows, by), slices.MaxFunc(e.Sample.Rows, by))
		}
		var labelled []string
		for _, row := range extremes {
			if !slices.Contains(labelled, row.CBSA) {
				labelled = append(labelled, row.CBSA)
			}
		}
		for range e.Line {
			rule2 = append(rule2, key)
		}
		line = append(line, e.Line...)
		f := e.Pearson
		rule3 = append(rule3, key)
		n, r, rlo, rhi, p = append(n, float64(f.N)), append(r, f.Estimate.V), append(rlo, f.CILow.V), append(rhi, f.CIHigh.V), append(p, study.PValue(f).V)
		alts = append(alts, fmt.Sprintf("%s: n = %d, %s", key, f.N, corrText(f, reproductionLevel)))
		rules = append(rules, key+": "+rr.Rule.Description+".")
		where := chart.Filter{Column: "rule", Value: key}
		panels = append(panels, chart.Panel{
			Title:   key,
			Height:  200,
			Caption: chart.Caption{Rows: chart.Rows{Table: "correlation", Where: where}, Text: "n = {n}, r = {r} (" + textfmt.Pct(reproductionLevel, 0) + " CI {r low} to {r high})\npermutation p = {p}"},
			Marks: append(fitMarks(xq, where),
				chart.Points{Rows: chart.Rows{Table: "metros", Where: where}, X: xq.Name, Y: yq.Name, Key: "cbsa", Label: "metro", Text: "{short name}", Labelled: labelled}),
		})
	}
	if len(panels) == 0 {
		return nil, fmt.Errorf("figure %s%s: no selection rule has an estimate", IDPaperScatter, o.Key())
	}
	title := fmt.Sprintf("across %d readings of the paper's %d-metro selection, r for the %s runs from %s to %s",
		len(panels), picked, yq.Name, textfmt.F2(assay.Some(slices.Min(r))), textfmt.F2(assay.Some(slices.Max(r))))
	if rep.HasNTCA {
		title = capital(title)
	} else {
		title = "Stand-in measure: " + title
	}
	notes = append(append([]string{fmt.Sprintf("Line: least-squares fit; shaded: its %s confidence band. Labelled: each panel's extremes.", textfmt.Pct(reproductionLevel, 0))}, rules...), notes...)
	if !rep.HasNTCA {
		notes = append(notes, "X is a stand-in, "+rep.Measure+": the paper's NTCA-born share needs metro ACS B05006 counts, which are not bundled.")
	}
	if note := study.RapeNote(o, rep.Years.Base, rep.Years.End); note != "" {
		notes = append(notes, "Note: "+note+".")
	}
	pd := pDecimals(p...)
	return &chart.Figure{
		ID:       IDPaperScatter + o.Key(),
		Title:    title,
		Subtitle: fmt.Sprintf("%s in each selected metro: %s against %s; one panel per reading of the paper's selection rule", yearSpan(rep.Years), xq.Phrase(), yq.Phrase()),
		Notes:    notes,
		Source:   fmt.Sprintf("FBI, Crime in the United States, Table 6, %d and %d; %s", rep.Years.Base, rep.Years.End, measureSource(rep.Source, rep.Years)),
		Alt: fmt.Sprintf("Scatter plots, one per selection rule, of each metro's %s against its %s, %s, with a fitted line: %s.",
			xq.Name, yq.Name, yearSpan(rep.Years), strings.Join(alts, "; ")),
		Columns: 2,
		X:       chart.Axis{Label: xq.Axis(), Signed: true},
		Y:       chart.Axis{Label: yq.Axis(), Signed: true},
		Tables: []chart.Table{
			{Name: "metros", Columns: []chart.Column{textColumn("rule", rule), textColumn("cbsa", cbsa), textColumn("metro", metro), textColumn("short name", short), xq.Column(2, true, xs), yq.Column(1, true, ys)}},
			{Name: "fit", Columns: append([]chart.Column{textColumn("rule", rule2)}, fitColumns(xq, yq, line)...)},
			{Name: "correlation", Columns: []chart.Column{textColumn("rule", rule3), plainColumn("n", 0, n), plainColumn("r", 2, r),
				plainColumn("r low", 2, rlo), plainColumn("r high", 2, rhi), plainColumn("p", pd, p)}},
		},
		Panels: panels,
	}, nil
}

func textColumn(name string, v []string) chart.Column { return chart.Column{Name: name, Text: v} }

func plainColumn(name string, decimals int, v []float64) chart.Column {
	return chart.Column{Name: name, Decimals: decimals, Num: v}
}

// fitColumns are a least-squares line with its confidence band, the
// columns of the table "fit" that fitMarks draws.
func fitColumns(x, y quantity, line []study.LinePoint) []chart.Column {
	var fx, fit, lo, hi []float64
	for _, pt := range line {
		fx, fit, lo, hi = append(fx, pt.X), append(fit, pt.Fit), append(lo, pt.Lo), append(hi, pt.Hi)
	}
	fitColumn := func(name string, v []float64) chart.Column {
		return chart.Column{Name: name, Unit: y.Unit, Decimals: 1, Signed: true, Num: v}
	}
	return []chart.Column{x.Column(2, true, fx), fitColumn("fitted", fit), fitColumn("fit low", lo), fitColumn("fit high", hi)}
}

// fitMarks draw the line of the table "fit" over its shaded band, each
// scatter's the same way; where picks a panel's rows.
func fitMarks(x quantity, where chart.Filter) []chart.Mark {
	rows := chart.Rows{Table: "fit", Where: where}
	return []chart.Mark{
		chart.Band{Rows: rows, X: x.Name, Lo: "fit low", Hi: "fit high", Color: "#555555"},
		chart.Line{Rows: rows, X: x.Name, Y: "fitted", Color: "#333333", Width: 1.5},
	}
}

// measureSource names where an immigrant measure comes from.
func measureSource(source study.Source, y study.Years) string {
	switch source {
	case study.Bundled:
		// An ACS 5-year period is named by its last year.
		return fmt.Sprintf("Census ACS 5-year county tables, %d–%d and %d–%d, summed into metro areas", y.Base-4, y.Base, y.End-4, y.End)
	case study.ACS5:
		return fmt.Sprintf("Census ACS 5-year B05006 and B01003 by metro, periods ending %d and %d", y.Base, y.End)
	}
	return fmt.Sprintf("Census ACS 1-year B05006 and B01003 by metro, %d and %d", y.Base, y.End)
}

// MostViolent is WP10's table as bars: the metros with the highest
// violent-crime rates of a year, each labelled with its immigrant shares'
// ranks among all metros.
func MostViolent(mv blanchard2019.MostViolent, hasNTCA bool) (*chart.Figure, error) {
	if len(mv.Top) == 0 {
		return nil, fmt.Errorf("figure %s: no metro was ranked in %d", IDMostViolent, mv.Year)
	}
	var cbsa, name []string
	var rate, fbShare, fbRank, fbOf, ntShare, ntRank, ntOf []float64
	for _, v := range mv.Top {
		cbsa, name = append(cbsa, v.CBSA), append(name, fmt.Sprintf("%d. %s", v.Rank, v.Name))
		rate = append(rate, v.Rate.Or(math.NaN()))
		fbRank, fbOf = append(fbRank, rankOrNaN(v.ForeignBornRank)), append(fbOf, float64(mv.ForeignBornMetros))
		// Shares are drawn in percent: the findings hold fractions.
		if hasNTCA {
			ntShare, ntRank, ntOf = append(ntShare, 100*v.NTCAShare.Or(math.NaN())), append(ntRank, rankOrNaN(v.NTCARank)), append(ntOf, float64(mv.NTCAMetros))
		} else {
			fbShare = append(fbShare, 100*v.ForeignBornShare.Or(math.NaN()))
		}
	}
	cols := []chart.Column{textColumn("cbsa", cbsa), textColumn("metro", name), {Name: "violent-crime rate", Unit: perCapita, Num: rate}}
	fbRanks := []chart.Column{plainColumn("foreign-born rank", 0, fbRank), plainColumn("metros ranked by foreign-born share", 0, fbOf)}
	var label string
	ranks, of, by := fbRank, mv.ForeignBornMetros, "all-foreign-born share"
	if hasNTCA {
		// The NTCA-born share is the claim's measure; the all-foreign-born
		// share keeps only its rank, so that the labels leave the bars room.
		cols = append(cols, chart.Column{Name: "NTCA-born share", Unit: "%", Decimals: 2, Num: ntShare}, plainColumn("NTCA-born rank", 0, ntRank), plainColumn("metros ranked by NTCA-born share", 0, ntOf))
		label = "{violent-crime rate} · NTCA-born {NTCA-born share}%, #{NTCA-born rank} of {metros ranked by NTCA-born share} · foreign-born #{foreign-born rank} of {metros ranked by foreign-born share}"
		ranks, of, by = ntRank, mv.NTCAMetros, "NTCA-born share"
	} else {
		cols = append(cols, chart.Column{Name: "foreign-born share", Unit: "%", Decimals: 1, Num: fbShare})
		label = "{violent-crime rate} · foreign-born {foreign-born share}%, #{foreign-born rank} of {metros ranked by foreign-born share}"
	}
	cols = append(cols, fbRanks...)
	title := fmt.Sprintf("The %d highest violent-crime rates of %d", len(mv.Top), mv.Year)
	if valid := slices.DeleteFunc(slices.Clone(ranks), math.IsNaN); len(valid) > 0 {
		title += fmt.Sprintf(" were in metros ranked #%s to #%s of %d by %s", textfmt.Count(slices.Min(valid)), textfmt.Count(slices.Max(valid)), of, by)
	}
	notes := []string{fmt.Sprintf("Ranked among the %d MSAs the FBI published with a %d violent-crime rate. Foreign-born share: ACS 5-year period ending %d, ranked among %d metros.", mv.Ranked, mv.Year, mv.Year, mv.ForeignBornMetros)}
	if len(mv.Unranked) > 0 {
		notes = append(notes, fmt.Sprintf("%d MSAs published without a %d violent-crime rate cannot be ranked: %s.", len(mv.Unranked), mv.Year, textfmt.Few(mv.Unranked, 6)))
	}
	if !hasNTCA {
		notes = append(notes, "NTCA-born shares by metro need ACS B05006, which is not bundled: the paper's claim about them is not checkable here.")
	}
	var alt []string
	for _, v := range mv.Top {
		alt = append(alt, fmt.Sprintf("%d. %s, %.0f", v.Rank, v.Name, v.Rate.V))
	}
	return &chart.Figure{
		ID:       IDMostViolent,
		Title:    title,
		Subtitle: fmt.Sprintf("Violent crimes per 100,000 residents, %d, with each metro's rank by immigrant share among all metros", mv.Year),
		Notes:    notes,
		Source:   fmt.Sprintf("FBI, Crime in the United States, Table 6, %d; Census ACS 5-year county tables, %d–%d, summed into metro areas", mv.Year, mv.Year-4, mv.Year),
		Alt:      fmt.Sprintf("Horizontal bars of the %d highest violent-crime rates per 100,000 in %d: %s. %s.", len(mv.Top), mv.Year, strings.Join(alt, "; "), title),
		Width:    960,
		X:        chart.Axis{Label: "Violent crimes per 100,000 residents", Zero: true},
		Y:        chart.Axis{Scale: chart.Ordinal, Categories: name},
		Tables:   []chart.Table{{Name: "top", Columns: cols}},
		Panels: []chart.Panel{{Marks: []chart.Mark{
			chart.Bar{Rows: chart.Rows{Table: "top"}, X: "violent-crime rate", Y: "metro", Key: "cbsa", Label: "metro", Text: label},
		}}},
	}, nil
}

// rankOrNaN is a rank, or NaN where the metro has none (rank 0).
func rankOrNaN(k int) float64 {
	if k == 0 {
		return math.NaN()
	}
	return float64(k)
}
