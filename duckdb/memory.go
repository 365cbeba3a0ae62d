package duckdb

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/schema"
)

// csvTable is one table of an in-memory warehouse as CSV text.
type csvTable struct {
	assay.Table // name, doc and columns; no rows
	data        []byte
}

// OpenCSV loads tables given as CSV text (the embedded snapshot's files,
// by table name: a header of column names, then cells as
// schema.FormatCell writes them) into a new in-memory warehouse, with
// DuckDB's own CSV reader, and then closes it into the sandbox (see
// sandbox.go). tables give each file's columns, types and docs. DuckDB
// cannot make a database in memory read-only, so the sandbox's statement
// gate and read-only transactions keep it unchanged.
func OpenCSV(ctx context.Context, tables []assay.Table, files map[string][]byte) (*DB, error) {
	byName := map[string]csvTable{}
	for _, t := range tables {
		b, ok := files[t.Name]
		if !ok {
			return nil, fmt.Errorf("open %s: no file for table %s", snapshotName, t.Name)
		}
		t.Rows = nil
		byName[t.Name] = csvTable{t, b}
	}
	if err := checkTables(tables); err != nil {
		return nil, err
	}
	db, err := open("", "read_write")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", snapshotName, err)
	}
	if err := loadCSV(ctx, db, tables, byName); err != nil {
		db.Close()
		return nil, fmt.Errorf("load %s: %w", snapshotName, err)
	}
	return &DB{sql: db, name: snapshotName, csv: byName}, nil
}

// OpenTables loads tables into a new in-memory warehouse, as OpenCSV does
// their CSV text: like the snapshot, it keeps no empty text apart from
// NULL.
func OpenTables(ctx context.Context, tables []assay.Table) (*DB, error) {
	if err := checkTables(tables); err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, t := range tables {
		for i, row := range t.Rows {
			for j, v := range row {
				if err := checkCell(v, t.Columns[j].Type); err != nil {
					return nil, fmt.Errorf("table %s rows[%d] column %s: %w", t.Name, i, t.Columns[j].Name, err)
				}
			}
		}
		b, err := schema.EncodeCSV(t)
		if err != nil {
			return nil, err
		}
		files[t.Name] = b
	}
	return OpenCSV(ctx, tables, files)
}

// loadCSV creates each table, fills it with read_csv from a temporary
// copy of its text, and then seals the database into the sandbox: the
// temporary files are the only ones DuckDB may read while loading, and
// none afterwards. Until the sandbox's settings are made the database has
// one connection, so no connection is ever without them.
//
// extra are further paths the sealed database may use (an export's file).
func loadCSV(ctx context.Context, db *sql.DB, order []assay.Table, tables map[string]csvTable, extra ...string) error {
	dir, err := os.MkdirTemp("", "assay-load-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db.SetMaxOpenConns(1)
	defer db.SetMaxOpenConns(0)
	var allowed []string
	for _, p := range extra {
		allowed = append(allowed, literal(p))
	}
	for _, t := range order {
		allowed = append(allowed, literal(filepath.Join(dir, t.Name+".csv")))
	}
	// DuckDB takes allowed_paths only while external access is on.
	stmts := []string{"SET allowed_paths = [" + strings.Join(allowed, ", ") + "]"}
	for _, t := range order {
		path := filepath.Join(dir, t.Name+".csv")
		if err := os.WriteFile(path, tables[t.Name].data, 0o600); err != nil {
			return err
		}
		read, err := readCSVSQL(tables[t.Name], path)
		if err != nil {
			return err
		}
		stmts = append(stmts, createSQL(t), "INSERT INTO "+ident(t.Name)+" SELECT * FROM "+read)
	}
	for _, o := range sandboxOptions {
		stmts = append(stmts, "SET "+strings.Replace(o, "=", " = ", 1))
	}
	for _, q := range stmts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", firstLine(q), err)
		}
	}
	return nil
}

// readCSVSQL reads a table's CSV file with its columns' types, in the
// order of the file's header, which must name the table's columns.
func readCSVSQL(t csvTable, path string) (string, error) {
	header, err := csv.NewReader(bytes.NewReader(t.data)).Read()
	if err != nil {
		return "", fmt.Errorf("table %s header: %w", t.Name, err)
	}
	if len(header) != len(t.Columns) {
		return "", fmt.Errorf("table %s: %d columns in the file, %d in the table", t.Name, len(header), len(t.Columns))
	}
	types := map[string]assay.ColumnType{}
	for _, c := range t.Columns {
		types[c.Name] = c.Type
	}
	cols := make([]string, len(header))
	for i, h := range header {
		typ, ok := types[h]
		if !ok {
			return "", fmt.Errorf("table %s: file column %q is not one of its columns", t.Name, h)
		}
		if h != t.Columns[i].Name {
			return "", fmt.Errorf("table %s: file column %d is %q, the table's is %q", t.Name, i+1, h, t.Columns[i].Name)
		}
		cols[i] = literal(h) + ": " + literal(string(typ))
	}
	return fmt.Sprintf("read_csv(%s, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', nullstr = '', columns = {%s})",
		literal(path), strings.Join(cols, ", ")), nil
}

func firstLine(q string) string {
	line, _, _ := strings.Cut(q, "\n")
	return line
}
