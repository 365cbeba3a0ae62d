package xlsgrid

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// ReadXLSX reads the first worksheet of an .xlsx workbook.
func ReadXLSX(b []byte) (g [][]string, err error) {
	// excelize parses untrusted XML and ZIP data: a panic in it is a
	// damaged file, not a crash.
	defer func() {
		if r := recover(); r != nil {
			g, err = nil, fmt.Errorf("damaged .xlsx: %v", r)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("damaged .xlsx (file cut short?): %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("workbook has no worksheet")
	}
	sheet := sheets[0]
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", sheet, err)
	}
	for i, row := range rows {
		for j, v := range row {
			// Writers store doubles with up to 17 digits ("34.799999999999997");
			// show them as the .xls reader does. Text that merely looks
			// numeric ("01001") is left alone. Asking a cell's type makes
			// excelize parse the whole sheet once, so only cells whose text
			// would change are asked.
			x, perr := strconv.ParseFloat(v, 64)
			if perr != nil || formatNumber(x) == v {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				return nil, err
			}
			t, err := f.GetCellType(sheet, cell)
			if err != nil {
				return nil, fmt.Errorf("sheet %q cell %s: %w", sheet, cell, err)
			}
			if t == excelize.CellTypeUnset || t == excelize.CellTypeNumber {
				row[j] = formatNumber(x)
			}
		}
		rows[i] = trimRow(row)
	}
	for len(rows) > 0 && len(rows[len(rows)-1]) == 0 {
		rows = rows[:len(rows)-1]
	}
	return rows, nil
}

func trimRow(r []string) []string {
	for len(r) > 0 && r[len(r)-1] == "" {
		r = r[:len(r)-1]
	}
	return r
}
