package ucr

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/assaylab/assay"
)

// readInput reads a whole input into its grid of cells; the format is
// sniffed from the content.
func readInput(r io.Reader) (grid [][]string, format string, err error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, "", err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, "", errors.New("empty file")
	}
	grid, format, err = readGrid(b)
	if err != nil {
		return nil, format, fmt.Errorf("read as %s: %w", format, err)
	}
	if len(grid) == 0 {
		return nil, format, errors.New("no rows: empty file")
	}
	return grid, format, nil
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
	grid, _, err := readInput(r)
	if err != nil {
		return fmt.Errorf("%s %s: %w", what, name, err)
	}
	l.src, l.read = name, len(grid)
	if err := parse(grid); err != nil {
		return fmt.Errorf("%s %s: %w", what, name, err)
	}
	return nil
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

func (l *rowLog) skip(row int, reason, detail string) {
	l.skipped++
	l.audit = append(l.audit, assay.AuditEntry{Source: l.src, Row: row, Action: assay.Skipped, Reason: reason, Detail: detail})
}

func (l *rowLog) flag(row int, reason, detail string) {
	l.audit = append(l.audit, assay.AuditEntry{Source: l.src, Row: row, Action: assay.Flagged, Reason: reason, Detail: detail})
}

func (l *rowLog) footnote(row int, what string, markers []string) {
	if len(markers) > 0 {
		l.footnotes = append(l.footnotes, pendingFootnote{row, what, markers})
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
