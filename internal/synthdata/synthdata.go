// Package synthdata gives tests the embedded snapshot extended with
// SYNTHETIC metro NTCA counts (census/synthetic) whose 2012-2017 share
// change is planted to correlate at a chosen r with each metro's real
// violent-rate change. Only tests import it: it imports package testing.
package synthdata

import (
	"context"
	"sync"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/census/synthetic"
	"github.com/assaylab/assay/ingest"
	"github.com/assaylab/assay/snapshot"
)

// Set is a dataset with planted counts, and what was planted.
type Set struct {
	DS *assay.Dataset
	// Targets are each metro's real violent-rate change the share change
	// was planted against; Truth the generator's own shares.
	Targets map[string]float64
	Truth   map[string]synthetic.Truth
}

var (
	mu    sync.Mutex
	cache = map[float64]*Set{}
)

// Planted returns the snapshot with counts planted at r, built once per r
// within a test binary.
func Planted(t testing.TB, r float64) *Set {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if s, ok := cache[r]; ok {
		return s
	}
	base, err := snapshot.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	s := &Set{Targets: map[string]float64{}, Truth: map[string]synthetic.Truth{}}
	var metros []synthetic.Metro
	for i := range base.Panel.Obs {
		b := &base.Panel.Obs[i]
		if b.Year != 2012 || b.Crime == nil || !b.Crime.Rate[assay.Violent].Valid {
			continue
		}
		e := base.Panel.At(b.CBSA, 2017)
		if e == nil || e.Crime == nil || !e.Crime.Rate[assay.Violent].Valid {
			continue
		}
		s.Targets[b.CBSA] = e.Crime.Rate[assay.Violent].V - b.Crime.Rate[assay.Violent].V
		metros = append(metros, synthetic.Metro{Code: b.CBSA, Title: b.Title, Target: s.Targets[b.CBSA]})
	}
	set, err := synthetic.Generate(synthetic.Options{Seed: 2019, Metros: metros, R: r})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range set.Truth {
		s.Truth[tr.Code] = tr
	}
	dir := t.TempDir()
	if err := set.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	if s.DS, err = ingest.Extend(context.Background(), base, ingest.Options{Census: []string{dir}}); err != nil {
		t.Fatal(err)
	}
	cache[r] = s
	return s
}
