package duckdb

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/assaylab/assay"
)

// benchTable is SYNTHETIC: rows × 30 columns cycling through the four
// types, with one cell in eleven NULL.
func benchTable(rows int) assay.Table {
	types := []assay.ColumnType{assay.Text, assay.Int, assay.Float, assay.Bool}
	t := assay.Table{Name: "bench", Doc: "SYNTHETIC benchmark data"}
	for j := range 30 {
		t.Columns = append(t.Columns, assay.Column{Name: fmt.Sprintf("c%02d", j), Type: types[j%len(types)]})
	}
	t.Rows = make([][]any, rows)
	for i := range t.Rows {
		row := make([]any, len(t.Columns))
		for j, c := range t.Columns {
			if (i+j)%11 == 0 {
				continue
			}
			switch c.Type {
			case assay.Text:
				row[j] = fmt.Sprintf("metro %d-%d", i, j)
			case assay.Int:
				row[j] = int64(i * j)
			case assay.Float:
				row[j] = float64(i) / float64(j+1)
			case assay.Bool:
				row[j] = i%2 == 0
			}
		}
		t.Rows[i] = row
	}
	return t
}

func BenchmarkBuild(b *testing.B) {
	tables := []assay.Table{benchTable(50_000)}
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := Build(context.Background(), filepath.Join(dir, fmt.Sprintf("w%d.duckdb", i)), tables, nil); err != nil {
			b.Fatal(err)
		}
	}
}
