package chart

import (
	"math"
	"slices"
	"strconv"
)

// scale maps data to a pixel range. A linear scale maps numbers; a band
// scale gives each category an equal band and maps it to the band's centre.
type scale struct {
	kind   ScaleKind
	d0, d1 float64 // linear domain
	step   float64 // between ticks
	ticks  []float64
	cats   []string
	r0, r1 float64 // pixel range: d0 (or the first band) maps to r0
}

func (s *scale) at(v float64) float64 {
	return s.r0 + (v-s.d0)/(s.d1-s.d0)*(s.r1-s.r0)
}

// bandwidth is the pixels one category takes.
func (s *scale) bandwidth() float64 {
	return math.Abs(s.r1-s.r0) / float64(max(1, len(s.cats)))
}

func (s *scale) catAt(c string) float64 {
	i := slices.Index(s.cats, c)
	dir := 1.0
	if s.r1 < s.r0 {
		dir = -1
	}
	return s.r0 + dir*(float64(i)+0.5)*s.bandwidth()
}

// extent gathers what an axis must show: numbers for a linear axis, the
// categories in order of appearance for a band axis.
type extent struct {
	lo, hi   float64
	integral bool // every number is a whole one (years, ranks)
	any      bool
	cats     []string
}

func (e *extent) add(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	if !e.any {
		e.lo, e.hi, e.integral, e.any = v, v, true, true
	}
	e.lo, e.hi = min(e.lo, v), max(e.hi, v)
	e.integral = e.integral && v == math.Trunc(v)
}

func (e *extent) addCat(c string) {
	if !slices.Contains(e.cats, c) {
		e.cats = append(e.cats, c)
	}
}

// newScale fixes the domain of an axis from its extent: the axis's own
// Domain exactly, else the data widened to nice ticks, about one per
// spacing px of the range length.
func newScale(a *Axis, e *extent, length, spacing float64) *scale {
	s := &scale{kind: a.Scale}
	if a.Scale == Ordinal {
		s.cats = slices.Clone(a.Categories)
		for _, c := range e.cats {
			if !slices.Contains(s.cats, c) {
				s.cats = append(s.cats, c)
			}
		}
		return s
	}
	lo, hi := e.lo, e.hi
	if !e.any {
		lo, hi = 0, 1
	}
	if a.Zero {
		lo, hi = min(lo, 0), max(hi, 0)
	}
	// At least three intervals, so that a narrow panel still labels two
	// ticks.
	n := max(3, math.Floor(length/spacing))
	if len(a.Domain) == 2 {
		s.d0, s.d1 = a.Domain[0], a.Domain[1]
		s.step = niceStep((s.d1-s.d0)/n, e.integral)
	} else {
		if lo == hi {
			pad := math.Max(1, math.Abs(lo)*0.1)
			lo, hi = lo-pad, hi+pad
		}
		s.step = niceStep((hi-lo)/n, e.integral)
		s.d0, s.d1 = math.Floor(lo/s.step)*s.step, math.Ceil(hi/s.step)*s.step
	}
	for k := math.Ceil(s.d0/s.step - 1e-9); k*s.step <= s.d1+s.step*1e-9; k++ {
		s.ticks = append(s.ticks, cleanZero(k*s.step))
	}
	return s
}

// niceStep rounds a raw step up to 1, 2, 2.5 or 5 times a power of ten;
// whole-number data (years) never get a step of 2.5.
func niceStep(raw float64, integral bool) float64 {
	if raw <= 0 || math.IsNaN(raw) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step := m * p
		if integral && (step < 1 || m == 2.5 && step < 10) {
			continue
		}
		if step >= raw*(1-1e-9) {
			return step
		}
	}
	return 10 * p
}

// cleanZero turns -0 and float noise around multiples of a step into clean
// tick values (0.30000000000000004 into 0.3).
func cleanZero(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if r == 0 {
		return 0
	}
	return r
}

// tickDecimals is how many decimals a step needs (2.5 needs 1).
func tickDecimals(step float64) int {
	for d := 0; d < 10; d++ {
		if math.Abs(step*math.Pow10(d)-math.Round(step*math.Pow10(d))) < 1e-9 {
			return d
		}
	}
	return 10
}

func (s *scale) tickLabel(v float64, signed bool) string {
	return formatNum(v, tickDecimals(s.step), signed && v != 0)
}
