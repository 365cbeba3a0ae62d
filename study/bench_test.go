package study

import (
	"context"
	"testing"
)

// BenchmarkMultiverse runs the full multiverse of
// builtin:foreignborn_all_metros on the bundled data, 3,600 specifications,
// with 10,000 permutations per specification. docs/study.md and the README
// quote it:
//
//	go test ./study -run '^$' -bench Multiverse -benchtime 3x
func BenchmarkMultiverse(b *testing.B) {
	s, err := Builtin("foreignborn_all_metros")
	if err != nil {
		b.Fatal(err)
	}
	s.Grid.Permutations = 10000
	d, err := NewData(bundled(b), "")
	if err != nil {
		b.Fatal(err)
	}
	specs := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := d.multiverse(context.Background(), s)
		if err != nil {
			b.Fatal(err)
		}
		specs = len(m.Specs)
	}
	b.ReportMetric(float64(specs), "specs")
	b.ReportMetric(float64(specs*b.N)/b.Elapsed().Seconds(), "specs/s")
	b.ReportMetric(float64(specs*s.Grid.Permutations*b.N)/b.Elapsed().Seconds(), "perms/s")
}
