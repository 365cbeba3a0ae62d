package study

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/textfmt"
)

// SyntheticBanner heads and closes every text rendering of results built
// from the test generator's data.
const SyntheticBanner = "*** SYNTHETIC: built from generated test data, not from any official estimate. These are not findings. ***"

// WriteText renders a study's result for a reader.
func (r *Result) WriteText(w io.Writer) error {
	t := textfmt.NewWriter(w)
	if r.Synthetic {
		t.Printf("%s\n\n", SyntheticBanner)
	}
	s := r.Spec
	t.Printf("Study %s: %s\n", s.Name, s.Title)
	t.Wrapped("X (immigrant measure): ", r.Measure)
	t.Wrapped("Y (outcome):           ", r.Outcome)
	smp := r.Sample
	t.Wrapped("Metros:                ", fmt.Sprintf("%d in the sample (selection: %s; FBI records %s)%s",
		len(smp.Rows), s.Selection, s.Coverage, dropSummary(smp)))
	t.Printf("\n")
	rows := make([][]string, len(r.Findings))
	for i, f := range r.Findings {
		rows[i] = []string{f.Estimator, fmt.Sprint(f.N), textfmt.G3(f.Estimate), ci(f), textfmt.G3(f.SE), textfmt.P(f.P), textfmt.P(f.PermP)}
	}
	t.Table("", []string{"estimator", "n", "estimate", fmt.Sprintf("%g%% CI", 100*s.Estimation.Level), "SE", "p", "perm p"}, rows)
	t.Printf("  (correlations: r, rho or tau; ols/wls: change in Y per unit of X, HC3 standard errors)\n")
	if len(smp.Rows) <= 30 {
		t.Printf("\n")
		var mr [][]string
		for _, m := range smp.Rows {
			mr = append(mr, []string{rankText(m.Rank), m.Title, fmt.Sprintf("%.3g", m.X), fmt.Sprintf("%.3g", m.Y)})
		}
		t.Table("  ", []string{"rank", "metro", "X", "Y"}, mr)
	}
	if in := r.Influence; in != nil {
		t.Printf("\n")
		t.Wrapped("Influence: ", fmt.Sprintf("leaving out one metro moves Pearson's r (%.3f) between %.3f and %.3f. Largest moves: %s. Largest Cook's distance: %s; %d metros above 4/n.",
			in.R, in.LOOMin, in.LOOMax, influentialList(in.ByShift, false), influentialList(in.ByCook, true), in.CookOver))
	}
	if p := r.Power; p != nil {
		t.Wrapped("Power:     ", fmt.Sprintf("with %d metros the smallest correlation detected 80%% of the time at the 5%% level is %.2f; with %d it is %.2f. If the true r were %.3f, %d metros would detect it %.0f%% of the time and %d metros %.0f%%.",
			p.N, p.MDC, p.PaperN, p.PaperMDC, p.R, p.N, 100*p.PowerN, p.PaperN, 100*p.PowerPaperN))
	}
	if pr := r.Panel; pr != nil {
		x := "share in percent"
		if pr.Measure == LogShare {
			x = "log share"
		}
		t.Printf("\n")
		t.Wrapped("", fmt.Sprintf("Panel %d-%d: %s %s on the %s %s (%s interpolation), %d metros, %d metro-years (years %s); standard errors clustered by metro",
			pr.From, pr.To, pr.Offense, pr.Form, GroupWord(r.Spec.Immigrant.Source, r.Spec.Immigrant.Group), x, pr.Interpolation, pr.Metros, pr.Observations, textfmt.Years(pr.Years)))
		var pr2 [][]string
		for _, f := range pr.Findings {
			pr2 = append(pr2, []string{f.Estimator, fmt.Sprint(f.N), fmt.Sprint(f.Clusters), textfmt.G3(f.Estimate), ci(f), textfmt.G3(f.SE), textfmt.P(f.P)})
		}
		t.Table("  ", []string{"estimator", "n", "metros", "estimate", "CI", "SE", "p"}, pr2)
		for _, n := range pr.Notes {
			t.Wrapped("  - ", n)
		}
	}
	if m := r.Multiverse; m != nil {
		t.Printf("\n")
		m.writeText(t)
	}
	if len(r.Notes) > 0 {
		t.Printf("\nCaveats:\n")
		for _, n := range r.Notes {
			t.Wrapped("  - ", n)
		}
	}
	if r.Synthetic {
		t.Printf("\n%s\n", SyntheticBanner)
	}
	return t.Err()
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

func (m *Multiverse) writeText(t *textfmt.Writer) {
	s := m.Summary
	var dims []string
	for _, d := range m.Dimensions {
		if len(d.Values) > 1 {
			dims = append(dims, fmt.Sprintf("%s (%d)", d.Name, len(d.Values)))
		}
	}
	t.Wrapped("Multiverse: ", fmt.Sprintf("%d specifications varying %s; %d skipped. p < %.2f in %d (%s). Correlations: median %s, range %s to %s over %d specifications; %d estimates positive, %d negative.",
		s.Specs, strings.Join(dims, ", "), s.Skipped, s.Alpha, s.Significant, textfmt.Percent(s.ShareSignificant),
		textfmt.G3(s.Correlation.Median), textfmt.G3(s.Correlation.Min), textfmt.G3(s.Correlation.Max), s.Correlation.N, s.Positive, s.Negative))
	var rows [][]string
	for _, e := range s.ByEstimator {
		rows = append(rows, []string{e.Estimator, fmt.Sprint(e.Specs), fmt.Sprintf("%d (%s)", e.Significant, textfmt.Percent(e.ShareSignificant)),
			textfmt.G3(e.Estimate.Median), textfmt.G3(e.Estimate.Min), textfmt.G3(e.Estimate.Max)})
	}
	t.Table("  ", []string{"estimator", "specs", "p < 0.05", "median", "min", "max"}, rows)
}

// ci writes a finding's interval.
func ci(f assay.Finding) string {
	return fmt.Sprintf("[%s, %s]", textfmt.G3(f.CILow), textfmt.G3(f.CIHigh))
}
