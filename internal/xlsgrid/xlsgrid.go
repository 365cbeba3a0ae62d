// Package xlsgrid reads the first worksheet of an Excel workbook, legacy
// .xls (BIFF8) or .xlsx, as a grid of cell texts, so that readers of
// published tables can treat a spreadsheet like a CSV file.
//
// Cell text conventions, the same for both formats:
//   - numbers: the shortest decimal that round-trips the stored double, never
//     in exponent form ("0.939", "325719178"), whatever the display format;
//   - strings: as stored, in UTF-8;
//   - formulas: their cached result; booleans TRUE/FALSE; errors as Excel
//     shows them ("#DIV/0!"), and so a cell that refers to a shared string
//     the workbook lacks ("#REF!"): one damaged cell is text for its reader
//     to audit, not a damaged file;
//   - empty cells: "";
//   - merged cells: the value in the range's top-left cell only, the rest
//     empty (the FBI's 2023 .xlsx merges each block's name down the block).
//
// Row i of the grid is sheet row i+1. Each row is as long as its last
// non-empty cell; rows after the last non-empty row are dropped, interior
// empty rows are kept (as empty slices).
package xlsgrid

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strconv"
)

// Format is a workbook container format, told by its first bytes.
type Format int

const (
	Unknown Format = iota
	XLS            // OLE2 compound file holding a BIFF workbook
	XLSX           // ZIP package (Office Open XML)
)

var (
	ole2Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic  = []byte("PK\x03\x04")
)

// Sniff tells the container format from the first bytes of a file.
func Sniff(b []byte) Format {
	switch {
	case bytes.HasPrefix(b, ole2Magic):
		return XLS
	case bytes.HasPrefix(b, zipMagic):
		return XLSX
	}
	return Unknown
}

// Read reads the first worksheet of the workbook at path.
func Read(path string) ([][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	g, err := ReadBytes(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}

// ReadBytes reads the first worksheet of a workbook held in memory, .xls or
// .xlsx as its content says (not its name).
func ReadBytes(b []byte) ([][]string, error) {
	switch Sniff(b) {
	case XLS:
		return ReadXLS(b)
	case XLSX:
		return ReadXLSX(b)
	}
	return nil, fmt.Errorf("not an Excel workbook (neither an OLE2 .xls nor a ZIP .xlsx)")
}

// formatNumber writes a cell's double the way every reader here shows
// numbers: shortest round-trip decimal, no exponent.
func formatNumber(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// grid collects cells addressed by 0-based row and column.
type grid [][]string

func (g *grid) set(row, col int, s string) {
	if s == "" {
		return
	}
	// Grown as append grows, not by a copy of the rows or cells added.
	for len(*g) <= row {
		*g = append(*g, nil)
	}
	r := (*g)[row]
	if len(r) <= col {
		r = slices.Grow(r, col+1-len(r))[:col+1]
	}
	r[col] = s
	(*g)[row] = r
}
