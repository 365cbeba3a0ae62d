// Package csvgrid reads CSV text record by record exactly as encoding/csv
// does with FieldsPerRecord -1 (RFC 4180 quoting, "\r\n" read as "\n",
// blank lines skipped, the same errors at the same positions), but about
// twice as fast on the Census API's long rows of short cells
// (BenchmarkReadS0201), and without copying: a cell is a substring of the
// text unless its quotes hold an escaped quote or a "\r\n".
//
// The readers use it for every CSV file, so that they also agree on what
// one odd cell does: a quote inside an unquoted cell is an error that
// Lazy reads past, as encoding/csv's LazyQuotes does; a quoted cell
// left open is an error that no reader reads past, since where its rows
// end cannot be told.
package csvgrid

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode"
)

// Reader reads the records of a CSV text.
type Reader struct {
	// Lazy reads a quote inside an unquoted cell, or a quote inside a
	// quoted cell that neither ends it nor is doubled, as text (LazyQuotes).
	Lazy bool

	s      string
	pos    int
	line   int // lines consumed so far
	start  int // line the last record started on
	fields []string
	buf    []byte
}

// NewReader reads s. A final "\r" without a "\n" after it is dropped, as
// encoding/csv drops it. A byte order mark is the caller's to remove.
func NewReader(s string) *Reader {
	if strings.HasSuffix(s, "\r") {
		s = s[:len(s)-1]
	}
	return &Reader{s: s}
}

// Line is the 1-based line the record last read starts on.
func (r *Reader) Line() int { return r.start }

// Read returns the next record, or io.EOF after the last. The slice is
// reused by the next call; its strings are not. Errors are
// *csv.ParseError, positioned as encoding/csv positions them.
func (r *Reader) Read() ([]string, error) {
	rec, _, err := r.ReadPrefix(-1)
	return rec, err
}

// ReadPrefix is Read for a caller that needs only the first n cells of
// each record (n < 0: all of them): it returns those, and how many the
// record has. Past the n-th cell, a line without quotes is not split but
// its commas counted, which is most of the work saved on the Census API's
// long rows when a few columns are wanted.
func (r *Reader) ReadPrefix(n int) ([]string, int, error) {
	// Skip blank lines.
	for {
		if r.pos >= len(r.s) {
			return nil, 0, io.EOF
		}
		switch {
		case r.s[r.pos] == '\n':
			r.pos++
			r.line++
			continue
		case r.s[r.pos] == '\r' && r.pos+1 < len(r.s) && r.s[r.pos+1] == '\n':
			r.pos += 2
			r.line++
			continue
		}
		break
	}
	r.line++
	r.start = r.line
	r.fields = r.fields[:0]
	total := 0
	col := 1 // 1-based byte column on the current line, as encoding/csv counts
	for {
		if total == n {
			if rest, ok := r.plainRest(); ok {
				return r.fields, total + rest, nil
			}
		}
		var f string
		var err error
		if r.pos < len(r.s) && r.s[r.pos] == '"' {
			f, err = r.quoted(&col)
			col++ // the comma
		} else {
			f, err = r.unquoted(col)
			col += len(f) + 1
		}
		if err != nil {
			return nil, 0, err
		}
		if n < 0 || total < n {
			r.fields = append(r.fields, f)
		}
		total++
		// The cell ended at a comma, a line end or the end of the text.
		switch {
		case r.pos >= len(r.s):
			return r.fields, total, nil
		case r.s[r.pos] == ',':
			r.pos++
		case r.s[r.pos] == '\n':
			r.pos++
			return r.fields, total, nil
		default: // "\r\n"
			r.pos += 2
			return r.fields, total, nil
		}
	}
}

// plainRest skips the rest of the record from a cell's start when the
// rest of its line holds no quote, so no cell can continue it, returning
// how many cells it had.
func (r *Reader) plainRest() (cells int, ok bool) {
	rest := r.s[r.pos:]
	end := strings.IndexByte(rest, '\n')
	if end < 0 {
		end = len(rest)
	}
	if strings.IndexByte(rest[:end], '"') >= 0 {
		return 0, false
	}
	r.pos += min(end+1, len(rest))
	return strings.Count(rest[:end], ",") + 1, true
}

// special marks the bytes an unquoted cell ends at, or must not hold.
var special = [256]bool{',': true, '\n': true, '"': true}

// unquoted reads a cell that does not open with a quote, up to the comma
// or line end after it (not consumed).
func (r *Reader) unquoted(col int) (string, error) {
	s := r.s
	i := r.pos
	for {
		for i < len(s) && !special[s[i]] {
			i++
		}
		if i == len(s) || s[i] != '"' {
			break
		}
		if !r.Lazy {
			return "", &csv.ParseError{StartLine: r.start, Line: r.line, Column: col + i - r.pos, Err: csv.ErrBareQuote}
		}
		i++
	}
	end := i
	if i < len(s) && s[i] == '\n' && i > r.pos && s[i-1] == '\r' {
		end--
		i--
	}
	f := s[r.pos:end]
	r.pos = i
	return f, nil
}

// quoted reads a cell that opens with a quote, up to the comma or line
// end after its closing quote (not consumed). col is the column of the
// opening quote; it is left where encoding/csv would have it.
func (r *Reader) quoted(col *int) (string, error) {
	s := r.s
	i := r.pos + 1
	*col++
	// Fast path: the cell's text runs to a closing quote with no escape
	// and no line break in it.
	for j := i; j < len(s); j++ {
		c := s[j]
		if c == '\n' || c == '\r' {
			break
		}
		if c == '"' {
			if end, ok := r.closes(j + 1); ok {
				*col += j - i + 1
				r.pos = end
				return s[i:j], nil
			}
			break
		}
	}
	// Slow path: copy the cell, unescaping, line by line.
	buf := r.buf[:0]
	defer func() { r.buf = buf }()
	for {
		q := strings.IndexByte(s[i:], '"')
		if q < 0 {
			// No closing quote: the cell runs to the end of the text.
			for i < len(s) {
				nl := strings.IndexByte(s[i:], '\n')
				if nl < 0 {
					buf = append(buf, s[i:]...)
					*col += len(s) - i
					i = len(s)
					break
				}
				buf = appendLine(buf, s[i:i+nl])
				i += nl + 1
				if i == len(s) {
					// The last line's break: encoding/csv counts it in the
					// column, and no line after it.
					*col += len(appendLine(nil, s[i-nl-1:i-1]))
					break
				}
				r.line++
				*col = 1
			}
			r.pos = i
			if !r.Lazy {
				return "", &csv.ParseError{StartLine: r.start, Line: r.line, Column: *col, Err: csv.ErrQuote}
			}
			return string(buf), nil
		}
		// Copy the text up to the quote, line by line.
		seg := s[i : i+q]
		for {
			nl := strings.IndexByte(seg, '\n')
			if nl < 0 {
				break
			}
			buf = appendLine(buf, seg[:nl])
			seg = seg[nl+1:]
			r.line++
			*col = 1
		}
		buf = append(buf, seg...)
		*col += len(seg) + 1
		i += q + 1
		if i < len(s) && s[i] == '"' {
			buf = append(buf, '"')
			i++
			*col++
			continue
		}
		if end, ok := r.closes(i); ok {
			r.pos = end
			return string(buf), nil
		}
		if !r.Lazy {
			return "", &csv.ParseError{StartLine: r.start, Line: r.line, Column: *col - 1, Err: csv.ErrQuote}
		}
		buf = append(buf, '"')
	}
}

// closes reports whether a quote just before i closes its cell: a comma,
// a line end or the end of the text follows. end is where the cell ends.
func (r *Reader) closes(i int) (end int, ok bool) {
	s := r.s
	switch {
	case i >= len(s) || s[i] == ',' || s[i] == '\n':
		return i, true
	case s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n':
		return i, true
	}
	return 0, false
}

// appendLine appends a line of a quoted cell and the line break after it,
// "\r\n" read as "\n".
func appendLine(buf []byte, line string) []byte {
	line = strings.TrimSuffix(line, "\r")
	return append(append(buf, line...), '\n')
}

// ReasonLenientQuotes is the audit reason every reader flags a file with
// when a quote inside an unquoted cell was read as text (Lenient).
const ReasonLenientQuotes = "lenient_quotes"

// LenientDetail is the audit detail of that flag, for the error lenient
// gave.
func LenientDetail(lenient *csv.ParseError) string {
	return fmt.Sprintf("a quote inside an unquoted cell at line %d, column %d: read as text", lenient.Line, lenient.Column)
}

// Lenient runs read over a Reader of s. When a quote inside an unquoted
// cell stops it, it runs read again from the start over a Lazy Reader,
// passing that error as lenient (nil on the first run), so that a reader
// that streams records undoes the first run's work itself and flags the
// file the way ReadAll's callers do.
func Lenient(s string, read func(r *Reader, lenient *csv.ParseError) error) error {
	err := read(NewReader(s), nil)
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrBareQuote) {
		r := NewReader(s)
		r.Lazy = true
		return read(r, pe)
	}
	return err
}

// ReadAll reads every record of s, each its own slice, and the line each
// starts on. A quote inside an unquoted cell is read as text and returned
// as lenient, the error it would have been; other errors stop the reading.
func ReadAll(s string) (rows [][]string, lines []int, lenient *csv.ParseError, err error) {
	err = Lenient(s, func(r *Reader, pe *csv.ParseError) error {
		lenient = pe
		var err error
		rows, lines, err = readAll(r)
		return err
	})
	return rows, lines, lenient, err
}

func readAll(r *Reader) ([][]string, []int, error) {
	// A record is a line but for quoted line breaks: room for every one
	// from the start, rather than copies at each doubling.
	n := strings.Count(r.s[r.pos:], "\n") + 1
	rows := make([][]string, 0, n)
	lines := make([]int, 0, n)
	// Records are cut from shared blocks of cells, one allocation for
	// many rows instead of one each.
	var block []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, lines, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if cap(block)-len(block) < len(rec) {
			block = make([]string, 0, len(rec)*cellBlockRows)
		}
		at := len(block)
		block = append(block, rec...)
		rows = append(rows, block[at:len(block):len(block)])
		lines = append(lines, r.Line())
	}
}

// cellBlockRows is how many rows as wide as the one that starts a block of
// cells the block holds.
const cellBlockRows = 64

// ReadText reads r whole as text, in one allocation where r tells its
// size (a file, a bytes or strings Reader), writing it to also (a hash)
// on the way when also is not nil. Cells read from the text are its
// substrings, so no reader copies it again.
func ReadText(r io.Reader, also io.Writer) (string, error) {
	var b strings.Builder
	size := 32 << 10
	switch r := r.(type) {
	case interface{ Len() int }:
		size = r.Len()
	case interface{ Stat() (fs.FileInfo, error) }: // a file, on disk or embedded
		if st, err := r.Stat(); err == nil {
			size = int(st.Size())
		}
	}
	b.Grow(size)
	w := io.Writer(&b)
	if also != nil {
		w = io.MultiWriter(&b, also)
	}
	// Hiding r's WriteTo keeps a file from copying through a 32 KB buffer
	// of its own, eight times the size of the smallest files read.
	buf := make([]byte, min(max(size, 512), 32<<10))
	if _, err := io.CopyBuffer(w, struct{ io.Reader }{r}, buf); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Latin1 decodes ISO-8859-1 text into UTF-8. Windows-1252 differs from it
// only in punctuation (0x80-0x9F) that official names do not use, so the
// CSV files of the Census Bureau, BLS and FBI that are not UTF-8 (one or
// the other) read right.
func Latin1(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

// OddSpace reports whether a cell's text has space other than single
// blanks between words (at either end, doubled, a line break, a tab, a
// no-break space): whether joining its fields with blanks would change it.
// Readers check it before normalizing, which most cells do not need.
func OddSpace(s string) bool {
	prev := 'x'
	for i, r := range s {
		if unicode.IsSpace(r) && (r != ' ' || prev == ' ' || i == 0) {
			return true
		}
		prev = r
	}
	return prev == ' '
}
