package blanchard2019

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/textfmt"
)

// originSeries is the S0201 national series (origin-based: the foreign-born
// of Salvadoran, Guatemalan and Honduran origin), one entry per year, as
// ingest built it.
type originSeries struct {
	byYear map[int]assay.NationalNativity
}

func newOriginSeries(ns []assay.NationalNativity) originSeries {
	s := originSeries{byYear: map[int]assay.NationalNativity{}}
	for _, n := range ns {
		s.byYear[n.Year] = n
	}
	return s
}

// first is the series' first year (0 when it is empty).
func (s originSeries) first() int {
	first := 0
	for y := range s.byYear {
		if first == 0 || y < first {
			first = y
		}
	}
	return first
}

// years returns the series' years from..to, in order.
func (s originSeries) years(from, to int) []int {
	var ys []int
	for y := from; y <= to; y++ {
		if _, ok := s.byYear[y]; ok {
			ys = append(ys, y)
		}
	}
	return ys
}

// input names the S0201 files, groups and labels behind the series'
// figures for the given years.
func (s originSeries) input(what string, years ...int) string {
	files := make([]string, len(years))
	for i, y := range years {
		files[i] = s.byYear[y].Source
	}
	return fmt.Sprintf("ACS 1-year S0201 Selected Population Profile, United States, %s: %s; %s", yearSpan(years), strings.Join(files, ", "), what)
}

// What the S0201 inputs are, in words for Inputs.
var (
	s0201NTCA = fmt.Sprintf("population groups 412 Salvadoran, 408 Guatemalan and 409 Honduran, line %q (estimate and 90%% MOE; summed, MOE by the sum rule)",
		assay.S0201ForeignBorn)
	s0201Population = fmt.Sprintf("population group 001 Total population, line %q (controlled: no sampling error)", assay.S0201TotalPopulation)
)

func yearSpan(years []int) string {
	switch len(years) {
	case 0:
		return "no years"
	case 1:
		return strconv.Itoa(years[0])
	}
	return fmt.Sprintf("%d-%d", years[0], years[len(years)-1])
}

// nationGeoID is the United States' code in Census API geography ids.
const nationGeoID = "1"

// fetchedNational returns the national B05006 count of an origin group for
// a year (ACS 1-year), or nil when none was fetched.
func fetchedNational(ds *assay.Dataset, group string, year int) (*assay.OriginCount, error) {
	var found *assay.OriginCount
	for i := range ds.OriginCounts {
		o := &ds.OriginCounts[i]
		if o.GeoID != nationGeoID || o.Group != group || o.Product != "acs1" || o.Year != year {
			continue
		}
		if found != nil && (found.Count != o.Count || found.Population != o.Population) {
			return nil, fmt.Errorf("two different national B05006 %s counts for %d: %s and %s", group, year, found.Source, o.Source)
		}
		found = o
	}
	return found, nil
}

// fetchedInputs name a fetched national B05006 count and the B01003
// population it was paired with, citing the group's lines as ingest
// defined them.
func fetchedInputs(ds *assay.Dataset, o *assay.OriginCount) (countInput, populationInput string, err error) {
	i := slices.IndexFunc(ds.OriginGroups, func(g assay.OriginGroup) bool { return g.Key == o.Group })
	if i < 0 {
		return "", "", fmt.Errorf("%s: origin group %q has no definition in the data (acs_origin_group)", o.Source, o.Group)
	}
	g := ds.OriginGroups[i]
	mark := ""
	if o.Synthetic {
		mark = " [SYNTHETIC]"
	}
	// fetchedNational keeps 1-year estimates only.
	countInput = fmt.Sprintf("ACS 1-year B05006 (place of birth for the foreign-born population), United States, %d: %s; origin group %s (lines %s; summed, MOE by the sum rule)%s",
		o.Year, o.Source, g.Key, strings.Join(g.Labels, "; "), mark)
	populationInput = fmt.Sprintf("ACS 1-year B01003 total population, United States, %d, fetched with %s and paired with it on ingest%s", o.Year, o.Source, mark)
	return countInput, populationInput, nil
}

// nationalRange is one measure of the national crime series over a span of
// years, as ingest chose it (crime_national_series): the chosen figure of
// each year, and the figures of other files that differ from it.
type nationalRange struct {
	measure  string
	from, to int
	chosen   []assay.NationalFigure // one a year, from..to
	differ   []assay.NationalFigure
}

// nationalSeries returns a measure's chosen figures for every year
// from..to; false when a year has none.
func nationalSeries(s assay.NationalSeries, measure string, from, to int) (nationalRange, bool) {
	r := nationalRange{measure: measure, from: from, to: to}
	for y := from; y <= to; y++ {
		f, ok := s.Chosen(measure, y)
		if !ok {
			return r, false
		}
		r.chosen = append(r.chosen, f)
		r.differ = append(r.differ, s.Differing(measure, y)...)
	}
	return r, true
}

// at is the chosen figure of a year of the range.
func (r nationalRange) at(year int) assay.NationalFigure { return r.chosen[year-r.from] }

// values are the chosen figures, from..to.
func (r nationalRange) values() []float64 {
	out := make([]float64, len(r.chosen))
	for i, f := range r.chosen {
		out[i] = f.Value
	}
	return out
}

// input names the files the chosen figures come from, with their years.
func (r nationalRange) input(what string) string {
	byFile := map[string][]int{}
	var files []string
	for _, f := range r.chosen {
		if _, ok := byFile[f.Source]; !ok {
			files = append(files, f.Source)
		}
		byFile[f.Source] = append(byFile[f.Source], f.Year)
	}
	parts := make([]string, len(files))
	for i, f := range files {
		parts[i] = fmt.Sprintf("%s (%s)", f, textfmt.Years(byFile[f]))
	}
	return fmt.Sprintf("FBI UCR national estimates, %s (column %s), %s, as chosen at ingest (crime_national_series): %s",
		what, r.measure, yearSpan([]int{r.from, r.to}), strings.Join(parts, "; "))
}

// describe says how the national figures were chosen and which files
// differ from them in which years.
func (r nationalRange) describe() string {
	s := fmt.Sprintf("National figures: for each year the %s that most bundled files confirm within rounding (ties: the FBI's own table), chosen once at ingest.", r.measure)
	if len(r.differ) == 0 {
		return s + fmt.Sprintf(" No bundled file differs from them in %s.", yearSpan([]int{r.from, r.to}))
	}
	byFile := map[string][]int{}
	var files []string
	for _, f := range r.differ {
		name := path.Base(f.Source)
		if _, ok := byFile[name]; !ok {
			files = append(files, name)
		}
		byFile[name] = append(byFile[name], f.Year)
	}
	slices.Sort(files)
	parts := make([]string, len(files))
	for i, f := range files {
		parts[i] = fmt.Sprintf("%s in %s", f, textfmt.Years(byFile[f]))
	}
	return s + " Files that differ: " + strings.Join(parts, "; ") + " (the audit's national_mismatch lines give every value)."
}

// count and pct write numbers in sentences.
func count(v float64) string             { return textfmt.Count(v) }
func pct(v float64, decimals int) string { return textfmt.Pct(v, decimals) }
