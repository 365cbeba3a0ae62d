package census

import (
	"slices"
	"strings"

	"github.com/assaylab/assay/internal/csvgrid"
)

// Variable is one ACS variable: its base id (no E/M suffix, e.g.
// "B05006_140") and its label path.
type Variable struct {
	ID    string
	Label string
}

// Labels indexes one table's variables by label for one year and product,
// the way users name ACS variables across years: variable ids move (El
// Salvador is B05006_141 in 2011, _140 in 2012, _142 in 2017, _157 in 2022),
// labels do not. Labels are compared as paths: the "Estimate" / "Margin of
// Error" prefix, trailing colons, case and spacing do not matter, so
// "Estimate!!Total:!!Americas:" and "Total!!Americas" are the same label.
type Labels struct {
	Table   string
	Year    int
	Product string

	byID  map[string]string   // base id -> label as canonical path
	byKey map[string][]string // match key -> base ids
	order []string            // base ids in the order added
}

// NewLabels returns an empty index.
func NewLabels(table string, year int, product string) *Labels {
	return &Labels{Table: table, Year: year, Product: product,
		byID: map[string]string{}, byKey: map[string][]string{}}
}

// Add records a variable. id may carry its E/M/EA/MA suffix; label may carry
// its "Estimate!!" or "Margin of Error!!" prefix. Re-adding an id (its E and
// M forms) is harmless.
func (l *Labels) Add(id, label string) {
	base, _ := splitVariable(id)
	if base == "" {
		base = id
	}
	if _, ok := l.byID[base]; ok {
		return
	}
	c := CanonicalLabel(label)
	l.byID[base] = c
	k := labelKey(c)
	l.byKey[k] = append(l.byKey[k], base)
	l.order = append(l.order, base)
}

// Len is the number of variables indexed.
func (l *Labels) Len() int { return len(l.order) }

// Label returns the label of a variable (with or without its suffix).
func (l *Labels) Label(id string) (string, bool) {
	base, _ := splitVariable(id)
	if base == "" {
		base = id
	}
	s, ok := l.byID[base]
	return s, ok
}

// Resolve returns the base id of the variable with the label. It fails when
// no variable has the label, or when several do (S0201 repeats "...!!Male"
// under both Native and Foreign born in 2010-2012): a label that does not
// name one variable must not silently pick one.
func (l *Labels) Resolve(label string) (string, bool) {
	ids := l.byKey[labelKey(CanonicalLabel(label))]
	if len(ids) != 1 {
		return "", false
	}
	return ids[0], true
}

// Find lists the variables whose label contains substr (case-insensitive),
// in table order: label search, as tidycensus's load_variables offers.
func (l *Labels) Find(substr string) []Variable {
	needle := strings.ToLower(strings.Join(strings.Fields(substr), " "))
	var out []Variable
	for _, id := range l.order {
		if strings.Contains(strings.ToLower(l.byID[id]), needle) {
			out = append(out, Variable{ID: id, Label: l.byID[id]})
		}
	}
	return out
}

// Variables lists every variable in table order.
func (l *Labels) Variables() []Variable {
	out := make([]Variable, len(l.order))
	for i, id := range l.order {
		out[i] = Variable{ID: id, Label: l.byID[id]}
	}
	return out
}

// kindPrefixes are the first path components that say which statistic a
// column holds rather than what it counts.
var kindPrefixes = []string{
	"annotation of margin of error", "annotation of estimate",
	"margin of error", "estimate",
}

// CanonicalLabel turns any published form of a label into a "!!" path with
// no statistic prefix and no trailing colons: "Estimate!!Total:!!Americas:"
// and the FactFinder form "Estimate; Total: - Americas:" both become
// "Total!!Americas".
func CanonicalLabel(s string) string {
	s = strings.TrimSpace(s)
	if c, ok := canonicalAlready(s); ok {
		return c
	}
	return canonicalParts(s)
}

// canonicalParts builds the canonical form of a trimmed label part by
// part.
func canonicalParts(s string) string {
	if strings.Contains(s, "; ") && !strings.Contains(s, "!!") {
		head, rest, _ := strings.Cut(s, "; ")
		s = head + "!!" + strings.ReplaceAll(rest, " - ", "!!")
	}
	parts := strings.Split(s, "!!")
	if len(parts) > 0 {
		first := strings.ToLower(strings.TrimSpace(parts[0]))
		for _, p := range kindPrefixes {
			if first == p {
				parts = parts[1:]
				break
			}
		}
	}
	out := parts[:0]
	for _, p := range parts {
		p = strings.TrimSuffix(strings.TrimSpace(p), ":")
		p = strings.Join(strings.Fields(p), " ")
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "!!")
}

// canonicalAlready returns the canonical form of a label that needs no
// more than its statistic prefix cut off (the API's and the legends'
// labels, most of them), without building it anew: ok is false for any
// other, which CanonicalLabel builds part by part.
func canonicalAlready(s string) (string, bool) {
	if i := strings.Index(s, "!!"); i >= 0 {
		first := s[:i]
		for _, p := range kindPrefixes {
			if strings.EqualFold(first, p) {
				s = s[i+2:]
				break
			}
		}
	} else if strings.Contains(s, "; ") || slices.ContainsFunc(kindPrefixes, func(p string) bool { return strings.EqualFold(s, p) }) {
		return "", false // FactFinder's form, or a prefix alone
	}
	for part := range strings.SplitSeq(s, "!!") {
		if part == "" || strings.HasSuffix(part, ":") || csvgrid.OddSpace(part) {
			return "", false
		}
	}
	return s, true
}

// labelKey is the form labels are matched in: lower case, and without a
// leading "Total" component, which FactFinder drops from some tables' paths
// ("Estimate; Male: - Under 5 years") and keeps in others ("Estimate;
// Total: - 1, detached"); the API and data.census.gov always keep it.
func labelKey(canonical string) string {
	k := strings.ToLower(canonical)
	return strings.TrimPrefix(k, "total!!")
}

// labelKeys are the match keys of labels, for a caller that looks each
// one up in many geographies (lookupKey) or values (sameLabel).
func labelKeys(labels []string) []string {
	keys := make([]string, len(labels))
	for i, l := range labels {
		keys[i] = labelKey(CanonicalLabel(l))
	}
	return keys
}

// sameLabel compares a canonical label with a match key without
// allocating: Lookup runs it for every value of every row.
func sameLabel(canonical, key string) bool {
	if len(canonical) >= 7 && strings.EqualFold(canonical[:7], "total!!") {
		canonical = canonical[7:]
	}
	return strings.EqualFold(canonical, key)
}

// splitVariable splits an API variable name into its base and suffix:
// "B05006_140E" -> ("B05006_140", "E"), "S0201_0130MA" -> ("S0201_0130",
// "MA"). It returns "" for names that are not table variables (NAME,
// GEO_ID, geography columns).
func splitVariable(name string) (base, kind string) {
	us := strings.IndexByte(name, '_')
	if us <= 0 || us == len(name)-1 || !isTableID(name[:us]) {
		return "", ""
	}
	for _, k := range []string{"EA", "MA", "E", "M"} {
		if strings.HasSuffix(name, k) && len(name)-len(k) > us+1 {
			return name[:len(name)-len(k)], k
		}
	}
	return "", ""
}

// isTableID recognises ACS table ids: a letter, then letters and digits
// with at least one digit (B05006, S0201, DP02, B01001A).
func isTableID(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	digit := false
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'A' && c <= 'Z':
		default:
			return false
		}
	}
	return digit
}
