package main

import (
	"context"

	"github.com/assaylab/assay/duckdb"
)

// openStore opens the warehouse every command reads: the file at dbPath,
// read-only, or without --db the snapshot embedded in the binary.
func openStore(ctx context.Context, dbPath string) (*duckdb.DB, error) {
	if dbPath == "" {
		// The embedded snapshot is not built yet; until it is, --db is required.
		return nil, usagef("no --db given: pass --db PATH to a warehouse file")
	}
	return duckdb.Open(dbPath)
}
