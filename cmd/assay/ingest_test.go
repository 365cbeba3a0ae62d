package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assaylab/assay/internal/datadir"
)

// miniData lays out a data directory of invented files: the ucr package's
// 2017-layout Table 6 fixture and a delineation naming its areas.
func miniData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for from, to := range map[string]string{
		"../../ucr/testdata/table6_2017_layout.csv":               "ucr/table6_msa/fixture/2017.csv",
		"../../ingest/testdata/invented_delineation_2013_Feb.csv": "geo/cbsa_delineation_2013_Feb.csv",
	} {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, to)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestIngestCommand(t *testing.T) {
	data := miniData(t)
	db := filepath.Join(t.TempDir(), "w.duckdb")
	code, out, errOut := runCapture(t, "ingest", "--data", data, "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"wrote " + db, "rows read", "unmatched_name"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = runCapture(t, "sql", "--db", db, "--format", "csv",
		"SELECT name, cbsa FROM crime_metro_year WHERE kind = 'msa' ORDER BY name")
	if code != 0 {
		t.Fatalf("sql exit %d: %s", code, errOut)
	}
	if want := "name,cbsa\n\"Alderhaven, TX\",90010\n"; !strings.HasPrefix(out, want) {
		t.Errorf("sql output:\n%s", out)
	}
	code, out, _ = runCapture(t, "sql", "--db", db, "--format", "csv",
		"SELECT sum(rows_read) = sum(rows_loaded) + sum(rows_skipped) AS balanced FROM source")
	if code != 0 || out != "balanced\ntrue\n" {
		t.Errorf("rows do not balance in the warehouse: %q", out)
	}

	// A failed ingest leaves the warehouse as it was.
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(data, "ucr/table6_msa/fixture/2018.csv")
	if err := os.WriteFile(bad, []byte("Table 6\nnot a table\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCapture(t, "ingest", "--data", data, "--db", db)
	if code != 1 || !strings.Contains(errOut, "2018.csv") {
		t.Errorf("bad file: exit %d, stderr %q; want 1 naming the file", code, errOut)
	}
	after, err := os.ReadFile(db)
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("a failed ingest changed the warehouse (%v)", err)
	}
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(db), ".*"))
	if len(matches) != 0 {
		t.Errorf("temporary files left behind: %v", matches)
	}
}

func TestIngestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"ingest", "--data", filepath.Join(t.TempDir(), "missing")},
		{"ingest", "extra"},
		{"ingest", "--bogus"},
	} {
		if code, _, errOut := runCapture(t, args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errOut)
		}
	}
	// A vintage the data lacks is a command-line mistake too.
	code, _, errOut := runCapture(t, "ingest", "--data", miniData(t), "--vintage", "1999-01", "--db", filepath.Join(t.TempDir(), "w.duckdb"))
	if code != 2 || !strings.Contains(errOut, "no delineation of vintage 1999-01") {
		t.Errorf("--vintage 1999-01: exit %d, %s", code, errOut)
	}
}

// ingest writes only where an assay warehouse is, or nothing is: never
// over notes, another database, a directory or its own input, and it says
// so before reading anything.
func TestIngestRefusesOutput(t *testing.T) {
	data := miniData(t)
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("my notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := testWarehouse(t) // a DuckDB file without dataset_info
	otherBefore, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, db, want string }{
		{"notes", notes, "--db: " + notes + " exists and is a text file (CSV, JSON or other), which this command does not replace"},
		{"another database", other, "is a DuckDB database but not an assay warehouse"},
		{"a directory", dir, "--db: " + dir + " is a directory"},
		{"the data directory", data, "is a directory"},
		{"missing folder", filepath.Join(dir, "no", "w.duckdb"), "folder " + filepath.Join(dir, "no") + " does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCapture(t, "ingest", "--data", data, "--db", tt.db)
			if code != 2 || out != "" || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, out, errOut, tt.want)
			}
		})
	}
	if b, err := os.ReadFile(notes); err != nil || string(b) != "my notes\n" {
		t.Errorf("notes.txt became %d bytes (%v)", len(b), err)
	}
	if b, err := os.ReadFile(other); err != nil || !bytes.Equal(b, otherBefore) {
		t.Errorf("the other database changed (%v)", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%s holds %d entries, want only notes.txt", dir, len(entries))
	}
}

func TestInspectTable6(t *testing.T) {
	fixture := "../../ucr/testdata/table6_2017_layout.csv"
	code, out, errOut := runCapture(t, "inspect", "table6", "--json", fixture)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := jsonObjects(t, out)
	if len(lines) != 8 {
		t.Fatalf("%d records, want 8 (6 MSAs, 2 M.D.s)", len(lines))
	}
	first := lines[0]
	for _, key := range []string{"year", "name", "kind", "cbsa", "population", "coverage", "violent_rate", "murder_rate",
		"rape_rate", "robbery_rate", "aggravated_assault_rate", "property_rate"} {
		if _, ok := first[key]; !ok {
			t.Errorf("record lacks %q: %v", key, first)
		}
	}
	// Invented names match no real CBSA: cbsa is null, and stderr says so.
	if first["cbsa"] != nil || first["name"] != "Alderhaven, TX" || first["kind"] != "msa" || first["year"] != 2017.0 {
		t.Errorf("first record: %v", first)
	}
	if first["property_rate"] != nil {
		t.Errorf("a blank (suppressed) rate must be null, got %v", first["property_rate"])
	}
	if !strings.Contains(errOut, "2017_layout.csv:5: unmatched_name") {
		t.Errorf("stderr does not report the unmatched name with file and row:\n%s", errOut)
	}

	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"inspect", "table6", "--year", "2015", fixture}, 1, "2015"},
		{[]string{"inspect", "table6", "../../ingest/testdata/invented_delineation_2013_Feb.csv"}, 1, "not a Table 6"},
		{[]string{"inspect", "table6", filepath.Join(t.TempDir(), "none.csv")}, 1, "none.csv"},
		{[]string{"inspect", "table6"}, 2, "accepts 1 arg"},
		{[]string{"inspect", "table6", "--vintage", "1999-01", fixture}, 2, "1999-01"},
		{[]string{"inspect", "table6", "--year", "1800", fixture}, 2, "--year: 1800 is not a Table 6 year assay reads: 2006 to 2024"},
		{[]string{"inspect", "table6", "--year", "2021", fixture}, 2, "no Table 6 for 2021"},
	} {
		code, _, errOut := runCapture(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d mentioning %q", tc.args, code, errOut, tc.code, tc.err)
		}
	}
}

// TestInspectTable6Real checks the count on a real file: 2012 has 358 MSAs
// and 31 M.D.s (PROVENANCE.md), all matched.
func TestInspectTable6Real(t *testing.T) {
	path := datadir.File(t, "ucr/table6_msa/ColZoel_Synthetic_St_Louis/2012.csv")
	code, out, errOut := runCapture(t, "inspect", "table6", "--json", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	kinds := map[any]int{}
	for _, r := range jsonObjects(t, out) {
		kinds[r["kind"]]++
		if r["cbsa"] == nil {
			t.Errorf("unmatched: %v", r["name"])
		}
	}
	if kinds["msa"] != 358 || kinds["md"] != 31 {
		t.Errorf("kinds %v", kinds)
	}
}

func TestMetros(t *testing.T) {
	code, out, errOut := runCapture(t, "metros", "--year", "2017", "--rank", "violent_rate", "--top", "10", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs := jsonObjects(t, out)
	if len(recs) != 10 {
		t.Fatalf("%d records, want 10", len(recs))
	}
	for i, r := range recs {
		if r["rank"] != float64(i+1) || r["year"] != 2017.0 || r["kind"] != "msa" {
			t.Errorf("record %d: %v", i, r)
		}
		if i > 0 && r["violent_rate"].(float64) > recs[i-1]["violent_rate"].(float64) {
			t.Errorf("not in descending order at %d", i)
		}
	}
	code, out, _ = runCapture(t, "metros", "--year", "2017", "--top", "3")
	if code != 0 || !strings.Contains(out, "have no published violent rate") || !strings.Contains(out, "St. Louis, MO-IL") {
		t.Errorf("text output does not list the unranked areas:\n%s", out)
	}
	for _, args := range [][]string{{"metros", "--rank", "arson"}, {"metros", "--kind", "city"}, {"metros", "--top", "-1"}} {
		if code, _, _ := runCapture(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	// A year outside the data is a wrong command line, answered with the
	// years the embedded snapshot has.
	want := "--year 1999: the data has msa records for 2006 2007 2008 2009 2010 2011 2012 2013 2014 2015 2016 2017 2018 2023"
	if code, _, errOut := runCapture(t, "metros", "--year", "1999"); code != 2 || !strings.Contains(errOut, want) {
		t.Errorf("a year with no data: exit %d, %q; want 2 and %q", code, errOut, want)
	}
}

func jsonObjects(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not a JSON object: %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}
