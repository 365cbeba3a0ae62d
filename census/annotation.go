package census

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
)

var annotReasons = map[string]string{
	assay.AnnotTooFewCases:     "not displayed: too few sample cases in the area (N)",
	assay.AnnotNotApplicable:   "not applicable or not available ((X))",
	assay.AnnotNotComputed:     "could not be computed: too few sample observations, or a median in an open-ended interval (-)",
	assay.AnnotControlled:      "controlled to an independent estimate: no sampling error, MOE may be treated as zero (*****)",
	assay.AnnotMedianOpenMOE:   "MOE not computed: the median falls in an open-ended interval (***)",
	assay.AnnotMOENotComputed:  "MOE not computed: too few sample observations (**)",
	assay.AnnotEmpty:           "cell empty in the source",
	assay.AnnotInvalid:         "cell is neither a number nor a known annotation",
	assay.AnnotNotPublished:    "the source file carries no margin of error",
	assay.AnnotNullComponent:   "derived from a null component",
	assay.AnnotZeroDenominator: "denominator is zero",
	assay.AnnotMissingMember:   "a member county of the metro has no data",
}

var symbolCodes = map[string]string{
	"N":     assay.AnnotTooFewCases,
	"(X)":   assay.AnnotNotApplicable,
	"-":     assay.AnnotNotComputed,
	"*****": assay.AnnotControlled,
	"***":   assay.AnnotMedianOpenMOE,
	"**":    assay.AnnotMOENotComputed,
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
// error (and null with assay.AnnotInvalid) for the caller to audit.
func parseCell(s string) (assay.Num, string, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "null" {
		return assay.Null, assay.AnnotEmpty, nil
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
		return assay.Null, assay.AnnotInvalid, fmt.Errorf("value %q is not a number or a Census annotation", s)
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
	return assay.AnnotInvalid, fmt.Errorf("annotation %q is not a known Census annotation", s)
}
