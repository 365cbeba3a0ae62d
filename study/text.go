package study

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/assaylab/assay"
)

// SyntheticBanner heads and closes every text rendering of results built
// from the test generator's data.
const SyntheticBanner = "*** SYNTHETIC: built from generated test data, not from any official estimate. These are not findings. ***"

// textWriter accumulates text and keeps the first write error.
type textWriter struct {
	w   io.Writer
	err error
}

func (t *textWriter) printf(format string, a ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, a...)
	}
}

// wrapped prints text after a label, wrapped at about 100 columns with a
// hanging indent.
func (t *textWriter) wrapped(label, text string) {
	indent := strings.Repeat(" ", len(label))
	line := label
	for _, w := range strings.Fields(text) {
		if len(line) > len(indent) && len(line)+1+len(w) > 100 {
			t.printf("%s\n", line)
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += w
	}
	t.printf("%s\n", line)
}

// table prints rows aligned in columns.
func (t *textWriter) table(indent string, header []string, rows [][]string) {
	if t.err != nil {
		return
	}
	tw := tabwriter.NewWriter(t.w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s%s\n", indent, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintf(tw, "%s%s\n", indent, strings.Join(r, "\t"))
	}
	t.err = tw.Flush()
}

// numf formats a number, or NA when it is null.
func numf(format string, n assay.Num) string {
	if !n.Valid {
		return "NA"
	}
	return fmt.Sprintf(format, n.V)
}

func f1(n assay.Num) string { return numf("%.1f", n) }
func f2(n assay.Num) string { return numf("%.2f", n) }
func g3(n assay.Num) string { return numf("%.3g", n) }

func ci(f assay.Finding) string {
	return fmt.Sprintf("[%s, %s]", g3(f.CILow), g3(f.CIHigh))
}

// WriteText renders a study's result for a reader.
func (r *Result) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	if r.Synthetic {
		t.printf("%s\n\n", SyntheticBanner)
	}
	s := r.Spec
	t.printf("Study %s: %s\n", s.Name, s.Title)
	t.wrapped("X (immigrant measure): ", r.Measure)
	t.wrapped("Y (outcome):           ", r.Outcome)
	smp := r.Sample
	t.wrapped("Metros:                ", fmt.Sprintf("%d in the sample (selection: %s; FBI records %s)%s",
		len(smp.Rows), s.Selection, s.Coverage, dropSummary(smp)))
	t.printf("\n")
	rows := make([][]string, len(r.Findings))
	for i, f := range r.Findings {
		rows[i] = []string{f.Estimator, fmt.Sprint(f.N), g3(f.Estimate), ci(f), g3(f.SE), fp(f.P), fp(f.PermP)}
	}
	t.table("", []string{"estimator", "n", "estimate", fmt.Sprintf("%g%% CI", 100*s.Estimation.Level), "SE", "p", "perm p"}, rows)
	t.printf("  (correlations: r, rho or tau; ols/wls: change in Y per unit of X, HC3 standard errors)\n")
	if len(smp.Rows) <= 30 {
		t.printf("\n")
		var mr [][]string
		for _, m := range smp.Rows {
			mr = append(mr, []string{rankText(m.Rank), m.Title, fmt.Sprintf("%.3g", m.X), fmt.Sprintf("%.3g", m.Y)})
		}
		t.table("  ", []string{"rank", "metro", "X", "Y"}, mr)
	}
	if in := r.Influence; in != nil {
		t.printf("\n")
		t.wrapped("Influence: ", fmt.Sprintf("leaving out one metro moves Pearson's r (%.3f) between %.3f and %.3f. Largest moves: %s. Largest Cook's distance: %s; %d metros above 4/n.",
			in.R, in.LOOMin, in.LOOMax, influentialList(in.ByShift, false), influentialList(in.ByCook, true), in.CookOver))
	}
	if p := r.Power; p != nil {
		t.wrapped("Power:     ", fmt.Sprintf("with %d metros the smallest correlation detected 80%% of the time at the 5%% level is %.2f; with %d it is %.2f. If the true r were %.3f, %d metros would detect it %.0f%% of the time and %d metros %.0f%%.",
			p.N, p.MDC, p.PaperN, p.PaperMDC, p.R, p.N, 100*p.PowerN, p.PaperN, 100*p.PowerPaperN))
	}
	if pr := r.Panel; pr != nil {
		x := "share in percent"
		if pr.Measure == "log_share" {
			x = "log share"
		}
		t.printf("\n")
		t.wrapped("", fmt.Sprintf("Panel %d-%d: %s %s on the %s %s (%s interpolation), %d metros, %d metro-years (years %s); standard errors clustered by metro",
			pr.From, pr.To, pr.Offense, pr.Form, groupWord(r.Spec.Immigrant.Source, r.Spec.Immigrant.Group), x, pr.Interpolation, pr.Metros, pr.Observations, yearList(pr.Years)))
		var pr2 [][]string
		for _, f := range pr.Findings {
			pr2 = append(pr2, []string{f.Estimator, fmt.Sprint(f.N), fmt.Sprint(f.Clusters), g3(f.Estimate), ci(f), g3(f.SE), fp(f.P)})
		}
		t.table("  ", []string{"estimator", "n", "metros", "estimate", "CI", "SE", "p"}, pr2)
		for _, n := range pr.Notes {
			t.wrapped("  - ", n)
		}
	}
	if m := r.Multiverse; m != nil {
		t.printf("\n")
		m.writeText(t)
	}
	if len(r.Notes) > 0 {
		t.printf("\nCaveats:\n")
		for _, n := range r.Notes {
			t.wrapped("  - ", n)
		}
	}
	if r.Synthetic {
		t.printf("\n%s\n", SyntheticBanner)
	}
	return t.err
}

func rankText(r int) string {
	if r == 0 {
		return "-"
	}
	return fmt.Sprint(r)
}

// dropSummary counts the dropped metros by reason, naming them when few.
func dropSummary(s *Sample) string {
	if len(s.Dropped) == 0 {
		return ""
	}
	byReason := map[string][]string{}
	for _, d := range s.Dropped {
		byReason[d.Reason] = append(byReason[d.Reason], d.Title)
	}
	var parts []string
	for _, reason := range slices.SortedFunc(maps.Keys(byReason), func(a, b string) int {
		return cmp.Or(cmp.Compare(len(byReason[b]), len(byReason[a])), cmp.Compare(a, b))
	}) {
		names := byReason[reason]
		if len(names) <= 3 {
			parts = append(parts, fmt.Sprintf("%s (%s)", reason, strings.Join(names, "; ")))
		} else {
			parts = append(parts, fmt.Sprintf("%s (%d metros)", reason, len(names)))
		}
	}
	return fmt.Sprintf("; %d left out: %s", len(s.Dropped), strings.Join(parts, ", "))
}

func influentialList(ms []Influential, cook bool) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		if cook {
			parts[i] = fmt.Sprintf("%s (D = %.2f)", m.Title, m.Cook)
		} else {
			parts[i] = fmt.Sprintf("%s (r without it %.3f)", m.Title, m.RWithout)
		}
	}
	return strings.Join(parts, ", ")
}

func (m *Multiverse) writeText(t *textWriter) {
	s := m.Summary
	var dims []string
	for _, d := range m.Dimensions {
		if len(d.Values) > 1 {
			dims = append(dims, fmt.Sprintf("%s (%d)", d.Name, len(d.Values)))
		}
	}
	t.wrapped("Multiverse: ", fmt.Sprintf("%d specifications varying %s; %d skipped. p < %.2f in %d (%s). Correlations: median %s, range %s to %s over %d specifications; %d estimates positive, %d negative.",
		s.Specs, strings.Join(dims, ", "), s.Skipped, s.Alpha, s.Significant, pctNum(s.ShareSignificant),
		g3(s.Correlation.Median), g3(s.Correlation.Min), g3(s.Correlation.Max), s.Correlation.N, s.Positive, s.Negative))
	var rows [][]string
	for _, e := range s.ByEstimator {
		rows = append(rows, []string{e.Estimator, fmt.Sprint(e.Specs), fmt.Sprintf("%d (%s)", e.Significant, pctNum(e.ShareSignificant)),
			g3(e.Estimate.Median), g3(e.Estimate.Min), g3(e.Estimate.Max)})
	}
	t.table("  ", []string{"estimator", "specs", "p < 0.05", "median", "min", "max"}, rows)
}

func pctNum(n assay.Num) string {
	if n.Valid {
		n.V *= 100
	}
	return numf("%.0f%%", n)
}

// WriteText renders the reproduction: one section per claim with what the
// paper says, what the data gives, the verdict, and why they may differ.
func (rep *Reproduction) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	if rep.Synthetic {
		t.printf("%s\n\n", SyntheticBanner)
	}
	t.wrapped("Reproducing ", rep.Paper)
	t.wrapped("Design: ", fmt.Sprintf("%s, change in the %s share against the change in the violent-crime and murder rates (FBI Table 6), 27 metros; X = %s",
		rep.Years, groupWord(rep.Source, rep.Group), rep.Measure))
	if rep.Missing != "" {
		// One line, unwrapped, so the commands copy as they are.
		t.printf("\nNOTE: %s\n", rep.Missing)
	}
	t.printf("\nSelection rules (the paper publishes no metro list):\n")
	for _, rr := range rep.Rules {
		t.wrapped(fmt.Sprintf("  %-10s ", rr.Rule.Key), rr.Rule.Description)
	}
	claimsByID := map[string]assay.ClaimResult{}
	for _, c := range rep.Claims {
		claimsByID[c.ID] = c
	}
	section := func(id string, table func()) {
		c := claimsByID[id]
		text := c.Stated
		if cl, err := claimText(id); err == nil {
			text = cl.Text
		}
		t.printf("\n")
		mark := ""
		if c.Synthetic {
			mark = "SYNTHETIC "
		}
		t.wrapped(fmt.Sprintf("%s%s  ", mark, id), text)
		t.wrapped("  Paper says: ", c.Stated)
		t.wrapped("  Verdict:    ", string(c.Verdict))
		t.wrapped("  We find:    ", c.Computed)
		if table != nil {
			table()
		}
		if c.Note != "" {
			t.wrapped("  Why they may differ: ", c.Note)
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
					rows = append(rows, []string{rr.Rule.Key, o, fmt.Sprint(e.Pearson.N), f2(e.Pearson.Estimate), fmt.Sprintf("[%s, %s]", f2(e.Pearson.CILow), f2(e.Pearson.CIHigh)),
						fp(e.Pearson.PermP), g3(e.Slope.Estimate)})
				}
			}
			t.table("    ", []string{"rule", "outcome", "n", "r", "95% CI", "perm p", "slope (rate per point)"}, rows)
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
		t.table("    ", []string{"rule", "n", "murder fell", "share rose", "beyond MOE", "both"}, rows)
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
				if p.Year < 2010 {
					continue
				}
				if byYear[p.Year] == nil {
					byYear[p.Year] = make([]string, len(cols))
					years = append(years, p.Year)
				}
				byYear[p.Year][k] = fmt.Sprintf("%s (%s)", f1(p.Rate), g3(p.Count))
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
		t.printf("    murder rate per 100,000 (murders); the city is the City of Columbus police, not the metro\n")
		t.table("    ", []string{"year", "MSA, Table 6", "city, Table 6", "city, agency panel"}, rows)
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
		t.table("    ", header, rows)
	})
	t.printf("\nMetros chosen by each rule (rank order; * = left out, with the reason in --json):\n")
	for _, rr := range rep.Rules {
		if rr.Violent == nil {
			t.wrapped(fmt.Sprintf("  %-10s ", rr.Rule.Key), strings.Join(rr.Errors, "; "))
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
		t.wrapped(fmt.Sprintf("  %-10s ", rr.Rule.Key), strings.Join(names, "; "))
	}
	if rep.Synthetic {
		t.printf("\n%s\n", SyntheticBanner)
	}
	return t.err
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
