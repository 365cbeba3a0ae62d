//go:build unix

package stats

import (
	"syscall"
	"testing"
	"time"
)

// processCPU is the CPU time the process has used, user and system. On a
// shared machine wall time includes waiting for other processes; CPU time
// does not, so benchmarks report it too.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMeter reports CPU time per operation ("cpu-ns/op") of the benchmark
// loop it brackets: call it before the loop and the result after.
func cpuMeter(b *testing.B) func() {
	start := processCPU()
	return func() {
		b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
	}
}
