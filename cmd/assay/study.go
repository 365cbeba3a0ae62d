package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay/papers"
	"github.com/assaylab/assay/study"
)

func newStudyCmd() *cobra.Command {
	var (
		dbPath, show             string
		seed                     uint64
		asJSON, list, synthetics bool
	)
	c := &cobra.Command{
		Use:   "study FILE | study builtin:NAME",
		Short: "Run a declarative study (a TOML file) of immigration and crime across metros",
		Long: `study runs the study a TOML file describes: its years, immigrant measure,
crime outcome, metro selection, estimators, optional metro-year panel and
robustness grid (the multiverse). docs/study.md documents every key.

Built-in studies are named builtin:NAME; --list lists them and --show NAME
prints one's TOML, a starting point for your own. Studies on the bundled
data (source = "bundled") use each metro's all-foreign-born share, which is
not the NTCA-born share; studies on metro B05006 counts need them fetched:
  assay fetch census --table B05006 --years 2012,2017 --geo cbsa --product acs1 --out acs
  assay ingest --census acs --db assay.duckdb
  assay study builtin:blanchard2019 --db assay.duckdb

Results built from SYNTHETIC test data (the census/synthetic generator) are
refused unless --synthetic is given; then every rendering is marked
SYNTHETIC, and the JSON carries "synthetic": true.`,
		Example: `  assay study --list
  assay study builtin:foreignborn_all_metros
  assay study builtin:panel_2006_2018 --json
  assay study --show foreignborn_all_metros > mine.toml
  assay study mine.toml --seed 7`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			switch {
			case list:
				return listStudies(w, asJSON)
			case show != "":
				b, err := papers.StudySource(strings.TrimPrefix(show, study.BuiltinPrefix))
				if err != nil {
					return usagef("--show: %v", err)
				}
				_, err = w.Write(b)
				return err
			case len(args) == 0:
				return usagef("name a study file, or builtin:NAME (assay study --list)")
			}
			spec, err := loadStudy(args[0])
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("seed") {
				spec.Estimation.Seed = seed
			}
			ds, err := loadDataset(cmd.Context(), dbPath, papers.Tables...)
			if err != nil {
				return err
			}
			ctx, finish := withBar(cmd)
			res, err := study.Run(ctx, ds, spec)
			finish()
			var missing *study.MissingOriginError
			if errors.As(err, &missing) {
				missing.Rerun = "assay study " + args[0]
			}
			if err != nil {
				return err
			}
			if err := refuseSynthetic(res.Synthetic, synthetics); err != nil {
				return err
			}
			if asJSON {
				return writeIndentedJSON(w, res)
			}
			return res.WriteText(w)
		},
	}
	f := c.Flags()
	f.StringVar(&dbPath, "db", "", "warehouse file (default: the embedded snapshot)")
	f.BoolVar(&asJSON, "json", false, "write the full result (spec, sample, findings, diagnostics, multiverse) as JSON")
	f.Uint64Var(&seed, "seed", 0, "seed for permutations and bootstraps (default: the study's estimation.seed)")
	f.BoolVar(&list, "list", false, "list the built-in studies (as JSON with --json)")
	f.StringVar(&show, "show", "", "print a built-in study's TOML")
	f.BoolVar(&synthetics, "synthetic", false, "show results built from SYNTHETIC test data (marked as such) instead of refusing")
	return c
}

// loadStudy reads a study file, or a built-in study named builtin:NAME.
func loadStudy(arg string) (*study.Spec, error) {
	if name, ok := strings.CutPrefix(arg, study.BuiltinPrefix); ok {
		s, err := papers.Study(name)
		if err != nil {
			return nil, usagef("%v", err)
		}
		return s, nil
	}
	return study.Load(arg)
}

func listStudies(w io.Writer, asJSON bool) error {
	type entry struct {
		Name  string `json:"name"`
		Title string `json:"title"`
	}
	var list []entry
	for _, name := range papers.Studies() {
		s, err := papers.Study(name)
		if err != nil {
			return err
		}
		list = append(list, entry{study.BuiltinPrefix + name, s.Title})
	}
	if asJSON {
		return writeIndentedJSON(w, list)
	}
	for _, e := range list {
		if _, err := fmt.Fprintf(w, "%s\t%s\n", e.Name, e.Title); err != nil {
			return err
		}
	}
	return nil
}

// errSynthetic is returned when results rest on generated test data and
// the user did not ask to see them.
var errSynthetic = errors.New("the data holds SYNTHETIC test counts (made by the census/synthetic generator), so these results are not findings; refusing to print them (pass --synthetic to see them, marked SYNTHETIC)")

func refuseSynthetic(synthetic, allowed bool) error {
	if synthetic && !allowed {
		return errSynthetic
	}
	return nil
}

func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
