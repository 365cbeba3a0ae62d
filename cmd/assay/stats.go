package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay/frame"
	"github.com/assaylab/assay/stats"
)

// statsFlags are the options every `assay stats` subcommand shares.
type statsFlags struct {
	csv, y, x, weights  string
	cluster, fe, offset string
	method, se          string
	perm, boot, wild    int
	wildWeights         string
	seed                uint64
	level               float64
	json                bool
}

func newStatsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Run an estimator on any CSV file",
		Long: `Run a correlation or regression on columns of a CSV file, with standard
errors, intervals and p-values computed as R and Stata do (see docs/stats.md).
Rows with a missing value (empty, NA, N/A, NaN, ".") in any column used are
dropped, and the output says how many.`,
	}
	cmd.AddCommand(
		statsSub("corr", "Correlation (Pearson, Spearman, Kendall) with permutation and bootstrap options",
			func(c *cobra.Command, f *statsFlags) {
				c.Flags().StringVar(&f.method, "method", "pearson", "pearson, spearman or kendall")
				c.Flags().IntVar(&f.perm, "perm", 0, "permutation p-value: exact when n ≤ 10, else this many seeded shuffles")
				c.Flags().IntVar(&f.boot, "boot", 0, "pairs-bootstrap replicates for percentile and BCa intervals")
			}, runCorr),
		statsSub("ols", "Least squares (weighted with --weights), robust or clustered standard errors",
			func(c *cobra.Command, f *statsFlags) { regressionFlags(c, f, false) }, runRegression(stats.OLS, false)),
		statsSub("fe", "Linear model with absorbed fixed effects (--fe unit[,year])",
			func(c *cobra.Command, f *statsFlags) { regressionFlags(c, f, true) }, runRegression(stats.FE, true)),
		statsSub("poisson", "Poisson pseudo-maximum likelihood, optional fixed effects and offset",
			func(c *cobra.Command, f *statsFlags) {
				regressionFlags(c, f, true)
				c.Flags().StringVar(&f.offset, "offset", "", "column added to the linear predictor as is (e.g. log population)")
			}, runRegression(stats.Poisson, false)),
	)
	return cmd
}

func statsSub(name, short string, flags func(*cobra.Command, *statsFlags), run func(io.Writer, *statsFlags) error) *cobra.Command {
	f := &statsFlags{}
	c := &cobra.Command{
		Use:   name + " --csv FILE --y COL --x COL[,COL] [flags]",
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if f.csv == "" || f.y == "" || f.x == "" {
				return usagef("stats %s needs --csv, --y and --x", name)
			}
			if f.level <= 0 || f.level >= 1 {
				return usagef("--level must be between 0 and 1, got %g", f.level)
			}
			return run(c.OutOrStdout(), f)
		},
	}
	c.Flags().StringVar(&f.csv, "csv", "", "CSV file with a header row")
	c.Flags().StringVar(&f.y, "y", "", "outcome column")
	c.Flags().StringVar(&f.x, "x", "", "regressor column(s), comma-separated")
	c.Flags().StringVar(&f.weights, "weights", "", "weights column (rows with weight 0 are left out of n)")
	c.Flags().Uint64Var(&f.seed, "seed", 1, "seed for every random draw (same seed, same output on any machine)")
	c.Flags().Float64Var(&f.level, "level", 0.95, "confidence level of the intervals")
	c.Flags().BoolVar(&f.json, "json", false, "write JSON instead of a text summary")
	flags(c, f)
	return c
}

func regressionFlags(c *cobra.Command, f *statsFlags, fe bool) {
	c.Flags().StringVar(&f.cluster, "cluster", "", "cluster column(s) for CR1 standard errors; two give two-way clustering")
	c.Flags().StringVar(&f.se, "se", "", "iid, HC0, HC1, HC2 or HC3 (default: CR1 with --cluster, else iid)")
	c.Flags().IntVar(&f.wild, "wild", 0, "wild cluster bootstrap (WCR) draws for each slope; needs one --cluster")
	c.Flags().StringVar(&f.wildWeights, "wild-weights", "rademacher", "rademacher or webb")
	if fe {
		c.Flags().StringVar(&f.fe, "fe", "", "fixed-effect column(s) to absorb, comma-separated")
	}
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// load reads the file and the columns named, turning a column the file
// lacks into a usage error: the command line named it.
func load(f *statsFlags, numeric, text []string) (*frame.Selection, error) {
	fr, err := frame.ReadFile(f.csv)
	if err != nil {
		return nil, err
	}
	sel, err := fr.Select(numeric, text)
	if errors.Is(err, frame.ErrNoColumn) {
		return nil, usageError{err}
	}
	return sel, err
}

func runCorr(w io.Writer, f *statsFlags) error {
	xs := split(f.x)
	if len(xs) != 1 {
		return usagef("stats corr takes one --x column, got %d", len(xs))
	}
	method := map[string]func(x, y []float64, o stats.CorrOptions) (stats.Result, error){
		"pearson": stats.Pearson, "spearman": stats.Spearman, "kendall": stats.Kendall,
	}[f.method]
	if method == nil {
		return usagef("--method must be pearson, spearman or kendall, got %q", f.method)
	}
	cols := []string{f.y, xs[0]}
	if f.weights != "" {
		if f.method != "pearson" {
			return usagef("--weights works with --method pearson only")
		}
		cols = append(cols, f.weights)
	}
	sel, err := load(f, cols, nil)
	if err != nil {
		return err
	}
	o := stats.CorrOptions{Name: fmt.Sprintf("cor(%s, %s)", f.y, xs[0]), Level: f.level, Perm: f.perm, Boot: f.boot, Seed: f.seed}
	x, y := sel.Num[xs[0]], sel.Num[f.y]
	var r stats.Result
	if f.weights != "" {
		r, err = stats.WeightedPearson(x, y, sel.Num[f.weights], o)
	} else {
		r, err = method(x, y, o)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", f.csv, err)
	}
	return write(w, f, r, sel)
}

func runRegression(fit func(stats.Design, stats.Options) (stats.Result, error), needFE bool) func(io.Writer, *statsFlags) error {
	return func(w io.Writer, f *statsFlags) error {
		xs, clusters, fes := split(f.x), split(f.cluster), split(f.fe)
		if needFE && len(fes) == 0 {
			return usagef("stats fe needs --fe")
		}
		if len(clusters) > 2 {
			return usagef("--cluster takes one or two columns, got %d", len(clusters))
		}
		if f.wild > 0 && len(clusters) != 1 {
			return usagef("--wild needs exactly one --cluster column")
		}
		switch se := stats.SEType(f.se); se {
		case "", stats.IID, stats.HC0, stats.HC1, stats.HC2, stats.HC3:
		default:
			return usagef("--se must be iid, HC0, HC1, HC2 or HC3, got %q", f.se)
		}
		numeric := append([]string{f.y}, xs...)
		for _, c := range []string{f.weights, f.offset} {
			if c != "" {
				numeric = append(numeric, c)
			}
		}
		sel, err := load(f, numeric, append(append([]string{}, clusters...), fes...))
		if err != nil {
			return err
		}
		d := stats.Design{YName: f.y, Y: sel.Num[f.y]}
		for _, x := range xs {
			d.X = append(d.X, stats.Var{Name: x, Values: sel.Num[x]})
		}
		if f.weights != "" {
			d.Weights = sel.Num[f.weights]
		}
		if f.offset != "" {
			d.Offset = sel.Num[f.offset]
		}
		for _, c := range clusters {
			d.Cluster = append(d.Cluster, stats.NewFactor(c, sel.Text[c]))
		}
		for _, c := range fes {
			d.FE = append(d.FE, stats.NewFactor(c, sel.Text[c]))
		}
		r, err := fit(d, stats.Options{SE: stats.SEType(f.se), Level: f.level})
		if err != nil {
			return fmt.Errorf("%s: %w", f.csv, err)
		}
		if f.wild > 0 {
			for _, t := range r.Terms {
				if t.Term == stats.InterceptName {
					continue
				}
				wb, err := stats.WildClusterBootstrap(d, stats.WildOptions{Term: t.Term, Reps: f.wild, Weights: f.wildWeights, Seed: f.seed, Level: f.level})
				if err != nil {
					return fmt.Errorf("%s: wild bootstrap: %w", f.csv, err)
				}
				r.Wild = append(r.Wild, wb)
			}
		}
		return write(w, f, r, sel)
	}
}

func write(w io.Writer, f *statsFlags, r stats.Result, sel *frame.Selection) error {
	if note := sel.Note(); note != "" {
		r.Notes = append([]string{note}, r.Notes...)
	}
	if f.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return r.WriteText(w)
}
