//go:build !linux

package progress

import (
	"os"
	"testing"
)

// openTerminal has no pseudo-terminal to open here.
func openTerminal(*testing.T) *os.File { return nil }
