package blanchard2019

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/claims"
)

// evaluation is what the national claims share: the dataset and its S0201
// national series.
type evaluation struct {
	ds      *assay.Dataset
	origins originSeries
}

// national evaluates a claim from the national series.
func national(f func(e *evaluation, c assay.Claim) (assay.ClaimResult, error)) func(*claims.Context, assay.Claim) (assay.ClaimResult, error) {
	return func(c *claims.Context, claim assay.Claim) (assay.ClaimResult, error) {
		return f(&evaluation{ds: c.Data, origins: newOriginSeries(c.Data.NationalNativity)}, claim)
	}
}

// Evaluators gives every claim of the working paper (summary and executive
// summary) its evaluator: the metro findings WP06-WP10 from the
// reproduction, the rest from the national series or as arithmetic.
func Evaluators() []claims.Evaluator {
	out := []claims.Evaluator{
		{Claim: "WP02", Eval: national((*evaluation).doubling)},
		{Claim: "WP04", Eval: national((*evaluation).populationShare)},
		{Claim: "WP05", Eval: national((*evaluation).oppositeTrends)},
		{Claim: "WP06", Eval: metro((*Reproduction).wp06)},
		{Claim: "WP07", Eval: metro((*Reproduction).wp07)},
		{Claim: "WP08", Eval: metro((*Reproduction).wp08)},
		{Claim: "WP09", Eval: metro((*Reproduction).wp09)},
		{Claim: "WP10", Eval: metro((*Reproduction).wp10)},
		{Claim: "WP11", Eval: national((*evaluation).ms13Share)},
		{Claim: "WP14", Eval: national((*evaluation).sixYearTotal)},
		{Claim: "WP15", Eval: national((*evaluation).gangShare)},
		{Claim: "XS01", Eval: national((*evaluation).ntcaCount)},
		{Claim: "XS02", Eval: national((*evaluation).ntcaChange)},
		{Claim: "XS03", Eval: national((*evaluation).salvadoranCount)},
	}
	for _, s := range settle {
		out = append(out, claims.NotCheckable(s.id, s.computed, s.note))
	}
	return out
}

// setup reads a claim's stated figures (by key, see figures) and its
// period.
func setup(c assay.Claim, keys ...string) (figs []figure, from, to int, err error) {
	for _, k := range keys {
		f, err := stated(c.ID, k)
		if err != nil {
			return nil, 0, 0, err
		}
		figs = append(figs, f)
	}
	from, to, err = period(c)
	return figs, from, to, err
}

// period reads a claim's period: "2017" or "2012..2017".
func period(c assay.Claim) (from, to int, err error) {
	a, b, isRange := strings.Cut(c.Period, "..")
	if from, err = strconv.Atoi(a); err != nil {
		return 0, 0, fmt.Errorf("period %q: %w", c.Period, err)
	}
	to = from
	if isRange {
		if to, err = strconv.Atoi(b); err != nil {
			return 0, 0, fmt.Errorf("period %q: %w", c.Period, err)
		}
	}
	return from, to, nil
}

// settle says, per claim no file assay reads can check, what would settle
// it.
var settle = []struct{ id, computed, note string }{
	{"WP01", "no count: no bundled file covers migrants in transit or at the border",
		"The caravan's size comes from press reports and the authorities' counts at the time, not from a statistical series. " +
			"Contemporaneous counts by Mexico's Instituto Nacional de Migración or UN agencies would settle it, within the caravan's own " +
			"changing size as people joined and left."},
	{"WP03", "no count: no bundled file covers border apprehensions",
		"U.S. Border Patrol Southwest border apprehensions of unaccompanied children and of family units by fiscal year, " +
			"FY2008-FY2018, as CBP publishes them, would settle it."},
	{"WP12", "no count: no bundled file covers gangs",
		"The figure is the National Gang Intelligence Center's 2011 National Gang Threat Assessment, an estimate from " +
			"law-enforcement surveys; that report (and its survey method) is what would settle it."},
	{"WP13", "no count: no bundled file covers border arrests",
		"CBP's counts of MS-13 members among Border Patrol arrests and of all Southwest border apprehensions for the same " +
			"months of fiscal 2018 would settle it."},
}

// missing is the result for a claim the bundle could check but the
// dataset given lacks the data for.
func missing(what string) assay.ClaimResult {
	return assay.ClaimResult{Verdict: assay.NotCheckable, Computed: "nothing: the dataset has no " + what,
		Note: "The bundled snapshot has it; evaluate on the embedded snapshot or an ingest of the raw files."}
}
