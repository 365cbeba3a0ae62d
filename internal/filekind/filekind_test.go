package filekind

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOf(t *testing.T) {
	duck := make([]byte, 64)
	copy(duck[8:], "DUCK")
	tests := []struct {
		name string
		head []byte
		want Kind
	}{
		{"empty", nil, Empty},
		{"csv", []byte("a,b\n1,2\n"), Text},
		{"json", []byte(`[["NAME","B01003_001E"]]`), Text},
		{"latin-1 csv", []byte("name\nDo\xf1a Ana County\n"), Text},
		{"utf-8 with BOM", []byte("\xef\xbb\xbfa,b\r\n"), Text},
		{"utf-16le with BOM", []byte("\xff\xfea\x00,\x00"), UTF16},
		{"utf-16be with BOM", []byte("\xfe\xff\x00a\x00,"), UTF16},
		{"utf-16le without BOM", []byte("a\x00,\x00b\x00"), UTF16},
		{"utf-16be without BOM", []byte("\x00a\x00,\x00b"), UTF16},
		{"duckdb", duck, DuckDB},
		{"sqlite", []byte("SQLite format 3\x00\x10\x00"), SQLite},
		{"parquet", []byte("PAR1\x15\x04"), Parquet},
		{"xlsx", []byte("PK\x03\x04\x14\x00"), ZIP},
		{"xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0}, OLE2},
		{"gzip", []byte{0x1F, 0x8B, 8, 0}, Gzip},
		{"pdf", []byte("%PDF-1.7\n"), PDF},
		{"binary", []byte{1, 2, 3, 0, 5}, Binary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Of(tt.head); got != tt.want {
				t.Errorf("Of(%q) = %v, want %v", tt.head, got, tt.want)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(p, []byte("just notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if k, err := Sniff(p); err != nil || k != Text {
		t.Errorf("Sniff(text) = %v, %v; want %v", k, err, Text)
	}
	if _, err := Sniff(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Errorf("Sniff(missing): err = %v, want not-exist", err)
	}
}

// FuzzOf checks that any bytes get a kind with a name.
func FuzzOf(f *testing.F) {
	f.Add([]byte("a,b\n"))
	f.Add([]byte("\xff\xfea\x00"))
	f.Add([]byte("PAR1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if k := Of(b); k.String() == "" {
			t.Fatalf("Of(%q) = %d has no name", b, k)
		}
	})
}
