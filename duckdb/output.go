package duckdb

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/assaylab/assay/internal/filekind"
	"github.com/assaylab/assay/internal/outpath"
	"github.com/assaylab/assay/schema"
)

// infoTable is the schema table every assay warehouse has held since the
// first release with a schema version; it marks a DuckDB file as one that
// assay built and may rebuild.
const infoTable = schema.InfoTable

// CheckBuild tells, before any work, whether an ingest may write its
// warehouse at path: a missing file, or an assay warehouse (a DuckDB file
// with a dataset_info table), which Build then replaces. A directory, any
// other file (notes, a CSV, another program's database) or one of inputs
// is refused, with the path and what it is.
func CheckBuild(ctx context.Context, path string, inputs ...string) error {
	if err := outpath.File(path, []filekind.Kind{filekind.DuckDB}, inputs...); err != nil {
		return err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	db, err := Open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	names, err := db.Tables(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(names, infoTable) {
		return fmt.Errorf("%s is a DuckDB database but not an assay warehouse (it has no %s table), which this command does not replace: choose another name or remove the file", path, infoTable)
	}
	return nil
}

// exportKinds are the files Export may replace: an earlier export in the
// same format, or an empty file.
var exportKinds = map[string][]filekind.Kind{
	"csv":     {filekind.Text, filekind.Empty},
	"parquet": {filekind.Parquet, filekind.Empty},
}

// CheckExport tells, before any work, whether Export may write out in
// format: its folder must exist and be writable, and out must not be a
// directory, one of inputs (the warehouse) or a file of another kind.
func CheckExport(out, format string, inputs ...string) error {
	kinds, ok := exportKinds[format]
	if !ok {
		return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(ExportFormats, " or "))
	}
	return outpath.File(out, kinds, inputs...)
}
