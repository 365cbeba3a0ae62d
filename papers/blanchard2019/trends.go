package blanchard2019

import (
	"fmt"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/moe"
	"github.com/assaylab/assay/stats"
)

// trendFit is a linear trend fitted on year by OLS: the slope with HC1
// standard errors as the finding, and what serial correlation does to it.
type trendFit struct {
	assay.Finding
	// Rho is the lag-1 autocorrelation of the residuals; HAC is the slope
	// with Newey-West standard errors at lag Lag.
	Rho float64
	HAC stats.Term
	Lag int
}

// trend fits y on year by OLS. An annual series' residuals are often
// serially correlated, which HC1 ignores; the Newey-West fit says whether
// the trend's interval survives that.
func trend(label string, spec map[string]string, years []int, y []float64) (trendFit, error) {
	x := make([]float64, len(years))
	for i, yr := range years {
		x[i] = float64(yr)
	}
	d := stats.Design{YName: spec["outcome"], Y: y, X: []stats.Var{{Name: "year", Values: x}}}
	res, err := stats.OLS(d, stats.Options{SE: stats.HC1})
	if err != nil {
		return trendFit{}, fmt.Errorf("%s: %w", label, err)
	}
	b, _ := res.Term("year")
	a, _ := res.Term(stats.InterceptName)
	resid := make([]float64, len(y))
	for i := range y {
		resid[i] = y[i] - a.Estimate - b.Estimate*x[i]
	}
	rho, err := stats.Lag1Autocorrelation(resid)
	if err != nil {
		return trendFit{}, fmt.Errorf("%s: %w", label, err)
	}
	lag := stats.NeweyWestLag(len(y))
	hac, err := stats.OLS(d, stats.Options{SE: stats.HAC, Lag: lag})
	if err != nil {
		return trendFit{}, fmt.Errorf("%s: %w", label, err)
	}
	hb, _ := hac.Term("year")
	f := assay.Finding{
		Study: "blanchard2019", Label: label, Spec: spec, Estimator: "OLS on year, " + res.SEType + " standard errors", Term: "year",
		N: res.N, Estimate: assay.Some(b.Estimate), SE: assay.Some(b.SE), CILow: assay.Some(b.CILow), CIHigh: assay.Some(b.CIHigh),
		P: assay.Some(b.P), Notes: []string{fmt.Sprintf("lag-1 autocorrelation of the residuals %.2f; Newey-West (lag %d) 95%% CI %.4g to %.4g", rho, lag, hb.CILow, hb.CIHigh)},
	}
	return trendFit{Finding: f, Rho: rho, HAC: hb, Lag: lag}, nil
}

// serialNote says what serial correlation does to a trend's interval: a
// computed sentence, whichever way the data go.
func serialNote(t trendFit, what string, from, to int) string {
	hac := fmt.Sprintf("Newey-West standard errors (lag %d) give %+.2f to %+.2f", t.Lag, t.HAC.CILow, t.HAC.CIHigh)
	sameSide := (t.CILow.V > 0 && t.HAC.CILow > 0) || (t.CIHigh.V < 0 && t.HAC.CIHigh < 0)
	hc1Excludes := t.CILow.V > 0 || t.CIHigh.V < 0
	switch {
	case t.Rho <= 0:
		return fmt.Sprintf("The %s's residuals from a straight line are not positively serially correlated (lag-1 %.2f); %s.", what, t.Rho, hac)
	case !hc1Excludes:
		return fmt.Sprintf("The %s's residuals are serially correlated (lag-1 %.2f); %s.", what, t.Rho, hac)
	case sameSide:
		return fmt.Sprintf("The %s's residuals are serially correlated (lag-1 %.2f), so the HC1 interval is too narrow; %s, which still excludes zero: the %d-%d trend does not rest on HC1.", what, t.Rho, hac, from, to)
	}
	return fmt.Sprintf("The %s's residuals are serially correlated (lag-1 %.2f), so the HC1 interval is too narrow; %s, which includes zero: only the too-narrow interval excludes it.", what, t.Rho, hac)
}

// crimeTrend fits the chosen national violent-crime rate on year.
func crimeTrend(s assay.NationalSeries, from, to int) (trendFit, nationalRange, error) {
	r, ok := nationalSeries(s, "violent_rate", from, to)
	if !ok {
		return trendFit{}, r, fmt.Errorf("no national violent-crime rate for every year %d-%d", from, to)
	}
	var years []int
	for y := from; y <= to; y++ {
		years = append(years, y)
	}
	t, err := trend(fmt.Sprintf("U.S. violent-crime rate per 100,000, change a year, %d-%d", from, to),
		map[string]string{"outcome": "violent_rate", "source": "crime_national_series", "years": yearSpan(years)}, years, r.values())
	return t, r, err
}

// ci writes a finding's slope and interval, in unit a year.
func ci(f assay.Finding, decimals int, unit string) string {
	return fmt.Sprintf("%+.*f %s a year (95%% CI %+.*f to %+.*f)", decimals, f.Estimate.V, unit, decimals, f.CILow.V, decimals, f.CIHigh.V)
}

// rapeDefinitionNote says what the revised rape definition, which adds to
// violent crime from 2013, does to a measured change in the violent-crime
// rate: it biases a fall toward zero and a rise upward. Years before 2013
// only, or after, are unaffected.
func rapeDefinitionNote(from, to int, slope float64) string {
	if assay.RapeDefinitionFor(from) == assay.RapeDefinitionFor(to) {
		return ""
	}
	s := fmt.Sprintf("From %d the rate counts rape under the FBI's revised definition, which adds to violent crime, so ", assay.FirstMixedRapeYear)
	if slope < 0 {
		return s + "the measured fall is if anything understated."
	}
	return s + "part of the measured rise is definitional."
}

// oppositeTrends checks WP05: the U.S. violent-crime rate fell while the
// Central American share of the population rose, 2000-2017. The crime side
// has every year; the share side only the S0201 years (2009 on).
func (e *evaluation) oppositeTrends(c assay.Claim) (assay.ClaimResult, error) {
	from, to, err := period(c)
	if err != nil {
		return assay.ClaimResult{}, err
	}
	crime, series, err := crimeTrend(e.ds.NationalSeries, from, to)
	if err != nil {
		return missing(fmt.Sprintf("national violent-crime rates for every year %d-%d", from, to)), nil
	}
	first, last := series.at(from).Value, series.at(to).Value
	r := assay.ClaimResult{
		Findings: []assay.Finding{crime.Finding},
		Inputs:   []string{series.input("violent-crime rate per 100,000")},
	}
	r.Computed = fmt.Sprintf("violent-crime rate %.1f per 100,000 in %d, %.1f in %d (%+.1f%%), trend %s",
		first, from, last, to, (last/first-1)*100, ci(crime.Finding, 2, "per 100,000"))
	// Caveats on the crime side, after what decides the verdict.
	caveats := []string{serialNote(crime, "rate", from, to) + " UCR national figures are FBI estimates, not samples."}
	if n := rapeDefinitionNote(from, to, crime.Estimate.V); n != "" {
		caveats = append(caveats, n)
	}
	caveats = append(caveats, series.describe())

	years := e.origins.years(from, to)
	if len(years) < 3 {
		r.Verdict = assay.NotCheckable
		r.Note = "The dataset has no national series of the Central American share (S0201 by origin or B05006 by birthplace) in the period. " + strings.Join(caveats, " ")
		return r, nil
	}
	y0, y1 := years[0], years[len(years)-1]
	shares := make([]assay.Estimate, len(years))
	pcts := make([]float64, len(years))
	for i, y := range years {
		shares[i] = e.origins.byYear[y].FBNTCAShare
		pcts[i] = 100 * shares[i].Value.V
	}
	share, err := trend(fmt.Sprintf("NTCA-origin foreign-born share of the U.S. population, percentage points a year, %d-%d", y0, y1),
		map[string]string{"outcome": "ntca_origin_fb_share_pct", "source": "S0201", "years": yearSpan(years)}, years, pcts)
	if err != nil {
		return assay.ClaimResult{}, err
	}
	// Crime over the share's years too, to compare like with like.
	overlap, _, err := crimeTrend(e.ds.NationalSeries, y0, y1)
	if err != nil {
		return assay.ClaimResult{}, err
	}
	r.Findings = append(r.Findings, share.Finding, overlap.Finding)
	r.Inputs = append(r.Inputs, e.origins.input(s0201NTCA, years...), e.origins.input(s0201Population, years...))
	change := moe.Difference(shares[len(shares)-1], shares[0])
	lo, hi, ok := moe.Interval(change)
	if !ok {
		return assay.ClaimResult{}, fmt.Errorf("share change %d-%d has no usable MOE (%s)", y0, y1, change.MOEAnnotation)
	}
	r.Computed += fmt.Sprintf("; NTCA-origin foreign-born share of the population %s in %d, %s in %d, a change of %+.3f points (90%% interval %+.3f to %+.3f), trend %s",
		pct(shares[0].Value.V, 3), y0, pct(shares[len(shares)-1].Value.V, 3), y1, 100*change.Value.V, 100*lo, 100*hi, ci(share.Finding, 4, "points"))

	var notes []string
	crimeFell, crimeRose := crime.CIHigh.V < 0, crime.CILow.V > 0
	shareRose, shareFell := lo > 0, hi < 0
	switch {
	case crimeRose || shareFell:
		r.Verdict = assay.Contradicted
		notes = append(notes, "One of the two trends goes the other way.")
	case crimeFell && shareRose:
		r.Verdict = assay.PartlySupported
		notes = append(notes, fmt.Sprintf("The crime rate fell over %d-%d and the NTCA-origin share rose over %d-%d, but the bundled share series starts in %d, so %d-%d is not checkable (Census %d and ACS B05006 for the years before %d would cover it), and the share is origin-based.",
			from, to, y0, y1, y0, from, y0-1, from, y0))
	default:
		r.Verdict = assay.NotCheckable
		notes = append(notes, "One of the two trends is within its uncertainty of flat.")
	}
	within := "fell too"
	switch {
	case overlap.CILow.V > 0:
		within = "rose"
	case overlap.CIHigh.V >= 0:
		within = "is not distinguishable from flat"
	}
	notes = append(notes, fmt.Sprintf("Over %d-%d, the years both can be checked, the crime rate %s: %s.", y0, y1, within, ci(overlap.Finding, 2, "per 100,000")))
	ca, ok, err := e.centralAmerican(y0, y1, shareRose)
	if err != nil {
		return assay.ClaimResult{}, err
	}
	if ok {
		notes = append(notes, ca.note)
		r.Inputs = append(r.Inputs, ca.input)
	}
	r.Note = strings.Join(append(notes, caveats...), " ")
	return r, nil
}

// centralAmerican describes the share of the whole Central American-origin
// population (S0201 group 406, native and foreign-born), the literal reading
// of "the Central American share of the population".
func (e *evaluation) centralAmerican(y0, y1 int, ntcaRose bool) (struct{ note, input string }, bool, error) {
	var out struct{ note, input string }
	get := func(year int) (ca, total assay.NationalOrigin, ok bool) {
		var haveCA, haveTotal bool
		for _, r := range e.ds.NationalOrigins {
			if r.Year != year {
				continue
			}
			switch r.PopGroup {
			case "406":
				ca, haveCA = r, true
			case "001":
				total, haveTotal = r, true
			}
		}
		return ca, total, haveCA && haveTotal
	}
	ca0, t0, ok0 := get(y0)
	ca1, t1, ok1 := get(y1)
	if !ok0 || !ok1 {
		return out, false, nil
	}
	for _, r := range []assay.NationalOrigin{ca0, ca1} {
		if r.PopGroupLabel != "" && !strings.Contains(r.PopGroupLabel, "Central American") {
			return out, false, fmt.Errorf("%s row %d: population group 406 is %q, want Central American", r.Source, r.Row, r.PopGroupLabel)
		}
	}
	s0, s1 := moe.Proportion(ca0.Total, t0.Total), moe.Proportion(ca1.Total, t1.Total)
	d := moe.Difference(s1, s0)
	dlo, dhi, ok := moe.Interval(d)
	if !ok {
		return out, false, fmt.Errorf("Central American share change %d-%d has no usable MOE (%s)", y0, y1, d.MOEAnnotation)
	}
	moved := "did not move beyond its sampling error"
	switch side(dlo, dhi, 0) {
	case 1:
		moved = "rose"
		if ntcaRose {
			moved += " as well"
		}
	case -1:
		moved = "fell"
	}
	out.note = fmt.Sprintf("Read literally, the Central American share (S0201 group 406, native and foreign-born, Mexican excluded) %s: %s of the population in %d, %s in %d, a change of %+.3f points (90%% interval %+.3f to %+.3f).",
		moved, pct(s0.Value.V, 3), y0, pct(s1.Value.V, 3), y1, 100*d.Value.V, 100*dlo, 100*dhi)
	out.input = fmt.Sprintf("ACS 1-year S0201, United States, %d and %d: %s, %s; population group 406 %s, line %q",
		y0, y1, ca0.Source, ca1.Source, ca0.PopGroupLabel, assay.S0201TotalPopulation)
	return out, true, nil
}
