package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/duckdb"
	"github.com/assaylab/assay/panel"
	"github.com/assaylab/assay/report"
	"github.com/assaylab/assay/schema"
	"github.com/assaylab/assay/study"
)

// endpoint is one route of the JSON API, as its index documents it.
type endpoint struct {
	Path       string  `json:"path"`
	Doc        string  `json:"doc"`
	PathParams []param `json:"path_parameters,omitempty"`
	Params     []param `json:"parameters"`
	Returns    string  `json:"returns"`
	Example    string  `json:"example"`
}

// apiRoutes are the API's handlers by path, as endpoints documents them
// (a test holds the two lists equal).
func (s *Server) apiRoutes() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"/api/": s.apiIndex, "/api/claims": s.apiClaims, "/api/claims/{id}": s.apiClaim, "/api/metros": s.apiMetros,
		"/api/metro/{cbsa}": s.apiMetro, "/api/scatter": s.apiScatter, "/api/multiverse": s.apiMultiverse,
		"/api/tables": s.apiTables, "/api/tables/{name}": s.apiTable,
	}
}

// endpoints lists the API, each parameter with the values the engine and
// this data allow, for the index; the handlers check their parameters
// against the same lists, so the documentation cannot drift from them.
// The multiverse's parameters are its dimensions: the list waits for the
// findings.
func (s *Server) endpoints(ctx context.Context) ([]endpoint, error) {
	mv, err := s.multiverseParamDocs(ctx, false)
	if err != nil {
		return nil, err
	}
	return []endpoint{
		{Path: "/api/", Doc: "this index: every endpoint with its parameters", Params: []param{}, Returns: "the list of endpoints", Example: "/api/"},
		{Path: "/api/claims", Doc: "every claim's verdict with the value computed, its interval, the inputs and the findings behind it",
			Params: []param{}, Returns: "what `assay claims --json` prints", Example: "/api/claims"},
		{Path: "/api/claims/{id}", Doc: "one claim's verdict", PathParams: []param{s.claimParam()}, Params: []param{},
			Returns: "one element of /api/claims", Example: "/api/claims/WP06"},
		{Path: "/api/metros", Doc: "one year's metro areas ranked by an offence rate, highest first; those with the rate left blank listed apart",
			Params: s.metrosDocs, Returns: "{year, offense, kind, ranked: the lines `assay metros --json` prints, unranked: records without the rate}",
			Example: "/api/metros?year=2017&rank=violent&top=10"},
		{Path: "/api/metro/{cbsa}", Doc: "one metro: its delineation, every year's FBI Table 6 record (how its name matched the CBSA, coverage, footnotes) and immigrant shares, and the audit notes on its Table 6 blocks",
			PathParams: []param{s.cbsaParam()}, Params: []param{}, Returns: "a metro profile", Example: "/api/metro/" + s.metros[0].CBSA},
		{Path: "/api/scatter", Doc: "a study of one specification, recomputed by the engine of `assay study`: Pearson's r with its interval and permutation p, the least-squares slope, the sample and the metros left out with why, influence and power",
			Params: s.scatterDocs, Returns: "what `assay study --json` prints for the same study (the scatter page shows its TOML)",
			Example: "/api/scatter?outcome=murder&select=top_count&n=27&pool=fbi"},
		{Path: "/api/multiverse", Doc: "the multiverse of the study of every metro, filtered by any of its choices",
			Params: mv, Returns: "the multiverse of `assay study " + study.BuiltinPrefix + report.DefaultStudy + " --json`, filtered, with its summary",
			Example: "/api/multiverse?offense=murder&estimator=pearson"},
		{Path: "/api/tables", Doc: "the warehouse's tables with what each holds", Params: []param{}, Returns: "[{name, doc, columns, csv, parquet}]", Example: "/api/tables"},
		{Path: "/api/tables/{name}", Doc: "one warehouse table as a file, as `assay export` writes it", PathParams: []param{s.tableParam()},
			Params:  []param{formatParam},
			Returns: "the file, as an attachment", Example: "/api/tables/audit?format=csv"},
	}, nil
}

// apiIndex answers the index, made once: its lists are fixed once the
// findings are in.
func (s *Server) apiIndex(w http.ResponseWriter, r *http.Request) {
	s.constant(w, r, "api/", func(ctx context.Context) (any, error) {
		eps, err := s.endpoints(ctx)
		if err != nil {
			return nil, err
		}
		return map[string]any{
			"about":     "assay's findings as JSON: the same model the command line prints with --json. Every parameter is checked; a bad one is answered 400 with {error, parameter, value, allowed, problem}.",
			"endpoints": eps,
		}, nil
	})
}

// constant answers a request that takes no parameters with a value
// computed once.
func (s *Server) constant(w http.ResponseWriter, r *http.Request, key string, compute func(context.Context) (any, error)) {
	if _, err := readQuery(r.URL.RawQuery, nil); err != nil {
		fail(w, err)
		return
	}
	s.cachedJSON(w, r, key, compute)
}

// cachedJSON answers with a value's JSON, made once per key.
func (s *Server) cachedJSON(w http.ResponseWriter, r *http.Request, key string, compute func(context.Context) (any, error)) {
	b, err := s.cache.get(r.Context(), key, func(ctx context.Context) (any, error) {
		v, err := compute(ctx)
		if err != nil {
			return nil, err
		}
		return marshal(v)
	})
	if err != nil {
		fail(w, err)
		return
	}
	writeBytes(w, http.StatusOK, "application/json", b.([]byte))
}

func (s *Server) apiClaims(w http.ResponseWriter, r *http.Request) {
	s.constant(w, r, "api/claims", func(ctx context.Context) (any, error) {
		l, err := s.ledger(ctx)
		if err != nil {
			return nil, err
		}
		return l.Results, nil
	})
}

func (s *Server) claimParam() param {
	return param{"id", "word", "", "a claim id of claims/claims.csv (WP01, ...; /api/claims lists them)", "the claim"}
}

// claimResult finds a claim's verdict by its id.
func (s *Server) claimResult(ctx context.Context, id string) (assay.ClaimResult, error) {
	l, err := s.ledger(ctx)
	if err != nil {
		return assay.ClaimResult{}, err
	}
	res, ok := l.Result(id)
	if !ok {
		ids := make([]string, len(l.Results))
		for i, r := range l.Results {
			ids[i] = r.ID
		}
		return res, &ParamError{Param: "id", Value: id, Allowed: strings.Join(ids, ", "), Problem: "no such claim"}
	}
	return res, nil
}

func (s *Server) apiClaim(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.constant(w, r, "api/claims/"+id, func(ctx context.Context) (any, error) { return s.claimResult(ctx, id) })
}

// metrosParamDocs documents /api/metros.
func (s *Server) metrosParamDocs() []param {
	var keys []string
	for _, o := range assay.Offenses() {
		keys = append(keys, o.Key())
	}
	return []param{
		{"year", "integer", strconv.Itoa(s.defaults.End), "the years the FBI published Table 6 for the kind: " + joinInts(s.crimeYears[assay.KindMSA]) + " for msa", "data year"},
		{"rank", "word", "violent", strings.Join(keys, ", ") + " (each also with _rate)", "the offence whose rate per 100,000 ranks"},
		{"top", "integer", "0", fmt.Sprintf("0 (all) to %d", len(s.opt.Data.Crime)), "how many to list"},
		{"kind", "word", string(assay.KindMSA), "msa, md", "metropolitan statistical areas or metropolitan divisions"},
	}
}

// metrosAnswer is one year's ranking.
type metrosAnswer struct {
	Year     int                  `json:"year"`
	Offense  string               `json:"offense"`
	Kind     assay.AreaKind       `json:"kind"`
	Ranked   []panel.RankedRecord `json:"ranked"`
	Unranked []*assay.CrimeRecord `json:"unranked"`
}

func (s *Server) apiMetros(w http.ResponseWriter, r *http.Request) {
	q, err := readQuery(r.URL.RawQuery, s.metrosDocs)
	if err != nil {
		fail(w, err)
		return
	}
	kind := assay.AreaKind(q.word("kind", string(assay.KindMSA), []string{string(assay.KindMSA), string(assay.KindMD)}))
	year := q.oneOf("year", s.defaults.End, s.crimeYears[kind])
	var rankWords []string
	for _, o := range assay.Offenses() {
		rankWords = append(rankWords, o.Key(), o.Key()+"_rate")
	}
	o, _ := assay.ParseOffense(q.word("rank", "violent", rankWords))
	top := q.int("top", 0, 0, len(s.opt.Data.Crime))
	if q.err != nil {
		fail(w, q.err)
		return
	}
	s.cachedJSON(w, r, fmt.Sprintf("api/metros?%d&%s&%s&%d", year, o.Key(), kind, top), func(context.Context) (any, error) {
		rk := panel.Rank(s.opt.Data.Crime, year, o, kind)
		return metrosAnswer{Year: year, Offense: o.Key(), Kind: kind, Ranked: rk.Top(top), Unranked: rk.Unranked}, nil
	})
}

func (s *Server) cbsaParam() param {
	return param{"cbsa", "CBSA code", "", fmt.Sprintf("the five-digit code of one of the panel's %d metros", len(s.metros)), "the metro"}
}

// metroCode checks a CBSA code against the panel's metros.
func (s *Server) metroCode(code string) error {
	if !s.isMetro(code) {
		return &ParamError{Param: "cbsa", Value: code, Allowed: s.cbsaParam().Allowed, Problem: "not a metro of the panel"}
	}
	return nil
}

func (s *Server) apiMetro(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("cbsa")
	if err := s.metroCode(code); err != nil {
		fail(w, err)
		return
	}
	s.constant(w, r, "api/metro/"+code, func(context.Context) (any, error) { return s.profile(code), nil })
}

func (s *Server) apiScatter(w http.ResponseWriter, r *http.Request) {
	p, err := s.parseScatter(r.URL.RawQuery)
	if err != nil {
		fail(w, err)
		return
	}
	v, err := s.scatter(r.Context(), p)
	if err != nil {
		fail(w, err)
		return
	}
	b, err := v.json()
	if err != nil {
		fail(w, err)
		return
	}
	writeBytes(w, http.StatusOK, "application/json", b)
}

func (s *Server) apiMultiverse(w http.ResponseWriter, r *http.Request) {
	p, err := s.parseMultiverse(r.Context(), r.URL.RawQuery, false)
	if err != nil {
		fail(w, err)
		return
	}
	s.cachedJSON(w, r, "api/multiverse?"+p.key(), func(ctx context.Context) (any, error) { return s.filtered(ctx, p) })
}

// tableInfo is one warehouse table as the API lists it.
type tableInfo struct {
	Name    string   `json:"name"`
	Doc     string   `json:"doc"`
	Columns []string `json:"columns"`
	CSV     string   `json:"csv"`
	Parquet string   `json:"parquet"`
}

// tables lists the schema's tables: the only names a download accepts.
// The schema is fixed when assay is built, so the list is made once, not
// for every download that checks its name against it.
var tables = sync.OnceValue(func() []tableInfo {
	var out []tableInfo
	for _, t := range schema.Tables(&assay.Dataset{}) {
		cols := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			cols[i] = c.Name
		}
		out = append(out, tableInfo{t.Name, t.Doc, cols, "/api/tables/" + t.Name + "?format=csv", "/api/tables/" + t.Name + "?format=parquet"})
	}
	return out
})

var tableNames = sync.OnceValue(func() []string {
	var names []string
	for _, t := range tables() {
		names = append(names, t.Name)
	}
	return names
})

func (s *Server) tableParam() param {
	return param{"name", "word", "", strings.Join(tableNames(), ", "), "the table"}
}

func (s *Server) apiTables(w http.ResponseWriter, r *http.Request) {
	s.constant(w, r, "api/tables", func(context.Context) (any, error) { return tables(), nil })
}

var formatParam = param{"format", "word", "csv", strings.Join(duckdb.ExportFormats, ", "), "file format: CSV (header, empty for NULL) or Parquet (types kept)"}

// contentTypes of the export formats.
var contentTypes = map[string]string{"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}

// apiTable sends a table as `assay export` writes it: exported once, on
// the first request, into the server's temporary folder. The name is
// checked against the schema's tables before the exporter sees it.
func (s *Server) apiTable(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	q, err := readQuery(r.URL.RawQuery, []param{formatParam})
	if err != nil {
		fail(w, err)
		return
	}
	format := q.word("format", "csv", duckdb.ExportFormats)
	if q.err == nil && !slices.Contains(tableNames(), name) {
		q.fail("name", name, s.tableParam().Allowed, "no such table")
	}
	if q.err != nil {
		fail(w, q.err)
		return
	}
	file := name + "." + format
	path, err := s.cache.get(r.Context(), "table/"+file, func(ctx context.Context) (any, error) {
		release, err := s.acquire(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		out := filepath.Join(s.exports, file)
		return out, s.opt.DB.Export(ctx, name, format, out)
	})
	if err != nil {
		fail(w, err)
		return
	}
	f, err := os.Open(path.(string))
	if err != nil {
		fail(w, err)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		fail(w, err)
		return
	}
	w.Header().Set("Content-Type", contentTypes[format])
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	http.ServeContent(w, r, "", st.ModTime(), f)
}
