package report

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// TestEveryFigureHasDataAndAlt checks the written report: each figure has
// its SVG, carrying its alt text, and its CSV, holding a row for each row
// of its tables; the alt text gives numbers; and the manifest lists every
// file with the right SHA-256 and nothing else.
func TestEveryFigureHasDataAndAlt(t *testing.T) {
	r, dir := writeReport(t)
	if len(r.Figures) == 0 {
		t.Fatal("the report has no figure")
	}
	for _, f := range r.Figures {
		if f.Title == "" || f.Source == "" || !strings.ContainsFunc(f.Alt, unicode.IsDigit) {
			t.Errorf("figure %s: title %q, source %q, alt text without a number %q", f.ID, f.Title, f.Source, f.Alt)
		}
		svg, err := os.ReadFile(filepath.Join(dir, FigureDir, f.ID+".svg"))
		if err != nil {
			t.Error(err)
		} else if !strings.Contains(string(svg), `<desc id="`+f.ID+`-desc">`) {
			t.Errorf("figure %s: its SVG has no description", f.ID)
		}
		file, err := os.Open(filepath.Join(dir, DataDir, f.ID+".csv"))
		if err != nil {
			t.Error(err)
			continue
		}
		rows, err := csv.NewReader(file).ReadAll()
		file.Close()
		if err != nil {
			t.Errorf("figure %s: %v", f.ID, err)
			continue
		}
		want := 1
		for _, tab := range f.Tables {
			if len(tab.Columns) > 0 {
				want += max(len(tab.Columns[0].Num), len(tab.Columns[0].Text))
			}
		}
		if len(rows) != want || rows[0][0] != "table" {
			t.Errorf("figure %s: the CSV has %d rows (header %v), its tables %d and a header", f.ID, len(rows), rows[0], want-1)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{ManifestFile: true}
	for _, fh := range m.Files {
		listed[fh.Path] = true
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(fh.Path)))
		if err != nil {
			t.Error(err)
			continue
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != fh.SHA256 {
			t.Errorf("manifest: %s has another SHA-256 than it says", fh.Path)
		}
	}
	if err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, path)
		if err == nil && !d.IsDir() && !listed[filepath.ToSlash(rel)] {
			t.Errorf("%s is in the report but not in its manifest", rel)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if m.Generator != generator || len(m.Inputs) == 0 || m.Data.Vintage == "" || len(m.Studies) != 2 || m.Seed != 1 || !m.Created.Equal(testTime) {
		t.Errorf("manifest: generator %q, %d inputs, vintage %q, %d studies, seed %d, created %v", m.Generator, len(m.Inputs), m.Data.Vintage, len(m.Studies), m.Seed, m.Created)
	}
}

// TestWriteRefuses checks Write puts a report only where nothing is, or
// where a report it wrote is and nothing else, and leaves every other
// folder as it was.
func TestWriteRefuses(t *testing.T) {
	r, _ := snapshotReport(t)
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, dir string) // makes what is at dir beforehand
		refused string                         // in the error; "" means written
	}{
		{"nothing there", func(*testing.T, string) {}, ""},
		{"a file", func(t *testing.T, dir string) { writeFile(t, dir, "data") }, "not a folder"},
		{"an empty folder", func(t *testing.T, dir string) { mkdir(t, dir) }, "not an assay report"},
		{"a folder of the user's", func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "notes.txt"), "mine") }, "not an assay report"},
		{"someone else's manifest", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, ManifestFile), `{"generator": "other"}`)
		}, "not an assay report"},
		{"a report", func(t *testing.T, dir string) { write(t, r, dir) }, ""},
		{"a report with a file added", func(t *testing.T, dir string) {
			write(t, r, dir)
			writeFile(t, filepath.Join(dir, DataDir, "notes.txt"), "mine")
		}, "did not write"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			tc.prepare(t, dir)
			before := listing(t, dir)
			err := r.Write(context.Background(), dir)
			switch {
			case tc.refused == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.refused == "":
				if _, err := os.Stat(filepath.Join(dir, HTMLFile)); err != nil {
					t.Fatal(err)
				}
			case err == nil || !strings.Contains(err.Error(), tc.refused):
				t.Fatalf("got error %v, want one saying %q", err, tc.refused)
			default:
				if after := listing(t, dir); after != before {
					t.Errorf("refused, but changed what was there:\nbefore %s\nafter  %s", before, after)
				}
			}
			if left := leftovers(t, filepath.Dir(dir)); left != "" {
				t.Errorf("temporary folders left beside the report: %s", left)
			}
		})
	}
}

// TestWriteCancelled checks a cancelled write leaves nothing behind.
func TestWriteCancelled(t *testing.T) {
	r, _ := snapshotReport(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(t.TempDir(), "out")
	if err := r.Write(ctx, dir); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want the context's cancellation", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a cancelled write left %s: %v", dir, err)
	}
	if left := leftovers(t, filepath.Dir(dir)); left != "" {
		t.Errorf("a cancelled write left %s", left)
	}
}

func write(t *testing.T, r *Report, dir string) {
	t.Helper()
	if err := r.Write(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	mkdir(t, filepath.Dir(path))
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// listing names every file under path with its mode, size and time: what
// a refusal must leave as it was.
func listing(t *testing.T, path string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v %d %v\n", p, info.Mode(), info.Size(), info.ModTime())
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return b.String()
}

// leftovers names the temporary folders Write left in a folder.
func leftovers(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			left = append(left, e.Name())
		}
	}
	return strings.Join(left, ", ")
}
