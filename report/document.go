package report

import (
	"github.com/assaylab/assay"
	"github.com/assaylab/assay/chart"
)

// Section is a headed part of the report. Sections are level-2 headings,
// their subsections level 3, so headings never skip a level.
type Section struct {
	ID          string // the anchor other parts link to
	Title       string
	Blocks      []Block
	Subsections []Section
}

// Block is one piece of a section: exactly one field is set. Text may hold
// `code` in backquotes, as the ledger's notes write commands; both
// renderings show it as code.
type Block struct {
	Para   string
	Items  []string // a bulleted list
	Code   []string // commands, one a line
	Table  *Table
	Figure *chart.Figure
}

// Table is a table with a header row, or with none and the first cell of
// each row its header (RowHeader). Details, when set, has a cell for each
// row, shown under it across the whole table: the long text that would
// make a column too wide to read.
type Table struct {
	Caption   string
	Header    []string
	RowHeader bool
	Rows      [][]Cell
	Details   []Cell
}

// Cell is one table cell.
type Cell struct {
	Text string
	// Verdict, when set, shows the cell as a verdict badge: a word on a
	// colour, never the colour alone.
	Verdict assay.Verdict
	// Links are anchors inside the report ("src-3") the cell's text
	// refers to, shown after it.
	Links []Link
	// Num aligns the cell as a number.
	Num bool
	// Anchor, when set, is the cell's id: the target of Links elsewhere.
	Anchor string
}

// Link is an anchor inside the report and its label.
type Link struct {
	Anchor, Label string
}

func para(s string) Block          { return Block{Para: s} }
func items(s ...string) Block      { return Block{Items: s} }
func code(s ...string) Block       { return Block{Code: s} }
func figure(f *chart.Figure) Block { return Block{Figure: f} }
func table(t *Table) Block         { return Block{Table: t} }
func text(s string) Cell           { return Cell{Text: s} }
func number(s string) Cell         { return Cell{Text: s, Num: true} }
func badge(v assay.Verdict) Cell   { return Cell{Text: string(v), Verdict: v} }
func row(cells ...Cell) []Cell     { return cells }
