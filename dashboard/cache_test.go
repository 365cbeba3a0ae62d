package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCache(t *testing.T) {
	ctx := context.Background()
	t.Run("one computation for concurrent requests", func(t *testing.T) {
		c := newCache(4)
		var calls atomic.Int32
		release := make(chan struct{})
		var wg sync.WaitGroup
		vals := make([]any, 16)
		for i := range vals {
			wg.Add(1)
			go func() {
				defer wg.Done()
				vals[i], _ = c.get(ctx, "k", func(context.Context) (any, error) {
					calls.Add(1)
					<-release
					return 42, nil
				})
			}()
		}
		time.Sleep(20 * time.Millisecond)
		close(release)
		wg.Wait()
		if calls.Load() != 1 {
			t.Errorf("%d computations for one key", calls.Load())
		}
		for _, v := range vals {
			if v != 42 {
				t.Fatalf("value %v", v)
			}
		}
	})
	t.Run("least recently used goes first", func(t *testing.T) {
		c := newCache(2)
		calls := map[string]int{}
		get := func(k string) {
			c.get(ctx, k, func(context.Context) (any, error) { calls[k]++; return k, nil })
		}
		get("a")
		get("b")
		get("a") // a is now the most recent
		get("c") // evicts b
		get("a")
		get("b")
		if calls["a"] != 1 || calls["b"] != 2 || calls["c"] != 1 {
			t.Errorf("computations %v, want a once, b twice, c once", calls)
		}
	})
	t.Run("errors are not kept", func(t *testing.T) {
		c := newCache(2)
		n := 0
		for range 2 {
			_, err := c.get(ctx, "k", func(context.Context) (any, error) { n++; return nil, errors.New("boom") })
			if err == nil {
				t.Fatal("no error")
			}
		}
		if n != 2 {
			t.Errorf("%d computations of a failing key, want 2", n)
		}
	})
	t.Run("a waiter computes when the first requester leaves", func(t *testing.T) {
		c := newCache(2)
		first, cancel := context.WithCancel(ctx)
		started := make(chan struct{})
		go c.get(first, "k", func(ctx context.Context) (any, error) {
			close(started)
			<-ctx.Done()
			return nil, ctx.Err()
		})
		<-started
		got := make(chan any)
		go func() {
			v, _ := c.get(ctx, "k", func(context.Context) (any, error) { return "second", nil })
			got <- v
		}()
		time.Sleep(10 * time.Millisecond)
		cancel()
		if v := <-got; v != "second" {
			t.Errorf("the waiter got %v", v)
		}
	})
}

// TestRecomputationBound: at most one recomputation per core runs, and
// when maxQueued requests wait for one, the next is told to come back.
func TestRecomputationBound(t *testing.T) {
	f := served(t)
	s := f.srv
	for range cap(s.work) {
		s.work <- struct{}{}
	}
	s.waiting.Add(maxQueued)
	defer func() {
		s.waiting.Add(-maxQueued)
		for range cap(s.work) {
			<-s.work
		}
	}()
	// A view no test computes: a fresh seed.
	a := f.get(t, fmt.Sprintf("/api/scatter?seed=%d", time.Now().UnixNano()%maxSeed+1))
	if a.status != http.StatusServiceUnavailable || a.header.Get("Retry-After") == "" {
		t.Errorf("a recomputation past the queue: %d %v %s", a.status, a.header, a.body)
	}
	// A cached answer does not wait for the bound.
	if a := f.get(t, "/api/claims"); a.status != 200 {
		t.Errorf("a cached answer while recomputations are busy: %d", a.status)
	}
}
