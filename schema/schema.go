// Package schema defines assay's tables (names, columns, documentation) and
// converts a Dataset to and from them. The warehouse, the snapshot and the
// team server all store these tables, so the layout lives in one place.
package schema

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/csvgrid"
)

// field maps one column to one value of a record type.
type field[T any] struct {
	col assay.Column
	get func(*T) any
	// set is nil for derived columns, which are written for convenience
	// in SQL but recomputed from the others when read back; parse reads
	// the same value from CSV text (FormatCell's), with no boxing on the
	// way, which is most of the time a snapshot takes to load.
	set   func(*T, any) error
	parse func(*T, string) error
}

// def is one table of records of type T.
type def[T any] struct {
	name, doc string
	fields    []field[T]
}

func (d *def[T]) columns() []assay.Column {
	cols := make([]assay.Column, len(d.fields))
	for i, f := range d.fields {
		cols[i] = f.col
	}
	return cols
}

func (d *def[T]) encode(recs []T) assay.Table {
	t := assay.Table{Name: d.name, Doc: d.doc, Columns: d.columns(), Rows: make([][]any, len(recs))}
	for i := range recs {
		row := make([]any, len(d.fields))
		for j, f := range d.fields {
			row[j] = f.get(&recs[i])
		}
		t.Rows[i] = row
	}
	return t
}

// decode reads records back by column name, so a table whose columns were
// reordered or extended still decodes; a missing column is an error.
func (d *def[T]) decode(t assay.Table) ([]T, error) {
	idx := make(map[string]int, len(t.Columns))
	for i, c := range t.Columns {
		idx[c.Name] = i
	}
	pos := make([]int, len(d.fields))
	for j, f := range d.fields {
		i, ok := idx[f.col.Name]
		if !ok {
			return nil, fmt.Errorf("table %s: missing column %q", d.name, f.col.Name)
		}
		pos[j] = i
	}
	if len(t.Rows) == 0 {
		return nil, nil
	}
	out := make([]T, len(t.Rows))
	for r, row := range t.Rows {
		for j, f := range d.fields {
			if f.set == nil {
				continue
			}
			if pos[j] >= len(row) {
				return nil, fmt.Errorf("table %s row %d: %d cells, no column %q", d.name, r+1, len(row), f.col.Name)
			}
			if err := f.set(&out[r], row[pos[j]]); err != nil {
				return nil, fmt.Errorf("table %s row %d column %s: %w", d.name, r+1, f.col.Name, err)
			}
		}
	}
	return out, nil
}

// decodeCSV reads records from a table's CSV text (a header of column
// names, then one row per record, cells as FormatCell writes them) by
// column name, like decode. Text cells are substrings of text, not copies.
func (d *def[T]) decodeCSV(file, text string) ([]T, error) {
	r := csvgrid.NewReader(text)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s header: %w", file, err)
	}
	idx := make(map[string]int, len(header))
	for i, h := range header {
		idx[h] = i
	}
	type col struct {
		pos   int
		name  string
		parse func(*T, string) error
	}
	var cols []col
	for _, f := range d.fields {
		i, ok := idx[f.col.Name]
		if !ok {
			return nil, fmt.Errorf("%s: table %s has no column %q", file, d.name, f.col.Name)
		}
		if f.parse != nil {
			cols = append(cols, col{i, f.col.Name, f.parse})
		}
	}
	out := make([]T, strings.Count(text, "\n"))
	n := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if n == len(out) {
			out = append(out, *new(T))
		}
		row := &out[n]
		n++
		for _, c := range cols {
			if c.pos >= len(rec) {
				return nil, fmt.Errorf("%s line %d: %d cells, no column %s", file, r.Line(), len(rec), c.name)
			}
			if err := c.parse(row, rec[c.pos]); err != nil {
				return nil, fmt.Errorf("%s line %d column %s: %w", file, r.Line(), c.name, err)
			}
		}
	}
	if n == 0 {
		return nil, nil
	}
	return out[:n:n], nil
}

// Column constructors. Each pairs a column with accessors of one Go type, so
// a table definition reads as a list of columns.

func textCol[T any](name, doc string, p func(*T) *string) field[T] {
	return field[T]{
		col: assay.Column{Name: name, Type: assay.Text, Doc: doc},
		get: func(r *T) any { return nullText(*p(r)) },
		set: func(r *T, v any) error {
			s, err := asText(v)
			*p(r) = s
			return err
		},
		parse: func(r *T, s string) error {
			*p(r) = s
			return nil
		},
	}
}

func intCol[T any](name, doc string, p func(*T) *int) field[T] {
	return field[T]{
		col: assay.Column{Name: name, Type: assay.Int, Doc: doc},
		get: func(r *T) any { return int64(*p(r)) },
		set: func(r *T, v any) error {
			n, err := asInt(v)
			*p(r) = n
			return err
		},
		parse: func(r *T, s string) error {
			if s == "" {
				*p(r) = 0
				return nil
			}
			n, err := strconv.Atoi(s)
			*p(r) = n
			return err
		},
	}
}

func numCol[T any](name, doc string, p func(*T) *assay.Num) field[T] {
	return field[T]{
		col: assay.Column{Name: name, Type: assay.Float, Doc: doc},
		get: func(r *T) any { return p(r).Cell() },
		set: func(r *T, v any) error {
			n, err := asNum(v)
			*p(r) = n
			return err
		},
		parse: func(r *T, s string) error {
			if s == "" {
				*p(r) = assay.Null
				return nil
			}
			v, err := strconv.ParseFloat(s, 64)
			*p(r) = assay.Some(v)
			return err
		},
	}
}

// numColOf is a number column that is never null.
func numColOf[T any](name, doc string, p func(*T) *float64) field[T] {
	return field[T]{
		col: assay.Column{Name: name, Type: assay.Float, Doc: doc},
		get: func(r *T) any { return *p(r) },
		set: func(r *T, v any) error {
			n, err := asNum(v)
			if err == nil && !n.Valid {
				err = fmt.Errorf("NULL in a column that is never null")
			}
			*p(r) = n.V
			return err
		},
		parse: func(r *T, s string) error {
			v, err := strconv.ParseFloat(s, 64)
			*p(r) = v
			return err
		},
	}
}

func boolCol[T any](name, doc string, p func(*T) *bool) field[T] {
	return field[T]{
		col: assay.Column{Name: name, Type: assay.Bool, Doc: doc},
		get: func(r *T) any { return *p(r) },
		set: func(r *T, v any) error {
			b, ok := v.(bool)
			if !ok {
				return fmt.Errorf("want a boolean, got %T %v", v, v)
			}
			*p(r) = b
			return nil
		},
		parse: func(r *T, s string) error {
			b, err := strconv.ParseBool(s)
			*p(r) = b
			return err
		},
	}
}

// listCol stores a short list as comma-separated text ("TX,OK"); the items
// never contain commas (state codes, footnote markers).
func listCol[T any](name, doc string, p func(*T) *[]string) field[T] {
	return joinedCol(name, doc, ",", p)
}

// joinedCol stores a list as text, the items joined by sep, which no item
// may contain.
func joinedCol[T any](name, doc, sep string, p func(*T) *[]string) field[T] {
	return field[T]{
		col: assay.Column{Name: name, Type: assay.Text, Doc: doc},
		get: func(r *T) any { return nullText(strings.Join(*p(r), sep)) },
		set: func(r *T, v any) error {
			s, err := asText(v)
			split(p(r), s, sep)
			return err
		},
		parse: func(r *T, s string) error {
			split(p(r), s, sep)
			return nil
		},
	}
}

func split(dst *[]string, s, sep string) {
	if s == "" {
		*dst = nil
	} else {
		*dst = strings.Split(s, sep)
	}
}

// derivedCol is written but not read back.
func derivedCol[T any](col assay.Column, get func(*T) any) field[T] {
	return field[T]{col: col, get: get}
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func asText(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	}
	return "", fmt.Errorf("want text, got %T %v", v, v)
}

func asInt(v any) (int, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case int64:
		return int(x), nil
	case int32:
		return int(x), nil
	case int:
		return x, nil
	case float64:
		if x == float64(int(x)) {
			return int(x), nil
		}
	}
	return 0, fmt.Errorf("want an integer, got %T %v", v, v)
}

func asNum(v any) (assay.Num, error) {
	switch x := v.(type) {
	case nil:
		return assay.Null, nil
	case float64:
		return assay.Some(x), nil
	case float32:
		return assay.Some(float64(x)), nil
	case int64:
		return assay.Some(float64(x)), nil
	}
	return assay.Null, fmt.Errorf("want a number, got %T %v", v, v)
}

// ParseCell turns the text of a CSV cell into a cell of the column's type;
// the empty string is NULL. The snapshot uses it to read its CSV files back.
func ParseCell(t assay.ColumnType, s string) (any, error) {
	if s == "" {
		return nil, nil
	}
	switch t {
	case assay.Text:
		return s, nil
	case assay.Int:
		return strconv.ParseInt(s, 10, 64)
	case assay.Float:
		return strconv.ParseFloat(s, 64)
	case assay.Bool:
		return strconv.ParseBool(s)
	}
	return nil, fmt.Errorf("unknown column type %q", t)
}

// FormatCell is the inverse of ParseCell: exact (shortest round-tripping
// decimal, never an exponent, so people and spreadsheets read it), locale-free.
func FormatCell(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", fmt.Errorf("cell of unsupported type %T", v)
}

// EncodeCSV writes a table as CSV text: a header of column names, then one
// line per row, cells as FormatCell writes them (NULL is empty). The
// snapshot stores its tables so.
func EncodeCSV(t assay.Table) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	rec := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		rec[i] = c.Name
	}
	if err := w.Write(rec); err != nil {
		return nil, err
	}
	for r, row := range t.Rows {
		for i, cell := range row {
			s, err := FormatCell(cell)
			if err != nil {
				return nil, fmt.Errorf("table %s row %d column %s: %w", t.Name, r+1, t.Columns[i].Name, err)
			}
			rec[i] = s
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
