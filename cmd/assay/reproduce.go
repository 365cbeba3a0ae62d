package main

import (
	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/papers"
	"github.com/assaylab/assay/stats"
	"github.com/spf13/cobra"
)

func newReproduceCmd() *cobra.Command {
	var (
		dbPath, product   string
		seed              uint64
		perm              int
		asJSON, synthetic bool
	)
	c := &cobra.Command{
		Use:   "reproduce blanchard2019",
		Short: "Reproduce a published analysis and give a verdict on each of its claims",
		Long: `reproduce blanchard2019 runs the design of the January 2019 Justice in Mexico
working paper on Central American immigration and violent crime: for 27 metro
areas, the 2012-2017 change in the share of residents born in El Salvador,
Guatemala or Honduras (NTCA) against the change in the violent-crime and
murder rates. The paper publishes no metro list, so four readings of "the 27
metros with the highest NTCA concentration" are compared (by count or by
share, ranked among all metros or only those the FBI published both years).

For each metro claim (WP06-WP10) it prints what the paper says, what the data
gives (n, r, 95% interval, permutation p, slope), a verdict, and why the two
may differ. Metro NTCA counts (ACS B05006) are not bundled: without them the
tables use each metro's all-foreign-born share as a labelled stand-in and the
claims get no verdict. To check them:
  assay fetch census --table B05006 --years 2012,2017 --geo cbsa --product acs1 --out acs
  assay ingest --census acs --db assay.duckdb
  assay reproduce blanchard2019 --db assay.duckdb

Results built from SYNTHETIC test data are refused unless --synthetic is given.`,
		Example: `  assay reproduce blanchard2019
  assay reproduce blanchard2019 --db assay.duckdb --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			paper, err := papers.Lookup(args[0])
			if err != nil || paper.Reproduce == nil {
				return usagef("unknown analysis %q: assay reproduces blanchard2019", args[0])
			}
			if product != "" && product != "acs1" && product != "acs5" {
				return usagef("--product %q: want acs1 or acs5", product)
			}
			if err := checkPerm(perm); err != nil {
				return err
			}
			ledger, err := runLedger(cmd, dbPath, claims.Options{Product: product, Perm: perm, Seed: seed})
			if err != nil {
				return err
			}
			rep, err := paper.Reproduce(ledger)
			if err != nil {
				return err
			}
			if err := refuseSynthetic(rep.IsSynthetic(), synthetic); err != nil {
				return err
			}
			if asJSON {
				return writeIndentedJSON(cmd.OutOrStdout(), rep)
			}
			return rep.WriteText(cmd.OutOrStdout())
		},
	}
	f := c.Flags()
	f.StringVar(&dbPath, "db", "", "warehouse file (default: the embedded snapshot)")
	f.BoolVar(&asJSON, "json", false, "write the reproduction (rules, samples, findings, claim verdicts) as JSON")
	f.StringVar(&product, "product", "", "ACS product of the NTCA counts: acs1 or acs5 (default: acs1 when present)")
	f.IntVar(&perm, "perm", defaultPerm, "permutations per correlation (0: analytic p-values only)")
	f.Uint64Var(&seed, "seed", 1, "seed for permutations and bootstraps")
	f.BoolVar(&synthetic, "synthetic", false, "show results built from SYNTHETIC test data (marked as such) instead of refusing")
	return c
}

// defaultPerm is the permutations per correlation test the metro claims
// run unless told otherwise.
const defaultPerm = 9999

// checkPerm is the one check of --perm for the commands that run the
// claims ledger, so that they accept and refuse the same counts.
func checkPerm(perm int) error {
	if perm < 0 || perm > stats.MaxPermutations {
		return usagef("--perm %d: want 0 (no permutation tests) to %d", perm, stats.MaxPermutations)
	}
	return nil
}
