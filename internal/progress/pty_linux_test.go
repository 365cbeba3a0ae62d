package progress

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openTerminal opens a pseudo-terminal and returns its terminal end, or
// nil where the system has none to give.
func openTerminal(t *testing.T) *os.File {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Logf("no pseudo-terminal: %v", err)
		return nil
	}
	t.Cleanup(func() { master.Close() })
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	// Read what is drawn, so the terminal never blocks a write.
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			if err != nil {
				return
			}
			drawn <- string(buf[:n])
		}
	}()
	return tty
}

// drawn carries what bars draw on the pseudo-terminal.
var drawn = make(chan string, 1024)

// On a terminal the bar is drawn, with its label.
func TestDrawsOnTerminal(t *testing.T) {
	tty := openTerminal(t)
	if tty == nil {
		t.Skip("no pseudo-terminal to draw on")
	}
	b := New(tty, 10, "ingesting", false)
	b.Add(5)
	b.Finish()
	var got strings.Builder
	for !strings.Contains(got.String(), "ingesting") {
		select {
		case s := <-drawn:
			got.WriteString(s)
		case <-time.After(10 * time.Second):
			t.Fatalf("the terminal shows %q, no bar", got.String())
		}
	}
}
