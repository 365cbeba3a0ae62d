package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay/tabular"
)

func newSQLCmd() *cobra.Command {
	var dbPath, format string
	cmd := &cobra.Command{
		Use:   "sql [flags] QUERY",
		Short: "Query the warehouse with SQL",
		Long: `sql runs one query (DuckDB's SQL dialect) on the warehouse and prints the
result. Queries run read-only in a sandbox: one statement that reads (SELECT,
WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, PRAGMA table_info), with no
access to files, the network, extensions or settings. The same holds for the
embedded snapshot. To write a table to a file, use assay export.

Formats: table (aligned, NULL shown as NULL), csv (header row, NULL as an empty
field, empty text as ""), json (one object per line, NULL as null). Rows are
printed as they are read, so any size of result fits in memory; the table
format sizes its columns from the first 1000 rows.

Every table and column is documented in the catalog:
  assay sql "SELECT table_name, column_name, data_type, comment
    FROM duckdb_columns() WHERE NOT internal ORDER BY table_name, column_index"`,
		Example: `  assay sql --db assay.duckdb "SELECT * FROM source"
  assay sql --db assay.duckdb --format csv "SELECT * FROM audit" > audit.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(tabular.Formats, format) {
				return usagef("unknown --format %q (want %s)", format, strings.Join(tabular.Formats, ", "))
			}
			if strings.TrimSpace(args[0]) == "" {
				return usagef("the query is empty")
			}
			db, err := openStore(dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			return db.Stream(cmd.Context(), cmd.OutOrStdout(), format, args[0])
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", "", "warehouse file to query (default: the embedded snapshot)")
	cmd.Flags().StringVar(&format, "format", "table", "output format: "+strings.Join(tabular.Formats, ", "))
	return cmd
}
