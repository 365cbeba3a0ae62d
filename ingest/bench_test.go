package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/duckdb"
	"github.com/assaylab/assay/internal/datadir"
	"github.com/assaylab/assay/schema"
)

// BenchmarkIngest reads every file in ../shared/data into a Dataset, the
// work of assay ingest before the warehouse is written. It reports the
// bytes of the files read (input_MB) and how many times that it allocates
// (alloc_x_input). (Peak memory is a process figure: the README gives the
// command that measures it.)
func BenchmarkIngest(b *testing.B) {
	dir := datadir.ForTest(b)
	b.ReportAllocs()
	var ds *assay.Dataset
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		var err error
		if ds, err = Run(context.Background(), Options{Data: dir}); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	var input int64
	for _, s := range ds.Sources {
		fi, err := os.Stat(filepath.Join(dir, s.Path))
		if err != nil {
			b.Fatalf("source %s: %v", s.Path, err)
		}
		input += fi.Size()
	}
	b.ReportMetric(float64(input)/1e6, "input_MB")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(input), "alloc_x_input")
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

// BenchmarkWarehouseBuild is the part of assay ingest after reading: the
// dataset's tables written to a new DuckDB warehouse, with their comments,
// checkpointed and checked. Set against BenchmarkIngest, it shows where
// ingest's time goes. Each round encodes the tables afresh, as assay ingest
// does between reading and writing.
func BenchmarkWarehouseBuild(b *testing.B) {
	ds, err := Run(context.Background(), Options{Data: datadir.ForTest(b)})
	if err != nil {
		b.Fatal(err)
	}
	var rows, documented float64
	tables := schema.Tables(ds)
	for _, t := range tables {
		rows += float64(len(t.Rows))
		for _, c := range t.Columns {
			if c.Doc != "" {
				documented++
			}
		}
	}
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := duckdb.Build(context.Background(), filepath.Join(dir, fmt.Sprintf("w%d.duckdb", i)), schema.Tables(ds), nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(tables)), "tables")
	b.ReportMetric(rows, "rows")
	b.ReportMetric(documented, "documented_columns")
}
