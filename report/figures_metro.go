package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/chart"
	"github.com/assaylab/assay/internal/textfmt"
	"github.com/assaylab/assay/study"
)

// IDMetroSeries is the ID of one metro's series figure.
const IDMetroSeries = "metro-series"

// shareMeasure is one immigrant share a metro's series can show: the
// bundled all-foreign-born share, or a fetched origin group's.
type shareMeasure struct {
	source study.Source
	group  string
}

// MetroSeries is one metro area, year by year from first to last: its FBI
// violent-crime and murder rates, and beneath them every immigrant share
// the data has for it (the bundled all-foreign-born share, and fetched
// origin groups) with its 90% margin of error. A year the FBI did not
// publish the metro, or left a rate blank, is a gap, never a zero; the
// shares stand only in the years they were measured.
func MetroSeries(p *assay.Panel, cbsa string, first, last int) (*chart.Figure, error) {
	if first >= last {
		return nil, fmt.Errorf("figure %s: years %d-%d", IDMetroSeries, first, last)
	}
	title := ""
	var year, violent, murder []float64
	var measures []shareMeasure
	for y := first; y <= last; y++ {
		o := p.At(cbsa, y)
		v, m := math.NaN(), math.NaN()
		if o != nil {
			title = cmp.Or(title, o.Title)
			if o.Crime != nil {
				v, m = o.Crime.Rate[assay.Violent].Or(math.NaN()), o.Crime.Rate[assay.Murder].Or(math.NaN())
			}
			if o.Nativity != nil && !slices.Contains(measures, shareMeasure{study.Bundled, study.ForeignBorn}) {
				measures = append(measures, shareMeasure{study.Bundled, study.ForeignBorn})
			}
			for _, c := range o.Origins {
				if k := (shareMeasure{study.Source(c.Product), c.Group}); !slices.Contains(measures, k) {
					measures = append(measures, k)
				}
			}
		}
		year, violent, murder = append(year, float64(y)), append(violent, v), append(murder, m)
	}
	if title == "" {
		return nil, fmt.Errorf("figure %s: the panel has no metro %s in %d-%d", IDMetroSeries, cbsa, first, last)
	}
	var sKey, sName []string
	var sYear, share, lo, hi []float64
	for _, k := range measures {
		name := study.GroupWord(k.source, k.group) + " share"
		if k.source != study.Bundled {
			name += " (" + string(k.source) + ")"
		}
		for y := first; y <= last; y++ {
			v, l, h := math.NaN(), math.NaN(), math.NaN()
			if m, ok := study.MeasureAt(p.At(cbsa, y), k.source, k.group); ok {
				// Drawn in percent: the findings hold fractions.
				v = 100 * m.Share.Value.V
				if m.Share.MOE.Valid {
					l, h = v-100*m.Share.MOE.V, v+100*m.Share.MOE.V
				}
			}
			sKey, sName = append(sKey, string(k.source)+":"+k.group), append(sName, name)
			sYear, share, lo, hi = append(sYear, float64(y)), append(share, v), append(lo, l), append(hi, h)
		}
	}
	tables := []chart.Table{
		{Name: "crime", Columns: []chart.Column{plainColumn("year", 0, year),
			{Name: "violent-crime rate", Unit: perCapita, Decimals: 1, Num: violent}, {Name: "murder rate", Unit: perCapita, Decimals: 1, Num: murder}}},
		breakTable,
	}
	brk, labelled := rapeBreak()
	panels := []chart.Panel{
		{Height: 150, Y: &chart.Axis{Label: "Violent crimes per 100,000", Zero: true}, Marks: []chart.Mark{
			labelled,
			chart.Line{Rows: chart.Rows{Table: "crime"}, X: "year", Y: "violent-crime rate", Color: chart.OkabeIto[0]},
		}},
		{Height: 110, Y: &chart.Axis{Label: "Murders per 100,000", Zero: true}, Marks: []chart.Mark{
			brk,
			chart.Line{Rows: chart.Rows{Table: "crime"}, X: "year", Y: "murder rate", Color: chart.OkabeIto[1]},
		}},
	}
	notes := []string{
		"Gaps: years the FBI did not publish the metro in Table 6 or left the rate blank (suppressed); a dot is a year published between two gaps.",
		rapeBreakNote,
	}
	source := fmt.Sprintf("FBI, Crime in the United States, Table 6, %d–%d", first, last)
	if len(measures) > 0 {
		tables = append(tables, chart.Table{Name: "share", Columns: []chart.Column{textColumn("measure", sKey), textColumn("name", sName), plainColumn("year", 0, sYear),
			{Name: "share", Unit: "%", Decimals: 1, Num: share}, {Name: "90% low", Unit: "%", Decimals: 1, Num: lo}, {Name: "90% high", Unit: "%", Decimals: 1, Num: hi}}})
		// A share is measured in a few years only: each is an estimate
		// with its interval, joined to the next where years run on.
		label := "Immigrant share, % of residents"
		if len(measures) == 1 {
			label = capital(sName[0]) + ", % of residents"
		}
		marks := []chart.Mark{chart.Line{Rows: chart.Rows{Table: "share"}, X: "year", Y: "share", Series: "measure", Label: "name"}}
		for k := range measures {
			color, _ := chart.SeriesStyle(k, "")
			marks = append(marks, chart.Interval{Rows: chart.Rows{Table: "share", Where: chart.Filter{Column: "measure", Value: sKey[k*(last-first+1)]}},
				X: "year", Y: "share", Lo: "90% low", Hi: "90% high", Key: "year", Label: "name", Color: color})
		}
		panels = append(panels, chart.Panel{Height: 110, Y: &chart.Axis{Label: label, Zero: true}, Marks: marks})
		notes = append(notes, "Bottom: each share the data has for the metro, in the years it was measured (an ACS 5-year period is dated by its last year), with its 90% margin of error as a bar.")
		source += "; Census American Community Survey"
	}
	span := func(vs []float64) string {
		var have []int
		for i, v := range vs {
			if !math.IsNaN(v) {
				have = append(have, first+i)
			}
		}
		if len(have) == 0 {
			return "no year"
		}
		a, b := have[0], have[len(have)-1]
		return fmt.Sprintf("%s in %d to %s in %d", textfmt.F1(assay.Some(vs[a-first])), a, textfmt.F1(assay.Some(vs[b-first])), b)
	}
	var missing []int
	for i, v := range violent {
		if math.IsNaN(v) {
			missing = append(missing, first+i)
		}
	}
	gaps := "none"
	headline := fmt.Sprintf("%s: violent crime went from %s per 100,000", title, span(violent))
	switch {
	case len(missing) == len(year):
		gaps = "every year"
		headline = fmt.Sprintf("The FBI published no violent-crime rate for %s in %d–%d", title, first, last)
	case len(missing) > 0:
		gaps = textfmt.Years(missing)
		headline += "; no rate in " + gaps
	}
	return &chart.Figure{
		ID:       IDMetroSeries,
		Title:    headline,
		Subtitle: fmt.Sprintf("%s (CBSA %s), %d–%d: crimes per 100,000 residents, and the share of residents born abroad", title, cbsa, first, last),
		Notes:    notes,
		Source:   source,
		Alt: fmt.Sprintf("Line charts of %s, %d to %d: the violent-crime rate per 100,000 from %s, the murder rate from %s; years without a violent-crime rate: %s.",
			title, first, last, span(violent), span(murder), gaps),
		Columns: 1,
		X:       chart.Axis{Domain: []float64{float64(first), float64(last)}},
		Tables:  tables,
		Panels:  panels,
	}, nil
}
