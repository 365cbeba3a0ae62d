package ingest

import (
	"fmt"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/ucr"
)

// checkAgencies sets every agency-year of a Table 6 year beside Table 6's
// row for the same city and flags, on the agency's row, each one that
// matched no city row (and why) and each one whose murders or population
// differ from the city row's: two publications of one police department's
// figures, which a user of either should know disagree.
func (b *builder) checkAgencies() {
	for _, m := range ucr.MatchAgencyCities(b.ds.Agencies, b.ds.Cities, b.ds.Crime) {
		a := m.Agency
		what := fmt.Sprintf("%d %s (%s)", a.Year, a.Agency, a.ORI)
		if m.City == nil {
			b.ds.Audit = append(b.ds.Audit, assay.AuditEntry{Source: a.Source, Row: a.Row, Action: assay.Flagged,
				Reason: "agency_city_unmatched", Detail: what + ": " + m.Why})
			continue
		}
		diffs := m.Diffs()
		if len(diffs) == 0 {
			continue
		}
		parts := make([]string, len(diffs))
		for i, d := range diffs {
			parts[i] = fmt.Sprintf("%s %s here, %s in Table 6%s", d.Field, d.Agency, d.City, gap(d.Agency, d.City))
		}
		b.ds.Audit = append(b.ds.Audit, assay.AuditEntry{Source: a.Source, Row: a.Row, Action: assay.Flagged, Reason: "agency_city_mismatch",
			Detail: fmt.Sprintf("%s against Table 6's %q (%s; %s row %d): %s", what, strings.TrimSpace(m.City.Published), m.City.Area,
				m.City.Source, m.City.Row, strings.Join(parts, "; "))})
	}
}

// gap says by how much Table 6's figure exceeds the agency panel's.
func gap(agency, city assay.Num) string {
	if !agency.Valid || !city.Valid {
		return ""
	}
	d := city.V - agency.V
	if agency.V == 0 {
		return fmt.Sprintf(" (%+g)", d)
	}
	return fmt.Sprintf(" (%+g, %+.1f%%)", d, 100*d/agency.V)
}

// AgencyCount is what an agency panel holds and how it compares with
// Table 6's principal-city rows.
type AgencyCount struct {
	AgencyYears int `json:"agency_years"`
	Agencies    int `json:"agencies"`
	FirstYear   int `json:"first_year"`
	LastYear    int `json:"last_year"`
	// InTable6Years are the agency-years of years with Table 6 city rows;
	// Matched those set beside a city row, of which MurdersDiffer and
	// PopulationDiffer disagree on that figure.
	InTable6Years    int `json:"in_table6_years"`
	Matched          int `json:"matched"`
	MurdersDiffer    int `json:"murders_differ"`
	PopulationDiffer int `json:"population_differ"`
}

func countAgencies(ds *assay.Dataset) *AgencyCount {
	if len(ds.Agencies) == 0 {
		return nil
	}
	c := &AgencyCount{AgencyYears: len(ds.Agencies), FirstYear: ds.Agencies[0].Year, LastYear: ds.Agencies[0].Year}
	oris := map[string]bool{}
	for _, a := range ds.Agencies {
		oris[a.ORI] = true
		c.FirstYear, c.LastYear = min(c.FirstYear, a.Year), max(c.LastYear, a.Year)
	}
	c.Agencies = len(oris)
	for _, m := range ucr.MatchAgencyCities(ds.Agencies, ds.Cities, ds.Crime) {
		c.InTable6Years++
		if m.City == nil {
			continue
		}
		c.Matched++
		for _, d := range m.Diffs() {
			switch d.Field {
			case ucr.FieldMurders:
				c.MurdersDiffer++
			case ucr.FieldPopulation:
				c.PopulationDiffer++
			}
		}
	}
	return c
}
