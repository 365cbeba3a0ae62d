package ucr

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/filekind"
	"github.com/assaylab/assay/internal/xlsgrid"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readGrid turns a file's bytes into rows of cell texts, telling the format
// by content: OLE2 (.xls) and ZIP (.xlsx) magic numbers, else CSV.
func readGrid(b []byte) (grid [][]string, format string, err error) {
	switch xlsgrid.Sniff(b) {
	case xlsgrid.XLS:
		g, err := xlsgrid.ReadXLS(b)
		return g, "xls", err
	case xlsgrid.XLSX:
		g, err := xlsgrid.ReadXLSX(b)
		return g, "xlsx", err
	}
	g, err := readCSV(b)
	return g, "csv", err
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
func readCSV(b []byte) ([][]string, error) {
	if filekind.IsUTF16(b) {
		return nil, filekind.ErrUTF16
	}
	b = bytes.TrimPrefix(b, utf8BOM)
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	var g [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return g, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, rowErrorf(len(g)+1, "malformed CSV at line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
			}
			return nil, err
		}
		for j, c := range rec {
			if !utf8.ValidString(c) {
				return nil, rowErrorf(len(g)+1, "column %d is not UTF-8 text (%q): re-save the file as UTF-8", j+1, c)
			}
		}
		g = append(g, rec)
	}
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
// separators and padding (" 5,380 ") are dropped; "93.9%" is the share 0.939,
// parsed as one decimal so that it equals the 0.939 a spreadsheet stores.
func parseNum(s string) (assay.Num, error) {
	t := strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	if t == "" {
		return assay.Null, nil
	}
	t = strings.ReplaceAll(t, ",", "")
	exp := ""
	if strings.HasSuffix(t, "%") {
		t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
		exp = "e-2"
	}
	// ParseFloat would also take "1e5", "Inf" or "0x1p3"; the tables never
	// print those, so they mean the cell is not a count or rate.
	if t == "" || strings.TrimLeft(t, "0123456789.-") != "" {
		return assay.Null, fmt.Errorf("%q is not a number", s)
	}
	v, err := strconv.ParseFloat(t+exp, 64)
	if err != nil {
		return assay.Null, fmt.Errorf("%q is not a number", s)
	}
	return assay.Some(v), nil
}
