package assay

// AuditAction says what happened to an input row that the audit mentions.
type AuditAction string

const (
	// Skipped rows are not loaded anywhere: titles, headers, footnote
	// legends, blank rows, records that could not be used.
	Skipped AuditAction = "skipped"
	// Flagged rows are loaded, with a caveat the user should see (an
	// unmatched name, a suppressed value, coverage below a threshold).
	Flagged AuditAction = "flagged"
)

// AuditEntry accounts for one input row that did not simply load. For every
// source, rows read = rows loaded + rows skipped; flagged rows are among the
// loaded ones.
type AuditEntry struct {
	Source string
	Row    int // 1-based; 0 when the entry is about the file as a whole
	Action AuditAction
	Reason string // a short stable key ("title", "unmatched_name")
	Detail string // what a person needs to act on it
}

// Source describes one raw input file and how its rows were accounted for.
type Source struct {
	Path        string // relative to the data directory
	SHA256      string
	Publisher   string
	Kind        string // "table6", "delineation", "national_crime", ...
	Year        int    // data year; 0 for multi-year files
	RowsRead    int
	RowsLoaded  int
	RowsSkipped int
}

// SourceCountyNativity is the Source.Kind of the ACS 5-year county
// nativity files, which ingest sums into the bundled metro shares: an
// analysis on those shares names them as its inputs by it.
const SourceCountyNativity = "acs_county_nativity"
