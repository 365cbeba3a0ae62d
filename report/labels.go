package report

import (
	"fmt"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/chart"
	"github.com/assaylab/assay/internal/textfmt"
	"github.com/assaylab/assay/study"
)

// quantity is what an axis or a column measures: words and a unit.
type quantity struct {
	Name string // "change in the violent-crime rate"
	Unit string // "per 100,000"; empty when the measure has none
}

// Axis is the label of an axis: the words capitalised, then the unit.
func (q quantity) Axis() string {
	s := capital(q.Name)
	if q.Unit != "" {
		s += ", " + q.Unit
	}
	return s
}

// Phrase is the quantity in running text: "the change in the share
// (percentage points)".
func (q quantity) Phrase() string {
	s := "the " + q.Name
	if q.Unit != "" {
		s += " (" + q.Unit + ")"
	}
	return s
}

// Column is a number column of the quantity.
func (q quantity) Column(decimals int, signed bool, v []float64) chart.Column {
	return chart.Column{Name: q.Name, Unit: q.Unit, Decimals: decimals, Signed: signed, Num: v}
}

// offenceNames name each offence's rate in prose and on axes.
var offenceNames = [assay.NumOffenses]string{
	"violent-crime", "murder", "rape", "robbery", "aggravated-assault",
	"property-crime", "burglary", "larceny-theft", "motor-vehicle-theft",
}

func offenceName(o assay.Offense) string {
	if o < 0 || o >= assay.NumOffenses {
		return o.Key()
	}
	return offenceNames[o]
}

// perCapita is the unit of an FBI rate.
const perCapita = "per 100,000"

// immigrantQuantity names X of a finding's specification: its immigrant
// measure (spec keys source, group, measure, years).
func immigrantQuantity(spec map[string]string) quantity {
	group := study.GroupWord(study.Source(spec["source"]), spec["group"])
	switch study.Measure(spec["measure"]) {
	case study.PPChange:
		return quantity{"change in the " + group + " share", "percentage points"}
	case study.PctChange:
		return quantity{"change in the " + group + " share", "%"}
	case study.LogShare:
		return quantity{"log change in the " + group + " share", ""}
	}
	base, _, _ := strings.Cut(spec["years"], "-")
	return quantity{group + " share in " + base, "%"}
}

// outcomeQuantity names Y of a finding's specification: its crime outcome
// (spec keys offense, change).
func outcomeQuantity(spec map[string]string) (quantity, error) {
	o, err := assay.ParseOffense(spec["offense"])
	if err != nil {
		return quantity{}, err
	}
	rate := offenceName(o) + " rate"
	switch study.Change(spec["change"]) {
	case study.PctRateChange:
		return quantity{"change in the " + rate, "%"}, nil
	case study.LogRatio:
		return quantity{"log ratio of the " + rate + "s", ""}, nil
	}
	return quantity{"change in the " + rate, perCapita}, nil
}

// isChange says whether a measure is a change (drawn on a diverging
// scale centred on zero) rather than a level.
func isChange(spec map[string]string) bool {
	return study.Measure(spec["measure"]) != study.Share
}

// yearSpan writes a period as "2012→2017".
func yearSpan(y study.Years) string { return fmt.Sprintf("%d→%d", y.Base, y.End) }

// corrText is a correlation with its interval and p-value, as captions and
// prose give it: "r = -0.42 (95% CI -0.71 to -0.01), permutation p = 0.046".
func corrText(f assay.Finding, level float64) string {
	return fmt.Sprintf("r = %s (%s CI %s to %s), %s = %s", textfmt.F2(f.Estimate), textfmt.Pct(level, 0), textfmt.F2(f.CILow), textfmt.F2(f.CIHigh),
		study.PValueName(f), textfmt.P(study.PValue(f)))
}

// direction says what a correlation's interval allows, in a reader's
// words: whether it includes zero, and if not on which side it lies.
func direction(f assay.Finding) string {
	switch {
	case !f.CILow.Valid || !f.CIHigh.Valid:
		return "no interval could be computed"
	case f.CILow.V > 0:
		return "a positive correlation (its interval lies above zero)"
	case f.CIHigh.V < 0:
		return "a negative correlation (its interval lies below zero)"
	}
	return "no correlation distinguishable from zero"
}

// pDecimals shows p-values to three decimals, four when one is below
// 0.001 (the smallest a 9,999-permutation test gives is 0.0001).
func pDecimals(ps ...float64) int {
	for _, p := range ps {
		if p < 0.001 {
			return 4
		}
	}
	return 3
}
