package dashboard

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/report"
	"github.com/assaylab/assay/study"
)

// TestPages renders every page from the server, without a script, as a
// reader's browser receives it: each says what it should and links where
// it should.
func TestPages(t *testing.T) {
	f := served(t)
	rep, err := f.srv.findings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	scatter, err := f.srv.scatter(t.Context(), f.srv.defaults)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := report.FindingOf(scatter.res, study.Pearson)
	wp06, _ := claims.Lookup("WP06")
	for _, tc := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"<h1>" + rep.Title, rep.Headline[:60], `href="/claims/WP06"`, wp06.Text[:40], `class="badge v-not"`}},
		{"/claims/WP06", 200, []string{"WP06: " + wp06.Text[:30], "Findings", `href="/scatter?`, "Inputs"}},
		{"/map", 200, []string{`id="figure-` + report.IDMaps + `"`, `data-explore="/metro?cbsa="`, `<datalist id="metro-names">`, `href="/figures/maps.csv"`}},
		{"/metro", 200, []string{"Every metro of the panel", `href="/metro?cbsa=10180"`}},
		{"/metro?q=columbus", 200, []string{"3 metros match", "Columbus, GA-AL", "Columbus, OH"}},
		{"/metro?q=nowhere+at+all", 200, []string{"0 metros match"}},
		{"/metro?cbsa=18140", 200, []string{"Columbus, OH", `id="figure-` + report.IDMetroSeries + `"`, "How the FBI", "exact", "not published", "Audit notes", "Franklin County"}},
		{"/scatter", 200, []string{`id="stat-r" data-value="` + fmt.Sprint(r.Estimate.V) + `"`, `id="figure-` + report.IDAllMetrosScatter + `"`, "assay study view.toml", `name="drop"`}},
		{"/scatter?drop=31080", 200, []string{"Metros you dropped", "Los Angeles", `href="/scatter" data-swap>put it back`}},
		{"/scatter?coverage=1&select=top_share&n=5&pool=census", http.StatusUnprocessableEntity, []string{"too few to estimate anything", `id="scatter-form"`}},
		{"/multiverse", 200, []string{`id="figure-` + report.IDSpecCurve + `"`, `<option value="" selected>any</option>`, "curve of"}},
		{"/multiverse?offense=murder&estimator=spearman", 200, []string{"Spearman", `<option value="murder" selected>`}},
		{"/multiverse?weights=population&estimator=pearson", 200, []string{"No curve to draw"}},
		{"/data", 200, []string{`href="/api/tables/audit?format=csv"`, `href="/api/tables/metro_year?format=parquet"`}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			a := f.get(t, tc.path)
			if a.status != tc.status || a.header.Get("Content-Type") != "text/html; charset=utf-8" {
				t.Fatalf("status %d %q: %.300s", a.status, a.header.Get("Content-Type"), a.body)
			}
			for _, w := range tc.want {
				if !bytes.Contains(a.body, []byte(w)) {
					t.Errorf("the page lacks %q", w)
				}
			}
		})
	}
	t.Run("a search with one match opens the metro", func(t *testing.T) {
		req, _ := http.NewRequest("GET", f.base+"/metro?q=18140", nil)
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/metro?cbsa=18140" {
			t.Errorf("%d %s", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

// TestFigureFiles: every page's figure downloads as SVG and as the CSV of
// the numbers it draws, the same figure the page shows.
func TestFigureFiles(t *testing.T) {
	f := served(t)
	for _, tc := range []struct{ page, figure, id string }{
		{"/map", "/figures/maps", report.IDMaps},
		{"/scatter?outcome=murder", "/figures/scatter", report.IDAllMetrosScatter},
		{"/multiverse?change=log_ratio", "/figures/multiverse", report.IDSpecCurve},
		{"/metro?cbsa=18140", "/figures/metro", report.IDMetroSeries},
	} {
		t.Run(tc.figure, func(t *testing.T) {
			query := ""
			if i := strings.IndexByte(tc.page, '?'); i >= 0 {
				query = tc.page[i:]
			}
			page := f.get(t, tc.page)
			svg := f.get(t, tc.figure+".svg"+query)
			if svg.status != 200 || svg.header.Get("Content-Type") != "image/svg+xml" || !bytes.HasPrefix(svg.body, []byte("<svg")) {
				t.Fatalf("SVG: %d %q", svg.status, svg.header.Get("Content-Type"))
			}
			if !bytes.Contains(page.body, svg.body) {
				t.Error("the page does not show the figure the SVG link gives")
			}
			c := f.get(t, tc.figure+".csv"+query)
			rows, err := csv.NewReader(bytes.NewReader(c.body)).ReadAll()
			if err != nil || c.status != 200 || len(rows) < 2 {
				t.Fatalf("CSV: %d, %d rows, %v", c.status, len(rows), err)
			}
			if !strings.Contains(c.header.Get("Content-Disposition"), tc.id+".csv") {
				t.Errorf("CSV named %q", c.header.Get("Content-Disposition"))
			}
		})
	}
}
