package usatlas

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/assaylab/assay"
)

// The fixture is hand-written: quantized positions q map to the frame as
// x = 100 + q/2, y = 200 + q/4. West and East share arc 0, which bends
// half a pixel out at (102.5, 200.5); Holey has a hole (arc 4 walked
// backwards) and a triangular island whose y of 200.25 rounds to 200.3.
// Every expected path below was worked out by hand from those positions.
func readTiny(t *testing.T, opt Options) []assay.Outline {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "tiny.topojson"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(data, "tiny.topojson", opt)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestParseTiny(t *testing.T) {
	const (
		alpha    = "M102 201l-2 0 0-1 2 0 2 0 0 1z"
		holey    = "M105 200l3 0 0 1.5-3 0zM106 200.5l1 0 0 .5-1 0zM110 200.3l1 0-.5.7z"
		holeyInt = "M105 200l3 0 0 2-3 0zM106 201l1 0-1 0zM110 200l1 0 0 1z"
		// The hole is smaller than 0.6 px: it keeps only its farthest
		// corner, a line out and back.
		holeyThin = "M105 200l3 0 0 1.5-3 0zM106 200.5l1 .5zM110 200.3l1 0-.5.7z"
	)
	outlines := func(west, east, holey, alpha string) []assay.Outline {
		return []assay.Outline{
			{Kind: assay.OutlineNation, Path: alpha + holey},
			{Kind: assay.OutlineState, ID: "01", Name: "Alpha", Path: alpha},
			{Kind: assay.OutlineState, ID: "02", Name: "Beta", Path: holey},
			{Kind: assay.OutlineCounty, ID: "01001", Name: "West", Path: west},
			{Kind: assay.OutlineCounty, ID: "01003", Name: "East", Path: east},
			{Kind: assay.OutlineCounty, ID: "02005", Name: "Holey", Path: holey},
		}
	}
	for _, tc := range []struct {
		name string
		opt  Options
		want []assay.Outline
	}{
		{"every point, one decimal", Options{Decimals: 1},
			outlines("M102 200l.5.5-.5.5-2 0 0-1z", "M102 200l2 0 0 1-2 0 .5-.5z", holey, alpha)},
		// Half a pixel is within 0.6 of the straight border, so the bend
		// goes from both neighbours at once.
		{"simplified past the bend", Options{Decimals: 1, Tolerance: 0.6},
			outlines("M102 200l0 1-2 0 0-1z", "M102 200l2 0 0 1-2 0z", holeyThin, alpha)},
		{"simplified short of the bend", Options{Decimals: 1, Tolerance: 0.4},
			outlines("M102 200l.5.5-.5.5-2 0 0-1z", "M102 200l2 0 0 1-2 0 .5-.5z", holey, alpha)},
		// Whole pixels: the bend rounds to (103, 201) and back; the hole's
		// two rows round onto one, leaving a line back and forth.
		{"whole pixels", Options{Decimals: 0},
			outlines("M102 200l1 1-1 0-2 0 0-1z", "M102 200l2 0 0 1-2 0 1 0z", holeyInt, alpha)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := readTiny(t, tc.opt)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got\n%v\nwant\n%v", got, tc.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const arcs = `"arcs": [[[0,0],[1,0],[0,1],[0,0]]]`
	for _, tc := range []struct {
		name, data string
		opt        Options
		want       string
	}{
		{"not JSON", `{"type": "Topology",`, Options{}, "f.json: unexpected end of JSON input"},
		{"not a topology", `{"type": "FeatureCollection"}`, Options{}, `type "FeatureCollection", want Topology`},
		{"decimals", `{"type": "Topology"}`, Options{Decimals: 2}, "2 decimals, want 0 or 1"},
		{"unknown object", `{"type": "Topology", "objects": {"land": {"type": "Polygon", "arcs": [[0]]}}, ` + arcs + `}`,
			Options{}, `object "land" is not a us-atlas layer`},
		{"arc out of range", `{"type": "Topology", "objects": {"states": {"type": "GeometryCollection", "geometries": [
			{"type": "Polygon", "id": "01", "arcs": [[0]]}, {"type": "Polygon", "id": "02", "arcs": [[0, -3]]}]}}, ` + arcs + `}`,
			Options{}, "object states, geometry 1: id 02: polygon 0, ring 0: arc 1 (index -3): out of range, 1 arcs"},
		{"point", `{"type": "Topology", "objects": {"counties": {"type": "GeometryCollection", "geometries": [
			{"type": "Point", "id": "01001", "coordinates": [1, 2]}]}}, ` + arcs + `}`,
			Options{}, `object counties, geometry 0: id 01001: geometry type "Point", want Polygon or MultiPolygon`},
		{"arcs that do not meet", `{"type": "Topology", "objects": {"nation": {"type": "Polygon", "arcs": [[0, 1]]}},
			"arcs": [[[0,0],[1,0]], [[2,0],[0,0]]]}`, Options{}, "arc 1 (index 1) does not start where arc 0 ended"},
		{"short arc", `{"type": "Topology", "arcs": [[[0,0]]]}`, Options{}, "arc 0: 1 positions, want at least 2"},
		{"short position", `{"type": "Topology", "arcs": [[[0,0],[1]]]}`, Options{}, "arc 0, position 1: 1 coordinates, want 2"},
		{"arcs of the wrong shape", `{"type": "Topology", "objects": {"nation": {"type": "Polygon", "arcs": [0]}}, ` + arcs + `}`,
			Options{}, "object nation, geometry 0: polygon arcs: json: cannot unmarshal"},
		{"bad id", `{"type": "Topology", "objects": {"nation": {"type": "Polygon", "id": [1], "arcs": [[0]]}}, ` + arcs + `}`,
			Options{}, "id [1]: not a string or number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.data), "f.json", tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "usatlas f.json: ") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

// TestParseUnquantized covers what the fixture does not: arcs without a
// transform (absolute positions), a numeric id, and a ring that does not
// return to its start, which the close draws shut.
func TestParseUnquantized(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       []assay.Outline
	}{
		{"numeric id", `{"type": "Topology", "objects": {"states": {"type": "GeometryCollection", "geometries": [
			{"type": "Polygon", "id": 6, "arcs": [[0]]}]}}, "arcs": [[[0,0],[1,0],[1,1],[0,0]]]}`,
			[]assay.Outline{{Kind: assay.OutlineState, ID: "6", Path: "M0 0l1 0 0 1z"}}},
		{"open ring", `{"type": "Topology", "objects": {"nation": {"type": "MultiPolygon", "arcs": [[[0]], [[-2]]]}},
			"arcs": [[[0,0],[1,0],[0,1]], [[5,5],[7,5]]]}`,
			[]assay.Outline{{Kind: assay.OutlineNation, Path: "M0 0l1 0-1 1zM7 5l-2 0z"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.data), "f.json", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSimplify(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []point
		tol  float64
		want []point
	}{
		{"two points stay", []point{{0, 0}, {5, 5}}, 10, []point{{0, 0}, {5, 5}}},
		{"collinear point goes", []point{{0, 0}, {1, 0}, {2, 0}}, 0.1, []point{{0, 0}, {2, 0}}},
		{"point beyond tolerance stays", []point{{0, 0}, {1, 0.3}, {2, 0}}, 0.25, []point{{0, 0}, {1, 0.3}, {2, 0}}},
		{"point within tolerance goes", []point{{0, 0}, {1, 0.3}, {2, 0}}, 0.5, []point{{0, 0}, {2, 0}}},
		// Past the end of the segment the distance is to its end point.
		{"overshoot measured to the end", []point{{0, 0}, {3, 0}, {2, 0}}, 0.5, []point{{0, 0}, {3, 0}, {2, 0}}},
		// A closed arc keeps its farthest point from the shared end, then
		// the farthest from each half.
		{"closed arc", []point{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, 1, []point{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}},
		{"closed sliver", []point{{0, 0}, {4, 0.1}, {8, 0}, {4, -0.1}, {0, 0}}, 1, []point{{0, 0}, {8, 0}, {0, 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := simplify(tc.in, tc.tol); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("simplify(%v, %g) = %v, want %v", tc.in, tc.tol, got, tc.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	tiny, err := os.ReadFile(filepath.Join("testdata", "tiny.topojson"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tiny, 0.0, false)
	f.Add(tiny, 0.6, true)
	f.Add([]byte(`{"type":"Topology","objects":{"nation":{"type":"Polygon","arcs":[[-1]]}},"arcs":[[[0,0],[1,0],[0,1],[0,0]]]}`), 0.0, true)
	f.Fuzz(func(t *testing.T, data []byte, tol float64, whole bool) {
		opt := Options{Tolerance: tol, Decimals: 1}
		if whole {
			opt.Decimals = 0
		}
		outlines, err := Parse(data, "fuzz.json", opt)
		if err != nil {
			return
		}
		for _, o := range outlines {
			// Whatever the input, a path is made of moves, lines, closes
			// and numbers, and each ring is closed.
			if strings.Trim(o.Path, "Mlz0123456789.- ") != "" {
				t.Fatalf("%s %s: path %q has other characters", o.Kind, o.ID, o.Path)
			}
			if o.Path != "" && (o.Path[0] != 'M' || !strings.HasSuffix(o.Path, "z")) {
				t.Fatalf("%s %s: path %q is not closed rings", o.Kind, o.ID, o.Path)
			}
		}
	})
}

var pathToken = regexp.MustCompile(`[Mlz]|-?(\d+(\.\d)?|\.\d)`)

// vertices reads back the paths pathWriter writes (an absolute move, then
// relative lines), as absolute positions in tenths of a pixel.
func vertices(t testing.TB, path string) [][2]int {
	t.Helper()
	var out [][2]int
	var nums []int
	absolute := false
	var x, y int
	for _, tok := range pathToken.FindAllString(path, -1) {
		switch tok {
		case "M":
			absolute = true
			continue
		case "l", "z":
			continue
		}
		f, err := strconv.ParseFloat(tok, 64)
		if err != nil {
			t.Fatalf("path %.40q: %v", path, err)
		}
		if nums = append(nums, int(math.Round(f*10))); len(nums) < 2 {
			continue
		}
		if absolute {
			x, y, absolute = 0, 0, false
		}
		x, y = x+nums[0], y+nums[1]
		out = append(out, [2]int{x, y})
		nums = nums[:0]
	}
	return out
}

func TestVertices(t *testing.T) {
	got := vertices(t, "M105 200l3 0 0 1.5-3 0zM106 200.5l1 .5zM110 200.3l1 0-.5.7z")
	want := [][2]int{{1050, 2000}, {1080, 2000}, {1080, 2015}, {1050, 2015}, {1060, 2005}, {1070, 2010}, {1100, 2003}, {1110, 2003}, {1105, 2010}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("vertices = %v, want %v", got, want)
	}
}
