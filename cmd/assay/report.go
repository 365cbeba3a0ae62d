package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay/report"
	"github.com/assaylab/assay/study"
)

func newReportCmd() *cobra.Command {
	var (
		out, dbPath, studyRef string
		seed                  uint64
		perm                  int
		synthetic             bool
	)
	c := &cobra.Command{
		Use:   "report [--out DIR]",
		Short: "Write the findings as a publishable report: HTML, Markdown, figures, their data and a manifest",
		Long: `report runs the claims ledger, the reproduction of the 2019 working paper and
the studies beyond it, and writes into DIR:

  index.html     one self-contained page: inline SVG and CSS, no script, no
                 request to any network or other file; prints on A4 or Letter
  report.md      the same content in Markdown, the figures beside it
  figures/*.svg  each figure
  data/*.csv     the numbers each figure draws, exactly
  manifest.json  the assay version, every input's SHA-256, the study specs,
                 the seed and the time

DIR must not exist, or be a report this command wrote (holding nothing else):
report never replaces another folder. It prints the path and the headline.

--study replaces the study of every metro beyond the paper (default
builtin:foreignborn_all_metros); it must estimate Pearson's r. docs/report.md
describes every figure.`,
		Example: `  assay report
  assay report --out ntca --db assay.duckdb
  assay report --study mine.toml --seed 7`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkPerm(perm); err != nil {
				return err
			}
			if err := report.CheckOut(out); err != nil {
				return err
			}
			in := report.Input{DB: dbPath, Seed: seed, Perm: perm}
			if studyRef != "" {
				spec, err := loadStudy(studyRef)
				if err != nil {
					return err
				}
				in.Study, in.StudyRef = spec, studyRef
			}
			ds, err := loadDataset(cmd.Context(), dbPath)
			if err != nil {
				return err
			}
			in.Data = ds
			ctx, finish := withBar(cmd)
			r, err := report.Build(ctx, in)
			finish()
			if err != nil {
				return err
			}
			if err := refuseSynthetic(r.Synthetic, synthetic); err != nil {
				return err
			}
			if err := r.Write(cmd.Context(), out); err != nil {
				return err
			}
			abs, err := filepath.Abs(filepath.Join(out, report.HTMLFile))
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s\n\n%s\n", abs, r.Headline)
			return err
		},
	}
	f := c.Flags()
	f.StringVar(&out, "out", "assay-report", "folder to write the report into (new, or a report written before)")
	f.StringVar(&dbPath, "db", "", "warehouse file (default: the embedded snapshot)")
	f.StringVar(&studyRef, "study", "", "the study of every metro beyond the paper: a TOML file or "+study.BuiltinPrefix+"NAME (default "+study.BuiltinPrefix+report.DefaultStudy+")")
	f.IntVar(&perm, "perm", defaultPerm, "permutations per correlation in the claims ledger (0: analytic p-values only)")
	f.Uint64Var(&seed, "seed", 1, "seed for every permutation test and bootstrap")
	f.BoolVar(&synthetic, "synthetic", false, "write a report built from SYNTHETIC test data (marked as such) instead of refusing")
	return c
}
