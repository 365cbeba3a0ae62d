package claims

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/textfmt"
)

// verdictOrder is the order of the summary line.
var verdictOrder = []assay.Verdict{assay.Supported, assay.PartlySupported, assay.Contradicted, assay.ArithmeticError, assay.NotCheckable}

// VerdictCount is how many results got one verdict.
type VerdictCount struct {
	Verdict assay.Verdict
	N       int
}

// Tally counts the results' verdicts in the ledger summary's order, leaving
// out those no result got; the summary line, the report's headline and the
// dashboard's overview all count them so.
func Tally(results []assay.ClaimResult) []VerdictCount {
	n := map[assay.Verdict]int{}
	for _, r := range results {
		n[r.Verdict]++
	}
	var out []VerdictCount
	for _, v := range verdictOrder {
		if n[v] > 0 {
			out = append(out, VerdictCount{v, n[v]})
		}
	}
	return out
}

// ledgerWidth is where WriteText wraps lines.
const ledgerWidth = 100

// WriteText writes the ledger for a terminal: per claim its id and
// verdict, the stated and computed values, the value with its interval,
// the note, the findings and the inputs, indented; then a count of the
// verdicts. Synthetic results are marked SYNTHETIC on their first line.
func WriteText(w io.Writer, results []assay.ClaimResult) error {
	bw := bufio.NewWriter(w)
	for _, r := range results {
		head := fmt.Sprintf("%-5s %s", r.ID, r.Verdict)
		if r.Synthetic {
			head += "  [SYNTHETIC: test data, not a finding]"
		}
		fmt.Fprintln(bw, head)
		field(bw, "stated", r.Stated)
		field(bw, "computed", r.Computed)
		if r.Value.Valid {
			v := textfmt.Number(r.Value.V)
			if r.Low.Valid && r.High.Valid && (r.Low.V != r.Value.V || r.High.V != r.Value.V) {
				v += fmt.Sprintf(" (%s to %s)", textfmt.Number(r.Low.V), textfmt.Number(r.High.V))
			}
			field(bw, "value", v)
		}
		field(bw, "note", r.Note)
		for _, f := range r.Findings {
			est := "NA"
			if f.Estimate.Valid {
				est = textfmt.Number(f.Estimate.V)
			}
			s := fmt.Sprintf("%s: %s", f.Label, est)
			if f.CILow.Valid && f.CIHigh.Valid {
				s += fmt.Sprintf(" (95%% CI %s to %s)", textfmt.Number(f.CILow.V), textfmt.Number(f.CIHigh.V))
			}
			s += fmt.Sprintf(", n = %d, %s", f.N, f.Estimator)
			if f.Synthetic {
				s += " [SYNTHETIC]"
			}
			field(bw, "finding", s)
		}
		for i, in := range r.Inputs {
			label := ""
			if i == 0 {
				label = "inputs"
			}
			field(bw, label, "- "+in)
		}
		fmt.Fprintln(bw)
	}
	var parts []string
	for _, c := range Tally(results) {
		parts = append(parts, fmt.Sprintf("%d %s", c.N, c.Verdict))
	}
	fmt.Fprintf(bw, "%d claims: %s\n", len(results), strings.Join(parts, ", "))
	return bw.Flush()
}

// field writes "  label:   text", the text wrapped under itself.
func field(w io.Writer, label, text string) {
	if text == "" {
		return
	}
	const indent = 12
	prefix := "  " + label
	if label != "" {
		prefix += ":"
	}
	prefix += strings.Repeat(" ", max(indent-len(prefix), 1))
	for i, line := range textfmt.Wrap(text, ledgerWidth-indent) {
		if i > 0 {
			prefix = strings.Repeat(" ", indent)
		}
		fmt.Fprintln(w, prefix+line)
	}
}
