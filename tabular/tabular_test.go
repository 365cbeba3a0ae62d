package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Every value below is SYNTHETIC, made up to exercise the renderers.
var goldenCases = []struct {
	name string
	r    Result
}{
	{"types", Result{
		Columns: []string{"name", "n", "x", "ok", "dec", "big", "list"},
		Types:   []string{"VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "DECIMAL(9,2)", "UBIGINT", "INTEGER[]"},
		Rows: [][]any{
			{"alpha", int64(1), 0.5, true, json.Number("12.50"), uint64(math.MaxUint64), json.RawMessage(`[1,2]`)},
			{"beta", int64(-42), 1234567.125, false, json.Number("-0.01"), uint64(0), json.RawMessage(`[]`)},
			{nil, nil, nil, nil, nil, nil, nil},
			{"", int64(0), 1e21, true, json.Number("0"), uint64(7), json.RawMessage(`null`)},
			{"tiny", int64(math.MinInt64), 1e-7, false, json.Number("1"), uint64(1), json.RawMessage(`{"a":"b"}`)},
			{"specials", int64(9), math.NaN(), true, json.Number("2"), uint64(2), json.RawMessage(`[null]`)},
			{"inf", int64(10), math.Inf(1), true, json.Number("3"), uint64(3), json.RawMessage(`[]`)},
			{"-inf", int64(11), math.Inf(-1), true, json.Number("4"), uint64(4), json.RawMessage(`[]`)},
		},
	}},
	{"unicode", Result{
		Columns: []string{"città", "名前", "emoji"},
		Rows: [][]any{
			{"São Paulo", "東京都", "🌎"},
			{"Zürich", "서울", "👍🏽"},
			{"e\u0301", "", nil},
		},
	}},
	{"wide", Result{
		Columns: []string{"id", "note"},
		Rows: [][]any{
			{int64(1), strings.Repeat("wide value ", 12)},
			{int64(22222222222), "short"},
		},
	}},
	{"quoting", Result{
		Columns: []string{"plain", "comma,col", `quote"col`},
		Rows: [][]any{
			{"a,b", `say "hi"`, "line1\nline2"},
			{"tab\there", "cr\r\nlf", " padded "},
			{"", nil, "<&>"},
			{"\x01ctl\x7f", "bell\a", `back\slash`},
		},
	}},
	{"empty", Result{Columns: []string{"a", "b"}}},
	{"single", Result{Columns: []string{"only"}, Rows: [][]any{{int64(1)}}}},
}

func TestWriteGolden(t *testing.T) {
	for _, tc := range goldenCases {
		for _, format := range Formats {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				var b bytes.Buffer
				if err := tc.r.Write(&b, format); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", tc.name+"."+format+".golden")
				if *update {
					if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(b.Bytes(), want) {
					t.Errorf("output differs from %s (rerun with -update after checking):\ngot:\n%s\nwant:\n%s", path, b.Bytes(), want)
				}
			})
		}
	}
}

// The CSV and JSON outputs of the golden cases must read back as what went
// in, through the standard decoders other tools resemble.
func TestWriteReadsBack(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			checkCSV(t, &tc.r)
			checkJSON(t, &tc.r)
		})
	}
}

func checkCSV(t *testing.T, r *Result) {
	t.Helper()
	var b bytes.Buffer
	if err := r.Write(&b, "csv"); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(&b)
	cr.FieldsPerRecord = len(r.Columns)
	records, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("csv does not parse: %v\n%s", err, b.String())
	}
	if len(records) != len(r.Rows)+1 {
		t.Fatalf("csv has %d records, want header + %d", len(records), len(r.Rows))
	}
	for j, c := range r.Columns {
		if got, want := records[0][j], csvRead(c); got != want {
			t.Errorf("csv header %d = %q, want %q", j, got, want)
		}
	}
	for i, row := range r.Rows {
		for j, v := range row {
			want := ""
			if v != nil {
				want, _ = text(v)
			}
			if got, want := records[i+1][j], csvRead(want); got != want {
				t.Errorf("csv row %d column %d = %q, want %q", i, j, got, want)
			}
		}
	}
}

func checkJSON(t *testing.T, r *Result) {
	t.Helper()
	var b bytes.Buffer
	if err := r.Write(&b, "json"); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&b)
	sc.Buffer(nil, 1<<20)
	i := 0
	for ; sc.Scan(); i++ {
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			t.Fatalf("json line %d does not parse: %v: %s", i, err, sc.Text())
		}
		for j, c := range r.Columns {
			got, ok := obj[c]
			if !ok {
				t.Fatalf("json line %d lacks key %q", i, c)
			}
			if want := jsonWant(r.Rows[i][j]); !reflect.DeepEqual(got, want) {
				t.Errorf("json line %d key %q = %#v, want %#v", i, c, got, want)
			}
		}
	}
	if i != len(r.Rows) {
		t.Errorf("json has %d lines, want %d", i, len(r.Rows))
	}
}

// csvRead is what encoding/csv returns for s: it turns a quoted CRLF into
// LF (other readers keep it).
func csvRead(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// jsonWant is what a cell decodes to from JSON with UseNumber.
func jsonWant(v any) any {
	switch v := v.(type) {
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
	case json.RawMessage:
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.UseNumber()
		var x any
		if err := dec.Decode(&x); err != nil {
			panic(err)
		}
		return x
	case string:
		return strings.ToValidUTF8(v, "\uFFFD")
	case bool, nil:
		return v
	}
	s, _ := text(v)
	return json.Number(s)
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name   string
		r      Result
		format string
		want   string
	}{
		{"unknown format", Result{Columns: []string{"a"}}, "xml", `unknown format "xml"`},
		{"short row", Result{Columns: []string{"a", "b"}, Rows: [][]any{{int64(1)}}}, "csv", "row 0 has 1 cells for 2 columns"},
		{"int type", Result{Columns: []string{"a"}, Rows: [][]any{{1}}}, "json", `row 0 column "a": unsupported cell type int`},
		{"bad raw", Result{Columns: []string{"a"}, Rows: [][]any{{json.RawMessage(`{`)}}}, "table", "invalid JSON value"},
		{"bad number", Result{Columns: []string{"a"}, Rows: [][]any{{json.Number("true")}}}, "json", "is not a number"},
		{"empty number", Result{Columns: []string{"a"}, Rows: [][]any{{json.Number("")}}}, "json", "is not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := tt.r.Write(&b, tt.format)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if b.Len() != 0 {
				t.Errorf("wrote %q before failing", b.String())
			}
		})
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a\nb\tc\rd", `a\nb\tc\rd`},
		{"\x00\x1f\x7f", `\x00\x1f\x7f`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"\uFFFD is valid", "\uFFFD is valid"},
		{"東京", "東京"},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "-0"},
		{0.1, "0.1"},
		{1e-6, "0.000001"},
		{9.99e-7, "9.99e-07"},
		{123456789012345680000, "123456789012345680000"},
		{1e21, "1e+21"},
		{-2.5, "-2.5"},
		{1.0 / 3, "0.3333333333333333"},
	}
	for _, tt := range tests {
		if got := formatFloat(tt.in); got != tt.want {
			t.Errorf("formatFloat(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzWrite checks that any text survives CSV and JSON and never breaks a
// table row across lines.
func FuzzWrite(f *testing.F) {
	f.Add("plain", "a,b", int64(1), 0.5)
	f.Add("quote\"d", "new\nline", int64(-1), math.Inf(1))
	f.Add("", "\r\n", int64(0), math.NaN())
	f.Add("\xff", "東京", int64(math.MaxInt64), 1e-300)
	f.Fuzz(func(t *testing.T, a, b string, n int64, x float64) {
		r := &Result{
			Columns: []string{a, b, "n", "x"},
			Rows:    [][]any{{a, b, n, x}, {nil, a, nil, nil}, {b, nil, n, x}},
		}
		// Invalid UTF-8 becomes U+FFFD in JSON, and CSV and JSON cannot tell
		// apart columns of the same name: those cases are left to the table check.
		if utf8.ValidString(a) && utf8.ValidString(b) && a != b && a != "n" && a != "x" && b != "n" && b != "x" {
			checkCSV(t, r)
			checkJSON(t, r)
		}
		var out bytes.Buffer
		if err := r.Write(&out, "table"); err != nil {
			t.Fatal(err)
		}
		if lines := strings.Count(out.String(), "\n"); lines != len(r.Rows)+3 {
			t.Fatalf("table has %d lines, want %d:\n%s", lines, len(r.Rows)+3, out.String())
		}
	})
}

// A Writer passes csv and json rows on as they come, and a table holds
// back only TablePrefix rows: the rows after them reach w before Close.
func TestWriterStreams(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var out bytes.Buffer
			w, err := NewWriter(&out, format, []string{"n", "s"})
			if err != nil {
				t.Fatal(err)
			}
			rows := TablePrefix + 5000
			for i := range rows {
				if err := w.Write([]any{int64(i), "x"}); err != nil {
					t.Fatal(err)
				}
			}
			// bufio holds back at most its buffer; the rest must be out.
			if out.Len() < rows*3-4096 {
				t.Fatalf("only %d bytes written before Close for %d rows", out.Len(), rows)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if format == "table" && !strings.HasSuffix(out.String(), fmt.Sprintf("(%d rows)\n", rows)) {
				t.Errorf("table does not end with the row count: %q", out.String()[out.Len()-40:])
			}
		})
	}
}

// Past TablePrefix rows the widths are fixed: a wider value pushes the rest
// of its row right, and a text value in a numeric column keeps the column
// right-aligned.
func TestWriterTableAfterPrefix(t *testing.T) {
	var out bytes.Buffer
	w, err := NewWriter(&out, "table", []string{"n", "s"})
	if err != nil {
		t.Fatal(err)
	}
	for range TablePrefix {
		if err := w.Write([]any{int64(1), "ab"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, row := range [][]any{{int64(12345), "wider"}, {"txt", nil}} {
		if err := w.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	if got, want := lines[0], "n  s"; got != want {
		t.Errorf("header %q, want %q", got, want)
	}
	if got, want := lines[2], "1  ab"; got != want {
		t.Errorf("first row %q, want %q", got, want)
	}
	if got, want := lines[2+TablePrefix], "12345  wider"; got != want {
		t.Errorf("wide row %q, want %q", got, want)
	}
	if got, want := lines[3+TablePrefix], "txt  NULL"; got != want {
		t.Errorf("text in a numeric column %q, want %q", got, want)
	}
	if got, want := lines[4+TablePrefix], fmt.Sprintf("(%d rows)", TablePrefix+2); got != want {
		t.Errorf("footer %q, want %q", got, want)
	}
}

func TestWriterErrors(t *testing.T) {
	if _, err := NewWriter(io.Discard, "xml", []string{"a"}); err == nil || !strings.Contains(err.Error(), `unknown format "xml"`) {
		t.Errorf("NewWriter(xml): err = %v", err)
	}
	w, err := NewWriter(io.Discard, "csv", []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]any{int64(1)}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]any{1}); err == nil || !strings.Contains(err.Error(), `row 1 column "a": unsupported cell type int`) {
		t.Errorf("err = %v, want the row number and the cell type", err)
	}
}
