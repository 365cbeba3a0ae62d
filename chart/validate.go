package chart

import (
	"fmt"
	"regexp"
	"slices"
)

var idPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// validate checks a figure before anything is drawn: every table, column,
// template and key a mark names exists and has the right kind, and every
// table row and column is drawn by some mark, so that the CSV holds exactly
// the numbers the SVG shows.
func (f *Figure) validate() error {
	if !idPattern.MatchString(f.ID) {
		return fmt.Errorf("figure %q: the ID must be a letter then letters, digits, - or _", f.ID)
	}
	fail := func(format string, a ...any) error {
		return fmt.Errorf("figure %s: "+format, append([]any{f.ID}, a...)...)
	}
	if len(f.Panels) == 0 {
		return fail("no panels")
	}
	tables := map[string]*Table{}
	kinds := map[string]*Column{}
	for ti := range f.Tables {
		t := &f.Tables[ti]
		if t.Name == "" || tables[t.Name] != nil {
			return fail("table %d: name %q is empty or taken", ti, t.Name)
		}
		tables[t.Name] = t
		for ci := range t.Columns {
			c := &t.Columns[ci]
			if c.Num != nil && c.Text != nil {
				return fail("table %s, column %q: both numbers and text", t.Name, c.Name)
			}
			if c.Name == "" || t.column(c.Name) != c {
				return fail("table %s, column %d: name %q is empty or taken", t.Name, ci, c.Name)
			}
			if c.len() != t.len() {
				return fail("table %s, column %q: %d rows, the first column has %d", t.Name, c.Name, c.len(), t.len())
			}
			// The CSV puts same-named columns of all tables together.
			if o := kinds[c.Name]; o != nil && (o.Unit != c.Unit || (o.Num == nil) != (c.Num == nil)) {
				return fail("table %s, column %q: unit or kind differs from the same column in another table", t.Name, c.Name)
			}
			kinds[c.Name] = c
		}
	}
	v := validator{fail: fail, tables: tables, used: map[*Table][]bool{}, usedCols: map[*Column]bool{}}
	for _, t := range tables {
		v.used[t] = make([]bool, t.len())
	}
	for pi := range f.Panels {
		p := &f.Panels[pi]
		xa, ya := f.axes(p)
		for _, a := range []*Axis{xa, ya} {
			if len(a.Domain) != 0 && (len(a.Domain) != 2 || !(a.Domain[0] < a.Domain[1]) || a.Scale == Ordinal) {
				return fail("panel %d: axis %q: a domain is two increasing numbers on a linear axis", pi, a.Label)
			}
		}
		if p.Caption.Text != "" {
			t, err := v.rows(pi, "caption", p.Caption.Rows)
			if err != nil {
				return err
			}
			if err := v.template(pi, "caption", t, p.Caption.Text); err != nil {
				return err
			}
			if n := len(selectRows(t, p.Caption.Where)); n != 1 {
				return fail("panel %d, caption: its filter keeps %d rows of table %s, want one", pi, n, t.Name)
			}
		}
		for mi, m := range p.Marks {
			if err := v.mark(pi, mi, m, xa, ya); err != nil {
				return err
			}
		}
	}
	for _, t := range f.Tables {
		for ci := range t.Columns {
			if !v.usedCols[&t.Columns[ci]] {
				return fail("table %s, column %q: no mark draws it", t.Name, t.Columns[ci].Name)
			}
		}
		if i := slices.Index(v.used[tables[t.Name]], false); i >= 0 {
			return fail("table %s, row %d: no mark draws it", t.Name, i)
		}
	}
	return nil
}

// axes returns the axes a panel uses: its own, else the figure's.
func (f *Figure) axes(p *Panel) (x, y *Axis) {
	x, y = &f.X, &f.Y
	if p.X != nil {
		x = p.X
	}
	if p.Y != nil {
		y = p.Y
	}
	return x, y
}

type validator struct {
	fail     func(string, ...any) error
	tables   map[string]*Table
	used     map[*Table][]bool
	usedCols map[*Column]bool
}

// need says what a named column must hold.
type need int

const (
	optional need = iota // any kind, or no column
	number               // numbers
	text                 // text
	anyKind              // required, either kind
)

// onAxis is what a position column must hold on an axis.
func onAxis(a *Axis) need {
	if a.Scale == Ordinal {
		return text
	}
	return number
}

func (v *validator) rows(pi int, what string, r Rows) (*Table, error) {
	t := v.tables[r.Table]
	if t == nil {
		return nil, v.fail("panel %d, %s: no table %q", pi, what, r.Table)
	}
	if r.Where != (Filter{}) {
		c := t.column(r.Where.Column)
		if c == nil || c.Num != nil {
			return nil, v.fail("panel %d, %s: filter column %q is not a text column of table %s", pi, what, r.Where.Column, t.Name)
		}
		v.usedCols[c] = true
	}
	for _, i := range selectRows(t, r.Where) {
		v.used[t][i] = true
	}
	return t, nil
}

func (v *validator) column(pi int, what string, t *Table, name string, n need) error {
	if name == "" {
		if n == optional {
			return nil
		}
		return v.fail("panel %d, %s: a column is required", pi, what)
	}
	c := t.column(name)
	switch {
	case c == nil:
		return v.fail("panel %d, %s: table %s has no column %q", pi, what, t.Name, name)
	case n == number && c.Num == nil:
		return v.fail("panel %d, %s: column %q of table %s is text, want numbers", pi, what, name, t.Name)
	case n == text && c.Num != nil:
		return v.fail("panel %d, %s: column %q of table %s is numbers, want text", pi, what, name, t.Name)
	}
	v.usedCols[c] = true
	return nil
}

func (v *validator) template(pi int, what string, t *Table, tmpl string) error {
	parts, err := parseTemplate(tmpl)
	if err != nil {
		return v.fail("panel %d, %s: %v", pi, what, err)
	}
	for _, p := range parts {
		if p.column {
			if err := v.column(pi, what, t, p.s, anyKind); err != nil {
				return err
			}
		}
	}
	return nil
}

func (v *validator) mark(pi, mi int, m Mark, xa, ya *Axis) error {
	what := fmt.Sprintf("mark %d (%T)", mi, m)
	t, err := v.rows(pi, what, m.rows())
	if err != nil {
		return err
	}
	type col struct {
		name string
		n    need
	}
	var cols []col
	var tmpl string
	var keys []string
	keyCol := ""
	switch m := m.(type) {
	case Points:
		cols = []col{{m.X, onAxis(xa)}, {m.Y, onAxis(ya)}, {m.Key, anyKind}, {m.Label, optional}}
		tmpl, keyCol, keys = m.Text, m.Key, append(slices.Clone(m.Labelled), m.Marked...)
	case Line:
		cols = []col{{m.X, number}, {m.Y, number}, {m.Series, optional}, {m.Label, optional}}
		if m.Label != "" && m.Series == "" {
			return v.fail("panel %d, %s: a label names series, and there is no series column", pi, what)
		}
		if xa.Scale == Ordinal || ya.Scale == Ordinal {
			return v.fail("panel %d, %s: a line needs two linear axes", pi, what)
		}
	case Band:
		cols = []col{{m.X, number}, {m.Lo, number}, {m.Hi, number}, {m.Series, optional}}
		if xa.Scale == Ordinal || ya.Scale == Ordinal {
			return v.fail("panel %d, %s: a band needs two linear axes", pi, what)
		}
	case Rule:
		a := xa
		if m.Axis == Y {
			a = ya
		}
		if a.Scale == Ordinal {
			return v.fail("panel %d, %s: a rule needs a linear axis", pi, what)
		}
		cols = []col{{m.At, number}, {m.To, number}, {m.Label, optional}}
		if m.To == "" {
			cols[1].n = optional
		}
	case Interval:
		value := ya
		if ya.Scale == Ordinal {
			value = xa
		}
		if value.Scale == Ordinal {
			return v.fail("panel %d, %s: an interval needs a linear axis", pi, what)
		}
		cols = []col{{m.X, onAxis(xa)}, {m.Y, onAxis(ya)}, {m.Lo, number}, {m.Hi, number}, {m.Key, anyKind}, {m.Label, optional}}
	case Bar:
		if (xa.Scale == Ordinal) == (ya.Scale == Ordinal) {
			return v.fail("panel %d, %s: a bar needs one band axis and one linear axis", pi, what)
		}
		cols = []col{{m.X, onAxis(xa)}, {m.Y, onAxis(ya)}, {m.Key, anyKind}, {m.Label, optional}}
		tmpl = m.Text
	case Text:
		cols = []col{{m.X, onAxis(xa)}, {m.Y, onAxis(ya)}}
		tmpl = m.Text
		if tmpl == "" {
			return v.fail("panel %d, %s: no text", pi, what)
		}
	case Geo:
		cols = []col{{m.Key, anyKind}, {m.Value, number}, {m.Label, optional}}
		if !(m.Frame[2] > 0 && m.Frame[3] > 0) {
			return v.fail("panel %d, %s: frame %v has no area", pi, what, m.Frame)
		}
		keyCol, keys = m.Key, m.Outlined
	default:
		return v.fail("panel %d, %s: not a mark this package draws", pi, what)
	}
	for _, c := range cols {
		if err := v.column(pi, what, t, c.name, c.n); err != nil {
			return err
		}
	}
	if err := v.template(pi, what, t, tmpl); err != nil {
		return err
	}
	rows := selectRows(t, m.rows().Where)
	if g, ok := m.(Geo); ok {
		kc := t.column(g.Key)
		for _, i := range rows {
			if _, ok := g.Shapes[kc.text(i)]; !ok {
				return v.fail("panel %d, %s: key %q has no shape", pi, what, kc.text(i))
			}
		}
	}
	if keyCol != "" {
		kc := t.column(keyCol)
		for _, k := range keys {
			if !slices.ContainsFunc(rows, func(i int) bool { return kc.text(i) == k }) {
				return v.fail("panel %d, %s: key %q to label or outline is not among its rows", pi, what, k)
			}
		}
	}
	return nil
}

// selectRows lists the rows a filter keeps, in table order.
func selectRows(t *Table, w Filter) []int {
	rows := make([]int, 0, t.len())
	var c *Column
	if w != (Filter{}) {
		c = t.column(w.Column)
	}
	for i := range t.len() {
		if c == nil || c.Text[i] == w.Value {
			rows = append(rows, i)
		}
	}
	return rows
}
