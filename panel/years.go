package panel

import (
	"slices"

	"github.com/assaylab/assay"
)

// CrimeYears lists, ascending, the years that have records of the given
// kind: the years Rank can rank.
func CrimeYears(records []assay.CrimeRecord, kind assay.AreaKind) []int {
	var ys []int
	for i := range records {
		if records[i].Kind == kind {
			ys = append(ys, records[i].Year)
		}
	}
	slices.Sort(ys)
	return slices.Compact(ys)
}
