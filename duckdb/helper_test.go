package duckdb

import (
	"os"
	"os/exec"
	"testing"
)

// testCommand runs this test binary again, limited to one test, as a
// separate process.
func testCommand(t *testing.T, test string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exec.Command(exe, "-test.run=^"+test+"$", "-test.count=1")
}
