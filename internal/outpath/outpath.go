// Package outpath checks where a command is about to write, before it does
// any work, so that an output never lands on one of the command's inputs,
// on a directory, or on a file of another kind, and so that a missing or
// read-only folder is reported by its name, not by a temporary file's.
package outpath

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/assaylab/assay/internal/filekind"
)

// File checks path as a file a command will create or replace: its folder
// must exist and be writable; path must not be a directory; an existing
// file must be of one of the kinds replace lists; and path must not be
// one of inputs. Inputs are compared by file identity, so that ./w.duckdb,
// a symbolic link or a hard link to an input all count as that input;
// inputs that do not exist are ignored.
func File(path string, replace []filekind.Kind, inputs ...string) error {
	if err := folder(path); err != nil {
		return err
	}
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if info.IsDir() {
		return fmt.Errorf("%s is a directory: give a file name", path)
	}
	if err := notInput(path, info, inputs); err != nil {
		return err
	}
	kind, err := filekind.Sniff(path)
	if err != nil {
		return err
	}
	if !slices.Contains(replace, kind) {
		return fmt.Errorf("%s exists and is %s, which this command does not replace: choose another name or remove the file", path, kind)
	}
	return nil
}

// Dir checks path as a directory a command will create if missing and
// write files into: it must be a directory, or missing in a folder that
// exists and is writable, and must not be one of inputs.
func Dir(path string, inputs ...string) error {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return folder(path)
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is a file, not a directory", path)
	}
	if err := notInput(path, info, inputs); err != nil {
		return err
	}
	return writable(path)
}

// folder checks that the directory that will hold path exists and can be
// written.
func folder(path string) error {
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: folder %s does not exist", path, dir)
	case err != nil:
		return err
	case !info.IsDir():
		return fmt.Errorf("%s: %s is not a folder", path, dir)
	}
	return writable(dir)
}

// writable tries what the command will do: create a file in dir. Asking
// for permission bits instead would miss read-only mounts, ACLs and
// Windows attributes.
func writable(dir string) error {
	f, err := os.CreateTemp(dir, ".assay-probe-*")
	if err != nil {
		return fmt.Errorf("cannot write in folder %s: %w", dir, errors.Unwrap(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func notInput(path string, info fs.FileInfo, inputs []string) error {
	for _, in := range inputs {
		if in == "" {
			continue
		}
		ii, err := os.Stat(in)
		if err != nil {
			continue
		}
		if os.SameFile(info, ii) {
			if in == path {
				return fmt.Errorf("%s is also an input of this command: write the output elsewhere", path)
			}
			return fmt.Errorf("%s is the same file as the input %s: write the output elsewhere", path, in)
		}
	}
	return nil
}
