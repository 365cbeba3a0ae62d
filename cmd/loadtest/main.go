// Command loadtest sends GET requests at a fixed rate to a server on this
// machine and reports the latencies and errors: the load test of assay's
// dashboard (scripts/loadtest runs it). The rate is held whatever the
// server does (an open loop): a request's latency counts from when it was
// due, so a slow server cannot hide its queue by slowing the test down.
//
//	loadtest -url 'http://127.0.0.1:8080/api/claims' -rate 1000 -duration 10s
//	loadtest -url 'http://127.0.0.1:8080/api/scatter?seed={i}' -rate 10 -n 200
//
// {i} in the URL becomes the request's number (1, 2, ...), so that each
// request asks for something no earlier one did. It only targets loopback
// addresses, and stops by itself: after -n requests or -duration, whichever
// comes first.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Bounds on one run.
const (
	maxRequests = 1_000_000
	maxDuration = 10 * time.Minute
	maxInFlight = 4096
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// options is one run's settings.
type options struct {
	url      string
	rate     float64
	n        int
	duration time.Duration
	timeout  time.Duration
}

// result is what a run measured.
type result struct {
	URL       string  `json:"url"`
	Rate      float64 `json:"rate_asked"`
	Requests  int     `json:"requests"`
	Errors    int     `json:"errors"`
	Achieved  float64 `json:"rate_achieved"`
	P50       float64 `json:"p50_ms"`
	P90       float64 `json:"p90_ms"`
	P99       float64 `json:"p99_ms"`
	Max       float64 `json:"max_ms"`
	FirstFail string  `json:"first_error,omitempty"`
}

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	var o options
	var asJSON bool
	fs.StringVar(&o.url, "url", "", "the URL to GET; {i} becomes the request's number")
	fs.Float64Var(&o.rate, "rate", 100, "requests a second")
	fs.IntVar(&o.n, "n", 1000, "requests at most")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "time at most")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "one request's time at most")
	fs.BoolVar(&asJSON, "json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	r := load(context.Background(), o)
	if asJSON {
		return json.NewEncoder(w).Encode(r)
	}
	_, err := fmt.Fprintf(w, "%s\n  %d requests at %.0f/s asked, %.0f/s achieved; %d errors; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
		r.URL, r.Requests, r.Rate, r.Achieved, r.Errors, r.P50, r.P90, r.P99, r.Max)
	if err == nil && r.FirstFail != "" {
		_, err = fmt.Fprintf(w, "  first error: %s\n", r.FirstFail)
	}
	return err
}

func (o options) check() error {
	u, err := url.Parse(strings.ReplaceAll(o.url, "{i}", "1"))
	switch {
	case o.url == "":
		return errors.New("-url is required")
	case err != nil || u.Scheme != "http":
		return fmt.Errorf("-url %q: want http://HOST:PORT/PATH", o.url)
	case !loopback(u.Hostname()):
		return fmt.Errorf("-url %q: only a server on this machine (127.0.0.0/8, ::1, localhost) is a target", o.url)
	case !(o.rate > 0 && o.rate <= 100_000):
		return fmt.Errorf("-rate %g: want more than 0, at most 100000 a second", o.rate)
	case o.n < 1 || o.n > maxRequests:
		return fmt.Errorf("-n %d: want 1 to %d", o.n, maxRequests)
	case o.duration <= 0 || o.duration > maxDuration:
		return fmt.Errorf("-duration %v: want more than 0, at most %v", o.duration, maxDuration)
	case o.timeout <= 0 || o.timeout > time.Minute:
		return fmt.Errorf("-timeout %v: want more than 0, at most a minute", o.timeout)
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// load sends the requests, each when it is due, and gathers the result.
func load(ctx context.Context, o options) result {
	// A connection kept for every request in flight: opening one per
	// request would measure the kernel's port allocation, not the server.
	client := &http.Client{Timeout: o.timeout, Transport: &http.Transport{
		MaxIdleConns: maxInFlight, MaxIdleConnsPerHost: maxInFlight, IdleConnTimeout: time.Minute,
	}}
	interval := time.Duration(float64(time.Second) / o.rate)
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      int
		first     string
		wg        sync.WaitGroup
	)
	slots := make(chan struct{}, maxInFlight)
	start := time.Now()
	sent := 0
	for i := 1; i <= o.n; i++ {
		due := start.Add(time.Duration(i-1) * interval)
		if due.Sub(start) >= o.duration {
			break
		}
		time.Sleep(time.Until(due))
		slots <- struct{}{}
		sent++
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			err := get(ctx, client, strings.ReplaceAll(o.url, "{i}", strconv.Itoa(i)))
			took := time.Since(due)
			mu.Lock()
			defer mu.Unlock()
			latencies = append(latencies, took)
			if err != nil {
				errs++
				if first == "" {
					first = err.Error()
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return result{URL: o.url, Rate: o.rate, Requests: sent, Errors: errs, Achieved: float64(sent) / elapsed.Seconds(),
		P50: ms(quantile(latencies, 0.50)), P90: ms(quantile(latencies, 0.90)), P99: ms(quantile(latencies, 0.99)),
		Max: ms(quantile(latencies, 1)), FirstFail: first}
}

// get fetches a URL whole; a status other than 200 is an error.
func get(ctx context.Context, client *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", u, res.Status)
	}
	return nil
}

// quantile is the q-quantile of sorted values, the nearest rank (the
// smallest value with at least q of the values at or below it).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := int(math.Ceil(float64(len(sorted))*q)) - 1
	return sorted[min(max(k, 0), len(sorted)-1)]
}
