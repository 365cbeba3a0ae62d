package report

import (
	"time"

	"github.com/assaylab/assay/internal/version"
	"github.com/assaylab/assay/papers/blanchard2019"
	"github.com/assaylab/assay/study"
)

// ManifestFile names a report's manifest inside its folder.
const ManifestFile = "manifest.json"

// generator marks a manifest as one Write wrote: only a folder holding it
// may be replaced by a new report.
const generator = "assay report"

// Manifest says what produced a report, so that anyone can check it and
// make it again: the assay build, the data and every raw input's SHA-256,
// the designs and seeds of the analyses, and the hash of every file
// written.
type Manifest struct {
	Generator string    `json:"generator"`
	Version   string    `json:"assay_version"`
	Created   time.Time `json:"created"`
	Data      DataRef   `json:"data"`
	// Seed seeded every permutation test and bootstrap; Permutations is
	// the ledger's per correlation (the studies' are in their specs).
	Seed         uint64      `json:"seed"`
	Permutations int         `json:"ledger_permutations"`
	Paper        PaperDesign `json:"reproduction"`
	Studies      []StudyRun  `json:"studies"`
	Inputs       []InputFile `json:"inputs"`
	// Files are every file of the report but the manifest, with their
	// SHA-256.
	Files     []FileHash `json:"files"`
	Synthetic bool       `json:"synthetic,omitempty"`
}

// DataRef is the data the findings rest on.
type DataRef struct {
	// Source is "embedded snapshot" or the warehouse file.
	Source string `json:"source"`
	// Vintage is the OMB delineation its metro codes belong to.
	Vintage string `json:"delineation_vintage"`
}

// PaperDesign is the reproduction's design: the paper, its years, the
// immigrant measure used and each reading of its selection rule.
type PaperDesign struct {
	Paper   string               `json:"paper"`
	Years   study.Years          `json:"years"`
	Measure string               `json:"measure"`
	HasNTCA bool                 `json:"has_ntca"`
	Rules   []blanchard2019.Rule `json:"rules"`
}

// StudyRun is a study the report ran, as named and as run.
type StudyRun struct {
	Role string      `json:"role"`
	Ref  string      `json:"ref"`
	Spec *study.Spec `json:"spec"`
}

// InputFile is a raw input of the data.
type InputFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Kind   string `json:"kind"`
	Rows   int    `json:"rows_read"`
}

// FileHash is a file of the report.
type FileHash struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// DataSource names the data in the manifest and the report: the warehouse
// file, or the embedded snapshot.
func DataSource(db string) string {
	if db == "" {
		return "embedded snapshot"
	}
	return db
}

func (f *findings) manifest(in Input) Manifest {
	m := Manifest{
		Generator:    generator,
		Version:      version.String(),
		Created:      in.Time.UTC().Truncate(time.Second),
		Data:         DataRef{Source: DataSource(in.DB), Vintage: f.ds.Vintage},
		Seed:         in.Seed,
		Permutations: in.Perm,
		Paper:        PaperDesign{Paper: f.rep.Paper, Years: f.rep.Years, Measure: f.rep.Measure, HasNTCA: f.rep.HasNTCA},
		Studies: []StudyRun{
			{Role: "beyond the paper: all metros", Ref: f.allRef, Spec: f.all.Spec},
			{Role: "beyond the paper: metro-year panel", Ref: f.panelRef, Spec: f.panel.Spec},
		},
		Synthetic: f.synthetic(),
	}
	for _, rr := range f.rep.Rules {
		m.Paper.Rules = append(m.Paper.Rules, rr.Rule)
	}
	for _, s := range f.ds.Sources {
		m.Inputs = append(m.Inputs, InputFile{Path: s.Path, SHA256: s.SHA256, Kind: s.Kind, Rows: s.RowsRead})
	}
	return m
}

func (f *findings) synthetic() bool {
	return f.ledger.Synthetic() || f.rep.Synthetic || f.all.Synthetic || f.panel.Synthetic
}
