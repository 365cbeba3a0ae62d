package chart

import (
	"bufio"
	"cmp"
	"io"
	"math"
	"slices"
	"strings"
)

// Type sizes (px) and the greys: text is #222 to #555 on white, dark enough
// for a black-and-white printer; only gridlines are lighter.
const (
	pad          = 12
	titleSize    = 20
	subSize      = 14
	textSize     = 12
	smallSize    = 11
	colGap       = 20
	axisLabelGap = 6 // between an axis label and the top tick label below it
	rowGap       = 16
	tickGap      = 6
	textColor    = "#222222"
	mutedColor   = "#555555"
	gridColor    = "#dddddd"
	axisColor    = "#555555"
	defaultWide  = 720
)

func lineHeight(size float64) float64 { return math.Round(size * 1.3) }

// layout is where everything goes, computed before anything is written.
type layout struct {
	width, height float64
	title, sub    []string
	yLabel        float64 // baseline of the shared y-axis label; 0 if none
	xLabel        float64 // baseline of the shared x-axis label; 0 if none
	notes, source []string
	notesY        float64
	panels        []*panelBox
}

type rect struct{ x, y, w, h float64 }

// panelBox is one panel placed: its scales and plot area in figure
// coordinates, and which axis labels it shows.
type panelBox struct {
	*Panel
	index, col     int
	xa, ya         *Axis
	xs, ys         *scale
	plot           rect
	left           float64 // left edge of the column, where y tick labels start
	right          float64 // width of the column's gutter right of the plot, for end labels
	top            float64 // top of the panel's header
	title, caption []string
	xTicks, yTicks bool
	ownXLabel      bool
	ownYLabel      bool
	geo            *Geo
}

func (f *Figure) width() float64 {
	if f.Width > 0 {
		return f.Width
	}
	return defaultWide
}

// WriteSVG renders the figure.
func (f *Figure) WriteSVG(w io.Writer) error {
	if err := f.validate(); err != nil {
		return err
	}
	l := f.layout()
	s := &svg{w: bufio.NewWriter(w)}
	f.draw(s, l)
	return s.w.Flush()
}

func (f *Figure) table(name string) *Table {
	for i := range f.Tables {
		if f.Tables[i].Name == name {
			return &f.Tables[i]
		}
	}
	return nil
}

// extents gathers, for each axis in use, what the marks on it must show.
func (f *Figure) extents(boxes []*panelBox) map[*Axis]*extent {
	ext := map[*Axis]*extent{}
	get := func(a *Axis) *extent {
		if ext[a] == nil {
			ext[a] = &extent{}
		}
		return ext[a]
	}
	for _, b := range boxes {
		ex, ey := get(b.xa), get(b.ya)
		for _, m := range b.Marks {
			t := f.table(m.rows().Table)
			rows := selectRows(t, m.rows().Where)
			add := func(e *extent, a *Axis, names ...string) {
				for _, name := range names {
					if name == "" {
						continue
					}
					c := t.column(name)
					for _, i := range rows {
						if a.Scale == Ordinal {
							e.addCat(c.Text[i])
						} else {
							e.add(c.Num[i])
						}
					}
				}
			}
			switch m := m.(type) {
			case Points:
				add(ex, b.xa, m.X)
				add(ey, b.ya, m.Y)
			case Line:
				add(ex, b.xa, m.X)
				add(ey, b.ya, m.Y)
			case Band:
				add(ex, b.xa, m.X)
				add(ey, b.ya, m.Lo, m.Hi)
			case Rule:
				if m.Axis == X {
					add(ex, b.xa, m.At, m.To)
				} else {
					add(ey, b.ya, m.At, m.To)
				}
			case Interval:
				if b.ya.Scale == Ordinal {
					add(ex, b.xa, m.X, m.Lo, m.Hi)
					add(ey, b.ya, m.Y)
				} else {
					add(ex, b.xa, m.X)
					add(ey, b.ya, m.Y, m.Lo, m.Hi)
				}
			case Bar:
				add(ex, b.xa, m.X)
				add(ey, b.ya, m.Y)
				if b.ya.Scale == Ordinal {
					ex.add(0)
				} else {
					ey.add(0)
				}
			case Text:
				add(ex, b.xa, m.X)
				add(ey, b.ya, m.Y)
			}
		}
	}
	return ext
}

// About one tick per this many px of an axis.
const (
	xTickSpacing = 80
	yTickSpacing = 40
)

func (f *Figure) layout() *layout {
	W := f.width()
	inner := W - 2*pad
	l := &layout{width: W}
	n := len(f.Panels)
	cols := f.Columns
	if cols <= 0 || cols > n {
		cols = n
	}
	for i := range f.Panels {
		p := &f.Panels[i]
		b := &panelBox{Panel: p, index: i, col: i % cols}
		b.xa, b.ya = f.axes(p)
		for _, m := range p.Marks {
			if g, ok := m.(Geo); ok {
				b.geo = &g
			}
		}
		l.panels = append(l.panels, b)
	}
	ext := f.extents(l.panels)

	// First pass: scales at the panels' heights, or a guess, to measure
	// the tick labels the gutters must hold.
	guessW := inner / float64(cols)
	for _, b := range l.panels {
		b.plot.h = cmp.Or(b.Height, math.Round(guessW*aspect))
	}
	f.setScales(l.panels, ext, guessW)

	left := make([]float64, cols)
	right := make([]float64, cols)
	for _, b := range l.panels {
		b.yTicks = b.geo == nil && (b.Y != nil || b.col == 0)
		b.xTicks = b.geo == nil && (b.X != nil || b.index+cols >= n)
		b.ownYLabel = b.Y != nil && b.Y.Label != ""
		b.ownXLabel = b.X != nil && b.X.Label != ""
		if b.yTicks {
			left[b.col] = max(left[b.col], f.yGutter(b))
		}
		right[b.col] = max(right[b.col], f.rightGutter(b))
	}
	for _, b := range l.panels {
		b.right = right[b.col]
	}
	plotW := inner - float64(cols-1)*colGap
	for c := range cols {
		plotW -= left[c] + right[c]
	}
	plotW /= float64(cols)
	colX := make([]float64, cols)
	x := float64(pad)
	for c := range cols {
		colX[c] = x
		x += left[c] + plotW + right[c] + colGap
	}

	y := float64(pad)
	l.title = balance(f.Title, titleSize, inner, true)
	y += float64(len(l.title)) * lineHeight(titleSize)
	l.sub = balance(f.Subtitle, subSize, inner, false)
	y += float64(len(l.sub))*lineHeight(subSize) + 10
	sharedY, sharedX := false, false
	for _, b := range l.panels {
		sharedY = sharedY || (b.Y == nil && b.geo == nil)
		sharedX = sharedX || (b.X == nil && b.geo == nil)
	}
	if sharedY && f.Y.Label != "" {
		y += lineHeight(textSize)
		l.yLabel = y - 4
		y += axisLabelGap
	}
	y += 4

	rows := (n + cols - 1) / cols
	for r := range rows {
		var head, plotH, foot float64
		row := l.panels[r*cols : min(n, (r+1)*cols)]
		for _, b := range row {
			b.left = colX[b.col]
			b.plot.x = b.left + left[b.col]
			b.plot.w = plotW
			b.title = wrap(b.Title, textSize+1, plotW+right[b.col], true)
			if b.Caption.Text != "" {
				t := f.table(b.Caption.Table)
				b.caption = wrap(t.fill(b.Caption.Text, selectRows(t, b.Caption.Where)[0]), textSize, plotW+right[b.col], false)
			}
			h := float64(len(b.title))*lineHeight(textSize+1) + float64(len(b.caption))*lineHeight(textSize)
			if b.ownYLabel {
				h += lineHeight(textSize) + axisLabelGap
			}
			if h > 0 {
				h += 6
			}
			head = max(head, h)
			plotH = max(plotH, f.plotHeight(b))
			var ft float64
			if b.xTicks {
				ft += textSize + tickGap + 4
			}
			if b.ownXLabel {
				ft += lineHeight(textSize)
			}
			if b.geo != nil {
				ft += legendHeight
			}
			foot = max(foot, ft)
		}
		for _, b := range row {
			b.top = y
			b.plot.y = y + head
			b.plot.h = plotH
			if b.Height > 0 {
				b.plot.h = b.Height
			}
		}
		y += head + plotH + foot
		if r < rows-1 {
			y += rowGap
		}
	}
	if sharedX && f.X.Label != "" {
		y += lineHeight(textSize)
		l.xLabel = y - 2
	}
	f.setScales(l.panels, ext, plotW)

	y += 10
	l.notesY = y
	for _, note := range f.Notes {
		for _, line := range wrap(note, textSize, inner, false) {
			l.notes = append(l.notes, line)
			y += lineHeight(textSize)
		}
	}
	l.source = wrap(f.Source, smallSize, inner, false)
	y += float64(len(l.source))*lineHeight(smallSize) + pad
	l.height = math.Ceil(y)
	return l
}

// setScales fixes each axis's domain once (so panels sharing an axis share
// it exactly) and gives each panel its pixel ranges, for plots w wide and
// as high as each panel's.
func (f *Figure) setScales(boxes []*panelBox, ext map[*Axis]*extent, w float64) {
	domains := map[*Axis]*scale{}
	for _, b := range boxes {
		if b.geo != nil {
			continue
		}
		ph := b.plot.h
		for _, d := range []struct {
			a       *Axis
			length  float64
			spacing float64
			s       **scale
		}{{b.xa, w, xTickSpacing, &b.xs}, {b.ya, ph, yTickSpacing, &b.ys}} {
			base := domains[d.a]
			if base == nil {
				base = newScale(d.a, ext[d.a], d.length, d.spacing)
				domains[d.a] = base
			}
			s := *base
			*d.s = &s
		}
		b.xs.r0, b.xs.r1 = b.plot.x, b.plot.x+w
		b.ys.r0, b.ys.r1 = b.plot.y+ph, b.plot.y
		if b.ya.Scale == Ordinal {
			// Categories read top to bottom.
			b.ys.r0, b.ys.r1 = b.plot.y, b.plot.y+ph
		}
	}
}

// yGutter is the width of the y tick labels or category names.
func (f *Figure) yGutter(b *panelBox) float64 {
	var w float64
	if b.ys.kind == Ordinal {
		for _, c := range b.ys.cats {
			w = max(w, textWidth(c, textSize, false))
		}
	} else {
		for _, t := range b.ys.ticks {
			w = max(w, textWidth(b.ys.tickLabel(t, b.ya.Signed), textSize, false))
		}
	}
	return math.Ceil(w) + tickGap + 2
}

// rightGutter is room for the labels at the ends of series and bars.
func (f *Figure) rightGutter(b *panelBox) float64 {
	var w float64
	for _, m := range b.Marks {
		t := f.table(m.rows().Table)
		rows := selectRows(t, m.rows().Where)
		switch m := m.(type) {
		case Line:
			if all := seriesOf(t, m.Series, m.Label, rows); len(all) > 1 {
				for _, s := range all {
					w = max(w, swatchWidth+textWidth(s.name, textSize, false))
				}
			}
		case Bar:
			if b.ya.Scale != Ordinal {
				continue
			}
			for _, i := range rows {
				w = max(w, textWidth(barText(t, m, i), textSize, false))
			}
		case Rule:
			if m.Axis != Y || m.Label == "" {
				continue
			}
			for _, i := range rows {
				w = max(w, textWidth(t.column(m.Label).text(i), textSize, false))
			}
		}
	}
	if w == 0 {
		return 0
	}
	return math.Ceil(w) + 8
}

const (
	swatchWidth  = 20
	legendHeight = 76
	aspect       = 0.62 // height to width of a plot that sets no height
)

// plotHeight is the height a panel's plot area asks for.
func (f *Figure) plotHeight(b *panelBox) float64 {
	if b.Height > 0 {
		return b.Height
	}
	if b.geo != nil {
		return math.Round(b.plot.w * b.geo.Frame[3] / b.geo.Frame[2])
	}
	if b.ys.kind == Ordinal {
		per := 16.0
		for _, m := range b.Marks {
			switch m.(type) {
			case Bar, Interval:
				per = 24
			}
		}
		return per * float64(len(b.ys.cats))
	}
	return math.Round(min(360, max(90, b.plot.w*aspect)))
}

func (f *Figure) draw(s *svg, l *layout) {
	id := f.ID
	s.open("svg", "xmlns", "http://www.w3.org/2000/svg", "viewBox", "0 0 "+px(l.width)+" "+px(l.height),
		"width", "100%", "role", "img", "aria-labelledby", id+"-title "+id+"-desc",
		"font-family", "inherit", "font-size", px(textSize), "fill", textColor)
	s.w.WriteString("\n")
	s.leaf("title", f.Title, "id", id+"-title")
	s.leaf("desc", f.Alt, "id", id+"-desc")
	s.empty("rect", "width", px(l.width), "height", px(l.height), "fill", "#ffffff")

	y := float64(pad)
	for _, line := range l.title {
		y += lineHeight(titleSize)
		s.leaf("text", line, "class", "title", "x", px(pad), "y", px(y-6), "font-size", px(titleSize), "font-weight", "bold")
	}
	for _, line := range l.sub {
		y += lineHeight(subSize)
		s.leaf("text", line, "class", "subtitle", "x", px(pad), "y", px(y-4), "font-size", px(subSize), "fill", mutedColor)
	}
	if l.yLabel > 0 {
		s.leaf("text", f.Y.Label, "class", "axis-label", "x", px(pad), "y", px(l.yLabel), "fill", textColor)
	}
	for _, b := range l.panels {
		f.drawPanel(s, b)
	}
	if l.xLabel > 0 {
		mid := (l.panels[0].plot.x + l.width - pad) / 2
		s.leaf("text", f.X.Label, "class", "axis-label", "x", px(mid), "y", px(l.xLabel), "text-anchor", "middle")
	}
	y = l.notesY
	for _, line := range l.notes {
		y += lineHeight(textSize)
		s.leaf("text", line, "class", "note", "x", px(pad), "y", px(y-3), "fill", mutedColor)
	}
	for _, line := range l.source {
		y += lineHeight(smallSize)
		s.leaf("text", line, "class", "source", "x", px(pad), "y", px(y-3), "font-size", px(smallSize), "fill", mutedColor)
	}
	s.close("svg")
}

func (f *Figure) drawPanel(s *svg, b *panelBox) {
	s.open("g", "class", "panel")
	s.w.WriteString("\n")
	y := b.top
	for _, line := range b.title {
		y += lineHeight(textSize + 1)
		s.leaf("text", line, "class", "panel-title", "x", px(b.plot.x), "y", px(y-4), "font-size", px(textSize+1), "font-weight", "bold")
	}
	for _, line := range b.caption {
		y += lineHeight(textSize)
		s.leaf("text", line, "class", "caption", "x", px(b.plot.x), "y", px(y-4), "fill", mutedColor, "font-variant", "tabular-nums")
	}
	if b.ownYLabel {
		y += lineHeight(textSize)
		s.leaf("text", b.Y.Label, "class", "axis-label", "x", px(b.left), "y", px(y-4))
	}
	if b.geo == nil {
		f.drawGrid(s, b)
	}
	p := &painter{f: f, s: s, b: b}
	for _, m := range b.Marks {
		p.mark(m)
	}
	p.labels()
	if b.geo == nil {
		f.drawTicks(s, b)
	}
	s.close("g")
}

// drawGrid draws gridlines along the value axis and a darker line at zero
// where a linear domain crosses it.
func (f *Figure) drawGrid(s *svg, b *panelBox) {
	p := b.plot
	if b.ys.kind == Linear {
		for _, t := range b.ys.ticks {
			y := b.ys.at(t)
			color := gridColor
			if t == 0 {
				color = axisColor
			}
			s.empty("line", "x1", px(p.x), "x2", px(p.x+p.w), "y1", px(y), "y2", px(y), "stroke", color, "stroke-width", "1")
		}
	} else {
		// A light rule between categories guides the eye along a row.
		for _, c := range b.ys.cats {
			y := b.ys.catAt(c)
			s.empty("line", "x1", px(p.x), "x2", px(p.x+p.w), "y1", px(y), "y2", px(y), "stroke", "#eeeeee", "stroke-width", "1")
		}
	}
	if b.xs.kind == Linear {
		for _, t := range b.xs.ticks {
			if t == 0 && b.xs.d0 < 0 {
				x := b.xs.at(0)
				s.empty("line", "x1", px(x), "x2", px(x), "y1", px(p.y), "y2", px(p.y+p.h), "stroke", axisColor, "stroke-width", "1")
			} else if b.ys.kind == Ordinal {
				x := b.xs.at(t)
				s.empty("line", "x1", px(x), "x2", px(x), "y1", px(p.y), "y2", px(p.y+p.h), "stroke", gridColor, "stroke-width", "1")
			}
		}
	}
	if b.ys.kind == Linear && b.ys.d0 < 0 && b.ys.d1 > 0 {
		return
	}
	// The baseline: the bottom of a linear y axis.
	if b.ys.kind == Linear {
		s.empty("line", "x1", px(p.x), "x2", px(p.x+p.w), "y1", px(p.y+p.h), "y2", px(p.y+p.h), "stroke", axisColor, "stroke-width", "1")
	}
}

func (f *Figure) drawTicks(s *svg, b *panelBox) {
	p := b.plot
	num := []string{"fill", mutedColor, "font-variant", "tabular-nums"}
	if b.yTicks {
		x := px(p.x - tickGap)
		if b.ys.kind == Linear {
			for _, t := range b.ys.ticks {
				s.leaf("text", b.ys.tickLabel(t, b.ya.Signed), append([]string{"class", "tick", "x", x, "y", px(b.ys.at(t) + 4), "text-anchor", "end"}, num...)...)
			}
		} else {
			for _, c := range b.ys.cats {
				s.leaf("text", c, "class", "tick", "x", x, "y", px(b.ys.catAt(c)+4), "text-anchor", "end", "fill", textColor)
			}
		}
	}
	if b.xTicks {
		y := p.y + p.h + tickGap + textSize - 1
		if b.xs.kind == Linear {
			for i, t := range b.xs.ticks {
				x := b.xs.at(t)
				anchor := "middle"
				// The outer ticks keep inside the plot's width.
				if i == len(b.xs.ticks)-1 && textWidth(b.xs.tickLabel(t, b.xa.Signed), textSize, false)/2 > p.x+p.w-x+colGap/2 {
					anchor = "end"
				}
				s.empty("line", "x1", px(x), "x2", px(x), "y1", px(p.y+p.h), "y2", px(p.y+p.h+4), "stroke", axisColor, "stroke-width", "1")
				s.leaf("text", b.xs.tickLabel(t, b.xa.Signed), append([]string{"class", "tick", "x", px(x), "y", px(y + 3), "text-anchor", anchor}, num...)...)
			}
		} else {
			for _, c := range b.xs.cats {
				s.leaf("text", c, "class", "tick", "x", px(b.xs.catAt(c)), "y", px(y+3), "text-anchor", "middle")
			}
		}
		if b.ownXLabel {
			s.leaf("text", b.X.Label, "class", "axis-label", "x", px(p.x+p.w/2), "y", px(y+3+lineHeight(textSize)), "text-anchor", "middle")
		}
	}
}

// title is the text of a mark's <title>: its name, then each value with
// its column's name and unit.
func markTitle(name string, t *Table, i int, cols ...string) string {
	lines := []string{}
	if name != "" {
		lines = append(lines, name)
	}
	for k, c := range cols {
		if c == "" || slices.Contains(cols[:k], c) {
			continue
		}
		col := t.column(c)
		v := col.text(i)
		if col.Unit != "" && col.Num != nil && !math.IsNaN(col.Num[i]) {
			v += " " + col.Unit
		}
		lines = append(lines, col.Name+": "+v)
	}
	return strings.Join(lines, "\n")
}
