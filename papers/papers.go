// Package papers is the one place the published analyses assay checks are
// registered: each is a package of its own (its claims' evaluators, its
// reproduction, its study specs) built on the general engine. The claims
// ledger, the command line, the report and the dashboard all reach the
// analyses through here; adding a paper means adding its package and one
// line to All.
package papers

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/papers/blanchard2019"
	"github.com/assaylab/assay/papers/cooperation2021"
	"github.com/assaylab/assay/study"
)

// Paper is one published analysis.
type Paper struct {
	Name  string
	Title string
	// Evaluators give each of its claims a verdict.
	Evaluators func() []claims.Evaluator
	// Spec is its design as a study (assay study builtin:NAME), if it has
	// one.
	Spec func() []byte
	// Reproduce renders its reproduction from a ledger, if it has one.
	Reproduce func(*claims.Ledger) (Reproduction, error)
}

// Reproduction is a paper's reproduction as the command line prints it.
type Reproduction interface {
	WriteText(io.Writer) error
	IsSynthetic() bool
}

// All lists every published analysis, in the order of the claims list.
var All = []Paper{
	{
		Name: blanchard2019.Name, Title: blanchard2019.Paper,
		Evaluators: blanchard2019.Evaluators,
		Spec:       blanchard2019.SpecSource,
		Reproduce: func(l *claims.Ledger) (Reproduction, error) {
			return blanchard2019.FromLedger(l)
		},
	},
	{Name: "cooperation2021", Title: "March 2021 article on U.S.-Mexico cooperation on migration and narcotrafficking", Evaluators: cooperation2021.Evaluators},
}

// Tables are the stored tables the ledger, the reproductions and the
// studies read: a command that runs them on the embedded snapshot decodes
// these only (TestTablesSuffice checks the results are the same as on the
// whole dataset).
var Tables = []string{
	"source", "crime_metro_year", "crime_city_year", "crime_agency_year", "crime_national_series",
	"acs_metro_nativity", "acs_national_origin", "acs_national_nativity", "acs_origin_group", "acs_metro_origin",
	"metro_year",
}

// Registry holds every paper's evaluators, one per listed claim.
func Registry() (*claims.Registry, error) {
	sets := make([][]claims.Evaluator, len(All))
	for i, p := range All {
		sets[i] = p.Evaluators()
	}
	return claims.NewRegistry(sets...)
}

// Ledger gives every claim of every paper its verdict on the dataset: the
// one call the command line, the report and the dashboard share.
func Ledger(ctx context.Context, ds *assay.Dataset, opt claims.Options) (*claims.Ledger, error) {
	r, err := Registry()
	if err != nil {
		return nil, err
	}
	return r.Ledger(ctx, ds, opt)
}

// Lookup returns a paper by name.
func Lookup(name string) (Paper, error) {
	i := slices.IndexFunc(All, func(p Paper) bool { return p.Name == name })
	if i < 0 {
		names := make([]string, len(All))
		for i, p := range All {
			names[i] = p.Name
		}
		return Paper{}, fmt.Errorf("no published analysis %q (have %s)", name, strings.Join(names, ", "))
	}
	return All[i], nil
}

// Studies lists the built-in studies: the engine's and those papers bring.
func Studies() []string {
	out := study.Builtins()
	for _, p := range All {
		if p.Spec != nil {
			out = append(out, p.Name)
		}
	}
	slices.Sort(out)
	return out
}

// StudySource returns a built-in study's TOML.
func StudySource(name string) ([]byte, error) {
	for _, p := range All {
		if p.Name == name && p.Spec != nil {
			return p.Spec(), nil
		}
	}
	if b, err := study.BuiltinSource(name); err == nil {
		return b, nil
	}
	return nil, fmt.Errorf("no built-in study %q (have %s)", name, strings.Join(Studies(), ", "))
}

// Study parses a built-in study.
func Study(name string) (*study.Spec, error) {
	b, err := StudySource(name)
	if err != nil {
		return nil, err
	}
	return study.Parse(strings.NewReader(string(b)), study.BuiltinPrefix+name)
}
