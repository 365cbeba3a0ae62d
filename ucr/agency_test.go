package ucr

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/datadir"
)

const agencyFixture = "testdata/agencies/SYNTHETIC_agency_panel.csv"

func checkAgencyAccounting(t testing.TB, res *AgencyResult) {
	t.Helper()
	checkAccounting(t, &Result{Audit: res.Audit, RowsRead: res.RowsRead, RowsLoaded: res.RowsLoaded, RowsSkipped: res.RowsSkipped})
	if res.RowsLoaded != len(res.Records) {
		t.Errorf("%d rows loaded, %d records", res.RowsLoaded, len(res.Records))
	}
}

func parseAgencies(t testing.TB, b []byte) *AgencyResult {
	t.Helper()
	res, err := ParseAgencies(bytes.NewReader(b), "panel.csv")
	if err != nil {
		t.Fatal(err)
	}
	checkAgencyAccounting(t, res)
	return res
}

func agencyYear(t testing.TB, res *AgencyResult, ori string, year int) *assay.AgencyCrime {
	t.Helper()
	return findOne(t, res.Records, fmt.Sprint(ori, " ", year), func(r *assay.AgencyCrime) bool { return r.ORI == ori && r.Year == year })
}

// auditAt lists the reasons of one action on one row.
func auditAt(audit []assay.AuditEntry, action assay.AuditAction, row int) []string {
	var out []string
	for _, a := range audit {
		if a.Action == action && a.Row == row {
			out = append(out, a.Reason)
		}
	}
	return out
}

// TestParseAgencies reads the SYNTHETIC fixture: every row is built to
// exercise one rule (its comment in the table below).
func TestParseAgencies(t *testing.T) {
	res := parseAgencies(t, readFixture(t, agencyFixture))
	if res.RowsRead != 14 || res.RowsLoaded != 10 || res.RowsSkipped != 4 {
		t.Errorf("rows read %d, loaded %d, skipped %d; want 14, 10, 4", res.RowsRead, res.RowsLoaded, res.RowsSkipped)
	}
	for _, tc := range []struct {
		row            int
		skipped, flags []string
		what           string
	}{
		{1, []string{ReasonHeader}, nil, "header"},
		{2, []string{ReasonNotAgency}, nil, "the national total has ORI NA"},
		{3, nil, nil, "a clean row"},
		{4, nil, []string{ReasonPartialYear}, "0 months reported"},
		{5, nil, nil, "a row naming its source"},
		{6, nil, []string{ReasonNotAvailable}, "NA population and murders"},
		{7, []string{ReasonDuplicateYear}, nil, "the same ORI and year again"},
		{8, nil, nil, "NB is Nebraska"},
		{9, nil, []string{ReasonStateMismatch}, "ORI in Ohio, name in Texas"},
		{10, []string{ReasonBlank}, nil, "blank"},
		{11, nil, []string{ReasonUnknownState}, "ORI ZZ"},
		{13, nil, []string{ReasonRateMismatch}, "murder rate 6.5 published, 5.0 from the count"},
		{14, nil, []string{ReasonViolentSum}, "violent 2,100, parts 2,000"},
	} {
		if got := auditAt(res.Audit, assay.Skipped, tc.row); !slices.Equal(got, tc.skipped) {
			t.Errorf("row %d (%s): skipped %v, want %v", tc.row, tc.what, got, tc.skipped)
		}
		if got := auditAt(res.Audit, assay.Flagged, tc.row); !slices.Equal(got, tc.flags) {
			t.Errorf("row %d (%s): flags %v, want %v", tc.row, tc.what, got, tc.flags)
		}
	}

	a := agencyYear(t, res, "TX00001", 2010)
	if a.State != "TX" || a.Agency != "Alderhaven, Texas" || a.Population != num(200000) || a.Counts[assay.Murder] != num(10) ||
		a.Counts[assay.Violent] != num(400) || a.Rate[assay.Robbery] != num(50) || a.MonthsReported != num(12) || a.PublishedIn != "" || a.Row != 3 {
		t.Errorf("Alderhaven 2010: %+v", *a)
	}
	if b := agencyYear(t, res, "OHBIR00", 2010); b.PublishedIn != "Invented Bulletin" || b.URL != "https://example.org/invented" {
		t.Errorf("Birchmoor 2010 source: %q %q", b.PublishedIn, b.URL)
	}
	na := agencyYear(t, res, "OHBIR00", 2011)
	if na.Population.Valid || na.Counts[assay.Murder].Valid || na.Counts[assay.Violent].Valid || na.Rate[assay.Murder].Valid ||
		na.MonthsReported.Valid || na.Counts[assay.Robbery] != num(880) || na.Row != 6 {
		t.Errorf("Birchmoor 2011 (NA must be null, never zero; the first of two rows kept): %+v", *na)
	}
	if c := agencyYear(t, res, "NB00101", 2010); c.State != "NE" {
		t.Errorf("NB ORI: state %q, want NE", c.State)
	}
	if e := agencyYear(t, res, "ZZ00001", 2010); e.State != "" {
		t.Errorf("ZZ ORI: state %q, want none", e.State)
	}
}

func TestParseAgenciesBadInput(t *testing.T) {
	head := "ORI,year,department_name,total_pop,homs_sum,rape_sum,rob_sum,agg_ass_sum,violent_crime,months_reported,violent_per_100k,homs_per_100k,rape_per_100k,rob_per_100k,agg_ass_per_100k\n"
	tests := []struct {
		name string
		b    string
		want []string
	}{
		{"empty.csv", "", []string{"agencies empty.csv", "empty file"}},
		{"table6.csv", string(readFixture(t, fixture2017)), []string{"agencies table6.csv", "row 1", "not an agency panel", "homs_sum"}},
		{"short.csv", "ORI,year,department_name,total_pop\nX,2000,Y,1\n", []string{"row 1", "the header lacks", "violent_crime"}},
		{"twice.csv", strings.Replace(head, "total_pop", "year", 1), []string{"row 1", `column "year" appears twice`}},
		{"header only.csv", head, []string{"no agency rows"}},
		{"national only.csv", head + "NA,2000,National,NA,1,NA,NA,NA,4,NA,1,1,NA,NA,NA\n", []string{"row 2", "no agency rows"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAgencies(strings.NewReader(tt.b), tt.name)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestSplitPlaceState(t *testing.T) {
	for _, tc := range []struct{ in, place, state string }{
		{"Columbus, Ohio", "Columbus", "OH"},
		{"Omaha, Neb.", "Omaha", "NE"},
		{"Kansas City, MO", "Kansas City", "MO"},
		{"Washington, D.C.", "Washington", "DC"},
		{"Atlanta", "Atlanta", ""},
		{"Charlotte-Mecklenburg, N.C.", "Charlotte-Mecklenburg", "NC"},
		{"Texarkana, TX-Texarkana, AR", "Texarkana, TX-Texarkana", "AR"},
		{"Springfield, Elsewhere", "Springfield, Elsewhere", ""},
		{"  Columbus ", "Columbus", ""},
	} {
		if p, s := splitPlaceState(tc.in); p != tc.place || s != tc.state {
			t.Errorf("splitPlaceState(%q) = %q, %q; want %q, %q", tc.in, p, s, tc.place, tc.state)
		}
	}
}

// TestMatchAgencyCities pairs invented agencies with invented Table 6
// rows (SYNTHETIC names), one case a rule.
func TestMatchAgencyCities(t *testing.T) {
	const src = "t6_2010.csv"
	areas := []assay.CrimeRecord{
		{Source: src, Year: 2010, Name: "Alderhaven, TX", States: []string{"TX"}},
		{Source: src, Year: 2010, Name: "Birchmoor, OH", States: []string{"OH"}},
		{Source: src, Year: 2010, Name: "Birchmoor, GA-AL", States: []string{"GA", "AL"}},
		{Source: src, Year: 2010, Name: "Cobalt City, MO-KS", States: []string{"MO", "KS"}},
		{Source: src, Year: 2010, Name: "Dunmore, TN-MS", States: []string{"TN", "MS"}},
		{Source: src, Year: 2010, Name: "Elmstead-Other, NY-NJ", States: []string{"NY", "NJ"}},
		{Source: src, Year: 2010, Name: "Twin, AZ", States: []string{"AZ"}},
		{Source: src, Year: 2010, Name: "Twin-Twin, AZ", States: []string{"AZ"}},
	}
	city := func(row int, area, name string, murders float64) assay.CityRecord {
		c := assay.CityRecord{Source: src, Row: row, Year: 2010, Area: area, Name: name, Published: "City of " + name, Population: num(1000)}
		c.Counts[assay.Murder] = num(murders)
		return c
	}
	cities := []assay.CityRecord{
		city(10, "Alderhaven, TX", "Alderhaven", 5),
		city(20, "Birchmoor, OH", "Birchmoor", 7),
		city(30, "Birchmoor, GA-AL", "Birchmoor, GA", 9),
		city(40, "Cobalt City, MO-KS", "Cobalt City, MO", 11),
		city(41, "Cobalt City, MO-KS", "Cobalt City, KS", 12),
		city(50, "Dunmore, TN-MS", "Dunmore", 13),
		city(60, "Elmstead-Other, NY-NJ", "Elmstead, NY", 14),
		city(70, "Twin, AZ", "Twin", 1),
		city(71, "Twin-Twin, AZ", "Twin", 2),
	}
	agency := func(row int, year int, name, state string, murders, pop float64) assay.AgencyCrime {
		a := assay.AgencyCrime{Source: "panel.csv", Row: row, Year: year, Agency: name, State: state, ORI: state + "00000", Population: num(pop)}
		a.Counts[assay.Murder] = num(murders)
		return a
	}
	agencies := []assay.AgencyCrime{
		agency(2, 2010, "Alderhaven, Texas", "TX", 5, 1000),  // equal
		agency(3, 2010, "Birchmoor", "OH", 8, 1000),          // the Ohio one, not Georgia's; murders differ
		agency(4, 2010, "Cobalt City, Mo.", "MO", 11, 1001),  // suffix picks MO of two; population differs
		agency(5, 2010, "Dunmore, Tenn.", "TN", 13, 1000),    // no suffix in a two-state block: TN is among its states
		agency(6, 2010, "Elmstead City", "NY", 14, 1000),     // no alias: no match
		agency(7, 2010, "Foxglen County, Texas", "TX", 1, 1), // a county
		agency(8, 2010, "Twin, Ariz.", "AZ", 1, 1000),        // two candidate rows
		agency(9, 2010, "Gallberry", "", 1, 1),               // state unknown
		agency(10, 2009, "Alderhaven, Texas", "TX", 5, 1000), // no Table 6 that year: not returned
		agency(11, 2010, "Birchmoor", "GA", 9, 1000),         // Georgia's, by suffix
		agency(12, 2010, "Dunmore", "MS", 13, 1000),          // MS is among the block's states too: also Dunmore's row
	}
	got := MatchAgencyCities(agencies, cities, areas)
	type want struct {
		row   int // matched Table 6 row, 0 for none
		why   string
		diffs string
	}
	wants := map[int]want{
		2:  {row: 10},
		3:  {row: 20, diffs: "murders 8/7"},
		4:  {row: 40, diffs: "population 1001/1000"},
		5:  {row: 50},
		6:  {why: "no principal-city row for Elmstead City, NY"},
		7:  {why: "a county agency"},
		8:  {why: "2 rows that could be Twin, AZ"},
		9:  {why: "state is unknown"},
		11: {row: 30},
		12: {row: 50},
	}
	if len(got) != len(wants) {
		t.Errorf("%d results, want %d", len(got), len(wants))
	}
	for _, m := range got {
		w, ok := wants[m.Agency.Row]
		if !ok {
			t.Errorf("unexpected result for %s %d", m.Agency.Agency, m.Agency.Year)
			continue
		}
		row := 0
		if m.City != nil {
			row = m.City.Row
		}
		var diffs []string
		for _, d := range m.Diffs() {
			diffs = append(diffs, fmt.Sprintf("%s %v/%v", d.Field, d.Agency, d.City))
		}
		if row != w.row || !strings.Contains(m.Why, w.why) || (w.why == "") != (m.Why == "") || strings.Join(diffs, "; ") != w.diffs {
			t.Errorf("%s: matched row %d (%q), diffs %v; want row %d (%q), diffs %q", m.Agency.Agency, row, m.Why, diffs, w.row, w.why, w.diffs)
		}
	}
}

func FuzzParseAgencies(f *testing.F) {
	f.Add(readFixture(f, agencyFixture))
	f.Add([]byte("ORI,year\nNA,1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if bytes.HasPrefix(b, []byte("PK")) || bytes.HasPrefix(b, []byte{0xD0, 0xCF}) {
			return // spreadsheets: not this reader's format, and their parsers have fuzz targets of their own
		}
		res, err := ParseAgencies(bytes.NewReader(b), "fuzz.csv")
		if err != nil {
			return
		}
		checkAgencyAccounting(t, res)
		for _, r := range res.Records {
			if r.ORI == "" || r.ORI == "NA" {
				t.Errorf("row %d loaded without an ORI", r.Row)
			}
		}
	})
}

// The real panel (skips when ../shared/data is absent).
const agencyPanel = "ucr/city/themarshallproject_city-crime/ucr_crime_1975_2015.csv"

// TestReadAgenciesReal pins what the panel holds, as PROVENANCE.md
// describes it and as read from the file: 2,829 data rows, of which 41 are
// the compiler's national totals (ORI NA), so 68 agencies over 41 years.
func TestReadAgenciesReal(t *testing.T) {
	path := datadir.File(t, agencyPanel)
	res, err := ReadAgencies(path)
	if err != nil {
		t.Fatal(err)
	}
	checkAgencyAccounting(t, res)
	if res.RowsRead != 2830 || res.RowsLoaded != 2788 || res.RowsSkipped != 42 {
		t.Errorf("rows read %d, loaded %d, skipped %d; want 2830 = 2788 + 42", res.RowsRead, res.RowsLoaded, res.RowsSkipped)
	}
	oris := map[string]int{}
	for _, r := range res.Records {
		oris[r.ORI]++
		if r.State == "" {
			t.Errorf("%s %d: no state", r.ORI, r.Year)
		}
	}
	if len(oris) != 68 {
		t.Errorf("%d agencies, want 68", len(oris))
	}
	for o, n := range oris {
		if n != 41 {
			t.Errorf("%s: %d years, want 41 (1975-2015)", o, n)
		}
	}
	reasons := map[string]int{}
	for _, a := range res.Audit {
		reasons[string(a.Action)+" "+a.Reason]++
	}
	// The file is consistent with itself: every published rate is its
	// count over the population, every violent total the sum of its four
	// offences, every name's state the ORI's. NA: 100 agency rows (68 of
	// them 2015's, which give no months reported; Louisville's 28 years
	// before the 2003 merger, no population or count); 53 rows report fewer
	// than 12 months, 18 of them 0 months with counts.
	want := map[string]int{"skipped header": 1, "skipped not_agency": 41, "flagged not_available": 100, "flagged partial_year": 53}
	if !maps.Equal(reasons, want) {
		t.Errorf("audit %v, want %v", reasons, want)
	}
	col := agencyYear(t, res, "OHCOP00", 2012)
	if col.Agency != "Columbus, Ohio" || col.State != "OH" || col.Counts[assay.Murder] != num(71) || col.Population != num(797384) {
		t.Errorf("Columbus 2012: %+v", *col)
	}
	for y := 1975; y <= 2015; y++ {
		agencyYear(t, res, "OHCOP00", y)
	}
	for _, tc := range []struct {
		ori  string
		year int
	}{{"KY05680", 1990}, {"OHCLP00", 2015}} {
		if r := agencyYear(t, res, tc.ori, tc.year); r.Counts[assay.Murder].Valid {
			t.Errorf("%s %d: murders %v, the file says NA", tc.ori, tc.year, r.Counts[assay.Murder])
		}
	}
}

func TestRNum(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want assay.Num
		bad  bool
	}{
		{"5e+05", num(500000), false},
		{"831.2", num(831.2), false},
		{" 12 ", num(12), false},
		{"NA", assay.Null, false},
		{"", assay.Null, false},
		{"-3", num(-3), false},
		{".5", num(0.5), false},
		{"1e999", assay.Null, true},
		{"Inf", assay.Null, true},
		{"0x10", assay.Null, true},
		{"1,000", assay.Null, true},
	} {
		got, err := rNum(tc.in)
		if got != tc.want || (err != nil) != tc.bad {
			t.Errorf("rNum(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.bad)
		}
	}
}
