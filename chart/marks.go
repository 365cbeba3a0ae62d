package chart

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// painter draws one panel's marks, then its direct labels, placed last so
// that they sit on top, clear of the marks and of each other.
type painter struct {
	f         *Figure
	s         *svg
	b         *panelBox
	pending   []pending  // labels of named points and rules, placed in labels()
	ends      []endLabel // labels at the ends of series
	taken     []rect     // boxes of text already placed
	obstacles []rect     // marks a label should not cover
}

// spot is where a label may go: its anchor point on the baseline.
type spot struct {
	x, y   float64
	anchor string
}

// pending is a label and the spots it may take, best first.
type pending struct {
	text  string
	spots []spot
}

type endLabel struct {
	y           float64
	text, color string
	dash        string
}

func (p *painter) mark(m Mark) {
	t := p.f.table(m.rows().Table)
	m.draw(p, t, selectRows(t, m.rows().Where))
}

// pos maps a row's x and y columns through the panel's scales.
func (p *painter) pos(t *Table, i int, xcol, ycol string) (float64, float64) {
	return position(p.b.xs, t.column(xcol), i), position(p.b.ys, t.column(ycol), i)
}

func position(s *scale, c *Column, i int) float64 {
	if s.kind == Ordinal {
		return s.catAt(c.Text[i])
	}
	return s.at(c.Num[i])
}

func missing(t *Table, i int, cols ...string) bool {
	for _, name := range cols {
		if c := t.column(name); c != nil && c.Num != nil && math.IsNaN(c.Num[i]) {
			return true
		}
	}
	return false
}

// name is what a row is called in titles and labels: its label, else its key.
func name(t *Table, i int, label, key string) string {
	if label != "" {
		return t.column(label).text(i)
	}
	if key != "" {
		return t.column(key).text(i)
	}
	return ""
}

func (m Points) draw(p *painter, t *Table, rows []int) {
	color := cmp.Or(m.Color, OkabeIto[0])
	r, opacity := 4.0, "0.85"
	if len(rows) > 60 {
		r, opacity = 2.75, "0.55"
	}
	keys := t.column(m.Key)
	var marked []int
	for _, i := range rows {
		if missing(t, i, m.X, m.Y) {
			continue
		}
		if slices.Contains(m.Marked, keys.text(i)) {
			marked = append(marked, i)
			continue
		}
		x, y := p.pos(t, i, m.X, m.Y)
		p.obstacles = append(p.obstacles, rect{x - r, y - r, 2 * r, 2 * r})
		p.s.open("circle", "class", "mark", "data-key", keys.text(i), "cx", px(x), "cy", px(y), "r", px(r),
			"fill", color, "fill-opacity", opacity, "stroke", "#ffffff", "stroke-width", "0.75")
		p.s.leaf("title", markTitle(name(t, i, m.Label, m.Key), t, i, m.X, m.Y))
		p.s.close("circle")
	}
	// Marked points go on top, larger, ringed in black and labelled: never
	// colour alone.
	for _, i := range marked {
		x, y := p.pos(t, i, m.X, m.Y)
		p.obstacles = append(p.obstacles, rect{x - r - 2, y - r - 2, 2*r + 4, 2*r + 4})
		p.s.open("circle", "class", "mark marked", "data-key", keys.text(i), "cx", px(x), "cy", px(y), "r", px(r+2),
			"fill", OkabeIto[1], "stroke", "#000000", "stroke-width", "1.25")
		p.s.leaf("title", markTitle(name(t, i, m.Label, m.Key), t, i, m.X, m.Y))
		p.s.close("circle")
	}
	tmpl := m.Text
	if tmpl == "" {
		tmpl = "{" + cmp.Or(m.Label, m.Key) + "}"
	}
	for _, i := range rows {
		k := keys.text(i)
		if missing(t, i, m.X, m.Y) || !slices.Contains(m.Labelled, k) && !slices.Contains(m.Marked, k) {
			continue
		}
		x, y := p.pos(t, i, m.X, m.Y)
		rr := r
		if slices.Contains(m.Marked, k) {
			rr = r + 2
		}
		g := rr + 3
		d := g * 0.7
		p.pending = append(p.pending, pending{t.fill(tmpl, i), []spot{
			{x + g, y + 4, "start"}, {x - g, y + 4, "end"}, {x, y - g - 2, "middle"}, {x, y + g + textSize - 2, "middle"},
			{x + d, y - d - 1, "start"}, {x - d, y - d - 1, "end"}, {x + d, y + d + textSize - 3, "start"}, {x - d, y + d + textSize - 3, "end"},
		}})
	}
}

// series are the rows of one line, in table order.
type series struct {
	key, name string
	rows      []int
}

// seriesOf splits rows by the key column; label names each series (its
// first row's value), else the key does.
func seriesOf(t *Table, key, label string, rows []int) []series {
	if key == "" {
		return []series{{rows: rows}}
	}
	c := t.column(key)
	var out []series
	for _, i := range rows {
		k := slices.IndexFunc(out, func(s series) bool { return s.key == c.text(i) })
		if k < 0 {
			out = append(out, series{key: c.text(i), name: name(t, i, label, key)})
			k = len(out) - 1
		}
		out[k].rows = append(out[k].rows, i)
	}
	return out
}

var dashes = []string{"", "6 3", "2 3", "8 3 2 3"}

// SeriesStyle is the colour and dash of a panel's k-th line series (fixed,
// when set, is the colour of all): a mark drawn to go with a series, an
// interval on its points, takes its colour from here.
func SeriesStyle(k int, fixed string) (color, dash string) {
	if fixed != "" {
		return fixed, ""
	}
	return OkabeIto[k%len(OkabeIto)], dashes[k%len(dashes)]
}

// runs splits rows (sorted by x) at missing values into stretches to draw.
func runs(t *Table, rows []int, cols ...string) [][]int {
	var out [][]int
	var cur []int
	for _, i := range rows {
		if missing(t, i, cols...) {
			if cur != nil {
				out, cur = append(out, cur), nil
			}
			continue
		}
		cur = append(cur, i)
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

func sortByX(t *Table, rows []int, x string) []int {
	c := t.column(x)
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b int) int { return cmp.Compare(c.Num[a], c.Num[b]) })
	return rows
}

func (m Line) draw(p *painter, t *Table, rows []int) {
	width := m.Width
	if width == 0 {
		width = 2
	}
	all := seriesOf(t, m.Series, m.Label, rows)
	for k, sr := range all {
		color, dash := SeriesStyle(k, m.Color)
		sorted := sortByX(t, sr.rows, m.X)
		p.s.open("g", "class", "mark", "data-key", cmp.Or(sr.key, m.Y))
		p.s.leaf("title", seriesTitle(cmp.Or(sr.name, m.Y), t, sorted, m.X, m.Y))
		var d strings.Builder
		var dots [][2]float64
		for _, run := range runs(t, sorted, m.X, m.Y) {
			if len(run) == 1 {
				x, y := p.pos(t, run[0], m.X, m.Y)
				dots = append(dots, [2]float64{x, y})
				continue
			}
			xs, ys := make([]float64, len(run)), make([]float64, len(run))
			for j, i := range run {
				xs[j], ys[j] = p.pos(t, i, m.X, m.Y)
			}
			d.WriteString(pathData(xs, ys))
			p.avoidLine(xs, ys)
		}
		if d.Len() > 0 {
			p.s.empty("path", "d", d.String(), "fill", "none", "stroke", color, "stroke-width", px(width),
				"stroke-dasharray", dash, "stroke-linejoin", "round", "stroke-linecap", "round")
		}
		for _, dot := range dots {
			p.avoidLine([]float64{dot[0]}, []float64{dot[1]})
			p.s.empty("circle", "cx", px(dot[0]), "cy", px(dot[1]), "r", px(width+0.75), "fill", color)
		}
		p.s.close("g")
		if len(all) < 2 {
			continue
		}
		for j := len(sorted) - 1; j >= 0; j-- {
			if !missing(t, sorted[j], m.X, m.Y) {
				_, y := p.pos(t, sorted[j], m.X, m.Y)
				p.ends = append(p.ends, endLabel{y: y, text: sr.name, color: color, dash: dash})
				break
			}
		}
	}
}

// seriesTitle lists a series' values by x: "2012: 1.4".
func seriesTitle(name string, t *Table, rows []int, x string, ys ...string) string {
	lines := []string{name}
	for _, i := range rows {
		vals := make([]string, len(ys))
		for j, y := range ys {
			vals[j] = t.column(y).text(i)
		}
		lines = append(lines, t.column(x).text(i)+": "+strings.Join(vals, " to "))
	}
	return strings.Join(lines, "\n")
}

func (m Band) draw(p *painter, t *Table, rows []int) {
	for k, sr := range seriesOf(t, m.Series, "", rows) {
		color, _ := SeriesStyle(k, m.Color)
		sorted := sortByX(t, sr.rows, m.X)
		key := cmp.Or(sr.key, m.Lo+" to "+m.Hi)
		p.s.open("g", "class", "mark band", "data-key", key)
		p.s.leaf("title", seriesTitle(key, t, sorted, m.X, m.Lo, m.Hi))
		var d strings.Builder
		for _, run := range runs(t, sorted, m.X, m.Lo, m.Hi) {
			n := len(run)
			xs, ys := make([]float64, 2*n), make([]float64, 2*n)
			for j, i := range run {
				xs[j], ys[j] = p.pos(t, i, m.X, m.Hi)
				xs[2*n-1-j], ys[2*n-1-j] = p.pos(t, i, m.X, m.Lo)
			}
			d.WriteString(pathData(xs, ys) + "Z")
		}
		p.s.empty("path", "d", d.String(), "fill", color, "fill-opacity", "0.18", "stroke", "none")
		p.s.close("g")
	}
}

func (m Rule) draw(p *painter, t *Table, rows []int) {
	pl := p.b.plot
	at := t.column(m.At)
	for _, i := range rows {
		if math.IsNaN(at.Num[i]) {
			continue
		}
		label := ""
		if m.Label != "" {
			label = t.column(m.Label).text(i)
		}
		p.s.open("g", "class", "rule", "data-key", at.text(i))
		p.s.leaf("title", markTitle(label, t, i, m.At, m.To))
		top, bottom := pl.y+textSize, pl.y+pl.h-5
		var spots []spot
		switch {
		case m.Axis == Y:
			y := p.b.ys.at(at.Num[i])
			p.s.empty("line", "x1", px(pl.x), "x2", px(pl.x+pl.w), "y1", px(y), "y2", px(y), "stroke", "#444444", "stroke-width", "1", "stroke-dasharray", "4 3")
			// Like a series, the rule is named at its end, right of the plot.
			spots = []spot{{pl.x + pl.w + 6, y + 4, "start"}}
		case m.To != "" && !missing(t, i, m.To):
			x, x2 := p.b.xs.at(at.Num[i]), p.b.xs.at(t.column(m.To).Num[i])
			p.s.empty("rect", "x", px(min(x, x2)), "y", px(pl.y), "width", px(math.Abs(x2-x)), "height", px(pl.h), "fill", "#000000", "fill-opacity", "0.08")
			spots = []spot{{(x + x2) / 2, top, "middle"}, {(x + x2) / 2, bottom, "middle"}}
		default:
			x := p.b.xs.at(at.Num[i])
			p.s.empty("line", "x1", px(x), "x2", px(x), "y1", px(pl.y), "y2", px(pl.y+pl.h), "stroke", "#444444", "stroke-width", "1", "stroke-dasharray", "4 3")
			p.obstacles = append(p.obstacles, rect{x - 1, pl.y, 2, pl.h})
			spots = []spot{{x + 4, top, "start"}, {x - 4, top, "end"}, {x + 4, bottom, "start"}, {x - 4, bottom, "end"}}
		}
		p.s.close("g")
		if label != "" {
			p.pending = append(p.pending, pending{label, spots})
		}
	}
}

// avoidLine keeps labels off a polyline: a small box every few pixels.
func (p *painter) avoidLine(xs, ys []float64) {
	add := func(x, y float64) { p.obstacles = append(p.obstacles, rect{x - 1.5, y - 1.5, 3, 3}) }
	add(xs[0], ys[0])
	for k := 1; k < len(xs); k++ {
		steps := math.Ceil(math.Hypot(xs[k]-xs[k-1], ys[k]-ys[k-1]) / 3)
		for j := 1.0; j <= steps; j++ {
			add(xs[k-1]+(xs[k]-xs[k-1])*j/steps, ys[k-1]+(ys[k]-ys[k-1])*j/steps)
		}
	}
}

func (m Interval) draw(p *painter, t *Table, rows []int) {
	color := cmp.Or(m.Color, OkabeIto[0])
	horizontal := p.b.ys.kind == Ordinal
	// Intervals thin out as they crowd, so a specification curve of
	// hundreds stays legible.
	along := p.b.xs
	if horizontal {
		along = p.b.ys
	}
	spacing := math.Abs(along.r1-along.r0) / float64(max(1, len(rows)))
	stroke := min(1.5, max(0.5, spacing*0.6))
	r := min(3.0, max(1, spacing*0.45))
	keys := t.column(m.Key)
	for _, i := range rows {
		if missing(t, i, m.X, m.Y, m.Lo, m.Hi) {
			continue
		}
		x, y := p.pos(t, i, m.X, m.Y)
		x1, y1, x2, y2 := x, p.b.ys.at(t.column(m.Lo).Num[i]), x, p.b.ys.at(t.column(m.Hi).Num[i])
		if horizontal {
			x1, y1, x2, y2 = p.b.xs.at(t.column(m.Lo).Num[i]), y, p.b.xs.at(t.column(m.Hi).Num[i]), y
		}
		p.s.open("g", "class", "mark", "data-key", keys.text(i))
		p.s.leaf("title", markTitle(name(t, i, m.Label, m.Key), t, i, m.X, m.Y, m.Lo, m.Hi))
		p.obstacles = append(p.obstacles, rect{min(x1, x2) - r, min(y1, y2) - r, math.Abs(x2-x1) + 2*r, math.Abs(y2-y1) + 2*r})
		p.s.empty("line", "x1", px(x1), "y1", px(y1), "x2", px(x2), "y2", px(y2), "stroke", color, "stroke-width", px(stroke))
		p.s.empty("circle", "cx", px(x), "cy", px(y), "r", px(r), "fill", color)
		p.s.close("g")
	}
}

func barText(t *Table, m Bar, i int) string {
	if m.Text != "" {
		return t.fill(m.Text, i)
	}
	value := m.X
	if t.column(m.X).Num == nil {
		value = m.Y
	}
	return t.column(value).text(i)
}

func (m Bar) draw(p *painter, t *Table, rows []int) {
	color := cmp.Or(m.Color, OkabeIto[0])
	horizontal := p.b.ys.kind == Ordinal
	keys := t.column(m.Key)
	for _, i := range rows {
		if missing(t, i, m.X, m.Y) {
			continue
		}
		x, y := p.pos(t, i, m.X, m.Y)
		p.s.open("g", "class", "mark", "data-key", keys.text(i))
		p.s.leaf("title", markTitle(name(t, i, m.Label, m.Key), t, i, append([]string{m.X, m.Y}, placeholders(m.Text)...)...))
		label := barText(t, m, i)
		if horizontal {
			bw := p.b.ys.bandwidth() * 0.7
			x0 := p.b.xs.at(0)
			p.obstacles = append(p.obstacles, rect{min(x0, x), y - bw/2, math.Abs(x - x0), bw})
			p.s.empty("rect", "x", px(min(x0, x)), "y", px(y-bw/2), "width", px(math.Abs(x-x0)), "height", px(bw), "fill", color)
			lx, anchor := x+5, "start"
			if x < x0 {
				lx, anchor = x-5, "end"
			}
			p.s.leaf("text", label, "class", "value", "x", px(lx), "y", px(y+4), "text-anchor", anchor, "font-variant", "tabular-nums")
		} else {
			bw := p.b.xs.bandwidth() * 0.7
			y0 := p.b.ys.at(0)
			p.obstacles = append(p.obstacles, rect{x - bw/2, min(y0, y), bw, math.Abs(y - y0)})
			p.s.empty("rect", "x", px(x-bw/2), "y", px(min(y0, y)), "width", px(bw), "height", px(math.Abs(y-y0)), "fill", color)
			ly := y - 5
			if y > y0 {
				ly = y + textSize + 3
			}
			p.s.leaf("text", label, "class", "value", "x", px(x), "y", px(ly), "text-anchor", "middle", "font-variant", "tabular-nums")
		}
		p.s.close("g")
	}
}

// draw sets the text beside its position, clear of a mark drawn there:
// right of it (Start), left of it (End) or above it (Middle).
func (m Text) draw(p *painter, t *Table, rows []int) {
	anchor := [...]string{"start", "middle", "end"}[m.Anchor]
	dx, dy := [...]float64{6, 0, -6}[m.Anchor], [...]float64{4, -8, 4}[m.Anchor]
	for _, i := range rows {
		if missing(t, i, m.X, m.Y) {
			continue
		}
		x, y := p.pos(t, i, m.X, m.Y)
		p.label(t.fill(m.Text, i), x+dx, y+dy, anchor, textColor)
	}
}

// label writes text with a white halo, so it reads over marks, and keeps
// its box so later labels avoid it.
func (p *painter) label(text string, x, y float64, anchor, color string) {
	p.taken = append(p.taken, labelBox(text, spot{x, y, anchor}))
	p.s.leaf("text", text, "class", "label", "x", px(x), "y", px(y), "text-anchor", anchor, "fill", color,
		"stroke", "#ffffff", "stroke-width", "3", "stroke-linejoin", "round", "paint-order", "stroke")
}

func (r rect) overlaps(o rect) bool {
	return r.x < o.x+o.w && o.x < r.x+r.w && r.y < o.y+o.h && o.y < r.y+r.h
}

// labelBox is the box a label takes at a spot.
func labelBox(text string, sp spot) rect {
	w := textWidth(text, textSize, false)
	left := sp.x
	switch sp.anchor {
	case "middle":
		left -= w / 2
	case "end":
		left -= w
	}
	return rect{left, sp.y - textSize + 2, w, textSize + 1}
}

// labels places the pending labels, each at its first spot inside the
// panel that covers neither a placed label nor a mark, else the first that
// covers no label, else its first; then the series labels at the right,
// pushed apart where lines end close together.
func (p *painter) labels() {
	pl := p.b.plot
	inside := func(r rect) bool {
		return r.x >= pl.x-2 && r.x+r.w <= pl.x+pl.w+p.b.right+2 && r.y >= pl.y-2 && r.y+r.h <= pl.y+pl.h+2
	}
	clearOf := func(r rect, boxes []rect) bool {
		return !slices.ContainsFunc(boxes, r.overlaps)
	}
	for _, q := range p.pending {
		best := -1
		for _, ok := range []func(r rect) bool{
			func(r rect) bool { return inside(r) && clearOf(r, p.taken) && clearOf(r, p.obstacles) },
			func(r rect) bool { return inside(r) && clearOf(r, p.taken) },
		} {
			if best = slices.IndexFunc(q.spots, func(sp spot) bool { return ok(labelBox(q.text, sp)) }); best >= 0 {
				break
			}
		}
		sp := q.spots[max(0, best)]
		p.label(q.text, sp.x, sp.y, sp.anchor, textColor)
	}

	slices.SortStableFunc(p.ends, func(a, b endLabel) int { return cmp.Compare(a.y, b.y) })
	gap := lineHeight(textSize)
	for k := 1; k < len(p.ends); k++ {
		p.ends[k].y = max(p.ends[k].y, p.ends[k-1].y+gap)
	}
	if n := len(p.ends); n > 0 && p.ends[n-1].y > pl.y+pl.h {
		p.ends[n-1].y = pl.y + pl.h
		for k := n - 2; k >= 0; k-- {
			p.ends[k].y = min(p.ends[k].y, p.ends[k+1].y-gap)
		}
	}
	x := pl.x + pl.w + 6
	for _, e := range p.ends {
		p.s.empty("line", "x1", px(x), "x2", px(x+swatchWidth-6), "y1", px(e.y), "y2", px(e.y), "stroke", e.color, "stroke-width", "2", "stroke-dasharray", e.dash)
		p.label(e.text, x+swatchWidth, e.y+4, "start", readable(e.color))
	}
}

// readable is the colour itself for text where it contrasts enough with
// white (3:1), else the text colour: Okabe–Ito's yellow, orange and sky
// blue are too light for 12 px type.
func readable(hex string) string {
	if len(hex) != 7 || hex[0] != '#' {
		return textColor
	}
	lum := 0.0
	for k, weight := range []float64{0.2126, 0.7152, 0.0722} {
		v, err := strconv.ParseUint(hex[1+2*k:3+2*k], 16, 8)
		if err != nil {
			return textColor
		}
		c := float64(v) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		lum += weight * c
	}
	if 1.05/(lum+0.05) < 3 {
		return textColor
	}
	return hex
}
