package duckdb

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assaylab/assay"
)

func TestExportParquet(t *testing.T) {
	ctx := context.Background()
	in := sampleTables()
	db := openT(t, build(t, in))
	dir := t.TempDir()
	for _, want := range in {
		out := filepath.Join(dir, "out.parquet")
		if err := db.Export(ctx, want.Name, "parquet", out); err != nil {
			t.Fatal(err)
		}
		res, err := outsideSandbox(t).Query(ctx, "SELECT * FROM read_parquet("+literal(out)+")")
		if err != nil {
			t.Fatal(err)
		}
		got := assay.Table{Name: want.Name, Doc: want.Doc, Columns: want.Columns, Rows: res.Rows}
		sameTable(t, got, want)
		for j, typ := range res.Types {
			if want, _ := sqlType(want.Columns[j].Type); typ != want && !(typ == "VARCHAR" && want == "TEXT") {
				t.Errorf("%s column %d read back as %s, want %s", want, j, typ, want)
			}
		}
	}
}

func TestExportCSV(t *testing.T) {
	ctx := context.Background()
	// SYNTHETIC rows showing NULL against empty text, and quoting.
	in := []assay.Table{{
		Name: "t",
		Columns: []assay.Column{
			{Name: "s", Type: assay.Text}, {Name: "n", Type: assay.Int},
			{Name: "x", Type: assay.Float}, {Name: "b", Type: assay.Bool},
		},
		Rows: [][]any{
			{"plain", int64(1), 0.5, true},
			{"", nil, nil, nil},
			{nil, int64(-2), 1e21, false},
			{`a,"b"` + "\nc", int64(3), -0.25, true},
		},
	}}
	db := openT(t, build(t, in))
	out := filepath.Join(t.TempDir(), "t.csv")
	// An existing file is replaced whole.
	if err := os.WriteFile(out, []byte("stale content that is longer than the new file will be, surely longer"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := db.Export(ctx, "t", "csv", out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := "s,n,x,b\nplain,1,0.5,true\n\"\",,,\n,-2,1e+21,false\n\"a,\"\"b\"\"\nc\",3,-0.25,true\n"
	if string(got) != want {
		t.Errorf("csv:\n%q\nwant\n%q", got, want)
	}
	if info, err := os.Stat(out); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("exported file mode %v (%v), want 0644", info.Mode().Perm(), err)
	}
}

func TestExportErrors(t *testing.T) {
	ctx := context.Background()
	db := openT(t, build(t, sampleTables()))
	dir := t.TempDir()
	tests := []struct {
		name, table, format, out, want string
	}{
		{"unknown table", "nope", "csv", filepath.Join(dir, "a.csv"), `has no table "nope"; its tables are: empty, metro, odd "name"; DROP TABLE metro; --`},
		{"unknown format", "metro", "xlsx", filepath.Join(dir, "a.xlsx"), `unknown format "xlsx" (want csv or parquet)`},
		{"missing directory", "metro", "csv", filepath.Join(dir, "no", "a.csv"), "a.csv: folder " + filepath.Join(dir, "no") + " does not exist"},
		{"onto a directory", "metro", "csv", dir, dir + " is a directory"},
		{"onto the warehouse", "metro", "csv", db.path, db.path + " is also an input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.Export(ctx, tt.table, tt.format, tt.out)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("left %d entries behind", len(entries))
			}
		})
	}
}

// An export that fails in DuckDB (here: cancelled) leaves no temporary file.
func TestExportCancelled(t *testing.T) {
	db := openT(t, build(t, sampleTables()))
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := db.Export(ctx, "metro", "parquet", filepath.Join(dir, "m.parquet")); err == nil {
		t.Fatal("Export succeeded with a cancelled context")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %d entries behind", len(entries))
	}
}

// outsideSandbox is an in-memory DuckDB without the sandbox's settings,
// for tests to read back the files Export writes.
func outsideSandbox(t *testing.T) *DB {
	t.Helper()
	raw, err := open("", "read_write")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return &DB{sql: raw, name: "test reader"}
}
