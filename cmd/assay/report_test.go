package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assaylab/assay/report"
)

// smallStudy is a study with a grid of four specifications and few
// permutations, so that the command's test runs in a second.
const smallStudy = `
name = "small"
title = "All metros, a small grid (test)"

[years]
base = 2012
end = 2017

[immigrant]
source = "bundled"
group = "foreign_born"
measure = "pp_change"

[outcome]
offense = "violent"

[estimation]
estimators = ["pearson"]
permutations = 99

[grid]
offense = ["violent", "murder"]
change = ["rate_change", "pct_change"]
permutations = 19
`

// TestReportCommand writes a report as a user would, writes it again over
// itself, and checks what the command refuses.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "small.toml")
	file := filepath.Join(dir, "notes.txt")
	for _, p := range []struct{ path, body string }{{spec, smallStudy}, {file, "mine"}} {
		if err := os.WriteFile(p.path, []byte(p.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "report")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"a new folder", []string{"report", "--out", out, "--study", spec, "--perm", "0"}, exitOK, ""},
		{"the same folder again", []string{"report", "--out", out, "--study", spec, "--perm", "0"}, exitOK, ""},
		{"a file", []string{"report", "--out", file, "--study", spec, "--perm", "0"}, exitError, "not a folder"},
		// The output is checked before the warehouse is even opened.
		{"a file, before any work", []string{"report", "--out", file, "--db", filepath.Join(dir, "none.duckdb")}, exitError, "not a folder"},
		{"a missing folder", []string{"report", "--out", filepath.Join(dir, "no", "report")}, exitError, "folder " + filepath.Join(dir, "no") + " does not exist"},
		{"too many permutations", []string{"report", "--perm", "-1"}, exitUsage, "--perm -1"},
		{"an argument", []string{"report", "here"}, exitUsage, "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCapture(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tc.code, stderr, tc.stderr)
			}
			if code != exitOK {
				return
			}
			path, headline, _ := strings.Cut(stdout, "\n\n")
			if path != filepath.Join(out, report.HTMLFile) || !strings.Contains(headline, "Across all") {
				t.Errorf("printed %q", stdout)
			}
			b, err := os.ReadFile(filepath.Join(out, report.ManifestFile))
			if err != nil {
				t.Fatal(err)
			}
			var m report.Manifest
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if len(m.Studies) == 0 || m.Studies[0].Ref != spec || m.Permutations != 0 {
				t.Errorf("manifest: studies %+v, permutations %d", m.Studies, m.Permutations)
			}
		})
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "mine" {
		t.Errorf("the refused file now holds %q (%v)", b, err)
	}
}
