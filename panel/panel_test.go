package panel

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/assaylab/assay"
)

// fixture is an invented dataset: metro A has both sides in 2012, metro B
// only FBI data in 2012, metro C only Census data, micropolitan D Census
// data (never in the panel), and an M.D. and an unmatched name (never in
// the panel either).
func fixture() *assay.Dataset {
	crime := func(name, code string, kind assay.AreaKind, year int, violent float64) assay.CrimeRecord {
		r := assay.CrimeRecord{Source: "t6.csv", Row: year, Year: year, Kind: kind, Name: name, CBSA: code}
		r.Rate[assay.Violent] = assay.Some(violent)
		return r
	}
	return &assay.Dataset{
		Delineations: []assay.Delineation{{Vintage: "2013-02", CBSAs: []assay.CBSA{
			{Code: "90010", Title: "A, ZZ", Metro: true}, {Code: "90020", Title: "B, ZZ", Metro: true},
			{Code: "90030", Title: "C, ZZ", Metro: true}, {Code: "90040", Title: "D, ZZ"},
		}}},
		Crime: []assay.CrimeRecord{
			crime("A", "90010", assay.KindMSA, 2012, 300), crime("A", "90010", assay.KindMSA, 2013, 310),
			crime("B", "90020", assay.KindMSA, 2012, 200), crime("A-part", "90014", assay.KindMD, 2012, 100),
			crime("Nowhere", "", assay.KindMSA, 2012, 50), crime("D", "90040", assay.KindMSA, 2012, 75),
		},
		CountyNativity: []assay.CountyNativity{{Source: "counties2012.csv", Period: "2008-2012"}},
		MetroNativity: []assay.MetroNativity{
			{CBSA: "90010", Vintage: "2013-02", Period: "2008-2012"}, {CBSA: "90030", Vintage: "2013-02", Period: "2008-2012"},
			{CBSA: "90040", Vintage: "2013-02", Period: "2008-2012"}, {CBSA: "90010", Vintage: "2020-03", Period: "2008-2012"},
		},
		OriginCounts: []assay.OriginCount{{Source: "b05006.json", Year: 2012, Product: "acs1", GeoID: "90010", Level: "cbsa", Group: "ntca"},
			{Source: "b05006.json", Year: 2012, Product: "acs1", GeoID: "90050", Level: "cbsa", Name: "E, ZZ Metro Area", Group: "ntca"},
			{Source: "b05006.json", Year: 2012, Product: "acs1", GeoID: "90050", Level: "cbsa", Name: "E, ZZ Metro Area", Group: "mexico"},
			{Source: "county.json", Year: 2012, Product: "acs1", GeoID: "90020", Level: "county", Group: "ntca"}},
	}
}

func TestBuild(t *testing.T) {
	ds := fixture()
	p, audit, err := Build(ds, "2013-02")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range p.Obs {
		got = append(got, o.CBSA+" "+o.Title+" "+strconv.Itoa(o.Year))
	}
	want := []string{"90010 A, ZZ 2012", "90010 A, ZZ 2013", "90020 B, ZZ 2012", "90030 C, ZZ 2012"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("observations %v, want %v", got, want)
	}
	a := p.At("90010", 2012)
	if a == nil || a.Crime != &ds.Crime[0] || a.Nativity != &ds.MetroNativity[0] || a.Origin("ntca", "acs1") != &ds.OriginCounts[0] {
		t.Errorf("A 2012 joined wrongly: %+v", a)
	}
	if a.Origin("ntca", "acs5") != nil {
		t.Error("found an acs5 count that does not exist")
	}
	if p.At("90010", 2013).Nativity != nil || p.At("90040", 2012) != nil || p.At("99999", 2012) != nil {
		t.Error("At found what is not there")
	}
	if !reflect.DeepEqual(p.Years(), []int{2012, 2013}) {
		t.Errorf("years %v", p.Years())
	}
	// 2013 has no Census side at all, so nothing is one-sided there.
	var reasons []string
	for _, e := range audit {
		reasons = append(reasons, e.Reason+" "+e.Source)
	}
	wantAudit := []string{"micropolitan_cbsa t6.csv", "not_in_vintage b05006.json", "no_fbi_match counties2012.csv", "no_census_match t6.csv"}
	if !reflect.DeepEqual(reasons, wantAudit) {
		t.Errorf("audit %v, want %v", reasons, wantAudit)
	}
	if !strings.Contains(audit[0].Detail, "90040") || !strings.Contains(audit[1].Detail, "90050") || !strings.Contains(audit[2].Detail, "90030") || !strings.Contains(audit[3].Detail, "90020") {
		t.Errorf("audit details do not name the metros: %+v", audit)
	}
}

func TestBuildNeedsVintage(t *testing.T) {
	if _, _, err := Build(fixture(), "2020-03"); err == nil || !strings.Contains(err.Error(), "2020-03") {
		t.Errorf("err %v, want one naming the missing vintage", err)
	}
}

func TestSynthetic(t *testing.T) {
	ds := fixture()
	p, _, _ := Build(ds, "2013-02")
	if p.At("90010", 2012).Synthetic() {
		t.Error("real counts called synthetic")
	}
	ds.OriginCounts[0].Synthetic = true
	if !p.At("90010", 2012).Synthetic() {
		t.Error("a synthetic count did not mark its observation")
	}
}

func TestRank(t *testing.T) {
	ds := fixture()
	ds.Crime = append(ds.Crime, assay.CrimeRecord{Year: 2012, Kind: assay.KindMSA, Name: "Suppressed"},
		assay.CrimeRecord{Year: 2012, Kind: assay.KindMSA, Name: "Also B", Rate: ds.Crime[2].Rate})
	r := Rank(ds.Crime, 2012, assay.Violent, assay.KindMSA)
	var names []string
	for _, c := range r.Ranked {
		names = append(names, c.Name)
	}
	if want := []string{"A", "Also B", "B", "D", "Nowhere"}; !reflect.DeepEqual(names, want) {
		t.Errorf("ranked %v, want %v", names, want)
	}
	if len(r.Unranked) != 1 || r.Unranked[0].Name != "Suppressed" {
		t.Errorf("unranked %+v", r.Unranked)
	}
	for _, tc := range []struct{ n, want int }{{0, 5}, {2, 2}, {9, 5}} {
		top := r.Top(tc.n)
		if len(top) != tc.want || top[len(top)-1].Rank != tc.want || top[len(top)-1].Record != r.Ranked[tc.want-1] {
			t.Errorf("Top(%d): %d records, last %+v", tc.n, len(top), top[len(top)-1])
		}
	}
	b, err := json.Marshal(r.Top(1)[0])
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil || !bytes.HasPrefix(b, []byte(`{"rank":1,"year":2012,`)) || got["name"] != "A" {
		t.Errorf("JSON %s (%v): want the record's fields after rank 1", b, err)
	}
}
