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

// NationalDiff is one figure on which two national series disagree.
type NationalDiff struct {
	Year             int
	Field            string // "population", an offence key ("violent"), a rate ("violent_rate"), "rape_legacy", "rape_revised_rate", ...
	A, B             float64
	SourceA, SourceB string
	RowA, RowB       int
	Diff             float64 // B - A
	Rel              float64 // (B - A) / A
}

type natField struct {
	name string
	rate bool
	get  func(*assay.NationalCrime) assay.Num
}

// nationalFields lists what ReconcileNational compares. Rape is compared
// per definition, not as Counts[Rape], which can be either.
var nationalFields = func() []natField {
	fs := []natField{{"population", false, func(r *assay.NationalCrime) assay.Num { return r.Population }}}
	for o := range assay.NumOffenses {
		if o == assay.Rape {
			continue
		}
		fs = append(fs,
			natField{o.Key(), false, func(r *assay.NationalCrime) assay.Num { return r.Counts[o] }},
			natField{o.Key() + "_rate", true, func(r *assay.NationalCrime) assay.Num { return r.Rate[o] }})
	}
	return append(fs,
		natField{"rape_legacy", false, func(r *assay.NationalCrime) assay.Num { return r.RapeLegacy }},
		natField{"rape_legacy_rate", true, func(r *assay.NationalCrime) assay.Num { return r.RapeLegacyRate }},
		natField{"rape_revised", false, func(r *assay.NationalCrime) assay.Num { return r.RapeRevised }},
		natField{"rape_revised_rate", true, func(r *assay.NationalCrime) assay.Num { return r.RapeRevisedRate }})
}()

// ReconcileNational compares two national series year by year, on every
// figure both give, and returns the differences beyond tol, by year and in
// nationalFields order.
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
		for _, f := range nationalFields {
			va, vb := f.get(ra), f.get(rb)
			if !va.Valid || !vb.Valid {
				continue
			}
			allowed := tol.Count
			if f.rate {
				allowed = tol.Rate
			}
			if math.Abs(vb.V-va.V) <= allowed+1e-9 {
				continue
			}
			d := NationalDiff{Year: ra.Year, Field: f.name, A: va.V, B: vb.V, SourceA: ra.Source, SourceB: rb.Source,
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
