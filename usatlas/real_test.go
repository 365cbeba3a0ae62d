package usatlas

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/cbsa"
	"github.com/assaylab/assay/internal/datadir"
)

func readReal(t testing.TB, name string, opt Options) []assay.Outline {
	t.Helper()
	out, err := ReadFile(datadir.File(t, "geo/us_atlas/"+name), opt)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func byKind(outlines []assay.Outline) map[assay.OutlineKind][]assay.Outline {
	m := map[assay.OutlineKind][]assay.Outline{}
	for _, o := range outlines {
		m[o.Kind] = append(m[o.Kind], o)
	}
	return m
}

func TestCountiesReal(t *testing.T) {
	all := readReal(t, "counties-albers-10m.json", Default)
	kinds := byKind(all)
	// us-atlas 3.0.1: the 50 states and DC, no territories; 2017 counties.
	for kind, want := range map[assay.OutlineKind]int{assay.OutlineNation: 1, assay.OutlineState: 51, assay.OutlineCounty: 3142} {
		if got := len(kinds[kind]); got != want {
			t.Errorf("%d %s outlines, want %d", got, kind, want)
		}
	}
	states := map[string]bool{}
	for _, s := range kinds[assay.OutlineState] {
		if len(s.ID) != 2 || s.Name == "" || s.Path == "" {
			t.Errorf("state %+.60v: want a 2-digit id, a name and a path", s)
		}
		states[s.ID] = true
	}
	ids := map[string]bool{}
	for _, c := range kinds[assay.OutlineCounty] {
		if len(c.ID) != 5 || c.Name == "" || c.Path == "" || !states[c.ID[:2]] {
			t.Errorf("county %+.60v: want a 5-digit id in a known state, a name and a path", c)
		}
		if ids[c.ID] {
			t.Errorf("county %s twice", c.ID)
		}
		ids[c.ID] = true
	}
	size := map[assay.OutlineKind]int{}
	total := 0
	for _, o := range all {
		size[o.Kind] += len(o.Path)
		total += len(o.Path)
	}
	t.Logf("path bytes with %+v: nation %d, states %d, counties %d, total %d", Default, size[assay.OutlineNation], size[assay.OutlineState], size[assay.OutlineCounty], total)
	// The snapshot carries these paths; they must stay small beside it.
	if total > 350_000 {
		t.Errorf("paths take %d bytes, over the 350,000 budget", total)
	}
}

// TestDelineationCountiesReal checks that a map of the 2013 metro areas can
// colour every member county. The exceptions are known: us-atlas has no
// Puerto Rico, and its counties are those of 2017, after Bedford city, VA
// (51515) merged into Bedford County (51019) in 2013.
func TestDelineationCountiesReal(t *testing.T) {
	res, err := cbsa.ReadDelineation(datadir.File(t, "geo/cbsa_delineation_2013_Feb.csv"), cbsa.Options{})
	if err != nil {
		t.Fatal(err)
	}
	shapes := map[string]bool{}
	for _, o := range readReal(t, "counties-albers-10m.json", Default) {
		if o.Kind == assay.OutlineCounty {
			shapes[o.ID] = true
		}
	}
	var missing, puertoRico []string
	for _, fips := range slices.Sorted(maps.Keys(res.Delineation.CountyIndex())) {
		switch {
		case shapes[fips]:
		case strings.HasPrefix(fips, "72"):
			puertoRico = append(puertoRico, fips)
		default:
			missing = append(missing, fips)
		}
	}
	if !slices.Equal(missing, []string{"51515"}) {
		t.Errorf("delineation counties with no outline, outside Puerto Rico: %v, want [51515]", missing)
	}
	t.Logf("%d delineation counties; without an outline: %d in Puerto Rico, and %v", len(res.Delineation.CountyIndex()), len(puertoRico), missing)
	if len(puertoRico) == 0 {
		t.Error("no Puerto Rico counties in the 2013 delineation: the test no longer checks what it says")
	}
}

// TestLayersNestReal checks that, read from the counties file, every
// vertex of a state outline is a vertex of one of its counties and every
// vertex of the nation one of a state: the layers share their simplified
// arcs, so state lines sit exactly on county borders. (The separate states
// and nation files do not: they were simplified on their own, and their
// vertices differ, which is why the snapshot reads the counties file only.)
func TestLayersNestReal(t *testing.T) {
	kinds := byKind(readReal(t, "counties-albers-10m.json", Default))
	within := func(inner []assay.Outline, prefix func(id string) string) map[string]map[[2]int]bool {
		m := map[string]map[[2]int]bool{}
		for _, o := range inner {
			p := prefix(o.ID)
			if m[p] == nil {
				m[p] = map[[2]int]bool{}
			}
			for _, v := range vertices(t, o.Path) {
				m[p][v] = true
			}
		}
		return m
	}
	countyVertices := within(kinds[assay.OutlineCounty], func(id string) string { return id[:2] })
	for _, s := range kinds[assay.OutlineState] {
		for _, v := range vertices(t, s.Path) {
			if !countyVertices[s.ID][v] {
				t.Errorf("state %s: vertex %v is on none of its counties", s.ID, v)
				break
			}
		}
	}
	stateVertices := within(kinds[assay.OutlineState], func(string) string { return "" })[""]
	for _, v := range vertices(t, kinds[assay.OutlineNation][0].Path) {
		if !stateVertices[v] {
			t.Errorf("nation: vertex %v is on no state", v)
			break
		}
	}
}

func BenchmarkReadCountiesReal(b *testing.B) {
	path := datadir.File(b, "geo/us_atlas/counties-albers-10m.json")
	for b.Loop() {
		if _, err := ReadFile(path, Default); err != nil {
			b.Fatal(err)
		}
	}
}
