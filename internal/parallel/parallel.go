// Package parallel runs independent pieces of work on every core. Each
// piece writes its own result slot, so the outcome does not depend on the
// scheduling: a result seeded by its own key is the same on one core or
// sixteen.
package parallel

import (
	"context"
	"runtime"
	"sync"
)

// Do calls work(i) for each i in [0, n) on up to runtime.GOMAXPROCS(0)
// goroutines. It stops handing out work when ctx ends or a call fails, and
// returns the error of the lowest i that failed, else ctx's error if ctx
// ended before every i ran. done, if not nil, hears after each call which
// i it was and how many have finished, one report at a time, finished
// increasing.
func Do(ctx context.Context, n int, work func(i int) error, done func(i, finished int)) error {
	errs := make([]error, n)
	var (
		mu       sync.Mutex
		finished int
		failed   bool
		wg       sync.WaitGroup
	)
	next := make(chan int)
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				err := work(i)
				mu.Lock()
				errs[i] = err
				failed = failed || err != nil
				finished++
				if done != nil {
					done(i, finished)
				}
				mu.Unlock()
			}
		}()
	}
	stopped := false
	for i := range n {
		mu.Lock()
		stop := failed
		mu.Unlock()
		if stop || ctx.Err() != nil {
			stopped = true
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if stopped {
		return ctx.Err()
	}
	return nil
}
