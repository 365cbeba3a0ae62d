package claims

import (
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/census"
	"github.com/assaylab/assay/ucr"
)

// originSeries is the S0201 national series (origin-based, see
// census.NationalSeriesFrom) with the file each year came from.
type originSeries struct {
	byYear map[int]assay.NationalNativity
	source map[int]string
}

func newOriginSeries(recs []assay.NationalOrigin) (originSeries, error) {
	s := originSeries{byYear: map[int]assay.NationalNativity{}, source: map[int]string{}}
	if len(recs) == 0 {
		return s, nil
	}
	series, err := census.NationalSeriesFrom(recs)
	if err != nil {
		return s, err
	}
	for _, n := range series {
		s.byYear[n.Year] = n
	}
	for _, r := range recs {
		if r.PopGroup == "001" {
			s.source[r.Year] = r.Source
		}
	}
	return s, nil
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

// s0201Input names the S0201 files, groups and labels behind the series'
// figures for the given years.
func (s originSeries) input(what string, years ...int) string {
	files := make([]string, len(years))
	for i, y := range years {
		files[i] = s.source[y]
	}
	return fmt.Sprintf("ACS 1-year S0201 Selected Population Profile, United States, %s: %s; %s", yearSpan(years), strings.Join(files, ", "), what)
}

// What the S0201 inputs are, in words for Inputs.
var (
	s0201NTCA = fmt.Sprintf("population groups 412 Salvadoran, 408 Guatemalan and 409 Honduran, line %q (estimate and 90%% MOE; summed, MOE by the sum rule)",
		census.S0201ForeignBorn)
	s0201Population = fmt.Sprintf("population group 001 Total population, line %q (controlled: no sampling error)", census.S0201TotalPopulation)
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

// interval is an ACS estimate's 90% interval; an estimate controlled to the
// population estimates has no sampling error, so its interval is the value.
func interval(e assay.Estimate) (lo, hi float64, ok bool) {
	if !e.Value.Valid {
		return 0, 0, false
	}
	switch {
	case e.MOE.Valid:
		return e.Value.V - e.MOE.V, e.Value.V + e.MOE.V, true
	case e.MOEAnnotation == assay.AnnotControlled:
		return e.Value.V, e.Value.V, true
	}
	return 0, 0, false
}

// fetchedNTCA returns the national B05006 count of people born in El
// Salvador, Guatemala or Honduras for a year (ACS 1-year), when the dataset
// holds one fetched with `--geo us`.
func fetchedNTCA(ds *assay.Dataset, year int) (*assay.OriginCount, error) {
	return fetchedNational(ds, "ntca", year)
}

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

// nationGeoID is the United States' code in Census API geography ids.
const nationGeoID = "1"

// fetchedInputs name a fetched national B05006 count and the B01003
// population it was paired with.
func fetchedInputs(o *assay.OriginCount) (countInput, populationInput string, err error) {
	gs, err := census.DefaultGroups()
	if err != nil {
		return "", "", err
	}
	g, ok := census.FindGroup(gs, o.Group)
	if !ok {
		return "", "", fmt.Errorf("%s: origin group %q is not one of census.DefaultGroups", o.Source, o.Group)
	}
	mark := ""
	if o.Synthetic {
		mark = " [SYNTHETIC]"
	}
	// fetchedNTCA keeps 1-year estimates only.
	countInput = fmt.Sprintf("ACS 1-year B05006 (place of birth for the foreign-born population), United States, %d: %s; origin group %s (lines %s; summed, MOE by the sum rule)%s",
		o.Year, o.Source, g.Key, strings.Join(g.Labels, "; "), mark)
	populationInput = fmt.Sprintf("ACS 1-year B01003 total population, United States, %d, fetched with %s and paired with it on ingest%s", o.Year, o.Source, mark)
	return countInput, populationInput, nil
}

// crimeSeries is one file's national crime figures, by year.
type crimeSeries struct {
	source string
	recs   map[int]assay.NationalCrime
}

// short is the file's name without its folders, for sentences.
func (c crimeSeries) short() string { return path.Base(c.source) }

func (c crimeSeries) slice(from, to int) []assay.NationalCrime {
	var out []assay.NationalCrime
	for y := from; y <= to; y++ {
		if r, ok := c.recs[y]; ok {
			out = append(out, r)
		}
	}
	return out
}

// covers reports whether the file has population, violent crime count and
// rate for every year from..to.
func (c crimeSeries) covers(from, to int) bool {
	for y := from; y <= to; y++ {
		r, ok := c.recs[y]
		if !ok || !r.Population.Valid || !r.Counts[assay.Violent].Valid || !r.Rate[assay.Violent].Valid {
			return false
		}
	}
	return true
}

// crimeFields are the national figures the claims use.
var crimeFields = []string{"population", assay.Violent.Key(), assay.Violent.Key() + "_rate"}

// disagreements lists, by year, the fields among crimeFields on which two
// files differ from..to (ucr.ReconcileNational's default tolerance).
func disagreements(a, b crimeSeries, from, to int) map[int][]string {
	out := map[int][]string{}
	for _, d := range ucr.ReconcileNational(a.slice(from, to), b.slice(from, to), ucr.DefaultTolerance()) {
		if slices.Contains(crimeFields, d.Field) {
			out[d.Year] = append(out[d.Year], d.Field)
		}
	}
	return out
}

// crimeChoice is the national series a claim uses and how the others
// compare with it.
type crimeChoice struct {
	chosen crimeSeries
	// corroborated counts the years whose population and violent crime
	// another file gives identically.
	corroborated int
	// full are the other files covering the whole period.
	full []crimeSeries
	// differ says, per other file, where it differs from the chosen one.
	differ []string
}

// chooseCrime picks, among the files with population and violent crime in
// every year from..to, the one whose figures other files confirm in the
// most years (ties: the first path). The bundled files disagree in some
// years (revisions, different editions), so the choice is made on the data
// and the differences are reported, not hidden.
func chooseCrime(national []assay.NationalCrime, from, to int) (crimeChoice, bool) {
	bySource := map[string]*crimeSeries{}
	var order []string
	for _, r := range national {
		s := bySource[r.Source]
		if s == nil {
			s = &crimeSeries{source: r.Source, recs: map[int]assay.NationalCrime{}}
			bySource[r.Source] = s
			order = append(order, r.Source)
		}
		s.recs[r.Year] = r
	}
	slices.Sort(order)
	var full []crimeSeries
	for _, src := range order {
		if bySource[src].covers(from, to) {
			full = append(full, *bySource[src])
		}
	}
	if len(full) == 0 {
		return crimeChoice{}, false
	}
	best, bestN := 0, -1
	for i, c := range full {
		n := 0
		for y := from; y <= to; y++ {
			for _, src := range order {
				if src == c.source {
					continue
				}
				other := *bySource[src]
				if _, ok := other.recs[y]; ok && len(disagreements(c, other, y, y)) == 0 {
					n++
					break
				}
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	ch := crimeChoice{chosen: full[best], corroborated: bestN}
	for i, c := range full {
		if i != best {
			ch.full = append(ch.full, c)
		}
	}
	for _, src := range order {
		if src == ch.chosen.source {
			continue
		}
		d := disagreements(ch.chosen, *bySource[src], from, to)
		if len(d) == 0 {
			continue
		}
		var parts []string
		for y := from; y <= to; y++ {
			if f := d[y]; len(f) > 0 {
				parts = append(parts, fmt.Sprintf("%d (%s)", y, strings.Join(f, ", ")))
			}
		}
		ch.differ = append(ch.differ, fmt.Sprintf("%s differs in %s", path.Base(src), strings.Join(parts, ", ")))
	}
	return ch, true
}

// describe says which file was chosen and why, and where others differ.
func (ch crimeChoice) describe(from, to int) string {
	s := fmt.Sprintf("National figures from %s, the file covering %d-%d whose population and violent-crime count another bundled file confirms in the most years (%d of %d).",
		ch.chosen.short(), from, to, ch.corroborated, to-from+1)
	if len(ch.differ) > 0 {
		s += " The files disagree: " + strings.Join(ch.differ, "; ") + "."
	}
	return s
}

func crimeInput(c crimeSeries, what string, from, to int) string {
	years := []int{from}
	if to != from {
		years = append(years, to)
	}
	return fmt.Sprintf("FBI UCR national estimates, %s: %s, %s", c.source, what, yearSpan(years))
}

// Number formatting for sentences.

// count writes a whole number with thousands separators.
func count(v float64) string {
	s := strconv.FormatFloat(math.Abs(math.Round(v)), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if v < 0 && math.Round(v) != 0 {
		s = "-" + s
	}
	return s
}

// pct writes a fraction as a percentage with the given decimals.
func pct(v float64, decimals int) string {
	return strconv.FormatFloat(v*100, 'f', decimals, 64) + "%"
}
