package census

import (
	"fmt"
	"strings"

	"github.com/assaylab/assay"
)

// MetroMatch places one metro-level row of ACS data in a delineation.
type MetroMatch struct {
	GeoID string // CBSA code as the data publish it
	Name  string // as published ("Abilene, TX Metro Area")
	CBSA  string // code in the chosen delineation
	Title string // title in the chosen delineation
	By    string // "code" or "title"
}

// metroSuffixes end the NAME of CBSA rows: ACS 2013 on writes "Metro Area",
// earlier years "Metropolitan Statistical Area".
var metroSuffixes = []string{
	" Metropolitan Statistical Area", " Micropolitan Statistical Area",
	" Metro Area", " Micro Area",
}

// metroTitle strips the area-type suffix from a published CBSA name.
func metroTitle(name string) string {
	for _, s := range metroSuffixes {
		if strings.HasSuffix(name, s) {
			return strings.TrimSuffix(name, s)
		}
	}
	return name
}

// MatchMetros matches CBSA rows tabulated on one delineation vintage (ACS
// 2012 uses December 2009; 2013 on, February 2013 and its updates) to
// delineation d: by code first, then by title. A code match whose title
// differs, and every title match, is flagged; a row matching neither, or
// one that is not a CBSA, is skipped. Both are audited.
func MatchMetros(geos []assay.GeoValues, d *assay.Delineation) ([]MetroMatch, []assay.AuditEntry) {
	byTitle := map[string]*assay.CBSA{}
	for i := range d.CBSAs {
		byTitle[strings.ToLower(d.CBSAs[i].Title)] = &d.CBSAs[i]
	}
	var out []MetroMatch
	var audit []assay.AuditEntry
	note := func(g *assay.GeoValues, action assay.AuditAction, reason, detail string) {
		audit = append(audit, assay.AuditEntry{Source: g.Source, Row: g.Row, Action: action, Reason: reason,
			Detail: fmt.Sprintf("%s %s: %s", g.GeoID, g.Name, detail)})
	}
	for i := range geos {
		g := &geos[i]
		if g.Level != "cbsa" {
			note(g, assay.Skipped, "not_cbsa", "level "+g.Level)
			continue
		}
		title := metroTitle(g.Name)
		if cb, ok := d.Lookup(g.GeoID); ok {
			out = append(out, MetroMatch{GeoID: g.GeoID, Name: g.Name, CBSA: cb.Code, Title: cb.Title, By: "code"})
			if !strings.EqualFold(title, cb.Title) {
				note(g, assay.Flagged, "title_differs", fmt.Sprintf("code %s is %q in delineation %s", cb.Code, cb.Title, d.Vintage))
			}
			continue
		}
		if cb, ok := byTitle[strings.ToLower(title)]; ok {
			out = append(out, MetroMatch{GeoID: g.GeoID, Name: g.Name, CBSA: cb.Code, Title: cb.Title, By: "title"})
			note(g, assay.Flagged, "matched_by_title", fmt.Sprintf("code not in delineation %s; title matches CBSA %s", d.Vintage, cb.Code))
			continue
		}
		note(g, assay.Skipped, "unmatched_cbsa", fmt.Sprintf("neither code nor title %q in delineation %s", title, d.Vintage))
	}
	return out, audit
}
