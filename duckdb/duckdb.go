// Package duckdb stores assay tables in an embedded DuckDB warehouse: one
// file that users query with `assay sql` and export to CSV or Parquet. It
// works on assay.Table values only and knows nothing of where they came from.
package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	ddb "github.com/duckdb/duckdb-go/v2"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/filekind"
	"github.com/assaylab/assay/tabular"
)

// DB is an open warehouse, for reading. Every DB runs its queries in the
// sandbox described in sandbox.go, whoever sends them: a command line, a
// web page, a test.
type DB struct {
	sql  *sql.DB
	name string // for error messages: the file, or "the embedded snapshot"

	path string // the warehouse file, which Export attaches to its own connection
	tmp  string // a folder Close removes: OpenImage's copy of the file
}

// Open opens the warehouse file at path read-only, so that any number of
// processes may read it at once and no statement can change it, with every
// query in the sandbox. A server opens its warehouse the same way and may
// share the DB between requests: each query takes a connection of its own.
func Open(path string) (*DB, error) {
	// DuckDB would create a missing file; a typo must not yield an empty warehouse.
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open warehouse %s: no such file", path)
	}
	if err != nil {
		return nil, fmt.Errorf("open warehouse: %w", err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("open warehouse %s: is a directory", path)
	}
	// DuckDB's own words for other files are misleading ("Cannot launch
	// in-memory database in read-only mode!" for a .csv).
	kind, err := filekind.Sniff(path)
	if err != nil {
		return nil, fmt.Errorf("open warehouse: %w", err)
	}
	if kind != filekind.DuckDB {
		return nil, fmt.Errorf("open warehouse %s: it is %s, not a DuckDB warehouse (build one with assay ingest --db FILE, or leave out --db to use the embedded snapshot)", path, kind)
	}
	db, err := openFile(path, path)
	if err != nil {
		return nil, fmt.Errorf("open warehouse %s: %w", path, err)
	}
	return db, nil
}

// openFile opens a DuckDB file read-only in the sandbox, named in messages
// as name.
func openFile(path, name string) (*DB, error) {
	db, err := open(path, "read_only", sandboxOptions...)
	if err != nil {
		return nil, err
	}
	return &DB{sql: db, name: name, path: path}, nil
}

// open connects to the DuckDB file at path ("" for memory) in the given
// access mode, with DuckDB options ("name=value") that DuckDB applies when
// it creates the database. The driver reads options after a '?', so a path
// holding one cannot be passed through.
func open(path, mode string, options ...string) (*sql.DB, error) {
	if strings.ContainsRune(path, '?') {
		return nil, errors.New("a path containing '?' is not supported by the DuckDB driver")
	}
	dsn := path + "?access_mode=" + mode
	for _, o := range options {
		dsn += "&" + o
	}
	c, err := ddb.NewConnector(dsn, nil)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// snapshotName is what users know the embedded data as.
const snapshotName = "the embedded snapshot"

// Close releases the warehouse, and removes OpenImage's copy.
func (db *DB) Close() error {
	err := db.sql.Close()
	if db.tmp != "" {
		os.RemoveAll(db.tmp)
	}
	return err
}

// Query runs one statement that reads (see sandbox.go) and collects every
// row. Values are converted to the cell types tabular.Result documents;
// Types holds DuckDB's type names. For results of any size, use Stream.
func (db *DB) Query(ctx context.Context, query string) (*tabular.Result, error) {
	res := &tabular.Result{}
	err := db.each(ctx, query, func(cols, types []string) error {
		res.Columns, res.Types = cols, types
		return nil
	}, func(row []any) error {
		res.Rows = append(res.Rows, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Stream runs one statement that reads and writes its rows to w in a
// tabular format as they are read, so memory stays bounded whatever the
// result's size.
func (db *DB) Stream(ctx context.Context, w io.Writer, format, query string) error {
	var tw *tabular.Writer
	err := db.each(ctx, query, func(cols, _ []string) error {
		var err error
		tw, err = tabular.NewWriter(w, format, cols)
		return err
	}, func(row []any) error {
		return tw.Write(row)
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// each runs query in the sandbox, tells head the columns' names and DuckDB
// types, then passes each row, converted to tabular cells, to row. The row
// slice is row's to keep.
func (db *DB) each(ctx context.Context, query string, head func(cols, types []string) error, row func([]any) error) error {
	return db.runReadOnly(ctx, query, func(rows *sql.Rows) error {
		cols, err := rows.ColumnTypes()
		if err != nil {
			return err
		}
		names, types := make([]string, len(cols)), make([]string, len(cols))
		for j, c := range cols {
			names[j], types[j] = c.Name(), c.DatabaseTypeName()
		}
		if err := head(names, types); err != nil {
			return err
		}
		scan := make([]any, len(cols))
		for j := range scan {
			scan[j] = new(any)
		}
		for rows.Next() {
			if err := rows.Scan(scan...); err != nil {
				return err
			}
			r := make([]any, len(cols))
			for j, p := range scan {
				r[j] = cell(*p.(*any), types[j])
			}
			if err := row(r); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// Tables lists the warehouse's tables by name, sorted.
func (db *DB) Tables(ctx context.Context) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT table_name FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = current_schema()
		ORDER BY table_name`)
	if err != nil {
		return nil, fmt.Errorf("list tables of %s: %w", db.name, err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("list tables of %s: %w", db.name, err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tables of %s: %w", db.name, err)
	}
	return names, nil
}

// table returns the stored spelling of the table called name. DuckDB
// matches names regardless of case, and so does this.
func (db *DB) table(ctx context.Context, name string) (string, error) {
	names, err := db.Tables(ctx)
	if err != nil {
		return "", err
	}
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return n, nil
		}
	}
	return "", fmt.Errorf("%s has no table %q; its tables are: %s", db.name, name, strings.Join(names, ", "))
}

// ReadTable reads back a table as Build received it: name, docs, column
// types, NULLs and row order.
func (db *DB) ReadTable(ctx context.Context, name string) (assay.Table, error) {
	name, err := db.table(ctx, name)
	if err != nil {
		return assay.Table{}, err
	}
	t := assay.Table{Name: name}
	var doc sql.NullString
	err = db.sql.QueryRowContext(ctx, `SELECT comment FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = current_schema() AND table_name = ?`, name).Scan(&doc)
	if err != nil {
		return t, fmt.Errorf("read table %s: %w", name, err)
	}
	t.Doc = doc.String
	rows, err := db.sql.QueryContext(ctx, `SELECT column_name, data_type, comment FROM duckdb_columns()
		WHERE database_name = current_database() AND schema_name = current_schema() AND table_name = ?
		ORDER BY column_index`, name)
	if err != nil {
		return t, fmt.Errorf("read table %s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c assay.Column
		var typ string
		var doc sql.NullString
		if err := rows.Scan(&c.Name, &typ, &doc); err != nil {
			return t, fmt.Errorf("read table %s: %w", name, err)
		}
		c.Doc = doc.String
		if c.Type, err = columnType(typ); err != nil {
			return t, fmt.Errorf("read table %s column %s: %w", name, c.Name, err)
		}
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return t, fmt.Errorf("read table %s: %w", name, err)
	}
	// Our four types come out of Query unchanged (VARCHAR as string, and so
	// on), and a plain scan returns rows in insertion order.
	res, err := db.Query(ctx, "SELECT * FROM "+ident(name))
	if err != nil {
		return t, fmt.Errorf("read table %s: %w", name, err)
	}
	t.Rows = res.Rows
	return t, nil
}

// sqlType and columnType map assay's column types to DuckDB's and back.
// TEXT is DuckDB's alias for VARCHAR, which is what it reports.
func sqlType(t assay.ColumnType) (string, error) {
	switch t {
	case assay.Text, assay.Int, assay.Float, assay.Bool:
		return string(t), nil
	}
	return "", fmt.Errorf("unknown column type %q (want TEXT, BIGINT, DOUBLE or BOOLEAN)", t)
}

func columnType(duck string) (assay.ColumnType, error) {
	switch duck {
	case "VARCHAR":
		return assay.Text, nil
	case "BIGINT", "DOUBLE", "BOOLEAN":
		return assay.ColumnType(duck), nil
	}
	return "", fmt.Errorf("type %s has no assay column type", duck)
}

// ident quotes an identifier for SQL, whatever characters it holds.
func ident(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// literal quotes a string constant for SQL.
func literal(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }
