package cellfuzz

import "testing"

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
