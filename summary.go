package assay

import (
	"cmp"
	"slices"
)

// Summary is what a dataset holds, in numbers a person checks: rows in and
// out, audit reasons, and per Table 6 year how many areas matched a CBSA.
type Summary struct {
	Files       int           `json:"files"`
	RowsRead    int           `json:"rows_read"`
	RowsLoaded  int           `json:"rows_loaded"`
	RowsSkipped int           `json:"rows_skipped"`
	Reasons     []ReasonCount `json:"audit"`
	Years       []YearCount   `json:"table6"`
}

// ReasonCount counts audit lines of one action and reason.
type ReasonCount struct {
	Action AuditAction `json:"action"`
	Reason string      `json:"reason"`
	N      int         `json:"n"`
}

// YearCount is one Table 6 year.
type YearCount struct {
	Year       int    `json:"year"`
	Source     string `json:"source"`
	MSAs       int    `json:"msas"`
	MSAMatched int    `json:"msas_matched"`
	MDs        int    `json:"mds"`
	MDMatched  int    `json:"mds_matched"`
}

// Summarize counts a dataset.
func Summarize(ds *Dataset) Summary {
	s := Summary{Files: len(ds.Sources)}
	for _, src := range ds.Sources {
		s.RowsRead += src.RowsRead
		s.RowsLoaded += src.RowsLoaded
		s.RowsSkipped += src.RowsSkipped
	}
	reasons := map[ReasonCount]int{}
	for _, a := range ds.Audit {
		reasons[ReasonCount{Action: a.Action, Reason: a.Reason}]++
	}
	for k, n := range reasons {
		k.N = n
		s.Reasons = append(s.Reasons, k)
	}
	slices.SortFunc(s.Reasons, func(a, b ReasonCount) int {
		return cmp.Or(cmp.Compare(a.Action, b.Action), cmp.Compare(b.N, a.N), cmp.Compare(a.Reason, b.Reason))
	})
	years := map[int]*YearCount{}
	for _, r := range ds.Crime {
		y := years[r.Year]
		if y == nil {
			y = &YearCount{Year: r.Year, Source: r.Source}
			years[r.Year] = y
		}
		matched := 0
		if r.CBSA != "" {
			matched = 1
		}
		if r.Kind == KindMSA {
			y.MSAs++
			y.MSAMatched += matched
		} else {
			y.MDs++
			y.MDMatched += matched
		}
	}
	for _, y := range years {
		s.Years = append(s.Years, *y)
	}
	slices.SortFunc(s.Years, func(a, b YearCount) int { return cmp.Compare(a.Year, b.Year) })
	return s
}
