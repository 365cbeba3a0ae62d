package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/ingest"
	"github.com/assaylab/assay/snapshot"
	"github.com/assaylab/assay/tabular"
	"github.com/assaylab/assay/ucr"
)

func newInspectTable6Cmd() *cobra.Command {
	var (
		opt     ucr.Options
		vintage string
		asJSON  bool
	)
	c := &cobra.Command{
		Use:   "table6 FILE",
		Short: "Print the MSA and M.D. records of one FBI Table 6 file",
		Long: `Reads one FBI Crime in the United States Table 6 ("by Metropolitan Statistical
Area") in any layout the FBI published (CSV saves with title rows, the 2019-style
CSV export, legacy .xls, .xlsx), with no warehouse, and matches each area name to
a CBSA code of the delineation --vintage (from the embedded snapshot).

With --json, prints one JSON object per MSA or M.D. record: year, kind (msa or
md), name, cbsa (null when unmatched), population, coverage, and for each offence
<offence>_rate, <offence>_count, <offence>_reported and <offence>_estimated
(null where the FBI left the cell blank). Problems go to stderr as
FILE:ROW: reason: detail. An unreadable file exits 1.`,
		Example: `  assay inspect table6 ../shared/data/ucr/table6_msa/ColZoel_Synthetic_St_Louis/2012.csv --json
  assay inspect table6 export.csv --year 2019`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opt.Year != 0 {
				if err := ucr.CheckYear(opt.Year); err != nil {
					return usagef("--year: %v", err)
				}
			}
			res, err := ucr.ReadTable6(args[0], opt)
			if err != nil {
				return err
			}
			d, err := snapshotDelineation(vintage)
			if err != nil {
				return err
			}
			res.Audit = append(res.Audit, ingest.Match(res.Records, d)...)
			for _, a := range res.Audit {
				if a.Action == assay.Flagged {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s:%d: %s: %s\n", a.Source, a.Row, a.Reason, a.Detail)
				}
			}
			if asJSON {
				return writeJSONLines(cmd.OutOrStdout(), res.Records)
			}
			return crimeTable(res.Records).Write(cmd.OutOrStdout(), "table")
		},
	}
	c.Flags().IntVar(&opt.Year, "year", 0, "data year, where neither the title nor the file name gives it (an error if it contradicts the title)")
	c.Flags().StringVar(&vintage, "vintage", ingest.DefaultVintage, "OMB delineation vintage to match names against")
	c.Flags().BoolVar(&asJSON, "json", false, "one JSON object per record")
	return c
}

// snapshotDelineation returns a delineation of the embedded snapshot.
func snapshotDelineation(vintage string) (*assay.Delineation, error) {
	ds, err := snapshot.Some("cbsa_county")
	if err != nil {
		return nil, err
	}
	var have []string
	for i := range ds.Delineations {
		if ds.Delineations[i].Vintage == vintage {
			return &ds.Delineations[i], nil
		}
		have = append(have, ds.Delineations[i].Vintage)
	}
	return nil, usagef("no delineation of vintage %q (have %v)", vintage, have)
}

func writeJSONLines[T any](w io.Writer, recs []T) error {
	enc := json.NewEncoder(w)
	for i := range recs {
		if err := enc.Encode(recs[i]); err != nil {
			return err
		}
	}
	return nil
}

// crimeTable is the short text view of crime records.
func crimeTable(recs []assay.CrimeRecord) *tabular.Result {
	res := &tabular.Result{Columns: []string{"year", "kind", "name", "cbsa", "population", "coverage", "violent_rate", "murder_rate", "property_rate"}}
	for i := range recs {
		r := &recs[i]
		res.Rows = append(res.Rows, []any{int64(r.Year), string(r.Kind), r.Name, nullText(r.CBSA), r.Population.Cell(),
			r.Coverage.Cell(), r.Rate[assay.Violent].Cell(), r.Rate[assay.Murder].Cell(), r.Rate[assay.Property].Cell()})
	}
	return res
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
