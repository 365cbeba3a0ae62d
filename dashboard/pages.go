package dashboard

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/textfmt"
	"github.com/assaylab/assay/internal/version"
	"github.com/assaylab/assay/report"
)

var (
	//go:embed templates/*.html
	templateFS embed.FS
	//go:embed static
	staticFS embed.FS
)

// pageNames are the pages, each a template of its own over the layout.
var pageNames = []string{"overview", "claim", "map", "metro", "scatter", "multiverse", "data", "error"}

// page is what the layout draws around a page's content.
type page struct {
	Title   string
	Nav     string // the section the page belongs to
	Version string
	Source  string // the data, in words
	Content any
}

// routes builds the handler: pages, API, figures and static files, inside
// the security checks.
func (s *Server) routes() (http.Handler, error) {
	pages := map[string]*template.Template{}
	base, err := template.New("layout").Funcs(template.FuncMap{
		"badge": verdictClass,
		"num":   func(n assay.Num) string { return textfmt.Number(n.V) },
		"pct":   func(e *assay.Estimate) string { return estimatePct(e) },
		"join":  strings.Join,
	}).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	for _, name := range pageNames {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("dashboard: %w", err)
		}
		pages[name] = t
	}
	s.pages = pages
	mux := http.NewServeMux()
	for pattern, h := range map[string]http.HandlerFunc{
		"/{$}": s.overview, "/claims/{id}": s.claimPage, "/map": s.mapPage, "/metro": s.metroPage,
		"/scatter": s.scatterPage, "/multiverse": s.multiversePage, "/data": s.dataPage,
	} {
		mux.HandleFunc(pattern, s.cachedPage(h))
	}
	for pattern, h := range map[string]http.HandlerFunc{"/figures/{file}": s.figureFile, "/static/{file}": staticFile, "/": s.notFound} {
		mux.HandleFunc(pattern, h)
	}
	for path, h := range s.apiRoutes() {
		// "/api/" is the index alone, not every path under it.
		if strings.HasSuffix(path, "/") {
			path += "{$}"
		}
		mux.HandleFunc(path, h)
	}
	return secure(mux), nil
}

// staticFile serves a file of the embedded static folder by its name
// alone: no directory is listed, and no path leaves the folder (a name with
// a slash or dot-dot is not one of the files).
func staticFile(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if strings.ContainsAny(name, `/\`) || !fs.ValidPath(name) {
		writeError(w, http.StatusNotFound, "no such file")
		return
	}
	b, err := staticFS.ReadFile(path.Join("static", name))
	if err != nil {
		writeError(w, http.StatusNotFound, "no such file")
		return
	}
	sum := sha256.Sum256(b)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

// notFound answers a path the dashboard does not serve.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeError(w, http.StatusNotFound, "no such endpoint; /api/ lists them")
		return
	}
	s.errorPage(w, r, http.StatusNotFound, errors.New("There is no page at "+r.URL.Path+"."))
}

// render writes a page, or the error page when its template fails.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.Version, p.Source = version.String(), report.SourcePhrase(s.opt.DBPath)
	var b bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&b, "layout", p); err != nil {
		status, b = http.StatusInternalServerError, bytes.Buffer{}
		fmt.Fprintf(&b, "<!DOCTYPE html><title>Error</title><p>The page could not be drawn: %s</p>", template.HTMLEscapeString(err.Error()))
	}
	writeBytes(w, status, "text/html; charset=utf-8", b.Bytes())
}

// errorPage shows a request's error as a page: a parameter's with the
// values allowed.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, code int, err error) {
	body := apiError{Error: err.Error()}
	if code == 0 {
		code, body = status(err)
	}
	s.render(w, r, code, "error", page{Title: http.StatusText(code), Content: struct {
		Status int
		apiError
	}{code, body}})
}

// verdictClass names each verdict's badge style in app.css by the
// verdict's first word.
func verdictClass(v assay.Verdict) string {
	return "v-" + strings.Fields(string(v))[0]
}

// estimatePct writes a share with its margin of error, in percent.
func estimatePct(e *assay.Estimate) string {
	if e == nil || !e.Value.Valid {
		return ""
	}
	s := textfmt.Pct(e.Value.V, 1)
	if e.MOE.Valid {
		s += " ± " + textfmt.Pct(e.MOE.V, 1)
	}
	return s
}

// figureView is a figure as a page shows it: inline, with links to its
// SVG and to the numbers it draws.
type figureView struct {
	ID, Alt  string
	SVG      template.HTML
	CSV, Raw string
}

// inline readies a drawn figure for a page; file names its route under
// /figures/ and query the page's parameters.
func inline(d *drawn, file string, query url.Values) figureView {
	q := ""
	if len(query) > 0 {
		q = "?" + query.Encode()
	}
	// The chart package escapes every text and attribute it writes: its
	// SVG is safe to set in the page as it is.
	return figureView{ID: d.fig.ID, Alt: d.fig.Alt, SVG: template.HTML(d.SVG), CSV: "/figures/" + file + ".csv" + q, Raw: "/figures/" + file + ".svg" + q}
}

// figureFile serves a page's figure as SVG or as the CSV of its numbers,
// for the same parameters as the page.
func (s *Server) figureFile(w http.ResponseWriter, r *http.Request) {
	name, ext, _ := strings.Cut(r.PathValue("file"), ".")
	if ext != "svg" && ext != "csv" {
		writeError(w, http.StatusNotFound, "no such figure: figures are NAME.svg or NAME.csv")
		return
	}
	var d *drawn
	var err error
	switch name {
	case "maps":
		if _, err = readQuery(r.URL.RawQuery, nil); err == nil {
			d, err = s.mapFigure(r.Context())
		}
	case "scatter":
		var p scatterParams
		if p, err = s.parseScatter(r.URL.RawQuery); err == nil {
			var v *scatterView
			if v, err = s.scatter(r.Context(), p); err == nil {
				d, err = v.figure()
			}
		}
	case "multiverse":
		var p multiverseParams
		if p, err = s.parseMultiverse(r.Context(), r.URL.RawQuery, true); err == nil {
			d, err = s.curve(r.Context(), p)
		}
	case "metro":
		d, err = s.metroFigure(r.Context(), r.URL.RawQuery)
	default:
		writeError(w, http.StatusNotFound, "no such figure: maps, scatter, multiverse or metro")
		return
	}
	if err != nil {
		fail(w, err)
		return
	}
	if ext == "svg" {
		writeBytes(w, http.StatusOK, "image/svg+xml", d.SVG)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+d.fig.ID+`.csv"`)
	writeBytes(w, http.StatusOK, "text/csv; charset=utf-8", d.CSV)
}

// cachedFigure draws a figure once per key.
func (s *Server) cachedFigure(ctx context.Context, key string, make func(context.Context) (*drawn, error)) (*drawn, error) {
	v, err := s.cache.get(ctx, "figure/"+key, func(ctx context.Context) (any, error) { return make(ctx) })
	if err != nil {
		return nil, err
	}
	return v.(*drawn), nil
}

// recorded is a page as its handler wrote it.
type recorded struct {
	status int
	header http.Header
	body   bytes.Buffer
}

func (r *recorded) Header() http.Header         { return r.header }
func (r *recorded) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorded) WriteHeader(status int)      { r.status = status }

// notKept carries a page that is not cached (an error, a redirect) to the
// request that asked for it.
type notKept struct{ page *recorded }

func (notKept) Error() string { return "not cached" }

// cachedPage keeps the pages a handler draws, by path and query: a page
// is a function of its address and the findings, and drawing one (a
// figure inline, a table of every metro) costs far more than sending it.
// Only pages answered 200 are kept.
func (s *Server) cachedPage(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := s.pageCache.get(r.Context(), r.URL.Path+"?"+r.URL.RawQuery, func(context.Context) (any, error) {
			rec := &recorded{status: http.StatusOK, header: http.Header{}}
			h(rec, r)
			if rec.status != http.StatusOK {
				return nil, notKept{rec}
			}
			return rec, nil
		})
		var nk notKept
		switch {
		case errors.As(err, &nk):
			v = nk.page
		case err != nil:
			s.errorPage(w, r, 0, err)
			return
		}
		page := v.(*recorded)
		for k, vs := range page.header {
			w.Header()[k] = vs
		}
		w.WriteHeader(page.status)
		w.Write(page.body.Bytes())
	}
}
