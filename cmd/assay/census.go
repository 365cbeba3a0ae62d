package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/census"
)

// newParentCmd makes a command that only groups subcommands (inspect,
// fetch), one per publisher.
func newParentCmd(use, short string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short}
	c.AddCommand(subs...)
	return c
}

// newInspectCmd is the parent of the inspect commands, which parse one raw
// file without a warehouse.
func newInspectCmd(subs ...*cobra.Command) *cobra.Command {
	return newParentCmd("inspect", "Parse one raw file and print what assay reads from it", subs...)
}

func newInspectCensusCmd() *cobra.Command {
	var (
		opt     census.Options
		asJSON  bool
		product string
	)
	c := &cobra.Command{
		Use:   "census FILE",
		Short: "Print the geographies and values of an ACS file of any format",
		Long: `Reads one ACS file: a Census API JSON response, an API response saved as CSV
(E/EA/M/MA columns, as in ncnw_national/raw), a data.census.gov CSV download,
an American FactFinder CSV download, or the county nativity extract. Any ACS
table. Variables carry their labels: from the file's label row, from --legend
(an API variables.json or groups/<table>.json, a saved *_LEGEND.csv, or the
B05006 variable map, which needs --year and --product), or from the legend
found beside the file.

With --json, prints one JSON object per geography (per population group for
S0201): geo_id, name, values = [{variable, label, estimate, moe, annotation,
moe_annotation}]. Estimates and MOEs published as annotation codes are null,
with the code in annotation / moe_annotation. Problems go to stderr as
FILE:ROW: reason: detail.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if product != "" {
				p, ok := census.NormalizeProduct(product)
				if !ok {
					return usagef("--product %q: want acs1, acs3 or acs5", product)
				}
				opt.Product = p
			}
			if opt.Year != 0 {
				if err := census.CheckYear(opt.Product, opt.Year); err != nil {
					return usagef("--year: %v", err)
				}
			}
			res, err := census.ReadFile(args[0], opt)
			if err != nil {
				return err
			}
			printAudit(cmd.ErrOrStderr(), res.Audit)
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				for _, g := range res.Geos {
					if err := enc.Encode(g); err != nil {
						return err
					}
				}
				return nil
			}
			return printGeos(cmd.OutOrStdout(), res)
		},
	}
	f := c.Flags()
	f.StringVar(&opt.Legend, "legend", "", "legend file giving the variables' labels")
	f.IntVar(&opt.Year, "year", 0, "ACS year, when the file name does not say")
	f.StringVar(&opt.Table, "table", "", "ACS table id (B05006), when the file name does not say")
	f.StringVar(&product, "product", "", "acs1 or acs5, when the file name does not say")
	f.BoolVar(&asJSON, "json", false, "one JSON object per geography")
	return c
}

// printAudit writes the entries a user should see: not the header rows
// every file has.
func printAudit(w io.Writer, audit []assay.AuditEntry) {
	for _, a := range audit {
		if a.Reason == "header" {
			continue
		}
		fmt.Fprintf(w, "%s:%d: %s %s: %s\n", a.Source, a.Row, a.Action, a.Reason, a.Detail)
	}
}

func printGeos(w io.Writer, res *census.Result) error {
	fmt.Fprintf(w, "%s: %s %s %s %d, %d geographies\n", res.Source.Path, res.Format, res.Table, res.Product, res.Year, len(res.Geos))
	for _, g := range res.Geos {
		head := g.GeoID + "  " + g.Name
		if g.PopGroup != "" {
			head += "  [" + g.PopGroup + " " + g.PopGroupLabel + "]"
		}
		if g.Synthetic {
			head += "  (SYNTHETIC)"
		}
		if _, err := fmt.Fprintln(w, head); err != nil {
			return err
		}
		for _, v := range g.Values {
			line := fmt.Sprintf("  %-12s %s = %s ± %s", v.Variable, v.Label, v.Value, v.MOE)
			if v.Annotation != "" || v.MOEAnnotation != "" {
				line += fmt.Sprintf("  [%s/%s]", v.Annotation, v.MOEAnnotation)
			}
			fmt.Fprintln(w, line)
		}
	}
	return nil
}
