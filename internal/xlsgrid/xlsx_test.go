package xlsgrid

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"testing"

	"github.com/assaylab/assay/internal/datadir"
	"github.com/xuri/excelize/v2"
)

// readWithExcelize is the reference the .xlsx reader is held to: excelize's
// raw cell values, a stored double shown as the shortest decimal, a
// boolean as TRUE or FALSE, rows trimmed as xlsgrid trims them.
func readWithExcelize(b []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, err
	}
	for i, row := range rows {
		for j, v := range row {
			if v == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			typ, err := f.GetCellType(sheet, cell)
			if err != nil {
				return nil, err
			}
			switch typ {
			case excelize.CellTypeUnset, excelize.CellTypeNumber:
				if x, err := strconv.ParseFloat(v, 64); err == nil {
					row[j] = formatNumber(x)
				}
			case excelize.CellTypeBool:
				row[j] = map[string]string{"1": "TRUE", "0": "FALSE"}[v]
			}
		}
		rows[i] = trimRow(row)
	}
	for len(rows) > 0 && len(rows[len(rows)-1]) == 0 {
		rows = rows[:len(rows)-1]
	}
	return rows, nil
}

func sameAsExcelize(t *testing.T, what string, b []byte) {
	t.Helper()
	want, err := readWithExcelize(b)
	if err != nil {
		t.Fatalf("%s: excelize: %v", what, err)
	}
	got, err := ReadXLSX(b)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !reflect.DeepEqual(normalise(got), normalise(want)) {
		for i := range max(len(got), len(want)) {
			var g, w []string
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if !reflect.DeepEqual(normalise([][]string{g}), normalise([][]string{w})) {
				t.Fatalf("%s row %d:\ngot  %q\nwant %q", what, i+1, g, w)
			}
		}
	}
}

// TestXLSXSameAsExcelize reads workbooks excelize wrote, with every kind
// of cell, and the real 2023 Table 6, both ways.
func TestXLSXSameAsExcelize(t *testing.T) {
	sameAsExcelize(t, "xlsxBook", xlsxBook(t))
	f := excelize.NewFile()
	defer f.Close()
	cells := []any{"Violent\ncrime", "AT&T <x> \"q\"", "_x000D_ escaped", "  padded  ", true, false, 0.1 + 0.2, 1e21, -7, int64(1) << 53, "", "Bayamón ≠ 東京"}
	for i, v := range cells {
		name, _ := excelize.CoordinatesToCellName(i%5+1, i/5+2)
		if err := f.SetCellValue("Sheet1", name, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellFormula("Sheet1", "A9", "=1+1"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellRichText("Sheet1", "B9", []excelize.RichTextRun{{Text: "rich "}, {Text: "text", Font: &excelize.Font{Bold: true}}}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	sameAsExcelize(t, "every kind of cell", buf.Bytes())

	b, err := os.ReadFile(datadir.File(t, "ucr/table6_msa/ugogstetter_cidar/cius_msa_2023.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	sameAsExcelize(t, "cius_msa_2023.xlsx", b)
}

// TestXLSXDamage: a cell that refers to no shared string reads as Excel's
// broken reference, which readers audit; a reference outside the sheet's
// limits is damage.
func TestXLSXDamage(t *testing.T) {
	const sheet = `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>7</v></c><c r="B1"><v>1.5</v></c></row></sheetData></worksheet>`
	g, err := readSheetXML([]byte(sheet), []string{"only"})
	if err != nil || !reflect.DeepEqual([][]string(g), [][]string{{"#REF!", "1.5"}}) {
		t.Errorf("%q, %v", g, err)
	}
	for _, bad := range []string{`<c r="A0">`, `<c r="XFE1">`, `<c r="A1048577">`, `<c r="1A">`} {
		if _, err := readSheetXML([]byte(`<worksheet><sheetData><row>`+bad+`<v>1</v></c></row></sheetData></worksheet>`), nil); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// FuzzXLSXSameAsExcelize writes a row of fuzzed text and numbers with
// excelize and reads it both ways.
func FuzzXLSXSameAsExcelize(f *testing.F) {
	f.Add("Violent\ncrime", 0.939, "_x0041_", int64(325719178))
	f.Fuzz(func(t *testing.T, s string, x float64, u string, n int64) {
		book := excelize.NewFile()
		defer book.Close()
		for i, v := range []any{s, x, u, n} {
			name, _ := excelize.CoordinatesToCellName(i+1, 1)
			if err := book.SetCellValue("Sheet1", name, v); err != nil {
				return // excelize refuses it (too long, NaN): nothing to compare
			}
		}
		var buf bytes.Buffer
		if err := book.Write(&buf); err != nil {
			return
		}
		sameAsExcelize(t, fmt.Sprintf("%q %v %q %d", s, x, u, n), buf.Bytes())
	})
}
