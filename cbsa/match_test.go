package cbsa

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay"
)

// metros2013 is a hand-copied excerpt of the February 2013 delineation:
// code, title, metropolitan or not, and divisions. The titles are
// geographic facts; TestMetros2013AgreesReal checks them against the file.
var metros2013 = []assay.CBSA{
	{Code: "10180", Title: "Abilene, TX", Metro: true},
	{Code: "12060", Title: "Atlanta-Sandy Springs-Roswell, GA", Metro: true},
	{Code: "14460", Title: "Boston-Cambridge-Newton, MA-NH", Metro: true, Divisions: map[string]string{
		"14454": "Boston, MA", "15764": "Cambridge-Newton-Framingham, MA", "40484": "Rockingham County-Strafford County, NH"}},
	{Code: "16980", Title: "Chicago-Naperville-Elgin, IL-IN-WI", Metro: true, Divisions: map[string]string{
		"16974": "Chicago-Naperville-Arlington Heights, IL", "20994": "Elgin, IL", "23844": "Gary, IN", "29404": "Lake County-Kenosha County, IL-WI"}},
	{Code: "21420", Title: "Enid, OK"},
	{Code: "22180", Title: "Fayetteville, NC", Metro: true},
	{Code: "22220", Title: "Fayetteville-Springdale-Rogers, AR-MO", Metro: true},
	{Code: "23580", Title: "Gainesville, GA", Metro: true},
	{Code: "24860", Title: "Greenville-Anderson-Mauldin, SC", Metro: true},
	{Code: "25980", Title: "Hinesville, GA", Metro: true},
	{Code: "26140", Title: "Homosassa Springs, FL", Metro: true},
	{Code: "26420", Title: "Houston-The Woodlands-Sugar Land, TX", Metro: true},
	{Code: "31080", Title: "Los Angeles-Long Beach-Anaheim, CA", Metro: true, Divisions: map[string]string{
		"11244": "Anaheim-Santa Ana-Irvine, CA", "31084": "Los Angeles-Long Beach-Glendale, CA"}},
	{Code: "32420", Title: "Mayagüez, PR", Metro: true},
	{Code: "33100", Title: "Miami-Fort Lauderdale-West Palm Beach, FL", Metro: true, Divisions: map[string]string{
		"22744": "Fort Lauderdale-Pompano Beach-Deerfield Beach, FL", "33124": "Miami-Miami Beach-Kendall, FL",
		"48424": "West Palm Beach-Boca Raton-Delray Beach, FL"}},
	{Code: "34980", Title: "Nashville-Davidson--Murfreesboro--Franklin, TN", Metro: true},
	{Code: "35620", Title: "New York-Newark-Jersey City, NY-NJ-PA", Metro: true, Divisions: map[string]string{
		"20524": "Dutchess County-Putnam County, NY", "35004": "Nassau County-Suffolk County, NY", "35084": "Newark, NJ-PA",
		"35614": "New York-Jersey City-White Plains, NY-NJ"}},
	{Code: "35840", Title: "North Port-Sarasota-Bradenton, FL", Metro: true},
	{Code: "39140", Title: "Prescott, AZ", Metro: true},
	{Code: "40900", Title: "Sacramento--Roseville--Arden-Arcade, CA", Metro: true},
	{Code: "41180", Title: "St. Louis, MO-IL", Metro: true},
	{Code: "41540", Title: "Salisbury, MD-DE", Metro: true},
	{Code: "41900", Title: "San Germán, PR", Metro: true},
	{Code: "41980", Title: "San Juan-Carolina-Caguas, PR", Metro: true},
	{Code: "42540", Title: "Scranton--Wilkes-Barre--Hazleton, PA", Metro: true},
	{Code: "44100", Title: "Springfield, IL", Metro: true},
	{Code: "44140", Title: "Springfield, MA", Metro: true},
	{Code: "44180", Title: "Springfield, MO", Metro: true},
	{Code: "44220", Title: "Springfield, OH", Metro: true},
	{Code: "45500", Title: "Texarkana, TX-AR", Metro: true},
	{Code: "46520", Title: "Urban Honolulu, HI", Metro: true},
	{Code: "47900", Title: "Washington-Arlington-Alexandria, DC-VA-MD-WV", Metro: true, Divisions: map[string]string{
		"43524": "Silver Spring-Frederick-Rockville, MD", "47894": "Washington-Arlington-Alexandria, DC-VA-MD-WV"}},
	{Code: "48260", Title: "Weirton-Steubenville, WV-OH", Metro: true},
}

func testMatcher() *Matcher {
	return NewMatcher(&assay.Delineation{Vintage: "2013-02", CBSAs: slices.Clone(metros2013)})
}

func TestMatch(t *testing.T) {
	m := testMatcher()
	const msa, md = assay.KindMSA, assay.KindMD
	tests := []struct {
		why        string
		name       string
		kind       assay.AreaKind
		code       string
		parent     string
		method     string
		score      float64
		noteHas    string
		candidates []string // codes, best first, when the outcome lists them
	}{
		{"the OMB title", "Abilene, TX", msa, "10180", "", assay.MatchExact, 1, "", nil},
		{"four states", "Washington-Arlington-Alexandria, DC-VA-MD-WV", msa, "47900", "", assay.MatchExact, 1, "", nil},
		{"extra spaces", "  Abilene,   TX ", msa, "10180", "", assay.MatchExact, 1, "", nil},
		{"en dashes for OMB's --", "Nashville-Davidson–Murfreesboro–Franklin, TN", msa, "34980", "", assay.MatchNormalized, 1, "", nil},
		{"em dashes", "Scranton—Wilkes-Barre—Hazleton, PA", msa, "42540", "", assay.MatchNormalized, 1, "", nil},
		{"box-drawing lines and a line break (2008)", "Nashville-Davidson─\nMurfreesboro─Franklin, TN", msa, "34980", "", assay.MatchNormalized, 1, "", nil},
		{"private-use glyph for a dash (2006)", "Nashville-Davidson\ue83aMurfreesboro-Franklin, TN", msa, "34980", "", assay.MatchNormalized, 1, "", nil},
		{"space after a dash (2009)", "Scranton─Wilkes-Barre─ Hazleton, PA", msa, "42540", "", assay.MatchNormalized, 1, "", nil},
		{"Puerto Rico spelled out", "San Juan-Carolina-Caguas, Puerto Rico", msa, "41980", "", assay.MatchNormalized, 1, "", nil},
		{"accent dropped", "Mayaguez, Puerto Rico", msa, "32420", "", assay.MatchNormalized, 1, "", nil},
		{"accent dropped, two-word place", "San German, PR", msa, "41900", "", assay.MatchNormalized, 1, "", nil},
		{"Saint for St.", "Saint Louis, MO-IL", msa, "41180", "", assay.MatchNormalized, 1, "", nil},
		{"St without the period", "St Louis, MO-IL", msa, "41180", "", assay.MatchNormalized, 1, "", nil},
		{"states in another order", "Texarkana, AR-TX", msa, "45500", "", assay.MatchNormalized, 1, "", nil},
		{"case", "HOUSTON-THE WOODLANDS-SUGAR LAND, TX", msa, "26420", "", assay.MatchNormalized, 1, "", nil},
		{"principal cities reordered (2010)", "Steubenville-Weirton, OH-WV", msa, "48260", "", assay.MatchReordered, 0.95, "", nil},
		{"2003-based title, cities reordered (2006-2008)", "Sacramento—Arden-Arcade—Roseville, CA", msa, "40900", "", assay.MatchReordered, 0.95, "", nil},
		{"renamed: 2003-based title (2006-2011)", "Houston-Sugar Land-Baytown, TX", msa, "26420", "", assay.MatchFirstCity, 0.9, "", []string{"26420"}},
		{"renamed in OMB 13-01", "Atlanta-Sandy Springs-Marietta, GA", msa, "12060", "", assay.MatchFirstCity, 0.9, "", []string{"12060"}},
		{"renamed in the 2018 update (FBI 2018)", "Atlanta-Sandy Springs-Alpharetta, GA", msa, "12060", "", assay.MatchFirstCity, 0.9, "", []string{"12060"}},
		{"a state added since (Sussex County, DE)", "Salisbury, MD", msa, "41540", "", assay.MatchFirstCity, 0.8, "", []string{"41540"}},
		{"a state dropped since (FBI 2018)", "Fayetteville-Springdale-Rogers, AR", msa, "22220", "", assay.MatchFirstCity, 0.8, "", []string{"22220"}},
		{"first city alone is ambiguous across states, the state settles it", "Fayetteville, NC", msa, "22180", "", assay.MatchExact, 1, "", nil},
		{"Texarkana written per state (2006-2011)", "Texarkana, TX-Texarkana, AR", msa, "45500", "", assay.MatchAlias, 1, "2003-based", nil},
		{"renamed, first city changed", "Honolulu, HI", msa, "46520", "", assay.MatchAlias, 1, "Urban Honolulu", nil},
		{"2003-based title, new first city", "Sarasota-Bradenton-Venice, FL", msa, "35840", "", assay.MatchAlias, 1, "Manatee", nil},
		{"retitled and recoded in 2018, alias to the 2013 code", "Prescott Valley-Prescott, AZ", msa, "39140", "", assay.MatchAlias, 1, "39150", nil},
		{"misspelled (FBI 2012)", "Homosassa Spring, FL", msa, "26140", "", assay.MatchFuzzy, 1 - 1.0/17, "", []string{"26140"}},
		{"micropolitan in 2013, metropolitan by 2015", "Enid, OK", msa, "21420", "", assay.MatchExact, 1, microNote, nil},
		{"merged into another CBSA", "Anderson, SC", msa, "", "", assay.MatchNoEquivalent, 0, "Greenville-Anderson-Mauldin", []string{"24860"}},
		{"no state: four Springfields tie", "Springfield", msa, "", "", assay.MatchUnmatched, 0, "", []string{"44100", "44140", "44180"}},
		{"close but not close enough", "Gainesvale, GA", msa, "", "", assay.MatchUnmatched, 0, "", []string{"23580", "25980"}},
		{"no such metro", "Gotham, NY", msa, "", "", assay.MatchUnmatched, 0, "", []string{"35620"}},
		{"empty", "", msa, "", "", assay.MatchUnmatched, 0, "", []string{"10180", "12060", "14460"}},
		{"a division asked for as an MSA", "Anaheim-Santa Ana-Irvine, CA", msa, "", "", assay.MatchUnmatched, 0, "", []string{"40900", "31080"}},
		{"division: the OMB title", "Anaheim-Santa Ana-Irvine, CA", md, "11244", "31080", assay.MatchExact, 1, "", nil},
		{"division named like its MSA", "Washington-Arlington-Alexandria, DC-VA-MD-WV", md, "47894", "47900", assay.MatchExact, 1, "", nil},
		{"division: cities reordered (2006-2011)", "Santa Ana-Anaheim-Irvine, CA", md, "11244", "31080", assay.MatchReordered, 0.95, "", nil},
		{"division: 2003-based title", "Boston-Quincy, MA", md, "14454", "14460", assay.MatchFirstCity, 0.9, "", []string{"14454"}},
		{"division: renamed in the 2018 update", "West Palm Beach-Boca Raton-Boynton Beach, FL", md, "48424", "33100", assay.MatchFirstCity, 0.9, "", []string{"48424"}},
		{"division: typo in an FBI name (2011)", "Chicago-Joilet-Naperville, IL", md, "16974", "16980", assay.MatchFirstCity, 0.9, "", []string{"16974"}},
		{"division: county names dropped", "Nassau-Suffolk, NY", md, "35004", "35620", assay.MatchAlias, 1, "2003-based", nil},
		{"division: several 2003-based titles, one alias each", "Bethesda-Rockville-Frederick, MD", md, "43524", "47900", assay.MatchAlias, 1, "Frederick and Montgomery", nil},
		{"division: split among others", "Edison-New Brunswick, NJ", md, "", "", assay.MatchNoEquivalent, 0, "split between", []string{"35084", "35614"}},
		{"an MSA asked for as a division, in a state with none", "Abilene, TX", md, "", "", assay.MatchUnmatched, 0, "", []string{"15764", "31084", "16974"}},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			got := m.Match(tt.name, tt.kind)
			if got.Code != tt.code || got.ParentCode != tt.parent || got.Method != tt.method || math.Abs(got.Score-tt.score) > 1e-9 {
				t.Errorf("Match(%q, %s) = %s (parent %q) by %s, score %v; want %s (parent %q) by %s, score %v",
					tt.name, tt.kind, got.Code, got.ParentCode, got.Method, got.Score, tt.code, tt.parent, tt.method, tt.score)
			}
			if got.Matched() != (tt.code != "") {
				t.Errorf("Matched() = %v", got.Matched())
			}
			if tt.code != "" {
				want := titleOf(tt.code, tt.parent)
				if got.Title != want {
					t.Errorf("title %q, want %q", got.Title, want)
				}
			}
			if !strings.Contains(got.Note, tt.noteHas) || tt.noteHas == "" && got.Note != "" {
				t.Errorf("note %q, want one containing %q", got.Note, tt.noteHas)
			}
			var codes []string
			for _, c := range got.Candidates {
				codes = append(codes, c.Code)
			}
			if !slices.Equal(codes[:min(len(codes), len(tt.candidates))], tt.candidates) {
				t.Errorf("candidates %v, want %v first", codes, tt.candidates)
			}
			if len(tt.candidates) == 0 && len(codes) != 0 {
				t.Errorf("candidates %v for a %s match", codes, tt.method)
			}
			if !slices.IsSortedFunc(got.Candidates, func(a, b Candidate) int { return -cmpFloat(a.Score, b.Score) }) {
				t.Errorf("candidates not best first: %+v", got.Candidates)
			}
		})
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func titleOf(code, parent string) string {
	for _, c := range metros2013 {
		if parent == "" && c.Code == code {
			return c.Title
		}
		if c.Code == parent {
			return c.Divisions[code]
		}
	}
	return ""
}

func TestMatchUnmatchedAlwaysHasCandidates(t *testing.T) {
	m := testMatcher()
	for _, name := range []string{"Gotham, NY", "Gotham, ZZ", "Springfield", "Anderson, SC", "x", "", "Houston-Sugar Land-Baytown, TX"} {
		for _, kind := range []assay.AreaKind{assay.KindMSA, assay.KindMD} {
			if got := m.Match(name, kind); (!got.Matched() || got.Method == assay.MatchFirstCity) && len(got.Candidates) == 0 {
				t.Errorf("%q as %s: %s with no candidates", name, kind, got.Method)
			}
		}
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"homosassa spring", "homosassa springs", 1 - 1.0/17},
		{"gainesville", "hinesville", 1 - 2.0/11}, // the closest pair of metro names in one state that FuzzyAccept must keep apart
		{"abc", "abc", 1},
		{"", "", 1},
		{"abc", "", 0},
		{"mayagüez", "mayaguez", 1 - 1.0/8},
	}
	for _, tt := range tests {
		if got := similarity(tt.a, tt.b); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("similarity(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	if s := similarity("gainesville", "hinesville"); s >= FuzzyAccept {
		t.Errorf("FuzzyAccept %v would let Gainesville, GA match Hinesville, GA (%v)", FuzzyAccept, s)
	}
}

func TestByCode(t *testing.T) {
	m := testMatcher()
	if c, ok := m.ByCode("31080"); !ok || c.Title != "Los Angeles-Long Beach-Anaheim, CA" {
		t.Errorf("ByCode(31080) = %+v, %v", c, ok)
	}
	if _, ok := m.ByCode("11244"); ok {
		t.Error("ByCode found a division code")
	}
}

func FuzzMatch(f *testing.F) {
	f.Add("Nashville-Davidson–Murfreesboro–Franklin, TN", false)
	f.Add("Santa Ana-Anaheim-Irvine, CA", true)
	f.Add("Texarkana, TX-Texarkana, AR", false)
	f.Add(",,--\ue83a, ", true)
	m := testMatcher()
	f.Fuzz(func(t *testing.T, name string, division bool) {
		kind := assay.KindMSA
		if division {
			kind = assay.KindMD
		}
		got := m.Match(name, kind)
		if got.Matched() && titleOf(got.Code, got.ParentCode) != got.Title {
			t.Fatalf("%q: %s %q is not in the delineation", name, got.Code, got.Title)
		}
		if len(got.Candidates) > candidateCount || got.Score < 0 || got.Score > 1 {
			t.Fatalf("%q: %+v", name, got)
		}
	})
}

func BenchmarkMatch(b *testing.B) {
	m := testMatcher()
	names := []string{"Abilene, TX", "Nashville-Davidson–Murfreesboro–Franklin, TN", "Houston-Sugar Land-Baytown, TX", "Gotham, NY"}
	for b.Loop() {
		for _, n := range names {
			m.Match(n, assay.KindMSA)
		}
	}
}

func TestParseAliases(t *testing.T) {
	const head = "# comment\nvintage,kind,fbi_name,code,reason\n"
	tests := []struct{ name, text, want string }{
		{"no header", "2013-02,msa,\"A, TX\",10180,r\n", "header"},
		{"bad vintage", head + "2013,msa,\"A, TX\",10180,r\n", "line 3 field vintage"},
		{"bad kind", head + "2013-02,cbsa,\"A, TX\",10180,r\n", "line 3 field kind"},
		{"bad code", head + "2013-02,msa,\"A, TX\",1018,r\n", "line 3 field code"},
		{"no reason", head + "2013-02,msa,\"A, TX\",10180,\n", "line 3: empty"},
		{"too few fields", head + "2013-02,msa,\"A, TX\",10180\n", "wrong number of fields"},
		{"repeated name", head + "2013-02,msa,\"A, TX\",10180,r\n2013-02,msa,\"a,  tx\",10180,r\n", "line 4: \"a,  tx\" repeats line 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseAliases(tt.text); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
	rows, err := parseAliases(head + "2013-02,md,\"A, TX\",,merged\n")
	if err != nil || len(rows) != 1 || rows[0].code != "" || rows[0].kind != assay.KindMD {
		t.Errorf("a no-equivalent row: %+v, %v", rows, err)
	}
}

// TestAliasTable checks the embedded table: it parses (the package would
// not have loaded otherwise), and each row has what a reviewer needs.
func TestAliasTable(t *testing.T) {
	byVintage := map[string]int{}
	for _, a := range aliasTable {
		byVintage[a.vintage]++
		if len(a.reason) < 20 {
			t.Errorf("line %d: reason %q says too little", a.line, a.reason)
		}
	}
	if byVintage["2013-02"] == 0 || byVintage["2020-03"] == 0 {
		t.Errorf("aliases per vintage: %v", byVintage)
	}
}
