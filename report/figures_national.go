package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/chart"
	"github.com/assaylab/assay/internal/textfmt"
)

// The national measures NationalCrime draws, as ingest names them.
const (
	violentRate = "violent_rate"
	murderRate  = "murder_rate"
)

// breakTable is the year the FBI's rape definition changed (2013), which
// rapeBreak marks.
var breakTable = chart.Table{Name: "break", Columns: []chart.Column{plainColumn("year", 0, []float64{assay.FirstMixedRapeYear}),
	textColumn("event", []string{fmt.Sprintf("revised rape definition (%d)", assay.FirstMixedRapeYear)})}}

// rapeBreakNote says what rapeBreak's line means, under a figure that
// draws violent crime and murder.
var rapeBreakNote = fmt.Sprintf("Dashed line: from %d the FBI counts rape under its revised definition, which adds to violent crime; murder is comparable across it.", assay.FirstMixedRapeYear)

// rapeBreak marks the change of rape definition on a year axis, from
// breakTable: a dashed line, and the same line with its label.
func rapeBreak() (plain, labelled chart.Rule) {
	plain = chart.Rule{Rows: chart.Rows{Table: breakTable.Name}, Axis: chart.X, At: "year"}
	labelled = plain
	labelled.Label = "event"
	return plain, labelled
}

// NationalCrime is the U.S. violent-crime and murder rates, every year the
// national series has, above the foreign-born share of Salvadoran,
// Guatemalan or Honduran origin with its 90% margin of error (WP05), on one
// year axis, with the FBI's 2013 change of rape definition marked.
func NationalCrime(series assay.NationalSeries, nat []assay.NationalNativity) (*chart.Figure, error) {
	years := series.Years(violentRate)
	if len(years) == 0 {
		return nil, fmt.Errorf("figure %s: the national series has no %s", IDNationalCrime, violentRate)
	}
	first, last := years[0], years[len(years)-1]
	var measure []string
	var year, rate []float64
	peak := assay.NationalFigure{Value: math.Inf(-1)}
	for _, m := range []string{violentRate, murderRate} {
		for y := first; y <= last; y++ {
			v := math.NaN()
			if f, ok := series.Chosen(m, y); ok {
				v = f.Value
				if m == violentRate && f.Value > peak.Value {
					peak = f
				}
			}
			measure, year, rate = append(measure, m), append(year, float64(y)), append(rate, v)
		}
	}
	lastViolent, _ := series.Chosen(violentRate, last)
	rateQ := quantity{"rate", perCapita}
	tables := []chart.Table{
		{Name: "crime", Columns: []chart.Column{textColumn("measure", measure), plainColumn("year", 0, year), rateQ.Column(1, false, rate)}},
		breakTable,
		{Name: "peak", Columns: []chart.Column{plainColumn("year", 0, []float64{float64(peak.Year)}), rateQ.Column(1, false, []float64{peak.Value})}},
	}
	crimeRows := func(m string) chart.Rows {
		return chart.Rows{Table: "crime", Where: chart.Filter{Column: "measure", Value: m}}
	}
	brk, labelled := rapeBreak()
	panels := []chart.Panel{
		{Height: 170, Y: &chart.Axis{Label: "Violent crimes per 100,000", Zero: true}, Marks: []chart.Mark{
			labelled,
			chart.Line{Rows: crimeRows(violentRate), X: "year", Y: rateQ.Name, Color: chart.OkabeIto[0]},
			chart.Text{Rows: chart.Rows{Table: "peak"}, X: "year", Y: rateQ.Name, Text: "peak {year}: {rate}", Anchor: chart.Middle},
		}},
		{Height: 110, Y: &chart.Axis{Label: "Murders per 100,000", Zero: true}, Marks: []chart.Mark{
			brk,
			chart.Line{Rows: crimeRows(murderRate), X: "year", Y: rateQ.Name, Color: chart.OkabeIto[1]},
		}},
	}
	title := fmt.Sprintf("U.S. violent crime peaked at %s per 100,000 in %d and was %s in %d",
		textfmt.F1(assay.Some(peak.Value)), peak.Year, textfmt.F1(assay.Some(lastViolent.Value)), last)
	alt := fmt.Sprintf("Line charts, %d to %d, of the U.S. violent-crime rate (peak %s in %d, %s in %d) and murder rate per 100,000",
		first, last, textfmt.F1(assay.Some(peak.Value)), peak.Year, textfmt.F1(assay.Some(lastViolent.Value)), last)
	notes := []string{
		rapeBreakNote,
		"One figure per year, chosen at ingest among the bundled national files (the data section lists them).",
	}
	source := fmt.Sprintf("FBI Uniform Crime Reporting national estimates, %d–%d", first, last)
	if len(nat) > 0 {
		var sy, share, lo, hi []float64
		for _, n := range nat {
			e := n.FBNTCAShare
			// The share is drawn in percent: the findings hold fractions.
			sy, share = append(sy, float64(n.Year)), append(share, 100*e.Value.Or(math.NaN()))
			lo, hi = append(lo, 100*(e.Value.Or(math.NaN())-e.MOE.Or(math.NaN()))), append(hi, 100*(e.Value.Or(math.NaN())+e.MOE.Or(math.NaN())))
		}
		tables = append(tables, chart.Table{Name: "share", Columns: []chart.Column{plainColumn("year", 0, sy),
			{Name: "NTCA-origin share", Unit: "%", Decimals: 2, Num: share}, {Name: "90% low", Unit: "%", Decimals: 2, Num: lo}, {Name: "90% high", Unit: "%", Decimals: 2, Num: hi}}})
		panels = append(panels, chart.Panel{Height: 110, Y: &chart.Axis{Label: "Foreign-born of NTCA origin, % of residents"}, Marks: []chart.Mark{
			brk,
			chart.Band{Rows: chart.Rows{Table: "share"}, X: "year", Lo: "90% low", Hi: "90% high", Color: chart.OkabeIto[2]},
			chart.Line{Rows: chart.Rows{Table: "share"}, X: "year", Y: "NTCA-origin share", Color: chart.OkabeIto[2]},
		}})
		a, b := nat[0], nat[len(nat)-1]
		title += fmt.Sprintf("; the foreign-born share of NTCA origin was %s in %d and %s in %d",
			textfmt.Pct(a.FBNTCAShare.Value.V, 2), a.Year, textfmt.Pct(b.FBNTCAShare.Value.V, 2), b.Year)
		alt += fmt.Sprintf("; below, the share of residents born abroad of Salvadoran, Guatemalan or Honduran origin, %s in %d and %s in %d, with 90%% margins of error",
			textfmt.Pct(a.FBNTCAShare.Value.V, 2), a.Year, textfmt.Pct(b.FBNTCAShare.Value.V, 2), b.Year)
		notes = append(notes, "Bottom: foreign-born residents of Salvadoran, Guatemalan or Honduran origin (origin, not country of birth); shaded: the 90% margin of error.")
		source += fmt.Sprintf("; Census ACS 1-year S0201 Selected Population Profiles, United States, %d–%d", a.Year, b.Year)
	}
	return &chart.Figure{
		ID:       IDNationalCrime,
		Title:    title,
		Subtitle: fmt.Sprintf("United States, %d–%d: crimes per 100,000 residents, and the share of residents born abroad of Northern Triangle origin", first, last),
		Notes:    notes,
		Source:   source,
		Alt:      alt + ".",
		Columns:  1,
		X:        chart.Axis{Domain: []float64{float64(first), float64(last)}},
		Tables:   tables,
		Panels:   panels,
	}, nil
}

// origins are the three origin groups of the S0201 series.
var origins = []struct {
	name string
	get  func(*assay.NationalNativity) assay.Estimate
}{
	{"Salvadoran", func(n *assay.NationalNativity) assay.Estimate { return n.FBSalvadoran }},
	{"Guatemalan", func(n *assay.NationalNativity) assay.Estimate { return n.FBGuatemalan }},
	{"Honduran", func(n *assay.NationalNativity) assay.Estimate { return n.FBHonduran }},
}

// OriginSeries is the U.S. population born abroad of Salvadoran,
// Guatemalan and Honduran origin, year by year, each with its 90% margin of
// error as a band. Origin is what people report, not where they were
// born: the figure says so.
func OriginSeries(nat []assay.NationalNativity) (*chart.Figure, error) {
	if len(nat) == 0 {
		return nil, fmt.Errorf("figure %s: the data has no national origin series (ACS S0201)", IDOrigin)
	}
	var group []string
	var year, people, lo, hi []float64
	var changes []string
	a, b := &nat[0], &nat[len(nat)-1]
	for _, o := range origins {
		for i := range nat {
			e := o.get(&nat[i])
			v, m := e.Value.Or(math.NaN()), e.MOE.Or(math.NaN())
			group, year, people = append(group, o.name), append(year, float64(nat[i].Year)), append(people, v)
			lo, hi = append(lo, v-m), append(hi, v+m)
		}
		verb := "from"
		if len(changes) == 0 {
			verb = "origin went from"
		}
		changes = append(changes, fmt.Sprintf("%s %s %s to %s million", o.name, verb, millions(o.get(a).Value), millions(o.get(b).Value)))
	}
	q := quantity{"foreign-born residents", "people"}
	title := fmt.Sprintf("From %d to %d, foreign-born residents of %s", a.Year, b.Year, strings.Join(changes, ", "))
	return &chart.Figure{
		ID:       IDOrigin,
		Title:    title,
		Subtitle: fmt.Sprintf("U.S. residents born abroad, by self-identified origin (not country of birth), ACS 1-year estimates, %d–%d", a.Year, b.Year),
		Notes: []string{
			"Shaded: the 90% margin of error of each estimate.",
			"Origin is what people report, not where they were born: a proxy for the people born in El Salvador, Guatemala and Honduras that the paper counts (ACS B05006, not bundled).",
		},
		Source: fmt.Sprintf("Census ACS 1-year S0201 Selected Population Profiles, United States, %d–%d", a.Year, b.Year),
		Alt:    fmt.Sprintf("Three lines with 90%% margin-of-error bands, %d to %d: foreign-born residents of %s.", a.Year, b.Year, strings.Join(changes, "; ")),
		X:      chart.Axis{Domain: []float64{float64(a.Year), float64(b.Year)}},
		Y:      chart.Axis{Label: "Foreign-born residents", Zero: true},
		Tables: []chart.Table{{Name: "origin", Columns: []chart.Column{textColumn("origin", group), plainColumn("year", 0, year),
			q.Column(0, false, people), {Name: "90% low", Unit: q.Unit, Num: lo}, {Name: "90% high", Unit: q.Unit, Num: hi}}}},
		Panels: []chart.Panel{{Height: 300, Marks: []chart.Mark{
			chart.Band{Rows: chart.Rows{Table: "origin"}, X: "year", Lo: "90% low", Hi: "90% high", Series: "origin"},
			chart.Line{Rows: chart.Rows{Table: "origin"}, X: "year", Y: q.Name, Series: "origin"},
		}}},
	}, nil
}

// millions writes a count in millions to two decimals.
func millions(n assay.Num) string {
	if !n.Valid {
		return "NA"
	}
	return fmt.Sprintf("%.2f", n.V/1e6)
}
