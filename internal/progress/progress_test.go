package progress

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// use drives a bar through everything callers do.
func use(b *Bar) {
	b.Add(1)
	b.Describe("writing")
	report := b.Report("reading")
	for i := range 5 {
		report("table6", i, 5)
	}
	report("acs", 3, 10)
	b.Clear()
	b.Finish()
}

// Nothing is drawn into a pipe, a buffer or a file, nor on a terminal
// when quiet.
func TestSilentOffTerminal(t *testing.T) {
	var buf bytes.Buffer
	use(New(&buf, 10, "ingest", false))
	if buf.Len() != 0 {
		t.Errorf("drew %q into a buffer", buf.String())
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	use(New(f, 10, "ingest", false))
	if info, err := f.Stat(); err != nil || info.Size() != 0 {
		t.Errorf("drew %d bytes into a file (%v)", info.Size(), err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	use(New(w, 10, "ingest", false))
	w.Close()
	var got bytes.Buffer
	got.ReadFrom(r)
	if got.Len() != 0 {
		t.Errorf("drew %q into a pipe", got.String())
	}
	if tty := openTerminal(t); tty != nil {
		if On(tty, true) {
			t.Error("On(terminal, quiet) = true")
		}
		if !On(tty, false) {
			t.Error("On(terminal, not quiet) = false")
		}
	}
}
