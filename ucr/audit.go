package ucr

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/csvgrid"
)

// readInput reads a whole input into its grid of cells; the format is
// sniffed from the content.
func readInput(r io.Reader) (grid [][]string, format string, notes []gridNote, err error) {
	text, err := csvgrid.ReadText(r, nil)
	if err != nil {
		return nil, "", nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, "", nil, errors.New("empty file")
	}
	grid, format, notes, err = readGrid(text)
	if err != nil {
		return nil, format, nil, fmt.Errorf("read as %s: %w", format, err)
	}
	if len(grid) == 0 {
		return nil, format, nil, errors.New("no rows: empty file")
	}
	return grid, format, notes, nil
}

// readFile opens path and hands it to parse, which records path as the
// source of what it reads.
func readFile[T any](what, path string, parse func(io.Reader, string) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%s: %w", what, err)
	}
	defer f.Close()
	return parse(f, path)
}

// parseGrid reads r into its grid of cells, counts its rows into l and
// runs parse over them; errors name what is read and its source.
func parseGrid(what, name string, r io.Reader, l *rowLog, parse func([][]string) error) error {
	grid, _, notes, err := readInput(r)
	if err != nil {
		return fmt.Errorf("%s %s: %w", what, name, err)
	}
	l.start(name, len(grid), notes)
	if err := parse(grid); err != nil {
		return fmt.Errorf("%s %s: %w", what, name, err)
	}
	return nil
}

// Audit reason keys for cells every reader here may meet. A flagged cell
// is left null (or read as the flag says) and the rest of its row loads:
// one odd cell never sinks a row, nor a row a file.
const (
	ReasonUnreadableNumber      = "unreadable_number"         // flagged: a number cell that holds no number (letters, marks): left null
	ReasonNegativeCount         = "negative_count"            // flagged: a negative count: left null
	ReasonNegativeRate          = "negative_rate"             // flagged: a negative rate: left null
	ReasonNonpositivePopulation = "nonpositive_population"    // flagged: a population of zero or less: left null
	ReasonLatin1                = "latin1"                    // flagged: a CSV cell that is not UTF-8, read as Windows-1252
	ReasonLenientQuotes         = csvgrid.ReasonLenientQuotes // flagged (file): a quote inside an unquoted CSV cell, read as text
	ReasonUnexpectedRow         = "unexpected_row"            // skipped: a row the layout has no place for
	ReasonUnreadableYear        = "unreadable_year"           // skipped: a data row whose year cell holds no year
)

// measure is what a number cell holds, which bounds the values it can take.
type measure int

const (
	anyValue measure = iota
	countOf
	rateOf
	populationOf
)

// field names a number cell in audit details: the row's subject (a kind
// of row, "city", before its name where there is one), the column's number
// and heading. Its text is made only for an audit line.
type field struct {
	kind, what string
	col        int // 0-based
	heading    string
}

func (f field) String() string {
	what := f.what
	if f.kind != "" {
		what = f.kind + " " + what
	}
	return fmt.Sprintf("%s: column %d (%s)", what, f.col+1, f.heading)
}

// number reads one number cell of a loaded row with parse. A cell that
// holds no number, or a number its measure cannot take (a negative count
// or rate, a population of zero or less), is flagged and left null, so that
// nothing downstream uses it.
func (l *rowLog) number(row int, f field, s string, m measure, parse func(string) (assay.Num, error)) assay.Num {
	v, err := parse(s)
	if err != nil {
		l.flag(row, ReasonUnreadableNumber, fmt.Sprintf("%s: %v; left null", f, err))
		return assay.Null
	}
	if !v.Valid {
		return v
	}
	switch {
	case m == countOf && v.V < 0:
		l.flag(row, ReasonNegativeCount, fmt.Sprintf("%s: count %v; left null", f, v))
	case m == rateOf && v.V < 0:
		l.flag(row, ReasonNegativeRate, fmt.Sprintf("%s: rate %v; left null", f, v))
	case m == populationOf && v.V <= 0:
		l.flag(row, ReasonNonpositivePopulation, fmt.Sprintf("%s: population %v; left null", f, v))
	default:
		return v
	}
	return assay.Null
}

// rowLog keeps a reader's accounting: every row read is loaded or skipped
// (with an audit entry), and caveats on loaded rows are flagged.
type rowLog struct {
	src                   string
	audit                 []assay.AuditEntry
	read, loaded, skipped int
	footnotes             []pendingFootnote // met on loaded rows, flagged once the legend is read
}

type pendingFootnote struct {
	row     int
	what    string
	markers []string
}

// start begins the accounting of a file of n rows, flagging what turning
// it into cells noted.
func (l *rowLog) start(src string, n int, notes []gridNote) {
	l.src, l.read = src, n
	for _, g := range notes {
		l.flag(g.row, g.reason, g.detail)
	}
}

func (l *rowLog) skip(row int, reason, detail string) {
	l.skipped++
	l.audit = append(l.audit, assay.AuditEntry{Source: l.src, Row: row, Action: assay.Skipped, Reason: reason, Detail: detail})
}

func (l *rowLog) flag(row int, reason, detail string) {
	l.audit = append(l.audit, assay.AuditEntry{Source: l.src, Row: row, Action: assay.Flagged, Reason: reason, Detail: detail})
}

// footnote notes the markers met on a loaded row; what names the row, in
// parts joined only when there are markers (most rows have none).
func (l *rowLog) footnote(row int, markers []string, what ...string) {
	if len(markers) > 0 {
		l.footnotes = append(l.footnotes, pendingFootnote{row, strings.Join(what, ""), markers})
	}
}

// close flags the footnote markers met with their legend text, orders the
// audit by row and checks that every row read was accounted for.
func (l *rowLog) close(legend map[string]string) error {
	for _, f := range l.footnotes {
		var parts []string
		for _, m := range f.markers {
			text, ok := legend[m]
			if !ok {
				text = "(no legend entry)"
			}
			parts = append(parts, m+": "+text)
		}
		l.flag(f.row, ReasonFootnote, f.what+" — "+strings.Join(parts, "; "))
	}
	sort.SliceStable(l.audit, func(a, b int) bool { return l.audit[a].Row < l.audit[b].Row })
	if l.loaded+l.skipped != l.read {
		// Every branch of a reader accounts for its row; this guards the
		// invariant the audit promises rather than letting a miscount pass.
		return fmt.Errorf("internal error: %d rows read, %d loaded + %d skipped", l.read, l.loaded, l.skipped)
	}
	return nil
}
