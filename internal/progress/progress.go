// Package progress draws a progress bar on stderr while long work runs:
// only when that writer is a terminal and the user did not ask for quiet,
// so that pipes, logs, stdout and --json output never carry one.
//
// It wraps github.com/schollz/progressbar/v3, already assay's dependency:
// one bar at a time is all assay draws, and mpb's multi-bar layout would
// bring a second library for nothing.
package progress

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Bar shows how much of some work is done. A Bar that draws nothing (not a
// terminal, or quiet) is still safe to use, so callers need no branches.
type Bar struct {
	bar *progressbar.ProgressBar // nil when nothing is drawn
}

// On reports whether a bar on w would be drawn: w is a terminal and quiet
// is false. Callers that print line-by-line progress instead use it to
// choose.
func On(w io.Writer, quiet bool) bool {
	f, ok := w.(*os.File)
	return !quiet && ok && term.IsTerminal(int(f.Fd()))
}

// New starts a bar of total steps described by label on w, drawn only
// when On(w, quiet).
func New(w io.Writer, total int, label string, quiet bool) *Bar {
	if !On(w, quiet) {
		return &Bar{}
	}
	return &Bar{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(label),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// Add counts n more steps done.
func (b *Bar) Add(n int) {
	if b.bar != nil {
		b.bar.Add(n)
	}
}

// Describe replaces the label.
func (b *Bar) Describe(label string) {
	if b.bar != nil {
		b.bar.Describe(label)
	}
}

// Report is the adapter for work that reports "done of total" itself, as
// ingest and duckdb.Build do: it shows phase and what is being done, and
// follows total when it changes.
func (b *Bar) Report(phase string) func(what string, done, total int) {
	return func(what string, done, total int) {
		if b.bar == nil {
			return
		}
		if b.bar.GetMax() != total {
			b.bar.ChangeMax(total)
		}
		b.bar.Describe(phase + " " + what)
		b.bar.Set(done)
	}
}

// Clear takes the bar off the terminal until its next update, so that a
// line can be printed without a bar drawn through it.
func (b *Bar) Clear() {
	if b.bar != nil {
		b.bar.Clear()
	}
}

// Finish clears the bar from the terminal.
func (b *Bar) Finish() {
	if b.bar != nil {
		b.bar.Finish()
	}
}
