package main

import (
	"context"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/duckdb"
	"github.com/assaylab/assay/snapshot"
)

// openStore opens the warehouse every SQL command reads: the file at dbPath,
// or without --db the warehouse embedded in the snapshot; read-only both.
func openStore(dbPath string) (*duckdb.DB, error) {
	if dbPath != "" {
		return duckdb.Open(dbPath)
	}
	return snapshot.OpenWarehouse()
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
