package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i + 1)
	}
	for _, tc := range []struct {
		v    []time.Duration
		q    float64
		want time.Duration
	}{
		{hundred, 0.5, 50}, {hundred, 0.99, 99}, {hundred, 0.991, 100}, {hundred, 1, 100}, {hundred, 0, 1},
		{[]time.Duration{7}, 0.99, 7}, {nil, 0.5, 0},
	} {
		if got := quantile(tc.v, tc.q); got != tc.want {
			t.Errorf("quantile of %d values at %g = %d, want %d", len(tc.v), tc.q, got, tc.want)
		}
	}
}

func TestCheck(t *testing.T) {
	ok := options{url: "http://127.0.0.1:8080/api/claims?seed={i}", rate: 10, n: 10, duration: time.Second, timeout: time.Second}
	if err := ok.check(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		set  func(*options)
		want string
	}{
		{"no url", func(o *options) { o.url = "" }, "required"},
		{"another machine", func(o *options) { o.url = "http://10.0.0.1:8080/" }, "only a server on this machine"},
		{"a name", func(o *options) { o.url = "http://example.com/" }, "only a server on this machine"},
		{"https", func(o *options) { o.url = "https://127.0.0.1/" }, "want http://"},
		{"rate", func(o *options) { o.rate = 0 }, "-rate"},
		{"unbounded", func(o *options) { o.n = maxRequests + 1 }, "-n"},
		{"forever", func(o *options) { o.duration = time.Hour }, "-duration"},
	} {
		o := ok
		tc.set(&o)
		if err := o.check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", tc.name, err, tc.want)
		}
	}
}

// TestLoad sends requests to a server that fails every fifth: each is
// sent once, with its own number, and the failures are counted.
func TestLoad(t *testing.T) {
	var mu sync.Mutex
	got := map[int]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, _ := strconv.Atoi(r.URL.Query().Get("i"))
		mu.Lock()
		got[i] = true
		mu.Unlock()
		if i%5 == 0 {
			http.Error(w, "no", http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	r := load(context.Background(), options{url: srv.URL + "/?i={i}", rate: 500, n: 40, duration: 10 * time.Second, timeout: time.Second})
	mu.Lock()
	if r.Requests != 40 || len(got) != 40 || !got[1] || !got[40] || r.Errors != 8 || !strings.Contains(r.FirstFail, "500") {
		t.Errorf("result %+v; numbers seen %d", r, len(got))
	}
	mu.Unlock()
	if !(r.P50 > 0 && r.P50 <= r.P99 && r.P99 <= r.Max) {
		t.Errorf("latencies %+v", r)
	}
	// The duration bounds the run before n does.
	short := load(context.Background(), options{url: srv.URL + "/?i=41", rate: 10, n: 1000, duration: 250 * time.Millisecond, timeout: time.Second})
	if short.Requests != 3 {
		t.Errorf("%d requests in 250 ms at 10 a second, want 3", short.Requests)
	}
}
