package csvgrid

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay/internal/datadir"
)

// stdRecords reads s with encoding/csv as the readers configured it: the
// records, the line each starts on, and the error that stopped it.
func stdRecords(s string, lazy bool) (recs [][]string, lines []int, err error) {
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	r.LazyQuotes = lazy
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return recs, lines, nil
		}
		if err != nil {
			return recs, lines, err
		}
		line, _ := r.FieldPos(0)
		recs, lines = append(recs, rec), append(lines, line)
	}
}

func ourRecords(s string, lazy bool) (recs [][]string, lines []int, err error) {
	r := NewReader(s)
	r.Lazy = lazy
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return recs, lines, nil
		}
		if err != nil {
			return recs, lines, err
		}
		recs, lines = append(recs, append([]string(nil), rec...)), append(lines, r.Line())
	}
}

// sameAsStd fails when csvgrid reads s differently from encoding/csv:
// other records, lines or errors (type and position).
func sameAsStd(t *testing.T, s string) {
	t.Helper()
	for _, lazy := range []bool{false, true} {
		wr, wl, werr := stdRecords(s, lazy)
		gr, gl, gerr := ourRecords(s, lazy)
		if !reflect.DeepEqual(gr, wr) || !reflect.DeepEqual(gl, wl) || fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Fatalf("lazy %v, %q:\nencoding/csv %q %v %v\ncsvgrid      %q %v %v", lazy, s, wr, wl, werr, gr, gl, gerr)
		}
		var we, ge *csv.ParseError
		if errors.As(werr, &we) && (!errors.As(gerr, &ge) || *ge != *we) {
			t.Fatalf("lazy %v, %q: error %+v, encoding/csv %+v", lazy, s, ge, we)
		}
	}
}

var cases = []string{
	"", "\n", "\r\n", "a", "a\n", "a\r\n", "a\r", "a,b\nc,d", "a,,\n,", " a , b ",
	"\n\na\n\n\nb\n", "\r\n\r\na\r\n", "a\rb\n", "a\r\r\n", "\r",
	`"a","b"`, `"a""b",c`, "\"a\nb\",c\nd", "\"a\r\nb\"\r\nc", `"a"`, `""`, `"",""`,
	`a"b,c`, `"a"b,c`, `"a" ,b`, `"abc`, "\"abc\n", "\"abc\ndef", "x,\"abc\n\n", `"a""`, `a,"b`,
	"\"a\n\nb\"", "\"a\r\"", "\"a\"\r", "\"a\"\rb\n", "h1,h2\n\"Violent\ncrime\",\"1,575.1\"\n", "a,\"b\"\"\",\"\"\"c\"",
	"\"a\n\"b\"", "\"\"\"\"", "a\n\"\"x", "\"x\"\"y\nz\"\"\"\n",
}

// samePrefixes fails when ReadPrefix reads s otherwise than Read: other
// first cells, counts, lines or errors.
func samePrefixes(t *testing.T, s string) {
	t.Helper()
	for _, lazy := range []bool{false, true} {
		full, fullLines, fullErr := ourRecords(s, lazy)
		for n := range 4 {
			r := NewReader(s)
			r.Lazy = lazy
			for i := 0; ; i++ {
				rec, total, err := r.ReadPrefix(n)
				if i == len(full) {
					if fmt.Sprint(err) != fmt.Sprint(fullErr) && !(err == io.EOF && fullErr == nil) {
						t.Fatalf("lazy %v n %d %q: record %d: error %v, Read: %v", lazy, n, s, i+1, err, fullErr)
					}
					break
				}
				if err != nil || total != len(full[i]) || !slices.Equal(rec, full[i][:min(n, total)]) || r.Line() != fullLines[i] {
					t.Fatalf("lazy %v n %d %q: record %d: %q of %d, line %d, %v; Read: %q, line %d", lazy, n, s, i+1, rec, total, r.Line(), err, full[i], fullLines[i])
				}
			}
		}
	}
}

func TestSameAsEncodingCSV(t *testing.T) {
	for _, s := range cases {
		sameAsStd(t, s)
		samePrefixes(t, s)
	}
}

func FuzzSameAsEncodingCSV(f *testing.F) {
	for _, s := range cases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sameAsStd(t, s)
		samePrefixes(t, s)
	})
}

// TestSameOnFixtures reads the repository's CSV fixtures both ways.
func TestSameOnFixtures(t *testing.T) {
	paths, err := filepath.Glob("../../*/testdata/*/*.csv")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../../*/testdata/*.csv")
	paths = append(paths, more...)
	if len(paths) < 10 {
		t.Fatalf("only %d fixtures found", len(paths))
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sameAsStd(t, string(b))
	}
}

func TestReadAll(t *testing.T) {
	rows, lines, lenient, err := ReadAll("h\n\"a\nb\",c\nd\"e,f\n")
	if err != nil || lenient == nil || lenient.Line != 4 || lenient.Column != 2 {
		t.Fatalf("lenient %+v, err %v", lenient, err)
	}
	if want := [][]string{{"h"}, {"a\nb", "c"}, {`d"e`, "f"}}; !reflect.DeepEqual(rows, want) || !reflect.DeepEqual(lines, []int{1, 2, 4}) {
		t.Errorf("rows %q lines %v", rows, lines)
	}
	if _, _, _, err := ReadAll("a,\"b\nc"); err == nil || !errors.Is(err, csv.ErrQuote) {
		t.Errorf("a quoted cell left open: %v", err)
	}
}

// TestSameOnRealFiles reads every CSV file of ../shared/data both ways.
func TestSameOnRealFiles(t *testing.T) {
	dir := datadir.ForTest(t)
	n := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".csv" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sameAsStd(t, string(b))
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files read alike", n)
}

// BenchmarkReadS0201 reads the largest file at hand, the 2017 S0201 API
// response (1,221 short cells a row), with csvgrid and with encoding/csv.
func BenchmarkReadS0201(b *testing.B) {
	data, err := os.ReadFile(datadir.File(b, "acs/ncnw_national/raw/acs-acs1-spp-2017-GROUP_S0201_DATA.csv"))
	if err != nil {
		b.Fatal(err)
	}
	s := string(data)
	b.Run("csvgrid", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		b.ReportAllocs()
		for b.Loop() {
			r := NewReader(s)
			for {
				if _, err := r.Read(); err == io.EOF {
					break
				}
			}
		}
	})
	b.Run("encoding_csv", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		b.ReportAllocs()
		for b.Loop() {
			r := csv.NewReader(strings.NewReader(s))
			r.FieldsPerRecord, r.ReuseRecord = -1, true
			for {
				if _, err := r.Read(); err == io.EOF {
					break
				}
			}
		}
	})
}

// OddSpace is exactly "normalizing the spaces would change the text".
func TestOddSpace(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"", false},
		{"Salt Lake City, UT", false},
		{" leading", true},
		{"trailing ", true},
		{"two  blanks", true},
		{"line\nbreak", true},
		{"a\ttab", true},
		{"no-break\u00a0space", true},
		{" ", true},
	} {
		if got := OddSpace(tc.s); got != tc.want {
			t.Errorf("OddSpace(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

func FuzzOddSpace(f *testing.F) {
	for _, s := range []string{"a b", " a", "a  b", "a\u2003b", "\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := OddSpace(s), strings.Join(strings.Fields(s), " ") != s; got != want {
			t.Errorf("OddSpace(%q) = %v, want %v", s, got, want)
		}
	})
}
