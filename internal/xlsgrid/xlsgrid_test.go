package xlsgrid

import (
	"bytes"
	"encoding/binary"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/assaylab/assay/internal/xlsgrid/xlsgridtest"
	"github.com/xuri/excelize/v2"
)

type rec = xlsgridtest.Record

func u16(v int) []byte { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }
func u32(v uint32) []byte {
	return binary.LittleEndian.AppendUint32(nil, v)
}
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// rkFloat encodes v as a float RK (top 30 bits of the double), optionally
// divided by 100.
func rkFloat(v float64, div100 bool) uint32 {
	rk := uint32(math.Float64bits(v)>>32) &^ 3
	if div100 {
		rk |= 1
	}
	return rk
}

func rkInt(v int32, div100 bool) uint32 {
	rk := uint32(v<<2) | 2
	if div100 {
		rk |= 1
	}
	return rk
}

func workbook(globals, sheet []rec) []byte {
	return xlsgridtest.Container(xlsgridtest.Stream(globals, sheet))
}

func TestReadXLS(t *testing.T) {
	sst := func(strs ...string) []rec { return []rec{xlsgridtest.SST(strs...)} }
	tests := []struct {
		name string
		book []byte
		want [][]string
	}{
		{
			name: "cells of every simple kind",
			book: xlsgridtest.XLS([][]any{
				{"Title"},
				nil,
				{"Bayamón", nil, 0.939, 325719178, -7, 1575.1, "x ≠ y"},
			}),
			want: [][]string{{"Title"}, nil, {"Bayamón", "", "0.939", "325719178", "-7", "1575.1", "x ≠ y"}},
		},
		{
			name: "RK encodings",
			book: workbook(nil, []rec{
				xlsgridtest.RK(0, 0, rkInt(93, true)),
				xlsgridtest.RK(0, 1, rkInt(-5, false)),
				xlsgridtest.RK(0, 2, rkFloat(1.5, false)),
				xlsgridtest.RK(0, 3, rkFloat(125, true)),
				xlsgridtest.RK(0, 4, rkInt(536870911, false)),
			}),
			want: [][]string{{"0.93", "-5", "1.5", "1.25", "536870911"}},
		},
		{
			name: "MULRK",
			book: workbook(nil, []rec{{Type: recMulRK, Data: cat(u16(2), u16(1),
				u16(0), u32(rkInt(10, false)), u16(0), u32(rkInt(2050, true)), u16(2))}}),
			want: [][]string{nil, nil, {"", "10", "20.5"}},
		},
		{
			name: "shared string split across CONTINUE, switching from 8-bit to UTF-16",
			book: workbook([]rec{
				{Type: recSST, Data: cat(u32(2), u32(2), u16(6), []byte{0}, []byte("abc"))},
				{Type: recContinue, Data: cat([]byte{1}, []byte{'d', 0, 0x60, 0x22, 'f', 0}, u16(2), []byte{0}, []byte("ok"))},
			}, []rec{xlsgridtest.LabelSST(0, 0, 0), xlsgridtest.LabelSST(0, 1, 1)}),
			want: [][]string{{"abcd≠f", "ok"}},
		},
		{
			name: "string header at the end of a record, characters in the CONTINUE",
			book: workbook([]rec{
				{Type: recSST, Data: cat(u32(1), u32(1), u16(2), []byte{0})},
				{Type: recContinue, Data: cat([]byte{0}, []byte("hi"))},
			}, []rec{xlsgridtest.LabelSST(0, 0, 0)}),
			want: [][]string{{"hi"}},
		},
		{
			name: "rich string whose formatting runs cross into the CONTINUE",
			book: workbook([]rec{
				{Type: recSST, Data: cat(u32(2), u32(2), u16(3), []byte{0x08}, u16(2), []byte("abc"), u32(0), u16(0))},
				{Type: recContinue, Data: cat(u16(0), u16(1), []byte{0}, []byte("z"))},
			}, []rec{xlsgridtest.LabelSST(0, 0, 0), xlsgridtest.LabelSST(1, 0, 1)}),
			want: [][]string{{"abc"}, {"z"}},
		},
		{
			name: "formulas, booleans and errors show their values",
			book: workbook(sst(), []rec{
				xlsgridtest.Cell(recFormula, 0, 0, cat(binary.LittleEndian.AppendUint64(nil, math.Float64bits(2.5)), make([]byte, 8))),
				xlsgridtest.Cell(recFormula, 0, 1, cat([]byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 8))),
				{Type: recString, Data: xlsgridtest.UnicodeString("from formula")},
				xlsgridtest.Cell(recFormula, 0, 2, cat([]byte{1, 0, 1, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 8))),
				xlsgridtest.Cell(recFormula, 0, 3, cat([]byte{2, 0, 0x07, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 8))),
				xlsgridtest.Cell(recBoolErr, 0, 4, []byte{0, 0}),
				xlsgridtest.Cell(recBoolErr, 0, 5, []byte{0x2A, 1}),
			}),
			want: [][]string{{"2.5", "from formula", "TRUE", "#DIV/0!", "FALSE", "#N/A"}},
		},
		{
			name: "LABEL records and an embedded chart substream",
			book: workbook(nil, []rec{
				xlsgridtest.Cell(recLabel, 0, 0, xlsgridtest.UnicodeString("inline")),
				{Type: xlsgridtest.TypeBOF, Data: cat(u16(0x0600), u16(0x0020), make([]byte, 12))},
				xlsgridtest.Number(5, 5, 99),
				{Type: xlsgridtest.TypeEOF},
				xlsgridtest.Number(1, 0, 1),
			}),
			want: [][]string{{"inline"}, {"1"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadBytes(tt.book)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(normalise(got), normalise(tt.want)) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// normalise treats a nil row and an empty one alike.
func normalise(g [][]string) [][]string {
	out := make([][]string, len(g))
	for i, r := range g {
		out[i] = append([]string{}, r...)
	}
	return out
}

func TestReadBytesErrors(t *testing.T) {
	good := xlsgridtest.XLS([][]any{{"a", 1}, {"b", 2.5}})
	stream := xlsgridtest.Stream([]rec{xlsgridtest.SST("a")}, []rec{xlsgridtest.LabelSST(0, 0, 0)})
	biff5 := append([]byte(nil), stream...)
	binary.LittleEndian.PutUint16(biff5[4:], 0x0500)
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "not an Excel workbook"},
		{"CSV text", []byte("a,b\n1,2\n"), "not an Excel workbook"},
		{"container cut short", good[:700], "OLE2"},
		{"workbook stream cut short", xlsgridtest.Container(stream[:len(stream)-20]), "truncated"},
		{"encrypted", workbook([]rec{{Type: recFilePass, Data: make([]byte, 6)}}, nil), "encrypted"},
		{"BIFF5", xlsgridtest.Container(biff5), "BIFF version 0x0500"},
		{"SST shorter than announced", workbook([]rec{{Type: recSST, Data: cat(u32(2), u32(2), u16(1), []byte{0}, []byte("a"))}}, nil), "SST string 2 of 2"},
		{"column beyond BIFF8", workbook(nil, []rec{xlsgridtest.Number(0, 300, 1)}), "column 300"},
		{"xlsx that is not one", append([]byte("PK\x03\x04"), make([]byte, 40)...), "damaged .xlsx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := ReadBytes(tt.b)
			if err == nil {
				t.Fatalf("no error; read %q", g)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

// xlsxBook writes an .xlsx with excelize: numbers stored as doubles, text
// that looks numeric, and a second sheet that must be ignored.
func xlsxBook(t testing.TB) []byte {
	f := excelize.NewFile()
	defer f.Close()
	set := func(sheet, cell string, v any) {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("Sheet1", "A1", "Title")
	set("Sheet1", "A3", "01001")
	// Excel writes doubles with 17 significant digits.
	for cell, raw := range map[string]string{"B3": "34.799999999999997", "C3": "0.30000000000000004"} {
		if err := f.SetCellDefault("Sheet1", cell, raw); err != nil {
			t.Fatal(err)
		}
	}
	set("Sheet1", "D3", 325719178)
	set("Sheet1", "E3", " 5,380 ")
	set("Sheet1", "F4", "merged")
	if err := f.MergeCell("Sheet1", "F4", "F5"); err != nil {
		t.Fatal(err)
	}
	set("Sheet1", "A5", "below")
	if _, err := f.NewSheet("Other"); err != nil {
		t.Fatal(err)
	}
	set("Other", "A1", "not read")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSX(t *testing.T) {
	got, err := ReadBytes(xlsxBook(t))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Title"}, {}, {"01001", "34.8", "0.30000000000000004", "325719178", " 5,380 "},
		{"", "", "", "", "", "merged"}, {"below"}}
	if !reflect.DeepEqual(normalise(got), normalise(want)) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestBrokenSharedString: a cell that refers to no shared string is one
// damaged cell, not a damaged file.
func TestBrokenSharedString(t *testing.T) {
	g, err := ReadBytes(workbook([]rec{xlsgridtest.SST("a")}, []rec{xlsgridtest.LabelSST(0, 0, 0), xlsgridtest.LabelSST(0, 1, 3)}))
	if err != nil || !reflect.DeepEqual(g, [][]string{{"a", "#REF!"}}) {
		t.Errorf("%q, %v", g, err)
	}
}

func TestSniff(t *testing.T) {
	if Sniff(xlsgridtest.XLS(nil)) != XLS || Sniff([]byte("PK\x03\x04rest")) != XLSX || Sniff([]byte("a,b")) != Unknown {
		t.Error("Sniff misreads a magic number")
	}
}

// FuzzReadBIFF feeds Workbook streams, without the OLE2 container (whose
// reader, mscfb, runs behind recover), to the BIFF8 decoder.
func FuzzReadBIFF(f *testing.F) {
	f.Add(xlsgridtest.Stream([]rec{xlsgridtest.SST("a", "Bayamón", "x ≠ y")},
		[]rec{xlsgridtest.LabelSST(0, 0, 0), xlsgridtest.RK(0, 1, rkInt(93, true)), xlsgridtest.Number(2, 2, 0.939)}))
	f.Add(xlsgridtest.Stream([]rec{
		{Type: recSST, Data: cat(u32(1), u32(1), u16(6), []byte{0}, []byte("abc"))},
		{Type: recContinue, Data: cat([]byte{1}, []byte{'d', 0, 0x60, 0x22, 'f', 0})},
	}, []rec{
		xlsgridtest.LabelSST(0, 0, 0),
		{Type: recMulRK, Data: cat(u16(2), u16(1), u16(0), u32(rkInt(10, false)), u16(0), u32(rkInt(2050, true)), u16(2))},
		xlsgridtest.Cell(recFormula, 0, 1, cat([]byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 8))),
		{Type: recString, Data: xlsgridtest.UnicodeString("s")},
	}))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := readStream(b)
		if err != nil && g != nil {
			t.Errorf("error %v with a grid", err)
		}
	})
}

// FuzzReadBytes checks that damaged containers of either format give
// errors, not panics.
func FuzzReadBytes(f *testing.F) {
	f.Add(xlsgridtest.XLS([][]any{{"a", 1}}))
	f.Add(xlsxBook(f))
	f.Add([]byte("a,b\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := ReadBytes(b)
		if err != nil && g != nil {
			t.Errorf("error %v with a grid", err)
		}
	})
}
