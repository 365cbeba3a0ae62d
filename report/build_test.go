package report

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assaylab/assay/chart"
	"github.com/assaylab/assay/duckdb"
	"github.com/assaylab/assay/internal/golden"
	"github.com/assaylab/assay/internal/synthdata"
	"github.com/assaylab/assay/internal/version"
	"github.com/assaylab/assay/snapshot"
	"github.com/assaylab/assay/study"
)

// TestBuildFromWarehouse builds the report from a DuckDB warehouse holding
// the snapshot's tables, as `assay report --db` does, and checks it draws
// exactly what the report of the embedded snapshot draws.
func TestBuildFromWarehouse(t *testing.T) {
	ctx := context.Background()
	tables, err := snapshot.Tables()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "assay.duckdb")
	if err := duckdb.Build(ctx, path, tables, nil); err != nil {
		t.Fatal(err)
	}
	db, err := duckdb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := db.Dataset(ctx)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	fromDB, err := Build(ctx, Input{Data: ds, DB: path, Perm: testPerm, Time: testTime})
	if err != nil {
		t.Fatal(err)
	}
	embedded, _ := snapshotReport(t)
	if fromDB.Manifest.Data.Source != path || embedded.Manifest.Data.Source != DataSource("") {
		t.Errorf("data sources %q and %q", fromDB.Manifest.Data.Source, embedded.Manifest.Data.Source)
	}
	if fromDB.Headline != embedded.Headline {
		t.Errorf("headline from the warehouse:\n%s\nfrom the snapshot:\n%s", fromDB.Headline, embedded.Headline)
	}
	if len(fromDB.Figures) != len(embedded.Figures) {
		t.Fatalf("%d figures from the warehouse, %d from the snapshot", len(fromDB.Figures), len(embedded.Figures))
	}
	for i, f := range fromDB.Figures {
		var a, b bytes.Buffer
		if err := f.WriteCSV(&a); err != nil {
			t.Fatal(err)
		}
		if err := embedded.Figures[i].WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		if f.ID != embedded.Figures[i].ID || a.String() != b.String() {
			t.Errorf("figure %d: %s from the warehouse draws other numbers than %s from the snapshot", i, f.ID, embedded.Figures[i].ID)
		}
	}
	var md bytes.Buffer
	if err := fromDB.writeMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "--db "+path) {
		t.Error("the reproduce commands do not name the warehouse")
	}
}

// TestBuildSynthetic builds the report on the snapshot extended with
// SYNTHETIC metro NTCA counts: the paper's own measure then exists, so the
// figures drop the stand-in and rank metros by the NTCA-born share; and
// the report says at its top that nothing in it is a finding.
func TestBuildSynthetic(t *testing.T) {
	sd := synthdata.Planted(t, 0.5)
	r, err := Build(context.Background(), Input{Data: sd.DS, Perm: 99, Time: testTime})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Synthetic || r.Sections[0].Blocks[0].Para != study.SyntheticBanner {
		t.Errorf("synthetic %v, first paragraph %q", r.Synthetic, r.Sections[0].Blocks[0].Para)
	}
	for _, f := range r.Figures {
		switch f.ID {
		case IDPaperScatter + "violent", IDPaperScatter + "murder":
			if strings.HasPrefix(f.Title, "Stand-in") || !strings.Contains(f.X.Label, "NTCA-born") {
				t.Errorf("%s: title %q, x axis %q", f.ID, f.Title, f.X.Label)
			}
		case IDMostViolent:
			if !strings.Contains(f.Title, "NTCA-born share") || !strings.Contains(f.Panels[0].Marks[0].(chart.Bar).Text, "NTCA-born") {
				t.Errorf("%s: title %q does not rank by the NTCA-born share", f.ID, f.Title)
			}
		}
	}
	var page bytes.Buffer
	figs, err := r.render(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.writeHTML(&page, figs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), `<p class="banner">SYNTHETIC`) {
		t.Error("the page does not say at its top that it is synthetic")
	}
}

// TestMarkdownGolden compares report.md of the embedded snapshot with
// testdata/report.md, the version string aside: every number and every
// sentence of the report shows in the diff when an analysis changes
// (go test ./report -run TestMarkdownGolden -update rewrites it).
func TestMarkdownGolden(t *testing.T) {
	r, _ := snapshotReport(t)
	var b bytes.Buffer
	if err := r.writeMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "report.md", strings.ReplaceAll(b.String(), "assay "+version.String(), "assay VERSION"))
}

func TestShellQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"assay.duckdb", "assay.duckdb"},
		{"builtin:foreignborn_all_metros", "builtin:foreignborn_all_metros"},
		{"/data/my study.toml", "'/data/my study.toml'"},
		{"it's.toml", `'it'\''s.toml'`},
		{"", "''"},
	} {
		if got := shellQuote(tc.in); got != tc.want {
			t.Errorf("shellQuote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
