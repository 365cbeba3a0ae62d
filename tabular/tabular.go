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
// encoding/json writes plain decimals too.
func (r *Result) Write(w io.Writer, format string) error {
	if err := r.check(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case "table":
		err = r.writeTable(bw)
	case "csv":
		err = r.writeCSV(bw)
	case "json":
		err = r.writeJSON(bw)
	default:
		return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// check rejects what no format could render, before any output is written.
func (r *Result) check() error {
	for i, row := range r.Rows {
		if len(row) != len(r.Columns) {
			return fmt.Errorf("row %d has %d cells for %d columns", i, len(row), len(r.Columns))
		}
		for j, v := range row {
			switch v := v.(type) {
			case nil, string, bool, int64, uint64, float64:
			case json.Number:
				if !json.Valid([]byte(v)) || !strings.ContainsAny(v.String()[:1], "-0123456789") {
					return fmt.Errorf("row %d column %q: %q is not a number", i, r.Columns[j], v)
				}
			case json.RawMessage:
				if !json.Valid(v) {
					return fmt.Errorf("row %d column %q: invalid JSON value %q", i, r.Columns[j], v)
				}
			default:
				return fmt.Errorf("row %d column %q: unsupported cell type %T", i, r.Columns[j], v)
			}
		}
	}
	return nil
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

func (r *Result) writeTable(w *bufio.Writer) error {
	cells := make([][]string, len(r.Rows))
	width := make([]int, len(r.Columns))
	// A column is right-aligned when every value in it is a number.
	right := make([]bool, len(r.Columns))
	for j, c := range r.Columns {
		width[j] = uniseg.StringWidth(escape(c))
		right[j] = true
	}
	anyValue := make([]bool, len(r.Columns))
	for i, row := range r.Rows {
		cells[i] = make([]string, len(row))
		for j, v := range row {
			s := "NULL"
			if v != nil {
				var numeric bool
				s, numeric = text(v)
				s = escape(s)
				right[j] = right[j] && numeric
				anyValue[j] = true
			}
			cells[i][j] = s
			width[j] = max(width[j], uniseg.StringWidth(s))
		}
	}
	for j := range right {
		right[j] = right[j] && anyValue[j]
	}
	line := func(fields []string) {
		for j, s := range fields {
			if j > 0 {
				w.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[j]-uniseg.StringWidth(s))
			switch {
			case right[j]:
				w.WriteString(pad + s)
			case j == len(fields)-1: // no trailing blanks
				w.WriteString(s)
			default:
				w.WriteString(s + pad)
			}
		}
		w.WriteByte('\n')
	}
	header := make([]string, len(r.Columns))
	rule := make([]string, len(r.Columns))
	for j, c := range r.Columns {
		header[j] = escape(c)
		rule[j] = strings.Repeat("-", width[j])
	}
	if len(r.Columns) > 0 {
		line(header)
		line(rule)
	}
	for _, row := range cells {
		line(row)
	}
	if len(r.Rows) == 1 {
		w.WriteString("(1 row)\n")
	} else {
		fmt.Fprintf(w, "(%d rows)\n", len(r.Rows))
	}
	return nil
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

func (r *Result) writeCSV(w *bufio.Writer) error {
	record := func(fields []any) {
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
	header := make([]any, len(r.Columns))
	for j, c := range r.Columns {
		header[j] = c
	}
	if len(r.Columns) > 0 {
		record(header)
	}
	for _, row := range r.Rows {
		record(row)
	}
	return nil
}

func (r *Result) writeJSON(w *bufio.Writer) error {
	var q jsonQuoter
	keys := make([][]byte, len(r.Columns))
	for j, c := range r.Columns {
		k, err := q.quote(c)
		if err != nil {
			return err
		}
		keys[j] = bytes.Clone(k)
	}
	for _, row := range r.Rows {
		w.WriteByte('{')
		for j, v := range row {
			if j > 0 {
				w.WriteByte(',')
			}
			w.Write(keys[j])
			w.WriteByte(':')
			switch v := v.(type) {
			case nil:
				w.WriteString("null")
			case string:
				s, err := q.quote(v)
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
	}
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
