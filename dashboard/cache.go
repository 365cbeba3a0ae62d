package dashboard

import (
	"container/list"
	"context"
	"errors"
	"sync"
)

// cache keeps the most recently used results by key (an endpoint and its
// parameters in canonical form), computing each once however many
// requests ask for it at the same time. Errors are not kept: the next
// request computes again.
type cache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *entry, most recently used first
	byKey map[string]*list.Element
}

type entry struct {
	key  string
	done chan struct{} // closed when val and err are set
	val  any
	err  error
}

func newCache(max int) *cache {
	return &cache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the value of key, computing it with compute when no request
// has. A request that waits for another's computation stops waiting when
// its own ctx ends; one that finds the other's computation cancelled (its
// requester went away) computes again.
func (c *cache) get(ctx context.Context, key string, compute func(context.Context) (any, error)) (any, error) {
	for {
		c.mu.Lock()
		if el, ok := c.byKey[key]; ok {
			c.order.MoveToFront(el)
			e := el.Value.(*entry)
			c.mu.Unlock()
			select {
			case <-e.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if e.err != nil && isCancel(e.err) && ctx.Err() == nil {
				continue
			}
			return e.val, e.err
		}
		e := &entry{key: key, done: make(chan struct{})}
		c.byKey[key] = c.order.PushFront(e)
		for c.order.Len() > c.max {
			old := c.order.Back()
			c.order.Remove(old)
			delete(c.byKey, old.Value.(*entry).key)
		}
		c.mu.Unlock()

		e.val, e.err = compute(ctx)
		if e.err != nil {
			c.mu.Lock()
			if el, ok := c.byKey[key]; ok && el.Value == e {
				c.order.Remove(el)
				delete(c.byKey, key)
			}
			c.mu.Unlock()
		}
		close(e.done)
		return e.val, e.err
	}
}

func isCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
