package chart

import (
	"bufio"
	"math"
	"strconv"
	"strings"
)

// svg writes elements with presentation attributes only, straight to the
// output (a map's paths run to hundreds of kilobytes). Attributes are name,
// value pairs written in the order given, so output is deterministic; an
// empty value leaves the attribute out. A write error sticks in the
// bufio.Writer and comes back from its Flush.
type svg struct {
	w *bufio.Writer
}

func (s *svg) open(name string, attrs ...string) {
	s.start(name, attrs)
	s.w.WriteString(">")
}

func (s *svg) close(name string) {
	s.w.WriteString("</")
	s.w.WriteString(name)
	s.w.WriteString(">\n")
}

func (s *svg) empty(name string, attrs ...string) {
	s.start(name, attrs)
	s.w.WriteString("/>\n")
}

// leaf writes an element holding text.
func (s *svg) leaf(name, text string, attrs ...string) {
	s.start(name, attrs)
	s.w.WriteString(">")
	escaper.WriteString(s.w, text)
	s.close(name)
}

func (s *svg) start(name string, attrs []string) {
	s.w.WriteByte('<')
	s.w.WriteString(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			continue
		}
		s.w.WriteByte(' ')
		s.w.WriteString(attrs[i])
		s.w.WriteString(`="`)
		escaper.WriteString(s.w, attrs[i+1])
		s.w.WriteByte('"')
	}
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

// px writes a coordinate to a hundredth of a pixel, the finest a screen or
// printer shows.
func px(v float64) string {
	v = math.Round(v*100) / 100
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// pathData is a polyline as SVG path data.
func pathData(xs, ys []float64) string {
	var b strings.Builder
	for i := range xs {
		if i == 0 {
			b.WriteString("M")
		} else {
			b.WriteString("L")
		}
		b.WriteString(px(xs[i]) + "," + px(ys[i]))
	}
	return b.String()
}
