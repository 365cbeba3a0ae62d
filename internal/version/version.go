// Package version says which build of assay is running, from what the Go
// toolchain records in the binary: the module version and, when built from
// a checkout, the VCS revision, so that a result can name the code that
// made it.
package version

import (
	"runtime/debug"
	"strings"
)

// String describes this binary: "v1.2.0", or for a build from a checkout
// "v0.0.0-20261205170000-0123456789ab+dirty (revision 0123456789ab,
// 2026-12-05T17:00:00Z, modified)"; "unknown" when the binary carries no
// build information.
func String() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	return format(bi)
}

func format(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, at string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return v
	}
	details := []string{"revision " + rev}
	if at != "" {
		details = append(details, at)
	}
	if modified {
		details = append(details, "modified")
	}
	return v + " (" + strings.Join(details, ", ") + ")"
}
