package report

import (
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

// MetroRates is small multiples of one offence's rate in each of a set of
// metros (the paper's selected ones), a year apart from first to last:
// the years the FBI did not publish a metro, or left its rate blank, are
// gaps in its line, never zeros.
func MetroRates(p *assay.Panel, metros []study.Row, o assay.Offense, first, last int) (*chart.Figure, error) {
	id := IDMetroRates + o.Key()
	if len(metros) == 0 || first >= last {
		return nil, fmt.Errorf("figure %s: %d metros, years %d-%d", id, len(metros), first, last)
	}
	q := quantity{offenceName(o) + " rate", perCapita}
	var cbsa, name []string
	var year, rate []float64
	var panels []chart.Panel
	var gappy []string
	for _, m := range metros {
		gap := false
		for y := first; y <= last; y++ {
			v := math.NaN()
			if obs := p.At(m.CBSA, y); obs != nil && obs.Crime != nil {
				v = obs.Crime.Rate[o].Or(math.NaN())
			}
			gap = gap || math.IsNaN(v)
			cbsa, name, year, rate = append(cbsa, m.CBSA), append(name, m.Title), append(year, float64(y)), append(rate, v)
		}
		if gap {
			gappy = append(gappy, m.Title)
		}
		marks := []chart.Mark{chart.Line{Rows: chart.Rows{Table: "rates", Where: chart.Filter{Column: "cbsa", Value: m.CBSA}}, X: "year", Y: q.Name, Series: "cbsa", Label: "metro", Width: 1.5}}
		if o == assay.Violent {
			marks = append([]chart.Mark{chart.Rule{Rows: chart.Rows{Table: "break"}, Axis: chart.X, At: "year"}}, marks...)
		}
		panels = append(panels, chart.Panel{Title: shortMetro(m.Title), Height: 70, Marks: marks})
	}
	tables := []chart.Table{{Name: "rates", Columns: []chart.Column{textColumn("cbsa", cbsa), textColumn("metro", name), plainColumn("year", 0, year), q.Column(1, false, rate)}}}
	notes := []string{fmt.Sprintf("Gaps: years the FBI did not publish the metro in Table 6 or left its %s rate blank (suppressed); a dot is a year published between two gaps.", offenceName(o))}
	if o == assay.Violent {
		tables = append(tables, chart.Table{Name: "break", Columns: []chart.Column{plainColumn("year", 0, []float64{assay.FirstMixedRapeYear})}})
		notes = append(notes, fmt.Sprintf("Dashed line: %d, from when the FBI counted rape under its revised definition, which adds to violent crime: the series is not strictly comparable across it.", assay.FirstMixedRapeYear))
	}
	title := fmt.Sprintf("The FBI published the %s rate of all %d metros in every year %d–%d", offenceName(o), len(metros), first, last)
	if len(gappy) > 0 {
		title = fmt.Sprintf("In %d of the %d metros the FBI's %s series has gaps, %d–%d", len(gappy), len(metros), offenceName(o), first, last)
	}
	return &chart.Figure{
		ID:       id,
		Title:    title,
		Subtitle: fmt.Sprintf("%s per 100,000 residents, %d–%d, in the %d metros the paper's first selection rule picks, in its order", capital(offenceName(o))+" rate", first, last, len(metros)),
		Notes:    notes,
		Source:   fmt.Sprintf("FBI, Crime in the United States, Table 6, %d–%d", first, last),
		Alt: fmt.Sprintf("%d small line charts of the %s rate per 100,000, %d to %d, one per metro. Series with gaps: %s.",
			len(metros), offenceName(o), first, last, textfmt.OrNone(gappy)),
		Width:   960,
		Columns: 6,
		X:       chart.Axis{Domain: []float64{float64(first), float64(last)}},
		Y:       chart.Axis{Label: q.Axis(), Zero: true},
		Tables:  tables,
		Panels:  panels,
	}, nil
}

// shortMetro keeps a metro's first principal city and its states, so that
// the title of a small panel fits on a line or two.
func shortMetro(title string) string {
	cities, states, ok := strings.Cut(title, ", ")
	if !ok {
		return title
	}
	city, _, _ := strings.Cut(cities, "-")
	return city + ", " + states
}

func capital(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// Columbus sets Columbus, Ohio's murder rate from three publications side
// by side (WP09): the MSA and the City of Columbus in Table 6, and the
// city's police in the agency panel. The years the FBI did not publish the
// MSA are shaded and labelled, and so are those no bundled Table 6 covers;
// table6Years lists the years the data has Table 6 for.
func Columbus(c blanchard2019.Columbus, paper study.Years, table6Years []int) (*chart.Figure, error) {
	type series struct {
		key, name string
		rates     []blanchard2019.YearRate
	}
	all := []series{
		{"msa", "MSA (Table 6)", c.Published},
		{"city", "City (Table 6)", c.City},
		{"agency", "City police (agency panel)", c.Agency},
	}
	var key, name []string
	var year, rate []float64
	lo, hi := math.MaxInt, math.MinInt
	for _, s := range all {
		if len(s.rates) == 0 {
			continue
		}
		byYear := map[int]assay.Num{}
		for _, r := range s.rates {
			byYear[r.Year] = r.Rate
		}
		first, last := s.rates[0].Year, s.rates[len(s.rates)-1].Year
		lo, hi = min(lo, first), max(hi, last)
		for y := first; y <= last; y++ {
			key, name, year, rate = append(key, s.key), append(name, s.name), append(year, float64(y)), append(rate, byYear[y].Or(math.NaN()))
		}
	}
	if len(year) == 0 {
		return nil, fmt.Errorf("figure %s: no series of %s", IDColumbus, c.CBSA)
	}
	published := map[int]bool{}
	for _, p := range c.Published {
		published[p.Year] = true
	}
	var from, to []float64
	var why []string
	var missing []int
	for y := lo; y <= hi; y++ {
		reason := "no Table 6 bundled"
		switch {
		case published[y]:
			continue
		case slices.Contains(table6Years, y):
			reason = "MSA not published"
			missing = append(missing, y)
		}
		if k := len(why) - 1; k >= 0 && why[k] == reason && to[k] == float64(y)-0.5 {
			to[k]++
			continue
		}
		from, to, why = append(from, float64(y)-0.5), append(to, float64(y)+0.5), append(why, reason)
	}
	q := quantity{"murder rate", perCapita}
	var title string
	if base := rateIn(c.Published, paper.Base); base.Valid {
		title = fmt.Sprintf("Columbus, OH: the MSA's murder rate went from %s in %d to %s in %d", textfmt.F1(base), paper.Base, textfmt.F1(rateIn(c.Published, paper.End)), paper.End)
	} else {
		title = fmt.Sprintf("The FBI did not publish Columbus, OH in %d, the paper's base year: its %s murder change cannot come from Table 6", paper.Base, yearSpan(paper))
	}
	notes := []string{"The city is the City of Columbus police, not the metro: Table 6 prints it inside the MSA's block; the agency panel is The Marshall Project's compilation of its UCR returns."}
	if ch := c.CityPaperYears; ch != nil {
		notes = append(notes, fmt.Sprintf("City, %d (agency panel) to %d (Table 6): %s to %s per 100,000 (%+.0f%%).", ch.From, ch.To, textfmt.F1(assay.Some(ch.FromRate)), textfmt.F1(assay.Some(ch.ToRate)), ch.Percent))
	}
	var tables []chart.Table
	tables = append(tables, chart.Table{Name: "murder", Columns: []chart.Column{textColumn("series", key), textColumn("name", name), plainColumn("year", 0, year), q.Column(1, false, rate)}})
	marks := []chart.Mark{chart.Line{Rows: chart.Rows{Table: "murder"}, X: "year", Y: q.Name, Series: "series", Label: "name"}}
	if len(from) > 0 {
		tables = append(tables, chart.Table{Name: "gaps", Columns: []chart.Column{plainColumn("from", 1, from), plainColumn("to", 1, to), textColumn("gap", why)}})
		marks = append([]chart.Mark{chart.Rule{Rows: chart.Rows{Table: "gaps"}, Axis: chart.X, At: "from", To: "to", Label: "gap"}}, marks...)
	}
	var alt []string
	for _, s := range all {
		var ys []int
		for _, r := range s.rates {
			if r.Rate.Valid {
				ys = append(ys, r.Year)
			}
		}
		alt = append(alt, fmt.Sprintf("%s in %s", s.name, textfmt.Years(ys)))
	}
	if len(missing) > 0 {
		alt = append(alt, "the FBI did not publish the MSA in "+textfmt.Years(missing))
	}
	return &chart.Figure{
		ID:       IDColumbus,
		Title:    title,
		Subtitle: "Murders per 100,000 residents, Columbus, OH: the metro area and the city, from two publications",
		Notes:    notes,
		Source:   fmt.Sprintf("FBI, Crime in the United States, Table 6, %s; The Marshall Project, UCR agency panel (City of Columbus police)", textfmt.Years(table6Years)),
		Alt:      fmt.Sprintf("Lines of the murder rate per 100,000, %d to %d: %s.", lo, hi, strings.Join(alt, "; ")),
		// Half a year past the last keeps a final year drawn as a lone dot
		// clear of the series labels beside the plot.
		X:      chart.Axis{Domain: []float64{float64(lo), float64(hi) + 0.5}},
		Y:      chart.Axis{Label: q.Axis(), Zero: true},
		Tables: tables,
		Panels: []chart.Panel{{Height: 260, Marks: marks}},
	}, nil
}

// rateIn is a series' rate in a year, null when it has none.
func rateIn(rs []blanchard2019.YearRate, year int) assay.Num {
	for _, r := range rs {
		if r.Year == year {
			return r.Rate
		}
	}
	return assay.Null
}
