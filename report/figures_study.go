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
	"github.com/assaylab/assay/study"
)

// pearson is the estimator the figures of a study read: the paper's.
const pearson = string(study.Pearson)

// FindingOf returns a study's finding of an estimator, as the study
// weights it (Pearson's r weighted by population when the study weights).
func FindingOf(res *study.Result, e study.Estimator) (assay.Finding, bool) {
	name := study.FindingEstimator(e, res.Spec.Estimation.Weights)
	for _, f := range res.Findings {
		if f.Estimator == name {
			return f, true
		}
	}
	return assay.Finding{}, false
}

// pearsonOf returns a study's Pearson finding, which its figures read.
func pearsonOf(res *study.Result) (assay.Finding, error) {
	if f, ok := FindingOf(res, study.Pearson); ok {
		return f, nil
	}
	return assay.Finding{}, fmt.Errorf("study %s has no Pearson estimate: add %q to [estimation] estimators", res.Spec.Name, pearson)
}

// studyQuantities names a study's X and Y from its Pearson finding.
func studyQuantities(f assay.Finding) (x, y quantity, err error) {
	y, err = outcomeQuantity(f.Spec)
	return immigrantQuantity(f.Spec), y, err
}

// studyAxes is what a figure of a study's sample reads first: its Pearson
// finding, and the names of X and Y.
func studyAxes(res *study.Result, id string) (assay.Finding, quantity, quantity, error) {
	f, err := pearsonOf(res)
	if err != nil {
		return f, quantity{}, quantity{}, fmt.Errorf("figure %s: %w", id, err)
	}
	x, y, err := studyQuantities(f)
	if err != nil {
		return f, x, y, fmt.Errorf("figure %s: %w", id, err)
	}
	return f, x, y, nil
}

// studySource is the source line of a figure of a study's sample.
func studySource(res *study.Result) string {
	y := res.Spec.Years
	return fmt.Sprintf("FBI, Crime in the United States, Table 6, %d and %d; %s", y.Base, y.End, measureSource(res.Spec.Immigrant.Source, y))
}

// sampleWords says which metros a study's sample holds, and how many.
func sampleWords(res *study.Result) string {
	n := len(res.Sample.Rows)
	if res.Spec.Selection == (study.Selection{Rule: study.All}) {
		return fmt.Sprintf("all %d metros with data", n)
	}
	return fmt.Sprintf("the %d metros the study selects (%s)", n, res.Spec.Selection)
}

// AllMetrosScatter is a study's sample as a scatter: every metro's change
// in the immigrant measure against its change in the crime rate, the
// least-squares line with its confidence band, and the metros with the
// largest Cook's distance marked and named.
func AllMetrosScatter(res *study.Result) (*chart.Figure, error) {
	f, xq, yq, err := studyAxes(res, IDAllMetrosScatter)
	if err != nil {
		return nil, err
	}
	cook := map[string]float64{}
	var marked []string
	for _, m := range res.Influence.ByCook {
		cook[m.CBSA] = m.Cook
		marked = append(marked, m.CBSA)
	}
	// The influential metros form a table of their own, with their Cook's
	// distance: each metro is drawn once, by one of the two.
	var cbsa, metro, icbsa, imetro []string
	var xs, ys, ix, iy, id []float64
	for _, r := range res.Sample.Rows {
		if d, ok := cook[r.CBSA]; ok {
			icbsa, imetro, ix, iy, id = append(icbsa, r.CBSA), append(imetro, r.Title), append(ix, r.X), append(iy, r.Y), append(id, d)
			continue
		}
		cbsa, metro, xs, ys = append(cbsa, r.CBSA), append(metro, r.Title), append(xs, r.X), append(ys, r.Y)
	}
	level := res.Spec.Estimation.Level
	p := study.PValue(f).V
	tables := []chart.Table{
		{Name: "metros", Columns: []chart.Column{textColumn("cbsa", cbsa), textColumn("metro", metro), xq.Column(2, true, xs), yq.Column(1, true, ys)}},
		{Name: "influential", Columns: []chart.Column{textColumn("cbsa", icbsa), textColumn("metro", imetro), xq.Column(2, true, ix), yq.Column(1, true, iy), plainColumn("Cook's distance", 3, id)}},
		{Name: "fit", Columns: fitColumns(xq, yq, res.Line)},
		{Name: "correlation", Columns: []chart.Column{plainColumn("n", 0, []float64{float64(f.N)}), plainColumn("r", 2, []float64{f.Estimate.V}),
			plainColumn("r low", 2, []float64{f.CILow.V}), plainColumn("r high", 2, []float64{f.CIHigh.V}), plainColumn("p", pDecimals(p), []float64{p})}},
	}
	var named []string
	for _, m := range res.Influence.ByCook {
		named = append(named, fmt.Sprintf("%s (D = %.3f)", m.Title, m.Cook))
	}
	line := "least-squares fit"
	if res.Spec.Estimation.Weights == study.Population {
		line = "least-squares fit weighted by population, as is r"
	}
	notes := []string{
		fmt.Sprintf("Line: %s; shaded: its %s confidence band.", line, textfmt.Pct(level, 0)),
		fmt.Sprintf("Marked and named: the %d metros with the largest Cook's distance D, the fit's most influential points; %d metros have D above 4/n.", len(marked), res.Influence.CookOver),
	}
	for _, n := range res.Notes {
		notes = append(notes, "Note: "+n+".")
	}
	return &chart.Figure{
		ID:       IDAllMetrosScatter,
		Title:    fmt.Sprintf("Across %d metros, r = %s between the %s and the %s: %s", f.N, textfmt.F2(f.Estimate), xq.Name, yq.Name, direction(f)),
		Subtitle: fmt.Sprintf("%s in %s: %s against %s", yearSpan(res.Spec.Years), sampleWords(res), xq.Phrase(), yq.Phrase()),
		Notes:    notes,
		Source:   studySource(res),
		Alt: fmt.Sprintf("Scatter plot of %d metros' %s against their %s, %s, with a fitted line: n = %d, %s. Most influential: %s.",
			len(res.Sample.Rows), xq.Name, yq.Name, yearSpan(res.Spec.Years), f.N, corrText(f, level), strings.Join(named, ", ")),
		X:      chart.Axis{Label: xq.Axis(), Signed: true},
		Y:      chart.Axis{Label: yq.Axis(), Signed: true},
		Tables: tables,
		Panels: []chart.Panel{{
			Height:  380,
			Caption: chart.Caption{Rows: chart.Rows{Table: "correlation"}, Text: "n = {n}, r = {r} (" + textfmt.Pct(level, 0) + " CI {r low} to {r high}), " + study.PValueName(f) + " = {p}"},
			Marks: append(fitMarks(xq, chart.Filter{}),
				chart.Points{Rows: chart.Rows{Table: "metros"}, X: xq.Name, Y: yq.Name, Key: "cbsa", Label: "metro"},
				chart.Points{Rows: chart.Rows{Table: "influential"}, X: xq.Name, Y: yq.Name, Key: "cbsa", Label: "metro", Marked: marked, Text: "{metro} (D = {Cook's distance})"}),
		}},
	}, nil
}

// Maps colours every metropolitan area of the study's delineation on two
// maps of the United States, by its change in the immigrant measure and
// by its change in the crime rate (the study's sample: no other number),
// on diverging scales centred on zero. Metros outside the sample are
// hatched as no data; outlined are the given metros (the paper's
// selection). A metro's shape is its counties' outlines.
func Maps(ds *assay.Dataset, res *study.Result, outlined []string) (*chart.Figure, error) {
	f, xq, yq, err := studyAxes(res, IDMaps)
	if err != nil {
		return nil, err
	}
	vintage := f.Spec["vintage"]
	i := slices.IndexFunc(ds.Delineations, func(d assay.Delineation) bool { return d.Vintage == vintage })
	if i < 0 {
		return nil, fmt.Errorf("figure %s: the data has no delineation of vintage %q", IDMaps, vintage)
	}
	counties := map[string]string{}
	var base, states []string
	for _, o := range ds.Outlines {
		switch o.Kind {
		case assay.OutlineCounty:
			counties[o.ID] = o.Path
		case assay.OutlineNation:
			base = append(base, o.Path)
		case assay.OutlineState:
			states = append(states, o.Path)
		}
	}
	if len(counties) == 0 {
		return nil, fmt.Errorf("figure %s: the data has no county outlines", IDMaps)
	}
	sample := map[string]*study.Row{}
	for k := range res.Sample.Rows {
		sample[res.Sample.Rows[k].CBSA] = &res.Sample.Rows[k]
	}
	shapes := map[string]string{}
	var code, title, unmapped []string
	var xs, ys []float64
	nodata := 0
	cbsas := slices.Clone(ds.Delineations[i].CBSAs)
	slices.SortFunc(cbsas, func(a, b assay.CBSA) int { return cmp.Compare(a.Code, b.Code) })
	for _, c := range cbsas {
		if !c.Metro {
			continue
		}
		var paths []string
		for _, k := range c.Counties {
			if p, ok := counties[k.FIPS]; ok {
				paths = append(paths, p)
			}
		}
		if len(paths) == 0 {
			unmapped = append(unmapped, c.Title)
			continue
		}
		shapes[c.Code] = strings.Join(paths, "")
		x, y := math.NaN(), math.NaN()
		if r := sample[c.Code]; r != nil {
			x, y = r.X, r.Y
		} else {
			nodata++
		}
		code, title, xs, ys = append(code, c.Code), append(title, c.Title), append(xs, x), append(ys, y)
	}
	var outline []string
	for _, c := range outlined {
		if _, ok := shapes[c]; ok {
			outline = append(outline, c)
		}
	}
	geo := func(value string, q quantity, kind chart.ColorKind) chart.Geo {
		return chart.Geo{Rows: chart.Rows{Table: "metros"}, Key: "cbsa", Value: value, Label: "metro", Shapes: shapes,
			Frame: [4]float64{0, 0, assay.OutlineWidth, assay.OutlineHeight}, Base: base, BaseLabel: "Not in a metro area", Lines: states,
			Outlined: outline, Color: chart.ColorScale{Kind: kind, Label: q.Axis()}}
	}
	xKind := chart.Sequential
	if isChange(f.Spec) {
		xKind = chart.Diverging
	}
	notes := []string{
		fmt.Sprintf("Hatched: %d metro areas with no data in the study (the FBI did not publish them in both years, or left the rate blank). White: counties in no metro area.", nodata),
		fmt.Sprintf("Outlined: the %d metros the paper's first selection rule picks. Blue is a fall, orange a rise, in steps symmetric about zero.", len(outline)),
	}
	if len(unmapped) > 0 {
		notes = append(notes, fmt.Sprintf("Not on the map (no county outline): %s.", strings.Join(unmapped, "; ")))
	}
	return &chart.Figure{
		ID:       IDMaps,
		Title:    fmt.Sprintf("Metro by metro, %s: the %s and the %s (r = %s across %d metros)", yearSpan(res.Spec.Years), xq.Name, yq.Name, textfmt.F2(f.Estimate), f.N),
		Subtitle: fmt.Sprintf("Each metropolitan area's counties coloured by its change %s: left, %s; right, %s", yearSpan(res.Spec.Years), xq.Phrase(), yq.Phrase()),
		Notes:    notes,
		Source:   studySource(res) + "; county outlines from us-atlas (Census cartographic boundaries, ISC licence)",
		Alt: fmt.Sprintf("Two maps of the United States with %d metro areas coloured: left by the %s, right by the %s, %s; %d metros have no data and are hatched; r = %s across the %d with data.",
			len(code), xq.Name, yq.Name, yearSpan(res.Spec.Years), nodata, textfmt.F2(f.Estimate), f.N),
		Width:   960,
		Columns: 2,
		Tables: []chart.Table{{Name: "metros", Columns: []chart.Column{textColumn("cbsa", code), textColumn("metro", title),
			xq.Column(2, true, xs), yq.Column(1, true, ys)}}},
		Panels: []chart.Panel{
			{Title: capital(xq.Name), Marks: []chart.Mark{geo(xq.Name, xq, xKind)}},
			{Title: capital(yq.Name), Marks: []chart.Mark{geo(yq.Name, yq, chart.Diverging)}},
		},
	}, nil
}

// SpecCurve is the specification curve of a study's multiverse: Pearson's
// r under every combination of its choices, sorted, with intervals, and
// beneath, a dot for each choice each specification makes.
func SpecCurve(res *study.Result) (*chart.Figure, error) {
	return SpecCurveOf(res, res.Multiverse, pearson)
}

// coefficients name the estimators a specification curve draws: the
// correlations, which share a scale (slopes have their measures' units).
var coefficients = map[string]struct{ name, plural string }{
	"pearson":          {"Pearson's r", "Pearson correlations"},
	"weighted_pearson": {"population-weighted Pearson's r", "population-weighted Pearson correlations"},
	"spearman":         {"Spearman's rho", "Spearman correlations"},
	"kendall":          {"Kendall's tau", "Kendall correlations"},
}

// CurveEstimators lists the estimators of a multiverse that SpecCurveOf
// can draw, in the summary's order.
func CurveEstimators(m *study.Multiverse) []string {
	var out []string
	for _, e := range m.Summary.ByEstimator {
		if _, ok := coefficients[e.Estimator]; ok {
			out = append(out, e.Estimator)
		}
	}
	return out
}

// SpecCurveOf is the specification curve of one correlation estimator
// (a Finding.Estimator, one of CurveEstimators) over the specifications
// of m: a study's multiverse, or part of it (Multiverse.Filter).
func SpecCurveOf(res *study.Result, m *study.Multiverse, estimator string) (*chart.Figure, error) {
	coef, ok := coefficients[estimator]
	switch {
	case m == nil:
		return nil, fmt.Errorf("figure %s: study %s has no [grid]", IDSpecCurve, res.Spec.Name)
	case !ok:
		return nil, fmt.Errorf("figure %s: estimator %q is not a correlation", IDSpecCurve, estimator)
	}
	k := slices.IndexFunc(m.Summary.ByEstimator, func(e study.EstimatorSummary) bool { return e.Estimator == estimator })
	if k < 0 {
		return nil, fmt.Errorf("figure %s: no %s among these specifications", IDSpecCurve, coef.name)
	}
	sum := m.Summary.ByEstimator[k]
	var idx []int
	for i, s := range m.Specs {
		if s.Estimator == estimator {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(m.Specs[a].Estimate.V, m.Specs[b].Estimate.V) })
	// The dot matrix shows the choices that vary among these
	// specifications, each dimension's values in the grid's order.
	var dims []study.Dimension
	var cats []string
	for _, d := range m.Dimensions {
		var vals []string
		for _, v := range d.Values {
			if slices.ContainsFunc(idx, func(i int) bool { return m.Specs[i].Spec[d.Name] == v }) {
				vals = append(vals, v)
			}
		}
		if d.Name == "estimator" || len(vals) < 2 {
			continue
		}
		dims = append(dims, study.Dimension{Name: d.Name, Values: vals})
		for _, v := range vals {
			cats = append(cats, choiceLabel(d.Name, v))
		}
	}
	var ids, cids, choice []string
	var rank, r, lo, hi, crank []float64
	for j, i := range idx {
		s := m.Specs[i]
		id := fmt.Sprintf("spec-%04d", i+1)
		ids, rank = append(ids, id), append(rank, float64(j+1))
		r, lo, hi = append(r, s.Estimate.V), append(lo, s.CILow.Or(math.NaN())), append(hi, s.CIHigh.Or(math.NaN()))
		for _, d := range dims {
			cids, crank, choice = append(cids, id), append(crank, float64(j+1)), append(choice, choiceLabel(d.Name, s.Spec[d.Name]))
		}
	}
	level := res.Spec.Estimation.Level
	title := fmt.Sprintf("Across %d specifications %s runs from %s to %s (median %s); %d (%s) have p < %s",
		sum.Specs, coef.name, textfmt.F2(sum.Estimate.Min), textfmt.F2(sum.Estimate.Max), textfmt.F2(sum.Estimate.Median), sum.Significant,
		textfmt.Pct(sum.ShareSignificant.V, 0), textfmt.Number(m.Summary.Alpha))
	var others []string
	for _, e := range m.Summary.ByEstimator {
		if e.Estimator != estimator {
			others = append(others, e.Estimator)
		}
	}
	notes := []string{fmt.Sprintf("p: the permutation p-value (%d permutations per specification) where there is one, else the analytic one.", res.Spec.Grid.Permutations)}
	if len(others) > 0 {
		notes = append(notes, fmt.Sprintf("The multiverse's other estimators (%s) are in the study's JSON output (assay study … --json).", strings.Join(others, ", ")))
	}
	var dimWords []string
	for _, d := range dims {
		dimWords = append(dimWords, fmt.Sprintf("%s (%d)", d.Name, len(d.Values)))
	}
	return &chart.Figure{
		ID:       IDSpecCurve,
		Title:    title,
		Subtitle: fmt.Sprintf("%s under every combination of the study's choices, sorted, with %s confidence intervals; below, the choices each specification makes", capital(coef.name), textfmt.Pct(level, 0)),
		Notes:    notes,
		Source:   studySource(res),
		Alt: fmt.Sprintf("A specification curve of %d %s sorted from %s to %s, median %s, each with its interval; %d have p below %s. Beneath, a dot matrix of the choices: %s.",
			len(idx), coef.plural, textfmt.F2(sum.Estimate.Min), textfmt.F2(sum.Estimate.Max), textfmt.F2(sum.Estimate.Median), sum.Significant, textfmt.Number(m.Summary.Alpha), strings.Join(dimWords, ", ")),
		Width:   960,
		Columns: 1,
		X:       chart.Axis{Label: "Specification, sorted by r", Domain: []float64{0.5, float64(len(idx)) + 0.5}},
		Tables: []chart.Table{
			{Name: "estimates", Columns: []chart.Column{textColumn("spec", ids), plainColumn("rank", 0, rank), {Name: "r", Decimals: 2, Signed: true, Num: r},
				{Name: "r low", Decimals: 2, Signed: true, Num: lo}, {Name: "r high", Decimals: 2, Signed: true, Num: hi}}},
			{Name: "choices", Columns: []chart.Column{textColumn("spec", cids), plainColumn("rank", 0, crank), textColumn("choice", choice)}},
			{Name: "reference", Columns: []chart.Column{{Name: "r", Decimals: 2, Signed: true, Num: []float64{0}}, textColumn("meaning", []string{"r = 0"})}},
		},
		Panels: []chart.Panel{
			{Height: 240, Y: &chart.Axis{Label: capital(coef.name), Signed: true}, Marks: []chart.Mark{
				chart.Rule{Rows: chart.Rows{Table: "reference"}, Axis: chart.Y, At: "r", Label: "meaning"},
				chart.Interval{Rows: chart.Rows{Table: "estimates"}, X: "rank", Y: "r", Lo: "r low", Hi: "r high", Key: "spec"},
			}},
			{Y: &chart.Axis{Scale: chart.Ordinal, Categories: cats}, Marks: []chart.Mark{
				chart.Points{Rows: chart.Rows{Table: "choices"}, X: "rank", Y: "choice", Key: "spec", Color: "#222222"},
			}},
		},
	}, nil
}

// choiceLabel is a row of the dot matrix: "offense: aggravated assault".
func choiceLabel(dim, value string) string {
	return dim + ": " + strings.ReplaceAll(value, "_", " ")
}

// Power is the smallest correlation a test detects with the conventional
// power, against the number of metros, with the paper's number and the
// study's marked.
func Power(p *study.Power) (*chart.Figure, error) {
	if p == nil || len(p.Curve) == 0 {
		return nil, fmt.Errorf("figure %s: no power curve", IDPower)
	}
	var n, mdc []float64
	for _, pt := range p.Curve {
		n, mdc = append(n, float64(pt.N)), append(mdc, pt.MDC)
	}
	q := quantity{"detectable r", ""}
	return &chart.Figure{
		ID:       IDPower,
		Title:    fmt.Sprintf("%d metros detect only correlations of %s or more; %d metros detect %s", p.PaperN, textfmt.F2(assay.Some(p.PaperMDC)), p.N, textfmt.F2(assay.Some(p.MDC))),
		Subtitle: fmt.Sprintf("Smallest |r| a two-sided test at the %s level detects with %s power, by number of metros", textfmt.Pct(p.Alpha, 0), textfmt.Pct(p.Target, 0)),
		Notes: []string{fmt.Sprintf("If the true r were %s (the study's estimate), %d metros would detect it %s of the time and %d metros %s.",
			textfmt.F2(assay.Some(p.R)), p.N, textfmt.Pct(p.PowerN, 0), p.PaperN, textfmt.Pct(p.PowerPaperN, 0))},
		Source: "Power of the two-sided test of Pearson's r under the Fisher z approximation (package stats); the marked numbers of metros are the paper's and this study's sample",
		Alt: fmt.Sprintf("A falling curve of the smallest detectable correlation against the number of metros, from %s at %d metros to %s at %d: the paper's %d metros detect %s or more, this study's %d detect %s.",
			textfmt.F2(assay.Some(mdc[0])), p.Curve[0].N, textfmt.F2(assay.Some(mdc[len(mdc)-1])), p.Curve[len(p.Curve)-1].N, p.PaperN, textfmt.F2(assay.Some(p.PaperMDC)), p.N, textfmt.F2(assay.Some(p.MDC))),
		X: chart.Axis{Label: "Number of metro areas", Domain: []float64{0, n[len(n)-1]}},
		Y: chart.Axis{Label: "Smallest detectable correlation", Domain: []float64{0, 1}},
		Tables: []chart.Table{
			{Name: "curve", Columns: []chart.Column{plainColumn("metros", 0, n), q.Column(2, false, mdc)}},
			{Name: "marked", Columns: []chart.Column{textColumn("sample", []string{"paper", "study"}),
				textColumn("label", []string{fmt.Sprintf("The paper's %d metros", p.PaperN), fmt.Sprintf("This study's %d metros", p.N)}),
				plainColumn("metros", 0, []float64{float64(p.PaperN), float64(p.N)}), q.Column(2, false, []float64{p.PaperMDC, p.MDC})}},
		},
		Panels: []chart.Panel{{Height: 260, Marks: []chart.Mark{
			chart.Line{Rows: chart.Rows{Table: "curve"}, X: "metros", Y: q.Name},
			chart.Points{Rows: chart.Rows{Table: "marked"}, X: "metros", Y: q.Name, Key: "sample", Labelled: []string{"paper", "study"},
				Text: "{label}: r = {detectable r}", Color: chart.OkabeIto[1]},
		}}},
	}, nil
}
