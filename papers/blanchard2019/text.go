package blanchard2019

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/internal/textfmt"
	"github.com/assaylab/assay/study"
)

// WriteText renders the reproduction: one section per claim with what the
// paper says, what the data gives, the verdict, and why they may differ.
func (rep *Reproduction) WriteText(w io.Writer) error {
	t := textfmt.NewWriter(w)
	if rep.Synthetic {
		t.Printf("%s\n\n", study.SyntheticBanner)
	}
	t.Wrapped("Reproducing ", rep.Paper)
	t.Wrapped("Design: ", fmt.Sprintf("%s, change in the %s share against the change in the violent-crime and murder rates (FBI Table 6), %d metros; X = %s",
		rep.Years, study.GroupWord(rep.Source, rep.Group), paperN, rep.Measure))
	if rep.Missing != "" {
		// One line, unwrapped, so the commands copy as they are.
		t.Printf("\nNOTE: %s\n", rep.Missing)
	}
	t.Printf("\nSelection rules (the paper publishes no metro list):\n")
	for _, rr := range rep.Rules {
		t.Wrapped(fmt.Sprintf("  %-10s ", rr.Rule.Key), rr.Rule.Description)
	}
	claimsByID := map[string]assay.ClaimResult{}
	for _, c := range rep.Claims {
		claimsByID[c.ID] = c
	}
	section := func(id string, table func()) {
		c := claimsByID[id]
		text := c.Stated
		if cl, err := claims.Lookup(id); err == nil {
			text = cl.Text
		}
		t.Printf("\n")
		mark := ""
		if c.Synthetic {
			mark = "SYNTHETIC "
		}
		t.Wrapped(fmt.Sprintf("%s%s  ", mark, id), text)
		t.Wrapped("  Paper says: ", c.Stated)
		t.Wrapped("  Verdict:    ", string(c.Verdict))
		t.Wrapped("  We find:    ", c.Computed)
		if table != nil {
			table()
		}
		if c.Note != "" {
			t.Wrapped("  Why they may differ: ", c.Note)
		}
	}
	corrTable := func(outcomes ...string) func() {
		return func() {
			var rows [][]string
			for _, rr := range rep.Rules {
				for _, o := range outcomes {
					e := rr.Violent
					if o == "murder" {
						e = rr.Murder
					}
					if e == nil {
						rows = append(rows, []string{rr.Rule.Key, o, "-", "-", "-", "-", "-"})
						continue
					}
					rows = append(rows, []string{rr.Rule.Key, o, fmt.Sprint(e.Pearson.N), textfmt.F2(e.Pearson.Estimate), fmt.Sprintf("[%s, %s]", textfmt.F2(e.Pearson.CILow), textfmt.F2(e.Pearson.CIHigh)),
						textfmt.P(e.Pearson.PermP), textfmt.G3(e.Slope.Estimate)})
				}
			}
			t.Table("    ", []string{"rule", "outcome", "n", "r", "95% CI", "perm p", "slope (rate per point)"}, rows)
		}
	}
	section("WP05", nil)
	section("WP06", corrTable("violent"))
	section("WP07", corrTable("violent", "murder"))
	section("WP08", func() {
		var rows [][]string
		for _, rr := range rep.Rules {
			h := rr.Homicide
			rows = append(rows, []string{rr.Rule.Key, fmt.Sprint(h.N), fmt.Sprint(h.Fell), fmt.Sprint(h.ShareRose), moeCount(h), fmt.Sprint(h.FellAndRose)})
		}
		t.Table("    ", []string{"rule", "n", "murder fell", "share rose", "beyond MOE", "both"}, rows)
	})
	section("WP09", func() {
		c := rep.Columbus
		// One row a year, one column a series: the MSA and the city in
		// Table 6, and the city in the agency panel.
		cols := [][]YearRate{c.Published, c.City, c.Agency}
		byYear := map[int][]string{}
		var years []int
		for k, series := range cols {
			for _, p := range series {
				if byYear[p.Year] == nil {
					byYear[p.Year] = make([]string, len(cols))
					years = append(years, p.Year)
				}
				byYear[p.Year][k] = fmt.Sprintf("%s (%s)", textfmt.F1(p.Rate), textfmt.G3(p.Count))
			}
		}
		slices.Sort(years)
		var rows [][]string
		for _, y := range years {
			row := []string{fmt.Sprint(y)}
			for _, cell := range byYear[y] {
				row = append(row, cmp.Or(cell, "-"))
			}
			rows = append(rows, row)
		}
		t.Printf("    murder rate per 100,000 (murders); the city is the City of Columbus police, not the metro\n")
		t.Table("    ", []string{"year", "MSA, Table 6", "city, Table 6", "city, agency panel"}, rows)
	})
	section("WP10", func() {
		mv := rep.MostViolent
		var rows [][]string
		for _, v := range mv.Top {
			row := []string{fmt.Sprint(v.Rank), v.Name, fmt.Sprintf("%.0f", v.Rate.V), sharePct(v.ForeignBornShare, v.ForeignBornRank, mv.ForeignBornMetros)}
			if rep.HasNTCA {
				row = append(row, sharePct(v.NTCAShare, v.NTCARank, mv.NTCAMetros))
			}
			rows = append(rows, row)
		}
		header := []string{"rank", fmt.Sprintf("MSA (%d)", mv.Year), "violent rate", "foreign-born share (rank)"}
		if rep.HasNTCA {
			header = append(header, "NTCA share (rank)")
		}
		t.Table("    ", header, rows)
	})
	t.Printf("\nMetros chosen by each rule (rank order; * = left out, with the reason in --json):\n")
	for _, rr := range rep.Rules {
		if rr.Violent == nil {
			t.Wrapped(fmt.Sprintf("  %-10s ", rr.Rule.Key), strings.Join(rr.Errors, "; "))
			continue
		}
		var names []string
		out := map[string]bool{}
		for _, d := range rr.Violent.Sample.Dropped {
			out[d.CBSA] = true
		}
		for _, r := range selected(rr.Violent.Sample) {
			n := r.Title
			if out[r.CBSA] {
				n += "*"
			}
			names = append(names, n)
		}
		t.Wrapped(fmt.Sprintf("  %-10s ", rr.Rule.Key), strings.Join(names, "; "))
	}
	if rep.Synthetic {
		t.Printf("\n%s\n", study.SyntheticBanner)
	}
	return t.Err()
}

func moeCount(h HomicideCount) string {
	if !h.MOEKnown {
		return "n/a"
	}
	return fmt.Sprint(h.ShareRoseBeyondMOE)
}

func sharePct(v assay.Num, rank, of int) string {
	if !v.Valid {
		return "-"
	}
	return fmt.Sprintf("%.1f%% (#%d of %d)", 100*v.V, rank, of)
}
