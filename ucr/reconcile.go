package ucr

import (
	"math"
	"sort"

	"github.com/assaylab/assay"
)

// Tolerance says how far two national figures may be apart and still agree.
type Tolerance struct {
	// Rate is the absolute gap allowed between two rates per 100,000. The
	// FBI publishes rates to one decimal, so a published rate and the exact
	// count / population it rounds may be up to 0.05 apart.
	Rate float64
	// Count is the absolute gap allowed between two counts or populations;
	// 0: any difference is reported.
	Count float64
}

// DefaultTolerance reports counts and populations that differ at all, and
// rates that differ by more than their published rounding.
func DefaultTolerance() Tolerance { return Tolerance{Rate: rateRounding} }

// Agree reports whether two values of a measure agree within the tolerance.
func (tol Tolerance) Agree(m assay.NationalMeasure, a, b float64) bool {
	allowed := tol.Count
	if m.Rate {
		allowed = tol.Rate
	}
	return math.Abs(b-a) <= allowed+1e-9
}

// NationalDiff is one figure on which two national series disagree.
type NationalDiff struct {
	Year             int
	Field            string // an assay.NationalMeasure key: "population", "violent_count", "violent_rate", "rape_legacy_count", ...
	A, B             float64
	SourceA, SourceB string
	RowA, RowB       int
	Diff             float64 // B - A
	Rel              float64 // (B - A) / A
}

// ReconcileNational compares two national series year by year, on every
// figure both give, and returns the differences beyond tol, by year and in
// assay.NationalMeasures order.
func ReconcileNational(a, b []assay.NationalCrime, tol Tolerance) []NationalDiff {
	byYear := map[int]*assay.NationalCrime{}
	for i := range b {
		byYear[b[i].Year] = &b[i]
	}
	var diffs []NationalDiff
	for i := range a {
		ra := &a[i]
		rb, ok := byYear[ra.Year]
		if !ok {
			continue
		}
		for _, f := range assay.NationalMeasures {
			va, vb := f.Get(ra), f.Get(rb)
			if !va.Valid || !vb.Valid || tol.Agree(f, va.V, vb.V) {
				continue
			}
			d := NationalDiff{Year: ra.Year, Field: f.Key, A: va.V, B: vb.V, SourceA: ra.Source, SourceB: rb.Source,
				RowA: ra.Row, RowB: rb.Row, Diff: vb.V - va.V}
			if va.V != 0 {
				d.Rel = d.Diff / va.V
			}
			diffs = append(diffs, d)
		}
	}
	sort.SliceStable(diffs, func(i, j int) bool { return diffs[i].Year < diffs[j].Year })
	return diffs
}
