package synthetic

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/census"
	"github.com/assaylab/assay/moe"
)

// metros returns n invented CBSAs with targets drawn from a seeded normal.
func metros(n int, seed uint64) []Metro {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]Metro, n)
	for i := range out {
		out[i] = Metro{Code: fmt.Sprintf("9%04d", i), Title: fmt.Sprintf("Testville %d, ZZ", i), Target: 50 + 20*rng.NormFloat64()}
	}
	return out
}

func TestDeterministic(t *testing.T) {
	opt := Options{Seed: 7, Metros: metros(20, 1), R: 0.3}
	a, err := Generate(opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Files) != 8 || len(a.Files) != len(b.Files) {
		t.Fatalf("%d and %d files, want 8", len(a.Files), len(b.Files))
	}
	for i := range a.Files {
		if a.Files[i].Name != b.Files[i].Name || !bytes.Equal(a.Files[i].Data, b.Files[i].Data) {
			t.Errorf("file %s differs between runs with one seed", a.Files[i].Name)
		}
	}
	opt.Seed = 8
	c, err := Generate(opt)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.Files[0].Data, c.Files[0].Data) {
		t.Error("another seed made the same data")
	}
}

// read writes a set and reads it back as assay's readers would, returning
// the NTCA share change per metro.
func read(t *testing.T, set *Set) (changes map[string]float64, counts []float64) {
	t.Helper()
	dir := t.TempDir()
	if err := set.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	results, err := census.ReadDir(dir, census.Options{})
	if err != nil {
		t.Fatal(err)
	}
	groups, err := census.DefaultGroups()
	if err != nil {
		t.Fatal(err)
	}
	ntca, _ := census.FindGroup(groups, "ntca")
	byKey := map[string]*census.Result{}
	for _, r := range results {
		if !r.Synthetic() {
			t.Errorf("%s: result not marked synthetic", r.Source.Path)
		}
		if !strings.Contains(r.Source.Path, FilePrefix) {
			t.Errorf("file %s lacks the SYNTHETIC marker", r.Source.Path)
		}
		for _, g := range r.Geos {
			if !g.Synthetic || !strings.HasPrefix(g.Name, NamePrefix) {
				t.Fatalf("%s row %d: not marked synthetic: %q", r.Source.Path, g.Row, g.Name)
			}
		}
		byKey[fmt.Sprintf("%s%d", r.Table, r.Year)] = r
	}
	shares := map[int]map[string]float64{}
	for _, y := range []int{2012, 2017} {
		oc, audit, err := census.OriginCounts(byKey[fmt.Sprintf("B05006%d", y)], byKey[fmt.Sprintf("B01003%d", y)], []assay.OriginGroup{ntca})
		if err != nil {
			t.Fatal(err)
		}
		if len(audit) != 0 {
			t.Errorf("%d: audit %+v", y, audit)
		}
		shares[y] = map[string]float64{}
		for _, c := range oc {
			if !c.Synthetic {
				t.Fatalf("%s: origin count not marked synthetic", c.GeoID)
			}
			shares[y][c.GeoID] = c.Share.Value.V
			counts = append(counts, c.Count.Value.V)
			// A 1-year NTCA count's CV is realistic: a few percent for large
			// counts, tens of percent for small ones.
			if cv := moe.CV(c.Count); c.Count.Value.V >= 500 && (!cv.Valid || cv.V < 0.5 || cv.V > 40) {
				t.Errorf("%s %d: NTCA %v ± %v has CV %v", c.GeoID, y, c.Count.Value, c.Count.MOE, cv)
			}
		}
	}
	changes = map[string]float64{}
	for id, s := range shares[2017] {
		changes[id] = s - shares[2012][id]
	}
	return changes, counts
}

func pearson(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

// TestPlantedCorrelationRecovered reads the files back through the census
// readers and recovers the planted r from the share changes. With n = 1,500
// the sample r's standard deviation is about (1 − r²)/sqrt(n) ≤ 0.026; the
// tolerance is 0.08, three of them, and the seeds are fixed.
func TestPlantedCorrelationRecovered(t *testing.T) {
	ms := metros(1500, 42)
	for _, r := range []float64{0, 0.5, -0.8} {
		t.Run(fmt.Sprint(r), func(t *testing.T) {
			set, err := Generate(Options{Seed: 2019, Metros: ms, R: r})
			if err != nil {
				t.Fatal(err)
			}
			changes, counts := read(t, set)
			var x, y []float64
			for _, m := range ms {
				x = append(x, m.Target)
				y = append(y, changes[m.Code])
			}
			got := pearson(x, y)
			t.Logf("planted r = %.1f, recovered %.4f over %d metros", r, got, len(ms))
			if math.Abs(got-r) > 0.08 {
				t.Errorf("recovered r = %.3f, planted %.1f", got, r)
			}
			// The files carry the planted truth, count for count.
			for i, tr := range set.Truth {
				if counts[i] != tr.NTCA[0] {
					t.Fatalf("%s: 2012 NTCA read %v, generated %v", tr.Code, counts[i], tr.NTCA[0])
				}
			}
		})
	}
}

func TestLabelsFollowTheYear(t *testing.T) {
	set, err := Generate(Options{Seed: 1, Metros: metros(3, 1), R: 0.1, Years: [2]int{2012, 2022}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"SYNTHETIC_acs1_2012_B05006_cbsa.json": "B05006_140E", "SYNTHETIC_acs1_2022_B05006_cbsa.json": "B05006_157E"}
	for _, f := range set.Files {
		if id, ok := want[f.Name]; ok && !bytes.Contains(f.Data, []byte(id)) {
			t.Errorf("%s: El Salvador is not %s", f.Name, id)
		}
		if f.Name == "SYNTHETIC_acs1_2022_B05006_variables.json" &&
			!bytes.Contains(f.Data, []byte(`"Estimate!!Total:!!Americas:!!Latin America:!!Central America:!!El Salvador"`)) {
			t.Errorf("2022 labels are not in the 2019+ form: %s", f.Data)
		}
	}
}

func TestGenerateRejects(t *testing.T) {
	flat := []Metro{{Code: "1", Target: 3}, {Code: "2", Target: 3}, {Code: "3", Target: 3}}
	for _, tc := range []struct {
		opt  Options
		want string
	}{
		{Options{Metros: metros(5, 1), R: 1.5}, "outside"},
		{Options{Metros: metros(2, 1)}, "at least 3"},
		{Options{Metros: flat}, "do not vary"},
		{Options{Metros: metros(5, 1), Years: [2]int{2005, 2012}}, "2009-2024"},
		{Options{Metros: metros(5, 1), Product: "acs3"}, "product"},
	} {
		if _, err := Generate(tc.opt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.opt.R, err, tc.want)
		}
	}
}
