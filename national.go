package assay

import "slices"

// NationalMeasure is one figure of the U.S. national crime series, named as
// its column in crime_national_year ("population", "violent_count",
// "murder_rate", "rape_legacy_count", ...). Rape is a measure per
// definition only: a source's own rape total follows whichever definition
// it chose, so it is not comparable across sources.
type NationalMeasure struct {
	Key  string
	Rate bool // a rate per 100,000 (compared within its published rounding)
	Get  func(*NationalCrime) Num
}

// NationalMeasures lists every measure of the national series, in a fixed
// order: population, then each offence's count and rate, then rape by
// definition.
var NationalMeasures = func() []NationalMeasure {
	ms := []NationalMeasure{{"population", false, func(r *NationalCrime) Num { return r.Population }}}
	for o := range NumOffenses {
		if o == Rape {
			continue
		}
		ms = append(ms,
			NationalMeasure{o.Key() + "_count", false, func(r *NationalCrime) Num { return r.Counts[o] }},
			NationalMeasure{o.Key() + "_rate", true, func(r *NationalCrime) Num { return r.Rate[o] }})
	}
	return append(ms,
		NationalMeasure{"rape_legacy_count", false, func(r *NationalCrime) Num { return r.RapeLegacy }},
		NationalMeasure{"rape_legacy_rate", true, func(r *NationalCrime) Num { return r.RapeLegacyRate }},
		NationalMeasure{"rape_revised_count", false, func(r *NationalCrime) Num { return r.RapeRevised }},
		NationalMeasure{"rape_revised_rate", true, func(r *NationalCrime) Num { return r.RapeRevisedRate }})
}()

// NationalFigure is one source file's value of one national measure in one
// year. Ingest keeps every source's figure and marks exactly one per measure
// and year as Chosen, by one documented rule (package ingest); analyses use
// the chosen figure and may cite the others.
type NationalFigure struct {
	Measure string
	Year    int
	Value   float64
	Source  string
	Row     int
	Chosen  bool
	// Agrees says the figure is within its published rounding of the
	// chosen one (the chosen figure agrees with itself).
	Agrees bool
}

// NationalSeries is every source's figure of every national measure,
// sorted by measure (in NationalMeasures order), year and source.
type NationalSeries []NationalFigure

// Chosen returns the figure analyses use for a measure and year.
func (s NationalSeries) Chosen(measure string, year int) (NationalFigure, bool) {
	for _, f := range s {
		if f.Chosen && f.Measure == measure && f.Year == year {
			return f, true
		}
	}
	return NationalFigure{}, false
}

// Figures returns every file's figure of a measure and year, the chosen
// one first.
func (s NationalSeries) Figures(measure string, year int) []NationalFigure {
	var out []NationalFigure
	for _, f := range s {
		if f.Measure == measure && f.Year == year {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b NationalFigure) int {
		switch {
		case a.Chosen == b.Chosen:
			return 0
		case a.Chosen:
			return -1
		}
		return 1
	})
	return out
}

// Differing returns the figures of a measure and year that disagree with
// the chosen one beyond rounding.
func (s NationalSeries) Differing(measure string, year int) []NationalFigure {
	var out []NationalFigure
	for _, f := range s {
		if !f.Agrees && f.Measure == measure && f.Year == year {
			out = append(out, f)
		}
	}
	return out
}

// Years lists the years with a chosen figure of a measure, ascending.
func (s NationalSeries) Years(measure string) []int {
	var ys []int
	for _, f := range s {
		if f.Chosen && f.Measure == measure {
			ys = append(ys, f.Year)
		}
	}
	slices.Sort(ys)
	return slices.Compact(ys)
}
