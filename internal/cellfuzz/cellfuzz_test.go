package cellfuzz

import (
	"testing"

	"github.com/assaylab/assay"
)

func TestMutate(t *testing.T) {
	tests := []struct {
		in      string
		k       Kind
		payload string
		want    string
	}{
		{"750", Payload, "abc", "abc"},
		{"0.982", Percent, "", "98.2"},
		{"98.2%", Percent, "", "98.2"},
		{"City", Percent, "", "City%"},
		{" 750 ", Negative, "", "-750"},
		{"750", Letter, "", "7x50"},
		{"1234567", Thousands, "", "1,234,567"},
		{"1234.5", Thousands, "", "1,234.5"},
		{"750", Thousands, "", "750,"},
		{"750", Blank, "", ""},
		{"750", Huge, "", "9000000000000000000000000"},
		{"750", NBSP, "", "\u00a0750\u00a0"},
		{"750", Footnote, "a", "750*"},
		{"750", Footnote, "b", "7501"},
		{"750", Zero, "", "0"},
		{"750", NumKinds + Negative, "", "-750"},
	}
	for _, tt := range tests {
		if got := Mutate(tt.in, tt.k, tt.payload); got != tt.want {
			t.Errorf("Mutate(%q, %d, %q) = %q, want %q", tt.in, tt.k, tt.payload, got, tt.want)
		}
	}
}

// errorRecorder notes whether a check failed, without failing the test.
type errorRecorder struct {
	testing.TB
	failed bool
}

func (r *errorRecorder) Helper()               {}
func (r *errorRecorder) Errorf(string, ...any) { r.failed = true }

func TestCheckRows(t *testing.T) {
	skip := func(rows ...int) []assay.AuditEntry {
		var a []assay.AuditEntry
		for _, r := range rows {
			a = append(a, assay.AuditEntry{Row: r, Action: assay.Skipped}, assay.AuditEntry{Row: r, Action: assay.Flagged})
		}
		return a
	}
	tests := []struct {
		name                        string
		audit                       []assay.AuditEntry
		read, loaded, skipped, last int
		fails                       bool
	}{
		{"sound", skip(1, 4), 4, 2, 2, 4, false},
		{"rows unaccounted", skip(1, 4), 5, 2, 2, 5, true},
		{"a skipped row without its entry", skip(1), 4, 2, 2, 4, true},
		{"a row skipped twice", skip(1, 1), 4, 3, 1, 4, true},
		{"row 0", skip(0, 4), 4, 2, 2, 4, true},
		{"beyond the last row", skip(1, 5), 4, 2, 2, 4, true},
		{"lines, unbounded", skip(1, 9), 4, 2, 2, 0, false},
	}
	for _, tt := range tests {
		r := &errorRecorder{TB: t}
		CheckRows(r, tt.audit, tt.read, tt.loaded, tt.skipped, tt.last)
		if r.failed != tt.fails {
			t.Errorf("%s: failed %v, want %v", tt.name, r.failed, tt.fails)
		}
	}
}
