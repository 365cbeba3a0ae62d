// Package cellfuzz changes one cell of a table the ways published tables
// go wrong, for the readers' fuzz targets: a structurally sound file with
// one odd cell must still load, every row accounted for.
package cellfuzz

import (
	"bytes"
	"encoding/csv"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/assaylab/assay"
)

// Kind is one way a cell goes wrong.
type Kind uint8

// The kinds, in the order Mutate takes them (modulo NumKinds).
const (
	Payload   Kind = iota // the fuzzer's own text
	Percent               // a share written as a percentage without its sign (0.982 -> 98.2), or the sign dropped
	Negative              // a minus sign in front
	Letter                // a letter inside a number (750 -> 7x50)
	Thousands             // thousands separators added (1234567 -> 1,234,567), or a stray one
	Blank                 // the cell emptied
	Huge                  // a number far beyond any count
	NBSP                  // padded with no-break spaces
	Footnote              // a footnote mark glued on (750 -> 7501, 750*)
	Zero                  // a zero
	NumKinds
)

// maxPayload bounds the fuzzer's text: the spreadsheet writers of the
// tests hold strings of at most 65,535 characters.
const maxPayload = 200

// Mutate returns s changed by kind k (modulo NumKinds). payload is the
// text the Payload kind puts in, and its first byte picks between the
// variants of Footnote.
func Mutate(s string, k Kind, payload string) string {
	t := strings.TrimSpace(s)
	switch k % NumKinds {
	case Payload:
		if len(payload) > maxPayload {
			payload = payload[:maxPayload]
		}
		return payload
	case Percent:
		if u, ok := strings.CutSuffix(t, "%"); ok {
			return u
		}
		if v, err := strconv.ParseFloat(strings.ReplaceAll(t, ",", ""), 64); err == nil {
			return strconv.FormatFloat(v*100, 'f', -1, 64)
		}
		return t + "%"
	case Negative:
		return "-" + t
	case Letter:
		return t[:len(t)/2] + "x" + t[len(t)/2:]
	case Thousands:
		return thousands(t)
	case Blank:
		return ""
	case Huge:
		return "9" + strings.Repeat("0", 24)
	case NBSP:
		return "\u00a0" + t + "\u00a0"
	case Footnote:
		if payload != "" && payload[0]%2 == 1 {
			return t + "*"
		}
		return t + "1"
	}
	return "0"
}

// thousands groups the digits of an integer part by three; a text that
// has no such run of digits gets a stray separator.
func thousands(t string) string {
	end := strings.IndexFunc(t, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(t)
	}
	if end <= 3 {
		return t + ","
	}
	var b strings.Builder
	for i := 0; i < end; i++ {
		if i > 0 && (end-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(t[i])
	}
	return b.String() + t[end:]
}

// Layout is a fixture in a publication's layout, for a cell fuzz target.
type Layout struct {
	Grid   [][]string
	Header int    // the header's row (1-based): it and the rows above are left sound
	Name   string // the name the file is read under
	Encode func(testing.TB, [][]string) []byte
}

// Mutate changes one cell below the header (row and column taken modulo
// the grid's size, the column up to one past the row's last) by kind and
// payload, and encodes the grid.
func (l Layout) Mutate(t testing.TB, row uint16, col, kind uint8, payload string) []byte {
	r := l.Header + 1 + int(row)%(len(l.Grid)-l.Header)
	c := int(col) % (len(l.Grid[r-1]) + 1)
	old := ""
	if c < len(l.Grid[r-1]) {
		old = l.Grid[r-1][c]
	}
	return l.Encode(t, Set(l.Grid, r, c, Mutate(old, Kind(kind), payload)))
}

// Set returns a copy of g with row (1-based) and column (0-based) set to
// v, the row widened if need be; g is left as it was.
func Set[T any](g [][]T, row, col int, v T) [][]T {
	out := slices.Clone(g)
	r := slices.Clone(out[row-1])
	for len(r) <= col {
		var zero T
		r = append(r, zero)
	}
	r[col] = v
	out[row-1] = r
	return out
}

// CSV writes a grid as a CSV file.
func CSV(_ testing.TB, g [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	// Writing to memory fails only on an invalid delimiter.
	_ = w.WriteAll(g)
	return b.Bytes()
}

// CheckRows fails t unless every row read was loaded or skipped, each
// skipped row with one audit entry on a row from 1 to last (last 0: rows
// are lines, which a reader's count of rows does not bound).
func CheckRows(t testing.TB, audit []assay.AuditEntry, read, loaded, skipped, last int) {
	t.Helper()
	if read != loaded+skipped {
		t.Errorf("rows read %d != loaded %d + skipped %d", read, loaded, skipped)
	}
	seen := map[int]bool{}
	for _, a := range audit {
		if a.Action != assay.Skipped {
			continue
		}
		if seen[a.Row] || a.Row < 1 || last > 0 && a.Row > last {
			t.Errorf("skipped entry for row %d twice or out of range", a.Row)
		}
		seen[a.Row] = true
	}
	if len(seen) != skipped {
		t.Errorf("%d skipped audit entries, %d rows skipped", len(seen), skipped)
	}
}

// Tally counts audit entries by action and reason ("flagged
// coverage_percent"), the counts a reader must keep exact.
func Tally(audit []assay.AuditEntry) map[string]int {
	n := map[string]int{}
	for _, a := range audit {
		n[string(a.Action)+" "+a.Reason]++
	}
	return n
}

// WithDelta is a tally with each reason's count moved by delta; a count
// brought to zero is dropped.
func WithDelta(tally, delta map[string]int) map[string]int {
	want := maps.Clone(tally)
	for k, d := range delta {
		want[k] += d
		if want[k] == 0 {
			delete(want, k)
		}
	}
	return want
}
