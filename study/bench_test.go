package study

import (
	"context"
	"testing"
)

// BenchmarkMultiverse runs the full multiverse of
// builtin:foreignborn_all_metros on the bundled data, with its permutation
// p-values (999 shuffles per specification). docs/study.md quotes it:
//
//	go test ./study -run '^$' -bench Multiverse -benchtime 3x
func BenchmarkMultiverse(b *testing.B) {
	s, err := Builtin("foreignborn_all_metros")
	if err != nil {
		b.Fatal(err)
	}
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
}
