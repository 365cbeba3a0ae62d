package main

import (
	"github.com/spf13/cobra"

	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/papers"
)

func newClaimsCmd() *cobra.Command {
	var (
		dbPath            string
		seed              uint64
		perm              int
		asJSON, synthetic bool
	)
	c := &cobra.Command{
		Use:   "claims",
		Short: "Give every claim of the source texts a verdict from the data",
		Long: `claims checks every numeric claim of the 2019 working paper (summary and
executive summary) and the 2021 article (the list is claims/claims.csv), and
gives each a verdict: supported, contradicted, partly supported, arithmetic
error, or not checkable with the bundled data (then the note names the data,
and where one exists the assay command, that would settle it). Each verdict
carries the computed value, its uncertainty where there is one (ACS 90%
margins of error, regression intervals) and the exact inputs: files, tables,
years, population groups.

Each claim has one evaluator, registered by the published analysis it
belongs to (package papers): the working paper's metro findings (WP06-WP10)
rest on its reproduction (assay reproduce blanchard2019), the rest on the
national series or on arithmetic.

With --json, prints a list of objects with id, verdict, stated, computed,
value, low, high, inputs, note and findings.`,
		Example: `  assay claims
  assay claims --json > verdicts.json
  assay claims --db assay.duckdb`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkPerm(perm); err != nil {
				return err
			}
			ledger, err := runLedger(cmd, dbPath, claims.Options{Perm: perm, Seed: seed})
			if err != nil {
				return err
			}
			if err := refuseSynthetic(ledger.Synthetic(), synthetic); err != nil {
				return err
			}
			if asJSON {
				return writeIndentedJSON(cmd.OutOrStdout(), ledger.Results)
			}
			return claims.WriteText(cmd.OutOrStdout(), ledger.Results)
		},
	}
	f := c.Flags()
	f.StringVar(&dbPath, "db", "", "warehouse file (default: the embedded snapshot)")
	f.BoolVar(&asJSON, "json", false, "write the verdicts as a JSON list")
	f.IntVar(&perm, "perm", defaultPerm, "permutations per correlation in the metro claims (0: analytic p-values only)")
	f.Uint64Var(&seed, "seed", 1, "seed for permutations and bootstraps")
	f.BoolVar(&synthetic, "synthetic", false, "show verdicts built from SYNTHETIC test data (marked as such) instead of refusing")
	return c
}

// runLedger evaluates every claim on the data at dbPath (the tables the
// papers read), drawing progress on stderr: the work claims and reproduce
// share before each presents the ledger its own way.
func runLedger(cmd *cobra.Command, dbPath string, opt claims.Options) (*claims.Ledger, error) {
	ds, err := loadDataset(cmd.Context(), dbPath, papers.Tables...)
	if err != nil {
		return nil, err
	}
	ctx, finish := withBar(cmd)
	defer finish()
	return papers.Ledger(ctx, ds, opt)
}
