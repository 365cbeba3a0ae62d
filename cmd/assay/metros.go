package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/panel"
	"github.com/assaylab/assay/tabular"
)

func newMetrosCmd() *cobra.Command {
	var (
		dbPath, rankBy, kind string
		year, top            int
		asJSON               bool
	)
	c := &cobra.Command{
		Use:   "metros",
		Short: "Rank one year's metropolitan areas by an offence rate",
		Long: `metros ranks the MSAs (or, with --kind md, the metropolitan divisions) the
FBI published for a year by the rate per 100,000 of one offence, highest first.
Areas whose rate the FBI left blank cannot be ranked: they are listed after the
ranking, not silently dropped.`,
		Example: `  assay metros --year 2017 --rank violent_rate --top 10
  assay metros --year 2012 --rank murder --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := assay.ParseOffense(rankBy)
			if err != nil {
				return usagef("--rank: %v", err)
			}
			k := assay.AreaKind(kind)
			if k != assay.KindMSA && k != assay.KindMD {
				return usagef("--kind %q: want msa or md", kind)
			}
			if top < 0 {
				return usagef("--top %d: want 0 (all) or more", top)
			}
			ds, err := loadDataset(cmd.Context(), dbPath, "crime_metro_year")
			if err != nil {
				return err
			}
			if years := panel.CrimeYears(ds.Crime, k); !slices.Contains(years, year) {
				return usagef("--year %d: the data has %s records for %s", year, k, strings.Trim(fmt.Sprint(years), "[]"))
			}
			r := panel.Rank(ds.Crime, year, o, k)
			ranked := r.Top(top)
			if asJSON {
				return writeRanking(cmd, ranked)
			}
			res := &tabular.Result{Columns: []string{"rank", "name", "cbsa", o.Key() + "_rate", o.Key() + "_count", "population", "coverage"}}
			for _, rc := range ranked {
				c := rc.Record
				res.Rows = append(res.Rows, []any{int64(rc.Rank), c.Name, nullText(c.CBSA), c.Rate[o].Cell(), c.Count(o).Cell(), c.Population.Cell(), c.Coverage.Cell()})
			}
			if err := res.Write(cmd.OutOrStdout(), "table"); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d of %d %s records of %d ranked; %d have no published %s rate:",
				len(r.Ranked), len(r.Ranked)+len(r.Unranked), k, year, len(r.Unranked), o.Key())
			for i, c := range r.Unranked {
				sep := ","
				if i == 0 {
					sep = ""
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s", sep, c.Name)
			}
			fmt.Fprintln(cmd.OutOrStdout())
			return nil
		},
	}
	c.Flags().IntVar(&year, "year", 2017, "data year")
	c.Flags().StringVar(&rankBy, "rank", "violent_rate", "offence rate to rank by (violent, murder, rape, robbery, aggravated_assault, property, burglary, larceny_theft, motor_vehicle_theft; _rate optional)")
	c.Flags().IntVar(&top, "top", 0, "show only the first N (0: all)")
	c.Flags().StringVar(&kind, "kind", string(assay.KindMSA), "msa or md (metropolitan divisions)")
	c.Flags().StringVar(&dbPath, "db", "", "warehouse file (default: the embedded snapshot)")
	c.Flags().BoolVar(&asJSON, "json", false, "one JSON object per ranked area: rank, then the record's fields")
	return c
}

// writeRanking prints each ranked record as its JSON object with "rank"
// first, one a line.
func writeRanking(cmd *cobra.Command, ranked []panel.RankedRecord) error {
	w := cmd.OutOrStdout()
	for _, r := range ranked {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "%s\n", b); err != nil {
			return err
		}
	}
	return nil
}
