package moe

import (
	"math"
	"testing"

	"github.com/assaylab/assay"
)

func est(v float64) assay.Estimate {
	return assay.Estimate{Value: assay.Some(v), MOE: assay.Null, MOEAnnotation: assay.AnnotNotPublished}
}

func estMOE(v, m float64) assay.Estimate {
	return assay.Estimate{Value: assay.Some(v), MOE: assay.Some(m)}
}

func controlled(v float64) assay.Estimate {
	return assay.Estimate{Value: assay.Some(v), MOEAnnotation: assay.AnnotControlled}
}

func TestDerivedMOE(t *testing.T) {
	nullV := assay.Estimate{Annotation: assay.AnnotNotComputed, MOEAnnotation: assay.AnnotMOENotComputed}
	noMOE := assay.Estimate{Value: assay.Some(10), MOEAnnotation: assay.AnnotMOENotComputed}
	tests := []struct {
		name      string
		got       assay.Estimate
		value     float64
		moe       float64 // NaN: MOE must be null
		moeAnnot  string
		nullValue bool
	}{
		// Handbook 2018 ch. 8, proportion example: never-married females
		// X = 203,119 (MOE 5,070) of all females Y = 630,498 (MOE 831).
		// P = 203,119 / 630,498 = 0.322156...
		// MOE = sqrt(5,070² − 0.322156² · 831²) / 630,498
		//     = sqrt(25,704,900 − 0.103785 · 690,561) / 630,498
		//     = sqrt(25,633,231) / 630,498 = 5,062.93 / 630,498 = 0.0080300
		// (the handbook rounds to 0.008, i.e. ±0.8 percentage points).
		{name: "proportion handbook", got: Proportion(estMOE(203119, 5070), estMOE(630498, 831)),
			value: 203119.0 / 630498, moe: 0.0080300},
		// The radicand 40² − (50/60)²·60² = 1,600 − 2,500 < 0, so the ratio
		// formula applies: sqrt(1,600 + 2,500) / 60 = 64.0312 / 60 = 1.067187.
		{name: "proportion fallback to ratio", got: Proportion(estMOE(50, 40), estMOE(60, 60)),
			value: 50.0 / 60, moe: 1.067187},
		// Controlled denominator (total population): MOE = MOE_X / Y = 500/100,000.
		{name: "proportion controlled denominator", got: Proportion(estMOE(2000, 500), controlled(100000)),
			value: 0.02, moe: 0.005},
		// R = 400/200 = 2; MOE = sqrt(60² + 2²·30²)/200 = sqrt(7,200)/200 = 0.424264.
		{name: "ratio", got: Ratio(estMOE(400, 60), estMOE(200, 30)), value: 2, moe: 0.424264},
		// 0.5 · 1,000 = 500; MOE = sqrt(0.5²·100² + 1,000²·0.05²) = sqrt(5,000) = 70.7107.
		{name: "product", got: Product(estMOE(0.5, 0.05), estMOE(1000, 100)), value: 500, moe: 70.7107},
		// 500 − 200 = 300; MOE = sqrt(30² + 40²) = 50.
		{name: "difference", got: Difference(estMOE(500, 30), estMOE(200, 40)), value: 300, moe: 50},
		// sqrt(1,000² + 2,000² + 500²) = sqrt(5,250,000) = 2,291.2878.
		{name: "sum", got: Sum(estMOE(10000, 1000), estMOE(20000, 2000), estMOE(5000, 500)), value: 35000, moe: 2291.2878},
		// Zero rule: of the zero estimates (MOEs 30, 40, 20) only the largest
		// counts: sqrt(50² + 40²) = sqrt(4,100) = 64.0312, not sqrt(5,400).
		{name: "sum zero rule", got: Sum(estMOE(100, 50), estMOE(0, 30), estMOE(0, 40), estMOE(0, 20)), value: 100, moe: 64.0312},
		{name: "sum all zero", got: Sum(estMOE(0, 30), estMOE(0, 40)), value: 0, moe: 40},
		// A controlled part adds no error: sqrt(0² + 30²) = 30.
		{name: "sum with controlled part", got: Sum(controlled(1000), estMOE(200, 30)), value: 1200, moe: 30},
		{name: "sum all controlled", got: Sum(controlled(1000), controlled(2000)), value: 3000, moe: math.NaN(), moeAnnot: assay.AnnotControlled},
		{name: "sum null value", got: Sum(estMOE(1, 1), nullV), nullValue: true, moe: math.NaN(), moeAnnot: assay.AnnotNullComponent},
		{name: "sum MOE not computed", got: Sum(estMOE(1, 1), noMOE), value: 11, moe: math.NaN(), moeAnnot: assay.AnnotNullComponent},
		{name: "sum no MOE published", got: Sum(est(1), est(2)), value: 3, moe: math.NaN(), moeAnnot: assay.AnnotNotPublished},
		{name: "sum of nothing", got: Sum(), nullValue: true, moe: math.NaN(), moeAnnot: assay.AnnotNullComponent},
		{name: "zero denominator", got: Proportion(estMOE(0, 5), estMOE(0, 5)), nullValue: true, moe: math.NaN(), moeAnnot: assay.AnnotZeroDenominator},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := tc.got
			if tc.nullValue {
				if g.Value.Valid || g.Annotation == "" {
					t.Errorf("value %v %q, want null with a reason", g.Value, g.Annotation)
				}
			} else if !g.Value.Valid || math.Abs(g.Value.V-tc.value) > 1e-12*math.Max(1, math.Abs(tc.value)) {
				t.Errorf("value %v, want %v", g.Value, tc.value)
			}
			if math.IsNaN(tc.moe) {
				if g.MOE.Valid || g.MOEAnnotation != tc.moeAnnot {
					t.Errorf("MOE %v %q, want null %q", g.MOE, g.MOEAnnotation, tc.moeAnnot)
				}
				return
			}
			if !g.MOE.Valid || math.Abs(g.MOE.V-tc.moe) > 5e-5*math.Max(1, tc.moe) {
				t.Errorf("MOE %v, want %v", g.MOE, tc.moe)
			}
		})
	}
}

func TestReliability(t *testing.T) {
	tests := []struct {
		e    assay.Estimate
		cv   float64 // NaN: undefined
		want Reliability
	}{
		// SE = 164.5/1.645 = 100; CV = 100/1,000 = 10%.
		{estMOE(1000, 164.5), 10, ReliabilityHigh},
		{estMOE(1000, 197.4), 12, ReliabilityMedium}, // SE 120: exactly 12% is medium
		{estMOE(1000, 329), 20, ReliabilityMedium},
		{estMOE(1000, 658), 40, ReliabilityMedium},
		{estMOE(1000, 822.5), 50, ReliabilityLow},
		{estMOE(0, 10), math.NaN(), ReliabilityUnknown},
		{controlled(1000), 0, ReliabilityHigh},
		{assay.Estimate{Value: assay.Some(5), MOEAnnotation: assay.AnnotMOENotComputed}, math.NaN(), ReliabilityUnknown},
	}
	for _, tc := range tests {
		cv := CV(tc.e)
		if math.IsNaN(tc.cv) != !cv.Valid || (cv.Valid && math.Abs(cv.V-tc.cv) > 1e-9) {
			t.Errorf("CV(%+v) = %v, want %v", tc.e, cv, tc.cv)
		}
		if got := Reliable(tc.e); got != tc.want {
			t.Errorf("Reliable(%+v) = %s, want %s", tc.e, got, tc.want)
		}
	}
}

func TestConfidenceConversions(t *testing.T) {
	// 90% MOE 164.5 -> SE 100 -> 95% MOE 196.0.
	if got := SE(164.5); math.Abs(got-100) > 1e-9 {
		t.Errorf("SE(164.5) = %v, want 100", got)
	}
	if got := MOEFromSE(100); math.Abs(got-164.5) > 1e-9 {
		t.Errorf("MOEFromSE(100) = %v, want 164.5", got)
	}
	if got := MOE95(164.5); math.Abs(got-196) > 1e-9 {
		t.Errorf("MOE95(164.5) = %v, want 196", got)
	}
}

func TestInterval(t *testing.T) {
	for _, tc := range []struct {
		name   string
		e      assay.Estimate
		lo, hi float64
		ok     bool
	}{
		{"published MOE", estMOE(100, 15), 85, 115, true},
		{"controlled: no sampling error", controlled(100), 100, 100, true},
		{"MOE not published", est(100), 0, 0, false},
		{"null value", assay.Estimate{MOE: assay.Some(5)}, 0, 0, false},
	} {
		lo, hi, ok := Interval(tc.e)
		if lo != tc.lo || hi != tc.hi || ok != tc.ok {
			t.Errorf("%s: Interval = %g, %g, %v; want %g, %g, %v", tc.name, lo, hi, ok, tc.lo, tc.hi, tc.ok)
		}
	}
}
