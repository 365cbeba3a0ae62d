// Package snapshot holds the compact data snapshot that assay derives from
// the raw public files and embeds in the binary, so it runs on a fresh clone
// with no network and no raw files. The snapshot is the schema's tables as
// CSV plus a manifest with the SHA-256 of every raw input and every table,
// and the same tables as a DuckDB warehouse for SQL.
package snapshot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/duckdb"
	"github.com/assaylab/assay/internal/csvgrid"
	"github.com/assaylab/assay/schema"
)

// ManifestFile names the manifest inside a snapshot directory.
const ManifestFile = "manifest.json"

// NoticeFile carries the licence notice of the map outlines, which the
// ISC licence asks to travel with every copy.
const NoticeFile = "NOTICE"

const notice = `The table outline.csv is derived from us-atlas 3.0.1 (https://github.com/topojson/us-atlas),
itself made from the U.S. Census Bureau's cartographic boundary files, under this licence:

Copyright 2013-2019 Michael Bostock

Permission to use, copy, modify, and/or distribute this software for any purpose
with or without fee is hereby granted, provided that the above copyright notice
and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH
REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND
FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT,
INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS
OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER
TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF
THIS SOFTWARE.
`

// Manifest says what a snapshot was derived from and what it holds. It has
// no timestamps, so the same inputs give the same bytes.
type Manifest struct {
	Note   string     `json:"note"`
	Inputs []Input    `json:"raw_inputs"`
	Tables []TableRef `json:"tables"`
}

// Input is one raw file the snapshot was derived from.
type Input struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Kind   string `json:"kind"`
	Rows   int    `json:"rows_read"`
}

// TableRef is one table file of the snapshot.
type TableRef struct {
	Name    string `json:"name"`
	File    string `json:"file"`
	Rows    int    `json:"rows"`
	Columns int    `json:"columns"`
	SHA256  string `json:"sha256"`
}

const note = "Derived by assay from the raw public files listed in raw_inputs: works of the FBI UCR program, the U.S. Census Bureau and OMB (public domain), some as compiled by others (The Marshall Project, Census Reporter, the Los Angeles Times Data Desk, Rdatasets; see PROVENANCE.md beside the raw files); the map outlines from us-atlas (ISC licence, see NOTICE). Rebuild: go test ./snapshot -run TestSnapshotIsFresh -update"

// Encode renders a dataset as snapshot files: name -> bytes.
func Encode(ds *assay.Dataset) (map[string][]byte, error) {
	files := map[string][]byte{}
	m := Manifest{Note: note}
	for _, s := range ds.Sources {
		m.Inputs = append(m.Inputs, Input{Path: s.Path, SHA256: s.SHA256, Kind: s.Kind, Rows: s.RowsRead})
	}
	for _, t := range schema.Tables(ds) {
		b, err := schema.EncodeCSV(t)
		if err != nil {
			return nil, err
		}
		name := t.Name + ".csv"
		files[name] = b
		sum := sha256.Sum256(b)
		m.Tables = append(m.Tables, TableRef{Name: t.Name, File: name, Rows: len(t.Rows), Columns: len(t.Columns), SHA256: hex.EncodeToString(sum[:])})
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	files[ManifestFile] = append(mb, '\n')
	files[NoticeFile] = []byte(notice)
	return files, nil
}

// WarehouseFile holds the snapshot's tables as a DuckDB warehouse, which
// assay sql and export open (duckdb.OpenImage) in milliseconds, where
// loading the CSV text into DuckDB took most of a short query's time. It is
// built from the CSV files and checked against them (CheckWarehouse).
const WarehouseFile = "snapshot.duckdb"

// Write replaces the snapshot files in dir with the dataset's, and the
// warehouse with one built from them. DuckDB never writes the same bytes
// twice, so a warehouse that already holds the tables is kept, and a
// rebuild of unchanged data changes no file.
func Write(ctx context.Context, dir string, ds *assay.Dataset) error {
	files, err := Encode(ds)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	fsys := os.DirFS(dir)
	path := filepath.Join(dir, WarehouseFile)
	if old, err := os.Open(path); err == nil {
		err = CheckWarehouse(ctx, old, fsys)
		old.Close()
		if err == nil {
			return nil
		}
	}
	tables, _, err := Read(fsys)
	if err != nil {
		return err
	}
	return duckdb.Build(ctx, path, tables, nil)
}

// CheckWarehouse reports whether a warehouse image holds exactly the
// snapshot's tables in fsys: the same tables, each of whose rows encode to
// its CSV file's bytes.
func CheckWarehouse(ctx context.Context, image io.Reader, fsys fs.FS) error {
	m, err := readManifest(fsys)
	if err != nil {
		return err
	}
	db, err := duckdb.OpenImage(image)
	if err != nil {
		return err
	}
	defer db.Close()
	have, err := db.Tables(ctx)
	if err != nil {
		return err
	}
	var want []string
	for _, ref := range m.Tables {
		want = append(want, ref.Name)
	}
	slices.Sort(want)
	if !slices.Equal(have, want) {
		return fmt.Errorf("snapshot %s has tables %v, the manifest %v", WarehouseFile, have, want)
	}
	for _, ref := range m.Tables {
		t, err := db.ReadTable(ctx, ref.Name)
		if err != nil {
			return fmt.Errorf("snapshot %s: %w", WarehouseFile, err)
		}
		got, err := schema.EncodeCSV(t)
		if err != nil {
			return fmt.Errorf("snapshot %s: %w", WarehouseFile, err)
		}
		b, err := fs.ReadFile(fsys, ref.File)
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		if !bytes.Equal(got, b) {
			return fmt.Errorf("snapshot %s: table %s differs from %s", WarehouseFile, ref.Name, ref.File)
		}
	}
	return nil
}

// Warehouse opens the embedded warehouse file, for duckdb.OpenImage.
func Warehouse() (fs.File, error) {
	f, err := Embedded().Open(WarehouseFile)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	return f, nil
}

// OpenWarehouse opens the embedded warehouse read-only, in the sandbox
// (duckdb.OpenImage): the store assay sql and export query without --db.
func OpenWarehouse() (*duckdb.DB, error) {
	image, err := Warehouse()
	if err != nil {
		return nil, err
	}
	defer image.Close()
	return duckdb.OpenImage(image)
}

// Read loads the tables of a snapshot from a file system (the embedded one,
// or a directory), checking each table file against the manifest.
func Read(fsys fs.FS) ([]assay.Table, *Manifest, error) {
	m, err := readManifest(fsys)
	if err != nil {
		return nil, nil, err
	}
	tables := make([]assay.Table, 0, len(m.Tables))
	for _, ref := range m.Tables {
		b, err := fs.ReadFile(fsys, ref.File)
		if err != nil {
			return nil, nil, fmt.Errorf("snapshot: %w", err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != ref.SHA256 {
			return nil, nil, fmt.Errorf("snapshot %s: sha256 %s, manifest says %s", ref.File, got, ref.SHA256)
		}
		t, err := decodeCSV(ref.Name, ref.File, b)
		if err != nil {
			return nil, nil, err
		}
		if len(t.Rows) != ref.Rows {
			return nil, nil, fmt.Errorf("snapshot %s: %d rows, manifest says %d", ref.File, len(t.Rows), ref.Rows)
		}
		tables = append(tables, t)
	}
	return tables, m, nil
}

func readManifest(fsys fs.FS) (*Manifest, error) {
	mb, err := fs.ReadFile(fsys, ManifestFile)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(mb, &m); err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", ManifestFile, err)
	}
	return &m, nil
}

func decodeCSV(name, file string, b []byte) (assay.Table, error) {
	cols, ok := schema.Columns(name)
	if !ok {
		return assay.Table{}, fmt.Errorf("snapshot %s: no table %q in the schema", file, name)
	}
	types := map[string]assay.ColumnType{}
	docs := map[string]string{}
	for _, c := range cols {
		types[c.Name], docs[c.Name] = c.Type, c.Doc
	}
	r := csv.NewReader(bytes.NewReader(b))
	header, err := r.Read()
	if err != nil {
		return assay.Table{}, fmt.Errorf("snapshot %s header: %w", file, err)
	}
	t := assay.Table{Name: name}
	for _, h := range header {
		typ, ok := types[h]
		if !ok {
			return assay.Table{}, fmt.Errorf("snapshot %s: column %q is not in the schema of %s", file, h, name)
		}
		t.Columns = append(t.Columns, assay.Column{Name: h, Type: typ, Doc: docs[h]})
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return assay.Table{}, fmt.Errorf("snapshot %s: %w", file, err)
		}
		row := make([]any, len(rec))
		for i, s := range rec {
			if row[i], err = schema.ParseCell(t.Columns[i].Type, s); err != nil {
				return assay.Table{}, fmt.Errorf("snapshot %s line %d column %s: %w", file, line, t.Columns[i].Name, err)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

//go:embed data
var embedded embed.FS

// Embedded returns the snapshot compiled into this binary.
func Embedded() fs.FS {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		panic(err) // the directory is fixed at compile time
	}
	return sub
}

// embeddedText reads the embedded tables' CSV text, by table name: all of
// them, or those keep says to.
func embeddedText(keep func(table string) bool) (map[string]string, error) {
	fsys := Embedded()
	m, err := readManifest(fsys)
	if err != nil {
		return nil, err
	}
	files := make(map[string]string, len(m.Tables))
	for _, ref := range m.Tables {
		if !keep(ref.Name) {
			continue
		}
		f, err := fsys.Open(ref.File)
		if err != nil {
			return nil, fmt.Errorf("snapshot: %w", err)
		}
		// As a string in one copy: the decoded text fields are substrings of it.
		files[ref.Name], err = csvgrid.ReadText(f, nil)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("snapshot %s: %w", ref.File, err)
		}
	}
	return files, nil
}

var load = sync.OnceValues(func() (*assay.Dataset, error) {
	files, err := embeddedText(func(string) bool { return true })
	if err != nil {
		return nil, err
	}
	ds, err := schema.DecodeCSV(files)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	return ds, nil
})

// Some decodes the named tables of the embedded snapshot (dataset_info
// always), for a command that needs no more: see schema.DecodeSomeCSV.
func Some(tables ...string) (*assay.Dataset, error) {
	files, err := embeddedText(func(t string) bool { return t == schema.InfoTable || slices.Contains(tables, t) })
	if err != nil {
		return nil, err
	}
	return schema.DecodeSomeCSV(files)
}

// Dataset decodes the embedded snapshot once per process. The files were
// checked against the manifest when the binary was built (the tests do);
// they are compiled in and not hashed again at every start.
func Dataset() (*assay.Dataset, error) { return load() }

// Tables returns the embedded snapshot's tables.
func Tables() ([]assay.Table, error) {
	tables, _, err := Read(Embedded())
	return tables, err
}
