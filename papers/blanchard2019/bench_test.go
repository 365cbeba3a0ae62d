package blanchard2019

import (
	"context"
	"testing"

	"github.com/assaylab/assay/snapshot"
)

// BenchmarkReproduce is `assay reproduce blanchard2019` on the bundled data
// (4 rules × 2 outcomes, 9,999 permutations each, 2,000 bootstrap draws).
func BenchmarkReproduce(b *testing.B) {
	ds, err := snapshot.Dataset()
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if _, err := Reproduce(context.Background(), ds, ReproduceOptions{Perm: 9999}); err != nil {
			b.Fatal(err)
		}
	}
}
