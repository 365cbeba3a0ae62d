//go:build unix

package main

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // to build a large table fast, outside assay

	"github.com/assaylab/assay/internal/datadir"
)

// mainEnv makes the test binary run assay's main instead of its tests, so
// that a test can send a real signal to a child process running a command.
const mainEnv = "ASSAY_TEST_MAIN_ARGS"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(mainEnv); ok {
		os.Exit(run(strings.Split(args, "\x1f")))
	}
	os.Exit(m.Run())
}

// child returns a command that runs assay with args in a child process,
// through TestMain, which splits them as they are joined here.
func child(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), mainEnv+"="+strings.Join(args, "\x1f"))
	return cmd
}

// interruptMidWork runs assay with args in a child process and sends it
// SIGINT once busy reports that the command is in the middle of its work
// (a temporary file exists). It freezes the child with SIGSTOP before
// checking busy again, so the signal is known to arrive mid-work, not
// after. It returns the exit code and stderr.
func interruptMidWork(t *testing.T, busy func() bool, args ...string) (int, string) {
	t.Helper()
	cmd := child(t, args...)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for sent := false; !sent; {
		select {
		case err := <-done:
			t.Fatalf("the command ended (%v) before it was seen at work; stderr: %s", err, errOut.String())
		default:
		}
		if !busy() {
			time.Sleep(100 * time.Microsecond)
			continue
		}
		cmd.Process.Signal(syscall.SIGSTOP)
		if busy() {
			cmd.Process.Signal(os.Interrupt)
			sent = true
		}
		cmd.Process.Signal(syscall.SIGCONT)
	}
	err := <-done
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), errOut.String()
}

// leftovers lists the hidden temporary files and folders in dir.
func leftovers(t *testing.T, dir string) []string {
	return hidden(t, dir, ".")
}

// hidden lists the names in dir that begin with prefix.
func hidden(t *testing.T, dir, prefix string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			names = append(names, e.Name())
		}
	}
	return names
}

// Ctrl-C during the build of a warehouse from the real files: the command
// says it was interrupted, exits 1, leaves the previous warehouse as it
// was and no .assay-build-* folder (before, SIGINT killed the process and
// left the folder with a partial database and its log).
func TestIngestInterrupted(t *testing.T) {
	data := datadir.ForTest(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "assay.duckdb")
	if code, _, errOut := runCapture(t, "ingest", "--data", miniData(t), "--db", db); code != 0 {
		t.Fatalf("previous warehouse: exit %d: %s", code, errOut)
	}
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	busy := func() bool { return len(hidden(t, dir, ".assay-build-")) > 0 }
	code, errOut := interruptMidWork(t, busy, "ingest", "--data", data, "--db", db)
	if code != 1 || !strings.Contains(errOut, "assay: interrupted") {
		t.Errorf("exit %d, stderr %q; want 1 and \"assay: interrupted\"", code, errOut)
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	if after, err := os.ReadFile(db); err != nil || !bytes.Equal(before, after) {
		t.Errorf("the previous warehouse changed (%v)", err)
	}
}

// Ctrl-C during an export: exit 1, no .tmp file, no output file.
func TestExportInterrupted(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "big.duckdb")
	w, err := sql.Open("duckdb", db)
	if err != nil {
		t.Fatal(err)
	}
	// SYNTHETIC rows, enough that writing them takes a while.
	_, err = w.Exec("CREATE TABLE big AS SELECT range AS n, 'SYNTHETIC row ' || range AS s, range / 7 AS x FROM range(3000000)")
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "big.csv")
	busy := func() bool { return len(hidden(t, dir, ".big.csv.")) > 0 }
	code, errOut := interruptMidWork(t, busy, "export", "--db", db, "--table", "big", "--format", "csv", "--out", out)
	if code != 1 || !strings.Contains(errOut, "assay: interrupted") {
		t.Errorf("exit %d, stderr %q; want 1 and \"assay: interrupted\"", code, errOut)
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("an interrupted export wrote %s", out)
	}
}
