package report

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/papers"
	"github.com/assaylab/assay/papers/blanchard2019"
	"github.com/assaylab/assay/snapshot"
	"github.com/assaylab/assay/study"
)

// BenchmarkReport makes the whole report from the embedded snapshot as
// `assay report` does: the analyses at the command line's defaults, the
// layout and every file written.
func BenchmarkReport(b *testing.B) {
	ctx := context.Background()
	ds, err := snapshot.Dataset()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r, err := Build(ctx, Input{Data: ds, Perm: testPerm, Time: testTime})
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Write(ctx, filepath.Join(b.TempDir(), "report")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReportParts times each step of BenchmarkReport, to show where
// the time goes.
func BenchmarkReportParts(b *testing.B) {
	ctx := context.Background()
	ds, err := snapshot.Dataset()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("ledger", func(b *testing.B) {
		for b.Loop() {
			l, err := papers.Ledger(ctx, ds, claims.Options{Perm: testPerm, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := blanchard2019.FromLedger(l); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, name := range []string{DefaultStudy, PanelStudy} {
		b.Run("study="+name, func(b *testing.B) {
			spec, err := papers.Study(name)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := study.Run(ctx, ds, spec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	in, f, err := analyze(ctx, Input{Data: ds, Perm: testPerm, Time: testTime})
	if err != nil {
		b.Fatal(err)
	}
	var r *Report
	b.Run("layout", func(b *testing.B) {
		for b.Loop() {
			if r, err = f.layout(in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("write", func(b *testing.B) {
		for b.Loop() {
			if err := r.Write(ctx, filepath.Join(b.TempDir(), "report")); err != nil {
				b.Fatal(err)
			}
		}
	})
}
