package chart

import (
	"math"
	"strconv"
	"strings"
)

// svg writes elements with presentation attributes only. Attributes are
// name, value pairs written in the order given, so output is deterministic.
type svg struct {
	b strings.Builder
}

func (s *svg) open(name string, attrs ...string) {
	s.start(name, attrs)
	s.b.WriteString(">")
}

func (s *svg) close(name string) {
	s.b.WriteString("</" + name + ">\n")
}

func (s *svg) empty(name string, attrs ...string) {
	s.start(name, attrs)
	s.b.WriteString("/>\n")
}

// leaf writes an element holding text.
func (s *svg) leaf(name, text string, attrs ...string) {
	s.start(name, attrs)
	s.b.WriteString(">")
	s.b.WriteString(escape(text))
	s.close(name)
}

func (s *svg) start(name string, attrs []string) {
	s.b.WriteString("<" + name)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			continue
		}
		s.b.WriteString(" " + attrs[i] + `="` + escape(attrs[i+1]) + `"`)
	}
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func escape(s string) string { return escaper.Replace(s) }

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
