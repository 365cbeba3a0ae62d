package dashboard

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/panel"
	"github.com/assaylab/assay/papers"
	"github.com/assaylab/assay/snapshot"
	"github.com/assaylab/assay/study"
)

// TestIndexListsEveryRoute holds the API's index and its routes equal, and
// every example of the index answers.
func TestIndexListsEveryRoute(t *testing.T) {
	f := served(t)
	var index struct {
		Endpoints []endpoint `json:"endpoints"`
	}
	f.get(t, "/api/").decode(t, 200, &index)
	var documented []string
	for _, e := range index.Endpoints {
		documented = append(documented, e.Path)
		if e.Doc == "" || e.Returns == "" || e.Params == nil {
			t.Errorf("%s: undocumented: %+v", e.Path, e)
		}
		for _, p := range slices.Concat(e.PathParams, e.Params) {
			if p.Name == "" || p.Type == "" || p.Allowed == "" || p.Doc == "" {
				t.Errorf("%s: parameter undocumented: %+v", e.Path, p)
			}
		}
		if a := f.get(t, e.Example); a.status != 200 {
			t.Errorf("example %s: status %d: %.300s", e.Example, a.status, a.body)
		}
	}
	routed := slices.Sorted(maps.Keys(f.srv.apiRoutes()))
	slices.Sort(documented)
	if !slices.Equal(routed, documented) {
		t.Errorf("routes %v, the index documents %v", routed, documented)
	}
}

// TestClaims: the API's ledger is the one `assay claims --json` prints,
// computed here again by the same call with the command's options.
func TestClaims(t *testing.T) {
	f := served(t)
	ds, err := snapshot.Some(papers.Tables...)
	if err != nil {
		t.Fatal(err)
	}
	ledger, err := papers.Ledger(context.Background(), ds, claims.Options{Perm: testPerm, Seed: testSeed})
	if err != nil {
		t.Fatal(err)
	}
	a := f.get(t, "/api/claims")
	jsonEqual(t, "/api/claims", a.body, ledger.Results)
	one := f.get(t, "/api/claims/WP06")
	res, _ := ledger.Result("WP06")
	jsonEqual(t, "/api/claims/WP06", one.body, res)
}

// TestMetros: the ranking is panel.Rank's, the lines `assay metros --json`
// prints.
func TestMetros(t *testing.T) {
	f := served(t)
	for _, tc := range []struct {
		query    string
		year     int
		o        assay.Offense
		kind     assay.AreaKind
		top, len int
	}{
		{"", 2017, assay.Violent, assay.KindMSA, 0, -1},
		{"?year=2012&rank=murder_rate&top=5", 2012, assay.Murder, assay.KindMSA, 5, 5},
		{"?year=2010&rank=robbery&kind=md&top=3", 2010, assay.Robbery, assay.KindMD, 3, 3},
	} {
		var got metrosAnswer
		a := f.get(t, "/api/metros"+tc.query)
		a.decode(t, 200, &got)
		rk := panel.Rank(f.ds.Crime, tc.year, tc.o, tc.kind)
		jsonEqual(t, tc.query, a.body, metrosAnswer{tc.year, tc.o.Key(), tc.kind, rk.Top(tc.top), rk.Unranked})
		if tc.len >= 0 && len(got.Ranked) != tc.len {
			t.Errorf("%s: %d ranked, want %d", tc.query, len(got.Ranked), tc.len)
		}
	}
}

// TestMetroProfile checks one metro the FBI skipped two years of: every
// year of the panel, null where unpublished, each match in words, and
// audit notes only from its own Table 6 blocks.
func TestMetroProfile(t *testing.T) {
	f := served(t)
	const columbus = "18140"
	var p profile
	f.get(t, "/api/metro/"+columbus).decode(t, 200, &p)
	if p.Title != "Columbus, OH" || p.Delineation == nil || p.Delineation.Code != columbus || len(p.Delineation.Counties) == 0 {
		t.Fatalf("profile %s %q, delineation %+v", p.CBSA, p.Title, p.Delineation)
	}
	series := f.srv.data.Series(columbus)
	if len(p.Years) != len(series) {
		t.Fatalf("%d years, the panel has %d", len(p.Years), len(series))
	}
	blocks := map[[2]any]int{}
	for i, y := range p.Years {
		o := series[i]
		if y.Year != o.Year || (y.FBI == nil) != (o.Crime == nil) {
			t.Errorf("year %d: FBI %v, the panel %v", y.Year, y.FBI != nil, o.Crime != nil)
		}
		if (y.Year == 2012 || y.Year == 2013) && y.FBI != nil {
			t.Errorf("%d: the FBI did not publish Columbus, OH, yet the profile has a record", y.Year)
		}
		if o.Crime != nil {
			blocks[[2]any{o.Crime.Source, o.Crime.Row}] = o.Year
		}
		if (y.ForeignBorn != nil) != (o.Nativity != nil) {
			t.Errorf("year %d: share %v, the panel %v", y.Year, y.ForeignBorn, o.Nativity)
		}
	}
	if len(p.Matches) == 0 {
		t.Error("no match method")
	}
	for _, n := range p.Audit {
		// A note belongs to a block of this metro: same file, at or
		// below the block's name row.
		found := false
		for b, year := range blocks {
			found = found || b[0] == n.Source && n.Row >= b[1].(int) && n.Year == year
		}
		if !found || n.Action != assay.Flagged {
			t.Errorf("audit note %+v is not about a Table 6 block of Columbus, OH", n)
		}
	}
	// Every match method the data holds is said in words.
	for _, c := range f.ds.Crime {
		if c.Match != "" && assay.DescribeMatch(c.Match) == "" {
			t.Fatalf("match method %q has no words", c.Match)
		}
	}
	// The audit index puts every footnote of a Table 6 file's block with
	// its block.
	suppressed := 0
	for _, y := range p.Audit {
		if y.Reason == "suppressed" || y.Reason == "footnote" {
			suppressed++
		}
	}
	t.Logf("Columbus, OH: %d years, %d audit notes (%d footnotes or suppressed rates), matches %+v", len(p.Years), len(p.Audit), suppressed, p.Matches)
}

// scatterTOML is a study written by hand: what a user would run with
// assay study; the API must answer exactly what the engine finds for it.
const scatterTOML = `
name = "scatter"
title = "A view of the assay dashboard's scatter explorer"
exclude = ["12420", "26420"]

[years]
base = 2012
end = 2017

[immigrant]
source = "bundled"
group = "foreign_born"
measure = "log_share"

[outcome]
offense = "murder"
change = "rate_change"

[selection]
rule = "top_count"
n = 40
pool = "fbi"

[coverage]
min = 0.9
match = "any"

[estimation]
estimators = ["pearson", "ols"]
weights = "population"
permutations = 999
seed = 7
`

// TestScatterIsTheStudy: /api/scatter for a parameter set is what
// `assay study` computes for the same study, to the last digit.
func TestScatterIsTheStudy(t *testing.T) {
	f := served(t)
	spec, err := study.Parse(strings.NewReader(scatterTOML), "view.toml")
	if err != nil {
		t.Fatal(err)
	}
	want, err := study.Run(context.Background(), f.ds, spec)
	if err != nil {
		t.Fatal(err)
	}
	const query = "/api/scatter?measure=log_share&outcome=murder&select=top_count&n=40&pool=fbi&coverage=0.9&weights=population&perm=999&seed=7&drop=26420,12420"
	a := f.get(t, query)
	var got study.Result
	a.decode(t, 200, &got)
	jsonEqual(t, query, a.body, want)
	if len(got.Findings) != 2 || got.Findings[0].Estimator != "weighted_pearson" || got.Findings[1].Estimator != "wls_hc3" {
		t.Errorf("findings %+v", got.Findings)
	}
	for _, code := range []string{"12420", "26420"} { // Austin and Houston, TX
		if !slices.ContainsFunc(got.Sample.Dropped, func(d study.Drop) bool { return d.CBSA == code && d.Reason == study.ExcludedReason }) {
			t.Errorf("%s is not listed as dropped by the reader", code)
		}
	}
	// The page's TOML of the view is the same study.
	p, err := f.srv.parseScatter(strings.SplitN(query, "?", 2)[1])
	if err != nil {
		t.Fatal(err)
	}
	again, err := study.Parse(strings.NewReader(p.TOML()), "page.toml")
	if err != nil {
		t.Fatal(err)
	}
	a1, _ := json.Marshal(spec)
	a2, _ := json.Marshal(again)
	if !bytes.Equal(a1, a2) {
		t.Errorf("the page's TOML is another study:\n%s\nwant\n%s", a2, a1)
	}
}

// TestScatterOfAClaim: the explorer's view of a claim's finding has the
// finding's metros and estimate.
func TestScatterOfAClaim(t *testing.T) {
	f := served(t)
	res, err := f.srv.claimResult(context.Background(), "WP06")
	if err != nil {
		t.Fatal(err)
	}
	links := 0
	for _, fd := range res.Findings {
		u, ok := f.srv.scatterLink(fd)
		if !ok || fd.Estimator != string(study.Pearson) {
			continue
		}
		links++
		var got study.Result
		f.get(t, "/api"+u).decode(t, 200, &got)
		r := got.Findings[0]
		if r.N != fd.N || r.Estimate != fd.Estimate || r.CILow != fd.CILow || r.CIHigh != fd.CIHigh {
			t.Errorf("%s: the explorer gives n %d r %v [%v, %v], the claim %d %v [%v, %v]", u, r.N, r.Estimate, r.CILow, r.CIHigh, fd.N, fd.Estimate, fd.CILow, fd.CIHigh)
		}
	}
	if links == 0 {
		t.Error("no finding of WP06 links to the scatter explorer")
	}
}

// TestMultiverseFilter: a filter keeps exactly the specifications making
// its choices, with their summary.
func TestMultiverseFilter(t *testing.T) {
	f := served(t)
	_, m, err := f.srv.multiverse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var all study.Multiverse
	f.get(t, "/api/multiverse").decode(t, 200, &all)
	jsonEqual(t, "/api/multiverse", mustJSON(t, all), m)
	var got study.Multiverse
	a := f.get(t, "/api/multiverse?offense=murder&coverage=coverage+%3E%3D+0.9&estimator=spearman")
	a.decode(t, 200, &got)
	jsonEqual(t, "filtered", a.body, m.Filter(map[string]string{"offense": "murder", "coverage": "coverage >= 0.9"}, "spearman"))
	if len(got.Specs) == 0 || got.Summary.Specs != len(got.Specs) {
		t.Fatalf("%d specifications, summary %d", len(got.Specs), got.Summary.Specs)
	}
	for _, s := range got.Specs {
		if s.Spec["offense"] != "murder" || s.Spec["coverage"] != "coverage >= 0.9" || s.Estimator != "spearman" {
			t.Fatalf("kept %s %v", s.Estimator, s.Spec)
		}
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTables: a table downloads as `assay export` writes it, every row.
func TestTables(t *testing.T) {
	f := served(t)
	var list []tableInfo
	f.get(t, "/api/tables").decode(t, 200, &list)
	if len(list) != len(tableNames()) || list[0].Doc == "" {
		t.Fatalf("tables %+v", list)
	}
	a := f.get(t, "/api/tables/audit?format=csv")
	if a.status != 200 || a.header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(a.header.Get("Content-Disposition"), `filename="audit.csv"`) {
		t.Fatalf("audit.csv: %d %v", a.status, a.header)
	}
	rows, err := csv.NewReader(bytes.NewReader(a.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(f.ds.Audit)+1 || rows[0][0] != "source" {
		t.Errorf("audit.csv: %d rows and header %v; the audit has %d entries", len(rows), rows[0], len(f.ds.Audit))
	}
	pq := f.get(t, "/api/tables/crime_metro_year?format=parquet")
	if pq.status != 200 || !bytes.HasPrefix(pq.body, []byte("PAR1")) || !bytes.HasSuffix(pq.body, []byte("PAR1")) {
		t.Errorf("crime_metro_year.parquet: status %d, %d bytes, not Parquet", pq.status, len(pq.body))
	}
	if again := f.get(t, "/api/tables/audit?format=csv"); !bytes.Equal(again.body, a.body) {
		t.Error("the second download differs from the first")
	}
}
