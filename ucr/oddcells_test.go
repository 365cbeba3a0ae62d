package ucr

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/cellfuzz"
	"github.com/assaylab/assay/internal/xlsgrid"
	"github.com/assaylab/assay/internal/xlsgrid/xlsgridtest"
)

// fixtureGrid reads a CSV fixture into its cells.
func fixtureGrid(t testing.TB, path string) [][]string {
	t.Helper()
	g, _, err := readCSV(string(readFixture(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// insertRows returns a copy of g with rows inserted after row (1-based).
func insertRows(g [][]string, row int, rows ...[]string) [][]string {
	return slices.Insert(slices.Clone(g), row, rows...)
}

// TestTable6OddCells: one odd cell or row in an otherwise sound Table 6 is
// read as it can be, with an audit line of its own reason; the file still
// loads, every row is accounted for, and every other reason's count is
// that of the sound file.
func TestTable6OddCells(t *testing.T) {
	g := fixtureGrid(t, fixture2017)
	xlsGrid := gridOf(t, fixture2017)
	xlsWith := func(row, col int, v any) []byte { return xlsgridtest.XLS(cellfuzz.Set(xlsGrid, row, col, v)) }
	csvOf := func(g [][]string) []byte { return cellfuzz.CSV(t, g) }
	rec := func(res *Result, name string) *assay.CrimeRecord { return record(t, res, name) }
	tests := []struct {
		name  string
		file  []byte
		delta map[string]int
		check func(t *testing.T, res *Result)
	}{
		{"coverage as a percentage in an .xls of fractions", xlsWith(13, 2, 96.3), map[string]int{"flagged coverage_percent": 1},
			func(t *testing.T, res *Result) {
				if r := rec(res, "Birchmoor, OH"); r.Coverage != num(0.963) || r.Estimated[assay.Violent] != num(1850) {
					t.Errorf("coverage %v, estimate %v", r.Coverage, r.Estimated[assay.Violent])
				}
				if !hasFlag(res, 13, ReasonCoveragePercent, "coverage 96.3, a percentage") {
					t.Errorf("audit %v", res.Audit)
				}
			}},
		{"coverage as a bare percentage in a CSV", csvOf(cellfuzz.Set(g, 39, 2, "98.9")), map[string]int{"flagged coverage_percent": 1},
			func(t *testing.T, res *Result) {
				// Still seen as the swapped labels they are.
				if r := rec(res, "Foxglen, OR-WA"); r.Coverage != num(0.989) || r.Reported[assay.Violent] != num(6300) {
					t.Errorf("%+v", *r)
				}
			}},
		{"coverage above 100% even as a percentage", csvOf(cellfuzz.Set(g, 13, 2, "982")), map[string]int{"flagged coverage_out_of_range": 1},
			func(t *testing.T, res *Result) {
				if r := rec(res, "Birchmoor, OH"); r.Coverage.Valid || r.Reported[assay.Violent] != num(1800) {
					t.Errorf("%+v", *r)
				}
			}},
		{"negative coverage", csvOf(cellfuzz.Set(g, 8, 2, "-5%")), map[string]int{"flagged coverage_out_of_range": 1},
			func(t *testing.T, res *Result) {
				if r := rec(res, "Alderhaven, TX"); r.Coverage.Valid || r.Reported[assay.Murder] != num(7) {
					t.Errorf("%+v", *r)
				}
			}},
		{"letters in a count", csvOf(cellfuzz.Set(g, 8, 3, " 7x0 ")), map[string]int{"flagged unreadable_number": 1},
			func(t *testing.T, res *Result) {
				r := rec(res, "Alderhaven, TX")
				if r.Reported[assay.Violent].Valid || r.Reported[assay.Murder] != num(7) || r.Coverage != num(1) {
					t.Errorf("%+v", *r)
				}
				if !hasFlag(res, 8, ReasonUnreadableNumber, `Alderhaven, TX: column 4 (violent): " 7x0 " is not a number; left null`) {
					t.Errorf("audit %v", res.Audit)
				}
			}},
		{"footnote mark on a count", csvOf(cellfuzz.Set(g, 8, 4, "7*")), map[string]int{"flagged unreadable_number": 1},
			func(t *testing.T, res *Result) {
				if r := rec(res, "Alderhaven, TX"); r.Reported[assay.Murder].Valid || r.Reported[assay.Violent] != num(750) {
					t.Errorf("%+v", *r)
				}
			}},
		{"negative count", csvOf(cellfuzz.Set(g, 8, 3, "-750")), map[string]int{"flagged negative_count": 1},
			func(t *testing.T, res *Result) {
				if r := rec(res, "Alderhaven, TX"); r.Reported[assay.Violent].Valid {
					t.Errorf("%+v", *r)
				}
			}},
		{"negative city count", csvOf(cellfuzz.Set(g, 12, 4, "-35")), map[string]int{"flagged negative_count": 1},
			func(t *testing.T, res *Result) {
				c := findOne(t, res.Cities, "Birchmoor city", func(c *assay.CityRecord) bool { return c.Name == "Birchmoor" })
				if c.Counts[assay.Murder].Valid || c.Counts[assay.Violent] != num(1300) {
					t.Errorf("%+v", *c)
				}
			}},
		{"zero population", csvOf(cellfuzz.Set(g, 5, 2, "0")), map[string]int{"flagged nonpositive_population": 1},
			func(t *testing.T, res *Result) {
				if r := rec(res, "Alderhaven, TX"); r.Population.Valid || r.Rate[assay.Violent] != num(441.2) {
					t.Errorf("%+v", *r)
				}
			}},
		{"negative city population", csvOf(cellfuzz.Set(g, 7, 2, "-120,000")), map[string]int{"flagged nonpositive_population": 1},
			func(t *testing.T, res *Result) {
				if res.Cities[0].Population.Valid {
					t.Errorf("%+v", res.Cities[0])
				}
			}},
		{"negative rate", csvOf(cellfuzz.Set(g, 9, 3, "-441.2")), map[string]int{"flagged negative_rate": 1},
			func(t *testing.T, res *Result) {
				if r := rec(res, "Alderhaven, TX"); r.Rate[assay.Violent].Valid {
					t.Errorf("%+v", *r)
				}
				// A rate left null by the reader is not one the FBI suppressed.
				if !hasFlag(res, 9, ReasonSuppressed, "rate blank for property, burglary") || hasFlag(res, 9, ReasonSuppressed, "violent") {
					t.Errorf("audit %v", res.Audit)
				}
			}},
		{"huge count", csvOf(cellfuzz.Set(g, 8, 3, "99999999999999999999999")), map[string]int{"flagged rate_mismatch": 1},
			func(t *testing.T, res *Result) {
				if r := rec(res, "Alderhaven, TX"); r.Reported[assay.Violent] != num(1e23) {
					t.Errorf("%+v", *r)
				}
			}},
		{"no-break space around a count", csvOf(cellfuzz.Set(g, 8, 3, "\u00a0750\u00a0")), nil,
			func(t *testing.T, res *Result) {
				if r := rec(res, "Alderhaven, TX"); r.Reported[assay.Violent] != num(750) {
					t.Errorf("%+v", *r)
				}
			}},
		{"a value on a name row", csvOf(cellfuzz.Set(g, 5, 3, "12")), map[string]int{"flagged stray_value": 1},
			func(t *testing.T, res *Result) {
				if !hasFlag(res, 5, ReasonStrayValue, `name row of Alderhaven, TX carries violent "12"`) {
					t.Errorf("audit %v", res.Audit)
				}
			}},
		{"values without a label", csvOf(cellfuzz.Set(g, 12, 1, "")), map[string]int{"skipped unexpected_row": 1},
			func(t *testing.T, res *Result) {
				if len(res.Cities) != 5 {
					t.Errorf("%d cities", len(res.Cities))
				}
			}},
		{"a city below the totals", csvOf(insertRows(g, 13, cellfuzz.Set(g, 12, 1, "City of Latecomer")[11])), map[string]int{"flagged row_order": 1},
			func(t *testing.T, res *Result) {
				c := findOne(t, res.Cities, "Latecomer", func(c *assay.CityRecord) bool { return c.Name == "Latecomer" })
				if c.Area != "Birchmoor, OH" || c.Row != 14 || c.Population != num(190000) {
					t.Errorf("%+v", *c)
				}
			}},
		{"a second totals row", csvOf(insertRows(g, 8, g[7])), map[string]int{"skipped duplicate_row": 1}, nil},
		{"a name without its M.S.A. suffix", csvOf(cellfuzz.Set(g, 10, 0, "Birchmoor, OH")),
			map[string]int{"skipped unreadable_name": 1, "skipped unexpected_row": 5, "flagged footnote": -1},
			func(t *testing.T, res *Result) {
				if len(res.Records) != 7 {
					t.Errorf("%d records", len(res.Records))
				}
			}},
		{"M.D.s under an unreadable M.S.A. name", csvOf(cellfuzz.Set(g, 17, 0, "Cobalt City-Dunmore, PA-NJ")),
			map[string]int{"skipped unreadable_name": 1, "skipped unexpected_row": 5, "flagged row_order": 2, "flagged footnote": -2},
			func(t *testing.T, res *Result) {
				// Never the parent of the M.S.A. above.
				if r := rec(res, "Cobalt City, PA"); r.Parent != "" || r.Kind != assay.KindMD {
					t.Errorf("%+v", *r)
				}
			}},
		{"a block below the footnote legend", csvOf(append(slices.Clone(g), cellfuzz.Set(g, 42, 0, "Hollin, Puerto Rico M.S.A.")[41], g[42], g[43], g[44])),
			map[string]int{"flagged row_order": 1, "flagged suppressed": 1},
			func(t *testing.T, res *Result) {
				if r := rec(res, "Hollin, Puerto Rico"); r.Reported[assay.Murder] != num(25) {
					t.Errorf("%+v", *r)
				}
			}},
		{"a column Table 6 does not have", csvOf(cellfuzz.Set(cellfuzz.Set(g, 4, 12, "Notes"), 8, 12, "see p. 4")), map[string]int{"flagged ignored_column": 1}, nil},
		{"a stray quote", bytes.Replace(csvOf(g), []byte("City of Birchmoor,"), []byte(`City of Birch"moor,`), 1), map[string]int{"flagged lenient_quotes": 1},
			func(t *testing.T, res *Result) {
				findOne(t, res.Cities, `Birch"moor`, func(c *assay.CityRecord) bool { return c.Name == `Birch"moor` })
			}},
	}
	base := parseFixture(t, fixture2017, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ParseTable6(bytes.NewReader(tt.file), "odd.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkAccounting(t, res)
			if got, want := cellfuzz.Tally(res.Audit), cellfuzz.WithDelta(cellfuzz.Tally(base.Audit), tt.delta); !maps.Equal(got, want) {
				t.Errorf("audit reasons %v, want %v", got, want)
			}
			if tt.check != nil {
				tt.check(t, res)
			}
		})
	}
}

// TestTable6DamagedFiles: files the FBI never published but that happen
// (a copy cut short, a cell saved in another encoding) load what they hold.
func TestTable6DamagedFiles(t *testing.T) {
	cut := parseFixture(t, "testdata/bad/truncated_midblock.csv", Options{})
	checkAccounting(t, cut)
	if r := record(t, cut, "Birchmoor, OH"); r.Rate[assay.Violent].Valid || r.Estimated[assay.Violent] != num(1850) {
		t.Errorf("cut block: %+v", *r)
	}
	if !hasFlag(cut, 10, ReasonNoRateRow, `"Birchmoor, OH M.S.A" ends at the end of the file without its "Rate per 100,000 inhabitants" row`) {
		t.Errorf("audit %v", cut.Audit)
	}
	// A block cut short has no rates, and none is called suppressed.
	if hasFlag(cut, 10, ReasonSuppressed, "") {
		t.Errorf("audit %v", cut.Audit)
	}

	latin := parseFixture(t, "testdata/bad/latin1_2019.csv", Options{})
	checkAccounting(t, latin)
	record(t, latin, "Gallberrón, Puerto Rico")
	if !hasFlag(latin, 39, ReasonLatin1, `column 1 is not UTF-8 ("Gallberr\xf3n, Puerto Rico M.S.A."): read as Windows-1252, "Gallberrón, Puerto Rico M.S.A."`) {
		t.Errorf("audit %v", latin.Audit)
	}
	if strings.Contains(latin.Records[len(latin.Records)-1].PublishedName, "\xf3") {
		t.Error("invalid UTF-8 loaded")
	}
}

// TestNationalOddCells: one odd cell of a national series is audited and
// the file loads; other reasons keep the sound file's counts.
func TestNationalOddCells(t *testing.T) {
	rd := fixtureGrid(t, "testdata/national/rdatasets_like.csv")
	cius := ciusStateGrid()
	ciusWith := func(row, col int, v any) []byte { return xlsgridtest.XLS(cellfuzz.Set(cius, row, col, v)) }
	tests := []struct {
		name, file string // file: the name given to the reader, and so the base read
		b          []byte
		delta      map[string]int
		check      func(t *testing.T, res *NationalResult)
	}{
		{"letters in the population", "rd.csv", cellfuzz.CSV(t, cellfuzz.Set(rd, 2, 2, "12x")), map[string]int{"flagged unreadable_number": 1},
			func(t *testing.T, res *NationalResult) {
				r := natRecord(t, res, 2014)
				if r.Population.Valid || r.Rate[assay.Violent].Valid || r.Counts[assay.Violent] != num(820050) {
					t.Errorf("%+v", *r)
				}
				if !natFlag(res, 2, ReasonUnreadableNumber) {
					t.Errorf("audit %v", res.Audit)
				}
			}},
		{"negative murders", "rd.csv", cellfuzz.CSV(t, cellfuzz.Set(rd, 2, 6, "-10000")), map[string]int{"flagged negative_count": 1, "flagged violent_sum": -1},
			func(t *testing.T, res *NationalResult) {
				if r := natRecord(t, res, 2014); r.Counts[assay.Murder].Valid || r.Rate[assay.Murder].Valid {
					t.Errorf("%+v", *r)
				}
			}},
		{"zero population", "rd.csv", cellfuzz.CSV(t, cellfuzz.Set(rd, 3, 2, "0")), map[string]int{"flagged nonpositive_population": 1},
			func(t *testing.T, res *NationalResult) {
				if r := natRecord(t, res, 2015); r.Population.Valid || r.Rate[assay.Violent].Valid {
					t.Errorf("%+v", *r)
				}
			}},
		{"a year with a letter in a CIUS table", "cius_2016_2017.xls", ciusWith(6, 1, "20l6"), map[string]int{"skipped unreadable_year": 1, "flagged footnote": -1},
			func(t *testing.T, res *NationalResult) {
				if len(res.Records) != 1 || res.Records[0].Year != 2017 {
					t.Errorf("records %+v", res.Records)
				}
			}},
		{"a negative rate in a CIUS table", "cius_2016_2017.xls", ciusWith(7, 4, -423.6), map[string]int{"flagged negative_rate": 1},
			func(t *testing.T, res *NationalResult) {
				if r := natRecord(t, res, 2017); r.Rate[assay.Violent].Valid || r.Counts[assay.Violent] != num(860000) {
					t.Errorf("%+v", *r)
				}
			}},
	}
	base := map[string]*NationalResult{
		"rd.csv":             parseNationalFixture(t, "rd.csv", cellfuzz.CSV(t, rd)),
		"cius_2016_2017.xls": parseNationalFixture(t, "cius_2016_2017.xls", xlsgridtest.XLS(cius)),
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseNationalFixture(t, tt.file, tt.b)
			if got, want := cellfuzz.Tally(res.Audit), cellfuzz.WithDelta(cellfuzz.Tally(base[tt.file].Audit), tt.delta); !maps.Equal(got, want) {
				t.Errorf("audit reasons %v, want %v", got, want)
			}
			tt.check(t, res)
		})
	}
}

// TestAgenciesOddCells: one odd cell of the agency panel is audited and
// the file loads.
func TestAgenciesOddCells(t *testing.T) {
	g := fixtureGrid(t, agencyFixture)
	tests := []struct {
		name  string
		col   int // on row 5, Birchmoor 2010
		v     string
		delta map[string]int
		check func(r *assay.AgencyCrime) bool // nil: the row is not loaded
	}{
		{"a year with a letter", 1, "20x0", map[string]int{"skipped unreadable_year": 1}, nil},
		{"a count in words", 6, "one", map[string]int{"flagged unreadable_number": 1},
			func(r *assay.AgencyCrime) bool {
				return !r.Counts[assay.Robbery].Valid && r.Counts[assay.Murder] == num(40)
			}},
		{"thousands separators", 3, "500,000", map[string]int{"flagged unreadable_number": 1},
			func(r *assay.AgencyCrime) bool { return !r.Population.Valid && r.Rate[assay.Murder] == num(8) }},
		{"a negative count", 4, "-40", map[string]int{"flagged negative_count": 1},
			func(r *assay.AgencyCrime) bool { return !r.Counts[assay.Murder].Valid }},
		{"a zero population", 3, "0", map[string]int{"flagged nonpositive_population": 1},
			func(r *assay.AgencyCrime) bool { return !r.Population.Valid }},
		{"a negative rate", 11, "-8.0", map[string]int{"flagged negative_rate": 1},
			func(r *assay.AgencyCrime) bool { return !r.Rate[assay.Murder].Valid }},
		{"thirteen months", 9, "13", map[string]int{"flagged months_out_of_range": 1},
			func(r *assay.AgencyCrime) bool {
				return !r.MonthsReported.Valid && r.Counts[assay.Violent] == num(2500)
			}},
	}
	base := parseAgencies(t, cellfuzz.CSV(t, g))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseAgencies(t, cellfuzz.CSV(t, cellfuzz.Set(g, 5, tt.col, tt.v)))
			if got, want := cellfuzz.Tally(res.Audit), cellfuzz.WithDelta(cellfuzz.Tally(base.Audit), tt.delta); !maps.Equal(got, want) {
				t.Errorf("audit reasons %v, want %v", got, want)
			}
			var r *assay.AgencyCrime
			for i := range res.Records {
				if res.Records[i].Row == 5 {
					r = &res.Records[i]
				}
			}
			switch {
			case tt.check == nil && r != nil:
				t.Errorf("row 5 loaded: %+v", *r)
			case tt.check != nil && (r == nil || !tt.check(r)):
				t.Errorf("row 5: %+v", r)
			}
		})
	}
}

// spreadsheetCells stores the cell texts as a spreadsheet would: numbers
// as numbers (a percentage as its fraction), other text valid UTF-8.
func spreadsheetCells(g [][]string) [][]any {
	out := make([][]any, len(g))
	for i, r := range g {
		out[i] = make([]any, len(r))
		for j, c := range r {
			switch v, err := parseNum(c); {
			case err == nil && v.Valid:
				out[i][j] = v.V
			case c != "":
				out[i][j] = strings.ToValidUTF8(c, "\uFFFD")
			}
		}
	}
	return out
}

// checkPossible asserts that no impossible value loads.
func checkPossible(t *testing.T, res *Result) {
	t.Helper()
	msas := map[string]bool{}
	for _, r := range res.Records {
		if r.Kind == assay.KindMSA {
			msas[r.Name] = true
		}
		if c := r.Coverage; c.Valid && (c.V < 0 || c.V > 1) {
			t.Errorf("%s row %d: coverage %v", r.Name, r.Row, c)
		}
		if p := r.Population; p.Valid && p.V <= 0 {
			t.Errorf("%s row %d: population %v", r.Name, r.Row, p)
		}
		for o := range assay.NumOffenses {
			for _, v := range []assay.Num{r.Reported[o], r.Estimated[o], r.Rate[o]} {
				if v.Valid && v.V < 0 {
					t.Errorf("%s row %d: %s %v", r.Name, r.Row, o, v)
				}
			}
		}
		if r.Kind == assay.KindMD && r.Parent != "" && !msas[r.Parent] {
			t.Errorf("M.D. %s row %d: parent %q read before it", r.Name, r.Row, r.Parent)
		}
	}
	for _, c := range res.Cities {
		if p := c.Population; p.Valid && p.V <= 0 {
			t.Errorf("city %s row %d: population %v", c.Name, c.Row, p)
		}
		for o, v := range c.Counts {
			if v.Valid && v.V < 0 {
				t.Errorf("city %s row %d: %s %v", c.Name, c.Row, assay.Offense(o), v)
			}
		}
	}
}

// FuzzTable6Cells changes one cell below the header of a Table 6 in each
// of the FBI's layouts: the file must load, every row accounted for, and
// nothing impossible loaded.
func FuzzTable6Cells(f *testing.F) {
	g17, g19 := fixtureGrid(f, fixture2017), fixtureGrid(f, fixture2019)
	layouts := []cellfuzz.Layout{
		{Grid: g17, Header: 4, Name: "fuzz_2017.csv", Encode: cellfuzz.CSV},
		{Grid: g19, Header: 1, Name: "fuzz_2019.csv", Encode: cellfuzz.CSV},
		{Grid: g17, Header: 4, Name: "fuzz_2017.xls", Encode: func(_ testing.TB, g [][]string) []byte { return xlsgridtest.XLS(spreadsheetCells(g)) }},
		{Grid: g17, Header: 4, Name: "fuzz_2017.xlsx", Encode: func(t testing.TB, g [][]string) []byte { return xlsxOf(t, spreadsheetCells(g)) }},
	}
	for k := range cellfuzz.NumKinds {
		f.Add(uint8(0), uint16(8), uint8(2), uint8(k), "")  // a coverage cell
		f.Add(uint8(2), uint16(12), uint8(3), uint8(k), "") // a count in the .xls
		f.Add(uint8(1), uint16(5), uint8(0), uint8(k), "")  // a name in the 2019 export
	}
	f.Add(uint8(3), uint16(9), uint8(2), uint8(cellfuzz.Percent), "")
	f.Add(uint8(0), uint16(44), uint8(0), uint8(cellfuzz.Payload), "Hollin, PR M.S.A.")
	f.Fuzz(func(t *testing.T, layout uint8, row uint16, col uint8, kind uint8, payload string) {
		l := layouts[int(layout)%len(layouts)]
		res, err := ParseTable6(bytes.NewReader(l.Mutate(t, row, col, kind, payload)), l.Name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkAccounting(t, res)
		checkPossible(t, res)
	})
}

// FuzzNationalCells changes one cell below the header of a national
// series in each layout: the file must load, every row accounted for, and
// nothing impossible loaded.
func FuzzNationalCells(f *testing.F) {
	cius, err := xlsgrid.ReadXLS(xlsgridtest.XLS(ciusStateGrid()))
	if err != nil {
		f.Fatal(err)
	}
	layouts := []cellfuzz.Layout{
		{Grid: fixtureGrid(f, "testdata/national/rdatasets_like.csv"), Header: 1, Name: "rdatasets.csv", Encode: cellfuzz.CSV},
		{Grid: fixtureGrid(f, "testdata/national/marshall_like.csv"), Header: 1, Name: "marshall.csv", Encode: cellfuzz.CSV},
		{Grid: fixtureGrid(f, "testdata/national/ucr_online_like.csv"), Header: 10, Name: "ucr_online.csv", Encode: cellfuzz.CSV},
		{Grid: cius, Header: 5, Name: "cius.xls", Encode: func(_ testing.TB, g [][]string) []byte { return xlsgridtest.XLS(spreadsheetCells(g)) }},
	}
	for k := range cellfuzz.NumKinds {
		f.Add(uint8(0), uint16(0), uint8(2), uint8(k), "")
		f.Add(uint8(3), uint16(0), uint8(0), uint8(k), "")
	}
	f.Fuzz(func(t *testing.T, layout uint8, row uint16, col uint8, kind uint8, payload string) {
		l := layouts[int(layout)%len(layouts)]
		res, err := ParseNational(bytes.NewReader(l.Mutate(t, row, col, kind, payload)), l.Name)
		if err != nil {
			t.Fatal(err)
		}
		checkNationalAccounting(t, res)
		for _, r := range res.Records {
			if r.Population.Valid && r.Population.V <= 0 {
				t.Errorf("%d row %d: population %v", r.Year, r.Row, r.Population)
			}
			for o := range assay.NumOffenses {
				if r.Counts[o].Valid && r.Counts[o].V < 0 || r.Rate[o].Valid && r.Rate[o].V < 0 {
					t.Errorf("%d row %d: %s %v, rate %v", r.Year, r.Row, o, r.Counts[o], r.Rate[o])
				}
			}
		}
	})
}

// FuzzAgencyCells changes one cell below the header of the agency panel.
func FuzzAgencyCells(f *testing.F) {
	l := cellfuzz.Layout{Grid: fixtureGrid(f, agencyFixture), Header: 1, Name: "panel.csv", Encode: cellfuzz.CSV}
	for k := range cellfuzz.NumKinds {
		f.Add(uint16(3), uint8(3), uint8(k), "")
		f.Add(uint16(3), uint8(1), uint8(k), "")
	}
	f.Fuzz(func(t *testing.T, row uint16, col uint8, kind uint8, payload string) {
		res, err := ParseAgencies(bytes.NewReader(l.Mutate(t, row, col, kind, payload)), l.Name)
		if err != nil {
			t.Fatal(err)
		}
		checkAgencyAccounting(t, res)
		for _, r := range res.Records {
			if r.Population.Valid && r.Population.V <= 0 || r.MonthsReported.Valid && (r.MonthsReported.V < 0 || r.MonthsReported.V > 12) {
				t.Errorf("row %d: population %v, months %v", r.Row, r.Population, r.MonthsReported)
			}
			for o := range assay.NumViolentOffenses {
				if r.Counts[o].Valid && r.Counts[o].V < 0 || r.Rate[o].Valid && r.Rate[o].V < 0 {
					t.Errorf("row %d: %s %v, rate %v", r.Row, o, r.Counts[o], r.Rate[o])
				}
			}
		}
	})
}
