package claims

import (
	"fmt"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/census"
	"github.com/assaylab/assay/moe"
	"github.com/assaylab/assay/stats"
)

// trend fits y on year by OLS with HC1 standard errors and returns the
// slope as a finding, with the lag-1 autocorrelation of the residuals: an
// annual series' residuals are serially correlated, which HC1 ignores, so
// a high value says the interval is too narrow.
func trend(label string, spec map[string]string, years []int, y []float64) (assay.Finding, float64, error) {
	x := make([]float64, len(years))
	for i, yr := range years {
		x[i] = float64(yr)
	}
	res, err := stats.OLS(stats.Design{YName: spec["outcome"], Y: y, X: []stats.Var{{Name: "year", Values: x}}}, stats.Options{SE: stats.HC1})
	if err != nil {
		return assay.Finding{}, 0, fmt.Errorf("%s: %w", label, err)
	}
	b, _ := res.Term("year")
	a, _ := res.Term(stats.InterceptName)
	var num, den float64
	prev := 0.0
	for i := range y {
		e := y[i] - a.Estimate - b.Estimate*x[i]
		den += e * e
		if i > 0 {
			num += e * prev
		}
		prev = e
	}
	rho := num / den
	f := assay.Finding{
		Study: "claims", Label: label, Spec: spec, Estimator: "OLS on year, " + res.SEType + " standard errors", Term: "year",
		N: res.N, Estimate: assay.Some(b.Estimate), SE: assay.Some(b.SE), CILow: assay.Some(b.CILow), CIHigh: assay.Some(b.CIHigh),
		P: assay.Some(b.P), Notes: []string{fmt.Sprintf("lag-1 autocorrelation of the residuals %.2f: HC1 ignores it, so with a large positive value the interval is too narrow", rho)},
	}
	return f, rho, nil
}

// crimeTrend fits the violent-crime rate of a national file on year.
func crimeTrend(s crimeSeries, from, to int) (assay.Finding, float64, error) {
	var years []int
	var rates []float64
	for y := from; y <= to; y++ {
		years = append(years, y)
		rates = append(rates, s.recs[y].Rate[assay.Violent].V)
	}
	return trend(fmt.Sprintf("U.S. violent-crime rate per 100,000, change a year, %d-%d", from, to),
		map[string]string{"outcome": "violent_rate", "source": s.source, "years": yearSpan(years)}, years, rates)
}

// ci writes a finding's slope and interval, in unit a year.
func ci(f assay.Finding, decimals int, unit string) string {
	return fmt.Sprintf("%+.*f %s a year (95%% CI %+.*f to %+.*f)", decimals, f.Estimate.V, unit, decimals, f.CILow.V, decimals, f.CIHigh.V)
}

// oppositeTrends checks WP05: the U.S. violent-crime rate fell while the
// Central American share of the population rose, 2000-2017. The crime side
// has every year; the share side only the S0201 years (2009 on).
func (e *evaluation) oppositeTrends(c assay.Claim) (assay.ClaimResult, error) {
	from, to, err := period(c)
	if err != nil {
		return assay.ClaimResult{}, err
	}
	ch, ok := chooseCrime(e.ds.National, from, to)
	if !ok {
		return missing(fmt.Sprintf("national violent-crime rates for every year %d-%d", from, to)), nil
	}
	crime, rho, err := crimeTrend(ch.chosen, from, to)
	if err != nil {
		return assay.ClaimResult{}, err
	}
	first, last := ch.chosen.recs[from].Rate[assay.Violent].V, ch.chosen.recs[to].Rate[assay.Violent].V
	r := assay.ClaimResult{
		Findings: []assay.Finding{crime},
		Inputs:   []string{crimeInput(ch.chosen, "violent-crime rate per 100,000 (column violent_rate)", from, to)},
	}
	r.Computed = fmt.Sprintf("violent-crime rate %.1f per 100,000 in %d, %.1f in %d (%+.1f%%), trend %s",
		first, from, last, to, (last/first-1)*100, ci(crime, 2, "per 100,000"))
	// Caveats on the crime side, after what decides the verdict.
	caveats := []string{fmt.Sprintf("The rate's residuals from a straight line are serially correlated (lag-1 %.2f), so the HC1 intervals are too narrow; the fall from %d to %d does not rest on them. UCR national figures are FBI estimates, not samples.", rho, from, to)}
	for _, o := range ch.full {
		f, _, err := crimeTrend(o, from, to)
		if err != nil {
			return assay.ClaimResult{}, err
		}
		caveats = append(caveats, fmt.Sprintf("%s gives %s.", o.short(), ci(f, 2, "per 100,000")))
		r.Inputs = append(r.Inputs, crimeInput(o, "violent-crime rate per 100,000, for comparison", from, to))
	}
	caveats = append(caveats, "From 2013 the rate counts rape under the FBI's revised definition, which adds to violent crime, so the measured fall is if anything understated.",
		ch.describe(from, to))

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
		n := e.origins.byYear[y]
		shares[i] = moe.Proportion(n.FBNTCA, n.Population)
		pcts[i] = 100 * shares[i].Value.V
	}
	share, _, err := trend(fmt.Sprintf("NTCA-origin foreign-born share of the U.S. population, percentage points a year, %d-%d", y0, y1),
		map[string]string{"outcome": "ntca_origin_fb_share_pct", "source": "S0201", "years": yearSpan(years)}, years, pcts)
	if err != nil {
		return assay.ClaimResult{}, err
	}
	// Crime over the share's years too, to compare like with like.
	overlap, _, err := crimeTrend(ch.chosen, y0, y1)
	if err != nil {
		return assay.ClaimResult{}, err
	}
	r.Findings = append(r.Findings, share, overlap)
	r.Inputs = append(r.Inputs, e.origins.input(s0201NTCA, years...), e.origins.input(s0201Population, years...))
	change := moe.Difference(shares[len(shares)-1], shares[0])
	lo, hi, ok := interval(change)
	if !ok {
		return assay.ClaimResult{}, fmt.Errorf("share change %d-%d has no usable MOE (%s)", y0, y1, change.MOEAnnotation)
	}
	r.Computed += fmt.Sprintf("; NTCA-origin foreign-born share of the population %s in %d, %s in %d, a change of %+.3f points (90%% interval %+.3f to %+.3f), trend %s",
		pct(shares[0].Value.V, 3), y0, pct(shares[len(shares)-1].Value.V, 3), y1, 100*change.Value.V, 100*lo, 100*hi, ci(share, 4, "points"))

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
	if overlap.CIHigh.V >= 0 {
		within = "is not distinguishable from flat"
	}
	notes = append(notes, fmt.Sprintf("Over %d-%d, the years both can be checked, the crime rate %s: %s.", y0, y1, within, ci(overlap, 2, "per 100,000")))
	ca, ok, err := e.centralAmerican(y0, y1)
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
func (e *evaluation) centralAmerican(y0, y1 int) (struct{ note, input string }, bool, error) {
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
	dlo, dhi, ok := interval(d)
	if !ok {
		return out, false, fmt.Errorf("Central American share change %d-%d has no usable MOE (%s)", y0, y1, d.MOEAnnotation)
	}
	moved := "did not move beyond its sampling error"
	switch side(dlo, dhi, 0) {
	case 1:
		moved = "rose as well"
	case -1:
		moved = "fell"
	}
	out.note = fmt.Sprintf("Read literally, the Central American share (S0201 group 406, native and foreign-born, Mexican excluded) %s: %s of the population in %d, %s in %d, a change of %+.3f points (90%% interval %+.3f to %+.3f).",
		moved, pct(s0.Value.V, 3), y0, pct(s1.Value.V, 3), y1, 100*d.Value.V, 100*dlo, 100*dhi)
	out.input = fmt.Sprintf("ACS 1-year S0201, United States, %d and %d: %s, %s; population group 406 %s, line %q",
		y0, y1, ca0.Source, ca1.Source, ca0.PopGroupLabel, census.S0201TotalPopulation)
	return out, true, nil
}
