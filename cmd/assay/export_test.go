package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assaylab/assay/internal/filekind"
)

func TestExportCSV(t *testing.T) {
	db := testWarehouse(t)
	out := filepath.Join(t.TempDir(), "metro.csv")
	code, stdout, errOut := runCapture(t, "export", "--db", db, "--table", "metro", "--format", "csv", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if stdout != "" {
		t.Errorf("printed %q", stdout)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := "code,year,rate,covered\n00001,2012,3.25,true\n00002,2017,,false\n\"Zürich, \"\"Z\"\"\",,-0.5,\n"
	if string(got) != want {
		t.Errorf("csv:\n%s\nwant:\n%s", got, want)
	}
}

// The command writes a whole Parquet file; duckdb's tests read one back
// cell by cell.
func TestExportParquet(t *testing.T) {
	db := testWarehouse(t)
	out := filepath.Join(t.TempDir(), "metro.parquet")
	if code, _, errOut := runCapture(t, "export", "--db", db, "--table", "metro", "--format", "parquet", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("PAR1")) || !bytes.HasSuffix(b, []byte("PAR1")) {
		t.Errorf("%s is not a whole Parquet file (%d bytes)", out, len(b))
	}
}

func TestExportErrors(t *testing.T) {
	db := testWarehouse(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "x.csv")
	link := filepath.Join(t.TempDir(), "link.duckdb")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"unknown table", []string{"--db", db, "--table", "nope", "--format", "csv", "--out", out}, 1, `has no table "nope"; its tables are: audit, metro`},
		{"missing db", []string{"--db", filepath.Join(dir, "none.duckdb"), "--table", "metro", "--format", "csv", "--out", out}, 1, "no such file"},
		{"no table flag", []string{"--db", db, "--format", "csv", "--out", out}, 2, "--table is required"},
		{"no out flag", []string{"--db", db, "--table", "metro", "--format", "csv"}, 2, "--out is required"},
		{"no format", []string{"--db", db, "--table", "metro", "--out", out}, 2, "--format must be csv or parquet"},
		{"bad format", []string{"--db", db, "--table", "metro", "--format", "xlsx", "--out", out}, 2, "--format must be csv or parquet"},
		{"extra argument", []string{"--db", db, "--table", "metro", "--format", "csv", "--out", out, "metro"}, 2, "unknown command"},
		{"table not in the snapshot", []string{"--table", "metro", "--format", "csv", "--out", out}, 1, "the embedded snapshot has no table \"metro\"; its tables are: acs_county_nativity"},
		{"missing folder", []string{"--db", db, "--table", "metro", "--format", "csv", "--out", filepath.Join(dir, "no", "x.csv")}, 2, "--out: " + filepath.Join(dir, "no", "x.csv") + ": folder " + filepath.Join(dir, "no") + " does not exist"},
		{"onto a directory", []string{"--db", db, "--table", "metro", "--format", "csv", "--out", dir}, 2, "--out: " + dir + " is a directory"},
		{"onto the warehouse", []string{"--db", db, "--table", "audit", "--format", "csv", "--out", db}, 2, "--out: " + db + " is also an input of this command"},
		{"onto the warehouse by another name", []string{"--db", db, "--table", "audit", "--format", "csv", "--out", link}, 2, "--out: " + link + " is the same file as the input " + db},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCapture(t, append([]string{"export"}, tt.args...)...)
			if code != tt.wantCode || !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.wantCode, tt.wantErr)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("left %d files behind", len(entries))
			}
		})
	}
	if k, err := filekind.Sniff(db); err != nil || k != filekind.DuckDB {
		t.Errorf("the warehouse is now %v (%v)", k, err)
	}
}
