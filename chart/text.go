package chart

import "strings"

// The page's font is not known when the figure is drawn (the SVG inherits
// it), so text is measured with Helvetica's advance widths (Adobe's AFM, in
// thousandths of an em), which are close to the common sans-serif system
// fonts, and 8% is added so that wider ones (Segoe UI, Roboto) still fit.
var helvetica = [95]uint16{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
	278, 278, 584, 584, 584, 556, 1015, // : to @
	667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A-M
	722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N-Z
	278, 278, 278, 469, 556, 333, // [ to `
	556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a-m
	556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n-z
	334, 260, 334, 584, // { to ~
}

const widthMargin = 1.08

// textWidth estimates the width in px of s set at size px.
func textWidth(s string, size float64, bold bool) float64 {
	var em float64
	for _, r := range s {
		switch {
		case r >= ' ' && r <= '~':
			em += float64(helvetica[r-' '])
		case r == '→' || r == '—':
			em += 1000
		default: // −, –, ·, accented letters: about a digit
			em += 584
		}
	}
	w := em / 1000 * size * widthMargin
	if bold {
		w *= 1.06
	}
	return w
}

// wrap breaks s into lines no wider than width, at spaces and at each
// newline.
func wrap(s string, size, width float64, bold bool) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if line != "" && textWidth(try, size, bold) > width {
				lines = append(lines, line)
				try = word
			}
			line = try
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// balance wraps s into as few lines as wrap does, but of even length, so a
// title never ends on a lone word.
func balance(s string, size, width float64, bold bool) []string {
	lines := wrap(s, size, width, bold)
	if len(lines) < 2 {
		return lines
	}
	lo, hi := width/float64(len(lines)), width
	for hi-lo > 2 {
		mid := (lo + hi) / 2
		if len(wrap(s, size, mid, bold)) > len(lines) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return wrap(s, size, hi, bold)
}
