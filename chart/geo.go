package chart

import (
	"math"
	"strconv"
)

// classes cut a colour scale into steps: a reader matches a shade to a
// legend box far more surely than to a point on a continuous ramp.
type classes struct {
	bounds []float64 // len(colors)+1 boundaries, increasing
	colors []string
	step   float64
}

// The diverging classes run blue (below zero) to orange (above), from
// ColorBrewer's RdBu and PuOr (Cynthia Brewer, Apache-2.0), which stay
// apart for the common colour-vision deficiencies. Zero is a boundary, so
// a change is never shown as no change.
var (
	divergingColors  = []string{"#2166AC", "#4393C3", "#92C5DE", "#D1E5F0", "#FEE0B6", "#FDB863", "#E08214", "#B35806"}
	sequentialColors = []string{"#EFF3FF", "#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#084594"}
)

// Places outside the data (the base) are white, not grey: in black and
// white a light grey is the lightest classes' shade, and white is not.
// Boundaries are therefore grey, to show on white and on colour alike.
const (
	noDataColor   = "#888888" // the hatch lines
	baseColor     = "#FFFFFF"
	boundaryColor = "#8C8C8C"
)

func newClasses(kind ColorKind, values []float64) classes {
	var e extent
	for _, v := range values {
		e.add(v)
	}
	if !e.any {
		e.lo, e.hi = 0, 1
	}
	var c classes
	if kind == Diverging {
		c.colors = divergingColors
		half := len(c.colors) / 2
		c.step = niceStep(max(math.Abs(e.lo), math.Abs(e.hi))/float64(half), false)
		for k := -half; k <= half; k++ {
			c.bounds = append(c.bounds, cleanZero(float64(k)*c.step))
		}
		return c
	}
	c.step = niceStep((e.hi-e.lo)/5, false)
	lo := math.Floor(e.lo/c.step) * c.step
	n := max(1, int(math.Ceil((e.hi-lo)/c.step-1e-9)))
	c.colors = sequentialColors[len(sequentialColors)-n:]
	for k := 0; k <= n; k++ {
		c.bounds = append(c.bounds, cleanZero(lo+float64(k)*c.step))
	}
	return c
}

func (c classes) color(v float64) string {
	k := int(math.Floor((v - c.bounds[0]) / c.step))
	return c.colors[min(len(c.colors)-1, max(0, k))]
}

// hatch defines the "no data" pattern: grey diagonal lines on white, drawn
// at scale k so that they look the same inside a scaled map.
func (p *painter) hatch(id string, k float64) {
	size := 5 / k
	p.s.open("pattern", "id", id, "patternUnits", "userSpaceOnUse", "width", px3(size), "height", px3(size), "patternTransform", "rotate(45)")
	p.s.empty("rect", "width", px3(size), "height", px3(size), "fill", "#ffffff")
	p.s.empty("line", "x1", "0", "y1", "0", "x2", "0", "y2", px3(size), "stroke", noDataColor, "stroke-width", px3(1.5/k))
	p.s.close("pattern")
}

// px3 keeps three decimals: pattern sizes inside a map scaled down to a
// third need them.
func px3(v float64) string {
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}

func (m Geo) draw(p *painter, t *Table, rows []int) {
	pl := p.b.plot
	fx, fy, fw, fh := m.Frame[0], m.Frame[1], m.Frame[2], m.Frame[3]
	k := min(pl.w/fw, pl.h/fh)
	tx := pl.x + (pl.w-fw*k)/2 - fx*k
	ty := pl.y - fy*k
	id := p.f.ID + "-p" + strconv.Itoa(p.b.index)
	values := t.column(m.Value)
	keys := t.column(m.Key)
	var vs []float64
	noData := false
	for _, i := range rows {
		vs = append(vs, values.Num[i])
		noData = noData || math.IsNaN(values.Num[i])
	}
	cl := newClasses(m.Color.Kind, vs)

	p.s.open("defs")
	p.hatch(id+"-nodata-map", k)
	p.hatch(id+"-nodata", 1)
	p.s.open("clipPath", "id", id+"-clip")
	p.s.empty("rect", "x", px(pl.x), "y", px(pl.y), "width", px(pl.w), "height", px(pl.h))
	p.s.close("clipPath")
	p.s.close("defs")
	p.s.open("g", "clip-path", "url(#"+id+"-clip)")
	p.s.open("g", "transform", "translate("+px3(tx)+" "+px3(ty)+") scale("+px3(k)+")")
	p.s.w.WriteString("\n")
	for _, d := range m.Base {
		p.s.empty("path", "class", "base", "d", d, "fill", baseColor, "fill-rule", "evenodd", "stroke", boundaryColor, "stroke-width", "0.6", "vector-effect", "non-scaling-stroke")
	}
	for _, i := range rows {
		fill := "url(#" + id + "-nodata-map)"
		if !math.IsNaN(values.Num[i]) {
			fill = cl.color(values.Num[i])
		}
		p.s.open("path", "class", "mark", "data-key", keys.text(i), "d", m.Shapes[keys.text(i)], "fill", fill, "fill-rule", "evenodd")
		p.s.leaf("title", markTitle(name(t, i, m.Label, m.Key), t, i, m.Value))
		p.s.close("path")
	}
	for _, d := range m.Lines {
		p.s.empty("path", "class", "boundary", "d", d, "fill", "none", "stroke", boundaryColor, "stroke-width", "0.6", "vector-effect", "non-scaling-stroke")
	}
	for _, key := range m.Outlined {
		p.s.empty("path", "class", "outline", "data-key", key, "d", m.Shapes[key], "fill", "none", "stroke", "#000000", "stroke-width", "1.5", "vector-effect", "non-scaling-stroke")
	}
	p.s.close("g")
	p.s.close("g")
	p.legend(id, cl, m, noData)
}

// legend explains the classes under the map: a title, a row of boxes with
// their boundaries beneath, then "No data" in its hatch (where a place has
// none) and the base grey.
func (p *painter) legend(id string, cl classes, m Geo, noData bool) {
	pl := p.b.plot
	y := pl.y + pl.h + 8
	s := p.s
	s.leaf("text", m.Color.Label, "class", "legend-title", "x", px(pl.x), "y", px(y+textSize))
	y += textSize + 6
	n := len(cl.colors)
	bw := math.Floor(min(40, pl.w*0.55/float64(n)))
	labels := make([]string, len(cl.bounds))
	widest := 0.0
	for k, b := range cl.bounds {
		labels[k] = formatNum(b, tickDecimals(cl.step), m.Color.Kind == Diverging && b != 0)
		widest = max(widest, textWidth(labels[k], smallSize, false))
	}
	every := 1
	for widest+4 > bw*float64(every) {
		every++
	}
	for k, c := range cl.colors {
		s.empty("rect", "x", px(pl.x+float64(k)*bw), "y", px(y), "width", px(bw), "height", "10", "fill", c, "stroke", "#ffffff", "stroke-width", "0.5")
	}
	for k, label := range labels {
		if k%every != 0 && k != len(labels)-1 {
			continue
		}
		x := pl.x + float64(k)*bw
		s.empty("line", "x1", px(x), "x2", px(x), "y1", px(y+10), "y2", px(y+14), "stroke", axisColor, "stroke-width", "1")
		s.leaf("text", label, "class", "legend-tick", "x", px(x), "y", px(y+14+smallSize), "text-anchor", "middle", "font-size", px(smallSize), "fill", mutedColor, "font-variant", "tabular-nums")
	}
	// The keys for what has no class go on a row of their own, so that a
	// map half the figure wide still has room for them.
	x := pl.x
	y += 14 + smallSize + 8
	for _, key := range []struct {
		fill, text string
		show       bool
	}{{"url(#" + id + "-nodata)", "No data", noData}, {baseColor, m.BaseLabel, len(m.Base) > 0 && m.BaseLabel != ""}} {
		if !key.show {
			continue
		}
		s.empty("rect", "x", px(x), "y", px(y), "width", "16", "height", "10", "fill", key.fill, "stroke", axisColor, "stroke-width", "0.5")
		s.leaf("text", key.text, "class", "legend-key", "x", px(x+21), "y", px(y+9))
		x += 21 + textWidth(key.text, textSize, false) + 14
	}
}
