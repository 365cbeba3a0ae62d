package ucr

import (
	"regexp"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/csvgrid"
)

// areaSuffix matches the M.S.A./M.D. suffix and any footnote markers glued
// after it: "M.S.A.2, 5", "M.S.A.1,3", "M.S.A" (no final period, 2014-2018),
// "M. S. A." (spaced, from 2022), "M.D.1".
// It is matched from the last "M." on (see parseAreaName), which keeps the
// regexp from trying every position of every name.
var areaSuffix = regexp.MustCompile(`^M\.\s*(S\.\s*A|D)\.?\s*((?:\d+\s*,?\s*)*)$`)

var digitsRE = regexp.MustCompile(`\d+`)

// stateToken is one code of a name's state part, footnote markers glued on:
// "MD1" in "DC-VA-MD1-WV", "FL1" in "Gainesville, FL1 M. S. A.".
var stateToken = regexp.MustCompile(`^([A-Z]{2})(\d+(?:,\d+)*)?$`)

var stateCodes = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(`AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO
		MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR`) {
		m[c] = true
	}
	return m
}()

// areaName is a Table 6 block name taken apart.
type areaName struct {
	kind      assay.AreaKind
	clean     string   // "Washington-Arlington-Alexandria, DC-VA-MD-WV"
	states    []string // DC, VA, MD, WV
	footnotes []string // markers in published order
}

// parseAreaName takes apart a column-A name; ok is false when the cell is
// not an M.S.A. or M.D. name.
func parseAreaName(published string) (n areaName, ok bool) {
	s := strings.TrimSpace(published)
	at := strings.LastIndex(s, "M.")
	if at <= 0 || s[at-1] != ' ' {
		return n, false
	}
	m := areaSuffix.FindStringSubmatchIndex(s[at:])
	if m == nil {
		return n, false
	}
	suffix := s[at:]
	n.kind = assay.KindMD
	if strings.HasPrefix(suffix[m[2]:m[3]], "S") {
		n.kind = assay.KindMSA
	}
	base := strings.TrimSpace(s[:at])
	if base == "" {
		return n, false
	}
	// The state part is every comma-separated segment after the first
	// ("Texarkana, TX-Texarkana, AR" has two); its tokens are codes with
	// glued markers, or a place name (Texarkana), or "Puerto Rico".
	parts := strings.Split(base, ",")
	for i := 1; i < len(parts); i++ {
		toks := strings.Split(strings.TrimSpace(parts[i]), "-")
		for k, tok := range toks {
			tok = strings.TrimSpace(tok)
			if sm := stateToken.FindStringSubmatch(tok); sm != nil && stateCodes[sm[1]] {
				n.states = append(n.states, sm[1])
				n.footnotes = append(n.footnotes, digitsRE.FindAllString(sm[2], -1)...)
				tok = sm[1]
			} else if tok == "Puerto Rico" {
				n.states = append(n.states, "PR")
			}
			toks[k] = tok
		}
		parts[i] = " " + strings.Join(toks, "-")
	}
	n.clean = strings.Join(strings.Fields(strings.Join(parts, ",")), " ")
	n.footnotes = append(n.footnotes, digitsRE.FindAllString(suffix[m[4]:m[5]], -1)...)
	return n, true
}

// trailingMarkers matches footnote markers glued to the end of a city name:
// "City of Abilene2, 3", "City of Bethlehem, PA3".
var trailingMarkers = regexp.MustCompile(`([^\d\s,])(\d+(?:\s*,\s*\d+)*)\s*$`)

// parseCityName returns the clean city name ("Abilene") and its markers.
func parseCityName(published string) (name string, footnotes []string) {
	s := strings.TrimSpace(published)
	if s == "" || s[len(s)-1] < '0' || s[len(s)-1] > '9' {
		return strings.TrimSpace(strings.TrimPrefix(s, "City of ")), nil
	}
	if m := trailingMarkers.FindStringSubmatchIndex(s); m != nil {
		footnotes = digitsRE.FindAllString(s[m[4]:m[5]], -1)
		s = strings.TrimSpace(s[:m[4]])
	}
	s = strings.TrimSpace(strings.TrimPrefix(s, "City of "))
	return s, footnotes
}

// gluedMarkers matches footnote markers glued inside an Includes line:
// "Callahan,1 Jones", "Portage4 and", "Prince George's1 Counties", "MN4".
var gluedMarkers = regexp.MustCompile(`([A-Za-z'’.,)])(\d+(?:\s*,\s*\d+)*)`)

// cleanCounties removes footnote markers from an Includes line.
func cleanCounties(published string) (clean string, footnotes []string) {
	s := strings.TrimSpace(published)
	if !strings.ContainsAny(s, "0123456789") {
		if !csvgrid.OddSpace(s) {
			return s, nil
		}
		return strings.Join(strings.Fields(s), " "), nil
	}
	for _, m := range gluedMarkers.FindAllStringSubmatch(s, -1) {
		footnotes = append(footnotes, digitsRE.FindAllString(m[2], -1)...)
	}
	s = gluedMarkers.ReplaceAllString(s, "$1")
	return strings.Join(strings.Fields(s), " "), footnotes
}
