package duckdb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ExportFormats lists the formats Export writes.
var ExportFormats = []string{"csv", "parquet"}

// Export writes one table to the file out as CSV (header row, NULL as an
// empty field) or Parquet (types kept). It writes a temporary file beside
// out and renames it, so out is either the old file or the whole new one.
func (db *DB) Export(ctx context.Context, table, format, out string) (err error) {
	if !slices.Contains(ExportFormats, format) {
		return fmt.Errorf("export: unknown format %q (want %s)", format, strings.Join(ExportFormats, " or "))
	}
	name, err := db.table(ctx, table)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	// CreateTemp's 0600 suits a secret, not a file made to be shared.
	err = f.Chmod(0o644)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	opts := "FORMAT parquet"
	if format == "csv" {
		opts = "FORMAT csv, HEADER"
	}
	q := fmt.Sprintf("COPY (SELECT * FROM %s) TO %s (%s)", ident(name), literal(tmp), opts)
	if _, err := db.sql.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("export %s to %s: %w", name, out, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	return nil
}
