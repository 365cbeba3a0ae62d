// Package textfmt writes numbers and text for terminal renderings of
// findings: null-aware number formats, p-values, thousands separators,
// year ranges, short name lists, and a writer that wraps paragraphs and
// aligns tables. The study, claims and papers renderers share it, so a
// number reads the same wherever it is printed.
package textfmt

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/assaylab/assay"
)

// Num formats a number with a fmt verb, or NA when it is null.
func Num(format string, n assay.Num) string {
	if !n.Valid {
		return "NA"
	}
	return fmt.Sprintf(format, n.V)
}

// F1, F2 and G3 are the common formats: one decimal, two decimals, three
// significant digits.
func F1(n assay.Num) string { return Num("%.1f", n) }
func F2(n assay.Num) string { return Num("%.2f", n) }
func G3(n assay.Num) string { return Num("%.3g", n) }

// P writes a p-value: three decimals, "< 0.001" below that, NA when null.
func P(n assay.Num) string {
	if !n.Valid {
		return "NA"
	}
	if n.V < 0.001 {
		return "< 0.001"
	}
	return fmt.Sprintf("%.3f", n.V)
}

// Percent writes a share (0..1) as a whole percentage, NA when null.
func Percent(n assay.Num) string {
	if n.Valid {
		n.V *= 100
	}
	return Num("%.0f%%", n)
}

// Count writes a whole number with thousands separators.
func Count(v float64) string {
	s := strconv.FormatFloat(math.Abs(math.Round(v)), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if v < 0 && math.Round(v) != 0 {
		s = "-" + s
	}
	return s
}

// Pct writes a fraction as a percentage with the given decimals.
func Pct(v float64, decimals int) string {
	return strconv.FormatFloat(v*100, 'f', decimals, 64) + "%"
}

// Number writes a value: whole numbers of 1,000 and more with separators,
// others with four significant digits.
func Number(v float64) string {
	if math.Abs(v) >= 1000 {
		return Count(v)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// Years writes years as ranges: "2006-2011, 2014-2018"; "no year" when
// there are none. The years must be ascending.
func Years(ys []int) string {
	if len(ys) == 0 {
		return "no year"
	}
	var parts []string
	start := ys[0]
	for i := 1; i <= len(ys); i++ {
		if i < len(ys) && ys[i] == ys[i-1]+1 {
			continue
		}
		if ys[i-1] == start {
			parts = append(parts, strconv.Itoa(start))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", start, ys[i-1]))
		}
		if i < len(ys) {
			start = ys[i]
		}
	}
	return strings.Join(parts, ", ")
}

// Strings spells the values of a string vocabulary (study.Measure, an
// estimator) as plain strings, for joining into text or listing in JSON.
func Strings[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = string(x)
	}
	return out
}

// OrNone joins names, or says "none".
func OrNone(v []string) string {
	if len(v) == 0 {
		return "none"
	}
	return strings.Join(v, ", ")
}

// Few lists at most k names and counts the rest.
func Few(v []string, k int) string {
	if len(v) <= k {
		return OrNone(v)
	}
	return fmt.Sprintf("%s and %d more", strings.Join(v[:k], ", "), len(v)-k)
}

// Wrap breaks text at spaces into lines of at most width characters; a word
// longer than width (a file path) gets a line of its own.
func Wrap(text string, width int) []string {
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

// Writer accumulates text and keeps the first write error.
type Writer struct {
	w   io.Writer
	err error
}

// NewWriter writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Err is the first write error.
func (t *Writer) Err() error { return t.err }

// Printf writes formatted text.
func (t *Writer) Printf(format string, a ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, a...)
	}
}

// width is where Wrapped breaks lines.
const width = 100

// Wrapped prints text after a label, wrapped at about 100 columns with a
// hanging indent the width of the label.
func (t *Writer) Wrapped(label, text string) {
	indent := strings.Repeat(" ", len(label))
	for i, line := range Wrap(text, max(width-len(label), 20)) {
		if i == 0 {
			t.Printf("%s%s\n", label, line)
		} else {
			t.Printf("%s%s\n", indent, line)
		}
	}
}

// Table prints rows aligned in columns.
func (t *Writer) Table(indent string, header []string, rows [][]string) {
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
