package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/duckdb"
)

// runCapture runs the command line args as main would and returns the exit
// code and what was printed. It swaps package variables, so tests that use
// it must not run in parallel.
func runCapture(t *testing.T, args ...string) (code int, out, errOut string) {
	t.Helper()
	var o, e bytes.Buffer
	oldOut, oldErr := stdout, stderr
	stdout, stderr = &o, &e
	defer func() { stdout, stderr = oldOut, oldErr }()
	code = run(args)
	return code, o.String(), e.String()
}

// testWarehouse builds a warehouse of SYNTHETIC tables in t.TempDir().
func testWarehouse(t *testing.T) string {
	t.Helper()
	tables := []assay.Table{
		{
			Name: "metro",
			Doc:  "SYNTHETIC metro areas",
			Columns: []assay.Column{
				{Name: "code", Type: assay.Text, Doc: "made-up code"},
				{Name: "year", Type: assay.Int},
				{Name: "rate", Type: assay.Float},
				{Name: "covered", Type: assay.Bool},
			},
			Rows: [][]any{
				{"00001", int64(2012), 3.25, true},
				{"00002", int64(2017), nil, false},
				{"Zürich, \"Z\"", nil, -0.5, nil},
			},
		},
		{
			Name:    "audit",
			Columns: []assay.Column{{Name: "reason", Type: assay.Text}},
			Rows:    [][]any{{"suppressed"}},
		},
	}
	p := filepath.Join(t.TempDir(), "w.duckdb")
	if err := duckdb.Build(context.Background(), p, tables, nil); err != nil {
		t.Fatal(err)
	}
	return p
}
