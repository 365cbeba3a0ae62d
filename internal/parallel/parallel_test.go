package parallel

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
)

func TestDoRunsEachOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			out := make([]int, n)
			var reports []int
			seen := map[int]bool{}
			err := Do(context.Background(), n, func(i int) error { out[i] += i + 1; return nil }, func(i, f int) {
				seen[i] = true
				reports = append(reports, f)
			})
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range out {
				if v != i+1 {
					t.Fatalf("slot %d holds %d, want %d", i, v, i+1)
				}
			}
			want := make([]int, n)
			for i := range want {
				want[i] = i + 1
			}
			if !slices.Equal(reports, want) || len(seen) != n {
				t.Errorf("progress %v over %d pieces, want %v over %d", reports, len(seen), want, n)
			}
		})
	}
}

func TestDoReturnsTheLowestFailure(t *testing.T) {
	err := Do(context.Background(), 50, func(i int) error {
		if i%10 == 3 {
			return fmt.Errorf("piece %d", i)
		}
		return nil
	}, nil)
	if err == nil || err.Error() != "piece 3" {
		t.Errorf("err = %v, want piece 3, the lowest that failed", err)
	}
}

func TestDoStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Int64
	err := Do(ctx, 1000, func(i int) error {
		if ran.Add(1) == 5 {
			cancel()
		}
		return nil
	}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the cancellation", err)
	}
	if n := ran.Load(); n >= 1000 {
		t.Errorf("%d pieces ran after the cancellation at the fifth", n)
	}
}
