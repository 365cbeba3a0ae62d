// Package golden compares test output with a golden file that the -update
// flag rewrites. Only tests import it: it imports package testing.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// Update is the -update flag of every test binary that imports golden.
var Update = flag.Bool("update", false, "rewrite golden files")

// Check compares got with testdata/name (rewriting it with -update) and
// fails the test naming the command that regenerates it.
func Check(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *Update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -run '%s' -update in its package rewrites it):\n%s", path, t.Name(), got)
	}
}
