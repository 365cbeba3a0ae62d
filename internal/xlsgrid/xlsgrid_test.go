package xlsgrid

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/assaylab/assay/internal/xlsgrid/xlstest"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		rows [][]any
		want [][]string
	}{
		{
			name: "text and numbers",
			rows: [][]any{
				{"Title row"},
				{"Code", "Name", "Share", "Count"},
				{"00100", "Aberdeen, SD", 0.999, xlstest.RKInt(1575)},
			},
			want: [][]string{
				{"Title row"},
				{"Code", "Name", "Share", "Count"},
				{"00100", "Aberdeen, SD", "0.999", "1575"},
			},
		},
		{
			name: "numbers never in exponent form and integers without decimals",
			rows: [][]any{{1e21, 123456789.0, 0.000001, -2.5, xlstest.RKInt(-7), xlstest.RKInt(0)}},
			want: [][]string{{"1000000000000000000000", "123456789", "0.000001", "-2.5", "-7", "0"}},
		},
		{
			name: "compressed strings are Latin-1, wide strings UTF-16",
			rows: [][]any{{xlstest.Latin1("Añasco Municipio"), "Mayagüez–San Germán", xlstest.Latin1("plain")}},
			want: [][]string{{"Añasco Municipio", "Mayagüez–San Germán", "plain"}},
		},
		{
			name: "gaps: missing rows are empty, blank cells are empty text",
			rows: [][]any{{"a"}, nil, {nil, xlstest.Blank{}, "c"}},
			want: [][]string{{"a"}, nil, {"", "", "c"}},
		},
		{
			name: "newlines inside a cell are kept",
			rows: [][]any{{"Violent\ncrime"}},
			want: [][]string{{"Violent\ncrime"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(bytes.NewReader(xlstest.Workbook(tt.rows)))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.xls")
	if err := os.WriteFile(path, xlstest.Workbook([][]any{{"x", 1.5}}), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"x", "1.5"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := Read(filepath.Join(t.TempDir(), "missing.xls")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestParseRejects(t *testing.T) {
	good := xlstest.Workbook([][]any{{"a", 1.0}})
	// Sector 0 is the FAT (file offset 512); entry 2 is the first stream
	// sector. Pointing it at itself makes the chain a cycle.
	cyclic := bytes.Clone(good)
	binary.LittleEndian.PutUint32(cyclic[512+2*4:], 2)
	// The Workbook directory entry is the second in sector 1 (offset 1024);
	// its size field is at byte 120 of the entry.
	huge := bytes.Clone(good)
	binary.LittleEndian.PutUint32(huge[1024+128+120:], 0xFFFFFF00)
	tests := []struct {
		name, want string
		data       []byte
	}{
		{"empty", "xls", nil},
		{"not a compound document", "not a compound document", []byte(strings.Repeat("CBSA Code,Title\n", 300))},
		{"truncated", "xls", good[:1500]},
		{"cyclic sector chain", "cycle", cyclic},
		{"stream larger than the file", "stream of 4294967040 bytes", huge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(bytes.NewReader(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(xlstest.Workbook([][]any{{"Title"}, {"a", 1.5, xlstest.RKInt(3)}, {xlstest.Latin1("Añasco"), xlstest.Blank{}}}))
	f.Add(xlstest.Workbook([][]any{{"x"}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		grid, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for r, row := range grid {
			for c, cell := range row {
				if !utf8.ValidString(cell) {
					t.Fatalf("cell %d,%d is not UTF-8: %q", r, c, cell)
				}
			}
		}
	})
}
