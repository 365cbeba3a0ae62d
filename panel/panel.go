// Package panel builds the harmonized metro-year panel from a Dataset: the
// FBI's MSA blocks matched to CBSAs, joined with the Census measures of the
// same CBSA and year, with an audit of every metro present on one side only.
package panel

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/assaylab/assay"
)

// Audit reason keys of the lines Build returns.
const (
	ReasonMicropolitan = "micropolitan_cbsa" // flagged: an FBI MSA matched to a micropolitan CBSA: not in the panel
	ReasonNotInVintage = "not_in_vintage"    // flagged: an ACS area that is no metropolitan CBSA of the vintage: not in the panel
	ReasonNoCensus     = "no_census_match"   // flagged: a metro-year with FBI data but no Census measure
	ReasonNoFBI        = "no_fbi_match"      // flagged: a metro-year with Census measures but no FBI block
)

// AuditReasons are the reasons of the audit lines Build returns: a dataset's
// lines with these reasons belong to its panel and are made again with it.
var AuditReasons = []string{ReasonMicropolitan, ReasonNotInVintage, ReasonNoCensus, ReasonNoFBI}

// Build joins the dataset's crime, nativity and origin records on CBSA code
// and year, for the metropolitan CBSAs of one delineation vintage (the one
// ingest matched names against). Only whole MSAs matched to a CBSA enter:
// metropolitan divisions are parts of an MSA, and unmatched names are in the
// ingest audit already. The audit it returns names, for each year both sides
// cover, the metros on one side only.
func Build(ds *assay.Dataset, vintage string) (*assay.Panel, []assay.AuditEntry, error) {
	var d *assay.Delineation
	for i := range ds.Delineations {
		if ds.Delineations[i].Vintage == vintage {
			d = &ds.Delineations[i]
		}
	}
	if d == nil {
		return nil, nil, fmt.Errorf("panel: no delineation of vintage %s in the data", vintage)
	}
	metros := map[string]string{} // metropolitan CBSA code -> OMB title
	for _, c := range d.CBSAs {
		if c.Metro {
			metros[c.Code] = c.Title
		}
	}
	type key struct {
		cbsa string
		year int
	}
	p := &assay.Panel{Vintage: vintage}
	idx := map[key]int{}
	obs := func(cbsa string, year int) *assay.Observation {
		k := key{cbsa, year}
		i, ok := idx[k]
		if !ok {
			i = len(p.Obs)
			idx[k] = i
			p.Obs = append(p.Obs, assay.Observation{CBSA: cbsa, Title: metros[cbsa], Year: year})
		}
		return &p.Obs[i]
	}
	var audit []assay.AuditEntry
	for i := range ds.Crime {
		r := &ds.Crime[i]
		switch {
		case r.Kind != assay.KindMSA || r.CBSA == "":
		case metros[r.CBSA] != "":
			obs(r.CBSA, r.Year).Crime = r
		default:
			audit = append(audit, assay.AuditEntry{Source: r.Source, Row: r.Row, Action: assay.Flagged, Reason: ReasonMicropolitan,
				Detail: fmt.Sprintf("FBI MSA %q of %d matched %s %s, a micropolitan area in delineation %s: not in the metro panel", r.Name, r.Year, r.CBSA, r.CBSATitle, vintage)})
		}
	}
	for i := range ds.MetroNativity {
		m := &ds.MetroNativity[i]
		year, err := periodEnd(m.Period)
		if err != nil {
			return nil, nil, fmt.Errorf("panel: metro %s: %w", m.CBSA, err)
		}
		if m.Vintage == vintage && metros[m.CBSA] != "" {
			obs(m.CBSA, year).Nativity = m
		}
	}
	notMetro := map[string]bool{}
	for i := range ds.OriginCounts {
		c := &ds.OriginCounts[i]
		switch {
		case c.Level != "cbsa":
		case metros[c.GeoID] != "":
			o := obs(c.GeoID, c.Year)
			o.Origins = append(o.Origins, c)
		case !notMetro[c.Source+c.GeoID]:
			// One line per file and area, not per origin group.
			notMetro[c.Source+c.GeoID] = true
			audit = append(audit, assay.AuditEntry{Source: c.Source, Action: assay.Flagged, Reason: ReasonNotInVintage,
				Detail: fmt.Sprintf("ACS %s %d area %s %q is not a metropolitan CBSA of delineation %s (a micropolitan area, or a code of another vintage): not in the metro panel",
					c.Product, c.Year, c.GeoID, c.Name, vintage)})
		}
	}
	p.Sort()
	return p, append(audit, oneSided(p, countySources(ds))...), nil
}

// periodEnd gives the last year of an ACS period ("2008-2012" -> 2012).
func periodEnd(period string) (int, error) {
	_, end, _ := strings.Cut(period, "-")
	if end == "" {
		end = period
	}
	return strconv.Atoi(end)
}

// countySources maps an ACS period to the county file its metro sums came from.
func countySources(ds *assay.Dataset) map[string]string {
	out := map[string]string{}
	for _, c := range ds.CountyNativity {
		out[c.Period] = c.Source
	}
	return out
}

// oneSided lists, for each year where both the FBI and the Census side have
// data, the metros with only one of them.
func oneSided(p *assay.Panel, countySource map[string]string) []assay.AuditEntry {
	crimeYears, censusYears := map[int]bool{}, map[int]bool{}
	for _, o := range p.Obs {
		if o.Crime != nil {
			crimeYears[o.Year] = true
		}
		if hasCensus(&o) {
			censusYears[o.Year] = true
		}
	}
	var out []assay.AuditEntry
	for i := range p.Obs {
		o := &p.Obs[i]
		if !crimeYears[o.Year] || !censusYears[o.Year] {
			continue
		}
		switch {
		case o.Crime != nil && !hasCensus(o):
			out = append(out, assay.AuditEntry{Source: o.Crime.Source, Row: o.Crime.Row, Action: assay.Flagged, Reason: ReasonNoCensus,
				Detail: fmt.Sprintf("metro %s %s (FBI: %s): in Table 6 of %d, but no Census measure of that year", o.CBSA, o.Title, o.Crime.Name, o.Year)})
		case o.Crime == nil && hasCensus(o):
			src := ""
			if len(o.Origins) > 0 {
				src = o.Origins[0].Source
			} else {
				src = countySource[o.Nativity.Period]
			}
			out = append(out, assay.AuditEntry{Source: src, Action: assay.Flagged, Reason: ReasonNoFBI,
				Detail: fmt.Sprintf("metro %s %s: Census measures for %d, but no FBI Table 6 block that year", o.CBSA, o.Title, o.Year)})
		}
	}
	slices.SortStableFunc(out, func(a, b assay.AuditEntry) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Row, b.Row))
	})
	return out
}

func hasCensus(o *assay.Observation) bool { return o.Nativity != nil || len(o.Origins) > 0 }
