// Package dashboard serves assay's findings as a web app on the user's own
// machine: the claims ledger, maps, a metro explorer, a scatter explorer
// that recomputes a study on the server, the multiverse, and the warehouse
// tables, as pages that work without script (and better with it) and as a
// JSON API returning the findings model the command line prints with
// --json.
//
// It draws every figure with the report's figure functions, computes
// nothing the engine does not (a scatter view is a study run by package
// study, as `assay study` runs it), and serves everything from the binary:
// no file, CDN or network is needed. It is read-only: GET and HEAD, no SQL
// built from a request, every parameter checked against the engine's
// vocabularies and the data.
package dashboard

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/duckdb"
	"github.com/assaylab/assay/panel"
	"github.com/assaylab/assay/papers"
	"github.com/assaylab/assay/report"
	"github.com/assaylab/assay/study"
)

// Options is what a dashboard serves.
type Options struct {
	// Data is the dataset every page reads; DB is the same warehouse
	// opened for table downloads (sandboxed, as duckdb opens every one).
	Data *assay.Dataset
	DB   *duckdb.DB
	// DBPath is the warehouse file; empty means the embedded snapshot.
	DBPath string
	// Seed and Perm are the report's: the seed of every permutation and
	// bootstrap, and the permutations per correlation of the ledger.
	Seed uint64
	Perm int
}

// Server is a dashboard: its routes, its findings and its caches.
type Server struct {
	opt      Options
	data     *study.Data
	defaults scatterParams
	// panelYears are the years the report's panel study spans: the
	// metro explorer's series.
	panelYears study.Years
	metros     []metroName // every metro of the panel, by CBSA code
	byTitle    []metroName // the same, by title, as a reader looks for them
	audit      map[block][]assay.AuditEntry
	// crimeYears are the years of Table 6 by kind of area, sources the
	// immigrant sources the data measures, and metrosDocs and
	// scatterDocs the parameters of /api/metros and of the scatter
	// explorer: asked for on every request, computed once.
	crimeYears  map[assay.AreaKind][]int
	sources     []string
	metrosDocs  []param
	scatterDocs []param
	cache       *cache
	// pageCache keeps drawn pages, fewer than cache keeps findings: a
	// page with its figures inline is up to a megabyte.
	pageCache *cache
	// work holds a token for each recomputation running; waiting counts
	// the requests queued for one.
	work    chan struct{}
	waiting atomic.Int64
	// The report's findings are computed once, in the background, from
	// when Serve starts or a page first asks: the pages that show them
	// wait for them.
	findingsOnce sync.Once
	findingsDone chan struct{}
	rep          *report.Report
	repErr       error
	ctx          context.Context // ends at Close
	stop         context.CancelFunc
	exports      string // a temporary folder for table downloads
	handler      http.Handler
	pages        map[string]*template.Template
}

// metroName is a metro of the panel.
type metroName struct {
	CBSA, Title string
}

// Sizes of the server's bounds.
const (
	// cacheEntries bounds the views kept: a scatter view is a few hundred
	// kilobytes with its renderings.
	cacheEntries = 256
	pageEntries  = 64
	// maxQueued is how many requests may wait for a recomputation before
	// more are told to come back later.
	maxQueued = 64
)

// New prepares a dashboard. Close releases it.
func New(opt Options) (*Server, error) {
	if opt.Data == nil || opt.DB == nil {
		return nil, errors.New("dashboard: no data")
	}
	d, err := study.NewData(opt.Data, "")
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	base, err := papers.Study(report.DefaultStudy)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	ps, err := papers.Study(report.PanelStudy)
	if err != nil || ps.Panel == nil {
		return nil, fmt.Errorf("dashboard: the panel study %s: %v", report.PanelStudy, err)
	}
	dir, err := os.MkdirTemp("", "assay-dashboard-*")
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Server{opt: opt, data: d, defaults: scatterDefaults(base), cache: newCache(cacheEntries), pageCache: newCache(pageEntries),
		work: make(chan struct{}, runtime.GOMAXPROCS(0)), findingsDone: make(chan struct{}), ctx: ctx, stop: stop, exports: dir,
		audit: blockAudit(opt.Data), panelYears: study.Years{Base: ps.Panel.From, End: ps.Panel.To}}
	for _, code := range d.Metros() {
		s.metros = append(s.metros, metroName{code, d.Series(code)[0].Title})
	}
	s.byTitle = slices.Clone(s.metros)
	slices.SortStableFunc(s.byTitle, func(a, b metroName) int { return cmp.Compare(a.Title, b.Title) })
	s.crimeYears = map[assay.AreaKind][]int{}
	for _, k := range []assay.AreaKind{assay.KindMSA, assay.KindMD} {
		s.crimeYears[k] = panel.CrimeYears(opt.Data.Crime, k)
	}
	s.sources = s.measuredSources()
	s.metrosDocs, s.scatterDocs = s.metrosParamDocs(), s.scatterParamDocs()
	if s.handler, err = s.routes(); err != nil {
		stop()
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// warm starts computing the report's findings (the claims ledger and the
// study of every metro with its multiverse: a few seconds) in the
// background, once.
func (s *Server) warm() {
	s.findingsOnce.Do(func() {
		go func() {
			defer close(s.findingsDone)
			s.rep, s.repErr = report.Build(s.ctx, report.Input{Data: s.opt.Data, DB: s.opt.DBPath, Seed: s.opt.Seed, Perm: s.opt.Perm})
		}()
	})
}

// Handler is the dashboard's HTTP handler, security checks included.
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops the findings being computed and removes the table
// downloads' temporary files.
func (s *Server) Close() error {
	s.stop()
	s.findingsOnce.Do(func() { close(s.findingsDone) })
	<-s.findingsDone
	return os.RemoveAll(s.exports)
}

// findings waits for the report's findings.
func (s *Server) findings(ctx context.Context) (*report.Report, error) {
	s.warm()
	select {
	case <-s.findingsDone:
		return s.rep, s.repErr
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// ledger returns the claims ledger, once the findings are in.
func (s *Server) ledger(ctx context.Context) (*claims.Ledger, error) {
	r, err := s.findings(ctx)
	if err != nil {
		return nil, err
	}
	return r.Ledger, nil
}

// errBusy is a recomputation refused because too many wait for one.
var errBusy = errors.New("the server is busy with other recomputations; try again in a moment")

// acquire waits for a recomputation's turn: at most one per core runs at
// once, so that cached views stay fast while new ones are computed, and at
// most maxQueued requests wait.
func (s *Server) acquire(ctx context.Context) (release func(), err error) {
	if s.waiting.Add(1) > maxQueued {
		s.waiting.Add(-1)
		return nil, errBusy
	}
	defer s.waiting.Add(-1)
	select {
	case s.work <- struct{}{}:
		return func() { <-s.work }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *Server) isMetro(code string) bool {
	_, ok := s.metroTitle(code)
	return ok
}

func (s *Server) metroTitle(code string) (string, bool) {
	i, ok := slices.BinarySearchFunc(s.metros, code, func(m metroName, c string) int { return cmp.Compare(m.CBSA, c) })
	if !ok {
		return "", false
	}
	return s.metros[i].Title, true
}

// apiError is the JSON of every error the API answers.
type apiError struct {
	Error string `json:"error"`
	*ParamError
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg})
}

// writeJSON answers with a value as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"the answer could not be written as JSON"}`)
	}
	writeBytes(w, status, "application/json", b)
}

func writeBytes(w http.ResponseWriter, status int, contentType string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", fmt.Sprint(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

func marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	return append(b, '\n'), nil
}

// status is the HTTP status of an error and what to tell the client.
func status(err error) (int, apiError) {
	var pe *ParamError
	switch {
	case errors.As(err, &pe):
		return http.StatusBadRequest, apiError{Error: pe.Error(), ParamError: pe}
	case errors.Is(err, study.ErrTooFew):
		return http.StatusUnprocessableEntity, apiError{Error: err.Error()}
	case errors.Is(err, errBusy):
		return http.StatusServiceUnavailable, apiError{Error: err.Error()}
	case errors.Is(err, errNotFound):
		return http.StatusNotFound, apiError{Error: err.Error()}
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, apiError{Error: "the request took too long"}
	}
	return http.StatusInternalServerError, apiError{Error: cmp.Or(err, errors.New("unknown error")).Error()}
}

// errNotFound is a resource the dashboard does not have.
var errNotFound = errors.New("not found")

// fail answers an API request with its error.
func fail(w http.ResponseWriter, err error) {
	code, body := status(err)
	if code == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, code, body)
}
