// Package tabular renders the result of a query as aligned text, CSV or JSON
// lines, the three forms `assay sql` prints. It knows nothing of databases:
// whoever fills a Result converts its values to the cell types below.
package tabular

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Result is a rectangular query result. A cell is nil (SQL NULL) or one of
// string, bool, int64, uint64, float64, json.Number (an exact decimal or an
// integer too large for int64, written as a number) or json.RawMessage (a
// nested value such as a list or struct, written as JSON).
type Result struct {
	Columns []string
	Types   []string // the store's type names, for information; rendering looks at the cells
	Rows    [][]any
}

// Formats lists the names Write accepts.
var Formats = []string{"table", "csv", "json"}

// Write renders r in one of Formats:
//
//   - "table": aligned text for people. NULL is shown as NULL (as the DuckDB
//     shell does; an empty string stays empty, so the two differ), numbers
//     are right-aligned, control characters in text are escaped (\n, \t, ...)
//     so that each row stays on one line, and a last line counts the rows.
//   - "csv": RFC 4180 quoting with a header row. NULL is an empty field and
//     an empty string is "", the convention DuckDB reads back. Lines end in
//     LF, as DuckDB's COPY writes them, so newlines inside values come back
//     unchanged. A one-column row holding NULL is a blank line, which some
//     readers skip: that is CSV's limit, use json to be exact.
//   - "json": one JSON object per line, keys in column order, NULL as null,
//     numbers as JSON numbers. NaN and infinities, which JSON cannot hold,
//     are null (as in assay.Num).
//
// Numbers never use an exponent between 1e-6 and 1e21, the range in which
// encoding/json writes plain decimals too. Write checks every cell before
// it writes anything; a Writer renders rows as they come.
func (r *Result) Write(w io.Writer, format string) error {
	if err := r.check(); err != nil {
		return err
	}
	tw, err := NewWriter(w, format, r.Columns)
	if err != nil {
		return err
	}
	for _, row := range r.Rows {
		if err := tw.write(row); err != nil {
			return err
		}
	}
	return tw.Close()
}

// check rejects what no format could render, before any output is written.
func (r *Result) check() error {
	for i, row := range r.Rows {
		if err := checkRow(i, row, r.Columns); err != nil {
			return err
		}
	}
	return nil
}

func checkRow(i int, row []any, columns []string) error {
	if len(row) != len(columns) {
		return fmt.Errorf("row %d has %d cells for %d columns", i, len(row), len(columns))
	}
	for j, v := range row {
		switch v := v.(type) {
		case nil, string, bool, int64, uint64, float64:
		case json.Number:
			if !json.Valid([]byte(v)) || !strings.ContainsAny(v.String()[:1], "-0123456789") {
				return fmt.Errorf("row %d column %q: %q is not a number", i, columns[j], v)
			}
		case json.RawMessage:
			if !json.Valid(v) {
				return fmt.Errorf("row %d column %q: invalid JSON value %q", i, columns[j], v)
			}
		default:
			return fmt.Errorf("row %d column %q: unsupported cell type %T", i, columns[j], v)
		}
	}
	return nil
}

// TablePrefix is how many rows the table format holds back to choose its
// column widths. Later rows are written as they come, in those widths: a
// wider value pushes the rest of its row right instead of holding the
// whole result in memory.
const TablePrefix = 1000

// A Writer renders a result row by row in one of Formats (see Result.Write),
// so that a result of any size passes through in bounded memory: csv and
// json write each row at once; table holds back at most TablePrefix rows.
type Writer struct {
	w       *bufio.Writer
	format  string
	columns []string
	rows    int // written so far

	// table
	held  [][]string // the rows that choose the widths, until laid out
	width []int
	right []bool // every value seen in the column is a number
	seen  []bool // the column has a non-NULL value
	ready bool   // widths fixed and header written

	// json
	q    jsonQuoter
	keys [][]byte
}

// NewWriter starts a result of the given columns on w.
func NewWriter(w io.Writer, format string, columns []string) (*Writer, error) {
	if !slices.Contains(Formats, format) {
		return nil, fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	tw := &Writer{w: bufio.NewWriter(w), format: format, columns: columns}
	switch format {
	case "table":
		tw.width = make([]int, len(columns))
		tw.right = make([]bool, len(columns))
		tw.seen = make([]bool, len(columns))
		for j, c := range columns {
			tw.width[j] = uniseg.StringWidth(escape(c))
			tw.right[j] = true
		}
	case "csv":
		if len(columns) > 0 {
			header := make([]any, len(columns))
			for j, c := range columns {
				header[j] = c
			}
			tw.csvRecord(header)
		}
	case "json":
		tw.keys = make([][]byte, len(columns))
		for j, c := range columns {
			k, err := tw.q.quote(c)
			if err != nil {
				return nil, err
			}
			tw.keys[j] = bytes.Clone(k)
		}
	}
	return tw, nil
}

// Write renders one row. Its cells must be of the types Result documents.
func (tw *Writer) Write(row []any) error {
	if err := checkRow(tw.rows, row, tw.columns); err != nil {
		return err
	}
	return tw.write(row)
}

// write renders a row already checked: Result.Write checks every row
// before it writes the first, and need not pay for checking each again.
func (tw *Writer) write(row []any) error {
	tw.rows++
	switch tw.format {
	case "table":
		tw.tableRow(row)
		return nil
	case "csv":
		tw.csvRecord(row)
		return nil
	}
	return tw.jsonRow(row)
}

// Close writes what was held back and the table's row count, and flushes.
func (tw *Writer) Close() error {
	if tw.format == "table" {
		tw.layOut()
		if tw.rows == 1 {
			tw.w.WriteString("(1 row)\n")
		} else {
			fmt.Fprintf(tw.w, "(%d rows)\n", tw.rows)
		}
	}
	return tw.w.Flush()
}

// text renders a non-NULL cell; numeric reports whether it is a number.
func text(v any) (s string, numeric bool) {
	switch v := v.(type) {
	case string:
		return v, false
	case bool:
		return strconv.FormatBool(v), false
	case int64:
		return strconv.FormatInt(v, 10), true
	case uint64:
		return strconv.FormatUint(v, 10), true
	case float64:
		return formatFloat(v), true
	case json.Number:
		return string(v), true
	case json.RawMessage:
		return string(v), false
	}
	panic(fmt.Sprintf("tabular: unchecked cell type %T", v)) // check() rejects these first
}

func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func (tw *Writer) tableRow(row []any) {
	cells := make([]string, len(row))
	for j, v := range row {
		s := "NULL"
		if v != nil {
			var numeric bool
			s, numeric = text(v)
			s = escape(s)
			if !tw.ready {
				tw.right[j] = tw.right[j] && numeric
				tw.seen[j] = true
			}
		}
		cells[j] = s
	}
	if tw.ready {
		tw.tableLine(cells)
		return
	}
	for j, s := range cells {
		tw.width[j] = max(tw.width[j], uniseg.StringWidth(s))
	}
	tw.held = append(tw.held, cells)
	if len(tw.held) == TablePrefix {
		tw.layOut()
	}
}

// layOut fixes the widths and alignment from the rows held back, and
// writes the header and those rows.
func (tw *Writer) layOut() {
	if tw.ready {
		return
	}
	tw.ready = true
	// A column is right-aligned when every value in it is a number.
	for j := range tw.right {
		tw.right[j] = tw.right[j] && tw.seen[j]
	}
	if len(tw.columns) > 0 {
		header := make([]string, len(tw.columns))
		rule := make([]string, len(tw.columns))
		for j, c := range tw.columns {
			header[j] = escape(c)
			rule[j] = strings.Repeat("-", tw.width[j])
		}
		tw.tableLine(header)
		tw.tableLine(rule)
	}
	for _, cells := range tw.held {
		tw.tableLine(cells)
	}
	tw.held = nil
}

func (tw *Writer) tableLine(fields []string) {
	w := tw.w
	for j, s := range fields {
		if j > 0 {
			w.WriteString("  ")
		}
		pad := strings.Repeat(" ", max(0, tw.width[j]-uniseg.StringWidth(s)))
		switch {
		case tw.right[j]:
			w.WriteString(pad + s)
		case j == len(fields)-1: // no trailing blanks
			w.WriteString(s)
		default:
			w.WriteString(s + pad)
		}
	}
	w.WriteByte('\n')
}

// escape makes control characters and invalid UTF-8 visible, so that a
// value never breaks a row of the table across lines.
func escape(s string) string {
	clean := true
	for _, c := range s {
		if c < 0x20 || c == 0x7f || c == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		switch {
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		case c == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				fmt.Fprintf(&b, `\x%02x`, s[i])
			} else {
				b.WriteRune(c)
			}
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

func (tw *Writer) csvRecord(fields []any) {
	w := tw.w
	for j, v := range fields {
		if j > 0 {
			w.WriteByte(',')
		}
		if v == nil {
			continue
		}
		s, _ := text(v)
		if s == "" || strings.ContainsAny(s, ",\"\r\n") {
			w.WriteString(`"` + strings.ReplaceAll(s, `"`, `""`) + `"`)
		} else {
			w.WriteString(s)
		}
	}
	w.WriteByte('\n')
}

func (tw *Writer) jsonRow(row []any) error {
	w := tw.w
	w.WriteByte('{')
	for j, v := range row {
		if j > 0 {
			w.WriteByte(',')
		}
		w.Write(tw.keys[j])
		w.WriteByte(':')
		switch v := v.(type) {
		case nil:
			w.WriteString("null")
		case string:
			s, err := tw.q.quote(v)
			if err != nil {
				return err
			}
			w.Write(s)
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				w.WriteString("null")
			} else {
				w.WriteString(formatFloat(v))
			}
		default:
			s, _ := text(v)
			w.WriteString(s)
		}
	}
	w.WriteString("}\n")
	return nil
}

// jsonQuoter quotes strings for JSON without encoding/json's HTML escaping,
// which would turn < > & into \u003c... and make the output harder to read.
type jsonQuoter struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// quote returns s quoted; the bytes are valid until the next call.
func (q *jsonQuoter) quote(s string) ([]byte, error) {
	if q.enc == nil {
		q.enc = json.NewEncoder(&q.buf)
		q.enc.SetEscapeHTML(false)
	}
	q.buf.Reset()
	if err := q.enc.Encode(s); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(q.buf.Bytes(), []byte("\n")), nil
}
