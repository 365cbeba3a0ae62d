package census

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/assaylab/assay/internal/datadir"
)

// BenchmarkReadS0201All reads every raw S0201 file 2009-2018 with the
// legend beside it, every variable of every population group.
func BenchmarkReadS0201All(b *testing.B) {
	dir := filepath.Dir(datadir.File(b, "acs/ncnw_national/raw/acs-acs1-spp-2012-GROUP_S0201_DATA.csv"))
	b.ReportAllocs()
	for b.Loop() {
		for y := 2009; y <= 2018; y++ {
			if _, err := ReadFile(filepath.Join(dir, fmt.Sprintf("acs-acs1-spp-%d-GROUP_S0201_DATA.csv", y)), Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkReadCountyNativity(b *testing.B) {
	var paths []string
	for _, y := range []string{"2012", "2017"} {
		paths = append(paths, datadir.File(b, "acs/county_foreignborn/acs5_"+y+"_foreignborn_counties.csv"))
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paths {
			if _, _, err := ReadCountyNativity(p, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkReadVariableMap(b *testing.B) {
	data, err := os.ReadFile(datadir.File(b, "acs/b05006_variable_map_by_year.csv"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadVariableMap(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNationalOrigins reads the national records of every raw S0201
// file 2009-2018 as ingest does: the three variables they need.
func BenchmarkNationalOrigins(b *testing.B) {
	dir := filepath.Dir(datadir.File(b, "acs/ncnw_national/raw/acs-acs1-spp-2012-GROUP_S0201_DATA.csv"))
	b.ReportAllocs()
	for b.Loop() {
		for y := 2009; y <= 2018; y++ {
			res, err := ReadFile(filepath.Join(dir, fmt.Sprintf("acs-acs1-spp-%d-GROUP_S0201_DATA.csv", y)), Options{Select: NationalLabels()})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := NationalOrigins(res); err != nil {
				b.Fatal(err)
			}
		}
	}
}
