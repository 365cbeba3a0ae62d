// Package interrupt turns Ctrl-C and SIGTERM into a cancelled context, so
// that a long command stops through its own error paths and removes its
// temporary files, while a second Ctrl-C still stops the process at once.
package interrupt

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// Context returns a context that the first SIGINT or SIGTERM cancels.
// After that first signal the process's default handling is back, so a
// second one ends it at once, for a user who will not wait for cleanup.
// Call stop when done, to release the signals.
func Context(parent context.Context) (ctx context.Context, stop context.CancelFunc) {
	ctx, stop = signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}
