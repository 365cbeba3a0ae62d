package duckdb

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/schema"
)

// csvTable is one table of an in-memory warehouse, its CSV text read when
// the table is loaded.
type csvTable struct {
	assay.Table // name, doc and columns; no rows
	data        func() ([]byte, error)
}

// lazy holds the tables of an in-memory warehouse that are not loaded
// yet: a command reads a table or two of the snapshot, and loading all of
// them would be most of its time. Each is loaded, by DuckDB's CSV reader
// from a temporary copy of its text, the first time a query names it.
type lazy struct {
	mu      sync.Mutex
	dir     string
	tables  map[string]csvTable // every table, by name
	order   []string
	pending map[string]bool // lower-case names not loaded yet
}

// OpenCSV opens a new in-memory warehouse of tables given as CSV text (the
// embedded snapshot's files, by table name: a header of column names, then
// cells as schema.FormatCell writes them); tables give each file's columns,
// types and docs. The database is sealed into the sandbox (see sandbox.go)
// before any table is loaded: DuckDB may read the tables' temporary files
// and nothing else. DuckDB cannot make a database in memory read-only, so
// the sandbox's statement gate and read-only transactions keep it
// unchanged. Close removes the temporary files.
//
// file returns a table's CSV text; it is called once, when a query first
// needs the table.
func OpenCSV(ctx context.Context, tables []assay.Table, file func(table string) ([]byte, error)) (*DB, error) {
	if err := checkTables(tables); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "assay-snapshot-*")
	if err != nil {
		return nil, err
	}
	l := &lazy{dir: dir, tables: map[string]csvTable{}, pending: map[string]bool{}}
	for _, t := range tables {
		t.Rows = nil
		l.tables[t.Name] = csvTable{t, func() ([]byte, error) { return file(t.Name) }}
		l.order = append(l.order, t.Name)
		l.pending[strings.ToLower(t.Name)] = true
	}
	db, err := open("", "read_write")
	if err == nil {
		err = seal(ctx, db, l.paths())
		if err != nil {
			db.Close()
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("open %s: %w", snapshotName, err)
	}
	return &DB{sql: db, name: snapshotName, lazy: l}, nil
}

// OpenTables opens a new in-memory warehouse of tables, as OpenCSV does
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
	return OpenCSV(ctx, tables, func(name string) ([]byte, error) { return files[name], nil })
}

// seal makes a database the sandbox: the given paths are the only files
// DuckDB may use, and no setting can change afterwards. Until its
// settings are made the database has one connection, so no connection is
// ever without them.
func seal(ctx context.Context, db *sql.DB, paths []string) error {
	db.SetMaxOpenConns(1)
	defer db.SetMaxOpenConns(0)
	allowed := make([]string, len(paths))
	for i, p := range paths {
		allowed[i] = literal(p)
	}
	// DuckDB takes allowed_paths only while external access is on.
	stmts := []string{"SET allowed_paths = [" + strings.Join(allowed, ", ") + "]"}
	for _, o := range sandboxOptions {
		stmts = append(stmts, "SET "+strings.Replace(o, "=", " = ", 1))
	}
	for _, q := range stmts {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

func (l *lazy) path(name string) string { return filepath.Join(l.dir, name+".csv") }

func (l *lazy) paths() []string {
	out := make([]string, len(l.order))
	for i, n := range l.order {
		out[i] = l.path(n)
	}
	return out
}

// load loads the named tables that are not loaded yet.
func (l *lazy) load(ctx context.Context, db *sql.DB, names ...string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, name := range names {
		if !l.pending[strings.ToLower(name)] {
			continue
		}
		t, ok := l.tables[name]
		if !ok {
			continue
		}
		if err := loadCSV(ctx, db, t, l.path(name)); err != nil {
			return fmt.Errorf("load %s table %s: %w", snapshotName, name, err)
		}
		delete(l.pending, strings.ToLower(name))
	}
	return nil
}

// loadAll loads every table not loaded yet.
func (l *lazy) loadAll(ctx context.Context, db *sql.DB) error { return l.load(ctx, db, l.order...) }

// missingTable reads the table a query named that DuckDB does not have.
var missingTable = regexp.MustCompile(`Table with name (.+) does not exist`)

// catalogWords mark a query that reads the catalog (SHOW TABLES,
// information_schema, duckdb_tables()): it sees the tables that exist, so
// all must be loaded first.
var catalogWords = []string{"information_schema", "duckdb_", "pg_catalog", "sqlite_master", "show", "pragma"}

// prepare loads what a query needs: every table when it reads the catalog,
// else, one at a time, each table DuckDB says it lacks. Errors that are not
// a missing table of ours are left for the query itself to report.
func (l *lazy) prepare(ctx context.Context, db *sql.DB, query string) error {
	q := strings.ToLower(query)
	for _, w := range catalogWords {
		if strings.Contains(q, w) {
			return l.loadAll(ctx, db)
		}
	}
	for range len(l.order) + 1 {
		stmt, err := db.PrepareContext(ctx, query)
		if err == nil {
			return stmt.Close()
		}
		m := missingTable.FindStringSubmatch(err.Error())
		if m == nil {
			return nil
		}
		name := l.named(m[1])
		if name == "" {
			return nil
		}
		if err := l.load(ctx, db, name); err != nil {
			return err
		}
	}
	return nil
}

// named returns the table of ours a name refers to (DuckDB matches names
// regardless of case), or "" when it is not one or is loaded already.
func (l *lazy) named(s string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, n := range l.order {
		if strings.EqualFold(n, s) && l.pending[strings.ToLower(n)] {
			return n
		}
	}
	return ""
}

// loadCSV writes a table's text to path, creates the table with its
// comments and fills it with read_csv.
func loadCSV(ctx context.Context, db *sql.DB, t csvTable, path string) error {
	data, err := t.data()
	if err != nil {
		return fmt.Errorf("table %s: %w", t.Name, err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return err
	}
	defer os.Remove(path)
	read, err := readCSVSQL(t.Table, data, path)
	if err != nil {
		return err
	}
	for _, q := range []string{createSQL(t.Table), "INSERT INTO " + ident(t.Name) + " SELECT * FROM " + read} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// readCSVSQL reads a table's CSV file with its columns' types, which the
// file's header must name in the table's order.
func readCSVSQL(t assay.Table, data []byte, path string) (string, error) {
	header, err := csv.NewReader(bytes.NewReader(data)).Read()
	if err != nil {
		return "", fmt.Errorf("table %s header: %w", t.Name, err)
	}
	if len(header) != len(t.Columns) {
		return "", fmt.Errorf("table %s: %d columns in the file, %d in the table", t.Name, len(header), len(t.Columns))
	}
	cols := make([]string, len(header))
	for i, h := range header {
		if h != t.Columns[i].Name {
			return "", fmt.Errorf("table %s: file column %d is %q, the table's is %q", t.Name, i+1, h, t.Columns[i].Name)
		}
		cols[i] = literal(h) + ": " + literal(string(t.Columns[i].Type))
	}
	return fmt.Sprintf("read_csv(%s, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', nullstr = '', columns = {%s})",
		literal(path), strings.Join(cols, ", ")), nil
}
