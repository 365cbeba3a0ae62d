package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/census"
	"github.com/assaylab/assay/internal/datadir"
)

func jsonLines(t *testing.T, s string) []assay.GeoValues {
	t.Helper()
	var out []assay.GeoValues
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var g assay.GeoValues
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, g)
	}
	return out
}

func TestInspectCensusFixtures(t *testing.T) {
	tests := []struct {
		file  string
		geos  int
		first string // geo_id of the first line
	}{
		{"../../census/testdata/api/acs1_2017_B05006_cbsa.json", 3, "99901"},
		{"../../census/testdata/datacensus/ACSDT1Y2019.B05006-Data.csv", 3, "99901"},
		{"../../census/testdata/aff/ACS_12_1YR_B05006_with_ann.csv", 2, "99901"},
		{"../../census/testdata/s0201/acs-acs1-spp-2016-GROUP_S0201_TESTLAND_DATA.csv", 3, "99"},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			code, out, errOut := runCapture(t, "inspect", "census", "--json", tc.file)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			geos := jsonLines(t, out)
			if len(geos) != tc.geos || geos[0].GeoID != tc.first {
				t.Fatalf("%d lines, first %+v", len(geos), geos[0])
			}
			for _, g := range geos {
				for _, v := range g.Values {
					if v.Variable == "" || v.Label == "" {
						t.Errorf("%s: value without variable or label: %+v", g.GeoID, v)
					}
					if !v.Value.Valid && v.Annotation == "" || !v.MOE.Valid && v.MOEAnnotation == "" {
						t.Errorf("%s %s: null without a reason: %+v", g.GeoID, v.Variable, v)
					}
				}
			}
		})
	}
	code, out, _ := runCapture(t, "inspect", "census", "../../census/testdata/api/acs1_2017_B05006_cbsa.json")
	if code != 0 || !strings.Contains(out, "B05006_142   Total!!Americas!!Latin America!!Central America!!El Salvador = 9000 ± 1200") {
		t.Errorf("text output (exit %d):\n%s", code, out)
	}
}

// TestInspectCensusRawS0201 inspects the real saved API files, whose
// layouts differ by year (no EA/MA order in 2016-2017, 4-digit ids in 2016).
func TestInspectCensusRawS0201(t *testing.T) {
	tests := []struct {
		year  int
		rows  int
		total float64 // POPGROUP 001, total population (PROVENANCE.md; 2009 and 2016 from the derived extract)
		idLen int     // length of a variable id
	}{
		{2009, 314, 307006556, len("S0201_001")},
		{2012, 321, 313914040, len("S0201_001")},
		{2016, 332, 323127515, len("S0201_0001")},
		{2017, 335, 325719178, len("S0201_001")},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.year), func(t *testing.T) {
			p := datadir.File(t, fmt.Sprintf("acs/ncnw_national/raw/acs-acs1-spp-%d-GROUP_S0201_DATA.csv", tc.year))
			code, out, errOut := runCapture(t, "inspect", "census", "--json", p)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if errOut != "" {
				t.Errorf("problems reported: %s", errOut)
			}
			geos := jsonLines(t, out)
			if len(geos) != tc.rows {
				t.Fatalf("%d lines, want %d", len(geos), tc.rows)
			}
			for _, g := range geos {
				if g.GeoID != "1" || g.Level != "us" || g.PopGroup == "" || g.PopGroupLabel == "" {
					t.Fatalf("row %d read as %s %s %q %q", g.Row, g.GeoID, g.Level, g.PopGroup, g.PopGroupLabel)
				}
				if g.PopGroup != "001" {
					continue
				}
				v, ok := census.Lookup(&g, assay.S0201TotalPopulation)
				if !ok || v.Value.V != tc.total || len(v.Variable) != tc.idLen {
					t.Errorf("total population %+v (found %v), want %v", v, ok, tc.total)
				}
			}
		})
	}
}

func TestInspectCensusErrors(t *testing.T) {
	legend := "../../census/testdata/api/acs1_2017_B05006_variables.json"
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing file", []string{"inspect", "census", "no/such/file.json"}, 1, "no/such/file.json"},
		{"no argument", []string{"inspect", "census"}, 2, "accepts 1 arg"},
		{"bad product", []string{"inspect", "census", "--product", "acs2", "x.json"}, 2, "--product"},
		{"bad year", []string{"inspect", "census", "--year", "twenty", "x.json"}, 2, "invalid argument"},
		{"legend as data", []string{"inspect", "census", legend}, 1, "legend"},
		{"year before the ACS", []string{"inspect", "census", "--year", "1800", "x.json"}, 2, "--year: year 1800: the ACS begins with 2005"},
		{"no 2020 1-year tables", []string{"inspect", "census", "--year", "2020", "--product", "acs1", "x.json"}, 2, "2020 1-year standard tables were not released"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCapture(t, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tc.code, tc.want)
			}
		})
	}
}

// fakeCensus serves an invented B05006 (three lines) and B01003 for 2017.
type fakeCensus struct {
	mu   sync.Mutex
	hits int
}

func (f *fakeCensus) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.hits++
	f.mu.Unlock()
	if r.URL.Query().Get("key") != "cli-key" {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><h1>Invalid Key</h1></html>")
		return
	}
	labels := map[string]string{
		"B05006_001": "Total", "B05006_142": "Total!!Americas!!Latin America!!Central America!!El Salvador",
		"B05006_143": "Total!!Americas!!Latin America!!Central America!!Guatemala", "B01003_001": "Total",
	}
	if table, ok := strings.CutPrefix(r.URL.Path, "/data/2017/acs/acs1/groups/"); ok {
		table = strings.TrimSuffix(table, ".json")
		vars := map[string]any{}
		for id, l := range labels {
			if strings.HasPrefix(id, table) {
				vars[id+"E"] = map[string]string{"label": "Estimate!!" + l, "group": table}
				vars[id+"M"] = map[string]string{"label": "Margin of Error!!" + l, "group": table}
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"variables": vars})
		return
	}
	if r.URL.Path != "/data/2017/acs/acs1" {
		http.NotFound(w, r)
		return
	}
	get := strings.Split(r.URL.Query().Get("get"), ",")
	rows := [][]string{append(append([]string{}, get...), "metropolitan statistical area/micropolitan statistical area")}
	for i, code := range []string{"99901", "99902"} {
		row := []string{}
		for j, v := range get {
			if v == "NAME" {
				row = append(row, "Testopolis "+code+", ZZ Metro Area")
				continue
			}
			row = append(row, fmt.Sprint(1000*(i+1)+j))
		}
		rows = append(rows, append(row, code))
	}
	json.NewEncoder(w).Encode(rows)
}

func TestFetchCensus(t *testing.T) {
	api := &fakeCensus{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	out, cache := t.TempDir(), t.TempDir()
	args := []string{"fetch", "census", "--table", "B05006", "--years", "2017", "--geo", "cbsa", "--product", "acs1",
		"--out", out, "--cache", cache, "--base-url", srv.URL + "/data"}

	t.Setenv(censusKeyEnv, "")
	if code, _, errOut := runCapture(t, args...); code != 2 || !strings.Contains(errOut, censusKeyEnv) {
		t.Errorf("without a key: exit %d, %q", code, errOut)
	}

	t.Setenv(censusKeyEnv, "cli-key")
	code, stdout, stderr := runCapture(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// B05006 and, for the shares, B01003: each a variables and a data call.
	if api.hits != 4 {
		t.Errorf("%d requests, want 4", api.hits)
	}
	for _, want := range []string{"acs1_2017_B05006_cbsa.json\t2 geographies\t3 variables", "acs1_2017_B01003_cbsa.json\t2 geographies\t1 variables"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "fetch B05006 2017: data 1/1") || strings.Contains(stderr, "cli-key") {
		t.Errorf("progress:\n%s", stderr)
	}
	results, err := census.ReadDir(out, census.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 {
		t.Fatalf("%d files read back, want 2", len(results))
	}
	groups, err := census.DefaultGroups()
	if err != nil {
		t.Fatal(err)
	}
	ntca, _ := census.FindGroup(groups, "ntca")
	ntca.Labels = ntca.Labels[:2] // the fake table has El Salvador and Guatemala only
	counts, audit, err := census.OriginCounts(results[1], results[0], []assay.OriginGroup{ntca})
	if err != nil || len(audit) != 0 || len(counts) != 2 {
		t.Fatalf("origin counts %+v, audit %+v, err %v", counts, audit, err)
	}

	// The second run is served from the cache.
	if code, _, stderr := runCapture(t, args...); code != 0 || api.hits != 4 || !strings.Contains(stderr, "(cached)") {
		t.Errorf("second run: exit %d, %d requests, progress:\n%s", code, api.hits, stderr)
	}
	// --quiet silences progress.
	if code, _, stderr := runCapture(t, append([]string{"--quiet"}, args...)...); code != 0 || stderr != "" {
		t.Errorf("--quiet: exit %d, stderr:\n%s", code, stderr)
	}

	// With --db the warehouse is rebuilt with the fetched files.
	db := filepath.Join(t.TempDir(), "w.duckdb")
	code, stdout, stderr = runCapture(t, append(args, "--db", db, "--data", miniData(t))...)
	if code != 0 || !strings.Contains(stdout, "wrote "+db) {
		t.Fatalf("--db: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, _ = runCapture(t, "sql", "--db", db, "--format", "csv", "SELECT count(DISTINCT geo_id) AS n FROM acs_metro_origin WHERE year = 2017")
	if code != 0 || stdout != "n\n2\n" {
		t.Errorf("fetched counts in the warehouse: exit %d, %q", code, stdout)
	}
	// The fake table has no Honduras line: NTCA cannot be summed, and the
	// audit says so once rather than the fetch failing.
	code, stdout, _ = runCapture(t, "sql", "--db", db, "--format", "csv", "SELECT count(*) AS n FROM audit WHERE reason = 'group_not_computable' AND detail LIKE 'origin group ntca:%Honduras%'")
	if code != 0 || stdout != "n\n1\n" {
		t.Errorf("audit of the missing NTCA line: exit %d, %q", code, stdout)
	}

	t.Setenv(censusKeyEnv, "wrong")
	if code, _, stderr := runCapture(t, append(args, "--no-cache")...); code != 1 || !strings.Contains(stderr, "invalid") {
		t.Errorf("wrong key: exit %d, %q", code, stderr)
	}
}

func TestParseYears(t *testing.T) {
	for in, want := range map[string]string{"2012,2017": "[2012 2017]", "2015-2018": "[2015 2016 2017 2018]", "2012, 2014-2015": "[2012 2014 2015]"} {
		got, err := parseYears(in)
		if err != nil || fmt.Sprint(got) != want {
			t.Errorf("parseYears(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "12", "2017-2012", "x"} {
		if _, err := parseYears(bad); err == nil {
			t.Errorf("parseYears(%q) accepted", bad)
		}
	}
}

// A wrong command line is exit 2, before any request or file is made.
func TestFetchCensusUsage(t *testing.T) {
	t.Setenv(censusKeyEnv, "cli-key")
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"fetch", "census", "--years", "2017", "--base-url", "http://127.0.0.1:1/data", "--no-cache"}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--table", "B05006", "--geo", "mars", "--out", dir}, `geography "mars": want cbsa, county, state or us`},
		{[]string{"--table", "B05006", "--product", "acs3", "--out", dir}, `product "acs3": want acs1 or acs5`},
		{[]string{"--table", "../../etc", "--out", dir}, `table "../../ETC" is not an ACS table id`},
		{[]string{"--table", "B05006", "--timeout", "0s", "--out", dir}, "--timeout 0s: want more than 0 and at most 10m0s"},
		{[]string{"--table", "B05006", "--timeout", "1h", "--out", dir}, "--timeout 1h0m0s"},
		{[]string{"--table", "B05006", "--out", file}, "--out: " + file + " is a file, not a directory"},
		{[]string{"--table", "B05006", "--out", filepath.Join(dir, "a", "b")}, "does not exist"},
		{[]string{"--table", "B05006", "--out", dir, "--db", file}, "--db: " + file + " exists and is an empty file"},
	}
	for _, tt := range tests {
		code, out, errOut := runCapture(t, append(base, tt.args...)...)
		if code != 2 || out != "" || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tt.args, code, out, errOut, tt.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%s holds %d entries, want only the file", dir, len(entries))
	}
}

// No answer within --timeout: the request is tried three times in all and
// the message says it timed out. A refused connection is not retried.
func TestFetchCensusNetworkFailures(t *testing.T) {
	t.Setenv(censusKeyEnv, "cli-key")
	hanging, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hanging.Close()
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := hanging.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := closed.Addr().String()
	closed.Close()

	args := func(addr string) []string {
		return []string{"fetch", "census", "--table", "B01003", "--years", "2017", "--no-cache", "--out", t.TempDir(),
			"--timeout", "100ms", "--base-url", "http://" + addr + "/data"}
	}
	start := time.Now()
	code, _, errOut := runCapture(t, args(hanging.Addr().String())...)
	// Three attempts of 100ms, and waits of 1s and 2s between them.
	if elapsed := time.Since(start); elapsed > 8*time.Second {
		t.Errorf("took %s", elapsed)
	}
	if code != 1 || !strings.Contains(errOut, "gave up after 3 attempts") || !strings.Contains(errOut, "timed out after 100ms") ||
		!strings.Contains(errOut, "timed out after 100ms (attempt 2 of 3); retrying in 2s") {
		t.Errorf("never answering: exit %d, stderr:\n%s", code, errOut)
	}
	// The client has given up, but its last connection may still wait in
	// the listener's backlog for the goroutine above to accept it: on a
	// busy machine that goroutine runs late.
	accepted := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(conns)
	}
	for deadline := time.Now().Add(5 * time.Second); accepted() < 3 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := accepted(); n != 3 {
		t.Errorf("the server saw %d attempts, want 3", n)
	}

	start = time.Now()
	code, _, errOut = runCapture(t, args(refused)...)
	if code != 1 || !strings.Contains(errOut, "connection refused") || strings.Contains(errOut, "retrying") || time.Since(start) > 2*time.Second {
		t.Errorf("refused: exit %d after %s, stderr:\n%s", code, time.Since(start), errOut)
	}
}

// utf16LE encodes s as a spreadsheet's "Unicode text" save does.
func utf16LE(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = []byte{0xFF, 0xFE}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// Files that are not ACS data get a message that says what they are: the
// same for UTF-16 in both inspect commands, and the S0201 extract named.
func TestInspectSaysWhatAFileIs(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Invented rows in the layouts of the files concerned.
	csv := "GEO_ID,NAME,B05006_001E,B05006_001M\n310M300US99999,SYNTHETIC Metro,1000,10\n"
	extract := write("extract.csv", []byte("acs_year,acs_product,geography,popgroup_code,popgroup_label,total_pop_E,total_pop_M\n2099,1yr,us,001,Total population,5,0\n"))
	varMap := write("map.csv", []byte("acs_year,acs_product,table_id,line_number,column_id,api_variable_estimate\n2099,1yr,B05006,1,B05006001,B05006_001E\n"))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"census UTF-16", []string{"inspect", "census", write("u16.csv", utf16LE(csv, true))}, "u16.csv: UTF-16 text: save the file as UTF-8"},
		{"census UTF-16 without BOM", []string{"inspect", "census", write("u16nobom.csv", utf16LE(csv, false))}, "UTF-16 text: save the file as UTF-8"},
		{"table6 UTF-16", []string{"inspect", "table6", write("t6.csv", utf16LE("Table 6\n"+csv, true))}, "UTF-16 text: save the file as UTF-8"},
		{"S0201 extract", []string{"inspect", "census", extract}, "this is a derived extract of S0201 over many years"},
		{"variable map", []string{"inspect", "census", varMap}, "this is a variable map, not data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCapture(t, tt.args...)
			if code != 1 || out != "" || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 1 and %q", code, out, errOut, tt.want)
			}
		})
	}
}
