package ingest

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/assaylab/assay"
)

// Summary is what an ingest did, in numbers a person checks: rows in and
// out, audit reasons, and per Table 6 year how many areas matched a CBSA.
type Summary struct {
	Files       int           `json:"files"`
	RowsRead    int           `json:"rows_read"`
	RowsLoaded  int           `json:"rows_loaded"`
	RowsSkipped int           `json:"rows_skipped"`
	Reasons     []ReasonCount `json:"audit"`
	Years       []YearCount   `json:"table6"`
	// Agencies counts the agency panel; nil without one.
	Agencies *AgencyCount `json:"agencies,omitempty"`
}

// ReasonCount counts audit lines of one action and reason.
type ReasonCount struct {
	Action assay.AuditAction `json:"action"`
	Reason string            `json:"reason"`
	N      int               `json:"n"`
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
func Summarize(ds *assay.Dataset) Summary {
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
		if r.Kind == assay.KindMSA {
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
	s.Agencies = countAgencies(ds)
	return s
}

// WriteText prints the summary for a terminal.
func (s Summary) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%d files: %d rows read = %d loaded + %d skipped (each skipped row has a line in the audit)\n\n",
		s.Files, s.RowsRead, s.RowsLoaded, s.RowsSkipped)
	fmt.Fprintln(tw, "year\tMSAs\tmatched\tM.D.s\tmatched\tsource")
	for _, y := range s.Years {
		fmt.Fprintf(tw, "%d\t%d\t%d (%.1f%%)\t%d\t%d\t%s\n", y.Year, y.MSAs, y.MSAMatched, pct(y.MSAMatched, y.MSAs), y.MDs, y.MDMatched, y.Source)
	}
	if a := s.Agencies; a != nil {
		fmt.Fprintf(tw, "\nagency panel: %d agency-years of %d police agencies, %d-%d; of the %d in Table 6 years, %d matched a principal-city row\n",
			a.AgencyYears, a.Agencies, a.FirstYear, a.LastYear, a.InTable6Years, a.Matched)
		fmt.Fprintf(tw, "(same city, state and year); murders differ in %d of them, population in %d (agency_city_* lines in the audit)\n",
			a.MurdersDiffer, a.PopulationDiffer)
	}
	fmt.Fprintln(tw, "\naudit\treason\tlines")
	for _, r := range s.Reasons {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", r.Action, r.Reason, r.N)
	}
	return tw.Flush()
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
