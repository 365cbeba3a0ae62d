package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ExportFormats lists the formats Export writes.
var ExportFormats = []string{"csv", "parquet"}

// Export writes one table to the file out as CSV (header row, NULL as an
// empty field) or Parquet (types kept). It writes a temporary file beside
// out and renames it, so out is either the old file or the whole new one,
// and removes the temporary on every error, a cancelled ctx included. It
// refuses what CheckExport refuses, the warehouse file itself among them.
func (db *DB) Export(ctx context.Context, table, format, out string) (err error) {
	if err := CheckExport(out, format, db.path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	name, err := db.table(ctx, table)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	// Absolute, as the exporter's allowed_paths compares it with COPY's.
	tmp, err := filepath.Abs(f.Name())
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("export %s: %w", name, err)
	}
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
	x, src, err := db.exporter(ctx, name, tmp)
	if err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	defer x.Close()
	opts := "FORMAT parquet"
	if format == "csv" {
		opts = "FORMAT csv, HEADER"
	}
	// DuckDB's own temporary file would be a path the exporter may not write;
	// tmp is one already.
	q := fmt.Sprintf("COPY (SELECT * FROM %s) TO %s (%s, USE_TMP_FILE false)", src, literal(tmp), opts)
	if _, err := x.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("export %s to %s: %w", name, out, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	return nil
}

// exporter opens a DuckDB of its own for Export's COPY, which the query
// sandbox refuses: in memory, with the warehouse file attached read-only,
// and file access limited to the files it needs, so that even this
// statement of ours can write nothing but tmp.
// It returns the database and the qualified name of the table to copy.
func (db *DB) exporter(ctx context.Context, name, tmp string) (*sql.DB, string, error) {
	x, err := open("", "read_write")
	if err != nil {
		return nil, "", err
	}
	// One connection: the settings below are per database, but a second
	// connection could be opened before they are all made.
	x.SetMaxOpenConns(1)
	abs, err := filepath.Abs(db.path)
	if err != nil {
		x.Close()
		return nil, "", err
	}
	allowed := []string{literal(tmp), literal(abs), literal(abs + ".wal")}
	// DuckDB takes allowed_paths only while external access is on, so the
	// query sandbox's switches come after it, lock_configuration last.
	stmts := []string{"SET allowed_paths = [" + strings.Join(allowed, ", ") + "]"}
	for _, o := range sandboxOptions {
		stmts = append(stmts, "SET "+o)
	}
	stmts = append(stmts, "ATTACH "+allowed[1]+" AS warehouse (READ_ONLY)")
	for _, q := range stmts {
		if _, err := x.ExecContext(ctx, q); err != nil {
			x.Close()
			return nil, "", err
		}
	}
	return x, "warehouse.main." + ident(name), nil
}
