package census

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
)

// Annotation codes. The six jam values are the Census API's numeric stand-ins
// for annotated cells; data.census.gov and American FactFinder print the
// symbols that map onto them. Source: Census Bureau, "Notes on ACS API
// Variable Types" / "Notes on ACS Estimate and Annotation Values".
const (
	AnnotTooFewCases    = "-999999999" // "N"
	AnnotNotApplicable  = "-888888888" // "(X)"
	AnnotNotComputed    = "-666666666" // "-"
	AnnotControlled     = "-555555555" // "*****"
	AnnotMedianOpenMOE  = "-333333333" // "***"
	AnnotMOENotComputed = "-222222222" // "**"

	// AnnotEmpty marks a blank or null cell: the file gave no value at all.
	AnnotEmpty = "empty"
	// AnnotInvalid marks a cell that is neither a number nor a known code
	// (the reader also audits it).
	AnnotInvalid = "invalid"
	// AnnotNotPublished marks a margin of error the source file does not carry.
	AnnotNotPublished = "not_published"
	// AnnotNullComponent marks a derived estimate with a null input.
	AnnotNullComponent = "null_component"
	// AnnotZeroDenominator marks a proportion or ratio over zero.
	AnnotZeroDenominator = "zero_denominator"
	// AnnotMissingMember marks a metro total with a member county absent.
	AnnotMissingMember = "missing_member_county"
)

var annotReasons = map[string]string{
	AnnotTooFewCases:     "not displayed: too few sample cases in the area (N)",
	AnnotNotApplicable:   "not applicable or not available ((X))",
	AnnotNotComputed:     "could not be computed: too few sample observations, or a median in an open-ended interval (-)",
	AnnotControlled:      "controlled to an independent estimate: no sampling error, MOE may be treated as zero (*****)",
	AnnotMedianOpenMOE:   "MOE not computed: the median falls in an open-ended interval (***)",
	AnnotMOENotComputed:  "MOE not computed: too few sample observations (**)",
	AnnotEmpty:           "cell empty in the source",
	AnnotInvalid:         "cell is neither a number nor a known annotation",
	AnnotNotPublished:    "the source file carries no margin of error",
	AnnotNullComponent:   "derived from a null component",
	AnnotZeroDenominator: "denominator is zero",
	AnnotMissingMember:   "a member county of the metro has no data",
}

var symbolCodes = map[string]string{
	"N":     AnnotTooFewCases,
	"(X)":   AnnotNotApplicable,
	"-":     AnnotNotComputed,
	"*****": AnnotControlled,
	"***":   AnnotMedianOpenMOE,
	"**":    AnnotMOENotComputed,
}

// AnnotationReason describes an annotation code in words.
func AnnotationReason(code string) string {
	if r, ok := annotReasons[code]; ok {
		return r
	}
	if isOpenEnded(code) {
		return "median in an open-ended interval: the value is a bound, not an estimate (" + code + ")"
	}
	if isJam(code) {
		return "unrecognised Census annotation value " + code
	}
	return code
}

// isJam recognises the API's jam values: a minus sign and nine equal digits.
func isJam(s string) bool {
	if len(s) != 10 || s[0] != '-' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if s[i] != s[1] || s[i] < '1' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isOpenEnded recognises medians printed as bounds: "2,500-", "250,000+".
func isOpenEnded(s string) bool {
	if len(s) < 2 {
		return false
	}
	last := s[len(s)-1]
	if last != '-' && last != '+' {
		return false
	}
	_, err := strconv.ParseFloat(strings.ReplaceAll(s[:len(s)-1], ",", ""), 64)
	return err == nil
}

// parseCell reads one estimate or MOE cell. It returns the number, or null
// and the annotation code that replaced it. A cell that is neither gives an
// error (and null with AnnotInvalid) for the caller to audit.
func parseCell(s string) (assay.Num, string, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "null" {
		return assay.Null, AnnotEmpty, nil
	}
	if code, ok := symbolCodes[s]; ok {
		return assay.Null, code, nil
	}
	if isOpenEnded(s) {
		return assay.Null, s, nil
	}
	clean := strings.TrimPrefix(strings.TrimPrefix(s, "±"), "+/-")
	clean = strings.ReplaceAll(clean, ",", "")
	v, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		return assay.Null, AnnotInvalid, fmt.Errorf("value %q is not a number or a Census annotation", s)
	}
	if v < 0 && v == float64(int64(v)) {
		if code := strconv.FormatInt(int64(v), 10); isJam(code) {
			return assay.Null, code, nil
		}
	}
	return assay.Some(v), "", nil
}

// annotationCell reads an EA or MA column. "null", "" and the API's literal
// placeholders mean no annotation; anything else is a code that overrides
// the value beside it (the 2009 S0201 profile prints MOE 0 with "*****").
func annotationCell(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "null" {
		return "", nil
	}
	if code, ok := symbolCodes[s]; ok {
		return code, nil
	}
	if isOpenEnded(s) || isJam(s) {
		return s, nil
	}
	return AnnotInvalid, fmt.Errorf("annotation %q is not a known Census annotation", s)
}

// moeValue returns the MOE to use in derived-estimate formulas: the
// published one, or zero for a controlled estimate, which has no sampling
// error.
func moeValue(e assay.Estimate) (float64, bool) {
	if e.MOE.Valid {
		return e.MOE.V, true
	}
	if e.MOEAnnotation == AnnotControlled {
		return 0, true
	}
	return 0, false
}
