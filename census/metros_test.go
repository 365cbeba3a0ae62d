package census

import (
	"testing"

	"github.com/assaylab/assay"
)

func TestMatchMetros(t *testing.T) {
	d := fixtureDelineation()
	geos := []assay.GeoValues{
		{GeoID: "99010", Level: "cbsa", Name: "Alpha, ZZ Metropolitan Statistical Area", Row: 2},
		{GeoID: "99020", Level: "cbsa", Name: "Beta-Delta, ZZ Metro Area", Row: 3}, // retitled
		{GeoID: "99088", Level: "cbsa", Name: "Gamma, ZZ Micro Area", Row: 4},      // recoded
		{GeoID: "99077", Level: "cbsa", Name: "Omega, ZZ Metro Area", Row: 5},      // gone
		{GeoID: "99", Level: "state", Name: "Zedland", Row: 6},                     // not a CBSA
	}
	matches, audit := MatchMetros(geos, d)
	want := []MetroMatch{
		{GeoID: "99010", CBSA: "99010", Title: "Alpha, ZZ", By: "code"},
		{GeoID: "99020", CBSA: "99020", Title: "Beta, ZZ", By: "code"},
		{GeoID: "99088", CBSA: "99030", Title: "Gamma, ZZ", By: "title"},
	}
	if len(matches) != len(want) {
		t.Fatalf("matches %+v", matches)
	}
	for i, w := range want {
		m := matches[i]
		if m.GeoID != w.GeoID || m.CBSA != w.CBSA || m.Title != w.Title || m.By != w.By {
			t.Errorf("match %d = %+v, want %+v", i, m, w)
		}
	}
	reasons := map[string]int{}
	for _, a := range audit {
		reasons[string(a.Action)+" "+a.Reason]++
	}
	for k, n := range map[string]int{"flagged title_differs": 1, "flagged matched_by_title": 1,
		"skipped unmatched_cbsa": 1, "skipped not_cbsa": 1} {
		if reasons[k] != n {
			t.Errorf("audit %s: %d, want %d (%v)", k, reasons[k], n, reasons)
		}
	}
	if len(audit) != 4 {
		t.Errorf("%d audit entries, want 4", len(audit))
	}
}
