package chart

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestFormatNum(t *testing.T) {
	for _, tc := range []struct {
		v        float64
		decimals int
		signed   bool
		want     string
	}{
		{1234.5, 1, false, "1234.5"}, // four digits: no separator
		{12345.678, 1, false, "12,345.7"},
		{-1234567, 0, false, "−1,234,567"},
		{0.25, 2, true, "+0.25"},
		{-0.25, 2, true, "−0.25"},
		{-0.004, 2, true, "0.00"}, // rounds to zero: no sign
		{0, 0, true, "0"},
		{2013, 0, false, "2013"},
		{math.NaN(), 1, false, "no data"},
	} {
		if got := formatNum(tc.v, tc.decimals, tc.signed); got != tc.want {
			t.Errorf("formatNum(%v, %d, %v) = %q, want %q", tc.v, tc.decimals, tc.signed, got, tc.want)
		}
	}
}

func TestNewScale(t *testing.T) {
	ext := func(vs ...float64) *extent {
		e := &extent{}
		for _, v := range vs {
			e.add(v)
		}
		return e
	}
	for _, tc := range []struct {
		name   string
		axis   Axis
		e      *extent
		length float64
		d0, d1 float64
		ticks  []float64
	}{
		{"nice ends", Axis{}, ext(-0.7, 1.45), 200, -1, 2, []float64{-1, 0, 1, 2}},
		{"more room, finer steps", Axis{}, ext(-0.7, 1.45), 400, -1, 1.5, []float64{-1, -0.5, 0, 0.5, 1, 1.5}},
		{"zero included", Axis{Zero: true}, ext(583, 1071), 560, 0, 1200, []float64{0, 200, 400, 600, 800, 1000, 1200}},
		{"years never step 2.5", Axis{Domain: []float64{2006, 2018}}, ext(2006, 2018), 100, 2006, 2018, []float64{2010, 2015}},
		{"years at width", Axis{Domain: []float64{2009, 2018}}, ext(2009, 2018), 600, 2009, 2018, []float64{2010, 2012, 2014, 2016, 2018}},
		{"float noise cleaned", Axis{}, ext(0.1, 0.7), 240, 0, 0.8, []float64{0, 0.2, 0.4, 0.6, 0.8}},
		{"one value", Axis{}, ext(5), 120, 4, 6, []float64{4, 5, 6}},
		{"no data", Axis{}, ext(), 120, 0, 1, []float64{0, 0.5, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newScale(&tc.axis, tc.e, tc.length, 80)
			if s.d0 != tc.d0 || s.d1 != tc.d1 || !reflect.DeepEqual(s.ticks, tc.ticks) {
				t.Errorf("domain [%g, %g] ticks %v, want [%g, %g] %v", s.d0, s.d1, s.ticks, tc.d0, tc.d1, tc.ticks)
			}
		})
	}
}

func TestOrdinalScale(t *testing.T) {
	e := &extent{}
	for _, c := range []string{"b", "c", "a", "b"} {
		e.addCat(c)
	}
	s := newScale(&Axis{Scale: Ordinal, Categories: []string{"a"}}, e, 0, 0)
	if want := []string{"a", "b", "c"}; !reflect.DeepEqual(s.cats, want) {
		t.Fatalf("categories %v, want %v (given order first, then the data's)", s.cats, want)
	}
	s.r0, s.r1 = 0, 30
	if got := []float64{s.catAt("a"), s.catAt("c"), s.bandwidth()}; !reflect.DeepEqual(got, []float64{5, 25, 10}) {
		t.Errorf("centre of a, of c, bandwidth = %v, want [5 25 10]", got)
	}
}

func TestParseTemplate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []templatePart
		err  string
	}{
		{"", nil, ""},
		{"plain", []templatePart{{s: "plain"}}, ""},
		{"n = {n}, r = {r}", []templatePart{{s: "n = "}, {s: "n", column: true}, {s: ", r = "}, {s: "r", column: true}}, ""},
		{"{a}{b}", []templatePart{{s: "a", column: true}, {s: "b", column: true}}, ""},
		{"{Cook's distance} x", []templatePart{{s: "Cook's distance", column: true}, {s: " x"}}, ""},
		{"a } b", nil, "} without {"},
		{"{a", nil, "{ without }"},
		{"{a{b}", nil, "{ without }"},
		{"{}", nil, "{} names no column"},
	} {
		got, err := parseTemplate(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseTemplate(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseTemplate(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
		}
	}
}

func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{"n = {n}", "{a}{b}", "}{", "{", "{{x}}", "95% CI {lo} to {hi}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parts, err := parseTemplate(s)
		if err != nil {
			return
		}
		// A template that parses reads back to itself.
		var b strings.Builder
		for _, p := range parts {
			if p.column {
				if p.s == "" || strings.ContainsAny(p.s, "{}") {
					t.Fatalf("%q: column name %q", s, p.s)
				}
				b.WriteString("{" + p.s + "}")
			} else {
				b.WriteString(p.s)
			}
		}
		if b.String() != s {
			t.Fatalf("%q parsed and joined is %q", s, b.String())
		}
	})
}

// tiny is a valid figure the validation cases below break one way each.
func tiny() *Figure {
	return &Figure{
		ID:     "tiny",
		Tables: []Table{{Name: "t", Columns: []Column{txt("k", "a", "b"), num("x", "u", 1, false, 1, 2), num("y", "", 1, false, 3, 4)}}},
		Panels: []Panel{{Marks: []Mark{Points{Rows: Rows{Table: "t"}, X: "x", Y: "y", Key: "k"}}}},
	}
}

func TestValidate(t *testing.T) {
	if err := tiny().validate(); err != nil {
		t.Fatalf("the valid figure: %v", err)
	}
	for _, tc := range []struct {
		name  string
		spoil func(f *Figure)
		want  string
	}{
		{"id", func(f *Figure) { f.ID = "2 figs" }, "the ID must be"},
		{"no panels", func(f *Figure) { f.Panels = nil }, "no panels"},
		{"unknown table", func(f *Figure) { f.Panels[0].Marks[0] = Points{Rows: Rows{Table: "u"}, X: "x", Y: "y", Key: "k"} }, `no table "u"`},
		{"unknown column", func(f *Figure) { f.Panels[0].Marks[0] = Points{Rows: Rows{Table: "t"}, X: "z", Y: "y", Key: "k"} }, `table t has no column "z"`},
		{"text on a linear axis", func(f *Figure) { f.Panels[0].Marks[0] = Points{Rows: Rows{Table: "t"}, X: "k", Y: "y", Key: "k"} }, `column "k" of table t is text, want numbers`},
		{"numbers on a band axis", func(f *Figure) { f.Y.Scale = Ordinal }, `column "y" of table t is numbers, want text`},
		{"short column", func(f *Figure) { f.Tables[0].Columns[1].Num = []float64{1} }, `column "x": 1 rows, the first column has 2`},
		{"both kinds", func(f *Figure) { f.Tables[0].Columns[1].Text = []string{"a", "b"} }, "both numbers and text"},
		{"unused column", func(f *Figure) {
			f.Tables[0].Columns = append(f.Tables[0].Columns, num("z", "", 0, false, 5, 6))
		}, `column "z": no mark draws it`},
		{"unused row", func(f *Figure) {
			f.Panels[0].Marks[0] = Points{Rows: Rows{"t", Filter{"k", "a"}}, X: "x", Y: "y", Key: "k"}
		}, "table t, row 1: no mark draws it"},
		{"filter on numbers", func(f *Figure) {
			f.Panels[0].Marks[0] = Points{Rows: Rows{"t", Filter{"x", "1"}}, X: "x", Y: "y", Key: "k"}
		}, `filter column "x" is not a text column`},
		{"label for an absent key", func(f *Figure) {
			f.Panels[0].Marks[0] = Points{Rows: Rows{Table: "t"}, X: "x", Y: "y", Key: "k", Labelled: []string{"c"}}
		}, `key "c" to label or outline is not among its rows`},
		{"template column", func(f *Figure) {
			f.Panels[0].Marks[0] = Points{Rows: Rows{Table: "t"}, X: "x", Y: "y", Key: "k", Text: "{k}: {w}"}
		}, `table t has no column "w"`},
		{"bad template", func(f *Figure) { f.Panels[0].Caption = Caption{Rows{Table: "t"}, "n = {n"} }, "{ without }"},
		{"caption of two rows", func(f *Figure) { f.Panels[0].Caption = Caption{Rows{Table: "t"}, "x = {x}"} }, "its filter keeps 2 rows of table t, want one"},
		{"unit clash", func(f *Figure) {
			f.Tables = append(f.Tables, Table{Name: "t2", Columns: []Column{num("x", "v", 0, false, 1)}})
			f.Panels[0].Marks = append(f.Panels[0].Marks, Rule{Rows: Rows{Table: "t2"}, At: "x"})
		}, `column "x": unit or kind differs`},
		{"domain", func(f *Figure) { f.X.Domain = []float64{2, 1} }, "a domain is two increasing numbers"},
		{"line on a band axis", func(f *Figure) {
			f.Y.Scale = Ordinal
			f.Panels[0].Marks[0] = Line{Rows: Rows{Table: "t"}, X: "x", Y: "k"}
		}, "a line needs two linear axes"},
		{"bar with two linear axes", func(f *Figure) {
			f.Panels[0].Marks[0] = Bar{Rows: Rows{Table: "t"}, X: "x", Y: "y", Key: "k"}
		}, "a bar needs one band axis and one linear axis"},
		{"geo key with no shape", func(f *Figure) {
			f.Panels[0].Marks[0] = Geo{Rows: Rows{Table: "t"}, Key: "k", Value: "x", Shapes: map[string]string{"a": "M0 0h1v1z"}, Frame: [4]float64{0, 0, 1, 1}}
			f.Tables[0].Columns = f.Tables[0].Columns[:2]
		}, `key "b" has no shape`},
		{"geo frame", func(f *Figure) {
			f.Panels[0].Marks[0] = Geo{Rows: Rows{Table: "t"}, Key: "k", Value: "x", Shapes: map[string]string{"a": "", "b": ""}}
			f.Tables[0].Columns = f.Tables[0].Columns[:2]
		}, "has no area"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tiny()
			tc.spoil(f)
			err := f.WriteSVG(&bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "figure ") {
				t.Errorf("error %v, want one naming the figure and saying %q", err, tc.want)
			}
			if err := f.WriteCSV(&bytes.Buffer{}); err == nil {
				t.Error("WriteCSV wrote an invalid figure")
			}
		})
	}
}

func TestWriteCSV(t *testing.T) {
	tenth := 0.1
	f := &Figure{
		ID: "csv",
		Tables: []Table{
			{Name: "points", Columns: []Column{txt("metro", "A, B", "C"), num("year", "", 0, false, 2012, 2017), num("rate", "per 100,000", 1, false, tenth+0.2, math.NaN())}},
			{Name: "break", Columns: []Column{num("year", "", 0, false, 2013), txt("event", "definition")}},
		},
		Panels: []Panel{{Marks: []Mark{
			Line{Rows: Rows{Table: "points"}, X: "year", Y: "rate", Series: "metro"},
			Rule{Rows: Rows{Table: "break"}, At: "year", Label: "event"},
		}}},
	}
	var b bytes.Buffer
	if err := f.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	// One CSV: the tables stacked on their shared columns, units in the
	// header, full precision, an empty cell for a missing value or a
	// column the table lacks.
	want := "table,metro,year,\"rate (per 100,000)\",event\n" +
		"points,\"A, B\",2012,0.30000000000000004,\n" +
		"points,C,2017,,\n" +
		"break,,2013,,definition\n"
	if b.String() != want {
		t.Errorf("CSV\n%s\nwant\n%s", b.String(), want)
	}
}

// TestLineGaps draws 1, NaN, 3, 4, NaN, 6: a gap is never a zero or an
// interpolation, so the line is one segment from 3 to 4, and 1 and 6,
// alone between gaps, are dots.
func TestLineGaps(t *testing.T) {
	f := &Figure{
		ID:     "gaps",
		Tables: []Table{{Name: "t", Columns: []Column{num("x", "", 0, false, 1, 2, 3, 4, 5, 6), num("y", "", 0, false, 1, math.NaN(), 3, 4, math.NaN(), 6)}}},
		Panels: []Panel{{Marks: []Mark{Line{Rows: Rows{Table: "t"}, X: "x", Y: "y"}}}},
	}
	var b bytes.Buffer
	if err := f.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	var mark *node
	parseSVG(t, b.Bytes()).walk(func(n *node) {
		if c, _ := n.attr("class"); c == "mark" {
			mark = n
		}
	})
	if mark == nil {
		t.Fatal("no line mark")
	}
	var paths []string
	var dots int
	for _, c := range mark.Children {
		switch c.XMLName.Local {
		case "path":
			d, _ := c.attr("d")
			paths = append(paths, d)
		case "circle":
			dots++
		}
	}
	if len(paths) != 1 || strings.Count(paths[0], "M") != 1 || strings.Count(paths[0], "L") != 1 || dots != 2 {
		t.Errorf("paths %q and %d dots, want one two-point path and 2 dots", paths, dots)
	}
	if title := mark.Children[0].Text; !strings.Contains(title, "2: no data") || !strings.Contains(title, "5: no data") {
		t.Errorf("title %q does not say which years have no data", title)
	}
}

func TestClasses(t *testing.T) {
	div := newClasses(Diverging, []float64{-3.2, 0.5, 7.9, math.NaN()})
	if want := []float64{-8, -6, -4, -2, 0, 2, 4, 6, 8}; !reflect.DeepEqual(div.bounds, want) {
		t.Errorf("diverging bounds %v, want %v (symmetric, zero a boundary)", div.bounds, want)
	}
	for v, want := range map[float64]string{-8: "#2166AC", -3.2: "#92C5DE", -0.1: "#D1E5F0", 0: "#FEE0B6", 0.5: "#FEE0B6", 7.9: "#B35806", 8: "#B35806"} {
		if got := div.color(v); got != want {
			t.Errorf("diverging colour of %g = %s, want %s", v, got, want)
		}
	}
	seq := newClasses(Sequential, []float64{3, 17})
	if want := []float64{0, 5, 10, 15, 20}; !reflect.DeepEqual(seq.bounds, want) || len(seq.colors) != 4 {
		t.Errorf("sequential bounds %v with %d colours, want %v with 4", seq.bounds, len(seq.colors), want)
	}
	if seq.color(3) != seq.colors[0] || seq.color(17) != seq.colors[3] {
		t.Errorf("sequential colours of 3 and 17: %s %s, want the lightest and the darkest", seq.color(3), seq.color(17))
	}
}

func TestText(t *testing.T) {
	for r := ' '; r <= '~'; r++ {
		if helvetica[r-' '] == 0 {
			t.Errorf("no width for %q", r)
		}
	}
	if got, want := textWidth("10", 10, false), 2*5.56*widthMargin; math.Abs(got-want) > 1e-9 {
		t.Errorf("width of 10 at 10 px = %g, want %g", got, want)
	}
	title := "SYNTHETIC: the ten metros with the highest violent-crime rates in 2017"
	greedy, even := wrap(title, 20, 620, true), balance(title, 20, 620, true)
	if len(greedy) != 2 || len(even) != 2 || len(strings.Fields(even[1])) < 3 {
		t.Errorf("greedy %q, balanced %q: want two lines each, the balanced one ending on more than a word or two", greedy, even)
	}
	if got := wrap("one\ntwo three", 12, 1000, false); !reflect.DeepEqual(got, []string{"one", "two three"}) {
		t.Errorf("a newline breaks a line: %q", got)
	}
}

func TestReadable(t *testing.T) {
	for color, want := range map[string]string{"#0072B2": "#0072B2", "#D55E00": "#D55E00", "#F0E442": textColor, "#E69F00": textColor, "#56B4E9": textColor, "red": textColor} {
		if got := readable(color); got != want {
			t.Errorf("readable(%s) = %s, want %s", color, got, want)
		}
	}
}
