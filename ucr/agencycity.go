package ucr

import (
	"fmt"
	"slices"
	"strings"

	"github.com/assaylab/assay"
)

// apStates are the state names and abbreviations of AP style, which the
// agency panel's department names use ("Omaha, Neb.", "Columbus, Ohio").
var apStates = map[string]string{
	"Ala.": "AL", "Alaska": "AK", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT",
	"Del.": "DE", "D.C.": "DC", "Fla.": "FL", "Ga.": "GA", "Hawaii": "HI", "Idaho": "ID", "Ill.": "IL",
	"Ind.": "IN", "Iowa": "IA", "Kan.": "KS", "Ky.": "KY", "La.": "LA", "Maine": "ME", "Md.": "MD",
	"Mass.": "MA", "Mich.": "MI", "Minn.": "MN", "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE",
	"Nev.": "NV", "N.H.": "NH", "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC", "N.D.": "ND",
	"Ohio": "OH", "Okla.": "OK", "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC", "S.D.": "SD",
	"Tenn.": "TN", "Texas": "TX", "Utah": "UT", "Vt.": "VT", "Va.": "VA", "Wash.": "WA", "W.Va.": "WV",
	"Wis.": "WI", "Wyo.": "WY",
}

// splitPlaceState takes a trailing state off a place name: a postal code
// as Table 6 writes it ("Kansas City, MO", "Washington, D.C.") or AP style
// as the agency panel does ("Columbus, Ohio"). state is empty when the
// name ends in neither.
func splitPlaceState(name string) (place, state string) {
	name = strings.Join(strings.Fields(name), " ")
	at := strings.LastIndex(name, ", ")
	if at < 0 {
		return name, ""
	}
	suffix := name[at+2:]
	if stateCodes[suffix] {
		return name[:at], suffix
	}
	if code, ok := apStates[suffix]; ok {
		return name[:at], code
	}
	return name, ""
}

// placeAliases names one police department the two publications spell
// differently. Each is the same agency on both sides, not a guess at a
// similar name: anything else must match exactly.
var placeAliases = map[string]string{
	"New York City":    "New York",   // NYPD; Table 6: "City of New York, NY"
	"Louisville Metro": "Louisville", // Louisville Metro PD (city and county merged in 2003)
	"Las Vegas Metropolitan Police Department": "Las Vegas", // LVMPD, the panel's "Las Vegas" (ORI NV00201)
	"Nashville Metropolitan":                   "Nashville", // Metro Nashville PD, as Table 6 names it some years
	"Metropolitan Nashville Police Department": "Nashville",
}

func canonicalPlace(place string) string {
	if a, ok := placeAliases[place]; ok {
		return a
	}
	return place
}

// AgencyCity is one agency-year set beside Table 6's principal-city row
// for the same city, state and year.
type AgencyCity struct {
	Agency *assay.AgencyCrime
	City   *assay.CityRecord // nil when no row matched
	Why    string            // when City is nil: why not
}

// Diffs lists what an agency-year and its Table 6 city row disagree on:
// the murder count and the population (a figure null on one side only
// counts as a disagreement). Nil when unmatched.
func (m AgencyCity) Diffs() []FigureDiff {
	if m.City == nil {
		return nil
	}
	var out []FigureDiff
	for _, d := range []FigureDiff{
		{FieldMurders, m.Agency.Counts[assay.Murder], m.City.Counts[assay.Murder]},
		{FieldPopulation, m.Agency.Population, m.City.Population},
	} {
		if d.Agency != d.City {
			out = append(out, d)
		}
	}
	return out
}

// FigureDiff is one figure as the agency panel and Table 6 give it.
type FigureDiff struct {
	Field        string // FieldMurders or FieldPopulation
	Agency, City assay.Num
}

// The figures Diffs compares.
const (
	FieldMurders    = "murders"
	FieldPopulation = "population"
)

// MatchAgencyCities sets each agency-year of a year that has Table 6
// principal-city rows beside the row of the same city, state and year;
// agency-years of other years are not returned. Matching is conservative:
// the place name must be equal (after the few aliases of placeAliases),
// and the state too, where Table 6 gives a city's state after its name or,
// failing that, where the agency's state is among its block's states; two
// candidate rows are no match. County agencies never match: Table 6's
// principal cities are cities. areas are the Table 6 blocks, which give
// a city row's states.
func MatchAgencyCities(agencies []assay.AgencyCrime, cities []assay.CityRecord, areas []assay.CrimeRecord) []AgencyCity {
	blockStates := map[[2]string][]string{}
	for _, a := range areas {
		blockStates[[2]string{a.Source, a.Name}] = a.States
	}
	type cityKey struct {
		year  int
		place string
	}
	byPlace := map[cityKey][]*assay.CityRecord{}
	for i := range cities {
		c := &cities[i]
		place, _ := splitPlaceState(c.Name)
		k := cityKey{c.Year, canonicalPlace(place)}
		byPlace[k] = append(byPlace[k], c)
	}
	years := map[int]bool{}
	for _, c := range cities {
		years[c.Year] = true
	}
	var out []AgencyCity
	for i := range agencies {
		a := &agencies[i]
		if !years[a.Year] {
			continue
		}
		m := AgencyCity{Agency: a}
		place, _ := splitPlaceState(a.Agency)
		place = canonicalPlace(place)
		var found []*assay.CityRecord
		for _, c := range byPlace[cityKey{a.Year, place}] {
			_, st := splitPlaceState(c.Name)
			if st == a.State || st == "" && slices.Contains(blockStates[[2]string{c.Source, c.Area}], a.State) {
				found = append(found, c)
			}
		}
		switch {
		case strings.HasSuffix(place, " County"):
			m.Why = "a county agency: Table 6's principal cities are cities"
		case a.State == "":
			m.Why = fmt.Sprintf("its state is unknown (ORI %s)", a.ORI)
		case len(found) == 1:
			m.City = found[0]
		case len(found) == 0:
			m.Why = fmt.Sprintf("Table 6 %d has no principal-city row for %s, %s", a.Year, place, a.State)
		default:
			var rows []string
			for _, c := range found {
				rows = append(rows, fmt.Sprintf("%q in %s (row %d)", c.Published, c.Area, c.Row))
			}
			m.Why = fmt.Sprintf("Table 6 %d has %d rows that could be %s, %s: %s", a.Year, len(found), place, a.State, strings.Join(rows, ", "))
		}
		out = append(out, m)
	}
	return out
}
