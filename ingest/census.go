package ingest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/census"
)

// readACS reads the Census files of the data directory.
func (b *builder) readACS(f *file) error {
	switch f.kind.name {
	case "acs_variable_map", "acs_legend":
		fh, err := os.Open(f.path)
		if err != nil {
			return fmt.Errorf("ingest %s: %w", f.rel, err)
		}
		defer fh.Close()
		return b.readLabels(f, fh)
	case "acs_table":
		res, err := census.ReadFile(f.path, census.Options{Source: f.rel, Select: census.NationalLabels()})
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		f.sha256 = res.Source.SHA256
		if res.Table != "S0201" {
			b.addSource(f, res.Year, accounted{audit: []assay.AuditEntry{{Source: f.rel, Action: assay.Skipped, Reason: "not_ingested",
				Detail: fmt.Sprintf("ACS table %s in the data directory: only S0201 is read from here; pass B05006 and B01003 files with --census", res.Table)}}})
			return nil
		}
		recs, err := census.NationalOrigins(res)
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		b.ds.NationalOrigins = append(b.ds.NationalOrigins, recs...)
		b.addCensusSource(f, res)
	case assay.SourceCountyNativity:
		recs, res, err := census.ReadCountyNativity(f.path, census.Options{Source: f.rel})
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		f.sha256 = res.Source.SHA256
		b.ds.CountyNativity = append(b.ds.CountyNativity, recs...)
		b.addCensusSource(f, res)
	default:
		return fmt.Errorf("ingest %s: no reader for kind %q", f.rel, f.kind.name)
	}
	return nil
}

func (b *builder) addCensusSource(f *file, res *census.Result) {
	s := res.Source
	b.addSource(f, res.Year, accounted{res.Audit, s.RowsRead, s.RowsLoaded, s.RowsSkipped})
}

// readLabels loads a label file (a saved API legend, or the B05006 variable
// map by year) into acs_variable. Every row that labels a variable feeds
// the label index: a legend's E, M, EA and MA rows all label one variable.
func (b *builder) readLabels(f *file, r io.Reader) error {
	opt := census.FromName(filepath.Base(f.rel), census.Options{})
	lg, err := census.ParseLegend(r, f.rel, opt.Table, opt.Year, opt.Product)
	if err != nil {
		return fmt.Errorf("ingest %s: %w", f.rel, err)
	}
	for _, l := range lg.Labels {
		for _, v := range l.Variables() {
			b.ds.Variables = append(b.ds.Variables, assay.ACSVariable{Source: f.rel, Table: l.Table, Year: l.Year,
				Product: l.Product, Variable: v.ID, Label: v.Label})
		}
	}
	b.addSource(f, 0, accounted{lg.Audit, lg.RowsRead, lg.RowsLoaded, lg.RowsSkipped})
	return nil
}

// readCensusDir loads a folder of fetched ACS files: origin-group counts
// from each B05006 file paired with the B01003 file of its year. Files are
// recorded under the folder's name ("acs/B05006_...json"), not its path on
// this machine.
func (b *builder) readCensusDir(dir string, groups []assay.OriginGroup) error {
	label := filepath.Base(filepath.Clean(dir))
	counts, audit, sources, err := census.LoadOriginCounts(dir, label, groups)
	if err != nil {
		return fmt.Errorf("ingest --census %s: %w", dir, err)
	}
	b.ds.OriginCounts = append(b.ds.OriginCounts, counts...)
	b.ds.Sources = append(b.ds.Sources, sources...)
	b.ds.Audit = append(b.ds.Audit, audit...)
	return nil
}

// originGroups returns the groups fetched counts are summed by: assay's
// own, then those of the --groups file, which is recorded as a source.
func (b *builder) originGroups() ([]assay.OriginGroup, error) {
	groups, err := census.DefaultGroups()
	if err != nil {
		return nil, err
	}
	if b.opt.Groups == "" {
		return groups, nil
	}
	own, err := census.ReadGroupsFile(b.opt.Groups)
	if err != nil {
		return nil, fmt.Errorf("ingest --groups: %w", err)
	}
	for _, g := range own {
		if _, dup := census.FindGroup(groups, g.Key); dup {
			return nil, fmt.Errorf("ingest --groups %s: group %q is one of assay's own; choose another key", b.opt.Groups, g.Key)
		}
	}
	sum, err := hashFile(b.opt.Groups)
	if err != nil {
		return nil, fmt.Errorf("ingest --groups: %w", err)
	}
	b.ds.Sources = append(b.ds.Sources, assay.Source{Path: filepath.Base(b.opt.Groups), SHA256: sum, Kind: "origin_groups",
		Publisher: "the user (origin-group definitions)", RowsRead: len(own), RowsLoaded: len(own)})
	return append(groups, own...), nil
}
