// Package frame reads a CSV file into named columns for the estimators:
// numeric parsing with errors that name the file, line and column, quoted
// fields, a UTF-8 byte-order mark, and missing values (empty, NA, N/A, NaN,
// ".") removed by listwise deletion that is reported, never silent.
package frame

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ErrNoColumn is wrapped by errors about a column the file does not have.
var ErrNoColumn = errors.New("no such column")

// Frame is a CSV file held as text columns.
type Frame struct {
	File  string
	Names []string
	rows  [][]string
	lines []int // line in the file where each data row starts
}

// ReadFile reads the CSV file at path.
func ReadFile(path string) (*Frame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads CSV from r; file names it in errors. The first record is the
// header.
func Read(r io.Reader, file string) (*Frame, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file, no header row", file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	fr := &Frame{File: file}
	seen := map[string]bool{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, fmt.Errorf("%s line 1: column %d has an empty name", file, i+1)
		}
		if seen[h] {
			return nil, fmt.Errorf("%s line 1: column %q appears twice", file, h)
		}
		seen[h] = true
		fr.Names = append(fr.Names, h)
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		line, _ := cr.FieldPos(0)
		fr.rows = append(fr.rows, rec)
		fr.lines = append(fr.lines, line)
	}
	return fr, nil
}

// Rows is the number of data rows.
func (f *Frame) Rows() int { return len(f.rows) }

func (f *Frame) col(name string) (int, error) {
	if i := slices.Index(f.Names, name); i >= 0 {
		return i, nil
	}
	return 0, fmt.Errorf("%s: %w %q (columns: %s)", f.File, ErrNoColumn, name, strings.Join(f.Names, ", "))
}

// Selection is the complete rows of the columns asked for.
type Selection struct {
	File string
	Num  map[string][]float64
	Text map[string][]string
	// Lines are the file lines of the rows kept, DroppedLines those of rows
	// left out because a selected column was missing.
	Lines        []int
	DroppedLines []int
}

// N is the number of rows kept.
func (s *Selection) N() int { return len(s.Lines) }

// LineError places err, about the value of column in kept row i (0-based,
// as the selection's slices index it), at its line in the file, the way
// Select places a cell it cannot read.
func (s *Selection) LineError(i int, column string, err error) error {
	return lineError(s.File, s.Lines[i], column, err)
}

func lineError(file string, line int, column string, err error) error {
	return fmt.Errorf("%s line %d column %q: %w", file, line, column, err)
}

// Note describes the listwise deletion, or is empty when nothing was dropped.
func (s *Selection) Note() string {
	if len(s.DroppedLines) == 0 {
		return ""
	}
	lines := s.DroppedLines
	more := ""
	if len(lines) > 10 {
		lines, more = lines[:10], fmt.Sprintf(" and %d more", len(s.DroppedLines)-10)
	}
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = strconv.Itoa(l)
	}
	return fmt.Sprintf("%d rows with a missing value dropped (listwise deletion; file lines %s%s)", len(s.DroppedLines), strings.Join(parts, ", "), more)
}

// Select parses the numeric columns and collects the text columns, keeping
// only rows where none of them is missing. A cell that is neither missing
// nor a number is an error naming the file, line and column.
func (f *Frame) Select(numeric, text []string) (*Selection, error) {
	type spec struct {
		name string
		idx  int
		num  bool
	}
	var specs []spec
	type key struct {
		name string
		num  bool
	}
	seen := map[key]bool{}
	for _, group := range []struct {
		names []string
		num   bool
	}{{numeric, true}, {text, false}} {
		for _, n := range group.names {
			if seen[key{n, group.num}] {
				continue
			}
			seen[key{n, group.num}] = true
			i, err := f.col(n)
			if err != nil {
				return nil, err
			}
			specs = append(specs, spec{n, i, group.num})
		}
	}
	s := &Selection{File: f.File, Num: map[string][]float64{}, Text: map[string][]string{}}
	for _, sp := range specs {
		if sp.num {
			s.Num[sp.name] = []float64{}
		} else {
			s.Text[sp.name] = []string{}
		}
	}
	vals := make([]float64, len(specs))
	for r, rec := range f.rows {
		complete := true
		for j, sp := range specs {
			cell := rec[sp.idx]
			if Missing(cell) {
				complete = false
				continue
			}
			if sp.num {
				v, err := ParseNumber(cell)
				if err != nil {
					return nil, lineError(f.File, f.lines[r], sp.name, err)
				}
				vals[j] = v
			}
		}
		if !complete {
			s.DroppedLines = append(s.DroppedLines, f.lines[r])
			continue
		}
		for j, sp := range specs {
			if sp.num {
				s.Num[sp.name] = append(s.Num[sp.name], vals[j])
			} else {
				s.Text[sp.name] = append(s.Text[sp.name], strings.TrimSpace(rec[sp.idx]))
			}
		}
		s.Lines = append(s.Lines, f.lines[r])
	}
	return s, nil
}

// Missing reports whether a cell is a missing value: empty, NA, N/A, NaN
// (any case) or Stata's ".".
func Missing(cell string) bool {
	switch strings.ToUpper(strings.TrimSpace(cell)) {
	case "", "NA", "N/A", "NAN", ".":
		return true
	}
	return false
}

var thousands = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$`)

// ParseNumber parses a decimal number, allowing surrounding spaces and
// thousands separators in the form 1,234,567.5. Infinities are refused.
func ParseNumber(cell string) (float64, error) {
	s := strings.TrimSpace(cell)
	if thousands.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("%q is not a number", cell)
	}
	return v, nil
}
