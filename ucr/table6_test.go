package ucr

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/cellfuzz"
	"github.com/assaylab/assay/internal/xlsgrid/xlsgridtest"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The fixtures in testdata are SYNTHETIC (invented areas and numbers,
// written by testdata/make_fixtures.py) in the layouts of the FBI's files.
const (
	fixture2017 = "testdata/table6_2017_layout.csv" // CSV save of the .xls, title rows, padded numbers
	fixture2019 = "testdata/table6_2019_export.csv" // the FBI's 2019 CSV export: BOM, no title rows
)

func readFixture(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseFixture(t testing.TB, path string, opt Options) *Result {
	t.Helper()
	res, err := ParseTable6(bytes.NewReader(readFixture(t, path)), filepath.Base(path), opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// checkAccounting asserts the audit's promise: every row read is loaded or
// skipped, and every skipped row has its own audit entry.
func checkAccounting(t testing.TB, res *Result) {
	t.Helper()
	cellfuzz.CheckRows(t, res.Audit, res.RowsRead, res.RowsLoaded, res.RowsSkipped, res.RowsRead)
}

// findOne returns the first item that matches, failing the test if none does.
func findOne[T any](t testing.TB, items []T, what string, match func(*T) bool) *T {
	t.Helper()
	for i := range items {
		if match(&items[i]) {
			return &items[i]
		}
	}
	t.Fatalf("no %s", what)
	return nil
}

func record(t testing.TB, res *Result, name string) *assay.CrimeRecord {
	t.Helper()
	return findOne(t, res.Records, "record "+name, func(r *assay.CrimeRecord) bool { return r.Name == name })
}

func hasFlag(res *Result, row int, reason, detailPart string) bool {
	for _, a := range res.Audit {
		if a.Action == assay.Flagged && a.Row == row && a.Reason == reason && strings.Contains(a.Detail, detailPart) {
			return true
		}
	}
	return false
}

func num(v float64) assay.Num { return assay.Some(v) }

func TestTable6Golden(t *testing.T) {
	for _, path := range []string{fixture2017, fixture2019} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			res := parseFixture(t, path, Options{})
			checkAccounting(t, res)
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(filepath.Base(path), ".csv")+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want := readFixture(t, golden)
			if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
				t.Errorf("result differs from %s (run go test -update to rewrite it after checking the change)", golden)
			}
		})
	}
}

// TestTable6Quirks pins, on the fixtures, each layout quirk the reader must
// handle, independently of the golden files.
func TestTable6Quirks(t *testing.T) {
	res := parseFixture(t, fixture2017, Options{})
	if res.Year != 2017 || res.Table != "Table 6" || res.Format != "csv" {
		t.Errorf("year %d, table %q, format %q", res.Year, res.Table, res.Format)
	}
	tests := []struct {
		name  string
		check func(r *assay.CrimeRecord) bool
	}{
		{"Alderhaven, TX", func(r *assay.CrimeRecord) bool {
			return r.PublishedName == "Alderhaven, TX M.S.A.2, 5" && r.Kind == assay.KindMSA &&
				reflect.DeepEqual(r.Footnotes, []string{"2", "5"}) && reflect.DeepEqual(r.States, []string{"TX"}) &&
				r.Counties == "Includes Brackwood, Fennel, and Quill Counties" &&
				r.Population == num(170000) && r.Coverage == num(1) && r.Reported[assay.Violent] == num(750) &&
				!r.Estimated[assay.Violent].Valid && !r.Rate[assay.Property].Valid && !r.Rate[assay.Burglary].Valid &&
				r.Rate[assay.Violent] == num(441.2) && r.RapeDefinition == assay.RapeRevised && r.Row == 5
		}},
		{"Birchmoor, OH", func(r *assay.CrimeRecord) bool { // "M.S.A" without the final period
			return r.Kind == assay.KindMSA && r.Coverage == num(0.963) && r.Reported[assay.Violent] == num(1800) &&
				r.Estimated[assay.Violent] == num(1850) && r.Count(assay.Violent) == num(1850) && r.Rate[assay.Property] == num(2538.5)
		}},
		{"Cobalt City-Dunmore, PA-NJ", func(r *assay.CrimeRecord) bool {
			return reflect.DeepEqual(r.Footnotes, []string{"2", "3"}) && r.Parent == "" &&
				reflect.DeepEqual(r.States, []string{"PA", "NJ"})
		}},
		{"Dunmore, NJ", func(r *assay.CrimeRecord) bool {
			return r.Kind == assay.KindMD && r.Parent == "Cobalt City-Dunmore, PA-NJ" && r.PublishedName == "Dunmore, NJ M.D.4" &&
				r.Counties == "Includes Dunmore and Prince Ferdinand's Counties"
		}},
		{"Elmstead, MN-WI", func(r *assay.CrimeRecord) bool { // only an "Estimated total" row
			return !r.Reported[assay.Violent].Valid && !r.Coverage.Valid && r.Estimated[assay.Violent] == num(2400)
		}},
		{"Foxglen, OR-WA", func(r *assay.CrimeRecord) bool { // labels exchanged
			return r.Coverage == num(0.989) && r.Reported[assay.Violent] == num(6300) && r.Estimated[assay.Violent] == num(6350)
		}},
		{"Gallberry, Puerto Rico", func(r *assay.CrimeRecord) bool {
			return reflect.DeepEqual(r.States, []string{"PR"}) && r.Counties == "Includes Gallberry and Hollin Municipios" &&
				!r.Rate[assay.Violent].Valid && !r.Rate[assay.Rape].Valid && r.Rate[assay.Murder] == num(20.8)
		}},
	}
	for _, tt := range tests {
		if r := record(t, res, tt.name); !tt.check(r) {
			t.Errorf("%s: %+v", tt.name, *r)
		}
	}
	flags := []struct {
		row           int
		reason, about string
	}{
		{5, ReasonFootnote, "2: Because of changes"},
		{6, ReasonFootnote, "Includes line of Alderhaven, TX — 2: "},
		{7, ReasonFootnote, "city Alderhaven in Alderhaven, TX"},
		{9, ReasonSuppressed, "rate blank for property, burglary"},
		{34, ReasonNoReportedRow, "Elmstead, MN-WI"},
		{36, ReasonLabelsSwapped, "Foxglen, OR-WA"},
		{45, ReasonSuppressed, "violent, rape"},
	}
	for _, f := range flags {
		if !hasFlag(res, f.row, f.reason, f.about) {
			t.Errorf("no %s flag on row %d about %q", f.reason, f.row, f.about)
		}
	}
	if len(res.Cities) != 6 || res.Cities[0].Name != "Alderhaven" || !reflect.DeepEqual(res.Cities[0].Footnotes, []string{"2", "5"}) ||
		res.Cities[0].Population != num(120000) || res.Cities[0].Counts[assay.Property].Valid || res.Cities[0].Area != "Alderhaven, TX" {
		t.Errorf("cities: %+v", res.Cities)
	}

	exp := parseFixture(t, fixture2019, Options{})
	if exp.Year != 2019 || exp.Table != "" {
		t.Errorf("2019 export: year %d (from the file name), table %q", exp.Year, exp.Table)
	}
	dc := record(t, exp, "Cobalt City-Dunmore, DC-VA-MD-WV")
	if !reflect.DeepEqual(dc.States, []string{"DC", "VA", "MD", "WV"}) || !reflect.DeepEqual(dc.Footnotes, []string{"5", "2", "3"}) {
		t.Errorf("digits inside the state part: %+v", *dc)
	}
	if md := record(t, exp, "Dunmore, NJ"); md.Parent != dc.Name {
		t.Errorf("M.D. parent %q", md.Parent)
	}
	checkAccounting(t, exp)
}

// TestTable6Year covers where the year comes from, and the rape heading
// and footnote checked against the year's definition.
func TestTable6Year(t *testing.T) {
	export := readFixture(t, fixture2019)
	tests := []struct {
		name     string
		b        []byte
		opt      Options
		year     int
		def      assay.RapeDefinition
		reason   string // a flag expected on the header or title row
		contains string
	}{
		{"t6_2016.csv", readFixture(t, fixture2017), Options{}, 2017, assay.RapeRevised, ReasonYearMismatch, "file name says 2016, title says 2017"},
		{"export.csv", export, Options{Year: 2019}, 2019, assay.RapeRevised, "", ""},
		{"t6.csv", bytes.Replace(readFixture(t, fixture2017), []byte(",Rape1,"), []byte(",Forcible rape,"), 1), Options{}, 2017, assay.RapeLegacy, ReasonRapeDefinition, "says legacy, the year 2017 implies revised"},
		{"export.csv", export, Options{Year: 2014}, 2014, assay.RapeRevised, ReasonRapeDefinition, "says revised, the year 2014 implies mixed"},
		{"export.csv", export, Options{Year: 2010}, 2010, assay.RapeRevised, ReasonRapeDefinition, "says revised, the year 2010 implies legacy"},
		{"export.csv", bytes.Replace(export, []byte(",Rape1,"), []byte(",Rape,"), 1), Options{Year: 2010}, 2010, assay.RapeLegacy, ReasonRapeDefinition, `is not headed "Forcible rape"`},
	}
	for _, tt := range tests {
		res, err := ParseTable6(bytes.NewReader(tt.b), tt.name, tt.opt)
		if err != nil {
			t.Fatal(err)
		}
		if res.Year != tt.year || res.Records[0].Year != tt.year || res.Records[0].RapeDefinition != tt.def {
			t.Errorf("%s %+v: year %d, record year %d, rape %s", tt.name, tt.opt, res.Year, res.Records[0].Year, res.Records[0].RapeDefinition)
		}
		var flags []assay.AuditEntry
		for _, a := range res.Audit {
			if a.Reason == ReasonYearMismatch || a.Reason == ReasonRapeDefinition {
				flags = append(flags, a)
			}
		}
		switch {
		case tt.reason == "" && len(flags) > 0:
			t.Errorf("%s %+v: unexpected %v", tt.name, tt.opt, flags)
		case tt.reason != "" && (len(flags) != 1 || flags[0].Reason != tt.reason || !strings.Contains(flags[0].Detail, tt.contains)):
			t.Errorf("%s %+v: flags %v, want one %s about %q", tt.name, tt.opt, flags, tt.reason, tt.contains)
		}
	}
}

// gridOf reads a CSV fixture into cells as a spreadsheet holds them:
// numbers as numbers (a percentage as its fraction), the rest as text.
func gridOf(t testing.TB, path string) [][]any {
	t.Helper()
	return spreadsheetCells(fixtureGrid(t, path))
}

func xlsxOf(t testing.TB, g [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range g {
		for j, v := range r {
			if v == nil {
				continue
			}
			name, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue("Sheet1", name, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withoutSource blanks what legitimately differs between two formats of
// one table: the source name and the sniffed format.
func withoutSource(r *Result) *Result {
	c := *r
	c.Format = ""
	c.Records = append([]assay.CrimeRecord(nil), r.Records...)
	for i := range c.Records {
		c.Records[i].Source = ""
	}
	c.Cities = append([]assay.CityRecord(nil), r.Cities...)
	for i := range c.Cities {
		c.Cities[i].Source = ""
	}
	c.Audit = append([]assay.AuditEntry(nil), r.Audit...)
	for i := range c.Audit {
		c.Audit[i].Source = ""
	}
	return &c
}

// TestTable6FormatsAgree reads one fixture table as CSV, .xls and .xlsx:
// the records must be identical but for the source name.
func TestTable6FormatsAgree(t *testing.T) {
	csvRes := parseFixture(t, fixture2017, Options{})
	g := gridOf(t, fixture2017)
	for _, tc := range []struct {
		format string
		b      []byte
	}{{"xls", xlsgridtest.XLS(g)}, {"xlsx", xlsxOf(t, g)}} {
		t.Run(tc.format, func(t *testing.T) {
			res, err := ParseTable6(bytes.NewReader(tc.b), "fixture.bin", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != tc.format {
				t.Errorf("sniffed %q", res.Format)
			}
			if a, b := withoutSource(csvRes), withoutSource(res); !reflect.DeepEqual(a, b) {
				ja, _ := json.Marshal(a)
				jb, _ := json.Marshal(b)
				t.Errorf("%s differs from CSV:\n%s\n%s", tc.format, ja, jb)
			}
		})
	}
}

// TestTable6ReorderedColumns: columns are found by their headings, so a
// layout that moves them reads the same.
func TestTable6ReorderedColumns(t *testing.T) {
	rows, _, err := readCSV(string(readFixture(t, fixture2017)))
	if err != nil {
		t.Fatal(err)
	}
	order := []int{3, 1, 11, 0, 2, 10, 9, 8, 7, 6, 5, 4}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, r := range rows {
		out := make([]string, len(order))
		for k, j := range order {
			out[k] = cell(r, j)
		}
		if err := w.Write(out); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	res, err := ParseTable6(&buf, "moved.csv", Options{Year: 2017})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := withoutSource(parseFixture(t, fixture2017, Options{})), withoutSource(res); !reflect.DeepEqual(a, b) {
		t.Errorf("reordered columns read differently:\n%+v\n%+v", a.Records[0], b.Records[0])
	}
}

func TestTable6BadInput(t *testing.T) {
	good := readFixture(t, fixture2017)
	xls := xlsgridtest.XLS(gridOf(t, fixture2017))
	xlsx := xlsxOf(t, gridOf(t, fixture2017))
	file := func(p string) []byte { return readFixture(t, filepath.Join("testdata", p)) }
	tests := []struct {
		name string // as given to ParseTable6
		b    []byte
		opt  Options
		want []string
	}{
		{"cut_2017.xlsx", xlsx[:len(xlsx)/2], Options{}, []string{"table6 cut_2017.xlsx: read as xlsx", "damaged .xlsx"}},
		{"cut_2017.xls", xls[:len(xls)-600], Options{}, []string{"table6 cut_2017.xls: read as xls"}},
		{"national_series.csv", file("bad/national_series.csv"), Options{},
			[]string{"table6 national_series.csv", "not a Table 6 file", "Metropolitan Statistical Area, Counties/principal cities"}},
		{"omb_delineation.csv", file("bad/omb_delineation.csv"), Options{}, []string{"not a Table 6 file"}},
		{"table8_city_2017.csv", file("bad/table8_city.csv"), Options{}, []string{"not a Table 6 file"}},
		{"other_2017.xls", xlsgridtest.XLS([][]any{{"Table 8"}, {"State", "City"}}), Options{}, []string{"table6 other_2017.xls", "not a Table 6 file"}},
		{"empty.csv", file("bad/empty.csv"), Options{}, []string{"table6 empty.csv", "empty file"}},
		{"t6.csv", good, Options{Year: 2016, Source: "ucr/t6.csv"}, []string{"table6 ucr/t6.csv", "row 3", "year 2016 given, but the title says 2017"}},
		{"export.csv", readFixture(t, fixture2019), Options{}, []string{"table6 export.csv", "no year", "--year"}},
		{"twice_2017.csv", bytes.Replace(good, []byte(",Robbery,"), []byte(",Burglary,"), 1), Options{}, []string{"table6 twice_2017.csv", "row 4", `column heading "burglary" twice (columns 7 and 10)`}},
		{"unclosed_2017.csv", append(slices.Clone(good), `,"City of Nowhere,1`...), Options{}, []string{"table6 unclosed_2017.csv", "read as csv", "malformed CSV", "extraneous or missing \" in quoted-field"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ParseTable6(bytes.NewReader(tt.b), tt.name, tt.opt)
			if err == nil {
				t.Fatalf("no error; read %d records", len(res.Records))
			}
			t.Log(err)
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestParseNum(t *testing.T) {
	tests := []struct {
		in   string
		want assay.Num
		bad  bool
	}{
		{"", assay.Null, false},
		{"  ", assay.Null, false},
		{`1,575.1`, num(1575.1), false},
		{" 5,380 ", num(5380), false},
		{"93.9%", num(0.939), false},
		{"100.0%", num(1), false},
		{"0.93899999999999995", num(0.939), false},
		{"1e5", assay.Null, true},
		{"NaN", assay.Null, true},
		{"n/a", assay.Null, true},
		{"%", assay.Null, true},
	}
	for _, tt := range tests {
		got, err := parseNum(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("parseNum(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func TestParseAreaName(t *testing.T) {
	tests := []struct {
		in        string
		kind      assay.AreaKind
		clean     string
		states    []string
		footnotes []string
	}{
		{"Abilene, TX M.S.A.1", assay.KindMSA, "Abilene, TX", []string{"TX"}, []string{"1"}},
		{"Houston-The Woodlands-Sugar Land, TX M.S.A.2, 5", assay.KindMSA, "Houston-The Woodlands-Sugar Land, TX", []string{"TX"}, []string{"2", "5"}},
		{"Duluth, MN-WI M.S.A.1,3", assay.KindMSA, "Duluth, MN-WI", []string{"MN", "WI"}, []string{"1", "3"}},
		{"Auburn-Opelika, AL M.S.A", assay.KindMSA, "Auburn-Opelika, AL", []string{"AL"}, nil},
		{"Abilene, TX M. S. A.", assay.KindMSA, "Abilene, TX", []string{"TX"}, nil},
		{"Gainesville, FL1 M. S. A.", assay.KindMSA, "Gainesville, FL", []string{"FL"}, []string{"1"}},
		{"Washington-Arlington-Alexandria, DC-VA-MD1-WV M.S.A.", assay.KindMSA, "Washington-Arlington-Alexandria, DC-VA-MD-WV", []string{"DC", "VA", "MD", "WV"}, []string{"1"}},
		{"    Dallas-Plano-Irving, TX M. D.", assay.KindMD, "Dallas-Plano-Irving, TX", []string{"TX"}, nil},
		{"Bethesda-Gaithersburg-Frederick, MD M.D.1", assay.KindMD, "Bethesda-Gaithersburg-Frederick, MD", []string{"MD"}, []string{"1"}},
		{"Texarkana, TX-Texarkana, AR M.S.A.", assay.KindMSA, "Texarkana, TX-Texarkana, AR", []string{"TX", "AR"}, nil},
		{"San Juan-Carolina-Caguas, Puerto Rico M.S.A.", assay.KindMSA, "San Juan-Carolina-Caguas, Puerto Rico", []string{"PR"}, nil},
		{"Farmington, NM M.S.A.  ", assay.KindMSA, "Farmington, NM", []string{"NM"}, nil},
	}
	for _, tt := range tests {
		n, ok := parseAreaName(tt.in)
		if !ok || n.kind != tt.kind || n.clean != tt.clean || !reflect.DeepEqual(n.states, tt.states) || !reflect.DeepEqual(n.footnotes, tt.footnotes) {
			t.Errorf("parseAreaName(%q) = %+v, %v", tt.in, n, ok)
		}
	}
	for _, in := range []string{"1 Because of changes in reporting practices", "Metropolitan Statistical Area", "NOTE: arson", " M.S.A."} {
		if n, ok := parseAreaName(in); ok {
			t.Errorf("parseAreaName(%q) = %+v, want not a name", in, n)
		}
	}
}

func TestCleanNames(t *testing.T) {
	counties := []struct{ in, clean, markers string }{
		{"Includes Callahan,1 Jones, and Taylor Counties", "Includes Callahan, Jones, and Taylor Counties", "1"},
		{"Includes Portage4 and Summit Counties", "Includes Portage and Summit Counties", "4"},
		{"Includes Calvert, Charles, and Prince George's1 Counties, MD", "Includes Calvert, Charles, and Prince George's Counties, MD", "1"},
		{"Includes Anoka, Carver, Chisago, Dakota, Hennepin, Isanti, Ramsey, Scott, Sherburne, Washington, and Wright Counties, MN4, 5 and Pierce County, WI", "Includes Anoka, Carver, Chisago, Dakota, Hennepin, Isanti, Ramsey, Scott, Sherburne, Washington, and Wright Counties, MN and Pierce County, WI", "4 5"},
		{"Includes Guanica, Guayanilla, Penuelas, and \nYauco Municipios", "Includes Guanica, Guayanilla, Penuelas, and Yauco Municipios", ""},
	}
	for _, c := range counties {
		clean, fn := cleanCounties(c.in)
		if clean != c.clean || strings.Join(fn, " ") != c.markers {
			t.Errorf("cleanCounties(%q) = %q, %q", c.in, clean, fn)
		}
	}
	cities := []struct{ in, name, markers string }{
		{"City of Abilene2, 3", "Abilene", "2 3"},
		{"City of Bethlehem, PA3", "Bethlehem, PA", "3"},
		{"City of Washington, D.C. ", "Washington, D.C.", ""},
		{"Texarkana, TX ", "Texarkana, TX", ""},
		{"City of San Angelo ", "San Angelo", ""},
	}
	for _, c := range cities {
		name, fn := parseCityName(c.in)
		if name != c.name || strings.Join(fn, " ") != c.markers {
			t.Errorf("parseCityName(%q) = %q, %q", c.in, name, fn)
		}
	}
}

func FuzzParseTable6CSV(f *testing.F) {
	for _, p := range []string{fixture2017, fixture2019, "testdata/bad/truncated_midblock.csv", "testdata/bad/national_series.csv"} {
		f.Add(readFixture(f, p))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if bytes.HasPrefix(b, []byte("PK")) || bytes.HasPrefix(b, []byte{0xD0, 0xCF}) {
			return // the spreadsheet paths have their own fuzz targets
		}
		res, err := ParseTable6(bytes.NewReader(b), "fuzz_2017.csv", Options{})
		if err != nil {
			return
		}
		checkAccounting(t, res)
	})
}

func FuzzParseTable6XLS(f *testing.F) {
	f.Add(xlsgridtest.XLS(gridOf(f, fixture2019)))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseTable6(bytes.NewReader(b), "fuzz_2019.xls", Options{})
		if err != nil {
			return
		}
		checkAccounting(t, res)
	})
}

// csvRows counts the records of a CSV file independently of the reader.
func csvRows(t testing.TB, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}
