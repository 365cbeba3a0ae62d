package ingest

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/cbsa"
	"github.com/assaylab/assay/census"
	"github.com/assaylab/assay/panel"
	"github.com/assaylab/assay/ucr"
	"github.com/assaylab/assay/usatlas"
)

// builder collects what each file gave, then resolves duplicates and
// matches names once everything is read.
type builder struct {
	opt    Options
	ds     *assay.Dataset
	table6 []table6File
	delins []delinFile
}

type table6File struct {
	f   *file
	res *ucr.Result
}

type delinFile struct {
	f   *file
	res *cbsa.Result
}

// accounted is what every reader reports about a file's rows.
type accounted struct {
	audit                 []assay.AuditEntry
	read, loaded, skipped int
}

func (b *builder) read(f *file) error {
	if f.kind == nil {
		b.addSource(f, 0, accounted{audit: []assay.AuditEntry{{
			Source: f.rel, Action: assay.Skipped, Reason: "not_ingested",
			Detail: "no reader for this file's location in the data layout; it was hashed but not read",
		}}})
		return nil
	}
	switch f.kind.name {
	case "table6":
		res, err := ucr.ReadTable6(f.path, ucr.Options{Source: f.rel})
		if err != nil {
			return err
		}
		b.table6 = append(b.table6, table6File{f, res})
	case "national_crime":
		res, err := openParse(f, ucr.ParseNational)
		if err != nil {
			return err
		}
		b.ds.National = append(b.ds.National, res.Records...)
		b.addSource(f, 0, accounted{res.Audit, res.RowsRead, res.RowsLoaded, res.RowsSkipped})
	case "agency_crime":
		res, err := openParse(f, ucr.ParseAgencies)
		if err != nil {
			return err
		}
		b.ds.Agencies = append(b.ds.Agencies, res.Records...)
		b.addSource(f, 0, accounted{res.Audit, res.RowsRead, res.RowsLoaded, res.RowsSkipped})
	case "delineation":
		res, err := cbsa.ReadDelineation(f.path, cbsa.Options{Source: f.rel})
		if err != nil {
			return err
		}
		f.sha256 = res.SHA256
		b.delins = append(b.delins, delinFile{f, res})
	case "outline":
		outlines, err := usatlas.ReadFile(f.path, usatlas.Default)
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		b.ds.Outlines = append(b.ds.Outlines, outlines...)
		// One outline per geometry; the file has no rows to skip.
		b.addSource(f, 0, accounted{read: len(outlines), loaded: len(outlines)})
	default:
		return b.readACS(f)
	}
	return nil
}

// merge appends what other builders read to b's, each slice grown once to
// its final length. Reading only appends to the dataset's slices; a reader
// that set any other field would be lost, so that is an error.
func (b *builder) merge(from ...*builder) error {
	dst := reflect.ValueOf(b.ds).Elem()
	for i := range dst.NumField() {
		f := dst.Field(i)
		if f.Kind() != reflect.Slice {
			for _, r := range from {
				if !reflect.ValueOf(r.ds).Elem().Field(i).IsZero() {
					return fmt.Errorf("ingest: reading set Dataset.%s, which merge does not carry", dst.Type().Field(i).Name)
				}
			}
			continue
		}
		n := f.Len()
		for _, r := range from {
			n += reflect.ValueOf(r.ds).Elem().Field(i).Len()
		}
		f.Grow(n - f.Len())
		for _, r := range from {
			f.Set(reflect.AppendSlice(f, reflect.ValueOf(r.ds).Elem().Field(i)))
		}
	}
	for _, r := range from {
		b.table6 = append(b.table6, r.table6...)
		b.delins = append(b.delins, r.delins...)
	}
	return nil
}

func (b *builder) addSource(f *file, year int, a accounted) {
	kind := "not_ingested"
	publisher := ""
	if f.kind != nil {
		kind, publisher = f.kind.name, f.kind.publisher
	}
	b.ds.Sources = append(b.ds.Sources, assay.Source{
		Path: f.rel, SHA256: f.sha256, Publisher: publisher, Kind: kind, Year: year,
		RowsRead: a.read, RowsLoaded: a.loaded, RowsSkipped: a.skipped,
	})
	b.ds.Audit = append(b.ds.Audit, a.audit...)
}

// original reports whether a file is in a format the publisher itself
// released (.xls, .xlsx), as opposed to a CSV re-save or conversion. Where
// two files hold the same table, the original is loaded and the other is
// checked against it.
func original(rel string) bool {
	ext := strings.ToLower(filepath.Ext(rel))
	return ext == ".xls" || ext == ".xlsx"
}

func preferOriginal(a, b string) int {
	if original(a) != original(b) {
		if original(a) {
			return -1
		}
		return 1
	}
	return cmp.Compare(a, b)
}

func (b *builder) finish() error {
	delins := b.chooseDelineations()
	crime := b.chooseTable6()
	var target *assay.Delineation
	for i := range delins {
		if delins[i].Vintage == b.opt.Vintage {
			target = &delins[i]
		}
	}
	if target == nil {
		return &VintageError{Vintage: b.opt.Vintage, Dir: b.opt.Data, Have: vintages(delins)}
	}
	b.reconcileNational()
	b.ds.Vintage = target.Vintage
	b.ds.Delineations = delins
	b.ds.Crime = crime
	b.checkAgencies()
	b.match(target)
	if err := b.metroNativity(target); err != nil {
		return err
	}
	if len(b.ds.NationalOrigins) > 0 {
		series, err := census.NationalSeriesFrom(b.ds.NationalOrigins)
		if err != nil {
			return fmt.Errorf("ingest: S0201 national series: %w", err)
		}
		b.ds.NationalNativity = series
	}
	return b.buildPanel(target.Vintage)
}

// buildPanel builds the metro-year panel, once, from everything read, and
// puts the sources and the audit in their stored order.
func (b *builder) buildPanel(vintage string) error {
	p, audit, err := panel.Build(b.ds, vintage)
	if err != nil {
		return fmt.Errorf("ingest: metro-year panel: %w", err)
	}
	b.ds.Panel = *p
	b.ds.Audit = append(b.ds.Audit, audit...)
	slices.SortStableFunc(b.ds.Sources, func(x, y assay.Source) int { return cmp.Compare(x.Path, y.Path) })
	slices.SortStableFunc(b.ds.Audit, func(x, y assay.AuditEntry) int {
		return cmp.Or(cmp.Compare(x.Source, y.Source), cmp.Compare(x.Row, y.Row))
	})
	return nil
}

// metroNativity sums county nativity into the target vintage's CBSAs, one
// ACS period at a time.
func (b *builder) metroNativity(d *assay.Delineation) error {
	changes, err := census.DefaultFIPSChanges()
	if err != nil {
		return err
	}
	// Counted first, so each period's records are copied once.
	count := map[string]int{}
	for _, c := range b.ds.CountyNativity {
		count[c.Period]++
	}
	byPeriod := make(map[string][]assay.CountyNativity, len(count))
	for p, n := range count {
		byPeriod[p] = make([]assay.CountyNativity, 0, n)
	}
	for _, c := range b.ds.CountyNativity {
		byPeriod[c.Period] = append(byPeriod[c.Period], c)
	}
	periods := slices.Sorted(maps.Keys(count))
	for _, p := range periods {
		metros, audit := census.MetroNativity(byPeriod[p], d, changes)
		b.ds.MetroNativity = append(b.ds.MetroNativity, metros...)
		b.ds.Audit = append(b.ds.Audit, audit...)
	}
	return nil
}

// VintageError is a delineation vintage asked for that the data does not
// hold: a mistake in the command line, which the data directory decides.
type VintageError struct {
	Vintage, Dir string
	Have         []string // the vintages the data holds
}

func (e *VintageError) Error() string {
	return fmt.Sprintf("ingest: no delineation of vintage %s under %s/geo (have %v)", e.Vintage, e.Dir, e.Have)
}

func vintages(ds []assay.Delineation) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Vintage)
	}
	return out
}

// chooseTable6 keeps one file per data year and checks the others against it.
func (b *builder) chooseTable6() []assay.CrimeRecord {
	slices.SortFunc(b.table6, func(x, y table6File) int {
		return cmp.Or(cmp.Compare(x.res.Year, y.res.Year), preferOriginal(x.f.rel, y.f.rel))
	})
	// The first file of each year is loaded; sized first, because the
	// records are large and growing the slices copied them over and over.
	first := func(i int) bool { return i == 0 || b.table6[i-1].res.Year != b.table6[i].res.Year }
	records, cities := 0, 0
	for i, t := range b.table6 {
		if first(i) {
			records, cities = records+len(t.res.Records), cities+len(t.res.Cities)
		}
	}
	out := make([]assay.CrimeRecord, 0, records)
	b.ds.Cities = slices.Grow(b.ds.Cities, cities)
	var primary table6File // the file loaded for the current year
	for i, t := range b.table6 {
		a := accounted{t.res.Audit, t.res.RowsRead, t.res.RowsLoaded, t.res.RowsSkipped}
		if !first(i) {
			a = duplicate(t.f.rel, a, primary.f.rel, compareCrime(primary.res.Records, t.res.Records))
			b.addSource(t.f, t.res.Year, a)
			continue
		}
		primary = t
		out = append(out, t.res.Records...)
		b.ds.Cities = append(b.ds.Cities, t.res.Cities...)
		b.addSource(t.f, t.res.Year, a)
	}
	return out
}

// chooseDelineations keeps one file per vintage and checks the others.
func (b *builder) chooseDelineations() []assay.Delineation {
	slices.SortFunc(b.delins, func(x, y delinFile) int {
		return cmp.Or(cmp.Compare(x.res.Delineation.Vintage, y.res.Delineation.Vintage), preferOriginal(x.f.rel, y.f.rel))
	})
	var out []assay.Delineation
	for i, d := range b.delins {
		a := accounted{d.res.Audit, d.res.RowsRead, d.res.RowsLoaded, d.res.RowsSkipped}
		if i > 0 && b.delins[i-1].res.Delineation.Vintage == d.res.Delineation.Vintage {
			primary := &out[len(out)-1]
			a = duplicate(d.f.rel, a, primary.Source, compareDelineations(primary, d.res.Delineation))
			b.addSource(d.f, 0, a)
			continue
		}
		out = append(out, *d.res.Delineation)
		b.addSource(d.f, 0, a)
	}
	return out
}

// duplicate re-accounts a file whose content is loaded from another file:
// each of its rows that would have loaded is skipped instead, with a line
// saying where the same data came from, and a file-level line gives the
// result of checking the two against each other.
func duplicate(rel string, a accounted, primary string, diffs []string) accounted {
	skipped := map[int]bool{}
	var audit []assay.AuditEntry
	for _, e := range a.audit {
		if e.Action == assay.Skipped {
			skipped[e.Row] = true
			audit = append(audit, e)
		}
	}
	for row := 1; row <= a.read; row++ {
		if !skipped[row] {
			audit = append(audit, assay.AuditEntry{Source: rel, Row: row, Action: assay.Skipped, Reason: "duplicate_source",
				Detail: "the same table is loaded from " + primary})
		}
	}
	check := assay.AuditEntry{Source: rel, Action: assay.Flagged, Reason: "cross_check"}
	if len(diffs) == 0 {
		check.Detail = "every record is identical to " + primary
	} else {
		check.Detail = fmt.Sprintf("%d differences from %s: %s", len(diffs), primary, strings.Join(diffs, "; "))
	}
	audit = append(audit, check)
	return accounted{audit: audit, read: a.read, loaded: 0, skipped: a.read}
}

// compareCrime lists where two readings of one year's Table 6 disagree on
// anything but where the data sat in its file.
func compareCrime(a, b []assay.CrimeRecord) []string {
	var diffs []string
	if len(a) != len(b) {
		diffs = append(diffs, fmt.Sprintf("%d records against %d", len(a), len(b)))
	}
	for i := range min(len(a), len(b)) {
		x, y := a[i], b[i]
		x.Source, x.Row, y.Source, y.Row = "", 0, "", 0
		if !reflect.DeepEqual(x, y) {
			diffs = append(diffs, fmt.Sprintf("record %d (%s)", i+1, a[i].Name))
		}
	}
	return diffs
}

func compareDelineations(a, b *assay.Delineation) []string {
	x, y := *a, *b
	x.Source, y.Source = "", ""
	if reflect.DeepEqual(x, y) {
		return nil
	}
	var diffs []string
	if len(x.CBSAs) != len(y.CBSAs) {
		diffs = append(diffs, fmt.Sprintf("%d CBSAs against %d", len(x.CBSAs), len(y.CBSAs)))
	}
	for i := range min(len(x.CBSAs), len(y.CBSAs)) {
		if !reflect.DeepEqual(x.CBSAs[i], y.CBSAs[i]) {
			diffs = append(diffs, "CBSA "+x.CBSAs[i].Code)
		}
	}
	return diffs
}

// match sets the CBSA of every crime record and flags the ones that need a
// person's eye: unmatched names and matches that were not exact.
func (b *builder) match(d *assay.Delineation) {
	b.ds.Audit = append(b.ds.Audit, Match(b.ds.Crime, d)...)
}

// Match sets the CBSA of each crime record from the delineation's matcher
// and returns the audit lines for the names that need a person's eye:
// unmatched ones, with the nearest candidates, and matches that were not
// exact. assay inspect table6 uses it on one file.
func Match(records []assay.CrimeRecord, d *assay.Delineation) []assay.AuditEntry {
	m := cbsa.NewMatcher(d)
	var audit []assay.AuditEntry
	for i := range records {
		r := &records[i]
		res := m.Match(r.Name, r.Kind)
		r.CBSA, r.CBSATitle = res.Code, res.Title
		if res.Matched() {
			r.Match = res.Method
		}
		switch {
		case !res.Matched():
			audit = append(audit, assay.AuditEntry{Source: r.Source, Row: r.Row, Action: assay.Flagged,
				Reason: "unmatched_name", Detail: fmt.Sprintf("%s %q has no %s CBSA%s; nearest: %s", r.Kind, r.Name, d.Vintage, why(res), candidates(res.Candidates))})
		case res.Method != assay.MatchExact && res.Method != assay.MatchNormalized:
			detail := fmt.Sprintf("%s %q matched %s %q by %s (score %.2f)", r.Kind, r.Name, res.Code, res.Title, res.Method, res.Score)
			if res.Note != "" {
				detail += ": " + res.Note
			}
			audit = append(audit, assay.AuditEntry{Source: r.Source, Row: r.Row, Action: assay.Flagged,
				Reason: "match_" + res.Method, Detail: detail})
		}
	}
	return audit
}

// why gives the alias table's reason where it says an area has no
// counterpart in the vintage.
func why(m cbsa.Match) string {
	if m.Note == "" {
		return ""
	}
	return " (" + m.Note + ")"
}

func candidates(cs []cbsa.Candidate) string {
	if len(cs) == 0 {
		return "none"
	}
	parts := make([]string, 0, 3)
	for _, c := range cs[:min(3, len(cs))] {
		parts = append(parts, fmt.Sprintf("%s %q (%.2f)", c.Code, c.Title, c.Score))
	}
	return strings.Join(parts, ", ")
}

// openParse opens a data file and parses it, recording its path relative
// to the data directory as the source.
func openParse[T any](f *file, parse func(io.Reader, string) (T, error)) (T, error) {
	fh, err := os.Open(f.path)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("ingest %s: %w", f.rel, err)
	}
	defer fh.Close()
	return parse(fh, f.rel)
}
