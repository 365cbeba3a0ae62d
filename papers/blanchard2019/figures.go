package blanchard2019

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// figures are the stated numbers the evaluations compare with, written as
// the claims list writes them (in the stated value or the claim's text),
// so that they are read from the list's words, not retyped as numbers;
// TestFiguresQuoteTheList checks each is there.
var figures = map[string]map[string]string{
	"WP02": {"base": "1.5 million", "ratio": "2.0"},
	"WP04": {"share": "1%"},
	"WP11": {"members": "10,000", "share": "0.3%"},
	"WP14": {"offences": "1.2 million"},
	"WP15": {"members": "10000", "gang": "1.4 million"},
	"XS01": {"count": "3.4 million"},
	"XS02": {"change": "+400000"},
	"XS03": {"count": "1.4 million"},
}

// figure is a stated number. Half is half a unit of its last significant
// digit: how far a value may be from it and still be "about" it.
type figure struct {
	Text  string
	Value float64 // a percentage is a fraction here: "0.3%" is 0.003
	Half  float64
}

// Meets reports whether the interval [lo, hi] reaches the figure's
// rounding interval.
func (f figure) Meets(lo, hi float64) bool {
	return hi >= f.Value-f.Half && lo <= f.Value+f.Half
}

// stated returns one of a claim's figures.
func stated(id, key string) (figure, error) {
	text, ok := figures[id][key]
	if !ok {
		return figure{}, fmt.Errorf("claim %s: no stated figure %q", id, key)
	}
	f, err := parseFigure(text)
	if err != nil {
		return figure{}, fmt.Errorf("claim %s figure %s: %w", id, key, err)
	}
	return f, nil
}

// parseFigure reads "1.5 million", "10,000", "+400000", "0.3%" and "2.0".
// A decimal figure is precise to its last decimal; in a whole number
// trailing zeros are not significant ("400000" is about 400,000 ± 50,000).
func parseFigure(text string) (figure, error) {
	s := strings.TrimPrefix(strings.TrimSpace(text), "+")
	scale := 1.0
	if t, ok := strings.CutSuffix(s, "%"); ok {
		s, scale = t, 0.01
	} else if t, ok := strings.CutSuffix(s, " million"); ok {
		s, scale = t, 1e6
	}
	s = strings.ReplaceAll(s, ",", "")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || s == "" || strings.ContainsAny(s, "eE+-") || math.IsInf(v, 0) || math.IsNaN(v) {
		return figure{}, fmt.Errorf("%q is not a plain number", text)
	}
	var unit float64
	if _, frac, ok := strings.Cut(s, "."); ok {
		unit = math.Pow(10, -float64(len(frac)))
	} else {
		unit = math.Pow(10, float64(len(s)-len(strings.TrimRight(s, "0"))))
		if v == 0 {
			unit = 1
		}
	}
	return figure{Text: text, Value: v * scale, Half: unit / 2 * scale}, nil
}
