//go:build !unix

package stats

import "testing"

// cpuMeter reports nothing where getrusage is unavailable.
func cpuMeter(*testing.B) func() { return func() {} }
