package blanchard2019

import (
	"fmt"
	"math"
	"path"
	"strings"

	"github.com/assaylab/assay"
)

// ms13Share checks WP11: 10,000 members as a share of the U.S. population,
// against both populations the bundle has for the year (ACS S0201 and the
// FBI's national file).
func (e *evaluation) ms13Share(c assay.Claim) (assay.ClaimResult, error) {
	figs, year, _, err := setup(c, "members", "share")
	if err != nil {
		return assay.ClaimResult{}, err
	}
	members, share := figs[0], figs[1]
	var r assay.ClaimResult
	type population struct {
		names []string
		value float64
	}
	var pops []population // distinct values, in order of first appearance
	add := func(name string, v float64, input string) {
		r.Inputs = append(r.Inputs, input)
		for i := range pops {
			if pops[i].value == v {
				pops[i].names = append(pops[i].names, name)
				return
			}
		}
		pops = append(pops, population{[]string{name}, v})
	}
	if n, ok := e.origins.byYear[year]; ok && n.Population.Value.Valid {
		add("ACS S0201", n.Population.Value.V, e.origins.input(s0201Population, year))
	}
	for _, f := range e.ds.NationalSeries.Figures("population", year) {
		add("FBI "+path.Base(f.Source), f.Value, fmt.Sprintf("FBI UCR national estimates, %s row %d: population, %d", f.Source, f.Row, year))
	}
	if len(pops) == 0 {
		return missing(fmt.Sprintf("U.S. population for %d", year)), nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	var named []string
	for _, p := range pops {
		s := members.Value / p.value
		lo, hi = math.Min(lo, s), math.Max(hi, s)
		named = append(named, fmt.Sprintf("%s (%s)", count(p.value), strings.Join(p.names, ", ")))
	}
	r.Inputs = append(r.Inputs, fmt.Sprintf("the claim's figures: %s members, %s of the population", members.Text, share.Text))
	r.Value, r.Low, r.High = assay.Some(members.Value/pops[0].value), assay.Some(lo), assay.Some(hi)
	r.Computed = fmt.Sprintf("%s / %s = %s of the U.S. population in %d (populations: %s)",
		count(members.Value), count(pops[0].value), pct(r.Value.V, 4), year, strings.Join(named, "; "))
	if share.Meets(lo, hi) {
		r.Verdict = assay.Supported
		r.Note = fmt.Sprintf("%s of the population rounds to the stated %s.", pct(r.Value.V, 4), share.Text)
		return r, nil
	}
	r.Verdict = assay.ArithmeticError
	ratio := share.Value / r.Value.V
	r.Note = fmt.Sprintf("The stated %s is %.0f times the computed share: off by a factor of about %s. "+
		"%s of the population would be %s people; %s people are %s of %s.",
		share.Text, ratio, count(math.Pow(10, math.Round(math.Log10(ratio)))), share.Text, count(share.Value*pops[0].value),
		count(members.Value), share.Text, count(members.Value/share.Value))
	return r, nil
}

// sixYearTotal checks WP14: 1.2 million violent crimes over 2012-2017,
// against the sum of the national counts of those years.
func (e *evaluation) sixYearTotal(c assay.Claim) (assay.ClaimResult, error) {
	figs, from, to, err := setup(c, "offences")
	if err != nil {
		return assay.ClaimResult{}, err
	}
	offences := figs[0]
	series, ok := nationalSeries(e.ds.NationalSeries, "violent_count", from, to)
	if !ok {
		return missing(fmt.Sprintf("national violent-crime counts for every year %d-%d", from, to)), nil
	}
	total := 0.0
	minY, maxY := from, from
	var roundsTo []string
	for y := from; y <= to; y++ {
		v := series.at(y).Value
		total += v
		if v < series.at(minY).Value {
			minY = y
		}
		if v > series.at(maxY).Value {
			maxY = y
		}
		if offences.Meets(v, v) {
			roundsTo = append(roundsTo, fmt.Sprint(y))
		}
	}
	n := to - from + 1
	r := assay.ClaimResult{
		Value:  assay.Some(total),
		Inputs: []string{series.input("violent-crime counts")},
		Computed: fmt.Sprintf("the %d years %d-%d sum to %s violent crimes; one year ranges from %s (%d) to %s (%d)",
			n, from, to, count(total), count(series.at(minY).Value), minY, count(series.at(maxY).Value), maxY),
	}
	var notes []string
	if offences.Meets(total, total) {
		r.Verdict = assay.Supported
		notes = append(notes, fmt.Sprintf("The %d-year total rounds to the stated %s.", n, offences.Text))
	} else {
		r.Verdict = assay.ArithmeticError
		s := fmt.Sprintf("The %d-year total is %.1f times the stated %s", n, total/offences.Value, offences.Text)
		if len(roundsTo) > 0 {
			s += fmt.Sprintf(", which is about one year of U.S. violent crime (%s each round to it)", strings.Join(roundsTo, ", "))
		}
		notes = append(notes, s+".")
	}
	var defs []string
	var added float64
	for y := from; y <= to; y++ {
		legacy, okL := e.ds.NationalSeries.Chosen("rape_legacy_count", y)
		revised, okR := e.ds.NationalSeries.Chosen("rape_revised_count", y)
		if okL && okR && assay.RapeDefinitionFor(y) != assay.RapeLegacy {
			defs = append(defs, fmt.Sprintf("%d: %s", y, count(revised.Value-legacy.Value)))
			added += revised.Value - legacy.Value
		}
	}
	if len(defs) > 0 {
		notes = append(notes, fmt.Sprintf("From %d these counts take rape under the FBI's revised definition, which adds to violent crime (%s more rapes than the legacy definition), %s.",
			assay.FirstMixedRapeYear, strings.Join(defs, ", "), definitionEffect(offences, total, added)))
	}
	notes = append(notes, "UCR national figures are FBI estimates published without a margin of error.", series.describe())
	r.Note = strings.Join(notes, " ")
	return r, nil
}

// definitionEffect says whether the rapes the revised definition adds
// could change the verdict on a stated total: computed, the total less them
// against the stated figure.
func definitionEffect(stated figure, total, added float64) string {
	if stated.Meets(total-added, total-added) != stated.Meets(total, total) {
		return "enough to change the verdict"
	}
	return "too little to change the verdict"
}

// smallShare is where a share stops being "small" for WP15: one in twenty.
const smallShare = 0.05

// gangShare checks WP15 as arithmetic on its own stated figures.
func (e *evaluation) gangShare(c assay.Claim) (assay.ClaimResult, error) {
	figs, _, _, err := setup(c, "members", "gang")
	if err != nil {
		return assay.ClaimResult{}, err
	}
	members, gang := figs[0], figs[1]
	s := members.Value / gang.Value
	r := assay.ClaimResult{
		Value:    assay.Some(s),
		Computed: fmt.Sprintf("%s / %s = %s, about 1 in %.0f", count(members.Value), count(gang.Value), pct(s, 2), 1/s),
		Inputs:   []string{fmt.Sprintf("the claim's figures: %s MS-13 members (as in WP11) and %s gang members (WP12)", members.Text, gang.Text)},
	}
	inputs := "Its inputs are not checkable with the bundled data: both are law-enforcement estimates (WP11, WP12)."
	if s < smallShare {
		r.Verdict = assay.Supported
		r.Note = fmt.Sprintf("Supported as arithmetic: %s is small on any reading (below one in %.0f). %s", pct(s, 2), 1/smallShare, inputs)
	} else {
		r.Verdict = assay.Contradicted
		r.Note = fmt.Sprintf("%s is not a small share (one in %.0f or more). %s", pct(s, 2), 1/smallShare, inputs)
	}
	return r, nil
}
