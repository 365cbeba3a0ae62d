package version

import (
	"runtime/debug"
	"testing"
)

func TestFormat(t *testing.T) {
	rev := "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"release", debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0"},
		{"no version", debug.BuildInfo{}, "(devel)"},
		{"checkout", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261205170000-0123456789ab"}, Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: "2026-12-05T17:00:00Z"}, {Key: "vcs.modified", Value: "false"},
		}}, "v0.0.0-20261205170000-0123456789ab (revision " + rev + ", 2026-12-05T17:00:00Z)"},
		{"modified checkout", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "true"},
		}}, "(devel) (revision " + rev + ", modified)"},
	}
	for _, tt := range tests {
		if got := format(&tt.bi); got != tt.want {
			t.Errorf("%s: format = %q, want %q", tt.name, got, tt.want)
		}
	}
}
