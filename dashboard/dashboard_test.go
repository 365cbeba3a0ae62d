package dashboard

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/duckdb"
	"github.com/assaylab/assay/snapshot"
)

// fixture is one dashboard of the embedded snapshot, on a real DuckDB,
// served on loopback by Serve, shared by every test of the package.
type fixture struct {
	srv  *Server
	ds   *assay.Dataset
	base string // http://127.0.0.1:PORT
	stop context.CancelFunc
	done chan error
}

var (
	fx     *fixture
	fxErr  error
	fxOnce sync.Once
)

// The options the fixture serves with: the command's defaults.
const (
	testSeed = 1
	testPerm = 9999
)

func served(t testing.TB) *fixture {
	t.Helper()
	fxOnce.Do(func() { fx, fxErr = start() })
	if fxErr != nil {
		t.Fatal(fxErr)
	}
	return fx
}

// newServer makes a dashboard of the embedded snapshot.
func newServer() (*Server, error) {
	ds, err := snapshot.Dataset()
	if err != nil {
		return nil, err
	}
	image, err := snapshot.Warehouse()
	if err != nil {
		return nil, err
	}
	defer image.Close()
	db, err := duckdb.OpenImage(image)
	if err != nil {
		return nil, err
	}
	return New(Options{Data: ds, DB: db, Seed: testSeed, Perm: testPerm})
}

// unserved is a dashboard that is not served, closed at the end of the
// test.
func unserved(t testing.TB) *Server {
	t.Helper()
	s, err := newServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		s.opt.DB.Close()
	})
	return s
}

func start() (*fixture, error) {
	srv, err := newServer()
	if err != nil {
		return nil, err
	}
	ds := srv.opt.Data
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	f := &fixture{srv: srv, ds: ds, base: "http://" + ln.Addr().String(), stop: stop, done: make(chan error, 1)}
	go func() { f.done <- Serve(ctx, ln, srv) }()
	return f, nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fx != nil {
		fx.stop()
		if err := <-fx.done; err != nil && code == 0 {
			os.Stderr.WriteString("Serve: " + err.Error() + "\n")
			code = 1
		}
		fx.srv.Close()
		fx.srv.opt.DB.Close()
	}
	os.Exit(code)
}

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// get requests a path of the fixture (kept as written: no cleaning).
func (f *fixture) get(t testing.TB, path string, header ...string) answer {
	t.Helper()
	return f.do(t, http.MethodGet, path, nil, header...)
}

func (f *fixture) do(t testing.TB, method, path string, body io.Reader, header ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, f.base+"/", body)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Opaque = path // sent as written, dot-dot and escapes included
	if i := strings.IndexByte(path, '?'); i >= 0 {
		req.URL.Opaque, req.URL.RawQuery = path[:i], path[i+1:]
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return answer{res.StatusCode, res.Header, b}
}

// decode reads a JSON answer into v, failing on another status.
func (a answer) decode(t testing.TB, want int, v any) {
	t.Helper()
	if a.status != want {
		t.Fatalf("status %d, want %d: %s", a.status, want, a.body)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q", ct)
	}
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("%v: %s", err, a.body)
	}
}

// jsonEqual compares two values by their JSON.
func jsonEqual(t testing.TB, what string, got []byte, want any) {
	t.Helper()
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var g, ww any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := json.Unmarshal(w, &ww); err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(ww)
	if string(gb) != string(wb) {
		t.Errorf("%s: the API's JSON differs from the engine's\n got %.600s\nwant %.600s", what, gb, wb)
	}
}
