package study

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/textfmt"
	"github.com/assaylab/assay/stats"
)

// PanelResult holds the metro-year panel estimates of a study.
type PanelResult struct {
	From          int             `json:"from"`
	To            int             `json:"to"`
	Offense       assay.Offense   `json:"offense"`
	Form          PanelForm       `json:"form"`
	Measure       Measure         `json:"measure"`
	Interpolation Interpolation   `json:"interpolation"`
	Metros        int             `json:"metros"`
	Years         []int           `json:"years"`
	Observations  int             `json:"observations"`
	Findings      []assay.Finding `json:"findings"`
	Notes         []string        `json:"notes,omitempty"`
	Synthetic     bool            `json:"synthetic,omitempty"`
}

// panelRow is one metro-year of the panel sample.
type panelRow struct {
	metro      string
	year       int
	source     string  // the Table 6 block, file and row
	x, y       float64 // immigrant measure; outcome in the linear form
	count, pop float64 // for Poisson
}

// yearValue is a measured share in one year.
type yearValue struct {
	year  int
	share float64
}

// measured lists the years a metro's immigrant share was measured.
func (d *Data) measured(code string, source Source, group string) ([]yearValue, bool) {
	var out []yearValue
	synthetic := false
	obs := d.Series(code)
	for i := range obs {
		if m, ok := MeasureAt(&obs[i], source, group); ok {
			out = append(out, yearValue{obs[i].Year, m.Share.Value.V})
			synthetic = synthetic || m.Synthetic
		}
	}
	return out, synthetic
}

// shareIn gives the share in a year: as measured, or (linear) read off the
// straight line through the two measured years around it, or the nearest
// two when the year lies outside them.
func shareIn(year int, pts []yearValue, linear bool) (float64, bool) {
	for _, p := range pts {
		if p.year == year {
			return p.share, true
		}
	}
	if !linear || len(pts) < 2 {
		return 0, false
	}
	i := 0
	for i < len(pts)-2 && pts[i+1].year < year {
		i++
	}
	a, b := pts[i], pts[i+1]
	return a.share + (b.share-a.share)*float64(year-a.year)/float64(b.year-a.year), true
}

// runPanel estimates the study's panel: two-way fixed effects, first
// differences with year effects, and Poisson with metro and year effects
// and log-population exposure, all clustered by metro.
func (d *Data) runPanel(s *Spec) (*PanelResult, error) {
	pp := s.Panel
	o := *pp.Offense
	if years := d.panel.Years(); !slices.Contains(years, pp.From) || !slices.Contains(years, pp.To) {
		return nil, fmt.Errorf("panel %d-%d: the data's metro-year panel has the years %s", pp.From, pp.To, textfmt.Years(years))
	}
	c := s.Choice()
	cands, _, err := d.selectMetros(c)
	if err != nil {
		return nil, err
	}
	linear := pp.Interpolation == Linear
	res := &PanelResult{From: pp.From, To: pp.To, Offense: o, Form: pp.Form, Measure: pp.Measure, Interpolation: pp.Interpolation}
	var rows []panelRow
	var dropped struct{ nonPositive, noFBI int }
	var measuredYears []int
	for _, k := range cands {
		pts, synthetic := d.measured(k.code, c.Source, c.Group)
		res.Synthetic = res.Synthetic || synthetic
		for _, p := range pts {
			if p.year >= pp.From && p.year <= pp.To && !slices.Contains(measuredYears, p.year) {
				measuredYears = append(measuredYears, p.year)
			}
		}
		in := false
		for year := pp.From; year <= pp.To; year++ {
			share, ok := shareIn(year, pts, linear)
			if !ok {
				continue
			}
			ob := d.At(k.code, year)
			if fbiProblem(ob, year, c.Coverage) != "" || !ob.Crime.Rate[o].Valid || !ob.Crime.Count(o).Valid || !ob.Crime.Population.Valid {
				dropped.noFBI++
				continue
			}
			r := panelRow{metro: k.code, year: year, source: crimeSource(ob.Crime), count: ob.Crime.Count(o).V, pop: ob.Crime.Population.V, y: ob.Crime.Rate[o].V}
			switch {
			case pp.Measure == LogShare && share <= 0, pp.Form == LogRateForm && r.y <= 0, share < 0:
				dropped.nonPositive++
				continue
			case pp.Measure == LogShare:
				r.x = math.Log(share)
			default:
				r.x = 100 * share
			}
			if pp.Form == LogRateForm {
				r.y = math.Log(r.y)
			}
			rows = append(rows, r)
			in = true
		}
		if in {
			res.Metros++
		}
	}
	slices.Sort(measuredYears)
	for _, r := range rows {
		if !slices.Contains(res.Years, r.year) {
			res.Years = append(res.Years, r.year)
		}
	}
	slices.Sort(res.Years)
	res.Observations = len(rows)
	res.Notes = append(res.Notes, panelNotes(s, measuredYears, res.Years, o, dropped.noFBI, dropped.nonPositive)...)
	if len(res.Years) < 2 || res.Metros < MinMetros {
		return nil, fmt.Errorf("%d metros over %d years: too few for a panel (the immigrant measure was measured in %s)", res.Metros, len(res.Years), textfmt.Years(measuredYears))
	}
	for _, e := range pp.Estimators {
		fd, err := fitPanel(e, rows, res.Years, pp, s.Estimation.Weights == Population, s.Estimation.Level)
		var re *stats.RowError
		if errors.As(err, &re) && e != FD && re.Row >= 0 && re.Row < len(rows) {
			r := rows[re.Row]
			err = fmt.Errorf("metro %s %d (%s): %w", r.metro, r.year, r.source, err)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e, err)
		}
		fd.Study = s.Name
		fd.Spec = map[string]string{"years": fmt.Sprintf("%d-%d", pp.From, pp.To), "source": string(c.Source), "group": c.Group, "measure": string(pp.Measure),
			"offense": o.Key(), "form": string(pp.Form), "interpolation": string(pp.Interpolation), "selection": c.Selection.String(),
			"coverage": c.Coverage.String(), "weights": string(s.Estimation.Weights)}
		fd.Synthetic = res.Synthetic
		res.Findings = append(res.Findings, fd)
	}
	return res, nil
}

func panelNotes(s *Spec, measured, years []int, o assay.Offense, noFBI, nonPositive int) []string {
	pp := s.Panel
	var notes []string
	ys := strings.Join(yearStrings(measured), ", ")
	what := "the immigrant share"
	if s.Immigrant.Source == Bundled {
		what = "the all-foreign-born share (5-year periods, dated by their last year)"
	}
	if pp.Interpolation == Linear {
		notes = append(notes, fmt.Sprintf("%s is measured in %s only; the other years are read off straight lines through those measurements. They add no information, and the standard errors treat them as measured: read the panel estimates as descriptive", what, ys))
	} else {
		notes = append(notes, fmt.Sprintf("%s is measured in %s; only those years enter (interpolation = observed)", what, ys))
	}
	if n := RapeNote(o, years...); n != "" {
		notes = append(notes, n)
	}
	if noFBI > 0 {
		notes = append(notes, fmt.Sprintf("%d metro-years left out: the FBI did not publish the metro, left the rate blank, or coverage fell short", noFBI))
	}
	if nonPositive > 0 {
		notes = append(notes, fmt.Sprintf("%d metro-years left out: a log of zero, or an extrapolated share below zero", nonPositive))
	}
	return notes
}

// fitPanel runs one panel estimator.
// With weighted, the linear estimators weight each metro-year by its
// population (Poisson's exposure already scales with it).
func fitPanel(estimator PanelEstimator, rows []panelRow, years []int, pp *Panel, weighted bool, level float64) (assay.Finding, error) {
	col := func(f func(panelRow) float64) []float64 {
		out := make([]float64, len(rows))
		for i, r := range rows {
			out[i] = f(r)
		}
		return out
	}
	var w []float64
	if weighted {
		w = col(func(r panelRow) float64 { return r.pop })
	}
	metros := make([]string, len(rows))
	yrs := make([]int, len(rows))
	for i, r := range rows {
		metros[i], yrs[i] = r.metro, r.year
	}
	metro, year := stats.NewFactor("metro", metros), stats.NewFactor("year", yrs)
	opt := stats.Options{Level: level}
	x := stats.Var{Name: string(pp.Measure), Values: col(func(r panelRow) float64 { return r.x })}
	var res stats.Result
	var err error
	var label string
	switch estimator {
	case FE:
		label = fmt.Sprintf("%s %s on %s, metro and year effects", pp.Offense, pp.Form, pp.Measure)
		res, err = stats.FE(stats.Design{YName: string(pp.Form), Y: col(func(r panelRow) float64 { return r.y }), X: []stats.Var{x},
			Weights: w, FE: []stats.Factor{metro, year}, Cluster: []stats.Factor{metro}}, opt)
	case FD:
		label = fmt.Sprintf("change in %s %s on change in %s, year effects", pp.Offense, pp.Form, pp.Measure)
		res, err = firstDifferences(rows, years, pp, weighted, opt)
	case Poisson:
		label = fmt.Sprintf("%s count on %s, metro and year effects, log population exposure", pp.Offense, pp.Measure)
		res, err = stats.Poisson(stats.Design{YName: "count", Y: col(func(r panelRow) float64 { return r.count }), X: []stats.Var{x},
			Offset: col(func(r panelRow) float64 { return math.Log(r.pop) }), FE: []stats.Factor{metro, year}, Cluster: []stats.Factor{metro}}, opt)
	default:
		return assay.Finding{}, fmt.Errorf("unknown panel estimator %q", estimator)
	}
	if err != nil {
		return assay.Finding{}, err
	}
	t, ok := res.Term(string(pp.Measure))
	if !ok {
		return assay.Finding{}, fmt.Errorf("no %s term in the result", pp.Measure)
	}
	fd := fromTerm(res, t)
	fd.Estimator = map[PanelEstimator]string{FE: "fe_twoway_cr1", FD: "first_difference_cr1", Poisson: "poisson_fe_cr1"}[estimator]
	fd.Label = label
	if len(res.Clusters) > 0 {
		fd.Clusters = res.Clusters[0].G
	}
	return fd, nil
}

// firstDifferences differences each metro-year against the same metro's
// previous year of the panel's year grid (the previous calendar year when
// every year is in, five years earlier with 2012 and 2017 only) and fits
// OLS with an effect for each later year, clustered by metro. stats'
// Difference takes no fixed effects, so the differencing is done here.
func firstDifferences(rows []panelRow, years []int, pp *Panel, weighted bool, opt stats.Options) (stats.Result, error) {
	at := map[string]int{}
	key := func(m string, y int) string { return m + "|" + strconv.Itoa(y) }
	for i, r := range rows {
		at[key(r.metro, r.year)] = i
	}
	var dy, dx, w []float64
	var metros []string
	var yrs []int
	for _, r := range rows {
		k := slices.Index(years, r.year)
		if k < 1 {
			continue
		}
		j, ok := at[key(r.metro, years[k-1])]
		if !ok {
			continue
		}
		dy, dx = append(dy, r.y-rows[j].y), append(dx, r.x-rows[j].x)
		if weighted {
			w = append(w, r.pop)
		}
		metros, yrs = append(metros, r.metro), append(yrs, r.year)
	}
	if len(dy) == 0 {
		return stats.Result{}, fmt.Errorf("no metro has two consecutive panel years")
	}
	metro := stats.NewFactor("metro", metros)
	res, err := stats.FE(stats.Design{YName: "d_" + string(pp.Form), Y: dy, X: []stats.Var{{Name: string(pp.Measure), Values: dx}}, Weights: w,
		FE: []stats.Factor{stats.NewFactor("year", yrs)}, Cluster: []stats.Factor{metro}}, opt)
	if err != nil {
		return stats.Result{}, err
	}
	res.Notes = append(res.Notes, fmt.Sprintf("%d of %d metro-years have the previous panel year of the same metro to difference against", len(dy), len(rows)))
	return res, nil
}
