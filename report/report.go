// Package report renders assay's findings as a publishable report: one
// self-contained HTML file (inline SVG and CSS, no script, no request to
// any network or other file), the same content as Markdown with the
// figures as SVG files beside it, one CSV per figure holding exactly the
// numbers drawn, and a manifest saying what produced it.
//
// Build reads the findings (the claims ledger, the paper's reproduction,
// the studies beyond the paper) and assembles sections and figures; it
// computes no statistic of its own. Each figure is a function from findings
// to a chart.Figure with a stable ID (PaperScatter, AllMetrosScatter,
// Maps, ...), so the dashboard draws the same figures from the same
// findings.
package report

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/chart"
	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/papers"
	"github.com/assaylab/assay/papers/blanchard2019"
	"github.com/assaylab/assay/study"
)

// The studies beyond the paper a report runs unless told otherwise.
const (
	DefaultStudy = "foreignborn_all_metros"
	PanelStudy   = "panel_2006_2018"
)

// Input is what a report is built from.
type Input struct {
	Data *assay.Dataset
	// DB is the warehouse file Data was read from; empty means the
	// snapshot embedded in the binary. The manifest and the commands
	// that reproduce the report name it.
	DB string
	// Study replaces the all-metros study beyond the paper (nil runs
	// builtin:foreignborn_all_metros); StudyRef is how it was named on
	// the command line (a file or builtin:NAME). It must estimate
	// Pearson's r: the figures and the headline read it.
	Study    *study.Spec
	StudyRef string
	// Seed seeds every permutation test and bootstrap (0 means 1); it
	// replaces the studies' own seeds so one number reproduces the report.
	Seed uint64
	// Perm is the number of permutations per correlation in the ledger
	// (0: analytic p-values only); the studies take theirs from their
	// specs.
	Perm int
	// Time is when the report was made (zero means now).
	Time time.Time
}

// Report is the findings laid out for reading: the headline, the sections
// in order, every figure, and the manifest.
type Report struct {
	Title    string
	Headline string
	// Source names the data the findings rest on, in words.
	Source   string
	Sections []Section
	// Figures are every figure, in the order the sections show them.
	Figures  []*chart.Figure
	Manifest Manifest
	// Synthetic is set when any finding rests on generated test data:
	// the report then says so at the top and the command refuses to
	// write it unless asked.
	Synthetic bool
	// Ledger and Study are findings the report lays out, the claims
	// ledger and the study of every metro, for a renderer that draws
	// them another way (the dashboard): it reads them here rather than
	// running the analyses again.
	Ledger *claims.Ledger
	Study  *study.Result
}

// findings is everything a report reads, computed once by the analyses.
type findings struct {
	ds       *assay.Dataset
	ledger   *claims.Ledger
	rep      *blanchard2019.Reproduction
	all      *study.Result // beyond the paper: every metro
	allRef   string
	panel    *study.Result // beyond the paper: the metro-year panel
	panelRef string
}

// Build runs the analyses on the data and lays out their findings.
func Build(ctx context.Context, in Input) (*Report, error) {
	in, f, err := analyze(ctx, in)
	if err != nil {
		return nil, err
	}
	r, err := f.layout(in)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return r, nil
}

// analyze fills in the input's defaults and runs every analysis the
// report reads: the ledger (with the reproduction inside it) and the two
// studies beyond the paper.
func analyze(ctx context.Context, in Input) (Input, *findings, error) {
	if in.Data == nil {
		return in, nil, fmt.Errorf("report: no data")
	}
	in.Seed = cmp.Or(in.Seed, 1)
	if in.Time.IsZero() {
		in.Time = time.Now()
	}
	allSpec, allRef := in.Study, in.StudyRef
	if allSpec == nil {
		var err error
		if allSpec, err = papers.Study(DefaultStudy); err != nil {
			return in, nil, fmt.Errorf("report: %w", err)
		}
		allRef = study.BuiltinPrefix + DefaultStudy
	}
	panelSpec, err := papers.Study(PanelStudy)
	if err != nil {
		return in, nil, fmt.Errorf("report: %w", err)
	}
	// The specs are the caller's (or fresh parses): copies keep the
	// caller's seed as it was.
	allSpec, panelSpec = withSeed(allSpec, in.Seed), withSeed(panelSpec, in.Seed)

	f := &findings{ds: in.Data, allRef: allRef, panelRef: study.BuiltinPrefix + PanelStudy}
	if f.ledger, err = papers.Ledger(ctx, in.Data, claims.Options{Perm: in.Perm, Seed: in.Seed}); err != nil {
		return in, nil, fmt.Errorf("report: claims ledger: %w", err)
	}
	if f.rep, err = blanchard2019.FromLedger(f.ledger); err != nil {
		return in, nil, fmt.Errorf("report: reproduction: %w", err)
	}
	if f.all, err = study.Run(ctx, in.Data, allSpec); err != nil {
		return in, nil, fmt.Errorf("report: study %s: %w", allRef, err)
	}
	if f.panel, err = study.Run(ctx, in.Data, panelSpec); err != nil {
		return in, nil, fmt.Errorf("report: study %s: %w", f.panelRef, err)
	}
	return in, f, ctx.Err()
}

func withSeed(s *study.Spec, seed uint64) *study.Spec {
	c := *s
	c.Estimation.Seed = seed
	return &c
}
