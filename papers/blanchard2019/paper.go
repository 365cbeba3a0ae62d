package blanchard2019

import (
	_ "embed"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/study"
)

//go:embed blanchard2019.toml
var spec []byte

// SpecSource is the paper's study spec as TOML, to read or to copy.
func SpecSource() []byte { return spec }

// FromLedger returns the reproduction the ledger's metro verdicts rest on,
// with those verdicts (WP05-WP10) in it: computed once per ledger, however
// often it is asked for.
func FromLedger(l *claims.Ledger) (*Reproduction, error) {
	rep, err := reproduction(l.Context)
	if err != nil {
		return nil, err
	}
	out := *rep
	out.Claims = nil
	for _, id := range []string{"WP05", "WP06", "WP07", "WP08", "WP09", "WP10"} {
		if r, ok := l.Result(id); ok {
			out.Claims = append(out.Claims, r)
		}
	}
	return &out, nil
}

// reproduction runs Reproduce once per ledger with the ledger's options.
func reproduction(c *claims.Context) (*Reproduction, error) {
	return claims.Shared(c, Name+"/reproduction", func() (*Reproduction, error) {
		return Reproduce(c.Ctx, c.Data, ReproduceOptions{Product: study.Source(c.Opt.Product), Perm: c.Opt.Perm, Boot: c.Opt.Boot, Seed: c.Opt.Seed})
	})
}

// metro evaluates one of the paper's metro claims from the reproduction;
// the ledger fills in the claim's ID and statement.
func metro(f func(rep *Reproduction) (assay.ClaimResult, error)) func(*claims.Context, assay.Claim) (assay.ClaimResult, error) {
	return func(c *claims.Context, _ assay.Claim) (assay.ClaimResult, error) {
		rep, err := reproduction(c)
		if err != nil {
			return assay.ClaimResult{}, err
		}
		res, err := f(rep)
		if err != nil {
			return res, err
		}
		res.Synthetic = rep.Synthetic
		for i := range res.Findings {
			res.Findings[i].Synthetic = res.Findings[i].Synthetic || rep.Synthetic
		}
		return res, nil
	}
}

// Synthetic reports whether the reproduction rests on generated test data.
func (rep *Reproduction) IsSynthetic() bool { return rep.Synthetic }
