package cbsa

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/assaylab/assay"
)

// Scores of the rules that are not string similarities.
const (
	scoreReordered = 0.95
	scoreFirstCity = 0.9 // the states agree too
	scoreFirstOnly = 0.8 // a state was added or dropped
)

// FuzzyAccept is the least similarity (1 - edit distance / length of the
// place names, among metropolitan areas sharing the first state) that a
// fuzzy match needs, and FuzzyMargin how far ahead of the runner-up it must
// be. A one-letter slip ("Homosassa Spring, FL", FBI 2012) scores 0.94; the
// closest two metro names of one state (Gainesville and Hinesville, GA)
// score 0.82 (TestSimilarity).
const (
	FuzzyAccept = 0.9
	FuzzyMargin = 0.05
)

const candidateCount = 3 // nearest candidates reported

// microNote marks a metro name matched to a micropolitan area: the FBI
// uses names of the year's OMB update, in which some micropolitan areas of
// an older vintage had become metropolitan (Enid, OK in 2015).
const microNote = "micropolitan in this delineation"

// Match is the outcome of matching one FBI area name.
type Match struct {
	// Code and Title are the CBSA's, or for an M.D. the metropolitan
	// division's, with ParentCode its CBSA. All are "" when unmatched.
	Code, Title string
	ParentCode  string
	Method      string
	Score       float64 // 1 for exact, normalized and alias matches; 0 when unmatched
	// Note explains a match that needs a second look (a micropolitan area
	// under a metropolitan name) or gives the alias table's reason.
	Note string
	// Candidates are the nearest metropolitan areas, best first, for
	// unmatched, no_equivalent, fuzzy and first_city outcomes.
	Candidates []Candidate
}

// Matched reports whether the name found an area.
func (m Match) Matched() bool { return m.Code != "" }

// Candidate is one area a name might be.
type Candidate struct {
	Code, Title, ParentCode string
	Score                   float64
}

// Matcher matches FBI area names to one delineation's CBSAs and
// metropolitan divisions.
type Matcher struct {
	byCode  map[string]*assay.CBSA
	areas   map[assay.AreaKind]*areas
	aliases map[assay.AreaKind]map[string]alias
}

// areas are the CBSAs or the divisions, indexed by what each rule
// compares: a name is matched with a few map lookups instead of a pass
// over every area for each rule (assay matches some 6,000 names).
type areas struct {
	all                     []area
	title                   map[string]int   // the first area of each title
	key, order, code, first map[string][]int // areas in pool order
}

func (p *areas) add(a area) {
	i := len(p.all)
	p.all = append(p.all, a)
	if _, ok := p.title[a.title]; !ok {
		p.title[a.title] = i
	}
	p.key[a.key] = append(p.key[a.key], i)
	p.order[a.orderKey] = append(p.order[a.orderKey], i)
	p.code[a.code] = append(p.code[a.code], i)
	p.first[a.first] = append(p.first[a.first], i)
}

// only returns the one area of idx that satisfies ok (nil: any); false
// when none or several do.
func (p *areas) only(idx []int, ok func(*area) bool) (*area, bool) {
	var hit *area
	n := 0
	for _, i := range idx {
		if a := &p.all[i]; ok == nil || ok(a) {
			hit = a
			n++
		}
	}
	return hit, n == 1
}

// area is one CBSA or division that a name can match, with the parts of
// its title the rules compare, worked out once.
type area struct {
	code, title, parent string
	metro               bool
	name                areaName
	key, orderKey       string
	places, first       string
}

// NewMatcher indexes a delineation. The alias table is the embedded one for
// the delineation's vintage.
func NewMatcher(d *assay.Delineation) *Matcher {
	m := &Matcher{byCode: map[string]*assay.CBSA{}, areas: map[assay.AreaKind]*areas{}}
	for _, k := range []assay.AreaKind{assay.KindMSA, assay.KindMD} {
		m.areas[k] = &areas{title: map[string]int{}, key: map[string][]int{}, order: map[string][]int{},
			code: map[string][]int{}, first: map[string][]int{}}
	}
	for i := range d.CBSAs {
		c := &d.CBSAs[i]
		m.byCode[c.Code] = c
		m.areas[assay.KindMSA].add(newArea(c.Code, c.Title, "", c.Metro))
		for _, div := range slices.Sorted(maps.Keys(c.Divisions)) {
			m.areas[assay.KindMD].add(newArea(div, c.Divisions[div], c.Code, true))
		}
	}
	m.aliases = aliasesFor(d.Vintage)
	return m
}

func newArea(code, title, parent string, metro bool) area {
	n := parseName(title)
	return area{code: code, title: title, parent: parent, metro: metro, name: n,
		key: n.key(), orderKey: n.orderFreeKey(), places: n.placeText(), first: n.firstPlace()}
}

// ByCode returns the CBSA with the code, or false.
func (m *Matcher) ByCode(code string) (*assay.CBSA, bool) {
	c, ok := m.byCode[code]
	return c, ok
}

// Match finds the CBSA (kind KindMSA) or metropolitan division (KindMD)
// that an FBI name, cleaned of footnotes and of its M.S.A./M.D. suffix,
// stands for. Rules go from certain to less so (see the Method constants):
// exact title, normalized title, reordered places, the hand-reviewed alias
// table, first principal city with state, then close spelling. Each rule
// must name one area only; a name none of them settles is unmatched, with
// candidates, and a name the alias table knows to have no counterpart in
// the vintage comes back as no_equivalent with the table's reason.
func (m *Matcher) Match(name string, kind assay.AreaKind) Match {
	pool := m.areas[kind]
	if pool == nil {
		return Match{Method: assay.MatchUnmatched}
	}
	clean := strings.Join(strings.Fields(name), " ")
	n := parseName(clean)
	key := n.key()

	if i, ok := pool.title[clean]; ok {
		return m.found(&pool.all[i], assay.MatchExact, 1, nil)
	}
	if a, ok := pool.only(pool.key[key], nil); ok {
		return m.found(a, assay.MatchNormalized, 1, nil)
	}
	if a, ok := pool.only(pool.order[n.orderFreeKey()], nil); ok {
		return m.found(a, assay.MatchReordered, scoreReordered, nil)
	}
	cands := nearest(pool.all, n)
	if al, ok := m.aliases[kind][key]; ok {
		if al.code == "" {
			return Match{Method: assay.MatchNoEquivalent, Note: al.reason, Candidates: cands}
		}
		if a, ok := pool.only(pool.code[al.code], nil); ok {
			r := m.found(a, assay.MatchAlias, 1, nil)
			r.Note = al.reason
			return r
		}
	}
	first, state := n.firstPlace(), n.firstState()
	if a, ok := pool.only(pool.first[first], func(a *area) bool { return a.metro && a.name.hasState(state) }); ok && first != "" {
		score := scoreFirstOnly
		if a.name.sameStates(n) {
			score = scoreFirstCity
		}
		return m.found(a, assay.MatchFirstCity, score, cands)
	}
	if len(cands) > 0 && cands[0].Score >= FuzzyAccept && (len(cands) == 1 || cands[0].Score-cands[1].Score >= FuzzyMargin) {
		a, _ := pool.only(pool.code[cands[0].Code], nil)
		return m.found(a, assay.MatchFuzzy, cands[0].Score, cands)
	}
	return Match{Method: assay.MatchUnmatched, Candidates: cands}
}

func (m *Matcher) found(a *area, method string, score float64, cands []Candidate) Match {
	r := Match{Code: a.code, Title: a.title, ParentCode: a.parent, Method: method, Score: score, Candidates: cands}
	if !a.metro {
		r.Note = microNote
	}
	return r
}

// nearest ranks the metropolitan areas that share the name's first state
// by the similarity of their place names; all of them when the name gives
// no state or no area has it, so that an unmatched name always comes with
// candidates.
func nearest(pool []area, n areaName) []Candidate {
	text, state := n.placeText(), n.firstState()
	rank := func(sameState bool) []Candidate {
		var out []Candidate
		for i := range pool {
			if a := &pool[i]; a.metro && (!sameState || a.name.hasState(state)) {
				out = append(out, Candidate{Code: a.code, Title: a.title, ParentCode: a.parent, Score: similarity(text, a.places)})
			}
		}
		return out
	}
	out := rank(state != "")
	if len(out) == 0 {
		out = rank(false)
	}
	slices.SortStableFunc(out, func(x, y Candidate) int { return cmp.Compare(y.Score, x.Score) })
	return out[:min(len(out), candidateCount)]
}
