package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
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
