package census

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const testKey = "k3y-SECRET"

// fakeAPI imitates the Census Data API for an invented table B05006 of 145
// lines in 2012 and 2017, with the NTCA lines at each year's real line
// numbers. Values are invented: line*1000 + geography.
type fakeAPI struct {
	mu      sync.Mutex
	hits    map[string]int // path -> requests
	gets    [][]string     // the get clause of each data request
	calls   int            // data requests
	metros  []string
	reverse bool // answer every other data request in reverse row order
}

const fakeLines = 145

var fakeNTCALines = map[int][3]int{2012: {140, 141, 142}, 2017: {142, 143, 144}}

func fakeLabel(year, line int) string {
	names := map[int]string{0: "El Salvador", 1: "Guatemala", 2: "Honduras"}
	for i, l := range fakeNTCALines[year] {
		if l == line {
			return "Estimate!!Total!!Americas!!Latin America!!Central America!!" + names[i]
		}
	}
	if line == 1 {
		return "Estimate!!Total"
	}
	return fmt.Sprintf("Estimate!!Total!!Invented line %d", line)
}

func fakeValue(line int, geo string, moe bool) string {
	g, _ := strconv.Atoi(geo)
	v := line*1000 + g%1000
	if moe {
		v = line + g%100
	}
	return strconv.Itoa(v)
}

func newFakeAPI() *fakeAPI {
	return &fakeAPI{hits: map[string]int{}, metros: []string{"99901", "99902", "99903"}, reverse: true}
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hits[r.URL.Path]++
	if r.URL.Query().Get("key") != testKey {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><body><h1>Invalid Key</h1><p>A valid <em>key</em> must be included with each data API request. You included a key with this request, however, it is not valid.</p></body></html>`)
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	// data/<year>/acs/acs1[/groups/<table>.json]
	if len(parts) < 4 || parts[0] != "data" || parts[2] != "acs" || parts[3] != "acs1" {
		http.Error(w, "error: unknown dataset", http.StatusNotFound)
		return
	}
	year, _ := strconv.Atoi(parts[1])
	if _, ok := fakeNTCALines[year]; !ok {
		http.Error(w, "error: unknown dataset", http.StatusNotFound)
		return
	}
	if len(parts) == 6 && parts[4] == "groups" && parts[5] == "B05006.json" {
		vars := map[string]any{}
		for line := 1; line <= fakeLines; line++ {
			base := fmt.Sprintf("B05006_%03d", line)
			lab := fakeLabel(year, line)
			vars[base+"E"] = map[string]any{"label": lab, "group": "B05006", "predicateType": "int"}
			vars[base+"M"] = map[string]any{"label": strings.Replace(lab, "Estimate", "Margin of Error", 1), "group": "B05006"}
			vars[base+"EA"] = map[string]any{"label": "Annotation of " + lab, "group": "B05006"}
		}
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		json.NewEncoder(w).Encode(map[string]any{"variables": vars})
		return
	}
	get := strings.Split(r.URL.Query().Get("get"), ",")
	f.gets = append(f.gets, get)
	f.calls++
	if len(get) > MaxGetVariables {
		http.Error(w, "error: error: 'get' is limited to 50 variables", http.StatusBadRequest)
		return
	}
	if r.URL.Query().Get("for") != "metropolitan statistical area/micropolitan statistical area:*" {
		http.Error(w, "error: unknown/unsupported geography hierarchy", http.StatusBadRequest)
		return
	}
	rows := [][]any{append(append([]any{}, toAny(get)...), "metropolitan statistical area/micropolitan statistical area")}
	metros := append([]string{}, f.metros...)
	if f.reverse && f.calls%2 == 0 {
		for i, j := 0, len(metros)-1; i < j; i, j = i+1, j-1 {
			metros[i], metros[j] = metros[j], metros[i]
		}
	}
	for _, m := range metros {
		row := []any{}
		for _, v := range get {
			if v == "NAME" {
				row = append(row, "Metro "+m+", ZZ Metro Area")
				continue
			}
			base, kind := splitVariable(v)
			line, err := strconv.Atoi(strings.TrimPrefix(base, "B05006_"))
			if err != nil || line < 1 || line > fakeLines || (kind != "E" && kind != "M") {
				http.Error(w, fmt.Sprintf("error: error: unknown variable '%s'", v), http.StatusBadRequest)
				return
			}
			row = append(row, fakeValue(line, m, kind == "M"))
		}
		rows = append(rows, append(row, m))
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(rows)
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func (f *fakeAPI) dataCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func (f *fakeAPI) totalHits() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, h := range f.hits {
		n += h
	}
	return n
}

func testClient(t *testing.T, srv *httptest.Server) (*Client, *[]time.Duration) {
	t.Helper()
	var waits []time.Duration
	c := &Client{BaseURL: srv.URL + "/data", Key: testKey, HTTP: srv.Client(), CacheDir: filepath.Join(t.TempDir(), "cache"),
		MaxAttempts: 3, Backoff: time.Second}
	c.sleep = func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}
	return c, &waits
}

func TestFetchWholeTableInChunks(t *testing.T) {
	api := newFakeAPI()
	srv := httptest.NewServer(api)
	defer srv.Close()
	c, _ := testClient(t, srv)
	var events []Event
	c.Progress = func(e Event) { events = append(events, e) }
	resps, err := c.Fetch(context.Background(), Request{Table: "B05006", Years: []int{2017}, Geo: "cbsa", Product: "acs1"})
	if err != nil {
		t.Fatal(err)
	}
	// NAME + 145 E + 145 M = 291 get items: five chunks of 50 and one of 41.
	if api.dataCalls() != 6 {
		t.Errorf("%d data calls, want 6", api.dataCalls())
	}
	for i, g := range api.gets {
		if len(g) > MaxGetVariables {
			t.Errorf("call %d asked for %d variables", i+1, len(g))
		}
	}
	if api.gets[0][0] != "NAME" || len(api.gets[0]) != 50 || len(api.gets[5]) != 41 {
		t.Errorf("chunks %d ... %d; first begins %s", len(api.gets[0]), len(api.gets[5]), api.gets[0][0])
	}
	res, err := resps[0].Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Geos) != 3 || res.Year != 2017 || res.Table != "B05006" {
		t.Fatalf("result %d geos, %d %s", len(res.Geos), res.Year, res.Table)
	}
	// The second chunk came back in reverse row order: every value must
	// still belong to its own geography.
	for _, g := range res.Geos {
		if g.Name != "Metro "+g.GeoID+", ZZ Metro Area" || len(g.Values) != fakeLines {
			t.Fatalf("%s: name %q, %d values", g.GeoID, g.Name, len(g.Values))
		}
		for _, v := range g.Values {
			line, _ := strconv.Atoi(strings.TrimPrefix(v.Variable, "B05006_"))
			if v.Value.String() != fakeValue(line, g.GeoID, false) || v.MOE.String() != fakeValue(line, g.GeoID, true) {
				t.Errorf("%s %s = %v ± %v, want %s ± %s", g.GeoID, v.Variable, v.Value, v.MOE,
					fakeValue(line, g.GeoID, false), fakeValue(line, g.GeoID, true))
			}
		}
	}
	steps := map[string]int{}
	for _, e := range events {
		steps[e.Step]++
		if strings.Contains(e.URL, testKey) {
			t.Errorf("progress event shows the key: %s", e.URL)
		}
	}
	if steps["variables"] != 1 || steps["data"] != 6 {
		t.Errorf("progress steps %v", steps)
	}
}

func TestFetchServedFromCacheTheSecondTime(t *testing.T) {
	api := newFakeAPI()
	srv := httptest.NewServer(api)
	defer srv.Close()
	c, _ := testClient(t, srv)
	req := Request{Table: "B05006", Years: []int{2012, 2017}, Geo: "cbsa", Product: "acs1"}
	first, err := c.Fetch(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	hits := api.totalHits()
	if hits != 14 { // per year: variables + 6 chunks
		t.Errorf("%d requests, want 14", hits)
	}
	second, err := c.Fetch(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if api.totalHits() != hits {
		t.Errorf("second fetch hit the server %d times", api.totalHits()-hits)
	}
	for i := range first {
		if string(first[i].Data) != string(second[i].Data) {
			t.Errorf("year %d: cached data differ", first[i].Year)
		}
	}
	entries, err := os.ReadDir(c.CacheDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 28 {
		t.Errorf("%d cache files, want 28 (body and meta for 14 URLs)", len(entries))
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(c.CacheDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), testKey) {
			t.Errorf("cache file %s holds the key", e.Name())
		}
		if strings.HasSuffix(e.Name(), ".meta.json") {
			var m cacheMeta
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			body, err := os.ReadFile(filepath.Join(c.CacheDir, strings.TrimSuffix(e.Name(), ".meta.json")+".body"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(m.URL, "key=REDACTED") || m.SHA256 != sha256Hex(body) {
				t.Errorf("meta %+v does not describe its body", m)
			}
		}
	}
	// A body altered on disk no longer matches its checksum: refetched.
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".body") {
			os.WriteFile(filepath.Join(c.CacheDir, e.Name()), []byte("[]"), 0o644)
			break
		}
	}
	if _, err := c.Fetch(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if api.totalHits() != hits+1 {
		t.Errorf("a corrupted cache entry caused %d requests, want 1", api.totalHits()-hits)
	}
}

// TestFetchByLabelPerYear asks for the NTCA lines by label: each year's
// own ids are requested (2012: _140-_142, 2017: _142-_144).
func TestFetchByLabelPerYear(t *testing.T) {
	api := newFakeAPI()
	srv := httptest.NewServer(api)
	defer srv.Close()
	c, _ := testClient(t, srv)
	groups, err := DefaultGroups()
	if err != nil {
		t.Fatal(err)
	}
	ntca, _ := FindGroup(groups, "ntca")
	resps, err := c.Fetch(context.Background(), Request{Table: "B05006", Years: []int{2012, 2017}, Geo: "cbsa", Product: "acs1", Labels: ntca.Labels})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"NAME,B05006_140E,B05006_140M,B05006_141E,B05006_141M,B05006_142E,B05006_142M",
		"NAME,B05006_142E,B05006_142M,B05006_143E,B05006_143M,B05006_144E,B05006_144M"}
	for i, g := range api.gets {
		if strings.Join(g, ",") != want[i] {
			t.Errorf("request %d: get=%s, want %s", i+1, strings.Join(g, ","), want[i])
		}
	}
	for _, r := range resps {
		res, err := r.Result()
		if err != nil {
			t.Fatal(err)
		}
		g := geo(t, res, "99902")
		e, err := GroupEstimate(ntca, g)
		if err != nil {
			t.Fatal(err)
		}
		// Values are line*1000 + 902, so the sum depends on the year's ids.
		l := fakeNTCALines[r.Year]
		if w := float64((l[0]+l[1]+l[2])*1000 + 3*902); e.Value.V != w {
			t.Errorf("%d NTCA = %v, want %v", r.Year, e.Value, w)
		}
	}
	_, err = c.Fetch(context.Background(), Request{Table: "B05006", Years: []int{2017}, Geo: "cbsa", Product: "acs1", Labels: []string{"Total!!Atlantis"}})
	if err == nil || !strings.Contains(err.Error(), "Atlantis") {
		t.Errorf("unknown label: %v", err)
	}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestFetchFailures serves each failure mode the API has.
func TestFetchFailures(t *testing.T) {
	ok := func(w http.ResponseWriter, r *http.Request) { newFakeAPI().ServeHTTP(w, r) }
	tests := []struct {
		name string
		// handler answers data requests (variables requests get the fake
		// API's answer) given the number of data requests so far, 1-based.
		handler   func(n int, w http.ResponseWriter, r *http.Request)
		wantErr   error  // nil: the fetch must succeed
		errText   string // substring of the error
		wantCalls int    // data requests made
		waits     []time.Duration
	}{
		{name: "invalid key HTML under 200", handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html;charset=utf-8")
			fmt.Fprint(w, `<div class="content-wrap center"><h1>Invalid Key</h1><p>A valid <em>key</em> must be included with each data API request. You included a key with this request, however, it is not valid.</p></div>`)
		}, wantErr: ErrInvalidKey, wantCalls: 1},
		{name: "missing key HTML", handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, `<html><h1>Missing Key</h1><p>A valid key must be included with each data API request. You did not include a key with this request.</p></html>`)
		}, wantErr: ErrMissingKey, wantCalls: 1},
		{name: "other HTML under 200", handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body>Service maintenance</body></html>`)
		}, wantErr: ErrHTML, wantCalls: 1},
		{name: "redirect to invalid_key.html", handler: func(_ int, w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/data/invalid_key.html", http.StatusFound)
		}, wantErr: ErrInvalidKey, wantCalls: 1},
		{name: "key error header", handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-DataWebAPI-KeyError", "1")
			fmt.Fprint(w, `[["NAME"]]`)
		}, wantErr: ErrInvalidKey, wantCalls: 1},
		{name: "unknown variable", handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "error: error: unknown variable 'B05006_999E'", http.StatusBadRequest)
		}, wantErr: ErrUnknownVariable, errText: "B05006_999E", wantCalls: 1},
		{name: "204 no content", handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		}, wantErr: ErrNoContent, wantCalls: 1},
		{name: "429 with Retry-After then success", handler: func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.Header().Set("Retry-After", "7")
				http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
				return
			}
			ok(w, r)
		}, wantCalls: 2, waits: []time.Duration{7 * time.Second}},
		{name: "500 then success", handler: func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				http.Error(w, "There was an error while running your query.", http.StatusInternalServerError)
				return
			}
			ok(w, r)
		}, wantCalls: 2, waits: []time.Duration{time.Second}},
		{name: "truncated JSON then success", handler: func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				fmt.Fprint(w, `[["NAME","B05006_142E","B05006_142M","metropolitan statistical area/micropolitan statistical area"],["Metro 99901, ZZ Met`)
				return
			}
			ok(w, r)
		}, wantCalls: 2, waits: []time.Duration{time.Second}},
		{name: "always 503", handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
		}, errText: "gave up after 3 attempts: census API", wantCalls: 3, waits: []time.Duration{time.Second, 2 * time.Second}},
		{name: "500 three times", handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "There was an error while running your query.", http.StatusInternalServerError)
		}, errText: "HTTP 500 Internal Server Error: There was an error", wantCalls: 3, waits: []time.Duration{time.Second, 2 * time.Second}},
		{name: "429 asking for more than assay waits", handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "3600")
			http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
		}, errText: "asks to wait 1h0m0s before another attempt, longer than assay waits (1m0s): try again later", wantCalls: 1},
		{name: "404 is not retried", handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "unknown dataset", http.StatusNotFound)
		}, errText: "HTTP 404 Not Found: unknown dataset", wantCalls: 1},
		{name: "connection cut mid-answer then success", handler: func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.Header().Set("Content-Length", "1000")
				fmt.Fprint(w, `[["NAME"`)
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
				return
			}
			ok(w, r)
		}, wantCalls: 2, waits: []time.Duration{time.Second}},
		{name: "always truncated", handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, `[["NAME"`)
		}, errText: "truncated or invalid JSON", wantCalls: 3, waits: []time.Duration{time.Second, 2 * time.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			calls := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.Contains(r.URL.Path, "/groups/") || strings.HasSuffix(r.URL.Path, ".html") {
					if strings.HasSuffix(r.URL.Path, "invalid_key.html") {
						w.Header().Set("Content-Type", "text/html")
						fmt.Fprint(w, "<html><h1>Invalid Key</h1></html>")
						return
					}
					ok(w, r)
					return
				}
				mu.Lock()
				calls++
				n := calls
				mu.Unlock()
				tc.handler(n, w, r)
			}))
			defer srv.Close()
			c, waits := testClient(t, srv)
			_, err := c.Fetch(context.Background(), Request{Table: "B05006", Years: []int{2017}, Geo: "cbsa", Product: "acs1",
				Labels: []string{"Total!!Americas!!Latin America!!Central America!!El Salvador"}})
			switch {
			case tc.wantErr == nil && tc.errText == "":
				if err != nil {
					t.Fatalf("fetch failed: %v", err)
				}
			case err == nil:
				t.Fatalf("fetch succeeded, want an error")
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Errorf("error %v, want %v", err, tc.wantErr)
			case !strings.Contains(err.Error(), tc.errText):
				t.Errorf("error %v, want one containing %q", err, tc.errText)
			}
			if err != nil && strings.Contains(err.Error(), testKey) {
				t.Errorf("error shows the key: %v", err)
			}
			if calls != tc.wantCalls {
				t.Errorf("%d data requests, want %d", calls, tc.wantCalls)
			}
			if fmt.Sprint(*waits) != fmt.Sprint(tc.waits) {
				t.Errorf("waits %v, want %v", *waits, tc.waits)
			}
			// Only the variables request and successful data are cached:
			// a failure never is.
			entries, _ := os.ReadDir(c.CacheDir)
			wantFiles := 2
			if err == nil {
				wantFiles = 4
			}
			if len(entries) != wantFiles {
				t.Errorf("%d cache files, want %d", len(entries), wantFiles)
			}
		})
	}
}

func TestFetchRejectsBadRequests(t *testing.T) {
	api := newFakeAPI()
	srv := httptest.NewServer(api)
	defer srv.Close()
	c, _ := testClient(t, srv)
	for _, tc := range []struct {
		req  Request
		want string
	}{
		{Request{Table: "B05006", Years: []int{2020}, Geo: "cbsa", Product: "acs1"}, "2020 1-year"},
		{Request{Table: "B05006", Years: []int{2017}, Geo: "tract", Product: "acs1"}, "geography"},
		{Request{Table: "B05006", Years: []int{2017}, Geo: "cbsa", Product: "acs2"}, "product"},
		{Request{Table: "b05006; drop", Years: []int{2017}, Geo: "cbsa", Product: "acs1"}, "table"},
	} {
		if _, err := c.Fetch(context.Background(), tc.req); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.req, err, tc.want)
		}
	}
	if api.totalHits() != 0 {
		t.Errorf("bad requests reached the server %d times", api.totalHits())
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://x/data?get=NAME&key=abc&for=us:1": "https://x/data?get=NAME&key=REDACTED&for=us:1",
		"https://x/data?key=abc":                   "https://x/data?key=REDACTED",
		"https://x/data?get=monkey=1":              "https://x/data?get=monkey=1",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFetchWriteReadDir writes fetched responses and reads them back with
// ReadDir, as `assay ingest --census DIR` will.
func TestFetchWriteReadDir(t *testing.T) {
	api := newFakeAPI()
	srv := httptest.NewServer(api)
	defer srv.Close()
	c, _ := testClient(t, srv)
	resps, err := c.Fetch(context.Background(), Request{Table: "B05006", Years: []int{2012, 2017}, Geo: "cbsa", Product: "acs1"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, r := range resps {
		if _, _, err := r.Write(dir); err != nil {
			t.Fatal(err)
		}
	}
	results, err := ReadDir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 {
		t.Fatalf("%d results, want 2", len(results))
	}
	for i, res := range results {
		want, err := resps[i].Result()
		if err != nil {
			t.Fatal(err)
		}
		if res.Year != resps[i].Year || res.Table != "B05006" || res.Product != "acs1" || hasAudit(res.Audit, "no_labels") {
			t.Errorf("%s read as %s %s %d, audit %+v", res.Source.Path, res.Table, res.Product, res.Year, res.Audit)
		}
		got, _ := json.Marshal(res.Geos)
		exp, _ := json.Marshal(want.Geos)
		if strings.ReplaceAll(string(got), res.Source.Path, "") != strings.ReplaceAll(string(exp), want.Source.Path, "") {
			t.Errorf("%s: ReadDir and Response.Result differ", res.Source.Path)
		}
		if _, ok := res.Labels.Resolve("Total!!Americas!!Latin America!!Central America!!Honduras"); !ok {
			t.Errorf("%s: Honduras does not resolve", res.Source.Path)
		}
	}
}

// noAnswer accepts connections and never answers them, counting them.
type noAnswer struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newNoAnswer(t *testing.T) *noAnswer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &noAnswer{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, c := range s.conns {
			c.Close()
		}
	})
	return s
}

func (s *noAnswer) accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Failures without an HTTP answer: each says its real cause, a retry is
// made only where one can help, and the time spent is bounded by the
// timeout. No request leaves the machine.
func TestFetchNetworkFailures(t *testing.T) {
	hanging := newNoAnswer(t)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := closed.Addr().String()
	closed.Close()
	noHost := &http.Client{Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		return nil, &net.DNSError{Err: "no such host", Name: "api.census.invalid", IsNotFound: true}
	}}}
	const timeout = 200 * time.Millisecond
	tests := []struct {
		name     string
		base     string
		client   *http.Client
		wantErr  string
		attempts func() int // requests the server saw, where it can count them
		want     int
		waits    int
		within   time.Duration
	}{
		{name: "server never answers", base: "http://" + hanging.ln.Addr().String() + "/data",
			wantErr:  "gave up after 3 attempts: http://" + hanging.ln.Addr().String() + "/data/2017/acs/acs1/groups/B05006.json?key=REDACTED: timed out after 200ms",
			attempts: hanging.accepted, want: 3, waits: 2, within: 3*timeout + 2*time.Second},
		{name: "connection refused", base: "http://" + refused + "/data",
			wantErr: "connection refused (nothing listens at that address", waits: 0, within: 2 * time.Second},
		{name: "no such host", base: "http://api.census.invalid/data", client: noHost,
			wantErr: "cannot find host api.census.invalid: no such host", waits: 0, within: 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var waits []time.Duration
			c := &Client{BaseURL: tt.base, Key: testKey, HTTP: tt.client, Timeout: timeout,
				sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
			start := time.Now()
			_, err := c.Fetch(context.Background(), Request{Table: "B05006", Years: []int{2017}, Geo: "cbsa", Product: "acs1"})
			elapsed := time.Since(start)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v\nwant it to contain %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("the error shows the key: %v", err)
			}
			if len(waits) != tt.waits {
				t.Errorf("%d retries (%v), want %d", len(waits), waits, tt.waits)
			}
			if tt.attempts != nil && tt.attempts() != tt.want {
				t.Errorf("the server saw %d attempts, want %d", tt.attempts(), tt.want)
			}
			if elapsed > tt.within {
				t.Errorf("took %s, want at most %s", elapsed, tt.within)
			}
		})
	}
}

// A fetch is cancelled at once, mid-request, when its context is.
func TestFetchCancelled(t *testing.T) {
	hanging := newNoAnswer(t)
	c := &Client{BaseURL: "http://" + hanging.ln.Addr().String() + "/data", Key: testKey, Timeout: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for hanging.accepted() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := c.Fetch(ctx, Request{Table: "B05006", Years: []int{2017}, Geo: "cbsa", Product: "acs1"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the cancellation", err)
	}
}

func TestCheckYear(t *testing.T) {
	tests := []struct {
		product string
		year    int
		want    string // "" for published
	}{
		{"", 2005, ""}, {"acs1", 2019, ""}, {"acs5", 2009, ""}, {"acs3", 2013, ""},
		{"", 1800, "the ACS begins with 2005"},
		{"acs5", 2099, "year 2099: not published yet"},
		{"acs1", 2020, "2020 1-year standard tables were not released"},
		{"acs5", 2020, ""},
		{"acs5", 2008, "5-year estimates begin with 2009"},
		{"acs3", 2014, "3-year estimates exist for 2007 to 2013"},
	}
	for _, tt := range tests {
		err := CheckYear(tt.product, tt.year)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("CheckYear(%q, %d) = %v, want %q", tt.product, tt.year, err, tt.want)
		}
	}
}

func TestWithDenominator(t *testing.T) {
	ys := []int{2012, 2017}
	b05006 := Request{Table: "B05006", Years: ys, Geo: "cbsa", Product: "acs1", Labels: []string{"Total!!Americas"}}
	if got, want := b05006.WithDenominator(), []Request{b05006, {Table: "B01003", Years: ys, Geo: "cbsa", Product: "acs1"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("B05006: %+v, want %+v (the labels are B05006's alone)", got, want)
	}
	other := Request{Table: "B01003", Years: ys, Geo: "county", Product: "acs5"}
	if got := other.WithDenominator(); !reflect.DeepEqual(got, []Request{other}) {
		t.Errorf("B01003: %+v, want itself alone", got)
	}
}
