package duckdb

import (
	"context"
	"fmt"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/schema"
)

// Dataset reads every table of the schema back into a Dataset, for the
// analyses, which run in memory.
func (db *DB) Dataset(ctx context.Context) (*assay.Dataset, error) {
	var tables []assay.Table
	for _, t := range schema.Tables(&assay.Dataset{}) {
		got, err := db.ReadTable(ctx, t.Name)
		if err != nil {
			return nil, fmt.Errorf("warehouse is not an assay warehouse of this version (rebuild it with assay ingest): %w", err)
		}
		tables = append(tables, got)
	}
	return schema.Decode(tables)
}
