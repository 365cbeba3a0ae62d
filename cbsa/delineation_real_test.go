package cbsa

import (
	"encoding/csv"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay"

	"github.com/assaylab/assay/internal/csvgrid"
	"github.com/assaylab/assay/internal/datadir"
)

// The expected counts are the ones geo/PROVENANCE.md states for each file.
var realDelineations = []struct {
	vintage            string
	xls, csv           string
	rows, cbsas, metro int
	puertoRico         int // county-equivalent rows
	skippedXLS         int // title, header and note rows of the .xls
}{
	{"2013-02", "geo/list1_2013_Feb.xls", "geo/cbsa_delineation_2013_Feb.csv", 1882, 929, 388, 74, 6},
	{"2020-03", "geo/list1_2020_Mar.xls", "geo/cbsa_delineation_2020_Mar.csv", 1916, 939, 392, 75, 5},
}

func TestReadDelineationReal(t *testing.T) {
	for _, tt := range realDelineations {
		t.Run(tt.vintage, func(t *testing.T) {
			fromXLS := readReal(t, tt.xls)
			fromCSV := readReal(t, tt.csv)
			for _, r := range []*Result{fromXLS, fromCSV} {
				d := r.Delineation
				if d.Vintage != tt.vintage {
					t.Errorf("%s: vintage %q, want %q", d.Source, d.Vintage, tt.vintage)
				}
				if r.RowsLoaded != tt.rows {
					t.Errorf("%s: %d county rows, want %d", d.Source, r.RowsLoaded, tt.rows)
				}
				metro, pr := 0, 0
				for _, c := range d.CBSAs {
					if c.Metro {
						metro++
					}
					for _, k := range c.Counties {
						if k.State == "Puerto Rico" {
							pr++
						}
					}
				}
				if len(d.CBSAs) != tt.cbsas || metro != tt.metro || pr != tt.puertoRico {
					t.Errorf("%s: %d CBSAs (%d metro), %d Puerto Rico rows; want %d (%d), %d",
						d.Source, len(d.CBSAs), metro, pr, tt.cbsas, tt.metro, tt.puertoRico)
				}
			}
			if fromXLS.RowsSkipped != tt.skippedXLS {
				t.Errorf("xls: %d rows skipped, want %d: %+v", fromXLS.RowsSkipped, tt.skippedXLS, fromXLS.Audit)
			}
			if fromCSV.RowsSkipped != 1 || fromCSV.Audit[0].Reason != "header" {
				t.Errorf("csv: skipped %d rows (%+v), want the header alone", fromCSV.RowsSkipped, fromCSV.Audit)
			}
			a, b := *fromXLS.Delineation, *fromCSV.Delineation
			a.Source, b.Source = "", ""
			if !reflect.DeepEqual(a, b) {
				t.Errorf("the .xls and the CSV of %s differ", tt.vintage)
			}
		})
	}
}

func readReal(t *testing.T, rel string) *Result {
	t.Helper()
	r, err := ReadDelineation(datadir.File(t, rel), Options{Source: rel})
	if err != nil {
		t.Fatal(err)
	}
	if r.RowsRead != r.RowsLoaded+r.RowsSkipped || len(r.Audit) < r.RowsSkipped {
		t.Errorf("%s: read %d, loaded %d, skipped %d, %d audit entries", rel, r.RowsRead, r.RowsLoaded, r.RowsSkipped, len(r.Audit))
	}
	return r
}

func TestDivisionsReal(t *testing.T) {
	r := readReal(t, "geo/list1_2013_Feb.xls")
	divided, divisions := 0, 0
	for _, c := range r.Delineation.CBSAs {
		if len(c.Divisions) == 0 {
			continue
		}
		divided++
		divisions += len(c.Divisions)
		for _, k := range c.Counties {
			if _, ok := c.Divisions[k.Division]; !ok {
				t.Errorf("%s county %s: division %q is not one of %v", c.Code, k.FIPS, k.Division, slices.Sorted(maps.Keys(c.Divisions)))
			}
		}
	}
	if divided != 11 || divisions != 31 {
		t.Errorf("%d divided CBSAs with %d divisions, want 11 and 31", divided, divisions)
	}
	la, _ := r.Delineation.Lookup("31080")
	want := map[string]string{"11244": "Anaheim-Santa Ana-Irvine, CA", "31084": "Los Angeles-Long Beach-Glendale, CA"}
	if !reflect.DeepEqual(la.Divisions, want) {
		t.Errorf("31080 divisions %v, want %v", la.Divisions, want)
	}
}

// TestCrosswalkAgreesReal checks the 2013 county membership against the BLS
// QCEW county-MSA crosswalk, built independently on the same delineation.
// BLS writes "C" and the first four digits of the CBSA code, and leaves out
// Kalawao County, Hawaii (15005), the one county of the delineation it lacks.
func TestCrosswalkAgreesReal(t *testing.T) {
	d := readReal(t, "geo/cbsa_delineation_2013_Feb.csv").Delineation
	raw, err := os.ReadFile(datadir.File(t, "geo/qcew_county_msa_csa_crosswalk.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(csvgrid.Latin1(string(raw)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	bls := map[string]string{} // county FIPS -> BLS MSA code
	for _, r := range recs[1:] {
		if r[2] != "" {
			bls[r[0]] = r[2]
		}
	}
	idx := d.CountyIndex()
	var missing []string
	for fips, code := range idx {
		got, ok := bls[fips]
		switch {
		case !ok:
			missing = append(missing, fips)
		case got != "C"+code[:4]:
			t.Errorf("county %s: BLS %s, delineation %s", fips, got, code)
		}
	}
	if !reflect.DeepEqual(missing, []string{"15005"}) {
		t.Errorf("counties missing from the crosswalk: %v, want [15005]", missing)
	}
	if len(bls) != len(idx)-1 {
		t.Errorf("crosswalk has %d counties in an MSA, delineation %d", len(bls), len(idx))
	}
}

// TestAliasesReal checks every alias against the delineation of its
// vintage: the code exists, as a CBSA for an MSA name and as a division for
// an M.D. name; and the alias is needed, that is the rules without the
// alias table do not already reach the same outcome (nor, for a name said
// to have no counterpart, match it by title).
func TestAliasesReal(t *testing.T) {
	for _, tt := range realDelineations {
		t.Run(tt.vintage, func(t *testing.T) {
			d := readReal(t, tt.csv).Delineation
			bare := NewMatcher(d)
			bare.aliases = aliasesFor("none")
			divisions := map[string]bool{}
			for _, c := range d.CBSAs {
				for code := range c.Divisions {
					divisions[code] = true
				}
			}
			for _, a := range aliasTable {
				if a.vintage != d.Vintage {
					continue
				}
				if a.code != "" {
					_, isCBSA := d.Lookup(a.code)
					if a.kind == assay.KindMSA && !isCBSA || a.kind == assay.KindMD && !divisions[a.code] {
						t.Errorf("line %d: %s %s is not in %s", a.line, a.kind, a.code, d.Vintage)
					}
				}
				got := bare.Match(a.name, a.kind)
				switch {
				case a.code != "" && got.Code == a.code:
					t.Errorf("line %d: %q is not needed, %s already finds %s", a.line, a.name, got.Method, got.Code)
				case a.code == "" && (got.Method == assay.MatchExact || got.Method == assay.MatchNormalized || got.Method == assay.MatchReordered):
					t.Errorf("line %d: %q has a counterpart after all: %s %q", a.line, a.name, got.Code, got.Title)
				}
			}
		})
	}
}

// TestMetros2013AgreesReal checks the excerpt the matcher tests use
// against the February 2013 file.
func TestMetros2013AgreesReal(t *testing.T) {
	d := readReal(t, "geo/cbsa_delineation_2013_Feb.csv").Delineation
	for _, want := range metros2013 {
		got, ok := d.Lookup(want.Code)
		if !ok || got.Title != want.Title || got.Metro != want.Metro || !reflect.DeepEqual(got.Divisions, want.Divisions) {
			t.Errorf("%s: excerpt %q %v %v, file %+v", want.Code, want.Title, want.Metro, want.Divisions, got)
		}
	}
}

func BenchmarkMatchReal(b *testing.B) {
	r, err := ReadDelineation(datadir.File(b, "geo/cbsa_delineation_2013_Feb.csv"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	m := NewMatcher(r.Delineation)
	names := []string{"Abilene, TX", "Nashville-Davidson–Murfreesboro–Franklin, TN", "Houston-Sugar Land-Baytown, TX", "Gotham, NY"}
	for b.Loop() {
		for _, n := range names {
			m.Match(n, assay.KindMSA)
		}
	}
}
