package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay/frame"
	"github.com/assaylab/assay/internal/progress"
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
				c.Flags().IntVar(&f.perm, "perm", 0, fmt.Sprintf("permutation p-value: exact when n ≤ %d, else this many seeded shuffles (at most %d)", stats.ExactPermMax, stats.MaxPermutations))
				c.Flags().IntVar(&f.boot, "boot", 0, fmt.Sprintf("pairs-bootstrap resamples for percentile and BCa intervals (%d to %d at the 95%% level)", stats.MinBootstrap(0.95), stats.MaxBootstrap))
			}, runCorr),
		statsSub("ols", "Least squares (weighted with --weights), robust or clustered standard errors",
			func(c *cobra.Command, f *statsFlags) { regressionFlags(c, f, false, true) }, runRegression(stats.OLS, false, true)),
		statsSub("fe", "Linear model with absorbed fixed effects (--fe unit[,year])",
			func(c *cobra.Command, f *statsFlags) { regressionFlags(c, f, true, true) }, runRegression(stats.FE, true, true)),
		statsSub("poisson", "Poisson pseudo-maximum likelihood, optional fixed effects and offset",
			func(c *cobra.Command, f *statsFlags) {
				regressionFlags(c, f, true, false)
				c.Flags().StringVar(&f.offset, "offset", "", "column added to the linear predictor as is (e.g. log population)")
			}, runRegression(stats.Poisson, false, false)),
	)
	return cmd
}

func statsSub(name, short string, flags func(*cobra.Command, *statsFlags), run func(*cobra.Command, *statsFlags) error) *cobra.Command {
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
			return run(c, f)
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

// regressionFlags adds the regression flags; wild says whether the
// estimator has a wild cluster bootstrap. Without one --wild is still
// parsed, hidden, so that asking for it gets an explanation rather than
// "unknown flag".
func regressionFlags(c *cobra.Command, f *statsFlags, fe, wild bool) {
	c.Flags().StringVar(&f.cluster, "cluster", "", "cluster column(s) for CR1 standard errors; two give two-way clustering")
	c.Flags().StringVar(&f.se, "se", "", "iid, HC0, HC1, HC2 or HC3 (default: CR1 with --cluster, else iid)")
	c.Flags().IntVar(&f.wild, "wild", 0, fmt.Sprintf("wild cluster bootstrap (WCR) draws for each slope, %d to %d at the 95%% level; needs one --cluster", stats.MinWild(0.95), stats.MaxWild))
	if wild {
		c.Flags().StringVar(&f.wildWeights, "wild-weights", "rademacher", "rademacher or webb")
	} else if err := c.Flags().MarkHidden("wild"); err != nil {
		panic(err) // the flag was just defined
	}
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

func runCorr(c *cobra.Command, f *statsFlags) error {
	xs := split(f.x)
	if len(xs) != 1 {
		return usagef("stats corr takes one --x column, got %d", len(xs))
	}
	kind := map[string]stats.CorrKind{"pearson": stats.CorrPearson, "spearman": stats.CorrSpearman, "kendall": stats.CorrKendall}[f.method]
	if kind == 0 {
		return usagef("--method must be pearson, spearman or kendall, got %q", f.method)
	}
	cols := []string{f.y, xs[0]}
	if f.weights != "" {
		if f.method != "pearson" {
			return usagef("--weights works with --method pearson only")
		}
		cols = append(cols, f.weights)
		kind = stats.CorrWeightedPearson
	}
	ctl, done := control(c)
	defer done()
	o := stats.CorrOptions{Name: fmt.Sprintf("cor(%s, %s)", f.y, xs[0]), Level: f.level, Perm: f.perm, Boot: f.boot, Seed: f.seed, Control: ctl}
	if err := o.Check(); err != nil {
		return usageError{err}
	}
	sel, err := load(f, cols, nil)
	if err != nil {
		return err
	}
	rs, err := stats.CorrelateAll(sel.Num[xs[0]], sel.Num[f.y], sel.Num[f.weights], []stats.CorrKind{kind}, o)
	if err != nil {
		return located(sel, err, map[string]string{"x": xs[0], "y": f.y, "weights": f.weights})
	}
	return write(c.OutOrStdout(), f, rs[0], sel)
}

func runRegression(fit func(stats.Design, stats.Options) (stats.Result, error), needFE, hasWild bool) func(*cobra.Command, *statsFlags) error {
	return func(c *cobra.Command, f *statsFlags) error {
		xs, clusters, fes := split(f.x), split(f.cluster), split(f.fe)
		if needFE && len(fes) == 0 {
			return usagef("stats fe needs --fe")
		}
		if len(clusters) > 2 {
			return usagef("--cluster takes one or two columns, got %d", len(clusters))
		}
		if f.wild != 0 && !hasWild {
			return usagef("stats %s has no --wild: the wild cluster bootstrap is implemented for linear models (stats ols, fe); use --cluster for CR1 standard errors", c.Name())
		}
		ctl, done := control(c)
		defer done()
		wild := stats.WildOptions{Reps: f.wild, Weights: f.wildWeights, Seed: f.seed, Level: f.level, Control: ctl}
		if f.wild != 0 {
			if err := wild.Check(); err != nil {
				return usageError{err}
			}
			if len(clusters) != 1 {
				return usagef("--wild needs exactly one --cluster column")
			}
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
		columns := map[string]string{"weights": f.weights, "offset": f.offset}
		r, err := fit(d, stats.Options{SE: stats.SEType(f.se), Level: f.level})
		if err != nil {
			return located(sel, err, columns)
		}
		if f.wild != 0 {
			for _, t := range r.Terms {
				if t.Term == stats.InterceptName {
					continue
				}
				wild.Term = t.Term
				wb, err := stats.WildClusterBootstrap(d, wild)
				if err != nil {
					return located(sel, fmt.Errorf("wild bootstrap: %w", err), columns)
				}
				r.Wild = append(r.Wild, wb)
			}
		}
		return write(c.OutOrStdout(), f, r, sel)
	}
}

// located names the file line of a bad value stats found in a row, the
// way frame names a cell it cannot read; columns maps the names stats uses
// for unnamed inputs ("x", "weights", ...) to the file's columns.
func located(sel *frame.Selection, err error, columns map[string]string) error {
	var re *stats.RowError
	if errors.As(err, &re) && re.Row >= 0 && re.Row < sel.N() {
		col := re.Column
		if c := columns[col]; c != "" {
			col = c
		}
		return sel.LineError(re.Row, col, re.Err)
	}
	return fmt.Errorf("%s: %w", sel.File, err)
}

// control passes the command's context to the resampling loops and, on a
// terminal, draws their progress on stderr; call the returned func when done.
func control(c *cobra.Command) (stats.Control, func()) {
	bar := progress.New(c.ErrOrStderr(), 0, "stats "+c.Name(), quiet(c))
	step := bar.Report("stats " + c.Name())
	ctl := stats.Control{Context: c.Context(), Progress: func(done, total int) { step("resampling", done, total) }}
	return ctl, bar.Finish
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
