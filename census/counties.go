package census

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/moe"
)

// FIPSChange is a county code change: a county renamed and recoded, merged
// into another, or split. A county file of one vintage and a delineation of
// another disagree on exactly these codes.
type FIPSChange struct {
	Old, New string
	Year     int
	Kind     string // "renamed", "merged", "split"
	Note     string
}

//go:embed fips_changes.csv
var defaultFIPSChanges []byte

// DefaultFIPSChanges returns the crosswalk shipped with assay: the county
// code changes since 1995 that touch ACS county files (fips_changes.csv,
// one line per old/new pair, with the reason).
func DefaultFIPSChanges() ([]FIPSChange, error) {
	ch, err := ReadFIPSChanges(bytes.NewReader(defaultFIPSChanges))
	if err != nil {
		return nil, fmt.Errorf("embedded fips_changes.csv: %w", err)
	}
	return ch, nil
}

// ReadFIPSChanges reads a crosswalk: old,new,year,kind,note.
func ReadFIPSChanges(r io.Reader) ([]FIPSChange, error) {
	cr := csv.NewReader(r)
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "old,new,year,kind,note" {
		return nil, fmt.Errorf("row 1: header is not old,new,year,kind,note")
	}
	var out []FIPSChange
	for i, r := range rows[1:] {
		y, err := strconv.Atoi(r[2])
		if err != nil {
			return nil, fmt.Errorf("row %d: year: %w", i+2, err)
		}
		if !isFIPS(r[0]) || !isFIPS(r[1]) {
			return nil, fmt.Errorf("row %d: codes %q, %q are not five-digit FIPS", i+2, r[0], r[1])
		}
		switch r[3] {
		case "renamed", "merged", "split":
		default:
			return nil, fmt.Errorf("row %d: kind %q, want renamed, merged or split", i+2, r[3])
		}
		out = append(out, FIPSChange{Old: r[0], New: r[1], Year: y, Kind: r[3], Note: r[4]})
	}
	return out, nil
}

func isFIPS(s string) bool {
	if len(s) != 5 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// CountyValue is one county's measures to aggregate.
type CountyValue struct {
	FIPS   string
	Name   string
	Source string
	Row    int
	Values map[string]assay.Estimate
}

// MetroValue is a CBSA's measures summed over its counties.
type MetroValue struct {
	CBSA     string
	Title    string
	Vintage  string
	Values   map[string]assay.Estimate
	Counties []string // FIPS of the county rows summed
	Missing  []string // member counties with no row: the values are null
}

// AggregateCounties sums county measures into the CBSAs of delineation d
// (MOE by the sum rule). A county whose code d does not list is placed
// through changes when its renamed, merged or split counterpart is a member
// (a split only when every part lies in one CBSA). Every county row not
// placed is audited as skipped with the reason; every member county
// without a row is audited, and makes its CBSA's values null unless a
// change explains it (Bedford city's row is part of Bedford County's after
// 2013).
func AggregateCounties(counts []CountyValue, d *assay.Delineation, changes []FIPSChange) ([]MetroValue, []assay.AuditEntry) {
	member := map[string]int{}
	for i, c := range d.CBSAs {
		for _, m := range c.Counties {
			member[m.FIPS] = i
		}
	}
	byOld := map[string][]FIPSChange{}
	byNew := map[string][]FIPSChange{}
	for _, ch := range changes {
		byOld[ch.Old] = append(byOld[ch.Old], ch)
		byNew[ch.New] = append(byNew[ch.New], ch)
	}
	placed := make([][]*CountyValue, len(d.CBSAs))
	present := map[string]int{}  // county rows placed: FIPS -> CBSA index
	covered := map[string]bool{} // member counties whose territory a placed row holds
	var audit []assay.AuditEntry
	entry := func(c *CountyValue, action assay.AuditAction, reason, detail string) {
		audit = append(audit, assay.AuditEntry{Source: c.Source, Row: c.Row, Action: action, Reason: reason,
			Detail: fmt.Sprintf("%s %s: %s", c.FIPS, c.Name, detail)})
	}
	for i := range counts {
		c := &counts[i]
		if idx, ok := member[c.FIPS]; ok {
			placed[idx] = append(placed[idx], c)
			present[c.FIPS] = idx
			covered[c.FIPS] = true
			continue
		}
		idx, via, reason, detail := placeChanged(c.FIPS, member, byOld[c.FIPS], byNew[c.FIPS], d)
		if reason != "fips_changed" {
			// Flagged, not skipped: the county row itself is kept (the
			// county table holds it); only the metro sums leave it out.
			entry(c, assay.Flagged, reason, detail)
			continue
		}
		placed[idx] = append(placed[idx], c)
		present[c.FIPS] = idx
		for _, f := range via {
			covered[f] = true
		}
		entry(c, assay.Flagged, reason, detail)
	}
	out := make([]MetroValue, len(d.CBSAs))
	for i, cb := range d.CBSAs {
		m := MetroValue{CBSA: cb.Code, Title: cb.Title, Vintage: d.Vintage, Values: map[string]assay.Estimate{}}
		for _, mem := range cb.Counties {
			if covered[mem.FIPS] {
				continue
			}
			if why, ok := absorbed(mem.FIPS, i, present, byOld[mem.FIPS]); ok {
				audit = append(audit, assay.AuditEntry{Source: d.Source, Action: assay.Flagged, Reason: "member_changed",
					Detail: fmt.Sprintf("CBSA %s member %s %s has no row: %s", cb.Code, mem.FIPS, mem.Name, why)})
				continue
			}
			m.Missing = append(m.Missing, mem.FIPS)
			audit = append(audit, assay.AuditEntry{Source: d.Source, Action: assay.Flagged, Reason: "member_missing",
				Detail: fmt.Sprintf("CBSA %s %s: member county %s %s has no row; the CBSA's values are null", cb.Code, cb.Title, mem.FIPS, mem.Name)})
		}
		keys := map[string]bool{}
		for _, c := range placed[i] {
			m.Counties = append(m.Counties, c.FIPS)
			for k := range c.Values {
				keys[k] = true
			}
		}
		sort.Strings(m.Counties)
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			if len(m.Missing) > 0 {
				m.Values[k] = assay.Estimate{Annotation: assay.AnnotMissingMember, MOEAnnotation: assay.AnnotMissingMember}
				continue
			}
			parts := make([]assay.Estimate, len(placed[i]))
			for j, c := range placed[i] {
				v, ok := c.Values[k]
				if !ok {
					v = assay.Estimate{Annotation: assay.AnnotEmpty, MOEAnnotation: assay.AnnotEmpty}
				}
				parts[j] = v
			}
			m.Values[k] = moe.Sum(parts...)
		}
		out[i] = m
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CBSA < out[j].CBSA })
	return out, audit
}

// placeChanged finds the CBSA of a county that d does not list, through a
// code change. It returns the reason "fips_changed" and the member codes the
// county stands for when it can be placed, else the reason to skip it.
func placeChanged(fips string, member map[string]int, older, newer []FIPSChange, d *assay.Delineation) (int, []string, string, string) {
	type target struct {
		fips string
		ch   FIPSChange
	}
	var ts []target
	for _, ch := range older { // the county is the old code; d uses the new ones
		ts = append(ts, target{ch.New, ch})
	}
	for _, ch := range newer { // the county is the new code; d uses the old one
		ts = append(ts, target{ch.Old, ch})
	}
	if len(ts) == 0 {
		return 0, nil, "not_in_cbsa", "in no CBSA of delineation " + d.Vintage
	}
	cbsas := map[int]bool{}
	var in, out []string
	for _, t := range ts {
		if idx, ok := member[t.fips]; ok {
			cbsas[idx] = true
			in = append(in, t.fips)
		} else {
			out = append(out, t.fips)
		}
	}
	note := fmt.Sprintf("%s %d (%s)", ts[0].ch.Kind, ts[0].ch.Year, ts[0].ch.Note)
	switch {
	case len(in) == 0:
		return 0, nil, "not_in_cbsa", fmt.Sprintf("in no CBSA of delineation %s, nor is %s: %s", d.Vintage, strings.Join(out, ", "), note)
	case len(cbsas) > 1 || len(out) > 0:
		// Only part of the county's territory lies in the CBSA (a split whose
		// parts fall apart): its count cannot be divided.
		return 0, nil, "split_ambiguous", fmt.Sprintf("its parts lie in different areas of delineation %s (in a CBSA: %s; not: %s): %s",
			d.Vintage, strings.Join(in, ", "), strings.Join(out, ", "), note)
	}
	idx := member[in[0]]
	return idx, in, "fips_changed", fmt.Sprintf("placed in CBSA %s %s through %s: %s", d.CBSAs[idx].Code, d.CBSAs[idx].Title, strings.Join(in, ", "), note)
}

// absorbed explains a member county without a row: its territory was
// merged into (or renamed as) a county whose row is summed into the same
// CBSA.
func absorbed(fips string, cbsa int, present map[string]int, older []FIPSChange) (string, bool) {
	for _, ch := range older {
		if ch.Kind == "split" {
			continue
		}
		if idx, ok := present[ch.New]; ok && idx == cbsa {
			return fmt.Sprintf("%s into %s in %d, whose row is summed here (%s)", ch.Kind, ch.New, ch.Year, ch.Note), true
		}
	}
	return "", false
}

// ReadCountyNativity reads a county nativity file (the Data Desk extract of
// B05002: geoid,name,total,native,foreign_born,county,state).
func ReadCountyNativity(path string, opt Options) ([]assay.CountyNativity, *Result, error) {
	res, err := ReadFile(path, opt)
	if err != nil {
		return nil, nil, err
	}
	if res.Format != FormatCountyNativity {
		return nil, nil, fmt.Errorf("%s: a %s file, not county nativity", path, res.Format)
	}
	period := Period(res.Year, res.Product)
	labels := []string{"Total", "Native", "Foreign born"}
	keys := labelKeys(labels)
	out := make([]assay.CountyNativity, 0, len(res.Geos))
	for i := range res.Geos {
		g := &res.Geos[i]
		rec := assay.CountyNativity{Source: res.Source.Path, Row: g.Row, Period: period, FIPS: g.GeoID, Name: g.Name}
		for j, dst := range []*assay.Estimate{&rec.Total, &rec.Native, &rec.ForeignBorn} {
			v, ok := lookupKey(g, keys[j])
			if !ok {
				return nil, nil, fmt.Errorf("%s row %d: no %s column", res.Source.Path, g.Row, labels[j])
			}
			*dst = v.Estimate
		}
		if v := rec.Total.Value; v.Valid && v.V <= 0 {
			res.flag(g.Row, "nonpositive_population", fmt.Sprintf("%s %s: total population %v; left null", g.GeoID, g.Name, v))
			rec.Total.Value, rec.Total.Annotation = assay.Null, assay.AnnotInvalid
		}
		out = append(out, rec)
	}
	return out, res, nil
}

// Period names an ACS period: "2012" for 1-year, "2008-2012" for 5-year.
func Period(year int, product string) string {
	switch product {
	case "acs3":
		return fmt.Sprintf("%d-%d", year-2, year)
	case "acs5":
		return fmt.Sprintf("%d-%d", year-4, year)
	}
	return strconv.Itoa(year)
}

// Nativity measure keys in CountyValue and MetroValue.
const (
	MeasureTotal       = "total"
	MeasureForeignBorn = "foreign_born"
)

// MetroNativity aggregates county nativity into the CBSAs of d, with the
// foreign-born share (MOE by the proportion rule where MOEs exist; the Data
// Desk extracts publish none).
func MetroNativity(counties []assay.CountyNativity, d *assay.Delineation, changes []FIPSChange) ([]assay.MetroNativity, []assay.AuditEntry) {
	vals := make([]CountyValue, len(counties))
	period := ""
	for i, c := range counties {
		vals[i] = CountyValue{FIPS: c.FIPS, Name: c.Name, Source: c.Source, Row: c.Row,
			Values: map[string]assay.Estimate{MeasureTotal: c.Total, MeasureForeignBorn: c.ForeignBorn}}
		period = c.Period
	}
	metros, audit := AggregateCounties(vals, d, changes)
	out := make([]assay.MetroNativity, len(metros))
	for i, m := range metros {
		get := func(k string) assay.Estimate {
			if v, ok := m.Values[k]; ok {
				return v
			}
			why := assay.AnnotEmpty
			if len(m.Missing) > 0 {
				why = assay.AnnotMissingMember
			}
			return assay.Estimate{Annotation: why, MOEAnnotation: why}
		}
		t, fb := get(MeasureTotal), get(MeasureForeignBorn)
		out[i] = assay.MetroNativity{CBSA: m.CBSA, Title: m.Title, Vintage: m.Vintage, Period: period,
			Total: t, ForeignBorn: fb, Share: moe.Proportion(fb, t), Counties: m.Counties}
	}
	return out, audit
}
