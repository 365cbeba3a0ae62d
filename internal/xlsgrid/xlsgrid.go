// Package xlsgrid reads the first worksheet of a legacy Excel workbook
// (BIFF8 .xls) as a grid of text cells, for readers that parse the grid
// themselves.
//
// It wraps github.com/shakinm/xlsReader. github.com/extrame/xls was compared
// on the OMB list1 and FBI Table 4 (2016) files and rejected: it formats
// numbers with custom formats as dates, drops a header row of list1 2013 and
// leaves NUL bytes where a string crosses a CONTINUE record.
package xlsgrid

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shakinm/xlsReader/cfb"
	"github.com/shakinm/xlsReader/xls"
	"github.com/shakinm/xlsReader/xls/record"
	"github.com/shakinm/xlsReader/xls/structure"
)

// Read returns the first worksheet of the .xls file at path. See Parse.
func Read(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	grid, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return grid, nil
}

// Parse returns the first worksheet of a BIFF8 workbook. grid[r][c] is the
// cell in 0-based row r and column c. A row is as long as its last stored
// cell (blank cells included); rows with no stored cell are empty. Text is
// UTF-8. Numbers are written in plain decimal with the fewest digits that
// round-trip (1234, 0.999, 1575.1): never an exponent, never a trailing
// ".0", and never the cell's display format (a percentage stays 0.999).
// Booleans are TRUE/FALSE and errors #N/A and the like. Formula cells are
// not supported by the underlying reader and come out empty.
//
// The underlying reader panics on some malformed files; Parse turns any
// panic into an error.
func Parse(r io.ReadSeeker) (grid [][]string, err error) {
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	in := &budgetReader{r: r, fileSize: size}
	defer func() {
		if p := recover(); p != nil {
			grid, err = nil, fmt.Errorf("xls: malformed workbook: %v", p)
		}
		if in.exceeded {
			grid, err = nil, errBudget
		}
	}()
	if err := in.rewind(); err != nil {
		return nil, err
	}
	if err := checkStreamSizes(in, size); err != nil {
		return nil, err
	}
	if err := in.rewind(); err != nil {
		return nil, err
	}
	wb, err := xls.OpenReader(in)
	if err != nil {
		return nil, fmt.Errorf("xls: %w", err)
	}
	if wb.GetNumberSheets() == 0 {
		return nil, errors.New("xls: no worksheet (not a BIFF8 workbook?)")
	}
	sheet, err := wb.GetSheet(0)
	if err != nil {
		return nil, fmt.Errorf("xls: %w", err)
	}
	// Not sheet.GetRows: it recounts the rows at every step, which is
	// quadratic in the number of rows.
	grid = make([][]string, sheet.GetNumberRows())
	for i := range grid {
		row, err := sheet.GetRow(i)
		if err != nil {
			return nil, fmt.Errorf("xls: row %d: %w", i+1, err)
		}
		cols := row.GetCols()
		// The library pads a row with no stored cell to one placeholder.
		if len(cols) == 0 || len(cols) == 1 && isPlaceholder(cols[0]) {
			continue
		}
		cells := make([]string, len(cols))
		for j, c := range cols {
			cells[j] = text(c)
		}
		grid[i] = cells
	}
	return grid, nil
}

// checkStreamSizes rejects a workbook whose directory gives its Workbook
// stream more bytes than the file holds: the library allocates the stated
// size up front, up to 4 GiB.
func checkStreamSizes(in *budgetReader, size int64) error {
	c, err := cfb.OpenReader(in)
	if err != nil {
		return fmt.Errorf("xls: not a compound document: %w", err)
	}
	for _, d := range c.GetDirs() {
		if n := d.Name(); (n == "Workbook" || n == "Book") && int64(d.GetStreamSize()) > size {
			return fmt.Errorf("xls: %s stream of %d bytes in a file of %d", n, d.GetStreamSize(), size)
		}
	}
	return nil
}

var errBudget = errors.New("xls: malformed workbook: sector chains read more than the file holds (a cycle?)")

// budgetReader stops a read of the compound document once it has read more
// than a sane parse needs. The library follows sector chains without
// checking for cycles, so a corrupt file would otherwise loop forever,
// growing memory.
type budgetReader struct {
	r        io.ReadSeeker
	fileSize int64
	read     int64
	exceeded bool
}

func (b *budgetReader) Read(p []byte) (int, error) {
	// A whole parse reads each sector about once, plus the 4 KiB header
	// block; a few times the file size leaves room for a second pass.
	if b.read > 4*b.fileSize+1<<16 {
		b.exceeded = true
		return 0, errBudget
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}

func (b *budgetReader) Seek(off int64, whence int) (int64, error) { return b.r.Seek(off, whence) }

func (b *budgetReader) rewind() error {
	b.read = 0
	_, err := b.r.Seek(0, io.SeekStart)
	return err
}

func isPlaceholder(c structure.CellData) bool {
	_, ok := c.(*record.FakeBlank)
	return ok
}

// text renders one cell.
func text(c structure.CellData) string {
	switch c := c.(type) {
	case *record.Number:
		return strconv.FormatFloat(c.GetFloat64(), 'f', -1, 64)
	case *record.Rk:
		// An integer RK is a signed 30-bit number; the library returns it
		// unsigned, so a negative integer would come out near 2^30.
		if v := c.GetInt64(); v >= 1<<29 {
			return strconv.FormatInt(v-1<<30, 10)
		}
		return strconv.FormatFloat(c.GetFloat64(), 'f', -1, 64)
	}
	return latin1(c.GetString())
}

// latin1 repairs the library's handling of BIFF8 "compressed" strings: it
// returns their bytes as they are, but each byte is a Latin-1 code point
// (the low byte of UTF-16), so "Añasco" arrives as "A\xf1asco". A valid
// UTF-8 string is left alone; a compressed string with non-ASCII letters is
// never valid UTF-8 unless it spells a UTF-8 sequence in Latin-1 ("Ã±"),
// which official tables do not.
func latin1(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) * 2)
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}
