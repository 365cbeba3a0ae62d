package main

import (
	"context"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/duckdb"
	"github.com/assaylab/assay/snapshot"
)

// openStore opens the warehouse every SQL command reads: the file at dbPath,
// read-only, or without --db the snapshot embedded in the binary, loaded
// into an in-memory database by DuckDB's CSV reader.
func openStore(ctx context.Context, dbPath string) (*duckdb.DB, error) {
	if dbPath != "" {
		return duckdb.Open(dbPath)
	}
	tables, files, err := snapshot.TableFiles()
	if err != nil {
		return nil, err
	}
	return duckdb.OpenCSV(ctx, tables, files)
}

// loadDataset gives the analyses their data: the warehouse at dbPath, or the
// embedded snapshot; from the snapshot, only the named tables when a
// command names the few it reads.
func loadDataset(ctx context.Context, dbPath string, tables ...string) (*assay.Dataset, error) {
	switch {
	case dbPath == "" && len(tables) > 0:
		return snapshot.Some(tables...)
	case dbPath == "":
		return snapshot.Dataset()
	}
	db, err := duckdb.Open(dbPath)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Dataset(ctx)
}
