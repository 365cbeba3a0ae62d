package ingest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/assaylab/assay/duckdb"
	"github.com/assaylab/assay/internal/datadir"
	"github.com/assaylab/assay/schema"
)

// BenchmarkIngest reads every file in ../shared/data into a Dataset, the
// work of assay ingest before the warehouse is written. (Peak memory is a
// process figure: the README gives the command that measures it.)
func BenchmarkIngest(b *testing.B) {
	dir := datadir.ForTest(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), Options{Data: dir}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIngestWarehouse is the whole of assay ingest: read everything
// and write the DuckDB warehouse.
func BenchmarkIngestWarehouse(b *testing.B) {
	dir := datadir.ForTest(b)
	db := filepath.Join(b.TempDir(), "w.duckdb")
	b.ReportAllocs()
	for b.Loop() {
		ds, err := Run(context.Background(), Options{Data: dir})
		if err != nil {
			b.Fatal(err)
		}
		if err := duckdb.Build(context.Background(), db, schema.Tables(ds), nil); err != nil {
			b.Fatal(err)
		}
	}
}
