package duckdb

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay"
)

// sampleTables is SYNTHETIC data covering every column type, NULLs in each,
// unicode, awkward identifiers, an empty table and float edge values.
func sampleTables() []assay.Table {
	return []assay.Table{
		{
			Name: "metro",
			Doc:  "SYNTHETIC metro areas for tests; it's not real",
			Columns: []assay.Column{
				{Name: "code", Type: assay.Text, Doc: "made-up code"},
				{Name: "year", Type: assay.Int, Doc: "calendar year"},
				{Name: "rate", Type: assay.Float},
				{Name: "covered", Type: assay.Bool, Doc: "coverage flag"},
			},
			Rows: [][]any{
				{"00001", int64(2012), 3.25, true},
				{"Zürich–東京", int64(-1), -0.0001, false},
				{nil, nil, nil, nil},
				{"", int64(math.MaxInt64), math.Inf(1), true},
				{"quote ' and \" and \n newline", int64(math.MinInt64), 1e300, nil},
			},
		},
		{
			Name: `odd "name"; DROP TABLE metro; --`,
			Columns: []assay.Column{
				{Name: "a column with spaces", Type: assay.Float, Doc: `doc with 'quotes'`},
				{Name: `"`, Type: assay.Text},
			},
			Rows: [][]any{{math.NaN(), "x"}, {math.SmallestNonzeroFloat64, nil}},
		},
		{
			Name:    "empty",
			Doc:     "no rows",
			Columns: []assay.Column{{Name: "n", Type: assay.Int}},
		},
	}
}

// build writes tables to a new warehouse in a temporary directory.
func build(t testing.TB, tables []assay.Table) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "w.duckdb")
	if err := Build(context.Background(), p, tables, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

// openImage opens tables as OpenImage opens the embedded snapshot.
func openImage(t *testing.T, tables []assay.Table) *DB {
	t.Helper()
	image, err := os.Open(build(t, tables))
	if err != nil {
		t.Fatal(err)
	}
	defer image.Close()
	db, err := OpenImage(image)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openT(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// sameTable compares tables cell by cell; NaN equals NaN here.
func sameTable(t *testing.T, got, want assay.Table) {
	t.Helper()
	if got.Name != want.Name || got.Doc != want.Doc || !reflect.DeepEqual(got.Columns, want.Columns) {
		t.Errorf("table %q header:\ngot  %q %q %v\nwant %q %q %v", want.Name, got.Name, got.Doc, got.Columns, want.Name, want.Doc, want.Columns)
	}
	if len(got.Rows) != len(want.Rows) {
		t.Fatalf("table %q: %d rows, want %d", want.Name, len(got.Rows), len(want.Rows))
	}
	for i := range want.Rows {
		for j := range want.Rows[i] {
			g, w := got.Rows[i][j], want.Rows[i][j]
			gf, gok := g.(float64)
			wf, wok := w.(float64)
			if gok && wok && math.IsNaN(gf) && math.IsNaN(wf) {
				continue
			}
			if !reflect.DeepEqual(g, w) || (gok && wok && math.Signbit(gf) != math.Signbit(wf)) {
				t.Errorf("table %q rows[%d][%d] = %#v, want %#v", want.Name, i, j, g, w)
			}
		}
	}
}

func tableNames(tables []assay.Table) []string {
	var names []string
	for _, t := range tables {
		names = append(names, t.Name)
	}
	slices.Sort(names)
	return names
}

func TestBuildRoundTrip(t *testing.T) {
	ctx := context.Background()
	in := sampleTables()
	db := openT(t, build(t, in))
	names, err := db.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := tableNames(in); !slices.Equal(names, want) {
		t.Errorf("Tables() = %q, want %q", names, want)
	}
	for _, want := range in {
		got, err := db.ReadTable(ctx, want.Name)
		if err != nil {
			t.Fatal(err)
		}
		sameTable(t, got, want)
	}
}

// Two builds from the same tables hold the same content, whatever their bytes.
func TestBuildDeterministic(t *testing.T) {
	ctx := context.Background()
	a, b := openT(t, build(t, sampleTables())), openT(t, build(t, sampleTables()))
	names, err := a.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	namesB, err := b.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, namesB) {
		t.Fatalf("tables differ: %q vs %q", names, namesB)
	}
	for _, n := range names {
		ta, err := a.ReadTable(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		tb, err := b.ReadTable(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		sameTable(t, tb, ta)
	}
}

func TestBuildProgress(t *testing.T) {
	rows := make([][]any, progressEvery+5)
	for i := range rows {
		rows[i] = []any{int64(i)}
	}
	in := []assay.Table{
		{Name: "big", Columns: []assay.Column{{Name: "i", Type: assay.Int}}, Rows: rows},
		{Name: "none", Columns: []assay.Column{{Name: "i", Type: assay.Int}}},
	}
	type call struct {
		table       string
		done, total int
	}
	var calls []call
	p := filepath.Join(t.TempDir(), "w.duckdb")
	err := Build(context.Background(), p, in, func(table string, done, total int) {
		calls = append(calls, call{table, done, total})
	})
	if err != nil {
		t.Fatal(err)
	}
	n := len(rows)
	want := []call{{"big", progressEvery, n}, {"big", n, n}, {"none", n, n}}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("progress calls %v, want %v", calls, want)
	}
}

// A failed build must leave the previous warehouse byte-identical and no
// temporary behind, however it fails.
func TestBuildFailureKeepsPrevious(t *testing.T) {
	badCell := sampleTables()
	badCell[1].Rows[1][1] = int64(7) // an int64 in a TEXT column, in the second table
	shortRow := sampleTables()
	shortRow[0].Rows[4] = shortRow[0].Rows[4][:3]
	badUTF8 := sampleTables()
	badUTF8[0].Rows[0][0] = "\xff"
	badType := sampleTables()
	badType[2].Columns[0].Type = "INTEGER"
	dupTable := append(sampleTables(), assay.Table{Name: "METRO", Columns: []assay.Column{{Name: "x", Type: assay.Int}}})

	tests := []struct {
		name     string
		tables   []assay.Table
		progress func(cancel func()) func(string, int, int)
		wantErr  string
		panics   bool
	}{
		{name: "wrong cell type", tables: badCell, wantErr: "rows[1] column \": int64 value 7 in a TEXT column"},
		{name: "short row", tables: shortRow, wantErr: "rows[4]: 3 cells for 4 columns"},
		{name: "invalid utf-8", tables: badUTF8, wantErr: "not valid UTF-8"},
		{name: "unknown column type", tables: badType, wantErr: `unknown column type "INTEGER"`},
		{name: "duplicate table", tables: dupTable, wantErr: "already exists"},
		{name: "cancelled after first table", tables: sampleTables(), wantErr: "context canceled",
			progress: func(cancel func()) func(string, int, int) {
				return func(table string, _, _ int) {
					if table == "metro" {
						cancel()
					}
				}
			}},
		{name: "panic mid-way", tables: sampleTables(), panics: true,
			progress: func(func()) func(string, int, int) {
				return func(table string, _, _ int) {
					if table != "metro" {
						panic("boom")
					}
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "w.duckdb")
			old := []assay.Table{{Name: "old", Columns: []assay.Column{{Name: "v", Type: assay.Text}}, Rows: [][]any{{"previous"}}}}
			if err := Build(context.Background(), p, old, nil); err != nil {
				t.Fatal(err)
			}
			before, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var progress func(string, int, int)
			if tt.progress != nil {
				progress = tt.progress(cancel)
			}
			var recovered any
			func() {
				defer func() { recovered = recover() }()
				err = Build(ctx, p, tt.tables, progress)
			}()
			switch {
			case tt.panics && recovered == nil:
				t.Fatal("Build did not pass the panic on")
			case !tt.panics && recovered != nil:
				t.Fatalf("Build panicked: %v", recovered)
			case !tt.panics && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
			after, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(before, after) {
				t.Error("previous warehouse changed")
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("directory holds %q, want only w.duckdb", names)
			}
			got, err := openT(t, p).ReadTable(context.Background(), "old")
			if err != nil {
				t.Fatal(err)
			}
			sameTable(t, got, old[0])
		})
	}
}

func TestBuildReplaces(t *testing.T) {
	ctx := context.Background()
	p := build(t, sampleTables())
	next := []assay.Table{{Name: "next", Columns: []assay.Column{{Name: "v", Type: assay.Int}}, Rows: [][]any{{int64(2)}}}}
	if err := Build(ctx, p, next, nil); err != nil {
		t.Fatal(err)
	}
	names, err := openT(t, p).Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []string{"next"}) {
		t.Errorf("tables after rebuild = %q, want [next]", names)
	}
}

func TestBuildRejects(t *testing.T) {
	tests := []struct {
		name   string
		tables []assay.Table
		want   string
	}{
		{"no name", []assay.Table{{Columns: []assay.Column{{Name: "a", Type: assay.Int}}}}, "table 0 has no name"},
		{"no columns", []assay.Table{{Name: "t"}}, "table t has no columns"},
		{"unnamed column", []assay.Table{{Name: "t", Columns: []assay.Column{{Type: assay.Int}}}}, "table t column 0 has no name"},
		{"question mark", sampleTables(), "a path containing '?' is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			err := Build(context.Background(), filepath.Join(dir, "w?.duckdb"), tt.tables, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("left %d entries in the directory", len(entries))
			}
		})
	}
}

// The comments Build writes make DuckDB's catalog a data dictionary.
func TestDataDictionary(t *testing.T) {
	ctx := context.Background()
	db := openT(t, build(t, sampleTables()))
	res, err := db.Query(ctx, `SELECT table_name, column_name, data_type, comment FROM duckdb_columns()
		WHERE table_name = 'metro' ORDER BY column_index`)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{
		{"metro", "code", "VARCHAR", "made-up code"},
		{"metro", "year", "BIGINT", "calendar year"},
		{"metro", "rate", "DOUBLE", nil},
		{"metro", "covered", "BOOLEAN", "coverage flag"},
	}
	if !reflect.DeepEqual(res.Rows, want) {
		t.Errorf("duckdb_columns() = %v, want %v", res.Rows, want)
	}
	res, err = db.Query(ctx, `SELECT comment FROM duckdb_tables() WHERE table_name = 'metro'`)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]any{{"SYNTHETIC metro areas for tests; it's not real"}}; !reflect.DeepEqual(res.Rows, want) {
		t.Errorf("table comment = %v, want %v", res.Rows, want)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notDuck := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDuck, []byte("not a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	question := filepath.Join(dir, "w?.duckdb")
	if err := os.Rename(build(t, sampleTables()), question); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "missing.duckdb"), "no such file"},
		{"directory", dir, "is a directory"},
		{"not duckdb", notDuck, "notes.txt: it is a text file (CSV, JSON or other), not a DuckDB warehouse"},
		{"question mark", question, "a path containing '?' is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(tt.path)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.duckdb")); err == nil {
		t.Error("Open created the missing file")
	}
}

func TestOpenIsReadOnly(t *testing.T) {
	ctx := context.Background()
	p := build(t, sampleTables())
	before, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	db := openT(t, p)
	for _, q := range []string{
		`INSERT INTO metro VALUES ('x', 1, 1, true)`,
		`DROP TABLE metro`,
		`CREATE TABLE t (a INT)`,
		`COMMENT ON TABLE metro IS 'changed'`,
	} {
		_, err := db.Query(ctx, q)
		if err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Errorf("%s: err = %v, want a read-only error", q, err)
		}
	}
	db.Close()
	after, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before, after) {
		t.Error("warehouse file changed")
	}
}

// Readers in separate processes share a warehouse: this test's binary
// reopens the file in a child while the parent holds it open.
func TestOpenConcurrentReaders(t *testing.T) {
	if p := os.Getenv("ASSAY_TEST_READER"); p != "" {
		db, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		res, err := db.Query(context.Background(), "SELECT count(*) FROM metro")
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows[0][0] != int64(5) {
			t.Fatalf("child counted %v rows", res.Rows[0][0])
		}
		return
	}
	p := build(t, sampleTables())
	db := openT(t, p)
	if _, err := db.Query(context.Background(), "SELECT count(*) FROM metro"); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestOpenConcurrentReaders$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ASSAY_TEST_READER="+p)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("second reader failed: %v\n%s", err, out)
	}
}

func TestQueryTypes(t *testing.T) {
	ctx := context.Background()
	db := openT(t, build(t, nil))
	tests := []struct {
		expr     string
		want     any
		wantType string
	}{
		{"NULL", nil, "INTEGER"},
		{"42::TINYINT", int64(42), "TINYINT"},
		{"42::INTEGER", int64(42), "INTEGER"},
		{"42::UINTEGER", int64(42), "UINTEGER"},
		{"18446744073709551615::UBIGINT", uint64(math.MaxUint64), "UBIGINT"},
		{"0.1::FLOAT", 0.1, "FLOAT"},
		{"12.50::DECIMAL(9,2)", json.Number("12.5"), "DECIMAL(9,2)"},
		{"-0.05::DECIMAL(18,3)", json.Number("-0.05"), "DECIMAL(18,3)"},
		{"170141183460469231731687303715884105727::HUGEINT", json.Number("170141183460469231731687303715884105727"), "HUGEINT"},
		{"DATE '2017-06-30'", "2017-06-30", "DATE"},
		{"TIME '12:34:56.5'", "12:34:56.5", "TIME"},
		{"TIMESTAMP '2019-01-02 03:04:05'", "2019-01-02 03:04:05", "TIMESTAMP"},
		{"INTERVAL '1 year 2 months 3 days 04:05:06.25'", "1 year 2 months 3 days 04:05:06.25", "INTERVAL"},
		{"INTERVAL '0 seconds'", "00:00:00", "INTERVAL"},
		{"'00000000-0000-0000-0000-00000000002a'::UUID", "00000000-0000-0000-0000-00000000002a", "UUID"},
		{`'a\x00b'::BLOB`, `a\x00b`, "BLOB"},
		{"[1, NULL, 3]", json.RawMessage(`[1,null,3]`), "INTEGER[]"},
		{"{'k': 'v', 'n': 1.5::DECIMAL(3,1)}", json.RawMessage(`{"k":"v","n":1.5}`), `STRUCT("k" VARCHAR, "n" DECIMAL(3,1))`},
		{"MAP {'b': 1, 'a': 2}", json.RawMessage(`{"b":1,"a":2}`), "MAP(VARCHAR, INTEGER)"},
		{"[DATE '2020-01-01']", json.RawMessage(`["2020-01-01"]`), "DATE[]"},
		{"[[TIME '01:02:03']]", json.RawMessage(`[["01:02:03"]]`), "TIME[][]"},
		{"{'t': TIMESTAMP '2020-01-01 10:00:00'}", json.RawMessage(`{"t":"2020-01-01 10:00:00"}`), `STRUCT("t" TIMESTAMP)`},
		{"[1.5::DECIMAL(2,1), NULL]", json.RawMessage(`[1.5,null]`), "DECIMAL(2,1)[]"},
		{"['\x01'::BLOB]", json.RawMessage(`["\\x01"]`), "BLOB[]"},
		{"[INTERVAL 1 DAY]", json.RawMessage(`["1 day"]`), "INTERVAL[]"},
		{"INTERVAL '-1 hour'", "-01:00:00", "INTERVAL"},
		{"'x'::ENUM ('x', 'y')", "x", "ENUM"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			res, err := db.Query(ctx, "SELECT "+tt.expr+" AS v")
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Rows[0][0]; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v (%T), want %#v", got, got, tt.want)
			}
			if res.Types[0] != tt.wantType {
				t.Errorf("type %q, want %q", res.Types[0], tt.wantType)
			}
		})
	}
}

func TestQueryError(t *testing.T) {
	db := openT(t, build(t, sampleTables()))
	_, err := db.Query(context.Background(), "SELEC 1")
	if err == nil || !strings.Contains(err.Error(), `syntax error at or near "SELEC"`) {
		t.Errorf("err = %v, want DuckDB's syntax error", err)
	}
	_, err = db.Query(context.Background(), "SELECT * FROM nowhere")
	if err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("err = %v, want DuckDB's missing-table error", err)
	}
}

// TestOpenImage: a warehouse given as bytes reads as the file it was,
// refuses writes as a file does, names itself as the embedded snapshot, and
// leaves nothing behind after Close.
func TestOpenImage(t *testing.T) {
	ctx := context.Background()
	in := sampleTables()
	db := openImage(t, in)
	for _, want := range in {
		got, err := db.ReadTable(ctx, want.Name)
		if err != nil {
			t.Fatal(err)
		}
		sameTable(t, got, want)
	}
	if _, err := db.ReadTable(ctx, "nope"); err == nil || !strings.HasPrefix(err.Error(), "the embedded snapshot has no table") {
		t.Errorf("err = %v, want the snapshot named", err)
	}
	if _, err := db.Query(ctx, "DELETE FROM metro"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("DELETE: %v, want ErrReadOnly", err)
	}
	dir := db.tmp
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("temporary folder %s left after Close: %v", dir, err)
	}
	if _, err := OpenImage(strings.NewReader("not a database")); err == nil || !strings.HasPrefix(err.Error(), "open the embedded snapshot: ") {
		t.Errorf("garbage: %v, want an error naming the snapshot", err)
	}
}

func TestReadTableErrors(t *testing.T) {
	ctx := context.Background()
	db := openT(t, build(t, sampleTables()))
	if _, err := db.ReadTable(ctx, "nope"); err == nil || !strings.Contains(err.Error(), `no table "nope"; its tables are: empty, metro, odd`) {
		t.Errorf("err = %v, want the table list", err)
	}
	// A table assay never writes, made outside the sandbox.
	p := filepath.Join(t.TempDir(), "ints.duckdb")
	raw, err := open(p, "read_write")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("CREATE TABLE ints (i INTEGER)"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, err := openT(t, p).ReadTable(ctx, "ints"); err == nil || !strings.Contains(err.Error(), "type INTEGER has no assay column type") {
		t.Errorf("err = %v, want a type error", err)
	}
	got, err := db.ReadTable(ctx, "METRO")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "metro" {
		t.Errorf("ReadTable(METRO) named %q, want the stored name metro", got.Name)
	}
}
