package xlsgrid

import (
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/assaylab/assay/internal/csvgrid"
	"github.com/assaylab/assay/internal/datadir"
	xlsreader "github.com/shakinm/xlsReader/xls"
)

// realXLS lists the legacy workbooks at hand, relative to the data directory.
var realXLS = []string{
	"ucr/table6_msa/christopherwillett_Crime_Data/crimedat.xls",
	"ucr/national/themarshallproject_california_crime_rates/ucr_crime_in_the_us_2015_2016.xls",
	"ucr/national/themarshallproject_california_crime_rates/ucr_crime_in_the_us_2016_2017.xls",
	"geo/list1_2013_Feb.xls",
	"geo/list1_2020_Mar.xls",
}

// readWithXLSReader reads the first sheet with github.com/shakinm/xlsReader,
// normalised for its known defect: 8-bit strings come back as raw Latin-1
// bytes rather than UTF-8.
func readWithXLSReader(path string) (g [][]string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("xlsReader panicked: %v", r)
		}
	}()
	wb, err := xlsreader.OpenFile(path)
	if err != nil {
		return nil, err
	}
	sh, err := wb.GetSheet(0)
	if err != nil {
		return nil, err
	}
	for _, r := range sh.GetRows() {
		var row []string
		for _, c := range r.GetCols() {
			s := c.GetString()
			if !utf8.ValidString(s) {
				s = csvgrid.Latin1(s)
			}
			row = append(row, s)
		}
		g = append(g, trimRow(row))
	}
	for len(g) > 0 && len(g[len(g)-1]) == 0 {
		g = g[:len(g)-1]
	}
	return g, nil
}

// TestCrossCheckXLSReader compares every cell of every real .xls at hand
// with what github.com/shakinm/xlsReader reads.
func TestCrossCheckXLSReader(t *testing.T) {
	for _, rel := range realXLS {
		t.Run(rel, func(t *testing.T) {
			path := datadir.File(t, rel)
			ours, err := Read(path)
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := readWithXLSReader(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(ours) != len(theirs) {
				t.Errorf("%d rows, xlsReader %d", len(ours), len(theirs))
			}
			bad := 0
			for i := 0; i < min(len(ours), len(theirs)); i++ {
				a, b := ours[i], theirs[i]
				for j := 0; j < max(len(a), len(b)); j++ {
					var x, y string
					if j < len(a) {
						x = a[j]
					}
					if j < len(b) {
						y = b[j]
					}
					if x != y {
						if bad++; bad <= 10 {
							t.Errorf("row %d col %d: %q, xlsReader %q", i+1, j+1, x, y)
						}
					}
				}
			}
			if bad > 10 {
				t.Errorf("%d cells differ in all", bad)
			}
		})
	}
}
