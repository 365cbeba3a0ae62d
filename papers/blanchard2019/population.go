package blanchard2019

import (
	"fmt"
	"math"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/moe"
)

// ntcaFigure is the NTCA population of one year as the dataset best gives
// it: people born in El Salvador, Guatemala or Honduras from a fetched
// national B05006 (Birthplace), else the bundled S0201 proxy, the
// foreign-born of Salvadoran, Guatemalan or Honduran origin.
type ntcaFigure struct {
	Year       int
	Count      assay.Estimate
	Population assay.Estimate
	Share      assay.Estimate
	Birthplace bool
	Synthetic  bool
	// CountInput and PopulationInput name where Count and Population
	// came from, for the results' inputs.
	CountInput, PopulationInput string
}

// What each kind of figure counts, in words.
const (
	birthplaceWords = "people born in El Salvador, Guatemala or Honduras (B05006, by birthplace)"
	proxyWords      = "foreign-born people of Salvadoran, Guatemalan or Honduran origin (S0201, an origin-based proxy for the NTCA-born)"
)

func (n ntcaFigure) words() string {
	if n.Birthplace {
		return birthplaceWords
	}
	return proxyWords
}

// fetchHint is the command that fetches national B05006 for the years.
func fetchHint(years string) string {
	return fmt.Sprintf("`assay fetch census --table B05006 --years %s --geo us --product acs1 --out acs` then `assay ingest --census acs`", years)
}

// ntcaFigures returns the NTCA figures of the years, all from fetched
// B05006 when every year has one, else all from the S0201 proxy (never a
// mix, which would compare birthplace with origin). ok is false when the
// dataset has neither for every year.
func (e *evaluation) ntcaFigures(years ...int) (out []ntcaFigure, ok bool, err error) {
	for _, y := range years {
		o, err := fetchedNational(e.ds, "ntca", y)
		if err != nil {
			return nil, false, err
		}
		if o == nil {
			out = nil
			break
		}
		ci, pi, err := fetchedInputs(e.ds, o)
		if err != nil {
			return nil, false, err
		}
		out = append(out, ntcaFigure{Year: y, Count: o.Count, Population: o.Population, Share: o.Share,
			Birthplace: true, Synthetic: o.Synthetic, CountInput: ci, PopulationInput: pi})
	}
	if len(out) != len(years) {
		out = nil
		for _, y := range years {
			n, ok := e.origins.byYear[y]
			if !ok {
				return nil, false, nil
			}
			out = append(out, ntcaFigure{Year: y, Count: n.FBNTCA, Population: n.Population,
				Share:      n.FBNTCAShare,
				CountInput: e.origins.input(s0201NTCA, y), PopulationInput: e.origins.input(s0201Population, y)})
		}
	}
	// Every use needs the count's and the share's intervals.
	for _, n := range out {
		for _, v := range []struct {
			what string
			e    assay.Estimate
		}{{"count", n.Count}, {"share", n.Share}} {
			if _, _, ok := moe.Interval(v.e); !ok {
				return nil, false, fmt.Errorf("%s: the %d NTCA %s has no value or no usable MOE (%s %s)", n.CountInput, n.Year, v.what, v.e.Annotation, v.e.MOEAnnotation)
			}
		}
	}
	return out, true, nil
}

// withInterval writes an estimate and its 90% interval.
func withInterval(e assay.Estimate, format func(float64) string) string {
	lo, hi, ok := moe.Interval(e)
	switch {
	case !ok:
		return format(e.Value.V) + " (no usable MOE)"
	case lo == hi:
		return format(e.Value.V)
	}
	return fmt.Sprintf("%s (90%% interval %s to %s)", format(e.Value.V), format(lo), format(hi))
}

func pct3(v float64) string { return pct(v, 3) }

// setValue puts an estimate and its 90% interval in the result.
func setValue(r *assay.ClaimResult, e assay.Estimate) {
	r.Value = e.Value
	if lo, hi, ok := moe.Interval(e); ok {
		r.Low, r.High = assay.Some(lo), assay.Some(hi)
	}
}

// side says where an interval lies from a threshold: -1 below, 1 above, 0
// across it.
func side(lo, hi, threshold float64) int {
	switch {
	case hi < threshold:
		return -1
	case lo > threshold:
		return 1
	}
	return 0
}

// doubling checks WP02: more than doubled from 1.5 million in 2000.
func (e *evaluation) doubling(c assay.Claim) (assay.ClaimResult, error) {
	figs, from, to, err := setup(c, "base", "ratio")
	if err != nil {
		return assay.ClaimResult{}, err
	}
	base, factor := figs[0], figs[1]
	ns, ok, err := e.ntcaFigures(to)
	if err != nil || !ok {
		return missing(fmt.Sprintf("NTCA count for %d", to)), err
	}
	n := ns[0]
	lo, hi, _ := moe.Interval(n.Count)
	ratio := assay.Estimate{Value: assay.Some(n.Count.Value.V / base.Value), MOE: n.Count.MOE, MOEAnnotation: n.Count.MOEAnnotation}
	if ratio.MOE.Valid {
		ratio.MOE = assay.Some(ratio.MOE.V / base.Value)
	}
	r := assay.ClaimResult{Synthetic: n.Synthetic, Inputs: []string{n.CountInput, fmt.Sprintf("the claim's %d figure: %s", from, base.Text)}}
	setValue(&r, ratio)
	r.Computed = fmt.Sprintf("%d: %s %s, %s times the stated %s of %d",
		to, withInterval(n.Count, count), n.words(), withInterval(ratio, func(v float64) string { return fmt.Sprintf("%.2f", v) }), base.Text, from)
	needed := factor.Value * base.Value
	census2000 := fmt.Sprintf("The %d figure needs Census %d (Summary File 3 table PCT019, place of birth for the foreign-born), which is not bundled.", from, from)
	if !n.Birthplace {
		r.Verdict = assay.NotCheckable
		r.Note = fmt.Sprintf("%s The bundled S0201 series starts in %d and counts origin, not birthplace: a doubling needs at least %s born in the three countries in %d, %.1f%% %s the origin-based count, and only a birthplace count can say whether it is. %s settles the %d end.",
			census2000, e.origins.first(), count(needed), to, math.Abs(needed/n.Count.Value.V-1)*100, aboveOrBelow(needed, figure{Value: n.Count.Value.V}), fetchHint(fmt.Sprint(to)), to)
		return r, nil
	}
	switch side(lo/base.Value, hi/base.Value, factor.Value) {
	case 1:
		r.Verdict = assay.PartlySupported
		r.Note = fmt.Sprintf("The %d birthplace count is more than %s times %s, but the %s of %d is the paper's figure, unchecked. %s", to, factor.Text, base.Text, base.Text, from, census2000)
	case -1:
		r.Verdict = assay.Contradicted
		r.Note = fmt.Sprintf("Even granting the paper's %s for %d, the %d birthplace count is less than %s times it. %s", base.Text, from, to, factor.Text, census2000)
	default:
		r.Verdict = assay.NotCheckable
		r.Note = fmt.Sprintf("The %d birthplace count is within sampling error of %s times %s. %s", to, factor.Text, base.Text, census2000)
	}
	return r, nil
}

// populationShare checks WP04: NTCA immigrants under 1% of the population.
func (e *evaluation) populationShare(c assay.Claim) (assay.ClaimResult, error) {
	figs, year, _, err := setup(c, "share")
	if err != nil {
		return assay.ClaimResult{}, err
	}
	limit := figs[0]
	xs01, err := stated("XS01", "count")
	if err != nil {
		return assay.ClaimResult{}, err
	}
	ns, ok, err := e.ntcaFigures(year)
	if err != nil || !ok {
		return missing(fmt.Sprintf("NTCA count for %d", year)), err
	}
	n := ns[0]
	r := assay.ClaimResult{Synthetic: n.Synthetic, Inputs: []string{n.CountInput, n.PopulationInput}}
	setValue(&r, n.Share)
	r.Computed = fmt.Sprintf("%d: %s / population %s = %s", year, count(n.Count.Value.V), count(n.Population.Value.V), withInterval(n.Share, pct3))
	lo, hi, ok := moe.Interval(n.Share)
	if !ok {
		return assay.ClaimResult{}, fmt.Errorf("%d share has no usable MOE (%s)", year, n.Share.MOEAnnotation)
	}
	pop := n.Population.Value.V
	own := ownCountNote(xs01, limit, pop)
	where := side(lo, hi, limit.Value)
	if n.Birthplace {
		switch where {
		case -1:
			r.Verdict = assay.Supported
			r.Note = fmt.Sprintf("The birthplace share's 90%% interval lies below %s. %s", limit.Text, own)
		case 1:
			r.Verdict = assay.Contradicted
			r.Note = fmt.Sprintf("The birthplace share's 90%% interval lies above %s.", limit.Text)
		default:
			r.Verdict = assay.PartlySupported
			r.Note = fmt.Sprintf("The birthplace share is within sampling error of %s. %s", limit.Text, own)
		}
		return r, nil
	}
	needed := limit.Value * pop
	gap := fmt.Sprintf("A birthplace count would reach %s only at %s, %.1f%% above the origin-based count.", limit.Text, count(needed), (needed/n.Count.Value.V-1)*100)
	if where == -1 {
		r.Verdict = assay.PartlySupported
		r.Note = fmt.Sprintf("Supported on the origin-based proxy only: its 90%% interval lies below %s, but it counts origin, not birthplace. %s %s National B05006 settles it: %s.",
			limit.Text, gap, own, fetchHint(fmt.Sprint(year)))
		return r, nil
	}
	r.Verdict = assay.NotCheckable
	r.Note = fmt.Sprintf("The origin-based proxy is not below %s, but it counts origin, not birthplace. National B05006 settles it: %s.", limit.Text, fetchHint(fmt.Sprint(year)))
	return r, nil
}

// ownCountNote sets the paper's own NTCA count (XS01) against its "less
// than" share (WP04) in the same population.
func ownCountNote(count, limit figure, pop float64) string {
	share := count.Value / pop
	if share < limit.Value {
		return fmt.Sprintf("The paper's own %s (XS01) would be %s of the same population, below %s: the two claims agree.", count.Text, pct(share, 2), limit.Text)
	}
	return fmt.Sprintf("The paper's own %s (XS01) would be %s of the same population, not below %s: the two claims cannot both hold.", count.Text, pct(share, 2), limit.Text)
}

// about decides an "about X" claim from an estimate: with a birthplace
// figure, supported when its 90% interval meets X's rounding interval and
// contradicted otherwise; the origin-based proxy can only partly support
// (when it agrees) or leave the claim unchecked (a proxy that falls short
// of a birthplace figure does not contradict it).
func about(r *assay.ClaimResult, f figure, e assay.Estimate, birthplace bool, what string) {
	lo, hi, _ := moe.Interval(e)
	meets := f.Meets(lo, hi)
	switch {
	case birthplace && meets:
		r.Verdict = assay.Supported
		r.Note = fmt.Sprintf("The birthplace %s's 90%% interval reaches the stated %s.", what, f.Text)
	case birthplace:
		r.Verdict = assay.Contradicted
		r.Note = fmt.Sprintf("The birthplace %s's 90%% interval is %s the stated %s (rounded, %s to %s).", what, aboveOrBelow(hi, f), f.Text, count(f.Value-f.Half), count(f.Value+f.Half))
	case meets:
		r.Verdict = assay.PartlySupported
		r.Note = fmt.Sprintf("The origin-based proxy's %s agrees with the stated %s within its 90%% interval, but it counts origin, not birthplace.", what, f.Text)
	default:
		r.Verdict = assay.NotCheckable
		r.Note = fmt.Sprintf("The origin-based proxy's %s is %s the stated %s (by %.1f%%), but it counts origin, not birthplace, so it does not contradict a birthplace figure by itself.",
			what, aboveOrBelow(hi, f), f.Text, 100*math.Abs(e.Value.V-f.Value)/f.Value)
	}
}

func aboveOrBelow(hi float64, f figure) string {
	if hi < f.Value {
		return "below"
	}
	return "above"
}

// ntcaCount checks XS01: about 3.4 million NTCA-born in 2017.
func (e *evaluation) ntcaCount(c assay.Claim) (assay.ClaimResult, error) {
	figs, year, _, err := setup(c, "count")
	if err != nil {
		return assay.ClaimResult{}, err
	}
	f := figs[0]
	ns, ok, err := e.ntcaFigures(year)
	if err != nil || !ok {
		return missing(fmt.Sprintf("NTCA count for %d", year)), err
	}
	n := ns[0]
	// The population is used for the share XS01's figure would be.
	r := assay.ClaimResult{Synthetic: n.Synthetic, Inputs: []string{n.CountInput, n.PopulationInput},
		Computed: fmt.Sprintf("%d: %s %s", year, withInterval(n.Count, count), n.words())}
	setValue(&r, n.Count)
	about(&r, f, n.Count, n.Birthplace, "count")
	r.Note += fmt.Sprintf(" %s would be %s of the %d population, against WP04's \"less than one percent\".", f.Text, pct(f.Value/n.Population.Value.V, 2), year)
	if !n.Birthplace {
		r.Note += " National B05006 settles it: " + fetchHint(fmt.Sprint(year)) + "."
	}
	return r, nil
}

// ntcaChange checks XS02: about +400,000 between 2011 and 2017.
func (e *evaluation) ntcaChange(c assay.Claim) (assay.ClaimResult, error) {
	figs, from, to, err := setup(c, "change")
	if err != nil {
		return assay.ClaimResult{}, err
	}
	f := figs[0]
	ns, ok, err := e.ntcaFigures(from, to)
	if err != nil || !ok {
		return missing(fmt.Sprintf("NTCA counts for %d and %d", from, to)), err
	}
	// ACS 1-year samples of different years are independent, so the MOE
	// of the difference is the square root of the sum of squares.
	d := moe.Difference(ns[1].Count, ns[0].Count)
	r := assay.ClaimResult{Synthetic: ns[0].Synthetic || ns[1].Synthetic, Inputs: []string{ns[0].CountInput, ns[1].CountInput},
		Computed: fmt.Sprintf("%s: %s in %d, %s in %d, a change of %s", ns[0].words(), count(ns[0].Count.Value.V), from,
			count(ns[1].Count.Value.V), to, withInterval(d, signed))}
	setValue(&r, d)
	about(&r, f, d, ns[0].Birthplace, "change")
	if !ns[0].Birthplace {
		r.Note += fmt.Sprintf(" National B05006 for both years settles it: %s.", fetchHint(fmt.Sprintf("%d,%d", from, to)))
	}
	return r, nil
}

func signed(v float64) string {
	if v > 0 {
		return "+" + count(v)
	}
	return count(v)
}

// salvadoranCount checks XS03: El Salvador the largest NTCA sending country,
// about 1.4 million residents born there (2017): on national B05006
// birthplace counts where a user fetched them, else on the S0201 proxy.
func (e *evaluation) salvadoranCount(c assay.Claim) (assay.ClaimResult, error) {
	figs, year, _, err := setup(c, "count")
	if err != nil {
		return assay.ClaimResult{}, err
	}
	f := figs[0]
	if r, ok, err := e.salvadoranBirthplace(f, year); err != nil || ok {
		return r, err
	}
	n, ok := e.origins.byYear[year]
	if !ok {
		return missing(fmt.Sprintf("S0201 national origin rows for %d", year)), nil
	}
	r := assay.ClaimResult{Inputs: []string{e.origins.input(s0201NTCA, year)}}
	setValue(&r, n.FBSalvadoran)
	gaps := []struct {
		name string
		d    assay.Estimate
	}{
		{"Guatemalan", moe.Difference(n.FBSalvadoran, n.FBGuatemalan)},
		{"Honduran", moe.Difference(n.FBSalvadoran, n.FBHonduran)},
	}
	largest := true
	var leads []string
	for _, g := range gaps {
		lo, _, ok := moe.Interval(g.d)
		largest = largest && ok && lo > 0
		leads = append(leads, fmt.Sprintf("%s more than %s", withInterval(g.d, count), g.name))
	}
	r.Computed = fmt.Sprintf("%d: %s foreign-born of Salvadoran origin (S0201 proxy), %s; Guatemalan %s, Honduran %s",
		year, withInterval(n.FBSalvadoran, count), strings.Join(leads, ", "), count(n.FBGuatemalan.Value.V), count(n.FBHonduran.Value.V))
	lo, hi, _ := moe.Interval(n.FBSalvadoran)
	settle := fmt.Sprintf("The B05006 line %q for the United States (%s, which loads it as the el_salvador origin group) settles the count and the ranking by birthplace.",
		"Total!!Americas!!Latin America!!Central America!!El Salvador", fetchHint(fmt.Sprint(year)))
	if !largest {
		r.Verdict = assay.NotCheckable
		r.Note = "On the origin-based proxy the Salvadoran lead is within sampling error, and the proxy counts origin, not birthplace. " + settle
		return r, nil
	}
	r.Verdict = assay.PartlySupported
	level := "falls short of the stated " + f.Text + ", as an origin-based count of a birthplace figure may"
	if f.Meets(lo, hi) {
		level = "reaches the stated " + f.Text + " within its 90% interval"
	}
	r.Note = fmt.Sprintf("El Salvador is the largest on the origin-based proxy (the 90%% intervals of both leads are above zero); the proxy's count %s. Both hold for origin, not birthplace. %s", level, settle)
	return r, nil
}

// salvadoranBirthplace decides XS03 on fetched national B05006 counts of
// each Northern Triangle country; ok is false when any of them is missing.
func (e *evaluation) salvadoranBirthplace(f figure, year int) (r assay.ClaimResult, ok bool, err error) {
	var born [3]*assay.OriginCount
	for i, g := range []string{"el_salvador", "guatemala", "honduras"} {
		if born[i], err = fetchedNational(e.ds, g, year); err != nil || born[i] == nil {
			return r, false, err
		}
	}
	sv := born[0].Count
	for _, o := range born {
		count, _, err := fetchedInputs(e.ds, o)
		if err != nil {
			return r, false, err
		}
		r.Inputs = append(r.Inputs, count)
		r.Synthetic = r.Synthetic || o.Synthetic
	}
	setValue(&r, sv)
	largest, smaller := true, false
	var leads []string
	for i, name := range []string{"Guatemala", "Honduras"} {
		d := moe.Difference(sv, born[i+1].Count)
		lo, hi, ok := moe.Interval(d)
		if !ok {
			return r, false, fmt.Errorf("%s: no usable MOE for the El Salvador - %s difference", born[0].Source, name)
		}
		largest = largest && lo > 0
		smaller = smaller || hi < 0
		leads = append(leads, fmt.Sprintf("%s more than born in %s", withInterval(d, count), name))
	}
	r.Computed = fmt.Sprintf("%d: %s people born in El Salvador (ACS B05006, birthplace), %s", year, withInterval(sv, count), strings.Join(leads, ", "))
	lo, hi, _ := moe.Interval(sv)
	meets := f.Meets(lo, hi)
	switch {
	case smaller:
		r.Verdict = assay.Contradicted
		r.Note = "Another Northern Triangle country has more people born there, beyond sampling error."
	case largest && meets:
		r.Verdict = assay.Supported
		r.Note = fmt.Sprintf("El Salvador leads both other countries beyond sampling error, and its count's 90%% interval reaches the stated %s.", f.Text)
	case largest:
		r.Verdict = assay.PartlySupported
		r.Note = fmt.Sprintf("El Salvador leads both other countries beyond sampling error, but its count's 90%% interval misses the stated %s.", f.Text)
	default:
		r.Verdict = assay.PartlySupported
		r.Note = "El Salvador's lead over another country is within sampling error."
	}
	return r, true, nil
}
