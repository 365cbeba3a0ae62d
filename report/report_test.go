package report

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/assaylab/assay/snapshot"
)

// testTime dates the reports the tests build, so that what they write is
// the same at every run.
var testTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// testPerm is the command line's default permutations per correlation:
// the tests build the report a user gets.
const testPerm = 9999

// snapshotBuild is the findings of the embedded snapshot and the report
// laid out from them, made once for all the tests of the package: the
// analyses take seconds.
type snapshotBuild struct {
	f *findings
	r *Report
}

var built = sync.OnceValues(func() (snapshotBuild, error) {
	ds, err := snapshot.Dataset()
	if err != nil {
		return snapshotBuild{}, err
	}
	in, f, err := analyze(context.Background(), Input{Data: ds, Perm: testPerm, Time: testTime})
	if err != nil {
		return snapshotBuild{}, err
	}
	r, err := f.layout(in)
	return snapshotBuild{f, r}, err
})

func snapshotReport(t testing.TB) (*Report, *findings) {
	t.Helper()
	b, err := built()
	if err != nil {
		t.Fatal(err)
	}
	return b.r, b.f
}

// writeReport writes the snapshot report into the test's temporary
// folder and returns the report's folder.
func writeReport(t testing.TB) (*Report, string) {
	t.Helper()
	r, _ := snapshotReport(t)
	dir := filepath.Join(t.TempDir(), "report")
	if err := r.Write(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	return r, dir
}
