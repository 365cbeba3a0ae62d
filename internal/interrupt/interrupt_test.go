//go:build unix

package interrupt

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The child process of TestFirstCancelsSecondKills: it signals itself
// once, reports the cancellation, signals itself again and must die.
func TestMain(m *testing.M) {
	if os.Getenv("INTERRUPT_TEST_CHILD") == "1" {
		ctx, stop := Context(context.Background())
		defer stop()
		syscall.Kill(os.Getpid(), syscall.SIGINT)
		<-ctx.Done()
		fmt.Println("cancelled")
		// stop() runs in Context's goroutine after Done; wait until the
		// default action is back rather than for a fixed time.
		for {
			syscall.Kill(os.Getpid(), syscall.SIGINT)
			time.Sleep(10 * time.Millisecond)
		}
	}
	os.Exit(m.Run())
}

func TestFirstCancelsSecondKills(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "INTERRUPT_TEST_CHILD=1")
	out, err := cmd.Output()
	if !strings.Contains(string(out), "cancelled") {
		t.Fatalf("the first SIGINT did not cancel the context: output %q, %v", out, err)
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("child ended with %v, want death by SIGINT", err)
	}
	ws := ee.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("child ended with %v, want death by SIGINT", ws)
	}
}

func TestStopReleases(t *testing.T) {
	ctx, stop := Context(context.Background())
	stop()
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("stop did not cancel the context")
	}
}
