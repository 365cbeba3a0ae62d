package snapshot_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/duckdb"
	"github.com/assaylab/assay/ingest"
	"github.com/assaylab/assay/internal/datadir"
	"github.com/assaylab/assay/schema"
	"github.com/assaylab/assay/snapshot"
)

var update = flag.Bool("update", false, "rebuild the embedded snapshot from the raw data")

// TestSnapshotIsFresh rebuilds the snapshot from ../shared/data and fails
// on any difference from the committed one.
func TestSnapshotIsFresh(t *testing.T) {
	ds, err := ingest.Run(context.Background(), ingest.Options{Data: datadir.ForTest(t)})
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := snapshot.Write(context.Background(), "data", ds); err != nil {
			t.Fatal(err)
		}
		t.Log("snapshot rewritten; rebuild the binary to embed it")
		return
	}
	files, err := snapshot.Encode(ds)
	if err != nil {
		t.Fatal(err)
	}
	embedded := snapshot.Embedded()
	names, err := fs.Glob(embedded, "*")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{snapshot.WarehouseFile} // checked by TestEmbeddedWarehouse
	for name, b := range files {
		want = append(want, name)
		got, err := fs.ReadFile(embedded, name)
		if err != nil {
			t.Errorf("%s: %v (rebuild: go test ./snapshot -run TestSnapshotIsFresh -update)", name, err)
			continue
		}
		if !bytes.Equal(got, b) {
			t.Errorf("%s differs from a rebuild from the raw data (rebuild: go test ./snapshot -run TestSnapshotIsFresh -update)", name)
		}
	}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("embedded files %v, a rebuild writes %v", names, want)
	}
}

// TestEmbeddedWarehouse: the warehouse that assay sql and export open
// holds exactly the embedded CSV tables.
func TestEmbeddedWarehouse(t *testing.T) {
	image, err := snapshot.Warehouse()
	if err != nil {
		t.Fatal(err)
	}
	defer image.Close()
	if err := snapshot.CheckWarehouse(context.Background(), image, snapshot.Embedded()); err != nil {
		t.Errorf("%v (rebuild: go test ./snapshot -run TestSnapshotIsFresh -update)", err)
	}
}

// TestCheckWarehouseFindsDifferences: a warehouse short of one row, or of
// one table, is not the snapshot's.
func TestCheckWarehouseFindsDifferences(t *testing.T) {
	ctx := context.Background()
	tables, _, err := snapshot.Read(snapshot.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	source := slices.IndexFunc(tables, func(t assay.Table) bool { return t.Name == "source" })
	if source < 0 {
		t.Fatal("no source table")
	}
	shortRow := slices.Clone(tables)
	shortRow[source].Rows = shortRow[source].Rows[1:]
	for _, tt := range []struct {
		name   string
		tables []assay.Table
		want   string
	}{
		{"a row short", shortRow, "table source differs from source.csv"},
		{"a table short", slices.Delete(slices.Clone(tables), source, source+1), "has tables"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), snapshot.WarehouseFile)
			if err := duckdb.Build(ctx, p, tt.tables, nil); err != nil {
				t.Fatal(err)
			}
			image, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer image.Close()
			if err := snapshot.CheckWarehouse(ctx, image, snapshot.Embedded()); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestEmbeddedDecodes reads the embedded snapshot back into a dataset whose
// tables re-encode to the same bytes.
func TestEmbeddedDecodes(t *testing.T) {
	ds, err := snapshot.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Crime) == 0 || len(ds.Sources) == 0 {
		t.Fatalf("embedded snapshot is empty: %d crime records, %d sources", len(ds.Crime), len(ds.Sources))
	}
	files, err := snapshot.Encode(ds)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		got, err := fs.ReadFile(snapshot.Embedded(), name)
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s does not survive decode and re-encode (%v)", name, err)
		}
	}
}

func TestReadRejectsTampering(t *testing.T) {
	ds := &assay.Dataset{Sources: []assay.Source{{Path: "a.csv", SHA256: "00", Kind: "table6", RowsRead: 1, RowsLoaded: 1}}}
	files, err := snapshot.Encode(ds)
	if err != nil {
		t.Fatal(err)
	}
	good := fstest.MapFS{}
	for name, b := range files {
		good[name] = &fstest.MapFile{Data: b}
	}
	tables, _, err := snapshot.Read(good)
	if err != nil {
		t.Fatal(err)
	}
	back, err := schema.Decode(tables)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Sources, ds.Sources) {
		t.Errorf("sources %+v, want %+v", back.Sources, ds.Sources)
	}
	tests := []struct {
		name   string
		mutate func(fstest.MapFS)
	}{
		{"changed table file", func(m fstest.MapFS) {
			m["source.csv"] = &fstest.MapFile{Data: append(bytes.Clone(m["source.csv"].Data), "x\n"...)}
		}},
		{"missing table file", func(m fstest.MapFS) { delete(m, "audit.csv") }},
		{"missing manifest", func(m fstest.MapFS) { delete(m, snapshot.ManifestFile) }},
		{"bad manifest", func(m fstest.MapFS) { m[snapshot.ManifestFile] = &fstest.MapFile{Data: []byte("{")} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := fstest.MapFS{}
			for k, v := range good {
				m[k] = v
			}
			tc.mutate(m)
			if _, _, err := snapshot.Read(m); err == nil {
				t.Error("no error")
			}
		})
	}
}

// BenchmarkDataset is what every analysis command pays at start on the
// embedded data: the snapshot decoded into a Dataset.
func BenchmarkDataset(b *testing.B) {
	fsys := snapshot.Embedded()
	m, err := fs.ReadFile(fsys, snapshot.ManifestFile)
	if err != nil {
		b.Fatal(err)
	}
	var man snapshot.Manifest
	if err := json.Unmarshal(m, &man); err != nil {
		b.Fatal(err)
	}
	files := map[string]string{}
	for _, ref := range man.Tables {
		text, err := fs.ReadFile(fsys, ref.File)
		if err != nil {
			b.Fatal(err)
		}
		files[ref.Name] = string(text)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := schema.DecodeCSV(files); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDatasetFromCells is the same decode through table cells, the
// path a warehouse's tables take.
func BenchmarkDatasetFromCells(b *testing.B) {
	tables, _, err := snapshot.Read(snapshot.Embedded())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := schema.Decode(tables); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenWarehouse is what `assay sql` and every command that queries
// the embedded data pay at start: the warehouse image copied to a private
// file, opened read-only in the sandbox, and closed. "empty database" is
// DuckDB's own start, an in-memory database with nothing in it, the floor
// under the other.
func BenchmarkOpenWarehouse(b *testing.B) {
	b.Run("embedded", func(b *testing.B) {
		for range b.N {
			db, err := snapshot.OpenWarehouse()
			if err != nil {
				b.Fatal(err)
			}
			if err := db.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("empty database", func(b *testing.B) {
		for range b.N {
			db, err := sql.Open("duckdb", "")
			if err != nil {
				b.Fatal(err)
			}
			if err := db.Ping(); err != nil {
				b.Fatal(err)
			}
			if err := db.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
