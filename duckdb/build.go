package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	ddb "github.com/duckdb/duckdb-go/v2"

	"github.com/assaylab/assay"
)

// progressEvery is how many rows pass between progress reports and checks
// for cancellation.
const progressEvery = 8192

// Build writes tables into a new warehouse file at path. It builds in a
// temporary directory beside path and renames the finished file over path
// only once everything has succeeded, including a check that the file read
// back holds len(Rows) rows in every table. An error, a cancelled ctx or a
// panic leaves any previous file at path untouched and removes the
// temporary. A process killed mid-build leaves a hidden .assay-build-*
// directory beside path.
//
// Each cell must be nil or match its column: string for TEXT, int64 for
// BIGINT, float64 for DOUBLE, bool for BOOLEAN; text must be valid UTF-8.
// Table and column docs become COMMENTs, so DuckDB's duckdb_tables() and
// duckdb_columns() serve as the data dictionary.
//
// progress, if not nil, is called at least once per table and every few
// thousand rows with the table being loaded and the rows loaded so far out
// of all rows in tables.
func Build(ctx context.Context, path string, tables []assay.Table, progress func(table string, done, total int)) error {
	if err := checkTables(tables); err != nil {
		return fmt.Errorf("build %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	tmpDir, err := os.MkdirTemp(dir, ".assay-build-*")
	if err != nil {
		return fmt.Errorf("build %s: %w", path, err)
	}
	defer os.RemoveAll(tmpDir) // also runs when a panic unwinds through here
	// The file keeps its final name, from which DuckDB names the database.
	tmp := filepath.Join(tmpDir, filepath.Base(path))
	if err := write(ctx, tmp, tables, progress); err != nil {
		return fmt.Errorf("build %s: %w", path, err)
	}
	if err := verify(ctx, tmp, tables); err != nil {
		return fmt.Errorf("build %s: check: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("build %s: %w", path, err)
	}
	// A write-ahead log left by a crashed writer of the old file would be
	// replayed into the new one.
	if err := os.Remove(path + ".wal"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("build %s: remove stale log: %w", path, err)
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

func write(ctx context.Context, path string, tables []assay.Table, progress func(string, int, int)) error {
	// A checkpoint threshold of zero makes the load's COMMIT write the
	// tables straight into the file. Otherwise it writes them to the
	// write-ahead log first, which the CHECKPOINT below copies into the
	// file again: some 40 ms of assay's 0.6 s build, for a log that only
	// a crash could need, and a crash discards the build anyway.
	db, err := open(path, "read_write", "checkpoint_threshold=0b")
	if err != nil {
		return err
	}
	defer db.Close()
	if err := load(ctx, db, tables, progress); err != nil {
		return err
	}
	// Whatever DuckDB still holds in a log goes into the file, which alone
	// is renamed into place.
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return err
	}
	return db.Close()
}

// verify reopens the written file as a reader would and counts its rows.
func verify(ctx context.Context, path string, tables []assay.Table) error {
	if _, err := os.Stat(path + ".wal"); err == nil {
		return errors.New("write-ahead log left after checkpoint")
	}
	db, err := open(path, "read_only")
	if err != nil {
		return err
	}
	defer db.Close()
	if len(tables) == 0 {
		return nil
	}
	// One query counts every table.
	counts := make([]int64, len(tables))
	dest := make([]any, len(tables))
	q := make([]string, len(tables))
	for i, t := range tables {
		q[i] = "(SELECT count(*) FROM " + ident(t.Name) + ")"
		dest[i] = &counts[i]
	}
	if err := db.QueryRowContext(ctx, "SELECT "+strings.Join(q, ", ")).Scan(dest...); err != nil {
		return fmt.Errorf("count rows: %w", err)
	}
	for i, t := range tables {
		if counts[i] != int64(len(t.Rows)) {
			return fmt.Errorf("table %s has %d rows, want %d", t.Name, counts[i], len(t.Rows))
		}
	}
	return nil
}

// checkTables rejects malformed tables before anything is written. Cells
// are checked while they are loaded, which passes over them anyway.
func checkTables(tables []assay.Table) error {
	for i, t := range tables {
		if t.Name == "" {
			return fmt.Errorf("table %d has no name", i)
		}
		if len(t.Columns) == 0 {
			return fmt.Errorf("table %s has no columns", t.Name)
		}
		for j, c := range t.Columns {
			if c.Name == "" {
				return fmt.Errorf("table %s column %d has no name", t.Name, j)
			}
			if _, err := sqlType(c.Type); err != nil {
				return fmt.Errorf("table %s column %s: %w", t.Name, c.Name, err)
			}
		}
	}
	return nil
}

// load creates, documents and fills every table through one connection,
// in one transaction. DuckDB commits each statement of its own, and each
// commit syncs the write-ahead log to disk: a COMMENT a column was a sync
// (some 330 for assay's warehouse, half a second). Committing the parts of
// a file that only a finished build renames into place gains nothing.
func load(ctx context.Context, db *sql.DB, tables []assay.Table, progress func(string, int, int)) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// An error leaves the transaction uncommitted; the caller discards the
	// database and its file.
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	total := 0
	for _, t := range tables {
		if _, err := conn.ExecContext(ctx, createSQL(t)); err != nil {
			return fmt.Errorf("create table %s: %w", t.Name, err)
		}
		total += len(t.Rows)
	}
	done := 0
	for _, t := range tables {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := conn.Raw(func(dc any) error {
			return appendRows(ctx, dc.(driver.Conn), t, func(n int) {
				done += n
				if progress != nil {
					progress(t.Name, done, total)
				}
			})
		})
		if err != nil {
			return err
		}
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

// createSQL declares a table and its comments.
func createSQL(t assay.Table) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE " + ident(t.Name) + " (")
	for j, c := range t.Columns {
		if j > 0 {
			b.WriteString(", ")
		}
		typ, _ := sqlType(c.Type) // checked by checkTables
		b.WriteString(ident(c.Name) + " " + typ)
	}
	b.WriteString(");\n")
	if t.Doc != "" {
		b.WriteString("COMMENT ON TABLE " + ident(t.Name) + " IS " + literal(t.Doc) + ";\n")
	}
	for _, c := range t.Columns {
		if c.Doc != "" {
			b.WriteString("COMMENT ON COLUMN " + ident(t.Name) + "." + ident(c.Name) + " IS " + literal(c.Doc) + ";\n")
		}
	}
	return b.String()
}

// appendRows loads t's rows with DuckDB's appender, calling loaded with
// the number of rows added since its last call.
func appendRows(ctx context.Context, dc driver.Conn, t assay.Table, loaded func(n int)) (err error) {
	a, err := ddb.NewAppenderFromConn(dc, "", t.Name)
	if err != nil {
		return fmt.Errorf("table %s: %w", t.Name, err)
	}
	defer func() {
		if cerr := a.CloseWithCancel(ctx); err == nil && cerr != nil {
			err = fmt.Errorf("table %s: %w", t.Name, cerr)
		}
	}()
	vals := make([]driver.Value, len(t.Columns))
	since := 0
	for i, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("table %s rows[%d]: %d cells for %d columns", t.Name, i, len(row), len(t.Columns))
		}
		for j, v := range row {
			if err := checkCell(v, t.Columns[j].Type); err != nil {
				return fmt.Errorf("table %s rows[%d] column %s: %w", t.Name, i, t.Columns[j].Name, err)
			}
			vals[j] = v
		}
		if err := a.AppendRow(vals...); err != nil {
			return fmt.Errorf("table %s rows[%d]: %w", t.Name, i, err)
		}
		if since++; since == progressEvery {
			loaded(since)
			since = 0
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	loaded(since)
	return nil
}

// checkCell enforces assay.Table's contract, which the appender would
// otherwise meet with conversions (an int64 into a DOUBLE) or a less
// specific error.
func checkCell(v any, t assay.ColumnType) error {
	var ok bool
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		if !utf8.ValidString(v) {
			return fmt.Errorf("text %q is not valid UTF-8", v)
		}
		ok = t == assay.Text
	case int64:
		ok = t == assay.Int
	case float64:
		ok = t == assay.Float
	case bool:
		ok = t == assay.Bool
	}
	if !ok {
		return fmt.Errorf("%T value %v in a %s column", v, v, t)
	}
	return nil
}
