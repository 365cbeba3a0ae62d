package claims

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/assaylab/assay"
)

// Options tune the evaluations that resample; the zero value takes each
// evaluator's defaults.
type Options struct {
	// Perm is the number of permutations per correlation test, Boot the
	// number of bootstrap resamples; Seed seeds both.
	Perm int
	Boot int
	Seed uint64
	// Product is the ACS product of fetched metro counts to use, acs1 or
	// acs5; empty takes acs1 where the data has it.
	Product string
}

// Context is what the evaluations of one ledger share: the data, the
// options, and results several claims rest on, computed once (Shared).
type Context struct {
	Ctx  context.Context
	Data *assay.Dataset
	Opt  Options

	mu     sync.Mutex
	shared map[string]shared
}

type shared struct {
	v   any
	err error
}

// Shared returns the value computed under key, computing it the first time
// it is asked for. An analysis that backs several claims (a paper's
// reproduction) runs once per ledger this way.
func Shared[T any](c *Context, key string, compute func() (T, error)) (T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.shared[key]; ok {
		v, _ := s.v.(T)
		return v, s.err
	}
	v, err := compute()
	if c.shared == nil {
		c.shared = map[string]shared{}
	}
	c.shared[key] = shared{v, err}
	return v, err
}

// Evaluator gives one claim its verdict.
type Evaluator struct {
	Claim string
	Eval  func(c *Context, claim assay.Claim) (assay.ClaimResult, error)
}

// NotCheckable is the evaluator of a claim no data assay reads can settle:
// computed says what is missing, note what would settle it.
func NotCheckable(id, computed, note string) Evaluator {
	return Evaluator{Claim: id, Eval: func(*Context, assay.Claim) (assay.ClaimResult, error) {
		return assay.ClaimResult{Verdict: assay.NotCheckable, Computed: computed, Note: note}, nil
	}}
}

// Registry holds exactly one evaluator per listed claim.
type Registry struct {
	list []assay.Claim
	byID map[string]Evaluator
}

// NewRegistry checks that the evaluators cover the claims list exactly:
// every claim has one evaluator, no claim two, no evaluator a claim the list
// lacks. Each published analysis contributes its set.
func NewRegistry(sets ...[]Evaluator) (*Registry, error) {
	list, err := List()
	if err != nil {
		return nil, err
	}
	listed := map[string]bool{}
	for _, c := range list {
		listed[c.ID] = true
	}
	r := &Registry{list: list, byID: map[string]Evaluator{}}
	var dups, extra, missing []string
	for _, set := range sets {
		for _, e := range set {
			switch _, dup := r.byID[e.Claim]; {
			case dup:
				dups = append(dups, e.Claim)
			case !listed[e.Claim]:
				extra = append(extra, fmt.Sprintf("%q", e.Claim))
			default:
				r.byID[e.Claim] = e
			}
		}
	}
	for _, c := range list {
		if _, ok := r.byID[c.ID]; !ok {
			missing = append(missing, c.ID)
		}
	}
	var problems []string
	for _, p := range []struct {
		what string
		ids  []string
	}{{"claims without an evaluator", missing}, {"evaluators for no listed claim", extra}, {"claims with more than one evaluator", dups}} {
		if len(p.ids) > 0 {
			problems = append(problems, p.what+": "+strings.Join(p.ids, ", "))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("claims registry: %s", strings.Join(problems, "; "))
	}
	return r, nil
}

// Ledger is every claim's verdict, in the list's order, and the context the
// evaluations shared (where a paper's reproduction can be read back).
type Ledger struct {
	Results []assay.ClaimResult
	Context *Context
}

// Ledger evaluates every claim on the dataset.
func (r *Registry) Ledger(ctx context.Context, ds *assay.Dataset, opt Options) (*Ledger, error) {
	c := &Context{Ctx: ctx, Data: ds, Opt: opt}
	l := &Ledger{Context: c}
	for _, claim := range r.list {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res, err := r.byID[claim.ID].Eval(c, claim)
		if err != nil {
			return nil, fmt.Errorf("claim %s: %w", claim.ID, err)
		}
		res.ID, res.Stated = claim.ID, claim.Stated
		if res.Inputs == nil {
			res.Inputs = []string{}
		}
		l.Results = append(l.Results, res)
	}
	return l, nil
}

// Result returns one claim's verdict.
func (l *Ledger) Result(id string) (assay.ClaimResult, bool) {
	for _, r := range l.Results {
		if r.ID == id {
			return r, true
		}
	}
	return assay.ClaimResult{}, false
}

// Synthetic reports whether any verdict rests on generated test data.
func (l *Ledger) Synthetic() bool {
	for _, r := range l.Results {
		if r.Synthetic {
			return true
		}
	}
	return false
}
