package cbsa

import (
	"slices"
	"strings"
	"unicode"
)

// areaName is a metro-area name taken apart the way OMB builds titles:
// principal places, then the states after the last comma.
//
// The FBI and OMB write the same name differently: OMB separates places
// with "-" and, where a place name holds a hyphen itself, with "--"
// ("Nashville-Davidson--Murfreesboro--Franklin, TN"); the FBI uses en or em
// dashes, box-drawing lines, a private-use glyph (2006) or line breaks for
// the same; it spells Puerto Rico out, drops accents (Mayaguez) and
// sometimes writes "Saint" for "St.". All those differences vanish here.
type areaName struct {
	places [][]string // each place as lower-case ASCII words
	states []string   // lower-case postal codes in published order
}

func parseName(s string) areaName {
	s = strings.ToLower(foldAccents(s))
	var n areaName
	placePart, statePart := s, ""
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		placePart, statePart = s[:i], s[i+1:]
	}
	statePart = strings.ReplaceAll(statePart, "puerto rico", "pr")
	n.states = strings.FieldsFunc(statePart, func(r rune) bool { return r < 'a' || r > 'z' })
	for _, p := range strings.FieldsFunc(placePart, isPlaceSeparator) {
		words := strings.FieldsFunc(p, func(r rune) bool { return !isWordRune(r) })
		for i, w := range words {
			if full, ok := abbreviations[w]; ok {
				words[i] = full
			}
		}
		if len(words) > 0 {
			n.places = append(n.places, words)
		}
	}
	return n
}

var abbreviations = map[string]string{"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}

func isWordRune(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }

// isPlaceSeparator reports a rune that can stand between two principal
// places: any dash, the box-drawing horizontal line and the private-use
// glyph an FBI table printed for an em dash.
func isPlaceSeparator(r rune) bool {
	return r == '-' || r == '/' || r == '\u2500' || unicode.Is(unicode.Pd, r) || unicode.Is(unicode.Co, r)
}

// key is the name with separators, accents, case, abbreviations and the
// order of states all set aside. Two names with one key are the same name.
func (n areaName) key() string {
	return n.placeText() + "|" + strings.Join(slices.Sorted(slices.Values(n.states)), " ")
}

// orderFreeKey is key with the places sorted too.
func (n areaName) orderFreeKey() string {
	places := make([]string, len(n.places))
	for i, p := range n.places {
		places[i] = strings.Join(p, " ")
	}
	slices.Sort(places)
	return strings.Join(places, "-") + "|" + strings.Join(slices.Sorted(slices.Values(n.states)), " ")
}

// placeText is the places' words in order, one space apart.
func (n areaName) placeText() string {
	var words []string
	for _, p := range n.places {
		words = append(words, p...)
	}
	return strings.Join(words, " ")
}

// firstPlace is the first principal city ("new york"), or "".
func (n areaName) firstPlace() string {
	if len(n.places) == 0 {
		return ""
	}
	return strings.Join(n.places[0], " ")
}

func (n areaName) firstState() string {
	if len(n.states) == 0 {
		return ""
	}
	return n.states[0]
}

func (n areaName) hasState(s string) bool { return slices.Contains(n.states, s) }

func (n areaName) sameStates(o areaName) bool {
	return slices.Equal(slices.Sorted(slices.Values(n.states)), slices.Sorted(slices.Values(o.states)))
}

// foldAccents maps the accented Latin letters of place names (Cañon City,
// Mayagüez, Española) to their base letters.
func foldAccents(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xC0 && r <= 0x17F }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if base, ok := accentBase[r]; ok {
			b.WriteRune(base)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var accentBase = func() map[rune]rune {
	m := map[rune]rune{}
	for base, accented := range map[rune]string{
		'a': "àáâãäåā", 'c': "çćč", 'e': "èéêëē", 'i': "ìíîïī", 'n': "ñń", 'o': "òóôõöø", 'u': "ùúûüū", 'y': "ýÿ",
		'A': "ÀÁÂÃÄÅĀ", 'C': "ÇĆČ", 'E': "ÈÉÊËĒ", 'I': "ÌÍÎÏĪ", 'N': "ÑŃ", 'O': "ÒÓÔÕÖØ", 'U': "ÙÚÛÜŪ", 'Y': "Ý",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// similarity is 1 minus the edit distance between a and b over the longer
// length: 1 for equal strings, 0 for nothing in common.
func similarity(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 && len(rb) == 0 {
		return 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return 1 - float64(prev[len(rb)])/float64(max(len(ra), len(rb)))
}
