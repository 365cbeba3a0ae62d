package claims

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
)

// Complete puts results in the list's order, one per claim, and fails
// naming every claim without a result, every result without a claim and
// every claim with two results. The command joins Evaluate's results with
// the study's through it.
func Complete(list []assay.Claim, results []assay.ClaimResult) ([]assay.ClaimResult, error) {
	byID := map[string]assay.ClaimResult{}
	var dups []string
	for _, r := range results {
		if _, dup := byID[r.ID]; dup {
			dups = append(dups, r.ID)
			continue
		}
		byID[r.ID] = r
	}
	listed := map[string]bool{}
	var out []assay.ClaimResult
	var missing []string
	for _, c := range list {
		listed[c.ID] = true
		r, ok := byID[c.ID]
		if !ok {
			missing = append(missing, c.ID)
			continue
		}
		out = append(out, r)
	}
	var extra []string
	for _, r := range results {
		if !listed[r.ID] {
			extra = append(extra, fmt.Sprintf("%q", r.ID))
		}
	}
	var problems []string
	for _, p := range []struct {
		what string
		ids  []string
	}{{"claims without a result", missing}, {"results for no listed claim", extra}, {"claims with more than one result", dups}} {
		if len(p.ids) > 0 {
			problems = append(problems, p.what+": "+strings.Join(p.ids, ", "))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("claims ledger: %s", strings.Join(problems, "; "))
	}
	return out, nil
}

// verdictOrder is the order of the summary line.
var verdictOrder = []assay.Verdict{assay.Supported, assay.PartlySupported, assay.Contradicted, assay.ArithmeticError, assay.NotCheckable}

// ledgerWidth is where WriteText wraps lines.
const ledgerWidth = 100

// WriteText writes the ledger for a terminal: per claim its id and
// verdict, the stated and computed values, the value with its interval,
// the note, the findings and the inputs, indented; then a count of the
// verdicts. Synthetic results are marked SYNTHETIC on their first line.
func WriteText(w io.Writer, results []assay.ClaimResult) error {
	bw := bufio.NewWriter(w)
	tally := map[assay.Verdict]int{}
	for _, r := range results {
		tally[r.Verdict]++
		head := fmt.Sprintf("%-5s %s", r.ID, r.Verdict)
		if r.Synthetic {
			head += "  [SYNTHETIC: test data, not a finding]"
		}
		fmt.Fprintln(bw, head)
		field(bw, "stated", r.Stated)
		field(bw, "computed", r.Computed)
		if r.Value.Valid {
			v := number(r.Value.V)
			if r.Low.Valid && r.High.Valid && (r.Low.V != r.Value.V || r.High.V != r.Value.V) {
				v += fmt.Sprintf(" (%s to %s)", number(r.Low.V), number(r.High.V))
			}
			field(bw, "value", v)
		}
		field(bw, "note", r.Note)
		for _, f := range r.Findings {
			s := fmt.Sprintf("%s: %s (95%% CI %s to %s), n = %d, %s", f.Label, number(f.Estimate.V),
				number(f.CILow.V), number(f.CIHigh.V), f.N, f.Estimator)
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
	for _, v := range verdictOrder {
		if tally[v] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", tally[v], v))
		}
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
	for i, line := range wrap(text, ledgerWidth-indent) {
		if i > 0 {
			prefix = strings.Repeat(" ", indent)
		}
		fmt.Fprintln(w, prefix+line)
	}
}

// wrap breaks text at spaces into lines of at most width characters; a
// word longer than width (a file path) gets a line of its own.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len(line)+1+len(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return append(lines, line)
}

// number writes a value: whole numbers of 1,000 and more with separators,
// others with four significant digits.
func number(v float64) string {
	if math.Abs(v) >= 1000 {
		return count(v)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}
