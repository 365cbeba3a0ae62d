package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay/duckdb"
)

func newExportCmd() *cobra.Command {
	var dbPath, table, format, out string
	cmd := &cobra.Command{
		Use:   "export --table T --format csv|parquet --out FILE [flags]",
		Short: "Write one warehouse table to a CSV or Parquet file",
		Long: `export writes one table of the warehouse to a file for R, Stata, Python or a
spreadsheet. CSV has a header row and leaves NULL empty; Parquet keeps the
column types. The file is written whole or not at all, even when the command
is interrupted. --out may replace an earlier export of the same format, never
the warehouse, a directory or another kind of file.

List the tables with: assay sql "SHOW TABLES"`,
		Example: `  assay export --db assay.duckdb --table audit --format csv --out audit.csv`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case table == "":
				return usagef("--table is required")
			case out == "":
				return usagef("--out is required")
			case !slices.Contains(duckdb.ExportFormats, format):
				return usagef("--format must be %s", strings.Join(duckdb.ExportFormats, " or "))
			}
			if err := duckdb.CheckExport(out, format, dbPath); err != nil {
				return usagef("--out: %v", err)
			}
			db, err := openStore(dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			return db.Export(cmd.Context(), table, format, out)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dbPath, "db", "", "warehouse file (default: the embedded snapshot)")
	f.StringVar(&table, "table", "", "table to export")
	f.StringVar(&format, "format", "", "file format: "+strings.Join(duckdb.ExportFormats, " or "))
	f.StringVar(&out, "out", "", "file to write (an earlier export of the same format is replaced)")
	return cmd
}
