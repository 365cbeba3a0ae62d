package ucr

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/assaylab/assay/internal/datadir"
)

// realNational lists the national-series files at hand.
var realNational = []string{
	"ucr/national/vincentarelbundock_Rdatasets/us_crime_rates_spec_tbl_df.csv",
	"ucr/national/themarshallproject_california_crime_rates/crime_rates_1985_2017_ucr_us_whole.csv",
	"ucr/national/themarshallproject_california_crime_rates/ucr_crimeUS_1985-2014_20181112.csv",
	"ucr/national/themarshallproject_california_crime_rates/ucr_crime_in_the_us_2015_2016.xls",
	"ucr/national/themarshallproject_california_crime_rates/ucr_crime_in_the_us_2016_2017.xls",
}

// BenchmarkReadTable6 reads the real Table 6 files of each container
// format: the 13 CSV saves, the 2016 .xls, the 2023 .xlsx.
func BenchmarkReadTable6(b *testing.B) {
	for _, format := range []string{".csv", ".xls", ".xlsx"} {
		var paths []string
		for _, tt := range realTable6 {
			if strings.HasSuffix(tt.rel, format) {
				paths = append(paths, datadir.File(b, tt.rel))
			}
		}
		b.Run(format[1:], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range paths {
					if _, err := ReadTable6(p, Options{}); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func BenchmarkReadNational(b *testing.B) {
	for _, rel := range realNational {
		p := datadir.File(b, rel)
		b.Run(filepath.Ext(rel)[1:]+"/"+strings.TrimSuffix(filepath.Base(rel), filepath.Ext(rel)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ReadNational(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkReadAgencies(b *testing.B) {
	p := datadir.File(b, agencyPanel)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadAgencies(p); err != nil {
			b.Fatal(err)
		}
	}
}
