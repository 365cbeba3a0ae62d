package claims

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
)

// studyClaims are the paper's metro findings, which package study
// reproduces; Evaluate leaves them to it and Complete joins the two.
var studyClaims = map[string]bool{"WP06": true, "WP07": true, "WP08": true, "WP09": true, "WP10": true}

// evaluation holds what the claims share: the dataset and the S0201
// national series built from it once.
type evaluation struct {
	ds      *assay.Dataset
	origins originSeries
}

type evaluator func(e *evaluation, c assay.Claim) (assay.ClaimResult, error)

// evaluators gives each claim outside the study its evaluation.
var evaluators = map[string]evaluator{
	"WP01": notCheckable, "WP03": notCheckable, "WP12": notCheckable, "WP13": notCheckable,
	"AR01": notCheckable, "AR02": notCheckable, "AR03": notCheckable, "AR04": notCheckable,
	"WP02": (*evaluation).doubling,
	"WP04": (*evaluation).populationShare,
	"WP05": (*evaluation).oppositeTrends,
	"WP11": (*evaluation).ms13Share,
	"WP14": (*evaluation).sixYearTotal,
	"WP15": (*evaluation).gangShare,
	"XS01": (*evaluation).ntcaCount,
	"XS02": (*evaluation).ntcaChange,
	"XS03": (*evaluation).salvadoranCount,
}

// Evaluate gives a verdict for every claim of the list except WP06-WP10
// (the metro findings package study reproduces), in the list's order, from
// the dataset's national crime series, S0201 national origin rows and,
// where a user fetched them, national B05006 counts. A claim the dataset
// cannot settle gets NotCheckable with a note naming the data that would.
func Evaluate(ctx context.Context, ds *assay.Dataset) ([]assay.ClaimResult, error) {
	list, err := List()
	if err != nil {
		return nil, err
	}
	e, err := newEvaluation(ds)
	if err != nil {
		return nil, err
	}
	var out []assay.ClaimResult
	for _, c := range list {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if FromStudy(c.ID) {
			continue
		}
		r, err := e.evaluate(c)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// EvaluateClaim gives the verdict of one claim Evaluate covers (the study's
// reproduction shows WP05 beside the metro findings).
func EvaluateClaim(ds *assay.Dataset, id string) (assay.ClaimResult, error) {
	c, err := Lookup(id)
	if err != nil {
		return assay.ClaimResult{}, err
	}
	e, err := newEvaluation(ds)
	if err != nil {
		return assay.ClaimResult{}, err
	}
	return e.evaluate(c)
}

// FromStudy reports whether package study, not Evaluate, gives the claim
// its verdict: the paper's metro findings, WP06-WP10.
func FromStudy(id string) bool { return studyClaims[id] }

func newEvaluation(ds *assay.Dataset) (*evaluation, error) {
	origins, err := newOriginSeries(ds.NationalOrigins)
	if err != nil {
		return nil, fmt.Errorf("S0201 national series: %w", err)
	}
	return &evaluation{ds: ds, origins: origins}, nil
}

func (e *evaluation) evaluate(c assay.Claim) (assay.ClaimResult, error) {
	f, ok := evaluators[c.ID]
	if !ok {
		return assay.ClaimResult{}, fmt.Errorf("claim %s: no evaluation here and not one of the study's", c.ID)
	}
	r, err := f(e, c)
	if err != nil {
		return assay.ClaimResult{}, fmt.Errorf("claim %s: %w", c.ID, err)
	}
	r.ID, r.Stated = c.ID, c.Stated
	if r.Inputs == nil {
		r.Inputs = []string{}
	}
	return r, nil
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

// settle says, per claim nothing bundled can check, what would settle it.
var settle = map[string]struct{ computed, note string }{
	"WP01": {"no count: no bundled file covers migrants in transit or at the border",
		"The caravan's size comes from press reports and the authorities' counts at the time, not from a statistical series. " +
			"Contemporaneous counts by Mexico's Instituto Nacional de Migración or UN agencies would settle it, within the caravan's own " +
			"changing size as people joined and left."},
	"WP03": {"no count: no bundled file covers border apprehensions",
		"U.S. Border Patrol Southwest border apprehensions of unaccompanied children and of family units by fiscal year, " +
			"FY2008-FY2018, as CBP publishes them, would settle it."},
	"WP12": {"no count: no bundled file covers gangs",
		"The figure is the National Gang Intelligence Center's 2011 National Gang Threat Assessment, an estimate from " +
			"law-enforcement surveys; that report (and its survey method) is what would settle it."},
	"WP13": {"no count: no bundled file covers border arrests",
		"CBP's counts of MS-13 members among Border Patrol arrests and of all Southwest border apprehensions for the same " +
			"months of fiscal 2018 would settle it."},
	"AR01": {"no amount: no bundled file covers foreign aid",
		"The bill text or budget documents the figure comes from, and State Department and USAID obligations " +
			"(ForeignAssistance.gov), would settle it; a commitment in a proposal is not money obligated."},
	"AR02": {"no count: the ACS does not ask legal status, so no bundled file can count undocumented immigrants",
		"The bill's text (the U.S. Citizenship Act of 2021) and estimates of the unauthorized immigrant population " +
			"(DHS Office of Immigration Statistics, Pew Research Center) would settle it."},
	"AR03": {"no count: no bundled file covers Mexico or asylum seekers",
		"Human Rights First's tracking of publicly reported attacks on people returned to Mexico under the Migrant " +
			"Protection Protocols (\"Remain in Mexico\") would settle it; such counts are reported cases, a floor, not incidence."},
	"AR04": {"no share: no bundled file covers arms seizures",
		"The UNODC Global Study on Firearms Trafficking 2020, from seizure data Mexico and the United States reported, " +
			"would settle it."},
}

func notCheckable(_ *evaluation, c assay.Claim) (assay.ClaimResult, error) {
	s, ok := settle[c.ID]
	if !ok {
		return assay.ClaimResult{}, fmt.Errorf("no note on what would settle it")
	}
	return assay.ClaimResult{Verdict: assay.NotCheckable, Computed: s.computed, Note: s.note}, nil
}

// missing is the result for a claim the bundle could check but the
// dataset given lacks the data for.
func missing(what string) assay.ClaimResult {
	return assay.ClaimResult{Verdict: assay.NotCheckable, Computed: "nothing: the dataset has no " + what,
		Note: "The bundled snapshot has it; evaluate on snapshot.Dataset() or an ingest of the raw files."}
}
