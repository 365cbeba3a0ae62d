package dashboard

import (
	"testing"
)

// BenchmarkScatterFresh recomputes a view no request asked for before
// (a new seed each time), as /api/scatter does, JSON included: every
// metro, Pearson's r and the slope with 9,999 permutations. scripts/loadtest
// measures the same through HTTP.
//
//	go test ./dashboard -run '^$' -bench ScatterFresh -benchtime 50x
func BenchmarkScatterFresh(b *testing.B) {
	s := unserved(b)
	p := s.defaults
	p.Perm = maxPerm
	b.ResetTimer()
	for i := range b.N {
		p.Seed = uint64(i + 1)
		v, err := s.scatter(b.Context(), p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.json(); err != nil {
			b.Fatal(err)
		}
	}
}
