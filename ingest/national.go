package ingest

import (
	"fmt"

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
}

func fmtNum(v float64) string { return fmt.Sprintf("%.10g", v) }
