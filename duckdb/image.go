package duckdb

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// OpenImage opens a warehouse read from image, the bytes of its file (the
// snapshot embedded in the binary), as Open opens a file: read-only, every
// query in the sandbox. DuckDB opens only files, so the bytes go to a
// private temporary folder, which Close removes. Opening a built file costs
// a few milliseconds; loading the same tables from CSV text into an
// in-memory database was most of a short query's time.
func OpenImage(image io.Reader) (*DB, error) {
	dir, err := os.MkdirTemp("", "assay-snapshot-*")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", snapshotName, err)
	}
	path := filepath.Join(dir, "snapshot.duckdb")
	var db *DB
	if err = writeFile(path, image); err == nil {
		db, err = openFile(path, snapshotName)
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("open %s: %w", snapshotName, err)
	}
	db.tmp = dir
	return db, nil
}

func writeFile(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
