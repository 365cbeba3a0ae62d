// Package claims holds the numeric claims of the source texts assay checks
// and assembles their verdicts into one ledger: each published analysis
// (package papers and its plug-ins) registers one evaluator per claim, and
// Registry.Ledger runs them on a dataset. It knows no analysis itself.
package claims

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/assaylab/assay"
)

// claimsCSV is the project's list of claims (copied from shared/claims;
// a test keeps the two equal where shared/ is present).
//
//go:embed claims.csv
var claimsCSV []byte

var list = sync.OnceValues(func() ([]assay.Claim, error) { return Parse(bytes.NewReader(claimsCSV)) })

// List returns every claim, in the list's order.
func List() ([]assay.Claim, error) { return list() }

// Lookup returns one claim by id.
func Lookup(id string) (assay.Claim, error) {
	all, err := List()
	if err != nil {
		return assay.Claim{}, err
	}
	for _, c := range all {
		if c.ID == id {
			return c, nil
		}
	}
	return assay.Claim{}, fmt.Errorf("no claim %q", id)
}

var columns = []string{"id", "source", "section", "claim", "stated_value", "period", "geography", "check_kind", "data_needed"}

// Parse reads a claims list: a CSV with the columns above, in that order.
func Parse(r io.Reader) ([]assay.Claim, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("claims row 1: %w", err)
	}
	if !slices.Equal(header, columns) {
		return nil, fmt.Errorf("claims row 1: header %v, want %v", header, columns)
	}
	var out []assay.Claim
	seen := map[string]int{}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("claims row %d: %w", row, err)
		}
		c := assay.Claim{ID: rec[0], Source: rec[1], Section: rec[2], Text: rec[3], Stated: rec[4],
			Period: rec[5], Geography: rec[6], CheckKind: rec[7], DataNeeded: rec[8]}
		if c.ID == "" {
			return nil, fmt.Errorf("claims row %d field id: empty", row)
		}
		if first, dup := seen[c.ID]; dup {
			return nil, fmt.Errorf("claims row %d field id: %s already on row %d", row, c.ID, first)
		}
		seen[c.ID] = row
		out = append(out, c)
	}
}
