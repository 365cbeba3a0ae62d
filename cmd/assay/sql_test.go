package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSQL(t *testing.T) {
	db := testWarehouse(t)
	notWarehouse := filepath.Join(t.TempDir(), "audit.csv")
	if err := os.WriteFile(notWarehouse, []byte("source,row\nx,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // exact stdout
		wantErr  string // substring of stderr
	}{
		{
			name:    "json",
			args:    []string{"sql", "--db", db, "--format", "json", "SELECT * FROM metro"},
			wantOut: `{"code":"00001","year":2012,"rate":3.25,"covered":true}` + "\n" + `{"code":"00002","year":2017,"rate":null,"covered":false}` + "\n" + `{"code":"Zürich, \"Z\"","year":null,"rate":-0.5,"covered":null}` + "\n",
		},
		{
			name:    "csv",
			args:    []string{"sql", "--db", db, "--format=csv", "SELECT code, year FROM metro ORDER BY code"},
			wantOut: "code,year\n00001,2012\n00002,2017\n\"Zürich, \"\"Z\"\"\",\n",
		},
		{
			name:    "table by default",
			args:    []string{"sql", "--db", db, "SELECT year, code FROM metro WHERE year IS NULL OR year > 2015"},
			wantOut: "year  code\n----  -----------\n2017  00002\nNULL  Zürich, \"Z\"\n(2 rows)\n",
		},
		{
			// The query sql --help suggests.
			name:    "data dictionary",
			args:    []string{"sql", "--db", db, "--format", "csv", "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() WHERE NOT internal ORDER BY table_name, column_index"},
			wantOut: "table_name,column_name,data_type,comment\naudit,reason,VARCHAR,\nmetro,code,VARCHAR,made-up code\nmetro,year,BIGINT,\nmetro,rate,DOUBLE,\nmetro,covered,BOOLEAN,\n",
		},
		{name: "bad query", args: []string{"sql", "--db", db, "SELEC 1"}, wantCode: 1, wantErr: `Parser Error: syntax error at or near "SELEC"`},
		{name: "missing table", args: []string{"sql", "--db", db, "SELECT * FROM nowhere"}, wantCode: 1, wantErr: "Table with name nowhere does not exist"},
		{name: "write refused", args: []string{"sql", "--db", db, "DELETE FROM metro"}, wantCode: 1, wantErr: "queries run read-only in a sandbox: DELETE statements are not allowed"},
		{name: "db is a CSV", args: []string{"sql", "--db", notWarehouse, "SELECT 1"}, wantCode: 1, wantErr: "audit.csv: it is a text file (CSV, JSON or other), not a DuckDB warehouse"},
		{name: "missing db file", args: []string{"sql", "--db", filepath.Join(t.TempDir(), "none.duckdb"), "SELECT 1"}, wantCode: 1, wantErr: "none.duckdb: no such file"},
		{
			// Without --db: the embedded snapshot (PROVENANCE.md: 363 MSAs in 2017).
			name:    "snapshot",
			args:    []string{"sql", "--format", "csv", "SELECT count(*) AS n FROM crime_metro_year WHERE year = 2017 AND kind = 'msa'"},
			wantOut: "n\n363\n",
		},
		{name: "bad format", args: []string{"sql", "--db", db, "--format", "xml", "SELECT 1"}, wantCode: 2, wantErr: `unknown --format "xml" (want table, csv, json)`},
		{name: "no query", args: []string{"sql", "--db", db}, wantCode: 2, wantErr: "accepts 1 arg(s), received 0"},
		{name: "two queries", args: []string{"sql", "--db", db, "SELECT 1", "SELECT 2"}, wantCode: 2, wantErr: "accepts 1 arg(s), received 2"},
		{name: "empty query", args: []string{"sql", "--db", db, "  "}, wantCode: 2, wantErr: "the query is empty"},
		{name: "unknown flag", args: []string{"sql", "--bogus", "SELECT 1"}, wantCode: 2, wantErr: "unknown flag: --bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCapture(t, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.wantCode, errOut)
			}
			if tt.wantCode == 0 && out != tt.wantOut {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, tt.wantOut)
			}
			if tt.wantCode != 0 && (out != "" || !strings.Contains(errOut, tt.wantErr)) {
				t.Errorf("stdout %q, stderr %q; want nothing and an error containing %q", out, errOut, tt.wantErr)
			}
		})
	}
}

func TestSQLMissingDBNotCreated(t *testing.T) {
	p := filepath.Join(t.TempDir(), "typo.duckdb")
	if code, _, _ := runCapture(t, "sql", "--db", p, "SELECT 1"); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if _, err := os.Stat(p); err == nil {
		t.Error("a missing --db file was created")
	}
}

func TestHelp(t *testing.T) {
	for _, cmd := range []string{"sql", "export"} {
		code, out, errOut := runCapture(t, cmd, "--help")
		if code != 0 || !strings.Contains(out, "Usage:\n  assay "+cmd) || !strings.Contains(out, "--db string") {
			t.Errorf("%s --help: exit %d, stdout %q, stderr %q", cmd, code, out, errOut)
		}
	}
}

// The sandbox, end to end, on a warehouse file and on the embedded
// snapshot: each escape exits 1 with a message and leaves nothing behind.
func TestSQLSandbox(t *testing.T) {
	db := testWarehouse(t)
	dir := t.TempDir()
	t.Chdir(dir)
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte("s3cr3t\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := testWarehouse(t)
	otherBefore, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, query, wantErr string }{
		{"copy to a file", "COPY (SELECT 1) TO 'x.csv'", "to write a file, use assay export"},
		{"attach another warehouse", "ATTACH '" + other + "' AS o (READ_WRITE)", "ATTACH statements are not allowed"},
		{"read a file", "SELECT * FROM read_text('" + secret + "')", "file system operations are disabled"},
		{"read a csv", "SELECT * FROM read_csv_auto('" + secret + "')", "file system operations are disabled"},
		{"install", "INSTALL httpfs", "INSTALL or LOAD statements are not allowed"},
		{"load", "LOAD httpfs", "INSTALL or LOAD statements are not allowed"},
		{"unlock", "SET enable_external_access = true", "SET or RESET statements are not allowed"},
		{"drop", "DROP TABLE audit", "DROP statements are not allowed"},
		{"insert", "INSERT INTO audit SELECT * FROM audit", "INSERT statements are not allowed"},
		{"create", "CREATE TABLE t AS SELECT 1", "CREATE statements are not allowed"},
	}
	for _, store := range []struct{ name, db string }{{"file", db}, {"snapshot", ""}} {
		for _, tt := range tests {
			t.Run(store.name+"/"+tt.name, func(t *testing.T) {
				args := []string{"sql", tt.query}
				if store.db != "" {
					args = []string{"sql", "--db", store.db, tt.query}
				}
				code, out, errOut := runCapture(t, args...)
				if code != 1 || out != "" || !strings.Contains(errOut, tt.wantErr) || strings.Contains(errOut, "s3cr3t") {
					t.Errorf("exit %d, stdout %q, stderr %q; want 1, nothing and %q", code, out, errOut, tt.wantErr)
				}
			})
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the working directory holds %d entries, want none", len(entries))
	}
	if after, err := os.ReadFile(other); err != nil || string(after) != string(otherBefore) {
		t.Errorf("the other warehouse changed (%v)", err)
	}
	// What the snapshot refuses is still there.
	if code, out, errOut := runCapture(t, "sql", "--format", "csv", "SELECT count(*) > 0 AS ok FROM audit"); code != 0 || out != "ok\ntrue\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
