// Package chart draws assay's figures. A Figure is its data (named tables)
// plus a declarative encoding (panels of marks over those tables, axes,
// colour scales, labels, alt text); WriteSVG renders it to self-contained SVG
// and WriteCSV writes exactly the numbers it draws.
//
// The SVG is made for a page under a strict Content-Security-Policy and for
// print: presentation attributes only (no style attribute, no <style>), text
// in the page's font at 11 px or more, role="img" with <title> and <desc>, a
// viewBox that scales to the container's width, and on every data mark a
// data-key attribute and a <title> with its name and values, so a dashboard
// can add hover and click later without the figure needing a script. The
// same figure always gives the same bytes.
//
// Missing values are NaN in a number column: a line breaks there (a gap,
// never a zero or an interpolation) and a map hatches the place as no data.
package chart

// Figure is one chart that stands alone: a journalist may screenshot it, so
// its title, subtitle and source say what a reader needs.
type Figure struct {
	// ID is unique on a page: it prefixes the ids inside the SVG (two
	// figures inline in one report must not share a pattern id).
	ID       string
	Title    string   // states the finding, in plain words
	Subtitle string   // the measure and its units
	Notes    []string // under the panels: what a gap means, what a band is
	Source   string   // publisher, table, years, and assay's version
	Alt      string   // the numbers a sighted reader takes away
	// Width of the viewBox in px; 0 means 720. The height follows from
	// the panels.
	Width float64
	// Columns of panels per row; 0 puts every panel in one row.
	Columns int
	// X and Y are shared by every panel that sets no axis of its own, so
	// small multiples compare at a glance.
	X, Y   Axis
	Tables []Table
	Panels []Panel
}

// Panel is one facet: a plot area with layers of marks, drawn in order.
type Panel struct {
	Title   string
	Caption Caption // a line of statistics under the title, from a table row
	// Height of the plot area in px; 0 derives it: from the map's frame
	// for a map, from the categories for a band axis, else from the width.
	Height float64
	// X and Y, when set, replace the figure's axis for this panel alone
	// (stacked panels that share x but not y).
	X, Y  *Axis
	Marks []Mark
}

// Caption is text filled from one row of a table, e.g. "n = {n}, r = {r}".
type Caption struct {
	Rows
	Text string // a template: {column} is the row's value, in its format
}

// ScaleKind is how an axis maps values to positions.
type ScaleKind int

const (
	// Linear maps numbers, with nice ticks.
	Linear ScaleKind = iota
	// Ordinal gives each category an equal band, in the order of
	// Axis.Categories or of first appearance.
	Ordinal
)

// Axis is a position scale and how it is labelled.
type Axis struct {
	Label string // the measure with its units
	Scale ScaleKind
	// Domain fixes a linear axis's ends exactly, [min, max]; nil takes
	// the data's extent, widened to nice ticks.
	Domain []float64
	Zero   bool // a linear domain includes zero (bars must start there)
	Signed bool // tick labels carry a + on positive numbers (changes)
	// Categories orders a band axis; categories the data have beyond
	// these follow in order of appearance.
	Categories []string
}

// Rows selects the rows of a table a mark draws.
type Rows struct {
	Table string
	Where Filter
}

// Filter keeps the rows whose text column equals a value; the zero Filter
// keeps every row.
type Filter struct {
	Column, Value string
}

// Mark is one layer of a panel: Points, Line, Band, Rule, Interval, Bar,
// Text or Geo.
type Mark interface {
	rows() Rows
	draw(p *painter, t *Table, rows []int)
}

// Points draws one circle per row. A few named points get a direct label
// (the extremes, the influential ones, those the text discusses); Marked
// points are drawn emphasised, and labelled too, so that the emphasis
// never rests on colour alone.
type Points struct {
	Rows
	X, Y     string // columns (text for a band axis)
	Key      string // column of the data-key (a CBSA code)
	Label    string // column of the name shown in labels and titles
	Text     string // template of a direct label; "" means "{Label}"
	Labelled []string
	Marked   []string
	Color    string // "" means the first category colour
}

// Line draws a line per series through the rows in order of x. A NaN
// breaks the line; a value with missing neighbours on both sides is drawn
// as a dot. Where a panel has more than one series, each gets a colour and
// dash of its own and its name at its end.
type Line struct {
	Rows
	X, Y   string
	Series string // column whose values split the rows into lines and key them; "" draws one line
	Label  string // column naming each series; "" means Series
	Color  string // "" means category colours by series
	Width  float64
}

// Band shades between Lo and Hi along X: a confidence band around a fit, a
// margin of error around a series. A NaN breaks it.
type Band struct {
	Rows
	X, Lo, Hi string
	Series    string
	Color     string
}

// Rule marks a position on one axis with a line and a label: a
// definitional break, a year not published. With To set, it shades the span
// from At to To.
type Rule struct {
	Rows
	Axis  Dim
	At    string
	To    string // optional column
	Label string // optional column
}

// Dim names a position axis.
type Dim int

const (
	X Dim = iota
	Y
)

// Interval draws an estimate with its interval, along Y (or along X when Y
// is a band axis: a forest plot).
type Interval struct {
	Rows
	X, Y   string
	Lo, Hi string
	Key    string
	Label  string
	Color  string
}

// Bar draws a bar from zero for each row; it lies along X when Y is a band
// axis. Text, a template, labels the bar's end.
type Bar struct {
	Rows
	X, Y  string
	Key   string
	Label string
	Text  string
	Color string
}

// Text writes a template beside a data position: an annotation.
type Text struct {
	Rows
	X, Y   string
	Text   string
	Anchor Anchor
}

// Anchor is which end of a text sits at its position.
type Anchor int

const (
	Start Anchor = iota
	Middle
	End
)

// Geo fills shapes by value: a choropleth. The shapes come as SVG path data
// in one frame (for assay, the outlines of the snapshot); places in Shapes
// whose row is missing or NaN are hatched and the legend says "No data".
type Geo struct {
	Rows
	Key   string // column matched against Shapes
	Value string
	Label string // column of the name in titles
	// Shapes maps a key to its path; places that are not keys of the
	// table's rows are not drawn (Base shows beneath them).
	Shapes map[string]string
	// Frame is the box of the path coordinates: x, y, width, height.
	Frame     [4]float64
	Base      []string // paths drawn white, outlined, beneath (the nation)
	BaseLabel string   // what the white means in the legend ("Not in a metro area")
	Lines     []string // paths stroked on top (state outlines)
	// Outlined keys get a heavy outline over everything (the metros the
	// text discusses).
	Outlined []string
	Color    ColorScale
}

// ColorScale maps a value to a colour class.
type ColorScale struct {
	Kind  ColorKind
	Label string // the legend's title: measure and units
}

// ColorKind is a kind of colour scale.
type ColorKind int

const (
	// Diverging is blue below zero and orange above, in classes
	// symmetric about zero, for changes.
	Diverging ColorKind = iota
	// Sequential runs light to dark blue, for levels.
	Sequential
)

// OkabeIto is the categorical palette (Okabe and Ito 2008), ordered for marks on white: the darker colours come first so
// the first series also survive a black-and-white printer; yellow, the
// lightest, is last.
var OkabeIto = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"}

func (m Points) rows() Rows   { return m.Rows }
func (m Line) rows() Rows     { return m.Rows }
func (m Band) rows() Rows     { return m.Rows }
func (m Rule) rows() Rows     { return m.Rows }
func (m Interval) rows() Rows { return m.Rows }
func (m Bar) rows() Rows      { return m.Rows }
func (m Text) rows() Rows     { return m.Rows }
func (m Geo) rows() Rows      { return m.Rows }
