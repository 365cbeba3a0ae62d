package duckdb

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/schema"
)

func TestCheckBuild(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("my notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	warehouse := filepath.Join(dir, "assay.duckdb")
	info := assay.Table{Name: infoTable, Columns: []assay.Column{{Name: "key", Type: assay.Text}}}
	if err := Build(ctx, warehouse, []assay.Table{info}, nil); err != nil {
		t.Fatal(err)
	}
	other := build(t, sampleTables())
	tests := []struct {
		name, path string
		inputs     []string
		want       string // "" for allowed
	}{
		{"missing", filepath.Join(dir, "new.duckdb"), nil, ""},
		{"an assay warehouse", warehouse, nil, ""},
		{"a text file", notes, nil, "notes.txt exists and is a text file (CSV, JSON or other), which this command does not replace"},
		{"another DuckDB database", other, nil, "is a DuckDB database but not an assay warehouse (it has no dataset_info table)"},
		{"a directory", dir, nil, "is a directory"},
		{"an input", warehouse, []string{warehouse}, "is also an input"},
		{"missing folder", filepath.Join(dir, "none", "w.duckdb"), nil, "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckBuild(ctx, tt.path, tt.inputs...)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("CheckBuild(%s) = %v, want %q", tt.path, err, tt.want)
			}
		})
	}
	if b, err := os.ReadFile(notes); err != nil || string(b) != "my notes\n" {
		t.Errorf("notes changed: %q, %v", b, err)
	}
}

// CheckBuild knows an assay warehouse by the schema's info table.
func TestInfoTableInSchema(t *testing.T) {
	var names []string
	for _, tb := range schema.Tables(&assay.Dataset{}) {
		names = append(names, tb.Name)
	}
	if !slices.Contains(names, infoTable) {
		t.Errorf("the schema has no table %s (tables: %v): CheckBuild would refuse every warehouse", infoTable, names)
	}
}

func TestCheckExportKinds(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "old.csv")
	if err := os.WriteFile(csv, []byte("a\n1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckExport(csv, "csv"); err != nil {
		t.Errorf("replacing an earlier CSV export: %v", err)
	}
	if err := CheckExport(csv, "parquet"); err == nil || !strings.Contains(err.Error(), "old.csv exists and is a text file") {
		t.Errorf("a Parquet export over a CSV: err = %v", err)
	}
	if err := CheckExport(build(t, sampleTables()), "csv"); err == nil || !strings.Contains(err.Error(), "is a DuckDB database, which this command does not replace") {
		t.Errorf("a CSV export over a warehouse: err = %v", err)
	}
}
