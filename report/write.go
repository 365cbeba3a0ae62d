package report

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/assaylab/assay/chart"
	"github.com/assaylab/assay/internal/outpath"
)

// The report's layout inside its folder.
const (
	HTMLFile     = "index.html"
	MarkdownFile = "report.md"
	FigureDir    = "figures"
	DataDir      = "data"
)

// Rendered is a figure drawn: its SVG, and the CSV of exactly the numbers
// it draws.
type Rendered struct {
	SVG, CSV []byte
}

// Render draws a figure once, for a file or a page.
func Render(f *chart.Figure) (Rendered, error) {
	var svg, csv bytes.Buffer
	if err := f.WriteSVG(&svg); err != nil {
		return Rendered{}, fmt.Errorf("figure %s: %w", f.ID, err)
	}
	if err := f.WriteCSV(&csv); err != nil {
		return Rendered{}, fmt.Errorf("figure %s: %w", f.ID, err)
	}
	return Rendered{svg.Bytes(), csv.Bytes()}, nil
}

func (r *Report) render(ctx context.Context) (map[string]Rendered, error) {
	out := make(map[string]Rendered, len(r.Figures))
	for _, f := range r.Figures {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var err error
		if out[f.ID], err = Render(f); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Write writes the report into dir: index.html, report.md, figures/ (one
// SVG a figure), data/ (one CSV a figure) and manifest.json. dir must not
// exist, or be a report Write wrote that holds nothing else: Write never
// replaces a folder of the user's. Everything is written to a temporary
// folder beside dir, renamed into place at the end; on an error or a
// cancelled ctx the temporary folder is removed and dir is as it was.
func (r *Report) Write(ctx context.Context, dir string) (err error) {
	if err := CheckOut(dir); err != nil {
		return err
	}
	figs, err := r.render(ctx)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	parent, base := filepath.Split(filepath.Clean(dir))
	if parent == "" {
		parent = "."
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	done := false
	defer func() {
		if !done {
			err = errors.Join(err, os.RemoveAll(tmp))
		}
	}()
	m := r.Manifest
	m.Files = nil
	put := func(name string, b []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		path := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m.Files = append(m.Files, FileHash{Path: name, SHA256: hex.EncodeToString(sum[:])})
		return nil
	}
	for _, f := range r.Figures {
		if err := put(FigureDir+"/"+f.ID+".svg", figs[f.ID].SVG); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		if err := put(DataDir+"/"+f.ID+".csv", figs[f.ID].CSV); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	var page, md bytes.Buffer
	if err := r.writeHTML(&page, figs); err != nil {
		return fmt.Errorf("report: %s: %w", HTMLFile, err)
	}
	if err := r.writeMarkdown(&md); err != nil {
		return fmt.Errorf("report: %s: %w", MarkdownFile, err)
	}
	if err := put(HTMLFile, page.Bytes()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := put(MarkdownFile, md.Bytes()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("report: %s: %w", ManifestFile, err)
	}
	if err := os.WriteFile(filepath.Join(tmp, ManifestFile), append(mb, '\n'), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	// MkdirTemp made the folder private; a report is for reading.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := swap(tmp, dir); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	done = true
	return nil
}

// swap puts the folder tmp at dir, moving an existing report aside first
// and removing it once the new one is in place.
func swap(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return errors.Join(err, os.Rename(old, dir))
	}
	return os.RemoveAll(old)
}

// CheckOut says whether Write may put a report at dir, so that a command
// can refuse before it builds one: see replaceable; a missing dir's folder
// must exist and be writable, named as the user gave it rather than by
// Write's temporary folder.
func CheckOut(dir string) error {
	if err := replaceable(dir); err != nil {
		return err
	}
	if err := outpath.Dir(dir); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// replaceable says whether Write may put a report at dir: nothing is
// there, or a report with its manifest and no file the manifest does not
// list (a file the user added would be lost with the old report).
func replaceable(dir string) error {
	st, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("report: %w", err)
	case !st.IsDir():
		return fmt.Errorf("report: %s exists and is not a folder: refusing to replace it", dir)
	}
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	var m Manifest
	if err != nil || json.Unmarshal(b, &m) != nil || m.Generator != generator {
		return fmt.Errorf("report: %s exists and is not an assay report (no %s written by assay report): refusing to write into it; choose a new --out", dir, ManifestFile)
	}
	listed := []string{ManifestFile}
	for _, f := range m.Files {
		listed = append(listed, f.Path)
	}
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if d.IsDir() || slices.Contains(listed, filepath.ToSlash(rel)) {
			return nil
		}
		return fmt.Errorf("report: %s holds %s, which the report there did not write: refusing to replace it", dir, rel)
	})
}
