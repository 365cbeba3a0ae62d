package census

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/moe"
)

//go:embed groups.toml
var defaultGroups []byte

// DefaultGroups returns the groups shipped with assay: ntca (El Salvador,
// Guatemala, Honduras), mexico, central_america and foreign_born.
func DefaultGroups() ([]assay.OriginGroup, error) {
	gs, err := ReadGroups(bytes.NewReader(defaultGroups))
	if err != nil {
		return nil, fmt.Errorf("embedded groups.toml: %w", err)
	}
	return gs, nil
}

// ReadGroupsFile reads a user's groups file (the shape of groups.toml).
func ReadGroupsFile(path string) ([]assay.OriginGroup, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gs, err := ReadGroups(f)
	if err != nil {
		return nil, fmt.Errorf("groups %s: %w", path, err)
	}
	return gs, nil
}

// ReadGroups reads groups in TOML: [[group]] tables with key, name, table,
// labels and an optional note.
func ReadGroups(r io.Reader) ([]assay.OriginGroup, error) {
	var doc struct {
		Group []assay.OriginGroup `toml:"group"`
	}
	dec := toml.NewDecoder(r).DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) {
			var keys []string
			for _, e := range strict.Errors {
				keys = append(keys, strings.Join(e.Key(), "."))
			}
			return nil, fmt.Errorf("unknown fields: %s", strings.Join(keys, ", "))
		}
		return nil, err
	}
	if len(doc.Group) == 0 {
		return nil, errors.New("no [[group]] tables")
	}
	seen := map[string]bool{}
	for i, g := range doc.Group {
		switch {
		case g.Key == "":
			return nil, fmt.Errorf("group %d: no key", i+1)
		case seen[g.Key]:
			return nil, fmt.Errorf("group %q: defined twice", g.Key)
		case g.Table == "":
			return nil, fmt.Errorf("group %q: no table", g.Key)
		case len(g.Labels) == 0:
			return nil, fmt.Errorf("group %q: no labels", g.Key)
		}
		for _, l := range g.Labels {
			if CanonicalLabel(l) == "" {
				return nil, fmt.Errorf("group %q: empty label", g.Key)
			}
		}
		seen[g.Key] = true
	}
	return doc.Group, nil
}

// FindGroup returns the group with the key.
func FindGroup(groups []assay.OriginGroup, key string) (assay.OriginGroup, bool) {
	for _, g := range groups {
		if g.Key == key {
			return g, true
		}
	}
	return assay.OriginGroup{}, false
}

// GroupEstimate sums an origin group's lines for one geography (MOE by the
// sum rule).
func GroupEstimate(g assay.OriginGroup, geo *assay.GeoValues) (assay.Estimate, error) {
	parts := make([]assay.Estimate, len(g.Labels))
	for i, l := range g.Labels {
		v, ok := Lookup(geo, l)
		if !ok {
			return assay.Estimate{}, fmt.Errorf("group %s: %s has no value labelled %q", g.Key, geo.GeoID, l)
		}
		parts[i] = v.Estimate
	}
	return moe.Sum(parts...), nil
}

// PopulationLabel labels B01003_001, total population.
const PopulationLabel = "Total"

// OriginCounts computes each group's count and share of total population
// for every geography of a B05006 result, joined on the geography id with a
// B01003 result of the same year and product. Geographies without a
// population row are audited and left out.
func OriginCounts(data, population *Result, groups []assay.OriginGroup) ([]assay.OriginCount, []assay.AuditEntry, error) {
	if data.Year != population.Year || data.Product != population.Product {
		return nil, nil, fmt.Errorf("%s is %s %d but %s is %s %d", data.Source.Path, data.Product, data.Year,
			population.Source.Path, population.Product, population.Year)
	}
	pops := Join(population.Geos)
	var out []assay.OriginCount
	var audit []assay.AuditEntry
	groups, audit = computable(data, groups)
	for i := range data.Geos {
		g := &data.Geos[i]
		p, ok := pops[joinKey(g)]
		if !ok {
			audit = append(audit, assay.AuditEntry{Source: data.Source.Path, Row: g.Row, Action: assay.Skipped,
				Reason: "no_population", Detail: fmt.Sprintf("%s %s: no row in %s", g.GeoID, g.Name, population.Source.Path)})
			continue
		}
		pop, ok := Lookup(p, PopulationLabel)
		if !ok {
			return nil, nil, fmt.Errorf("%s row %d: no value labelled %q", population.Source.Path, p.Row, PopulationLabel)
		}
		for _, grp := range groups { // computable kept only the data table's groups
			c, err := GroupEstimate(grp, g)
			if err != nil {
				return nil, nil, fmt.Errorf("%s row %d: %w", data.Source.Path, g.Row, err)
			}
			out = append(out, assay.OriginCount{
				Source: data.Source.Path, Year: data.Year, Product: data.Product,
				GeoID: g.GeoID, Level: g.Level, Name: g.Name, Group: grp.Key,
				Count: c, Population: pop.Estimate, Share: moe.Proportion(c, pop.Estimate),
				Synthetic: g.Synthetic || p.Synthetic,
			})
		}
	}
	return out, audit, nil
}

// computable keeps the groups of the data's table whose every line the file
// has (a fetch with --label may take only some), and audits the others once
// for the file instead of failing on every row.
func computable(data *Result, groups []assay.OriginGroup) ([]assay.OriginGroup, []assay.AuditEntry) {
	var keep []assay.OriginGroup
	var audit []assay.AuditEntry
	for _, g := range groups {
		if !strings.EqualFold(g.Table, data.Table) {
			continue
		}
		var missing []string
		for _, l := range g.Labels {
			if _, ok := data.Labels.Resolve(l); !ok {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			audit = append(audit, assay.AuditEntry{Source: data.Source.Path, Action: assay.Flagged, Reason: "group_not_computable",
				Detail: fmt.Sprintf("origin group %s: the file has no variable labelled %s", g.Key, strings.Join(missing, "; "))})
			continue
		}
		keep = append(keep, g)
	}
	return keep, audit
}

// LoadOriginCounts reads a directory written by `assay fetch census` (or
// the synthetic generator) and computes the groups' counts and shares for
// every B05006 file, paired with the B01003 file of the same product, year
// and geography. Files of other tables are audited as unused. label names
// the directory in records and the audit (see ReadDir).
func LoadOriginCounts(dir, label string, groups []assay.OriginGroup) ([]assay.OriginCount, []assay.AuditEntry, []assay.Source, error) {
	results, err := ReadDir(dir, Options{Source: label})
	if err != nil {
		return nil, nil, nil, err
	}
	type key struct {
		product, level string
		year           int
	}
	levelOf := func(r *Result) string {
		if len(r.Geos) == 0 {
			return ""
		}
		return r.Geos[0].Level
	}
	pops := map[key]*Result{}
	var audit []assay.AuditEntry
	var sources []assay.Source
	for _, r := range results {
		sources = append(sources, r.Source)
		audit = append(audit, r.Audit...)
		if r.Table == "B01003" {
			pops[key{r.Product, levelOf(r), r.Year}] = r
		}
	}
	var out []assay.OriginCount
	skippedAfterRead := map[string]int{}
	for _, r := range results {
		switch r.Table {
		case "B01003":
			continue
		case "B05006":
		default:
			audit = append(audit, assay.AuditEntry{Source: r.Source.Path, Action: assay.Skipped, Reason: "unused_table",
				Detail: fmt.Sprintf("table %q is neither B05006 nor B01003", r.Table)})
			continue
		}
		k := key{r.Product, levelOf(r), r.Year}
		p, ok := pops[k]
		if !ok {
			return nil, nil, nil, fmt.Errorf("%s: no B01003 (total population) for %s %d %s in %s; `assay fetch census --table B05006` fetches both",
				r.Source.Path, k.product, k.year, k.level, dir)
		}
		counts, a, err := OriginCounts(r, p, groups)
		if err != nil {
			return nil, nil, nil, err
		}
		out = append(out, counts...)
		audit = append(audit, a...)
		// Rows the reader loaded but that made no count are skipped in the
		// end: the file's account must say so.
		for _, e := range a {
			if e.Action == assay.Skipped && e.Source == r.Source.Path {
				skippedAfterRead[e.Source]++
			}
		}
	}
	for i := range sources {
		n := skippedAfterRead[sources[i].Path]
		sources[i].RowsLoaded -= n
		sources[i].RowsSkipped += n
	}
	return out, audit, sources, nil
}
