package ingest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/ucr"
)

// reconcileNational compares every pair of national series on the years
// they share and flags each figure on which they disagree beyond rounding,
// on the second file's row: users choosing a source see what the choice
// changes.
func (b *builder) reconcileNational() {
	bySource := map[string][]assay.NationalCrime{}
	var order []string
	for _, r := range b.ds.National {
		if _, ok := bySource[r.Source]; !ok {
			order = append(order, r.Source)
		}
		bySource[r.Source] = append(bySource[r.Source], r)
	}
	for i, a := range order {
		for _, c := range order[i+1:] {
			for _, d := range ucr.ReconcileNational(bySource[a], bySource[c], ucr.DefaultTolerance()) {
				b.ds.Audit = append(b.ds.Audit, assay.AuditEntry{Source: d.SourceB, Row: d.RowB, Action: assay.Flagged,
					Reason: "national_mismatch", Detail: fmt.Sprintf("%d %s: %s here, %s in %s row %d (%+.3g%%)",
						d.Year, d.Field, fmtNum(d.B), fmtNum(d.A), d.SourceA, d.RowA, 100*d.Rel)})
			}
		}
	}
	b.ds.NationalSeries = ChooseNational(b.ds.National, ucr.DefaultTolerance())
}

func fmtNum(v float64) string { return fmt.Sprintf("%.10g", v) }

// ChooseNational builds the national series: every file's figure of every
// measure and year, with one chosen per measure and year by this rule:
//
//  1. the figure that the most other files confirm (agree with it within
//     rounding, ucr.Tolerance) is chosen: a value several independent
//     compilations give is the FBI's current estimate, where one file alone
//     may hold an earlier edition or a transcription slip;
//  2. among figures confirmed equally often, the publisher's own file (the
//     FBI's .xls tables) comes first, then the file that gives the measure
//     for the most years (one compilation across a series keeps its
//     method), then the path.
//
// Every figure is kept, marked by whether it agrees with the chosen one, so
// a claim can cite the files that differ; the pairwise disagreements are in
// the audit too (national_mismatch).
func ChooseNational(recs []assay.NationalCrime, tol ucr.Tolerance) assay.NationalSeries {
	var out assay.NationalSeries
	for _, m := range assay.NationalMeasures {
		years := map[int][]assay.NationalFigure{}
		span := map[string]int{} // years each file gives the measure
		for i := range recs {
			r := &recs[i]
			if v := m.Get(r); v.Valid {
				years[r.Year] = append(years[r.Year], assay.NationalFigure{Measure: m.Key, Year: r.Year, Value: v.V, Source: r.Source, Row: r.Row})
				span[r.Source]++
			}
		}
		for _, y := range slices.Sorted(maps.Keys(years)) {
			figs := years[y]
			slices.SortFunc(figs, func(a, b assay.NationalFigure) int {
				return cmp.Or(-cmpBool(original(a.Source), original(b.Source)), cmp.Compare(span[b.Source], span[a.Source]), cmp.Compare(a.Source, b.Source))
			})
			best, bestN := 0, -1
			for i, f := range figs {
				n := 0
				for _, g := range figs {
					if tol.Agree(m, f.Value, g.Value) {
						n++
					}
				}
				if n > bestN {
					best, bestN = i, n
				}
			}
			for i := range figs {
				figs[i].Chosen = i == best
				figs[i].Agrees = tol.Agree(m, figs[best].Value, figs[i].Value)
			}
			slices.SortFunc(figs, func(a, b assay.NationalFigure) int { return cmp.Compare(a.Source, b.Source) })
			out = append(out, figs...)
		}
	}
	return out
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
