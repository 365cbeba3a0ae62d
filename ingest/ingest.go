// Package ingest turns a folder of raw official files into one audited
// Dataset: it finds the files, reads each with its publisher's reader,
// chooses one source where two files publish the same thing (and checks
// they agree), matches FBI area names to CBSA codes, and accounts for every
// row. It writes nothing: the caller stores the Dataset, so a failed ingest
// leaves any previous warehouse as it was.
package ingest

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/internal/parallel"
	"github.com/assaylab/assay/panel"
)

// DefaultVintage is the delineation FBI names are matched against: the
// February 2013 one, which CIUS uses from its 2012 edition and ACS from 2013.
const DefaultVintage = "2013-02"

// DataEnv names the environment variable that says where the raw data
// directory is when --data is not given; DefaultData is the directory used
// when neither is (the layout of the project's checkout, relative to the
// working directory).
const (
	DataEnv     = "ASSAY_DATA"
	DefaultData = "../shared/data"
)

// DefaultDataDir is the raw data directory when none is named: $ASSAY_DATA,
// else DefaultData.
func DefaultDataDir() string { return cmp.Or(os.Getenv(DataEnv), DefaultData) }

// Options says what to ingest.
type Options struct {
	Data    string // raw data directory, laid out like ../shared/data
	Vintage string // delineation vintage for matching; DefaultVintage if empty
	// Census lists folders of fetched ACS files (assay fetch census, or the
	// synthetic generator in tests) whose B05006/B01003 pairs become
	// origin-group counts.
	Census []string
	// Groups is a file of further origin groups (census groups.toml's
	// shape) to count in the Census folders beside assay's own.
	Groups   string
	Progress func(file string, done, total int)
}

// kind is a family of raw files with one reader.
type kind struct {
	name      string
	publisher string
	// match reports whether a path (slash-separated, relative to the data
	// directory) belongs to this kind.
	match func(rel string) bool
	// hashes says the kind's reader hashes the bytes it reads and reports
	// the SHA-256, so ingest does not read the file a second time to hash
	// it (the ACS files are most of the data directory).
	hashes bool
}

func under(dir string, exts ...string) func(string) bool {
	return func(rel string) bool {
		return strings.HasPrefix(rel, dir) && slices.Contains(exts, strings.ToLower(filepath.Ext(rel)))
	}
}

// The layout of the raw data directory. Order matters only for the first
// match; paths are relative to the data directory.
var kinds = []kind{
	{"table6", "FBI UCR, Crime in the United States", under("ucr/table6_msa/", ".csv", ".xls", ".xlsx"), false},
	{"national_crime", "FBI UCR", under("ucr/national/", ".csv", ".xls", ".xlsx"), false},
	{"agency_crime", "The Marshall Project, from FBI UCR", under("ucr/city/", ".csv"), false},
	{"delineation", "OMB / U.S. Census Bureau", func(rel string) bool {
		base := filepath.Base(rel)
		return strings.HasPrefix(rel, "geo/") && (strings.HasPrefix(base, "list1") || strings.HasPrefix(base, "cbsa_delineation"))
	}, true},
	{"acs_variable_map", "U.S. Census Bureau (via Census Reporter)", func(rel string) bool {
		return strings.HasPrefix(rel, "acs/") && strings.Contains(filepath.Base(rel), "variable_map")
	}, false},
	{"acs_legend", "U.S. Census Bureau", func(rel string) bool {
		return strings.HasPrefix(rel, "acs/") && strings.HasSuffix(rel, "_LEGEND.csv")
	}, false},
	{"acs_table", "U.S. Census Bureau", func(rel string) bool {
		return strings.HasPrefix(rel, "acs/") && strings.HasSuffix(rel, "_DATA.csv")
	}, true},
	{assay.SourceCountyNativity, "U.S. Census Bureau (via Los Angeles Times Data Desk)", under("acs/county_foreignborn/", ".csv"), true},
	// The counties file holds the nation, the states and the counties on
	// shared borders; the separate states and nation files were simplified
	// apart from it and do not line up, so they are hashed, not read.
	{"outline", "us-atlas (Mike Bostock, ISC), from the U.S. Census Bureau's cartographic boundary files", func(rel string) bool {
		return rel == "geo/us_atlas/counties-albers-10m.json"
	}, false},
}

// file is one raw file found in the data directory.
type file struct {
	rel, path string
	kind      *kind
	sha256    string
}

// discover lists the data files under dir in a stable order. Documentation
// (Markdown) is not data and is not listed.
func discover(dir string) ([]file, error) {
	var files []file
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasSuffix(d.Name(), ".md") || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		f := file{rel: filepath.ToSlash(rel), path: path}
		for i := range kinds {
			if kinds[i].match(f.rel) {
				f.kind = &kinds[i]
				break
			}
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	slices.SortFunc(files, func(a, b file) int { return cmp.Compare(a.rel, b.rel) })
	return files, nil
}

// hashFile streams a file through SHA-256: the readers read each file
// whole once already, and a second whole copy only to hash it was an
// eighth of ingest's allocations.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Run ingests everything under opt.Data.
func Run(ctx context.Context, opt Options) (*assay.Dataset, error) {
	if opt.Vintage == "" {
		opt.Vintage = DefaultVintage
	}
	files, err := discover(opt.Data)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("ingest: no data files under %s", opt.Data)
	}
	// Files are read on every core, each into a builder of its own, then
	// merged in file order: the dataset is the same as one read in turn.
	read := make([]*builder, len(files))
	err = parallel.Do(ctx, len(files), func(i int) error {
		f := &files[i]
		if f.kind == nil || !f.kind.hashes {
			var err error
			if f.sha256, err = hashFile(f.path); err != nil {
				return fmt.Errorf("ingest %s: %w", f.rel, err)
			}
		}
		read[i] = &builder{opt: opt, ds: &assay.Dataset{}}
		return read[i].read(f)
	}, func(i, done int) {
		if opt.Progress != nil {
			opt.Progress(files[i].rel, done, len(files))
		}
	})
	if err != nil {
		return nil, err
	}
	b := &builder{opt: opt, ds: &assay.Dataset{}}
	if err := b.merge(read...); err != nil {
		return nil, err
	}
	if err := b.addCensus(); err != nil {
		return nil, err
	}
	if err := b.finish(); err != nil {
		return nil, err
	}
	return b.ds, nil
}

// addCensus reads the fetched Census folders of the options, counting
// assay's origin groups and those of the --groups file.
func (b *builder) addCensus() error {
	if len(b.opt.Census) == 0 {
		if b.opt.Groups != "" {
			return fmt.Errorf("ingest --groups %s: origin groups are counted in fetched Census files; name their folder with --census", b.opt.Groups)
		}
		return nil
	}
	groups, err := b.originGroups()
	if err != nil {
		return err
	}
	for _, dir := range b.opt.Census {
		if err := b.readCensusDir(dir, groups); err != nil {
			return err
		}
	}
	b.ds.OriginGroups = groups
	return nil
}

// Extend adds fetched Census folders (opt.Census, with opt.Groups) to a
// dataset ingest built before, the embedded snapshot say, and builds its
// metro-year panel again: users without the raw files add metro B05006
// counts this way. The base is not changed.
func Extend(ctx context.Context, base *assay.Dataset, opt Options) (*assay.Dataset, error) {
	if len(opt.Census) == 0 {
		return nil, fmt.Errorf("ingest: nothing to add: name a folder of fetched Census files with --census")
	}
	ds := *base
	ds.Sources = slices.Clone(base.Sources)
	ds.OriginCounts = slices.Clone(base.OriginCounts)
	// The panel's own audit lines are made again with the panel.
	ds.Audit = slices.DeleteFunc(slices.Clone(base.Audit), func(e assay.AuditEntry) bool { return slices.Contains(panel.AuditReasons, e.Reason) })
	b := &builder{opt: opt, ds: &ds}
	if err := b.addCensus(); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, s := range ds.Sources {
		if seen[s.Path] {
			return nil, fmt.Errorf("ingest --census: %s is in the data already", s.Path)
		}
		seen[s.Path] = true
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return b.ds, b.buildPanel(base.Vintage)
}
