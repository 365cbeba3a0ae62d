package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/duckdb"
	"github.com/assaylab/assay/ingest"
	"github.com/assaylab/assay/internal/progress"
	"github.com/assaylab/assay/schema"
	"github.com/assaylab/assay/snapshot"
)

func newIngestCmd() *cobra.Command {
	var (
		opt    ingest.Options
		dbPath string
		asJSON bool
	)
	c := &cobra.Command{
		Use:   "ingest",
		Short: "Build the warehouse from the raw official files",
		Long: `ingest reads every raw file under --data (laid out like ../shared/data: ucr/,
geo/, acs/), matches FBI area names to CBSA codes, sums county Census data into
metros, and writes a DuckDB warehouse to --db.

Every input row is accounted for: rows read = rows loaded + rows skipped, and
each skipped row (and each loaded row with a caveat) has a line in the audit
table. The warehouse is built in a temporary file and renamed into place only
when complete: a failed or interrupted (Ctrl-C) ingest leaves the previous
warehouse as it was and no temporary file. --db may replace only an assay
warehouse. The same file contents give the same tables and rows.

--census adds folders of fetched Census files (assay fetch census): their
B05006 tables, paired with B01003, become origin-group counts by metro, for
assay's origin groups and those a --groups file defines. Without the raw
files (no --data, and none at the default place), the fetched files are
added to the snapshot embedded in assay: a fresh clone needs nothing else.`,
		Example: `  assay ingest --db assay.duckdb
  assay fetch census --table B05006 --years 2012,2017 --geo cbsa --product acs1 --out acs
  assay ingest --census acs --db assay.duckdb`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, err := buildWarehouse(cmd, opt, dbPath)
			if err != nil {
				return err
			}
			s := ingest.Summarize(ds)
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(s)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", dbPath)
			return s.WriteText(cmd.OutOrStdout())
		},
	}
	c.Flags().StringVar(&opt.Data, "data", "", "raw data directory (default: $"+ingest.DataEnv+" if set, else "+ingest.DefaultData+")")
	c.Flags().StringVar(&dbPath, "db", "assay.duckdb", "warehouse file to write (replaces only an earlier assay warehouse)")
	c.Flags().StringArrayVar(&opt.Census, "census", nil, "folder of fetched Census files to load as well (repeatable); without raw files, they are added to the embedded snapshot")
	c.Flags().StringVar(&opt.Groups, "groups", "", "file of further origin groups (the shape of census/groups.toml) to count in the --census files")
	c.Flags().StringVar(&opt.Vintage, "vintage", ingest.DefaultVintage, "OMB delineation vintage to match FBI names and sum counties against")
	c.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return c
}

// buildWarehouse ingests and writes the warehouse at dbPath, replacing it
// only when everything succeeded.
func buildWarehouse(cmd *cobra.Command, opt ingest.Options, dbPath string) (*assay.Dataset, error) {
	named := opt.Data != ""
	if !named {
		opt.Data = ingest.DefaultDataDir()
	}
	inputs := append([]string{opt.Data, opt.Groups}, opt.Census...)
	if err := duckdb.CheckBuild(cmd.Context(), dbPath, inputs...); err != nil {
		return nil, usagef("--db: %v", err)
	}
	bar := progress.New(cmd.ErrOrStderr(), 0, "ingest", quiet(cmd))
	defer bar.Finish()
	var ds *assay.Dataset
	fi, err := os.Stat(opt.Data)
	switch {
	case err == nil && fi.IsDir():
		opt.Progress = bar.Report("reading")
		ds, err = ingest.Run(cmd.Context(), opt)
	case !named && len(opt.Census) > 0:
		// No raw files here: the fetched files join the embedded snapshot.
		var base *assay.Dataset
		if base, err = snapshot.Dataset(); err == nil {
			ds, err = ingest.Extend(cmd.Context(), base, opt)
		}
	default:
		return nil, usagef("--data %s is not a directory (with --census alone, the fetched files are added to the embedded snapshot)", opt.Data)
	}
	var ve *ingest.VintageError
	if errors.As(err, &ve) {
		return nil, usageError{err}
	}
	if err != nil {
		return nil, err
	}
	if err := duckdb.Build(cmd.Context(), dbPath, schema.Tables(ds), bar.Report("writing "+dbPath)); err != nil {
		return nil, err
	}
	return ds, nil
}
