package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/assaylab/assay/internal/version"
)

// The release binary must not carry the testing package (its flags, its
// size): a helper for tests that lives in a package the binary imports
// must not import it.
func TestBinaryDoesNotLinkTesting(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool on PATH to list the binary's packages: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	if slices.Contains(strings.Fields(string(out)), "testing") {
		t.Error("cmd/assay links the testing package: find the importer with go list -f '{{.ImportPath}} {{.Imports}}' -deps . | grep -w testing")
	}
}

func TestVersion(t *testing.T) {
	want := "assay " + version.String() + "\n"
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, errOut := runCapture(t, args...)
		if code != 0 || out != want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", args, code, out, errOut, want)
		}
	}
	if code, _, _ := runCapture(t, "version", "extra"); code != 2 {
		t.Errorf("version extra: exit %d, want 2", code)
	}
}
