// Package duckdb stores assay tables in an embedded DuckDB warehouse: one
// file that users query with `assay sql` and export to CSV or Parquet. It
// works on assay.Table values only and knows nothing of where they came from.
package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	ddb "github.com/duckdb/duckdb-go/v2"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/tabular"
)

// DB is an open warehouse.
type DB struct {
	sql  *sql.DB
	name string // for error messages: the file, or "in-memory warehouse"
}

// Open opens the warehouse file at path read-only, so that any number of
// processes may read it at once and no statement can change it.
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
	db, err := open(path, "read_only")
	if err != nil {
		return nil, fmt.Errorf("open warehouse %s: %w", path, err)
	}
	return &DB{sql: db, name: path}, nil
}

// open connects to the DuckDB file at path ("" for memory) in the given
// access mode. The driver reads options after a '?', so a path holding one
// cannot be passed through.
func open(path, mode string) (*sql.DB, error) {
	if strings.ContainsRune(path, '?') {
		return nil, errors.New("a path containing '?' is not supported by the DuckDB driver")
	}
	c, err := ddb.NewConnector(path+"?access_mode="+mode, nil)
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

// OpenTables loads tables into a new in-memory warehouse. Statements that
// change it are allowed but last only as long as the DB.
func OpenTables(ctx context.Context, tables []assay.Table) (*DB, error) {
	if err := checkTables(tables); err != nil {
		return nil, err
	}
	db, err := open("", "read_write")
	if err != nil {
		return nil, fmt.Errorf("open in-memory warehouse: %w", err)
	}
	if err := load(ctx, db, tables, nil); err != nil {
		db.Close()
		return nil, fmt.Errorf("load in-memory warehouse: %w", err)
	}
	return &DB{sql: db, name: "in-memory warehouse"}, nil
}

// Close releases the warehouse.
func (db *DB) Close() error { return db.sql.Close() }

// Query runs one SQL statement (or several, returning the last one's
// result) and collects every row. Values are converted to the cell types
// tabular.Result documents; Types holds DuckDB's type names.
func (db *DB) Query(ctx context.Context, query string) (*tabular.Result, error) {
	rows, err := db.sql.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	res := &tabular.Result{Columns: make([]string, len(cols)), Types: make([]string, len(cols))}
	for j, c := range cols {
		res.Columns[j] = c.Name()
		res.Types[j] = c.DatabaseTypeName()
	}
	scan := make([]any, len(cols))
	for j := range scan {
		scan[j] = new(any)
	}
	for rows.Next() {
		if err := rows.Scan(scan...); err != nil {
			return nil, err
		}
		row := make([]any, len(cols))
		for j, p := range scan {
			row[j] = cell(*p.(*any), res.Types[j])
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return res, nil
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
