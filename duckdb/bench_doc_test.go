package duckdb

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/assaylab/assay"
)

// BenchmarkBuildDocumented builds a warehouse shaped like assay's: 16
// SYNTHETIC tables of 20 documented columns and 100 rows, so that the
// statements that declare and document the schema weigh as they do there
// (about 330 COMMENTs).
func BenchmarkBuildDocumented(b *testing.B) {
	var tables []assay.Table
	for i := range 16 {
		t := benchTable(100)
		t.Name = fmt.Sprintf("t%02d", i)
		t.Columns = t.Columns[:20]
		for j := range t.Columns {
			t.Columns[j].Doc = fmt.Sprintf("SYNTHETIC column %d of table %d", j, i)
		}
		for r := range t.Rows {
			t.Rows[r] = t.Rows[r][:20]
		}
		tables = append(tables, t)
	}
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := Build(context.Background(), filepath.Join(dir, fmt.Sprintf("w%d.duckdb", i)), tables, nil); err != nil {
			b.Fatal(err)
		}
	}
}
