package cbsa

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/cellfuzz"
	"github.com/assaylab/assay/internal/csvgrid"
	"github.com/assaylab/assay/internal/xlsgrid"
	"github.com/assaylab/assay/internal/xlsgrid/xlsgridtest"
)

// synthGrid is the SYNTHETIC delineation as cells: header on row 1, the
// five county rows on rows 2-6.
func synthGrid(t testing.TB) [][]string {
	t.Helper()
	rows, _, _, err := csvgrid.ReadAll(synthHeader + synthRows)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func cbsaOf(t *testing.T, d *assay.Delineation, code string) *assay.CBSA {
	t.Helper()
	for i := range d.CBSAs {
		if d.CBSAs[i].Code == code {
			return &d.CBSAs[i]
		}
	}
	t.Fatalf("no CBSA %s", code)
	return nil
}

func countyNames(c *assay.CBSA) string {
	var n []string
	for _, k := range c.Counties {
		n = append(n, k.Name)
	}
	return strings.Join(n, ", ")
}

// TestParseDelineationOddRows: one odd field of a delineation is flagged
// and left empty, or its row skipped when the county cannot be placed; the
// file still loads, and every other reason keeps its count.
func TestParseDelineationOddRows(t *testing.T) {
	g := synthGrid(t)
	set := func(row, col int, v string) []byte { return cellfuzz.CSV(t, cellfuzz.Set(g, row, col, v)) }
	tests := []struct {
		name  string
		data  []byte
		delta map[string]int // change from the sound file's audit
		check func(t *testing.T, d *assay.Delineation)
	}{
		{"a CBSA code with a letter", set(2, 0, "9001x"), map[string]int{"skipped unexpected_row": 1},
			func(t *testing.T, d *assay.Delineation) {
				if c := cbsaOf(t, d, "90010"); countyNames(c) != "South County" || c.Title != "Alphaville, ZZ" {
					t.Errorf("%+v", *c)
				}
			}},
		{"an unknown kind", set(2, 4, "Metro"), map[string]int{"flagged unreadable_value": 1},
			func(t *testing.T, d *assay.Delineation) {
				if c := cbsaOf(t, d, "90010"); !c.Metro || len(c.Counties) != 2 {
					t.Errorf("kind not taken from the other row: %+v", *c)
				}
			}},
		{"letters in a state code", set(2, 9, "ZZ"), map[string]int{"skipped unreadable_fips": 1},
			func(t *testing.T, d *assay.Delineation) {
				if c := cbsaOf(t, d, "90010"); countyNames(c) != "South County" {
					t.Errorf("%+v", *c)
				}
			}},
		{"a four-digit county code", set(2, 10, "0001"), map[string]int{"skipped unreadable_fips": 1}, nil},
		{"neither central nor outlying", set(2, 11, "Core"), map[string]int{"flagged unreadable_value": 1},
			func(t *testing.T, d *assay.Delineation) {
				if k := cbsaOf(t, d, "90010").Counties[0]; k.Central || k.FIPS != "09001" {
					t.Errorf("%+v", k)
				}
			}},
		{"a division without its title", set(2, 1, "90014"), map[string]int{"flagged unreadable_value": 1},
			func(t *testing.T, d *assay.Delineation) {
				if c := cbsaOf(t, d, "90010"); c.Counties[0].Division != "" || c.Divisions != nil {
					t.Errorf("%+v", *c)
				}
			}},
		{"a two-digit CSA", set(2, 2, "12"), map[string]int{"flagged unreadable_value": 1},
			func(t *testing.T, d *assay.Delineation) {
				if c := cbsaOf(t, d, "90010"); c.CSA != "901" || c.CSATitle != "Alphaville-Beta, ZZ" {
					t.Errorf("CSA not taken from the other row: %+v", *c)
				}
			}},
		{"an empty title", set(2, 3, ""), map[string]int{"flagged unreadable_value": 1},
			func(t *testing.T, d *assay.Delineation) {
				if c := cbsaOf(t, d, "90010"); c.Title != "Alphaville, ZZ" {
					t.Errorf("title not taken from the other row: %+v", *c)
				}
			}},
		{"a title that changes", set(3, 3, "Other"), map[string]int{"flagged inconsistent_cbsa": 1},
			func(t *testing.T, d *assay.Delineation) {
				if c := cbsaOf(t, d, "90010"); c.Title != "Alphaville, ZZ" || len(c.Counties) != 2 {
					t.Errorf("%+v", *c)
				}
			}},
		{"a county twice", cellfuzz.CSV(t, slices.Insert(slices.Clone(g), 2, g[1])), map[string]int{"skipped duplicate_county": 1},
			func(t *testing.T, d *assay.Delineation) {
				if c := cbsaOf(t, d, "90010"); len(c.Counties) != 2 {
					t.Errorf("%+v", *c)
				}
			}},
		{"a stray quote", bytes.Replace(cellfuzz.CSV(t, g), []byte("East County"), []byte(`East "County`), 1), map[string]int{"flagged lenient_quotes": 1},
			func(t *testing.T, d *assay.Delineation) {
				if k := cbsaOf(t, d, "90020").Counties[0]; k.Name != `East "County` {
					t.Errorf("%+v", k)
				}
			}},
	}
	opt := Options{Source: "x_2013_Feb.csv"}
	base, err := ParseDelineation(cellfuzz.CSV(t, g), opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseDelineation(tt.data, opt)
			if err != nil {
				t.Fatal(err)
			}
			checkDelineationAccounting(t, r)
			if got, want := cellfuzz.Tally(r.Audit), cellfuzz.WithDelta(cellfuzz.Tally(base.Audit), tt.delta); !maps.Equal(got, want) {
				t.Errorf("audit reasons %v, want %v", got, want)
			}
			if tt.check != nil {
				tt.check(t, r.Delineation)
			}
		})
	}
}

// checkDelineationAccounting asserts rows read = loaded + skipped, one
// audit entry a skipped row, one county a loaded row.
func checkDelineationAccounting(t *testing.T, r *Result) {
	t.Helper()
	// Rows are CSV lines, which blank lines make outnumber the rows read.
	cellfuzz.CheckRows(t, r.Audit, r.RowsRead, r.RowsLoaded, r.RowsSkipped, 0)
	n := 0
	for _, c := range r.Delineation.CBSAs {
		n += len(c.Counties)
	}
	if n != r.RowsLoaded {
		t.Errorf("%d rows loaded, %d counties", r.RowsLoaded, n)
	}
}

// FuzzDelineationCells changes one cell below the header of a delineation
// as CSV and as .xls: the file must load, every row accounted for.
func FuzzDelineationCells(f *testing.F) {
	g := synthGrid(f)
	titled := append([][]string{{"List 1. CORE BASED STATISTICAL AREAS (CBSAs), FEBRUARY 2013"}, {}}, g...)
	titled = append(titled, []string{}, []string{"Source: Office of Management and Budget, February 2013 delineations"})
	xls := func(_ testing.TB, g [][]string) []byte {
		cells := make([][]any, len(g))
		for i, r := range g {
			for _, c := range r {
				cells[i] = append(cells[i], strings.ToValidUTF8(c, "\uFFFD"))
			}
		}
		return xlsgridtest.XLS(cells)
	}
	layouts := []cellfuzz.Layout{
		{Grid: g, Header: 1, Name: "x_2013_Feb.csv", Encode: cellfuzz.CSV},
		{Grid: titled, Header: 3, Name: "list1.xls", Encode: xls},
	}
	for k := range cellfuzz.NumKinds {
		f.Add(uint8(0), uint16(0), uint8(9), uint8(k), "")
		f.Add(uint8(1), uint16(1), uint8(0), uint8(k), "")
	}
	if _, err := xlsgrid.ReadXLS(xls(f, titled)); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, layout uint8, row uint16, col, kind uint8, payload string) {
		l := layouts[int(layout)%len(layouts)]
		// The vintage is given: a note naming another one is a conflict
		// about the file, not about one cell.
		r, err := ParseDelineation(l.Mutate(t, row, col, kind, payload), Options{Source: l.Name, Vintage: "2013-02"})
		if err != nil {
			t.Fatal(err)
		}
		checkDelineationAccounting(t, r)
		for _, c := range r.Delineation.CBSAs {
			for _, k := range c.Counties {
				if !isCode(k.FIPS, 5) {
					t.Errorf("CBSA %s: county FIPS %q", c.Code, k.FIPS)
				}
			}
		}
	})
}
