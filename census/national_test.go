package census

import (
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/datadir"
)

// readNationalRaw reads every raw S0201 file 2009-2018 (each with the
// legend beside it).
func readNationalRaw(t *testing.T) []*Result {
	t.Helper()
	dir := filepath.Dir(datadir.File(t, "acs/ncnw_national/raw/acs-acs1-spp-2012-GROUP_S0201_DATA.csv"))
	var out []*Result
	for y := 2009; y <= 2018; y++ {
		p := filepath.Join(dir, fmt.Sprintf("acs-acs1-spp-%d-GROUP_S0201_DATA.csv", y))
		res, err := ReadFile(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Year != y || res.Table != "S0201" || res.Product != "acs1" || res.Format != FormatAPICSV {
			t.Fatalf("%s: read as %s %s %d %s", p, res.Table, res.Product, res.Year, res.Format)
		}
		if res.Source.RowsRead != res.Source.RowsLoaded+res.Source.RowsSkipped {
			t.Errorf("%d: rows read %d != loaded %d + skipped %d", y, res.Source.RowsRead, res.Source.RowsLoaded, res.Source.RowsSkipped)
		}
		out = append(out, res)
	}
	return out
}

// TestNationalSeriesProvenance checks the series against the figures in
// shared/data/acs/PROVENANCE.md.
func TestNationalSeriesProvenance(t *testing.T) {
	raw := readNationalRaw(t)
	// 2010-2012 legends repeat "...!!Male" under Native and Foreign born
	// without the parent level: such a label must not resolve at all.
	if id, ok := raw[3].Labels.Resolve("PLACE OF BIRTH, CITIZENSHIP STATUS AND YEAR OF ENTRY!!Male"); ok {
		t.Errorf("2012: an ambiguous label resolved to %s", id)
	}
	if id, ok := raw[4].Labels.Resolve("PLACE OF BIRTH, CITIZENSHIP STATUS AND YEAR OF ENTRY!!Foreign born!!Male"); !ok || id != "S0201_131" {
		t.Errorf("2013: foreign-born males resolve to %q %v", id, ok)
	}
	series, err := NationalSeries(raw)
	if err != nil {
		t.Fatal(err)
	}
	// The same records as a Dataset holds them give the same series.
	var recs []assay.NationalOrigin
	for _, res := range raw {
		r, err := NationalOrigins(res)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r...)
	}
	if fromRecs, err := NationalSeriesFrom(recs); err != nil || !reflect.DeepEqual(fromRecs, series) {
		t.Errorf("NationalSeriesFrom differs from NationalSeries (err %v)", err)
	}
	if len(series) != 10 {
		t.Fatalf("%d years, want 10", len(series))
	}
	by := map[int]assay.NationalNativity{}
	for _, s := range series {
		by[s.Year] = s
		t.Logf("%d population %v foreign-born %v±%v | FB Salvadoran %v±%v Guatemalan %v±%v Honduran %v±%v NTCA %v±%.0f",
			s.Year, s.Population.Value, s.ForeignBorn.Value, s.ForeignBorn.MOE, s.FBSalvadoran.Value, s.FBSalvadoran.MOE,
			s.FBGuatemalan.Value, s.FBGuatemalan.MOE, s.FBHonduran.Value, s.FBHonduran.MOE, s.FBNTCA.Value, s.FBNTCA.MOE.V)
	}
	tests := []struct {
		year  int
		field string
		got   assay.Estimate
		want  float64
	}{
		{2012, "population", by[2012].Population, 313914040},
		{2017, "population", by[2017].Population, 325719178},
		{2012, "foreign_born", by[2012].ForeignBorn, 40824658},
		{2017, "foreign_born", by[2017].ForeignBorn, 44525855},
		{2012, "salvadoran", by[2012].FBSalvadoran, 1192033},
		{2017, "salvadoran", by[2017].FBSalvadoran, 1319937},
		{2012, "guatemalan", by[2012].FBGuatemalan, 794367},
		{2017, "guatemalan", by[2017].FBGuatemalan, 871919},
		{2012, "honduran", by[2012].FBHonduran, 486980},
		{2017, "honduran", by[2017].FBHonduran, 586214},
		// The sums of the three lines above.
		{2012, "ntca", by[2012].FBNTCA, 1192033 + 794367 + 486980},
		{2017, "ntca", by[2017].FBNTCA, 1319937 + 871919 + 586214},
	}
	for _, tc := range tests {
		if !tc.got.Value.Valid || tc.got.Value.V != tc.want {
			t.Errorf("%d %s = %v, want %v", tc.year, tc.field, tc.got.Value, tc.want)
		}
	}
	// The total population is controlled: the API's -555555555 (and the
	// 2009 file's MOE 0 annotated "*****") are annotations, not numbers.
	for _, y := range []int{2009, 2012, 2017} {
		p := by[y].Population
		if p.MOE.Valid || p.MOEAnnotation != assay.AnnotControlled {
			t.Errorf("%d population MOE = %v %q, want null controlled", y, p.MOE, p.MOEAnnotation)
		}
	}
	// NTCA MOE by the sum rule from the extract's MOEs (2012: 30159, 27038,
	// 20546): sqrt(30159² + 27038² + 20546²) = sqrt(909,565,281 +
	// 731,053,444 + 422,138,116) = sqrt(2,062,756,841) = 45,417.7...
	if m := by[2012].FBNTCA.MOE; !m.Valid || m.V < 45417 || m.V > 45418 {
		t.Errorf("2012 NTCA MOE = %v, want 45417.7", m)
	}
}

// TestNationalOriginsMatchExtract compares every group and year of the
// derived extract with what the reader finds by label in raw/.
func TestNationalOriginsMatchExtract(t *testing.T) {
	raw := readNationalRaw(t)
	rows := csvFile(t, datadir.File(t, "acs/ncnw_national/us_acs1_s0201_origin_nativity_2009_2018.csv"))
	got := map[string]assay.NationalOrigin{}
	for _, res := range raw {
		recs, err := NationalOrigins(res)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			got[fmt.Sprintf("%d/%s", r.Year, r.PopGroup)] = r
		}
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	checked := 0
	for _, row := range rows[1:] {
		key := row[col["acs_year"]] + "/" + row[col["popgroup_code"]]
		r, ok := got[key]
		if !ok {
			t.Errorf("%s: not read from raw", key)
			continue
		}
		for _, f := range []struct {
			name string
			e    assay.Estimate
		}{{"total_pop", r.Total}, {"native", r.Native}, {"foreign_born", r.ForeignBorn}} {
			checkExtract(t, key+" "+f.name+"_E", row[col[f.name+"_E"]], f.e.Value, f.e.Annotation)
			checkExtract(t, key+" "+f.name+"_M", row[col[f.name+"_M"]], f.e.MOE, f.e.MOEAnnotation)
			checked++
		}
	}
	if checked != 120*3 {
		t.Errorf("checked %d estimates, want 360 (120 rows × 3)", checked)
	}
}

// checkExtract compares one extract cell: a number must match exactly; the
// extract keeps -555555555 (and 2009's 0 beside "*****") as numbers where
// the reader has null with the controlled annotation.
func checkExtract(t *testing.T, what, cell string, got assay.Num, annot string) {
	t.Helper()
	want, err := strconv.ParseFloat(cell, 64)
	if err != nil {
		t.Errorf("%s: extract cell %q: %v", what, cell, err)
		return
	}
	if want == -555555555 || (want == 0 && annot == assay.AnnotControlled) {
		if got.Valid || annot != assay.AnnotControlled {
			t.Errorf("%s = %v %q, want null controlled", what, got, annot)
		}
		return
	}
	if !got.Valid || got.V != want {
		t.Errorf("%s = %v (%q), extract has %v", what, got, annot, want)
	}
}

func BenchmarkReadS0201(b *testing.B) {
	p := datadir.File(b, "acs/ncnw_national/raw/acs-acs1-spp-2017-GROUP_S0201_DATA.csv")
	for b.Loop() {
		if _, err := ReadFile(p, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// nationalRecord is an invented S0201 national record (not real data).
func nationalRecord(year int, group, label string, total, fb, fbMOE float64) assay.NationalOrigin {
	return assay.NationalOrigin{Source: "SYNTHETIC_s0201.csv", Row: 2, Year: year, PopGroup: group, PopGroupLabel: label,
		Total:       assay.Estimate{Value: assay.Some(total), MOEAnnotation: assay.AnnotControlled},
		ForeignBorn: assay.Estimate{Value: assay.Some(fb), MOE: assay.Some(fbMOE)}}
}

func TestNationalSeriesFrom(t *testing.T) {
	year := func(y int) []assay.NationalOrigin {
		return []assay.NationalOrigin{
			nationalRecord(y, "001", "Total population", 1000000, 100000, 900),
			nationalRecord(y, "412", "Salvadoran (226)", 5000, 3000, 300),
			nationalRecord(y, "408", "Guatemalan (222)", 4000, 2000, 400),
			nationalRecord(y, "409", "Honduran (223)", 0, 0, 120),
			nationalRecord(y, "406", "Central American (221-230)", 9000, 5000, 500), // not in the series
		}
	}
	recs := append(year(2012), year(2011)...)
	got, err := NationalSeriesFrom(recs)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Year != 2011 || got[1].Year != 2012 {
		t.Fatalf("years %+v", got)
	}
	// 3000 + 2000 + 0, MOE sqrt(300² + 400² + 120²): the zero estimate's
	// MOE is the only zero one, so it counts.
	if n := got[1].FBNTCA; n.Value.V != 5000 || math.Abs(n.MOE.V-math.Sqrt(300*300+400*400+120*120)) > 1e-9 {
		t.Errorf("NTCA = %+v", n)
	}
	if got[1].Population.Value.V != 1000000 || got[1].ForeignBorn.Value.V != 100000 {
		t.Errorf("totals %+v", got[1])
	}

	for name, tc := range map[string]struct {
		recs []assay.NationalOrigin
		want string
	}{
		"duplicate group": {append(year(2012), nationalRecord(2012, "412", "Salvadoran", 1, 1, 1)), "already read"},
		"missing group":   {year(2012)[:3], "no 2012 population group 409"},
		"wrong label":     {append(year(2012)[:3], nationalRecord(2012, "409", "Nicaraguan", 1, 1, 1)), "want Honduran"},
	} {
		if _, err := NationalSeriesFrom(tc.recs); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", name, err, tc.want)
		}
	}
}
