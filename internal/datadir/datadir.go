// Package datadir finds the raw public data files (../shared/data beside the
// repository) for ingest defaults and for tests that read the real files.
package datadir

import (
	"errors"
	"os"
	"path/filepath"
)

// Env names the variable that overrides where the raw data lives.
const Env = "ASSAY_DATA"

// Find returns the raw data directory: $ASSAY_DATA if set, else
// ../shared/data relative to the module root above the working directory.
func Find() (string, error) {
	if d := os.Getenv(Env); d != "" {
		return d, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(dir, "..", "shared", "data")
			if _, err := os.Stat(d); err != nil {
				return "", err
			}
			return filepath.Clean(d), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory, and " + Env + " is not set")
		}
		dir = parent
	}
}

// TB is the part of testing.TB the helpers use. Naming it here rather than
// importing testing keeps the testing package out of the assay binary,
// which uses Find.
type TB interface {
	Helper()
	Skipf(format string, args ...any)
}

// ForTest returns the raw data directory, or skips the test, saying so,
// where the raw files are absent (a clone without ../shared).
func ForTest(t TB) string {
	t.Helper()
	d, err := Find()
	if err != nil {
		t.Skipf("raw data not available (%v): set %s or place the files in ../shared/data", err, Env)
	}
	return d
}

// File returns the path of a raw file under the data directory, skipping the
// test when it is missing.
func File(t TB, rel string) string {
	t.Helper()
	p := filepath.Join(ForTest(t), rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("raw file %s not available: %v", rel, err)
	}
	return p
}
