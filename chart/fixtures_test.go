package chart

// Every figure in this file is drawn from SYNTHETIC data, generated here
// with fixed seeds: made-up places with made-up numbers, shaped like the
// report's real figures so that each kind of figure is rendered, checked and
// looked at before real findings reach it. Titles and source lines say
// "SYNTHETIC" so that no rendering of them can pass for a finding.

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/assaylab/assay/stats"
	"gonum.org/v1/gonum/stat/distuv"
)

const synthSource = "SYNTHETIC test data generated in chart/fixtures_test.go; not a finding. assay (test)"

func num(name, unit string, decimals int, signed bool, v ...float64) Column {
	return Column{Name: name, Unit: unit, Decimals: decimals, Signed: signed, Num: v}
}

func txt(name string, v ...string) Column { return Column{Name: name, Text: v} }

var places = []string{
	"Ashford", "Bellmere", "Cedar Point", "Dunmore", "Eastlake", "Fairhaven", "Glenrock", "Harbor City",
	"Ironwood", "Juniper Falls", "Kingsbridge", "Lakemont", "Maple Ridge", "Northgate", "Oakvale", "Pinecrest",
	"Queensport", "Riverton", "Stonebrook", "Timberline", "Upton", "Vista Verde", "Westfield", "Yarrow",
	"Zephyr Bay", "Alder Springs", "Brightwater", "Coldbrook", "Deer Creek", "Emberton", "Foxhollow", "Granite Bluff",
	"Hollis", "Indigo Bay", "Jasper Hills", "Kestrel", "Linden", "Millbrook", "New Carver", "Oxbow",
}

// code is a SYNTHETIC five-digit key: 9xxxx is no CBSA code.
func code(i int) string { return strconv.Itoa(90010 + 10*i) }

func rng(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 2026)) }

// fitBand is the OLS line of y on x and its confidence band at level on a
// grid of n points across x's range, from the stats package.
func fitBand(t testing.TB, x, y []float64, level float64, n int) (grid, fit, lo, hi []float64) {
	t.Helper()
	res, err := stats.OLS(stats.Design{Y: y, X: []stats.Var{{Name: "x", Values: x}}}, stats.Options{Level: level})
	if err != nil {
		t.Fatal(err)
	}
	a, b := res.Terms[0].Estimate, res.Terms[1].Estimate
	v := res.Vcov
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: res.DF}.Quantile(1 - (1-level)/2)
	x0, x1 := slices.Min(x), slices.Max(x)
	for k := range n {
		g := x0 + (x1-x0)*float64(k)/float64(n-1)
		f := a + b*g
		se := math.Sqrt(v[0][0] + g*g*v[1][1] + 2*g*v[0][1])
		grid, fit, lo, hi = append(grid, g), append(fit, f), append(lo, f-q*se), append(hi, f+q*se)
	}
	return grid, fit, lo, hi
}

const (
	shareName   = "change in NTCA share"
	shareUnit   = "percentage points"
	violentName = "change in violent rate"
	violentUnit = "per 100,000"
)

// scatterRules is figure (a): one panel per selection rule, labelled
// points, the OLS fit with its 95% band, n, r, CI and p in a caption.
func scatterRules(t testing.TB) *Figure {
	r := rng(1)
	const pool = 40
	share, violent := make([]float64, pool), make([]float64, pool)
	level := make([]float64, pool)
	for i := range pool {
		share[i] = 0.3 + 0.45*r.NormFloat64()
		violent[i] = -15 + 6*share[i] + 55*r.NormFloat64()
		level[i] = r.Float64()
	}
	order := func(by []float64) []int {
		idx := make([]int, pool)
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return -cmp.Compare(by[a], by[b]) })
		return idx[:27]
	}
	first := make([]int, 27)
	for i := range first {
		first[i] = i
	}
	rules := []struct {
		name string
		rows []int
	}{
		{"The paper's 27 metros", first},
		{"27 largest NTCA populations", order(level)},
		{"27 fastest NTCA growth", order(share)},
	}
	var pts, fit, st Table
	pts = Table{Name: "metros", Columns: []Column{txt("rule"), txt("cbsa"), txt("metro"), num(shareName, shareUnit, 2, true), num(violentName, violentUnit, 1, true)}}
	fit = Table{Name: "fit", Columns: []Column{txt("rule"), num(shareName, shareUnit, 2, true), num("fitted", violentUnit, 1, true), num("fit low", violentUnit, 1, true), num("fit high", violentUnit, 1, true)}}
	st = Table{Name: "correlation", Columns: []Column{txt("rule"), num("n", "", 0, false), num("r", "", 2, false), num("level", "%", 0, false),
		num("r low", "", 2, false), num("r high", "", 2, false), num("p", "", 2, false)}}
	f := &Figure{
		ID:       "scatter-rules",
		Title:    "SYNTHETIC: under every selection rule, a larger rise in the NTCA share went with no clear change in violent crime",
		Subtitle: "Change 2012→2017 in 27 metro areas: NTCA-born share (percentage points) and violent crimes per 100,000 residents",
		Notes:    []string{"Line: least-squares fit; shaded: its 95% confidence band."},
		Source:   synthSource,
		Alt:      "SYNTHETIC. Three scatter plots, one per selection rule, of 27 metros each; the correlations are weak and their intervals include zero.",
		Columns:  3,
		X:        Axis{Label: "Change in NTCA-born share, percentage points", Signed: true},
		Y:        Axis{Label: "Change in violent crimes per 100,000", Signed: true},
	}
	for _, rule := range rules {
		var xs, ys []float64
		for _, i := range rule.rows {
			pts.Columns[0].Text = append(pts.Columns[0].Text, rule.name)
			pts.Columns[1].Text = append(pts.Columns[1].Text, code(i))
			pts.Columns[2].Text = append(pts.Columns[2].Text, places[i])
			pts.Columns[3].Num = append(pts.Columns[3].Num, share[i])
			pts.Columns[4].Num = append(pts.Columns[4].Num, violent[i])
			xs, ys = append(xs, share[i]), append(ys, violent[i])
		}
		grid, fitted, lo, hi := fitBand(t, xs, ys, 0.95, 25)
		for k := range grid {
			fit.Columns[0].Text = append(fit.Columns[0].Text, rule.name)
			for c, v := range [][]float64{grid, fitted, lo, hi} {
				fit.Columns[1+c].Num = append(fit.Columns[1+c].Num, v[k])
			}
		}
		c, err := stats.Pearson(xs, ys, stats.CorrOptions{})
		if err != nil {
			t.Fatal(err)
		}
		term := c.Terms[0]
		st.Columns[0].Text = append(st.Columns[0].Text, rule.name)
		for k, v := range []float64{float64(c.N), term.Estimate, 100 * c.Level, term.CILow, term.CIHigh, term.P} {
			st.Columns[1+k].Num = append(st.Columns[1+k].Num, v)
		}
		hiY, loY := rule.rows[0], rule.rows[0]
		for _, i := range rule.rows {
			if violent[i] > violent[hiY] {
				hiY = i
			}
			if violent[i] < violent[loY] {
				loY = i
			}
		}
		w := Filter{"rule", rule.name}
		f.Panels = append(f.Panels, Panel{
			Title:   rule.name,
			Height:  230,
			Caption: Caption{Rows{"correlation", w}, "n = {n}, r = {r}, p = {p}\n{level}% CI {r low} to {r high}"},
			Marks: []Mark{
				Band{Rows: Rows{"fit", w}, X: shareName, Lo: "fit low", Hi: "fit high", Color: "#555555"},
				Line{Rows: Rows{"fit", w}, X: shareName, Y: "fitted", Color: "#333333", Width: 1.5},
				Points{Rows: Rows{"metros", w}, X: shareName, Y: violentName, Key: "cbsa", Label: "metro",
					Labelled: []string{code(hiY), code(loY)}},
			},
		})
	}
	f.Tables = []Table{pts, fit, st}
	return f
}

// manyPoints is figure (b): about 300 metros, the fit, and the most
// influential points by Cook's distance marked and labelled.
func manyPoints(t testing.TB) *Figure {
	r := rng(2)
	const n = 304
	xs, ys := make([]float64, n), make([]float64, n)
	keys, names := make([]string, n), make([]string, n)
	for i := range n {
		xs[i] = 0.8 + 0.9*r.NormFloat64()
		ys[i] = -20 + 2*xs[i] + 45*r.NormFloat64()
		keys[i] = strconv.Itoa(91000 + i)
		names[i] = fmt.Sprintf("Synthetic metro %d", i+1)
	}
	xs[7], ys[7] = 4.6, 210
	xs[150], ys[150] = -2.4, 160
	inf, err := stats.Influence(stats.Design{Y: ys, X: []stats.Var{{Name: "x", Values: xs}}})
	if err != nil {
		t.Fatal(err)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return -cmp.Compare(inf.Cook[a], inf.Cook[b]) })
	var marked []string
	for _, i := range idx[:4] {
		marked = append(marked, keys[i])
	}
	grid, fitted, lo, hi := fitBand(t, xs, ys, 0.95, 30)
	c, err := stats.Pearson(xs, ys, stats.CorrOptions{})
	if err != nil {
		t.Fatal(err)
	}
	term := c.Terms[0]
	return &Figure{
		ID:       "many-points",
		Title:    "SYNTHETIC: across 304 metros, a rise in the foreign-born share went with no change in violent crime",
		Subtitle: "Change 2012→2017: foreign-born share (percentage points) and violent crimes per 100,000 residents",
		Notes:    []string{"Marked and named: the four metros with the largest Cook's distance, the fit's most influential points."},
		Source:   synthSource,
		Alt:      "SYNTHETIC. Scatter of 304 metros with a flat fitted line; four influential metros are marked.",
		X:        Axis{Label: "Change in foreign-born share, percentage points", Signed: true},
		Y:        Axis{Label: "Change in violent crimes per 100,000", Signed: true},
		Tables: []Table{
			{Name: "metros", Columns: []Column{txt("cbsa", keys...), txt("metro", names...),
				num("change in foreign-born share", shareUnit, 2, true, xs...), num(violentName, violentUnit, 1, true, ys...),
				num("Cook's distance", "", 3, false, inf.Cook...)}},
			{Name: "fit", Columns: []Column{num("change in foreign-born share", shareUnit, 2, true, grid...),
				num("fitted", violentUnit, 1, true, fitted...), num("fit low", violentUnit, 1, true, lo...), num("fit high", violentUnit, 1, true, hi...)}},
			{Name: "correlation", Columns: []Column{num("n", "", 0, false, float64(c.N)), num("r", "", 2, false, term.Estimate),
				num("level", "%", 0, false, 100*c.Level), num("r low", "", 2, false, term.CILow), num("r high", "", 2, false, term.CIHigh),
				num("p", "", 2, false, term.P)}},
		},
		Panels: []Panel{{
			Height:  380,
			Caption: Caption{Rows{Table: "correlation"}, "n = {n}, r = {r} ({level}% CI {r low} to {r high}), p = {p}"},
			Marks: []Mark{
				Band{Rows: Rows{Table: "fit"}, X: "change in foreign-born share", Lo: "fit low", Hi: "fit high", Color: "#555555"},
				Line{Rows: Rows{Table: "fit"}, X: "change in foreign-born share", Y: "fitted", Color: "#333333", Width: 1.5},
				Points{Rows: Rows{Table: "metros"}, X: "change in foreign-born share", Y: violentName, Key: "cbsa", Label: "metro",
					Marked: marked, Text: "{metro} (D = {Cook's distance})"},
			},
		}},
	}
}

// countrySeries is figure (c): one line per country with its 90% margin
// of error as a band.
func countrySeries() *Figure {
	r := rng(3)
	countries := []struct {
		name       string
		start, gro float64
	}{{"El Salvador", 1210, 22}, {"Guatemala", 830, 17}, {"Honduras", 510, 16}}
	var country []string
	var year, est, lo, hi []float64
	for _, c := range countries {
		for y := 2009; y <= 2018; y++ {
			e := c.start + c.gro*float64(y-2009) + 12*r.NormFloat64()
			moe := e * (0.035 + 0.01*r.Float64())
			country, year, est = append(country, c.name), append(year, float64(y)), append(est, e)
			lo, hi = append(lo, e-moe), append(hi, e+moe)
		}
	}
	return &Figure{
		ID:       "country-series",
		Title:    "SYNTHETIC: residents born in each Northern Triangle country grew steadily, El Salvador's most",
		Subtitle: "U.S. residents born in El Salvador, Guatemala and Honduras, thousands, ACS 1-year estimates",
		Notes:    []string{"Shaded: 90% margin of error of each estimate."},
		Source:   synthSource,
		Alt:      "SYNTHETIC. Three rising lines, 2009 to 2018: El Salvador from about 1,200 to 1,400 thousand, Guatemala from 830 to 990, Honduras from 510 to 660.",
		X:        Axis{Domain: []float64{2009, 2018}},
		Y:        Axis{Label: "Residents, thousands", Zero: true},
		Tables: []Table{{Name: "origin", Columns: []Column{txt("country", country...), num("year", "", 0, false, year...),
			num("residents", "thousands", 0, false, est...), num("90% low", "thousands", 0, false, lo...), num("90% high", "thousands", 0, false, hi...)}}},
		Panels: []Panel{{Height: 300, Marks: []Mark{
			Band{Rows: Rows{Table: "origin"}, X: "year", Lo: "90% low", Hi: "90% high", Series: "country"},
			Line{Rows: Rows{Table: "origin"}, X: "year", Y: "residents", Series: "country"},
		}}},
	}
}

// stackedNational is figure (d): national crime 1960–2019 above, the
// immigrant share 2009–2018 below, one x axis, the 2013 break marked.
func stackedNational() *Figure {
	r := rng(4)
	var series []string
	var year, index []float64
	violent, murder := 100.0, 100.0
	for y := 1960; y <= 2019; y++ {
		g := 0.055
		switch {
		case y > 1991:
			g = -0.035
		case y > 1980 && y < 1986:
			g = -0.01
		}
		violent *= 1 + g + 0.01*r.NormFloat64()
		murder *= 1 + g*0.55 + 0.02*r.NormFloat64()
		series, year, index = append(series, "Violent crime", "Murder"), append(year, float64(y), float64(y)), append(index, violent, murder)
	}
	peak := 0
	for i := range index {
		if series[i] == "Violent crime" && index[i] > index[peak] {
			peak = i
		}
	}
	var shareYear, share []float64
	for y := 2009; y <= 2018; y++ {
		shareYear, share = append(shareYear, float64(y)), append(share, 12.5+0.13*float64(y-2009)+0.05*r.NormFloat64())
	}
	return &Figure{
		ID:       "stacked-national",
		Title:    "SYNTHETIC: crime fell for two decades before the decade in which the immigrant share rose",
		Subtitle: "National violent-crime and murder rates, index 1960 = 100; foreign-born share of residents, %",
		Notes:    []string{"Violent crime is not strictly comparable across 2013, when the FBI revised its definition of rape; murder is."},
		Source:   synthSource,
		Alt:      "SYNTHETIC. Top: violent crime and murder indexes rise to a peak around 1991 and fall after. Bottom: the foreign-born share rises from 12.5% in 2009 to 13.7% in 2018.",
		Columns:  1,
		X:        Axis{Domain: []float64{1960, 2019}},
		Tables: []Table{
			{Name: "crime", Columns: []Column{txt("series", series...), num("year", "", 0, false, year...), num("index", "1960 = 100", 0, false, index...)}},
			{Name: "share", Columns: []Column{num("year", "", 0, false, shareYear...), num("foreign-born share", "%", 1, false, share...)}},
			{Name: "break", Columns: []Column{num("year", "", 0, false, 2013), txt("event", "FBI revised rape definition (2013)")}},
			{Name: "peak", Columns: []Column{num("year", "", 0, false, year[peak]), num("index", "1960 = 100", 0, false, index[peak])}},
		},
		Panels: []Panel{
			{Height: 220, Y: &Axis{Label: "Rate, index 1960 = 100", Zero: true}, Marks: []Mark{
				Rule{Rows: Rows{Table: "break"}, Axis: X, At: "year", Label: "event"},
				Line{Rows: Rows{Table: "crime"}, X: "year", Y: "index", Series: "series"},
				Text{Rows: Rows{Table: "peak"}, X: "year", Y: "index", Text: "peak, {year}", Anchor: Middle},
			}},
			{Height: 110, Y: &Axis{Label: "Foreign-born share of residents, %"}, Marks: []Mark{
				Rule{Rows: Rows{Table: "break"}, Axis: X, At: "year"},
				Line{Rows: Rows{Table: "share"}, X: "year", Y: "foreign-born share", Color: OkabeIto[2]},
			}},
		},
	}
}

// specCurve is figure (e): estimates sorted with their intervals above,
// the choices behind each below as a dot matrix.
func specCurve() *Figure {
	r := rng(5)
	dims := []struct {
		name   string
		values []string
	}{
		{"Outcome", []string{"violent crime", "murder"}},
		{"Years", []string{"2012→2017", "2011→2016", "2013→2018"}},
		{"Sample", []string{"paper's 27", "all metros"}},
		{"Weights", []string{"none", "population"}},
	}
	type spec struct {
		choice     []string
		est, lo, h float64
	}
	var specs []spec
	var walk func(k int, choice []string)
	walk = func(k int, choice []string) {
		if k == len(dims) {
			e := 0.02 + 0.09*r.NormFloat64()
			w := 0.18 + 0.2*r.Float64()
			if choice[2] == "all metros" {
				w = 0.08 + 0.04*r.Float64()
			}
			specs = append(specs, spec{slices.Clone(choice), e, e - w, e + w})
			return
		}
		for _, v := range dims[k].values {
			walk(k+1, append(choice, dims[k].name+": "+v))
		}
	}
	walk(0, nil)
	slices.SortStableFunc(specs, func(a, b spec) int { return cmp.Compare(a.est, b.est) })
	var ids, choiceIDs, choices []string
	var rank, est, lo, hi, choiceRank []float64
	var cats []string
	for _, d := range dims {
		for _, v := range d.values {
			cats = append(cats, d.name+": "+v)
		}
	}
	for k, s := range specs {
		id := fmt.Sprintf("spec-%02d", k+1)
		ids, rank, est, lo, hi = append(ids, id), append(rank, float64(k+1)), append(est, s.est), append(lo, s.lo), append(hi, s.h)
		for _, c := range s.choice {
			choiceIDs, choiceRank, choices = append(choiceIDs, id), append(choiceRank, float64(k+1)), append(choices, c)
		}
	}
	return &Figure{
		ID:       "spec-curve",
		Title:    "SYNTHETIC: no reasonable specification finds a clear correlation",
		Subtitle: "Correlation of the change in NTCA share with the change in crime, 24 specifications, with 95% confidence intervals",
		Source:   synthSource,
		Alt:      "SYNTHETIC. 24 estimates sorted from about −0.15 to 0.2; every interval includes zero.",
		Columns:  1,
		X:        Axis{Label: "Specification, sorted by estimate", Domain: []float64{0.5, float64(len(specs)) + 0.5}},
		Tables: []Table{
			{Name: "estimates", Columns: []Column{txt("spec", ids...), num("rank", "", 0, false, rank...), num("r", "", 2, true, est...),
				num("r low", "", 2, true, lo...), num("r high", "", 2, true, hi...)}},
			{Name: "choices", Columns: []Column{txt("spec", choiceIDs...), num("rank", "", 0, false, choiceRank...), txt("choice", choices...)}},
			{Name: "reference", Columns: []Column{num("r", "", 2, true, 0), txt("meaning", "no correlation")}},
		},
		Panels: []Panel{
			{Height: 220, Y: &Axis{Label: "Correlation r", Signed: true}, Marks: []Mark{
				Rule{Rows: Rows{Table: "reference"}, Axis: Y, At: "r", Label: "meaning"},
				Interval{Rows: Rows{Table: "estimates"}, X: "rank", Y: "r", Lo: "r low", Hi: "r high", Key: "spec"},
			}},
			{Y: &Axis{Scale: Ordinal, Categories: cats}, Marks: []Mark{
				Points{Rows: Rows{Table: "choices"}, X: "rank", Y: "choice", Key: "spec", Color: "#222222"},
			}},
		},
	}
}

// powerCurve is figure (f): the smallest correlation a test can detect,
// against the number of metros, with the paper's 27 and all metros marked.
func powerCurve(t testing.TB) *Figure {
	var metros, mdr []float64
	for n := 10; n <= 400; n += 5 {
		r, err := stats.MinDetectableCorrelation(n, 0.05, 0.8)
		if err != nil {
			t.Fatal(err)
		}
		metros, mdr = append(metros, float64(n)), append(mdr, r)
	}
	r27, err := stats.MinDetectableCorrelation(27, 0.05, 0.8)
	if err != nil {
		t.Fatal(err)
	}
	rAll, err := stats.MinDetectableCorrelation(381, 0.05, 0.8)
	if err != nil {
		t.Fatal(err)
	}
	return &Figure{
		ID:       "power-curve",
		Title:    "SYNTHETIC: 27 metros can only detect a strong correlation; all 381 can detect a weak one",
		Subtitle: "Smallest correlation a two-sided test at the 5% level detects with 80% power, by number of metros",
		Source:   synthSource,
		Alt:      "SYNTHETIC. A falling curve: with 27 metros the smallest detectable correlation is about 0.52; with 381 it is about 0.14.",
		X:        Axis{Label: "Number of metro areas", Domain: []float64{0, 400}},
		Y:        Axis{Label: "Smallest detectable correlation", Domain: []float64{0, 1}},
		Tables: []Table{
			{Name: "curve", Columns: []Column{num("metros", "", 0, false, metros...), num("detectable r", "", 2, false, mdr...)}},
			{Name: "marked", Columns: []Column{txt("sample", "27", "all"), txt("label", "The paper's 27 metros", "All 381 metros"),
				num("metros", "", 0, false, 27, 381), num("detectable r", "", 2, false, r27, rAll)}},
		},
		Panels: []Panel{{Height: 260, Marks: []Mark{
			Line{Rows: Rows{Table: "curve"}, X: "metros", Y: "detectable r"},
			Points{Rows: Rows{Table: "marked"}, X: "metros", Y: "detectable r", Key: "sample", Labelled: []string{"27", "all"},
				Text: "{label}: r = {detectable r}", Color: OkabeIto[1]},
		}}},
	}
}

// smallMultiples is figure (g): 27 metros' series 2006–2018, with the
// years the FBI did not publish as gaps.
func smallMultiples() *Figure {
	r := rng(6)
	var keys, names []string
	var year, rate []float64
	f := &Figure{
		ID:       "small-multiples",
		Title:    "SYNTHETIC: violent crime moved differently in each of the 27 metros",
		Subtitle: "Violent crimes per 100,000 residents, 2006–2018",
		Notes:    []string{"Gaps: years the FBI did not publish the metro's rate; a dot is a year published between two gaps."},
		Source:   synthSource,
		Alt:      "SYNTHETIC. 27 small line charts, most between 200 and 700 per 100,000, several with missing years.",
		Columns:  6,
		X:        Axis{Domain: []float64{2006, 2018}},
		Y:        Axis{Label: "Violent crimes per 100,000", Zero: true},
	}
	for m := range 27 {
		level := 250 + 350*r.Float64()
		trend := -12 + 18*r.Float64()
		for y := 2006; y <= 2018; y++ {
			v := level + trend*float64(y-2006) + 25*r.NormFloat64()
			// Gaps: a run of missing years in some metros, and one
			// lone published year between two gaps in others.
			if m%5 == 1 && y >= 2009 && y <= 2011 || m%7 == 3 && (y == 2013 || y == 2015) || m == 20 && y < 2009 {
				v = math.NaN()
			}
			keys, names = append(keys, code(m)), append(names, places[m])
			year, rate = append(year, float64(y)), append(rate, v)
		}
		f.Panels = append(f.Panels, Panel{Title: places[m], Height: 70, Marks: []Mark{
			Line{Rows: Rows{"rates", Filter{"cbsa", code(m)}}, X: "year", Y: "violent rate", Series: "cbsa", Label: "metro", Width: 1.5},
		}})
	}
	f.Tables = []Table{{Name: "rates", Columns: []Column{txt("cbsa", keys...), txt("metro", names...), num("year", "", 0, false, year...),
		num("violent rate", "per 100,000", 0, false, rate...)}}}
	return f
}

// synthMap is a SYNTHETIC map: a grid of square "counties" inside an oval
// "nation" in the 975 × 610 frame, grouped six by five into "states". The
// base is the coast: the cell edges with no cell beyond; the state lines
// are the edges between two states.
func synthMap() (shapes map[string]string, base, lines []string, keys []string) {
	const size = 39
	inside := func(row, col int) bool {
		dx, dy := (float64(col)+0.5-12.5)/12.5, (float64(row)+0.5-7.5)/7.7
		return row >= 0 && col >= 0 && dx*dx+dy*dy <= 1
	}
	state := func(row, col int) string {
		if !inside(row, col) {
			return ""
		}
		return fmt.Sprintf("%d-%d", row/5, col/6)
	}
	shapes = map[string]string{}
	var coast, borders strings.Builder
	for row := range 15 {
		for col := range 25 {
			if !inside(row, col) {
				continue
			}
			x, y := 0.5+float64(col*size), 12+float64(row*size)
			d := fmt.Sprintf("M%g %gh%dv%dh-%dz", x, y, size, size, size)
			k := fmt.Sprintf("G%02d%02d", row, col)
			shapes[k] = d
			keys = append(keys, k)
			s := state(row, col)
			for _, e := range []struct {
				next   string
				format string
				x, y   float64
			}{
				{state(row-1, col), "M%g %gh%d", x, y}, {state(row+1, col), "M%g %gh%d", x, y + size},
				{state(row, col-1), "M%g %gv%d", x, y}, {state(row, col+1), "M%g %gv%d", x + size, y},
			} {
				switch e.next {
				case s:
				case "":
					fmt.Fprintf(&coast, e.format, e.x, e.y, size)
				default:
					fmt.Fprintf(&borders, e.format, e.x, e.y, size)
				}
			}
		}
	}
	return shapes, []string{coast.String()}, []string{borders.String()}, keys
}

// choropleths is figure (h): two maps side by side, each with its own
// diverging scale, no-data hatching and a few outlined places.
func choropleths() *Figure {
	r := rng(8)
	shapes, base, lines, all := synthMap()
	var keys, names []string
	var dShare, dViolent []float64
	for i, k := range all {
		if i%4 == 3 { // not in a metro: drawn as base
			continue
		}
		row, _ := strconv.Atoi(k[1:3])
		col, _ := strconv.Atoi(k[3:5])
		s := 0.9*math.Sin(float64(col)/4) + 0.4*r.NormFloat64()
		v := 40*math.Cos(float64(row)/3) - 10 + 25*r.NormFloat64()
		if i%17 == 5 {
			s = math.NaN()
		}
		if i%13 == 2 {
			v = math.NaN()
		}
		keys, names = append(keys, k), append(names, "Synthetic area "+k)
		dShare, dViolent = append(dShare, s), append(dViolent, v)
	}
	outlined := []string{keys[10], keys[60], keys[120]}
	geo := func(value, label string) Geo {
		return Geo{Rows: Rows{Table: "areas"}, Key: "area", Value: value, Label: "name", Shapes: shapes, Frame: [4]float64{0, 0, 975, 610},
			Base: base, BaseLabel: "Not in a metro area", Lines: lines, Outlined: outlined, Color: ColorScale{Kind: Diverging, Label: label}}
	}
	return &Figure{
		ID:       "choropleths",
		Title:    "SYNTHETIC: where the NTCA share rose is not where violent crime rose",
		Subtitle: "Change 2012→2017 by metro area",
		Notes:    []string{"Outlined: the three metros the text discusses."},
		Source:   synthSource,
		Alt:      "SYNTHETIC. Two maps of a made-up country: the share change runs in vertical bands, the crime change in horizontal ones.",
		Columns:  2,
		Tables: []Table{{Name: "areas", Columns: []Column{txt("area", keys...), txt("name", names...),
			num("change in share", shareUnit, 2, true, dShare...), num("change in violent rate", violentUnit, 1, true, dViolent...)}}},
		Panels: []Panel{
			{Title: "NTCA-born share", Marks: []Mark{geo("change in share", "Percentage points")}},
			{Title: "Violent crime", Marks: []Mark{geo("change in violent rate", "Per 100,000 residents")}},
		},
	}
}

// topTen is figure (i): ten metros' rates as horizontal bars, each with
// its rank among all metros.
func topTen() *Figure {
	r := rng(9)
	var keys, names []string
	var rate, rank, of []float64
	v := 1150.0
	for i := range 10 {
		v -= 20 + 60*r.Float64()
		keys, names = append(keys, code(i)), append(names, places[i]+", ST")
		rate, rank, of = append(rate, v), append(rank, float64(i+1)), append(of, 381)
	}
	return &Figure{
		ID:       "top-ten",
		Title:    "SYNTHETIC: the ten metros with the highest violent-crime rates in 2017",
		Subtitle: "Violent crimes per 100,000 residents, 2017, with each metro's rank among all metros",
		Source:   synthSource,
		Alt:      "SYNTHETIC. Ten bars from about 1,100 down to about 700 per 100,000.",
		X:        Axis{Zero: true},
		Y:        Axis{Scale: Ordinal},
		Tables: []Table{{Name: "top", Columns: []Column{txt("cbsa", keys...), txt("metro", names...),
			num("violent rate", "per 100,000", 0, false, rate...), num("rank", "", 0, false, rank...), num("metros ranked", "", 0, false, of...)}}},
		Panels: []Panel{{Marks: []Mark{
			Bar{Rows: Rows{Table: "top"}, X: "violent rate", Y: "metro", Key: "cbsa", Label: "metro", Text: "{violent rate}  · rank {rank} of {metros ranked}"},
		}}},
	}
}

// unpublished is figure (j): three series with a year the FBI did not
// publish, a gap in each line and a shaded, labelled span.
func unpublished() *Figure {
	r := rng(10)
	var series []string
	var year, index []float64
	for k, name := range []string{"Violent crime", "Property crime", "Murder"} {
		v := 100.0
		for y := 2006; y <= 2023; y++ {
			v *= 1 - 0.02*float64(k) + 0.025*r.NormFloat64()
			if y == 2020 && name == "Murder" {
				v *= 1.28
			}
			val := v
			if y == 2021 {
				val = math.NaN()
			}
			series, year, index = append(series, name), append(year, float64(y)), append(index, val)
		}
	}
	return &Figure{
		ID:       "unpublished",
		Title:    "SYNTHETIC: murder jumped in 2020 while property crime kept falling",
		Subtitle: "National rates, index 2006 = 100",
		Notes:    []string{"2021: the FBI published no national estimate, during its move to NIBRS."},
		Source:   synthSource,
		Alt:      "SYNTHETIC. Three lines from 2006 to 2023 with a gap at 2021; murder rises sharply in 2020.",
		X:        Axis{Domain: []float64{2006, 2023}},
		Y:        Axis{Label: "Index, 2006 = 100"},
		Tables: []Table{
			{Name: "national", Columns: []Column{txt("series", series...), num("year", "", 0, false, year...), num("index", "2006 = 100", 0, false, index...)}},
			{Name: "not published", Columns: []Column{num("from", "", 1, false, 2020.5), num("to", "", 1, false, 2021.5), txt("note", "not published")}},
		},
		Panels: []Panel{{Height: 280, Marks: []Mark{
			Rule{Rows: Rows{Table: "not published"}, Axis: X, At: "from", To: "to", Label: "note"},
			Line{Rows: Rows{Table: "national"}, X: "year", Y: "index", Series: "series"},
		}}},
	}
}

// fixtures are every kind of figure the report draws, in the order of the
// issue's list (a) to (j).
func fixtures(t testing.TB) []*Figure {
	return []*Figure{
		scatterRules(t), manyPoints(t), countrySeries(), stackedNational(), specCurve(),
		powerCurve(t), smallMultiples(), choropleths(), topTen(), unpublished(),
	}
}
