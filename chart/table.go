package chart

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Table is named data a figure draws. Its columns have one length.
type Table struct {
	Name    string
	Columns []Column
}

// Column is numbers or text. A number column's NaN is a missing value.
type Column struct {
	Name     string
	Unit     string // named in the CSV header and in titles
	Decimals int    // shown in labels and titles; the CSV keeps full precision
	Signed   bool   // a + on positive numbers, for changes
	Num      []float64
	Text     []string
}

func (c *Column) len() int {
	if c.Num != nil {
		return len(c.Num)
	}
	return len(c.Text)
}

// text is a cell as a label shows it.
func (c *Column) text(i int) string {
	if c.Num == nil {
		return c.Text[i]
	}
	return formatNum(c.Num[i], c.Decimals, c.Signed)
}

func (t *Table) column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

func (t *Table) len() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].len()
}

// formatNum writes v with fixed decimals, a true minus sign and, if
// signed, a plus sign. Thousands are separated from five digits up, as SI
// and ISO 80000 do, so a year stays 2013 and 12,345 reads at a glance. NaN
// is "no data".
func formatNum(v float64, decimals int, signed bool) string {
	if math.IsNaN(v) {
		return "no data"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	if math.Abs(v) >= 1e4 {
		s = group(s)
	}
	// Rounding may leave zero: it takes no sign.
	if strings.Trim(s, "0.,") == "" {
		return s
	}
	switch {
	case v < 0:
		return "−" + s
	case signed:
		return "+" + s
	}
	return s
}

func group(s string) string {
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// placeholders lists the {column} names of a template.
func placeholders(tmpl string) []string {
	parts, err := parseTemplate(tmpl)
	if err != nil {
		return nil
	}
	var names []string
	for _, p := range parts {
		if p.column {
			names = append(names, p.s)
		}
	}
	return names
}

type templatePart struct {
	s      string
	column bool
}

// parseTemplate splits "n = {n}" into literal text and column names. Braces
// only ever open and close a column name.
func parseTemplate(tmpl string) ([]templatePart, error) {
	var parts []templatePart
	for rest := tmpl; rest != ""; {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			parts = append(parts, templatePart{s: rest})
			break
		}
		if rest[open] == '}' {
			return nil, fmt.Errorf("template %q: } without {", tmpl)
		}
		if open > 0 {
			parts = append(parts, templatePart{s: rest[:open]})
		}
		end := strings.IndexAny(rest[open+1:], "{}")
		if end < 0 || rest[open+1+end] == '{' {
			return nil, fmt.Errorf("template %q: { without }", tmpl)
		}
		name := rest[open+1 : open+1+end]
		if name == "" {
			return nil, fmt.Errorf("template %q: {} names no column", tmpl)
		}
		parts = append(parts, templatePart{s: name, column: true})
		rest = rest[open+2+end:]
	}
	return parts, nil
}

// fill renders a template on row i; validation has checked its columns.
func (t *Table) fill(tmpl string, i int) string {
	parts, _ := parseTemplate(tmpl)
	var b strings.Builder
	for _, p := range parts {
		if p.column {
			b.WriteString(t.column(p.s).text(i))
		} else {
			b.WriteString(p.s)
		}
	}
	return b.String()
}

// WriteCSV writes every table of the figure as one CSV: a first column
// naming the table, then the union of the tables' columns, a header of
// name and unit ("violent rate (per 100,000)"), and an empty cell where a
// table has no such column or a value is missing. Numbers keep full
// precision; labels round them.
func (f *Figure) WriteCSV(w io.Writer) error {
	if err := f.validate(); err != nil {
		return err
	}
	type col struct{ name, header string }
	var cols []col
	index := map[string]int{}
	for _, t := range f.Tables {
		for _, c := range t.Columns {
			if _, ok := index[c.Name]; ok {
				continue
			}
			h := c.Name
			if c.Unit != "" {
				h += " (" + c.Unit + ")"
			}
			index[c.Name] = len(cols)
			cols = append(cols, col{c.Name, h})
		}
	}
	cw := csv.NewWriter(w)
	rec := make([]string, 1+len(cols))
	rec[0] = "table"
	for i, c := range cols {
		rec[1+i] = c.header
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, t := range f.Tables {
		for i := range t.len() {
			clear(rec)
			rec[0] = t.Name
			for _, c := range t.Columns {
				rec[1+index[c.Name]] = csvCell(&c, i)
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvCell(c *Column, i int) string {
	if c.Num == nil {
		return c.Text[i]
	}
	if math.IsNaN(c.Num[i]) {
		return ""
	}
	return strconv.FormatFloat(c.Num[i], 'f', -1, 64)
}
