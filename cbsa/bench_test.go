package cbsa

import (
	"testing"

	"github.com/assaylab/assay/internal/datadir"
)

// BenchmarkReadDelineation reads the real delineations, the Census .xls
// files and their CSV conversions.
func BenchmarkReadDelineation(b *testing.B) {
	for _, format := range []string{"xls", "csv"} {
		var paths []string
		for _, d := range realDelineations {
			rel := d.xls
			if format == "csv" {
				rel = d.csv
			}
			paths = append(paths, datadir.File(b, rel))
		}
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range paths {
					if _, err := ReadDelineation(p, Options{}); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
