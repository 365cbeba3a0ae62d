package dashboard

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/assaylab/assay/study"
)

// TestBadParameters sends every class of bad parameter to every endpoint
// that takes one: each is answered 400 with JSON naming the parameter and
// the values allowed.
func TestBadParameters(t *testing.T) {
	f := served(t)
	for _, tc := range []struct {
		path, param string
		allowed     []string // substrings of "allowed"
	}{
		// A parameter the endpoint does not take, a repeated one, a
		// malformed query, an oversized one.
		{"/api/claims?verbose=1", "verbose", []string{"none"}},
		{"/api/?verbose=1", "verbose", []string{"none"}},
		{"/api/scatter?strat=2012", "strat", []string{"start", "drop", "seed"}},
		{"/api/scatter?outcome=murder&outcome=violent", "outcome", []string{"one value"}},
		{"/api/scatter?outcome=%zz", "query", []string{"percent-encoded"}},
		{"/api/scatter?drop=" + strings.Repeat("1", 3000), "query", []string{"at most 2048 bytes"}},
		// Types.
		{"/api/scatter?n=twenty&select=top_count", "n", []string{"whole number from 5 to"}},
		{"/api/scatter?coverage=high", "coverage", []string{"a number from 0 to 1"}},
		{"/api/scatter?start=2012.5", "start", []string{"2012, 2017"}},
		{"/api/metros?top=ten", "top", []string{"whole number from 0 to"}},
		// Ranges.
		{"/api/scatter?n=2&select=top_count", "n", []string{"from 5 to"}},
		{"/api/scatter?coverage=1.5", "coverage", []string{"0 to 1"}},
		{"/api/scatter?coverage=NaN", "coverage", []string{"0 to 1"}},
		{"/api/scatter?perm=10000", "perm", []string{"from 0 to 9999"}},
		{"/api/scatter?perm=-1", "perm", []string{"from 0 to 9999"}},
		{"/api/scatter?seed=0", "seed", []string{"from 1 to"}},
		{"/api/metros?top=-1", "top", []string{"whole number from 0 to"}},
		// Values the data does not have.
		{"/api/scatter?start=2011", "start", []string{"2012, 2017"}},
		{"/api/scatter?start=2017&end=2012", "end", []string{"a year after start"}},
		{"/api/scatter?source=acs1", "source", []string{"bundled"}},
		{"/api/scatter?group=ntca", "group", []string{"foreign_born"}},
		{"/api/metros?year=1999", "year", []string{"2006", "2017"}},
		{"/api/metros?year=2017&kind=city", "kind", []string{"msa, md"}},
		// Vocabularies: the engine's own words.
		{"/api/scatter?measure=ratio", "measure", []string{study.Words(study.Measures)}},
		{"/api/scatter?outcome=rape", "outcome", []string{"violent, murder, robbery, aggravated_assault, property"}},
		{"/api/scatter?change=diff", "change", []string{study.Words(study.Changes)}},
		{"/api/scatter?select=top", "select", []string{study.Words(study.Rules)}},
		{"/api/scatter?pool=all", "pool", []string{study.Words(study.Pools)}},
		{"/api/scatter?weights=yes", "weights", []string{study.Words(study.WeightsAll)}},
		{"/api/scatter?match=fuzzy", "match", []string{study.Words(study.NameMatches)}},
		{"/api/metros?rank=arson", "rank", []string{"violent, violent_rate"}},
		{"/api/multiverse?offense=arson", "offense", []string{"violent; murder"}},
		{"/api/multiverse?estimator=tobit", "estimator", []string{"pearson", "wls_hc3"}},
		{"/api/tables/audit?format=xlsx", "format", []string{"csv, parquet"}},
		// Lists.
		{"/api/scatter?drop=99999", "drop", []string{"CBSA codes"}},
		{"/api/scatter?drop=10180,10180", "drop", []string{"CBSA codes"}},
		{"/api/scatter?drop=10180;10420", "query", nil},
		{"/api/scatter?drop=" + strings.Repeat("10180,", 50) + "10180", "drop", []string{"up to 50"}},
		// Path parameters.
		{"/api/claims/WP99", "id", []string{"WP01", "WP06"}},
		{"/api/metro/1018", "cbsa", []string{"five-digit"}},
		{"/api/metro/99999", "cbsa", []string{"five-digit"}},
		{"/api/tables/users", "name", []string{"audit", "crime_metro_year"}},
		{"/api/tables/audit%3BDROP%20TABLE%20audit", "name", []string{"audit"}},
		{"/api/tables/AUDIT", "name", []string{"audit"}},
		// The figures and pages check theirs the same way.
		{"/figures/scatter.svg?weights=yes", "weights", []string{"none, population"}},
		{"/figures/metro.csv", "cbsa", []string{"five-digit"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			var body apiError
			f.get(t, tc.path).decode(t, http.StatusBadRequest, &body)
			if body.ParamError == nil || body.Param != tc.param || body.Error == "" || body.Allowed == "" {
				t.Fatalf("400 answer %+v, want parameter %q named with the allowed values", body, tc.param)
			}
			for _, w := range tc.allowed {
				if !strings.Contains(body.Allowed, w) {
					t.Errorf("allowed %q lacks %q", body.Allowed, w)
				}
			}
		})
	}
	t.Run("pages", func(t *testing.T) {
		for _, path := range []string{"/scatter?measure=ratio", "/multiverse?offense=arson", "/metro?cbsa=1", "/claims/WP99", "/data?x=1"} {
			a := f.get(t, path)
			if a.status != http.StatusBadRequest || !strings.Contains(a.header.Get("Content-Type"), "text/html") || !strings.Contains(string(a.body), "Allowed") {
				t.Errorf("%s: %d %s, want a 400 page naming what is allowed", path, a.status, a.header.Get("Content-Type"))
			}
		}
	})
	t.Run("valid but too few metros", func(t *testing.T) {
		var body apiError
		f.get(t, "/api/scatter?coverage=1&select=top_share&n=5&pool=census").decode(t, http.StatusUnprocessableEntity, &body)
		if !strings.Contains(body.Error, "only 3 metros have every measure") || !strings.Contains(body.Error, study.ErrTooFew.Error()) {
			t.Errorf("422 answer %+v", body)
		}
	})
}

// securityHeaders are on every answer, errors included.
var securityHeaders = map[string]*regexp.Regexp{
	"Content-Security-Policy": regexp.MustCompile(`^default-src 'none'; script-src 'self'; style-src 'self'; .*frame-ancestors 'none'$`),
	"X-Content-Type-Options":  regexp.MustCompile(`^nosniff$`),
	"Referrer-Policy":         regexp.MustCompile(`^no-referrer$`),
	"X-Frame-Options":         regexp.MustCompile(`^DENY$`),
}

func checkHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for name, re := range securityHeaders {
		if !re.MatchString(h.Get(name)) {
			t.Errorf("%s: %s %q", what, name, h.Get(name))
		}
	}
}

// TestSecurity: read-only, no way out of the static folder, no listing,
// requests from other origins and hosts refused, bodies and oversized
// headers refused, and the security headers on every answer.
func TestSecurity(t *testing.T) {
	f := served(t)
	const goMod = "module github.com/assaylab/assay"
	for _, tc := range []struct {
		name, method, path string
		header             []string
		status             int
	}{
		{"page", "GET", "/", nil, 200},
		{"head", "HEAD", "/api/claims", nil, 200},
		{"static", "GET", "/static/app.css", nil, 200},
		{"post", "POST", "/api/claims", nil, 405},
		{"put", "PUT", "/scatter", nil, 405},
		{"delete", "DELETE", "/api/tables/audit", nil, 405},
		{"patch", "PATCH", "/", nil, 405},
		{"options", "OPTIONS", "/api/", nil, 405},
		{"listing", "GET", "/static/", nil, 404},
		{"listing without slash", "GET", "/static", nil, 404},
		{"dot-dot", "GET", "/static/../go.mod", nil, 404},
		{"dot-dot twice", "GET", "/static/../../dashboard/dashboard.go", nil, 404},
		{"encoded dot-dot", "GET", "/static/%2e%2e/go.mod", nil, 404},
		{"encoded slash", "GET", "/static/..%2fgo.mod", nil, 404},
		{"encoded slash and dots", "GET", "/static/%2e%2e%2fgo.mod", nil, 404},
		{"backslash", "GET", "/static/..%5cgo.mod", nil, 404},
		{"templates are not static", "GET", "/static/../templates/layout.html", nil, 404},
		{"unknown page", "GET", "/admin", nil, 404},
		{"unknown endpoint", "GET", "/api/sql?q=SELECT%201", nil, 404},
		{"unknown figure", "GET", "/figures/secret.svg", nil, 404},
		{"other host", "GET", "/", []string{"Host", "evil.example:8080"}, 421},
		{"rebinding host", "GET", "/api/claims", []string{"Host", "127.0.0.1.nip.example"}, 421},
		{"localhost", "GET", "/api/claims", []string{"Host", "localhost"}, 200},
		{"other origin", "GET", "/api/claims", []string{"Origin", "https://evil.example"}, 403},
		{"own origin", "GET", "/api/claims", []string{"Origin", f.base}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := f.do(t, tc.method, tc.path, nil, tc.header...)
			if a.status != tc.status {
				t.Errorf("%s %s: status %d, want %d: %.200s", tc.method, tc.path, a.status, tc.status, a.body)
			}
			checkHeaders(t, tc.path, a.header)
			if strings.Contains(string(a.body), goMod) {
				t.Errorf("%s leaks go.mod", tc.path)
			}
			if tc.status == 405 && a.header.Get("Allow") != "GET, HEAD" {
				t.Errorf("405 without Allow: GET, HEAD")
			}
		})
	}
	t.Run("body", func(t *testing.T) {
		a := f.do(t, "GET", "/api/claims", strings.NewReader("x=1"))
		if a.status != http.StatusRequestEntityTooLarge {
			t.Errorf("a GET with a body: %d", a.status)
		}
		checkHeaders(t, "body", a.header)
	})
	t.Run("oversized header", func(t *testing.T) {
		conn, err := net.Dial("tcp", strings.TrimPrefix(f.base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 2*maxHeaderBytes))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("a %d-byte header: status %d", 2*maxHeaderBytes, res.StatusCode)
		}
	})
	t.Run("no inline script or style", func(t *testing.T) {
		inline := regexp.MustCompile(`(?i)<style|\sstyle\s*=|<script(\s[^>]*)?>[^<]|\son[a-z]+\s*=|javascript:`)
		for _, path := range []string{"/", "/claims/WP06", "/map", "/metro", "/metro?cbsa=18140", "/scatter", "/multiverse", "/data", "/figures/maps.svg", "/figures/multiverse.svg"} {
			a := f.get(t, path)
			if m := inline.Find(a.body); m != nil {
				t.Errorf("%s: %q, which the CSP would block", path, m)
			}
		}
	})
}

// TestSecurityDocLimits checks the limits docs/security.md states against
// the ones the server applies.
func TestSecurityDocLimits(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "security.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(b)), " ")
	want := fmt.Sprintf("bounds the query string (%d KiB), headers (%d KiB), time (%d s for headers, %d s a request) and recomputations (one per core, %d waiting, then 503)",
		maxQuery>>10, maxHeaderBytes>>10, int(headerTimeout.Seconds()), int(requestTimeout.Seconds()), maxQueued)
	if !strings.Contains(doc, want) {
		t.Errorf("docs/security.md does not say %q", want)
	}
}
