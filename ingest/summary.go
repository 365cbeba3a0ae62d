package ingest

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/assaylab/assay"
)

// Summary is what an ingest did: the dataset's counts (assay.Summary) and
// how its agency panel compares with Table 6's city rows, which takes the
// ucr reader's matching and so is not part of the root summary.
type Summary struct {
	assay.Summary
	// Agencies counts the agency panel; nil without one.
	Agencies *AgencyCount `json:"agencies,omitempty"`
}

// Summarize counts a dataset.
func Summarize(ds *assay.Dataset) Summary {
	return Summary{Summary: assay.Summarize(ds), Agencies: countAgencies(ds)}
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
