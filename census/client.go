package census

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DefaultBaseURL is the Census Data API.
const DefaultBaseURL = "https://api.census.gov/data"

// MaxGetVariables is the API's limit on the "get" clause: at most 50
// variables a call, and NAME counts among them (the geography columns of
// the "for" clause do not). More variables are fetched in chunks joined on
// the geography columns.
const MaxGetVariables = 50

// Errors a fetch can end with. None is retried and none is cached.
var (
	ErrInvalidKey      = errors.New("the Census API rejected the key as invalid (check CENSUS_API_KEY; new keys must be activated from the e-mail)")
	ErrMissingKey      = errors.New("the Census API requires a key (set CENSUS_API_KEY; sign up at https://api.census.gov/data/key_signup.html)")
	ErrHTML            = errors.New("the Census API sent an HTML page instead of data")
	ErrNoContent       = errors.New("the Census API has no data for this query (HTTP 204)")
	ErrUnknownVariable = errors.New("the Census API does not know a requested variable")
)

// APIError is a failed API call. Err is one of the Err values above when
// the failure is recognised.
type APIError struct {
	URL    string // key redacted
	Status int
	Body   string // the start of the response
	Err    error
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("census API %s: %s", e.URL, statusText(e.Status))
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

func (e *APIError) Unwrap() error { return e.Err }

// statusText names an HTTP status as users see it: "HTTP 503 Service
// Unavailable".
func statusText(code int) string {
	return strings.TrimSpace(fmt.Sprintf("HTTP %d %s", code, http.StatusText(code)))
}

// DefaultTimeout bounds one request, its body included, unless
// Client.Timeout says otherwise.
const DefaultTimeout = 30 * time.Second

// MaxRetryAfter is the longest wait a Retry-After header may ask for; a
// server that wants more is told "later" by failing now.
const MaxRetryAfter = time.Minute

// Client fetches ACS tables from the Census Data API, with an on-disk cache
// of responses keyed by URL (the key redacted: it is never written to disk).
//
// Each request has Timeout to answer in full. A failure is retried only
// when another attempt can succeed: a timeout, HTTP 429 (after its
// Retry-After, up to MaxRetryAfter), a 5xx answer, or a connection cut
// mid-answer. An unknown host, a refused connection, a TLS failure, a key
// problem or any other 4xx fails at once, with its cause.
type Client struct {
	BaseURL  string        // DefaultBaseURL when empty
	Key      string        // the API key
	HTTP     *http.Client  // http.DefaultClient when nil; Timeout applies either way
	Timeout  time.Duration // per request; DefaultTimeout when zero
	CacheDir string        // no cache when empty
	Progress func(Event)   // told of each step; may be nil

	MaxAttempts int           // per URL, the first included; 3 when zero
	Backoff     time.Duration // first wait before a retry, doubled each time; 1s when zero

	sleep func(context.Context, time.Duration) error // replaced in tests
}

// Request names what to fetch.
type Request struct {
	Table   string // "B05006"
	Years   []int
	Geo     string // "cbsa", "county", "state" or "us"
	Product string // "acs1" or "acs5"
	// Labels restricts the fetch to these variables, named by label and
	// resolved separately in each year; empty fetches the whole table.
	Labels []string
}

// Event reports progress.
type Event struct {
	Table    string
	Year     int
	Step     string // "variables", "data", "retry", "cache-mismatch"
	Chunk    int    // 1-based, for "data"
	Chunks   int
	Cached   bool
	Attempt  int // for "retry": the attempt that failed, of Attempts
	Attempts int
	Wait     time.Duration
	Status   int    // the HTTP status, 0 when there was no answer
	Cause    string // for "retry": what failed ("HTTP 503 Service Unavailable", "timed out after 30s")
	URL      string // key redacted
}

// Response is one year of one table as fetched: the chunks joined into one
// API-shaped JSON table, and the table's variables (groups/<table>.json).
type Response struct {
	Table, Product, Geo string
	Year                int
	Data                []byte
	Variables           []byte
	URLs                []string // key redacted
}

// FileNames are the names Write gives the data and its variables; ReadFile
// and ReadDir find the variables beside the data by them.
func (r *Response) FileNames() (data, variables string) {
	stem := fmt.Sprintf("%s_%d_%s", r.Product, r.Year, r.Table)
	return stem + "_" + r.Geo + ".json", stem + "_variables.json"
}

// Write stores the response in dir as two files.
func (r *Response) Write(dir string) (dataPath, variablesPath string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	d, v := r.FileNames()
	dataPath, variablesPath = filepath.Join(dir, d), filepath.Join(dir, v)
	if err := writeAtomic(dataPath, r.Data); err != nil {
		return "", "", err
	}
	if err := writeAtomic(variablesPath, r.Variables); err != nil {
		return "", "", err
	}
	return dataPath, variablesPath, nil
}

// Result reads the response as ReadFile reads the written files.
func (r *Response) Result() (*Result, error) {
	d, _ := r.FileNames()
	l, err := ParseVariablesJSON(bytes.NewReader(r.Variables), r.Table, r.Year, r.Product)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d, err)
	}
	return Read(bytes.NewReader(r.Data), d, Options{Table: r.Table, Year: r.Year, Product: r.Product, Labels: l})
}

// geoClauses are the API's "for" and "in" clauses per geography.
var geoClauses = map[string][2]string{
	"cbsa":   {"metropolitan statistical area/micropolitan statistical area:*", ""},
	"county": {"county:*", "state:*"},
	"state":  {"state:*", ""},
	"us":     {"us:1", ""},
}

// WithDenominator returns req, and after it, for a B05006 request, the
// B01003 request of the same years, geography and product: origin counts
// become shares only over the total population, which B05006 lacks
// (B05006_001 is the foreign-born total), and LoadOriginCounts pairs the
// two.
func (req Request) WithDenominator() []Request {
	reqs := []Request{req}
	if req.Table == "B05006" {
		reqs = append(reqs, Request{Table: "B01003", Years: req.Years, Geo: req.Geo, Product: req.Product})
	}
	return reqs
}

// Check tells whether req can be asked of the API at all, before anything
// is sent: a product the API serves, a known geography, a table id, and
// years that product was published for.
func (req Request) Check() error {
	product, ok := NormalizeProduct(req.Product)
	if !ok || product == "acs3" {
		return fmt.Errorf("product %q: want acs1 or acs5 (the API no longer serves 3-year estimates)", req.Product)
	}
	if _, ok := geoClauses[req.Geo]; !ok {
		return fmt.Errorf("geography %q: want cbsa, county, state or us", req.Geo)
	}
	if !isTableID(req.Table) {
		return fmt.Errorf("table %q is not an ACS table id (such as B05006)", req.Table)
	}
	for _, y := range req.Years {
		if err := CheckYear(product, y); err != nil {
			return err
		}
	}
	return nil
}

// CheckYear tells whether the ACS published standard tables of product
// (acs1, acs3 or acs5; "" for any) for year.
func CheckYear(product string, year int) error {
	switch {
	case year < 2005:
		return fmt.Errorf("year %d: the ACS begins with 2005", year)
	case year >= time.Now().Year():
		return fmt.Errorf("year %d: not published yet (a year's ACS estimates come out the September after it at the earliest)", year)
	case product == "acs1" && year == 2020:
		return errors.New("ACS 2020 1-year standard tables were not released (only experimental estimates): use acs5 or another year")
	case product == "acs3" && (year < 2007 || year > 2013):
		return fmt.Errorf("year %d: ACS 3-year estimates exist for 2007 to 2013", year)
	case product == "acs5" && year < 2009:
		return fmt.Errorf("year %d: ACS 5-year estimates begin with 2009 (2005-2009)", year)
	}
	return nil
}

// Fetch fetches a table for each year. Variables are chosen by label in
// each year's own variable list, so a label names the same line whatever
// its id that year.
func (c *Client) Fetch(ctx context.Context, req Request) ([]*Response, error) {
	if err := req.Check(); err != nil {
		return nil, err
	}
	product, _ := NormalizeProduct(req.Product)
	var out []*Response
	for _, y := range req.Years {
		r, err := c.fetchYear(ctx, req, product, y)
		if err != nil {
			return nil, fmt.Errorf("%s %s %d %s: %w", req.Table, product, y, req.Geo, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func (c *Client) fetchYear(ctx context.Context, req Request, product string, year int) (*Response, error) {
	base := strings.TrimSuffix(c.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	dataset := fmt.Sprintf("%s/%d/acs/%s", base, year, product)
	resp := &Response{Table: req.Table, Product: product, Geo: req.Geo, Year: year}
	varsURL := dataset + "/groups/" + req.Table + ".json"
	body, err := c.get(ctx, varsURL, Event{Table: req.Table, Year: year, Step: "variables"})
	if err != nil {
		return nil, err
	}
	resp.Variables = body
	resp.URLs = append(resp.URLs, redact(c.withKey(varsURL)))
	labels, names, err := parseVariables(bytes.NewReader(body), req.Table, year, product)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redact(varsURL), err)
	}
	bases, err := chooseVariables(labels, req.Labels)
	if err != nil {
		return nil, err
	}
	get := []string{"NAME"}
	for _, b := range bases {
		for _, k := range []string{"E", "M"} {
			if names[b+k] {
				get = append(get, b+k)
			}
		}
	}
	chunks := chunk(get, MaxGetVariables)
	clause := geoClauses[req.Geo]
	var merged *apiTable
	for i, vars := range chunks {
		u := dataset + "?get=" + queryEscape(strings.Join(vars, ",")) + "&for=" + queryEscape(clause[0])
		if clause[1] != "" {
			u += "&in=" + queryEscape(clause[1])
		}
		body, err := c.get(ctx, u, Event{Table: req.Table, Year: year, Step: "data", Chunk: i + 1, Chunks: len(chunks)})
		if err != nil {
			return nil, err
		}
		resp.URLs = append(resp.URLs, redact(c.withKey(u)))
		t, err := parseAPITable(body, vars)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", redact(c.withKey(u)), err)
		}
		if merged == nil {
			merged = t
			continue
		}
		if err := merged.join(t); err != nil {
			return nil, fmt.Errorf("chunk %d of %d: %w", i+1, len(chunks), err)
		}
	}
	if resp.Data, err = merged.encode(); err != nil {
		return nil, err
	}
	return resp, nil
}

// chooseVariables returns the variable bases to fetch: all of the table's,
// or those the labels name.
func chooseVariables(l *Labels, want []string) ([]string, error) {
	if len(want) == 0 {
		var out []string
		for _, v := range l.Variables() {
			out = append(out, v.ID)
		}
		return out, nil
	}
	var out []string
	for _, lab := range want {
		id, ok := l.Resolve(lab)
		if !ok {
			return nil, fmt.Errorf("no single variable of %s %s %d is labelled %q", l.Table, l.Product, l.Year, lab)
		}
		out = append(out, id)
	}
	return out, nil
}

func chunk(s []string, n int) [][]string {
	var out [][]string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

// queryEscape escapes a query value the way the API's own examples are
// written: spaces as %20, not "+".
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func (c *Client) withKey(u string) string {
	if c.Key == "" {
		return u
	}
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + "key=" + url.QueryEscape(c.Key)
}

// redact replaces the key's value in a URL.
func redact(u string) string {
	i := strings.Index(u, "key=")
	if i < 0 || (i > 0 && u[i-1] != '?' && u[i-1] != '&') {
		return u
	}
	end := strings.IndexByte(u[i:], '&')
	if end < 0 {
		return u[:i] + "key=REDACTED"
	}
	return u[:i] + "key=REDACTED" + u[i+end:]
}

// cacheMeta is stored beside each cached body.
type cacheMeta struct {
	URL     string    `json:"url"` // key redacted
	SHA256  string    `json:"sha256"`
	Fetched time.Time `json:"fetched"`
}

func (c *Client) cachePaths(u string) (body, meta string) {
	sum := sha256.Sum256([]byte(redact(c.withKey(u))))
	stem := filepath.Join(c.CacheDir, hex.EncodeToString(sum[:16]))
	return stem + ".body", stem + ".meta.json"
}

// cached returns a cached body whose checksum still matches.
func (c *Client) cached(u string, ev Event) ([]byte, bool) {
	if c.CacheDir == "" {
		return nil, false
	}
	bp, mp := c.cachePaths(u)
	body, err := os.ReadFile(bp)
	if err != nil {
		return nil, false
	}
	mb, err := os.ReadFile(mp)
	if err != nil {
		return nil, false
	}
	var m cacheMeta
	sum := sha256.Sum256(body)
	if json.Unmarshal(mb, &m) != nil || m.SHA256 != hex.EncodeToString(sum[:]) || m.URL != redact(c.withKey(u)) {
		ev.Step = "cache-mismatch"
		c.report(ev)
		return nil, false
	}
	return body, true
}

func (c *Client) store(u string, body []byte) error {
	if c.CacheDir == "" {
		return nil
	}
	if err := os.MkdirAll(c.CacheDir, 0o755); err != nil {
		return err
	}
	bp, mp := c.cachePaths(u)
	sum := sha256.Sum256(body)
	meta, err := json.MarshalIndent(cacheMeta{URL: redact(c.withKey(u)), SHA256: hex.EncodeToString(sum[:]), Fetched: time.Now().UTC()}, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(bp, body); err != nil {
		return err
	}
	return writeAtomic(mp, append(meta, '\n'))
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

func (c *Client) report(ev Event) {
	if c.Progress != nil {
		c.Progress(ev)
	}
}

// get fetches a URL, served from the cache when there, retrying what
// another attempt can fix (see Client) with exponential backoff.
func (c *Client) get(ctx context.Context, u string, ev Event) ([]byte, error) {
	ev.URL = redact(c.withKey(u))
	if body, ok := c.cached(u, ev); ok {
		ev.Cached = true
		c.report(ev)
		return body, nil
	}
	c.report(ev)
	attempts := c.MaxAttempts
	if attempts <= 0 {
		attempts = 3
	}
	wait := c.Backoff
	if wait <= 0 {
		wait = time.Second
	}
	var last error
	for attempt := 1; attempt <= attempts; attempt++ {
		body, retryAfter, err := c.once(ctx, u)
		if err == nil {
			if err := c.store(u, body); err != nil {
				return nil, fmt.Errorf("cache: %w", err)
			}
			return body, nil
		}
		var re *retryable
		if !errors.As(err, &re) {
			return nil, err
		}
		last = re.err
		if attempt == attempts {
			break
		}
		if retryAfter > MaxRetryAfter {
			return nil, fmt.Errorf("the server asks to wait %s before another attempt, longer than assay waits (%s): try again later: %w", retryAfter, MaxRetryAfter, last)
		}
		d := max(wait, retryAfter)
		c.report(Event{Table: ev.Table, Year: ev.Year, Step: "retry", Chunk: ev.Chunk, Chunks: ev.Chunks,
			Attempt: attempt, Attempts: attempts, Wait: d, Status: re.status, Cause: re.cause, URL: ev.URL})
		if err := c.pause(ctx, d); err != nil {
			return nil, err
		}
		wait *= 2
	}
	return nil, fmt.Errorf("gave up after %d attempts: %w", attempts, last)
}

func (c *Client) pause(ctx context.Context, d time.Duration) error {
	if c.sleep != nil {
		return c.sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryable wraps a failure worth another attempt. cause is its short
// form for progress lines.
type retryable struct {
	status int
	cause  string
	err    error
}

func (r *retryable) Error() string { return r.err.Error() }

// once makes one request, within the client's timeout, and classifies the
// answer.
func (c *Client) once(ctx context.Context, u string) ([]byte, time.Duration, error) {
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, c.withKey(u), nil)
	if err != nil {
		return nil, 0, err
	}
	redacted := redact(c.withKey(u))
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		return nil, 0, transportError(redacted, err, actx, timeout)
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, 512<<20))
	if readErr != nil && ctx.Err() != nil {
		return nil, 0, ctx.Err()
	}
	apiErr := &APIError{URL: redacted, Status: resp.StatusCode}
	final := ""
	if resp.Request != nil && resp.Request.URL != nil {
		final = resp.Request.URL.Path
	}
	switch {
	case resp.Header.Get("X-DataWebAPI-KeyError") != "" || strings.Contains(final, "invalid_key"):
		apiErr.Err = ErrInvalidKey
		return nil, 0, apiErr
	case strings.Contains(final, "missing_key"):
		apiErr.Err = ErrMissingKey
		return nil, 0, apiErr
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		apiErr.Body = snippet(body)
		return nil, retryAfter(resp.Header.Get("Retry-After")), &retryable{status: resp.StatusCode, cause: statusText(resp.StatusCode), err: apiErr}
	case resp.StatusCode == http.StatusNoContent:
		apiErr.Err = ErrNoContent
		return nil, 0, apiErr
	case readErr != nil:
		return nil, 0, transportError(redacted, readErr, actx, timeout)
	case isHTML(resp.Header.Get("Content-Type"), body):
		apiErr.Err = htmlError(body)
		apiErr.Body = snippet(body)
		return nil, 0, apiErr
	case resp.StatusCode != http.StatusOK:
		apiErr.Body = snippet(body)
		if bytes.Contains(body, []byte("unknown variable")) {
			apiErr.Err = ErrUnknownVariable
		}
		return nil, 0, apiErr
	case !json.Valid(body):
		// A body cut short in transit: worth another attempt, never cached.
		return nil, 0, &retryable{status: resp.StatusCode, cause: "truncated answer",
			err: fmt.Errorf("%s: truncated or invalid JSON (%d bytes)", redacted, len(body))}
	}
	return body, 0, nil
}

// transportError names why a request got no whole answer, and wraps in
// retryable what another attempt may fix: a timeout, or a connection cut
// mid-answer. A missing host, a refused connection, a certificate or any
// other failure is returned as it is.
func transportError(u string, err error, actx context.Context, timeout time.Duration) error {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.Is(actx.Err(), context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		cause := fmt.Sprintf("timed out after %s", timeout)
		return &retryable{cause: cause, err: fmt.Errorf("%s: %s without a whole answer (raise --timeout if the server is slow)", u, cause)}
	case errors.As(err, &dns):
		return fmt.Errorf("%s: cannot find host %s: %s (check the address and the network)", u, dns.Name, dns.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("%s: connection refused (nothing listens at that address; check the address)", u)
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return &retryable{cause: "connection cut", err: fmt.Errorf("%s: the connection was cut before the whole answer: %w", u, withoutURL(err))}
	}
	return fmt.Errorf("%s: %w", u, withoutURL(err))
}

func isHTML(contentType string, body []byte) bool {
	if strings.Contains(strings.ToLower(contentType), "text/html") {
		return true
	}
	b := bytes.TrimSpace(body)
	return len(b) > 0 && b[0] == '<'
}

// htmlError tells an invalid key from a missing one by the page's words;
// any other HTML page under 200 is still never data.
func htmlError(body []byte) error {
	low := bytes.ToLower(body)
	switch {
	case bytes.Contains(low, []byte("invalid key")) || bytes.Contains(low, []byte("not valid")):
		return ErrInvalidKey
	case bytes.Contains(low, []byte("missing key")) || bytes.Contains(low, []byte("did not include a key")):
		return ErrMissingKey
	}
	return ErrHTML
}

func snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// withoutURL drops the URL that net/http's errors quote, key included: the
// caller names the URL itself, redacted.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
