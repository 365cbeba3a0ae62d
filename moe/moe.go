// Package moe gives the margins of error of estimates derived from American
// Community Survey estimates (sums, differences, proportions, ratios,
// products) and their reliability. It is arithmetic on assay.Estimate, used
// by the census readers and the analyses alike.
package moe

import (
	"math"

	"github.com/assaylab/assay"
)

// Margins of error for derived estimates, by the approximations in the
// Census Bureau's "Understanding and Using American Community Survey Data:
// What All Data Users Need to Know" (2018), chapter 8, "Calculating Measures
// of Error for Derived Estimates". They assume the components are
// uncorrelated; the handbook warns they can over- or understate the true
// error of a derived estimate.
//
// ACS margins of error are published at 90% confidence (Z90). An input
// whose MOE is annotated "controlled" (-555555555, "*****") counts as
// having no sampling error; an input with any other null MOE makes the
// result's MOE null.

// Z values the Census Bureau uses for its confidence levels.
const (
	Z90 = 1.645
	Z95 = 1.960
)

// SE converts a published 90% margin of error to a standard error.
func SE(moe90 float64) float64 { return moe90 / Z90 }

// MOEFromSE converts a standard error to a 90% margin of error.
func MOEFromSE(se float64) float64 { return se * Z90 }

// MOE95 re-scales a published 90% margin of error to 95% confidence.
func MOE95(moe90 float64) float64 { return moe90 / Z90 * Z95 }

// Sum is the estimate of a sum with its MOE: the square root of the sum of
// the squared component MOEs. Where several components are zero estimates,
// only the largest of their MOEs is included (handbook ch. 8: zero
// estimates of one table have nearly identical MOEs that otherwise inflate
// the sum's).
func Sum(parts ...assay.Estimate) assay.Estimate {
	if bad, ok := nullValue(parts); ok {
		return bad
	}
	var total, squares, zeroMax float64
	for _, p := range parts {
		total += p.Value.V
	}
	out := assay.Estimate{Value: assay.Some(total)}
	ms, why := moes(parts)
	if why != "" {
		out.MOEAnnotation = why
		return out
	}
	for i, p := range parts {
		if p.Value.V == 0 {
			zeroMax = math.Max(zeroMax, ms[i])
			continue
		}
		squares += ms[i] * ms[i]
	}
	out.MOE = assay.Some(math.Sqrt(squares + zeroMax*zeroMax))
	return out
}

// Difference is a - b with MOE sqrt(MOE_a² + MOE_b²).
func Difference(a, b assay.Estimate) assay.Estimate {
	parts := []assay.Estimate{a, b}
	if bad, ok := nullValue(parts); ok {
		return bad
	}
	out := assay.Estimate{Value: assay.Some(a.Value.V - b.Value.V)}
	ms, why := moes(parts)
	if why != "" {
		out.MOEAnnotation = why
		return out
	}
	out.MOE = assay.Some(math.Hypot(ms[0], ms[1]))
	return out
}

// Proportion is num/den where num is a subset of den (NTCA-born of total
// population), with MOE (1/den)·sqrt(MOE_num² − p²·MOE_den²). When the
// radicand is negative the handbook's fallback is the ratio formula.
func Proportion(num, den assay.Estimate) assay.Estimate {
	return quotient(num, den, true)
}

// Ratio is num/den where num is not a subset of den, with MOE
// (1/den)·sqrt(MOE_num² + R²·MOE_den²).
func Ratio(num, den assay.Estimate) assay.Estimate {
	return quotient(num, den, false)
}

func quotient(num, den assay.Estimate, proportion bool) assay.Estimate {
	parts := []assay.Estimate{num, den}
	if bad, ok := nullValue(parts); ok {
		return bad
	}
	if den.Value.V == 0 {
		return assay.Estimate{Annotation: assay.AnnotZeroDenominator, MOEAnnotation: assay.AnnotZeroDenominator}
	}
	r := num.Value.V / den.Value.V
	out := assay.Estimate{Value: assay.Some(r)}
	ms, why := moes(parts)
	if why != "" {
		out.MOEAnnotation = why
		return out
	}
	mn, md := ms[0], ms[1]
	rad := mn*mn + r*r*md*md
	if proportion {
		if sub := mn*mn - r*r*md*md; sub >= 0 {
			rad = sub
		}
	}
	out.MOE = assay.Some(math.Sqrt(rad) / math.Abs(den.Value.V))
	return out
}

// Product is a·b with MOE sqrt(a²·MOE_b² + b²·MOE_a²).
func Product(a, b assay.Estimate) assay.Estimate {
	parts := []assay.Estimate{a, b}
	if bad, ok := nullValue(parts); ok {
		return bad
	}
	out := assay.Estimate{Value: assay.Some(a.Value.V * b.Value.V)}
	ms, why := moes(parts)
	if why != "" {
		out.MOEAnnotation = why
		return out
	}
	out.MOE = assay.Some(math.Sqrt(a.Value.V*a.Value.V*ms[1]*ms[1] + b.Value.V*b.Value.V*ms[0]*ms[0]))
	return out
}

// nullValue returns the null result of a derivation with a null input.
func nullValue(parts []assay.Estimate) (assay.Estimate, bool) {
	if len(parts) == 0 {
		return assay.Estimate{Annotation: assay.AnnotNullComponent, MOEAnnotation: assay.AnnotNullComponent}, true
	}
	for _, p := range parts {
		if !p.Value.Valid {
			return assay.Estimate{Annotation: assay.AnnotNullComponent, MOEAnnotation: assay.AnnotNullComponent}, true
		}
	}
	return assay.Estimate{}, false
}

// moes returns the inputs' MOEs for the formulas, or why the result's MOE
// is null: "controlled" when every input is controlled (the result has no
// sampling error either), "not_published" when the sources carry no MOE,
// else "null_component".
func moes(parts []assay.Estimate) ([]float64, string) {
	out := make([]float64, len(parts))
	controlled, unpublished, other := 0, 0, 0
	for i, p := range parts {
		m, ok := moeValue(p)
		switch {
		case !ok && p.MOEAnnotation == assay.AnnotNotPublished:
			unpublished++
		case !ok:
			other++
		case !p.MOE.Valid:
			controlled++
		}
		out[i] = m
	}
	switch {
	case other > 0:
		return nil, assay.AnnotNullComponent
	case unpublished > 0:
		return nil, assay.AnnotNotPublished
	case controlled == len(parts):
		return nil, assay.AnnotControlled
	}
	return out, ""
}

// Interval is an estimate's 90% interval, value ± MOE: a controlled
// estimate has no sampling error, so its interval is the value. ok is false
// when the value or a usable MOE is missing.
func Interval(e assay.Estimate) (lo, hi float64, ok bool) {
	m, ok := moeValue(e)
	if !ok || !e.Value.Valid {
		return 0, 0, false
	}
	return e.Value.V - m, e.Value.V + m, true
}

// CV is the coefficient of variation in percent: SE / estimate · 100. It is
// null where the estimate is zero or null or the MOE unusable.
func CV(e assay.Estimate) assay.Num {
	m, ok := moeValue(e)
	if !ok || !e.Value.Valid || e.Value.V == 0 {
		return assay.Null
	}
	return assay.Some(SE(m) / math.Abs(e.Value.V) * 100)
}

// Reliability grades an estimate by its CV.
type Reliability string

const (
	ReliabilityHigh    Reliability = "high"    // CV < 12%
	ReliabilityMedium  Reliability = "medium"  // 12% <= CV <= 40%
	ReliabilityLow     Reliability = "low"     // CV > 40%
	ReliabilityUnknown Reliability = "unknown" // CV undefined
)

// Reliable grades an estimate by the thresholds in Esri's "The American
// Community Survey" white paper (2014), also used by Census Reporter and
// many state data centers: high below 12%, medium 12-40%, low above 40%.
func Reliable(e assay.Estimate) Reliability {
	cv := CV(e)
	switch {
	case !cv.Valid:
		return ReliabilityUnknown
	case cv.V < 12:
		return ReliabilityHigh
	case cv.V <= 40:
		return ReliabilityMedium
	}
	return ReliabilityLow
}

// moeValue returns the MOE to use in derived-estimate formulas: the
// published one, or zero for a controlled estimate, which has no sampling
// error.
func moeValue(e assay.Estimate) (float64, bool) {
	if e.MOE.Valid {
		return e.MOE.V, true
	}
	if e.MOEAnnotation == assay.AnnotControlled {
		return 0, true
	}
	return 0, false
}
