package report

import "runtime/debug"

// Version names the assay build that writes a report, for its manifest and
// its figures' source lines: the module version the go command stamped
// ("v1.2.0", or "(devel)" for a build from a source tree), then the
// version-control revision and "+dirty" for uncommitted changes when the
// build recorded them (go build records them unless -buildvcs=false). The
// command line's --version reads the same build information.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	return versionOf(bi, ok)
}

func versionOf(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return v
	}
	v += " " + rev[:min(12, len(rev))]
	if dirty {
		v += "+dirty"
	}
	return v
}
