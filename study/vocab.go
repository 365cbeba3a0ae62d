package study

import (
	"fmt"
	"slices"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/textfmt"
)

// The study's vocabularies. Each is one type whose values are listed once,
// here; the spec's validation, the command line and the dashboard check them
// with ParseTerm, whose error lists the allowed values.

// Source is where the immigrant measure comes from: metro B05006 counts a
// user fetched (acs1, acs5), or the all-foreign-born share summed from ACS
// 5-year county data and bundled with assay.
type Source string

const (
	ACS1    Source = "acs1"
	ACS5    Source = "acs5"
	Bundled Source = "bundled"
)

// Sources lists every Source.
var Sources = []Source{ACS1, ACS5, Bundled}

// ForeignBorn is the only origin group the bundled source measures.
const ForeignBorn = "foreign_born"

// Measure is how the immigrant share enters: the base-year share in
// percent, the log ratio of the two years' shares, their difference in
// percentage points, or the percent change.
type Measure string

const (
	Share     Measure = "share"
	LogShare  Measure = "log_share"
	PPChange  Measure = "pp_change"
	PctChange Measure = "pct_change"
)

// Measures lists every Measure; PanelMeasures those a panel can use (a
// level, not a change).
var (
	Measures      = []Measure{Share, LogShare, PPChange, PctChange}
	PanelMeasures = []Measure{Share, LogShare}
)

// Change is how the crime outcome changes between the two years.
type Change string

const (
	RateChange    Change = "rate_change"
	PctRateChange Change = "pct_change"
	LogRatio      Change = "log_ratio"
)

// Changes lists every Change.
var Changes = []Change{RateChange, PctRateChange, LogRatio}

// Offenses are the offences a study can take as its outcome. Rape is not
// one: its definition changed in 2013 and 2017, so its rate is not
// comparable across years (violent crime, which counts it, carries a note).
var Offenses = []assay.Offense{assay.Violent, assay.Murder, assay.Robbery, assay.AggravatedAssault, assay.Property}

// Estimator is a cross-sectional estimator: correlations (Pearson,
// Spearman, Kendall's tau-b) or least squares with HC3 standard errors (wls
// is ols weighted by population).
type Estimator string

const (
	Pearson  Estimator = "pearson"
	Spearman Estimator = "spearman"
	Kendall  Estimator = "kendall"
	OLS      Estimator = "ols"
	WLS      Estimator = "wls"
)

// Estimators lists every Estimator.
var Estimators = []Estimator{Pearson, Spearman, Kendall, OLS, WLS}

// Weights says whether Pearson and OLS weight metros by population.
type Weights string

const (
	Unweighted Weights = "none"
	Population Weights = "population"
)

// WeightsAll lists every Weights.
var WeightsAll = []Weights{Unweighted, Population}

// Rule is how metros are selected: every metro with the measure in both
// years, or the N with the largest immigrant count or share.
type Rule string

const (
	All      Rule = "all"
	TopCount Rule = "top_count"
	TopShare Rule = "top_share"
)

// Rules lists every Rule.
var Rules = []Rule{All, TopCount, TopShare}

// Pool is where a top-N rule ranks: every metro with the measure (those the
// FBI did not publish in both years then drop out) or only those the FBI
// published in both years.
type Pool string

const (
	CensusPool Pool = "census"
	FBIPool    Pool = "fbi"
)

// Pools lists every Pool.
var Pools = []Pool{CensusPool, FBIPool}

// RankYear is the year whose count or share ranks.
type RankYear string

const (
	BaseYear RankYear = "base"
	EndYear  RankYear = "end"
)

// RankYears lists every RankYear.
var RankYears = []RankYear{BaseYear, EndYear}

// NameMatch says which FBI name matches to keep: any, or only those that
// matched a CBSA title exactly or after normalization.
type NameMatch string

const (
	AnyMatch   NameMatch = "any"
	ExactMatch NameMatch = "exact"
)

// NameMatches lists every NameMatch.
var NameMatches = []NameMatch{AnyMatch, ExactMatch}

// PanelEstimator is a metro-year panel estimator: two-way fixed effects,
// first differences with year effects, or Poisson with metro and year
// effects.
type PanelEstimator string

const (
	FE      PanelEstimator = "fe"
	FD      PanelEstimator = "fd"
	Poisson PanelEstimator = "poisson"
)

// PanelEstimators lists every PanelEstimator.
var PanelEstimators = []PanelEstimator{FE, FD, Poisson}

// PanelForm is the outcome of the linear panel estimators.
type PanelForm string

const (
	RateForm    PanelForm = "rate"
	LogRateForm PanelForm = "log_rate"
)

// PanelForms lists every PanelForm.
var PanelForms = []PanelForm{RateForm, LogRateForm}

// Interpolation says which years of the immigrant share a panel uses: the
// measured ones, or also those read off straight lines between them.
type Interpolation string

const (
	Observed Interpolation = "observed"
	Linear   Interpolation = "linear"
)

// Interpolations lists every Interpolation.
var Interpolations = []Interpolation{Observed, Linear}

// ParseTerm reads one value of a vocabulary, naming the allowed ones when s is
// not among them.
func ParseTerm[T ~string](s string, allowed []T) (T, error) {
	if v := T(s); slices.Contains(allowed, v) {
		return v, nil
	}
	return "", fmt.Errorf("%q: want one of %s", s, Words(allowed))
}

// Words joins a vocabulary's values for a message.
func Words[T ~string](allowed []T) string { return strings.Join(textfmt.Strings(allowed), ", ") }

// checkTerm checks a vocabulary value of the spec, naming its key.
func checkTerm[T ~string](key string, v T, allowed []T) error {
	if _, err := ParseTerm(string(v), allowed); err != nil {
		return &FieldError{Key: key, Msg: err.Error()}
	}
	return nil
}

// ParseOffense reads an offence a study can take.
func ParseOffense(s string) (assay.Offense, error) {
	o, err := assay.ParseOffense(s)
	if err == nil && !slices.Contains(Offenses, o) {
		err = fmt.Errorf("offence %q: a study takes one of %s", s, offenseWords())
	}
	return o, err
}

func offenseWords() string { return strings.Join(strs(Offenses), ", ") }
