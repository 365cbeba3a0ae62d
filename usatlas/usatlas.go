// Package usatlas reads the us-atlas TopoJSON files (the npm package by Mike
// Bostock: Census Bureau cartographic boundaries, quantized and already
// projected to Albers USA in a 975 × 610 frame) into outlines: one SVG path
// per nation, state and county, keyed by FIPS code.
//
// TopoJSON stores each border once, as an arc that neighbouring shapes share
// (a negative index ~i walks arc i backwards). Simplification is applied to
// the arcs, once, before shapes are assembled, so two neighbours always draw
// the same simplified border and no slivers open between them.
package usatlas

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/assaylab/assay"
)

// Options adjusts how paths are written.
type Options struct {
	// Tolerance is the Douglas–Peucker tolerance in px of the frame: points
	// of an arc closer than this to the simplified arc are dropped. Zero
	// keeps every point.
	Tolerance float64
	// Decimals of each coordinate, 0 or 1.
	Decimals int
}

// Default is what the snapshot stores. A tenth of a pixel keeps the
// smallest county equivalents (Virginia's independent cities are under a
// pixel across) drawable, and whole pixels show steps along coasts when a
// map is zoomed. us-atlas is already simplified, so a 0.5 px tolerance
// takes a quarter of the bytes (432 kB to 318 kB for all three layers);
// maps at 0 and 0.5 px, drawn 9 times the frame's width around the
// Chesapeake Bay, could not be told apart.
var Default = Options{Tolerance: 0.5, Decimals: 1}

// layers maps the us-atlas object names to the kind of place they hold, in
// the order outlines are returned: the largest first, so that a map drawn
// in that order puts the finer borders on top.
var layers = []struct {
	object string
	kind   assay.OutlineKind
}{
	{"nation", assay.OutlineNation},
	{"states", assay.OutlineState},
	{"counties", assay.OutlineCounty},
}

// ReadFile reads a us-atlas TopoJSON file. Errors name the file.
func ReadFile(path string, opt Options) ([]assay.Outline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("usatlas: %w", err)
	}
	return Parse(data, filepath.Base(path), opt)
}

type topology struct {
	Type      string              `json:"type"`
	Transform *transform          `json:"transform"`
	Objects   map[string]geometry `json:"objects"`
	Arcs      [][][]float64       `json:"arcs"`
}

type transform struct {
	Scale     [2]float64 `json:"scale"`
	Translate [2]float64 `json:"translate"`
}

type geometry struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
	Arcs       json.RawMessage `json:"arcs"`
	Geometries []geometry      `json:"geometries"`
}

type point struct{ x, y float64 }

// Parse decodes TopoJSON; source names the data in errors. Objects other
// than nation, states and counties are an error, as are geometries other
// than polygons: us-atlas has neither, so either means a different file.
func Parse(data []byte, source string, opt Options) ([]assay.Outline, error) {
	if opt.Decimals != 0 && opt.Decimals != 1 {
		return nil, fmt.Errorf("usatlas %s: %d decimals, want 0 or 1", source, opt.Decimals)
	}
	var topo topology
	if err := json.Unmarshal(data, &topo); err != nil {
		return nil, fmt.Errorf("usatlas %s: %w", source, err)
	}
	if topo.Type != "Topology" {
		return nil, fmt.Errorf("usatlas %s: type %q, want Topology", source, topo.Type)
	}
	for name := range topo.Objects {
		if !known(name) {
			return nil, fmt.Errorf("usatlas %s: object %q is not a us-atlas layer (nation, states, counties)", source, name)
		}
	}
	arcs, err := decodeArcs(topo.Arcs, topo.Transform)
	if err != nil {
		return nil, fmt.Errorf("usatlas %s: %w", source, err)
	}
	if opt.Tolerance > 0 {
		for i := range arcs {
			arcs[i] = simplify(arcs[i], opt.Tolerance)
		}
	}
	var out []assay.Outline
	for _, l := range layers {
		obj, ok := topo.Objects[l.object]
		if !ok {
			continue
		}
		geoms := []geometry{obj}
		if obj.Type == "GeometryCollection" {
			geoms = obj.Geometries
		}
		for i, g := range geoms {
			o, err := outline(g, l.kind, arcs, opt.Decimals)
			if err != nil {
				return nil, fmt.Errorf("usatlas %s: object %s, geometry %d: %w", source, l.object, i, err)
			}
			out = append(out, o)
		}
	}
	return out, nil
}

func known(object string) bool {
	for _, l := range layers {
		if l.object == object {
			return true
		}
	}
	return false
}

// decodeArcs undoes the quantization: with a transform, positions are
// integer deltas from the previous position, scaled and translated.
func decodeArcs(raw [][][]float64, tr *transform) ([][]point, error) {
	arcs := make([][]point, len(raw))
	for i, a := range raw {
		if len(a) < 2 {
			return nil, fmt.Errorf("arc %d: %d positions, want at least 2", i, len(a))
		}
		pts := make([]point, len(a))
		var x, y float64
		for j, p := range a {
			if len(p) < 2 {
				return nil, fmt.Errorf("arc %d, position %d: %d coordinates, want 2", i, j, len(p))
			}
			if tr == nil {
				pts[j] = point{p[0], p[1]}
				continue
			}
			x, y = x+p[0], y+p[1]
			pts[j] = point{x*tr.Scale[0] + tr.Translate[0], y*tr.Scale[1] + tr.Translate[1]}
		}
		arcs[i] = pts
	}
	return arcs, nil
}

func outline(g geometry, kind assay.OutlineKind, arcs [][]point, decimals int) (assay.Outline, error) {
	o := assay.Outline{Kind: kind, Name: g.Properties.Name}
	id, err := geometryID(g.ID)
	if err != nil {
		return o, err
	}
	o.ID = id
	where := func(err error) error {
		if id != "" {
			return fmt.Errorf("id %s: %w", id, err)
		}
		return err
	}
	var polygons [][][]int
	switch g.Type {
	case "Polygon":
		var p [][]int
		if err := json.Unmarshal(g.Arcs, &p); err != nil {
			return o, where(fmt.Errorf("polygon arcs: %w", err))
		}
		polygons = [][][]int{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Arcs, &polygons); err != nil {
			return o, where(fmt.Errorf("multipolygon arcs: %w", err))
		}
	default:
		return o, where(fmt.Errorf("geometry type %q, want Polygon or MultiPolygon", g.Type))
	}
	w := pathWriter{unit: math.Pow10(decimals), decimals: decimals}
	for pi, rings := range polygons {
		for ri, ring := range rings {
			pts, err := stitch(ring, arcs)
			if err != nil {
				return o, where(fmt.Errorf("polygon %d, ring %d: %w", pi, ri, err))
			}
			w.ring(pts)
		}
	}
	o.Path = string(w.b)
	return o, nil
}

// geometryID accepts the id as a string (us-atlas's FIPS codes) or a number.
func geometryID(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("id %s: not a string or number", raw)
	}
	return n.String(), nil
}

// stitch joins a ring's arcs: each arc starts where the previous one ended,
// so its first position is dropped. A ring need not end where it started:
// the path's close draws the last side, as topojson-client does (us-atlas's
// nation has one such ring, a two-point sliver left where Kansas's counties
// were merged).
func stitch(ring []int, arcs [][]point) ([]point, error) {
	if len(ring) == 0 {
		return nil, fmt.Errorf("no arcs")
	}
	var pts []point
	for k, idx := range ring {
		i, reversed := idx, false
		if idx < 0 {
			i, reversed = ^idx, true
		}
		if i >= len(arcs) {
			return nil, fmt.Errorf("arc %d (index %d): out of range, %d arcs", k, idx, len(arcs))
		}
		a := arcs[i]
		start := 0
		if len(pts) > 0 {
			start = 1
			end := a[0]
			if reversed {
				end = a[len(a)-1]
			}
			if end != pts[len(pts)-1] {
				return nil, fmt.Errorf("arc %d (index %d) does not start where arc %d ended", k, idx, k-1)
			}
		}
		for j := start; j < len(a); j++ {
			if reversed {
				pts = append(pts, a[len(a)-1-j])
			} else {
				pts = append(pts, a[j])
			}
		}
	}
	return pts, nil
}

// simplify is Douglas–Peucker keeping both ends, which are the junctions
// other arcs meet. A closed arc (an island) measures distance from its one
// end point, so at least its farthest point survives.
func simplify(a []point, tol float64) []point {
	if len(a) <= 2 {
		return a
	}
	keep := make([]bool, len(a))
	keep[0], keep[len(a)-1] = true, true
	type span struct{ i, j int }
	stack := []span{{0, len(a) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		far, dmax := -1, tol
		for k := s.i + 1; k < s.j; k++ {
			if d := distance(a[k], a[s.i], a[s.j]); d > dmax {
				far, dmax = k, d
			}
		}
		if far < 0 {
			continue
		}
		keep[far] = true
		stack = append(stack, span{s.i, far}, span{far, s.j})
	}
	out := make([]point, 0, len(a))
	for k, p := range a {
		if keep[k] {
			out = append(out, p)
		}
	}
	return out
}

// distance from p to the segment a–b.
func distance(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := max(0, min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l2))
	return math.Hypot(p.x-(a.x+t*dx), p.y-(a.y+t*dy))
}

// pathWriter writes rings as compact SVG path data: an absolute move, then
// relative lines whose deltas are taken between rounded positions (so
// rounding never accumulates), no repeated command letters, no leading
// zeros, and no separator where a sign or a second decimal point serves.
type pathWriter struct {
	b        []byte
	unit     float64 // 10^decimals
	decimals int
	sep      bool // the last byte ends a number, so the next one may need a separator
	dot      bool // the last number written has a decimal point
}

func (w *pathWriter) ring(pts []point) {
	px, py := w.round(pts[0])
	w.b = append(w.b, 'M')
	w.sep = false
	w.num(px)
	w.num(py)
	// z closes the ring: a last position that repeats the first is not written.
	if len(pts) > 1 && pts[len(pts)-1] == pts[0] {
		pts = pts[:len(pts)-1]
	}
	cmd := false
	for _, p := range pts[1:] {
		x, y := w.round(p)
		if x == px && y == py {
			continue
		}
		if !cmd {
			w.b = append(w.b, 'l')
			w.sep, cmd = false, true
		}
		w.num(x - px)
		w.num(y - py)
		px, py = x, y
	}
	w.b = append(w.b, 'z')
	w.sep = false
}

func (w *pathWriter) round(p point) (int, int) {
	return int(math.Round(p.x * w.unit)), int(math.Round(p.y * w.unit))
}

// num writes n units of 10^-decimals.
func (w *pathWriter) num(n int) {
	neg := n < 0
	if neg {
		n = -n
	}
	whole, frac := n, 0
	if w.decimals == 1 {
		whole, frac = n/10, n%10
	}
	var s []byte
	if neg {
		s = append(s, '-')
	}
	if whole != 0 || frac == 0 {
		s = strconv.AppendInt(s, int64(whole), 10)
	}
	dot := frac != 0
	if dot {
		s = append(s, '.', byte('0'+frac))
	}
	// A number needs a separator unless it starts with a sign, or starts
	// with a point while the previous number already has one.
	if w.sep && !neg && !(s[0] == '.' && w.dot) {
		w.b = append(w.b, ' ')
	}
	w.b = append(w.b, s...)
	w.sep, w.dot = true, dot
}
