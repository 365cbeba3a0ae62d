package cbsa

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/xlsgrid/xlsgridtest"
)

// SYNTHETIC: the places below are invented; only the layout imitates the
// Census list1 files.
const synthHeader = "CBSA Code,Metro Division Code,CSA Code,CBSA Title,Metropolitan/Micropolitan Statistical Area,Metropolitan Division Title,CSA Title,County/County Equivalent,State Name,FIPS State Code,FIPS County Code,Central/Outlying County\n"

const synthRows = `90010,,901,"Alphaville, ZZ",Metropolitan Statistical Area,,"Alphaville-Beta, ZZ",North County,Zedland,9,001,Central
90010,,901,"Alphaville, ZZ",Metropolitan Statistical Area,,"Alphaville-Beta, ZZ",South County,Zedland,09,3,Outlying
90020,90024,,"Gamma-Delta, ZZ-YY",Metropolitan Statistical Area,"Gamma, ZZ",,East County,Zedland,09,005,Central
90020,90028,,"Gamma-Delta, ZZ-YY",Metropolitan Statistical Area,"Delta, YY",,West County,Yland,08,001,Central
90030,,901,"Beta, ZZ",Micropolitan Statistical Area,,"Alphaville-Beta, ZZ",Peña Municipio,Zedland,09,007,Central
`

func synthWant(vintage, source string) *assay.Delineation {
	return &assay.Delineation{Vintage: vintage, Source: source, CBSAs: []assay.CBSA{
		{Code: "90010", Title: "Alphaville, ZZ", Metro: true, Vintage: vintage, CSA: "901", CSATitle: "Alphaville-Beta, ZZ",
			Counties: []assay.County{
				{FIPS: "09001", Name: "North County", State: "Zedland", Central: true},
				{FIPS: "09003", Name: "South County", State: "Zedland"},
			}},
		{Code: "90020", Title: "Gamma-Delta, ZZ-YY", Metro: true, Vintage: vintage,
			Divisions: map[string]string{"90024": "Gamma, ZZ", "90028": "Delta, YY"},
			Counties: []assay.County{
				{FIPS: "09005", Name: "East County", State: "Zedland", Central: true, Division: "90024"},
				{FIPS: "08001", Name: "West County", State: "Yland", Central: true, Division: "90028"},
			}},
		{Code: "90030", Title: "Beta, ZZ", Vintage: vintage, CSA: "901", CSATitle: "Alphaville-Beta, ZZ",
			Counties: []assay.County{{FIPS: "09007", Name: "Peña Municipio", State: "Zedland", Central: true}}},
	}}
}

func TestParseDelineation(t *testing.T) {
	titled := "Table with row headers in column A and column headers in row 3,,,\n" +
		"\"List 1. CORE BASED STATISTICAL AREAS (CBSAs), FEBRUARY 2013\",,,\n" + synthHeader + synthRows +
		",,,\n\"Source: Office of Management and Budget, February 2013 delineations\",,\nInternet Release Date: March 2013\n"
	tests := []struct {
		name, data  string
		opt         Options
		wantVintage string
		wantSkipped []string // reasons, in row order
		wantNotes   []string // file-level (row 0) reasons
	}{
		{
			name: "title, header, notes", data: titled, opt: Options{Source: "list.csv"},
			wantVintage: "2013-02",
			wantSkipped: []string{"title", "title", "header", "blank", "footnote", "footnote"},
		},
		{
			name: "vintage from the file name", data: synthHeader + synthRows,
			opt: Options{Source: "geo/cbsa_delineation_2020_Mar.csv"}, wantVintage: "2020-03",
			wantSkipped: []string{"header"},
		},
		{
			name: "vintage asked for", data: synthHeader + synthRows,
			opt: Options{Source: "x.csv", Vintage: "2015-07"}, wantVintage: "2015-07",
			wantSkipped: []string{"header"},
		},
		{
			name: "asked vintage differs from the file's", data: titled,
			opt: Options{Source: "x.csv", Vintage: "2015-07"}, wantVintage: "2015-07",
			wantSkipped: []string{"title", "title", "header", "blank", "footnote", "footnote"},
			wantNotes:   []string{"vintage_override"},
		},
		{
			name: "file name disagrees with the contents", data: titled,
			opt: Options{Source: "list1_2020_Mar.csv"}, wantVintage: "2013-02",
			wantSkipped: []string{"title", "title", "header", "blank", "footnote", "footnote"},
			wantNotes:   []string{"vintage_name_mismatch"},
		},
		{
			name: "Latin-1 CSV", data: latin1(synthHeader + synthRows),
			opt: Options{Source: "x_2013_feb.csv"}, wantVintage: "2013-02",
			wantSkipped: []string{"header"}, wantNotes: []string{"encoding"},
		},
		{
			name: "UTF-8 byte order mark", data: "\uFEFF" + synthHeader + synthRows,
			opt: Options{Source: "x_2013_feb.csv"}, wantVintage: "2013-02",
			wantSkipped: []string{"header"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseDelineation([]byte(tt.data), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if want := synthWant(tt.wantVintage, tt.opt.Source); !reflect.DeepEqual(r.Delineation, want) {
				t.Errorf("got  %+v\nwant %+v", r.Delineation, want)
			}
			var skipped, notes []string
			for _, a := range r.Audit {
				if a.Row == 0 {
					notes = append(notes, a.Reason)
				} else {
					skipped = append(skipped, a.Reason)
				}
			}
			if !reflect.DeepEqual(skipped, tt.wantSkipped) || !reflect.DeepEqual(notes, tt.wantNotes) {
				t.Errorf("audit %+v, want skipped %v and notes %v", r.Audit, tt.wantSkipped, tt.wantNotes)
			}
			if r.RowsLoaded != 5 || r.RowsRead != r.RowsLoaded+r.RowsSkipped || r.RowsSkipped != len(tt.wantSkipped) {
				t.Errorf("read %d = loaded %d + skipped %d?", r.RowsRead, r.RowsLoaded, r.RowsSkipped)
			}
		})
	}
}

func latin1(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r))
	}
	return string(b)
}

func TestParseDelineationErrors(t *testing.T) {
	row := func(fields ...string) string { return strings.Join(fields, ",") + "\n" }
	good := []string{"90010", "", "", `"Alphaville, ZZ"`, "Metropolitan Statistical Area", "", "", "North County", "Zedland", "09", "001", "Central"}
	tests := []struct{ name, data, want string }{
		{"no header", row(good...), "no header row"},
		{"only a header", synthHeader, "no county rows"},
		{"empty", "", "empty file"},
		{"no vintage", synthHeader + row(good...), "no vintage"},
		{"bad vintage option", synthHeader + row(good...), `vintage "2013"`},
		{"two vintages in notes", synthHeader + row(good...) + "March 2020 delineations\nFebruary 2013 delineations\n", "several delineations ([2013-02 2020-03])"},
		{"broken quote", synthHeader + `90010,"Alpha` + "\n", "delineation x.csv: parse error on line 2"},
		// "CBSA Code," as a spreadsheet's "Unicode text" saves it.
		{"UTF-16", "\xff\xfeC\x00B\x00S\x00A\x00 \x00C\x00o\x00d\x00e\x00,\x00", "delineation x.csv: UTF-16 text: save the file as UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := Options{Source: "x.csv"}
			if tt.name == "bad vintage option" {
				opt.Vintage = "2013"
			}
			_, err := ParseDelineation([]byte(tt.data), opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "delineation x.csv") {
				t.Errorf("err = %v, does not name the file", err)
			}
		})
	}
}

// TestParseDelineationXLS reads the same synthetic rows from an .xls, laid
// out like list1_2013_Feb.xls (title rows, header on row 3, notes below).
func TestParseDelineationXLS(t *testing.T) {
	rows := [][]any{
		{"Table with row headers in column A and column headers in row 3"},
		{"List 1. CORE BASED STATISTICAL AREAS (CBSAs), FEBRUARY 2013"},
	}
	for _, line := range strings.Split(strings.TrimSpace(synthHeader+synthRows), "\n") {
		var cells []any
		for _, c := range splitCSVLine(t, line) {
			if c == "" {
				cells = append(cells, nil)
			} else {
				cells = append(cells, c)
			}
		}
		rows = append(rows, cells)
	}
	rows = append(rows, nil, []any{"Source: Office of Management and Budget, February 2013 delineations"})
	path := filepath.Join(t.TempDir(), "list1.xls")
	if err := os.WriteFile(path, xlsgridtest.XLS(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := ReadDelineation(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := synthWant("2013-02", path); !reflect.DeepEqual(r.Delineation, want) {
		t.Errorf("got  %+v\nwant %+v", r.Delineation, want)
	}
	if r.RowsRead != 10 || r.RowsSkipped != 5 {
		t.Errorf("read %d, skipped %d; want 10 and 5 (2 titles, header, blank, note)", r.RowsRead, r.RowsSkipped)
	}
}

func splitCSVLine(t *testing.T, line string) []string {
	t.Helper()
	rec, err := csv.NewReader(strings.NewReader(line)).Read()
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func FuzzParseDelineation(f *testing.F) {
	f.Add([]byte(synthHeader+synthRows), "x_2013_Feb.csv")
	f.Add([]byte("title, FEBRUARY 2013\n"+synthHeader+synthRows+"Note\n"), "x.csv")
	f.Add(xlsgridtest.XLS([][]any{{"CBSA Code"}, {"90010", "", "", "A, ZZ"}}), "x.xls")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		r, err := ParseDelineation(data, Options{Source: name})
		if err != nil {
			return
		}
		if r.RowsRead != r.RowsLoaded+r.RowsSkipped {
			t.Fatalf("read %d != loaded %d + skipped %d", r.RowsRead, r.RowsLoaded, r.RowsSkipped)
		}
		n := 0
		for _, c := range r.Delineation.CBSAs {
			n += len(c.Counties)
		}
		if n != r.RowsLoaded {
			t.Fatalf("%d counties from %d loaded rows", n, r.RowsLoaded)
		}
	})
}
