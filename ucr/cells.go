package ucr

import (
	"encoding/csv"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/csvgrid"
	"github.com/assaylab/assay/internal/filekind"
	"github.com/assaylab/assay/internal/xlsgrid"
)

// gridNote is a caveat met while turning a file into cells, flagged once
// the reader's row accounting has started.
type gridNote struct {
	row            int // 1-based; 0: the file as a whole
	reason, detail string
}

// readGrid turns a file's content into rows of cell texts, telling the
// format by content: OLE2 (.xls) and ZIP (.xlsx) magic numbers, else CSV.
func readGrid(text string) (grid [][]string, format string, notes []gridNote, err error) {
	switch xlsgrid.Sniff([]byte(text[:min(len(text), 8)])) {
	case xlsgrid.XLS:
		g, err := xlsgrid.ReadXLS([]byte(text))
		return g, "xls", nil, err
	case xlsgrid.XLSX:
		g, err := xlsgrid.ReadXLSX([]byte(text))
		return g, "xlsx", nil, err
	}
	g, notes, err := readCSV(text)
	return g, "csv", notes, err
}

// rowError is an error about one row (1-based) of the input.
type rowError struct {
	row int
	err error
}

func (e *rowError) Error() string { return fmt.Sprintf("row %d: %v", e.row, e.err) }
func (e *rowError) Unwrap() error { return e.err }

func rowErrorf(row int, format string, a ...any) error {
	return &rowError{row, fmt.Errorf(format, a...)}
}

// readCSV reads every record of a CSV export. Rows are records, not lines:
// a header cell with an embedded newline is one row, as in the spreadsheet.
// A quote inside an unquoted cell, or a cell in another encoding, is read
// as well as it can be and noted, so that one cell does not make the file
// unreadable. A quoted cell left open is another matter: where it ends,
// and so where the rows after it begin, cannot be told.
func readCSV(text string) ([][]string, []gridNote, error) {
	if filekind.IsUTF16([]byte(text[:min(len(text), 4)])) {
		return nil, nil, filekind.ErrUTF16
	}
	g, _, lenient, err := csvgrid.ReadAll(strings.TrimPrefix(text, "\ufeff"))
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, nil, fmt.Errorf("malformed CSV at line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
		}
		return nil, nil, err
	}
	var notes []gridNote
	if lenient != nil {
		notes = append(notes, gridNote{0, ReasonLenientQuotes, csvgrid.LenientDetail(lenient)})
	}
	for i, rec := range g {
		for j, c := range rec {
			if !utf8.ValidString(c) {
				rec[j] = csvgrid.Latin1(c)
				notes = append(notes, gridNote{i + 1, ReasonLatin1, fmt.Sprintf("column %d is not UTF-8 (%q): read as Windows-1252, %q", j+1, c, rec[j])})
			}
		}
	}
	return g, notes, nil
}

// cell returns column j of a row, or "" past its end.
func cell(row []string, j int) string {
	if j < 0 || j >= len(row) {
		return ""
	}
	return row[j]
}

func blankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// parseNum reads a published number: blank (suppressed) is null; thousands
// separators and padding (" 5,380 ", no-break spaces too) are dropped;
// "93.9%" is the share 0.939, parsed as one decimal so that it equals the
// 0.939 a spreadsheet stores.
func parseNum(s string) (assay.Num, error) {
	t := strings.TrimSpace(s) // no-break spaces are spaces here
	if t == "" {
		return assay.Null, nil
	}
	pct := t[len(t)-1] == '%'
	if pct {
		t = strings.TrimSpace(t[:len(t)-1])
	}
	// ParseFloat would also take "1e5", "Inf" or "0x1p3"; the tables never
	// print those, so they mean the cell is not a count or rate.
	commas := false
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9' || c == '.' || c == '-':
		case c == ',':
			commas = true
		default:
			return assay.Null, fmt.Errorf("%q is not a number", s)
		}
	}
	if commas {
		t = strings.ReplaceAll(t, ",", "")
	}
	if t == "" {
		return assay.Null, fmt.Errorf("%q is not a number", s)
	}
	if pct {
		t += "e-2"
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return assay.Null, fmt.Errorf("%q is not a number", s)
	}
	return assay.Some(v), nil
}
