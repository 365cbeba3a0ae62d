package ucr

import (
	"strings"
	"testing"
)

func TestCheckYear(t *testing.T) {
	tests := []struct {
		year int
		want string // "" for a readable year
	}{
		{2006, ""}, {2017, ""}, {2024, ""},
		{1800, "1800 is not a Table 6 year assay reads: 2006 to 2024"},
		{2005, "2005 is not"}, {2025, "2025 is not"},
		{2021, "no Table 6 for 2021"},
	}
	for _, tt := range tests {
		err := CheckYear(tt.year)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("CheckYear(%d) = %v, want %q", tt.year, err, tt.want)
		}
	}
}
