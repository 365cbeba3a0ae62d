package outpath

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assaylab/assay/internal/filekind"
)

func TestFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	input := write("input.csv", "a,b\n")
	old := write("old.csv", "x\n")
	notes := write("notes.pdf", "%PDF-1.4\n")
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(input, link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.csv")
	if err := os.Link(input, hard); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	csv := []filekind.Kind{filekind.Text, filekind.Empty}
	tests := []struct {
		name, path string
		inputs     []string
		want       string // "" for no error
	}{
		{"new file", filepath.Join(dir, "new.csv"), []string{input}, ""},
		{"replace the same kind", old, []string{input}, ""},
		{"missing folder", filepath.Join(dir, "no", "x.csv"), nil, "x.csv: folder " + filepath.Join(dir, "no") + " does not exist"},
		{"folder is a file", filepath.Join(old, "x.csv"), nil, "old.csv is not a folder"},
		{"a directory", dir, nil, dir + " is a directory: give a file name"},
		{"the input", input, []string{input}, "input.csv is also an input of this command"},
		{"the input spelled ./", "./input.csv", []string{input}, "./input.csv is the same file as the input " + input},
		{"a symlink to the input", link, []string{input}, "is the same file as the input"},
		{"a hard link to the input", hard, []string{input}, "is the same file as the input"},
		{"another kind", notes, nil, "notes.pdf exists and is a PDF document, which this command does not replace"},
		{"a missing input is ignored", filepath.Join(dir, "new.csv"), []string{filepath.Join(dir, "gone")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := File(tt.path, csv, tt.inputs...)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("File(%s) = %v, want %q", tt.path, err, tt.want)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 5 {
		t.Errorf("the folder holds %d entries after the checks, want the 5 it had", len(entries))
	}
}

func TestDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		inputs     []string
		want       string
	}{
		{"existing", dir, nil, ""},
		{"missing", filepath.Join(dir, "new"), nil, ""},
		{"missing parent", filepath.Join(dir, "a", "b"), nil, "does not exist"},
		{"a file", file, nil, "is a file, not a directory"},
		{"an input", dir, []string{dir}, "is also an input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Dir(tt.path, tt.inputs...)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Dir(%s) = %v, want %q", tt.path, err, tt.want)
			}
		})
	}
}

func TestUnwritableFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only folders")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	err := File(filepath.Join(dir, "x.csv"), nil)
	if err == nil || !strings.Contains(err.Error(), "cannot write in folder "+dir) {
		t.Errorf("err = %v, want the folder named", err)
	}
}
