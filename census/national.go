package census

import (
	"fmt"
	"sort"
	"strings"

	"github.com/assaylab/assay"
	"github.com/assaylab/assay/moe"
)

// NationalLabels are the labels NationalOrigins reads, in the order of a
// record's Total, Native and ForeignBorn: Options.Select set to them reads
// nothing else of an S0201 file.
func NationalLabels() []string {
	return []string{assay.S0201TotalPopulation, assay.S0201Native, assay.S0201ForeignBorn}
}

// S0201 population groups (POPGROUP codes) of the national series, with a
// word their published label must contain: the check guards against a code
// that names another group in some year.
var nationalGroups = []struct{ code, word string }{
	{"001", "Total population"},
	{"412", "Salvadoran"},
	{"408", "Guatemalan"},
	{"409", "Honduran"},
}

// NationalOrigins reads the United States rows of an S0201 result: one
// record per population group, with total, native and foreign-born counts
// found by label.
func NationalOrigins(res *Result) ([]assay.NationalOrigin, error) {
	labels := NationalLabels()
	keys := labelKeys(labels)
	var out []assay.NationalOrigin
	for i := range res.Geos {
		g := &res.Geos[i]
		if g.Level != "us" {
			continue
		}
		rec := assay.NationalOrigin{Source: res.Source.Path, Row: g.Row, Year: res.Year,
			PopGroup: g.PopGroup, PopGroupLabel: g.PopGroupLabel}
		for j, dst := range []*assay.Estimate{&rec.Total, &rec.Native, &rec.ForeignBorn} {
			v, ok := lookupKey(g, keys[j])
			if !ok {
				return nil, fmt.Errorf("%s row %d: no value labelled %q", res.Source.Path, g.Row, labels[j])
			}
			*dst = v.Estimate
		}
		out = append(out, rec)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no United States rows", res.Source.Path)
	}
	return out, nil
}

// NationalSeries builds the national series, one entry per year, from
// S0201 results (one file per year): see NationalSeriesFrom.
func NationalSeries(results []*Result) ([]assay.NationalNativity, error) {
	var recs []assay.NationalOrigin
	seen := map[int]string{}
	for _, res := range results {
		if prev, dup := seen[res.Year]; dup {
			return nil, fmt.Errorf("year %d in both %s and %s", res.Year, prev, res.Source.Path)
		}
		seen[res.Year] = res.Source.Path
		r, err := NationalOrigins(res)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r...)
	}
	return NationalSeriesFrom(recs)
}

// NationalSeriesFrom builds the national series, one entry per year, from
// S0201 national records as a Dataset holds them: total population and all
// foreign-born (population group 001), and the foreign-born of Salvadoran
// (412), Guatemalan (408) and Honduran (409) origin with their sum, whose
// MOE follows the sum rule. These are origin groups, not countries of
// birth. Records of other groups are ignored; a year must have all four.
func NationalSeriesFrom(recs []assay.NationalOrigin) ([]assay.NationalNativity, error) {
	byYear := map[int]map[string]assay.NationalOrigin{}
	source := map[int]string{} // a year's first source, to name in errors
	for _, r := range recs {
		groups := byYear[r.Year]
		if groups == nil {
			groups = map[string]assay.NationalOrigin{}
			byYear[r.Year] = groups
			source[r.Year] = r.Source
		}
		if prev, dup := groups[r.PopGroup]; dup {
			return nil, fmt.Errorf("%s row %d: %d population group %s already read from %s row %d",
				r.Source, r.Row, r.Year, r.PopGroup, prev.Source, prev.Row)
		}
		groups[r.PopGroup] = r
	}
	var out []assay.NationalNativity
	for year, by := range byYear {
		got := make([]assay.NationalOrigin, len(nationalGroups))
		for i, ng := range nationalGroups {
			r, ok := by[ng.code]
			if !ok {
				return nil, fmt.Errorf("%s: no %d population group %s (%s)", source[year], year, ng.code, ng.word)
			}
			if r.PopGroupLabel != "" && !strings.Contains(r.PopGroupLabel, ng.word) {
				return nil, fmt.Errorf("%s row %d: population group %s is %q, want %s", r.Source, r.Row, ng.code, r.PopGroupLabel, ng.word)
			}
			got[i] = r
		}
		n := assay.NationalNativity{
			Year:         year,
			Source:       got[0].Source,
			Population:   got[0].Total,
			ForeignBorn:  got[0].ForeignBorn,
			FBSalvadoran: got[1].ForeignBorn,
			FBGuatemalan: got[2].ForeignBorn,
			FBHonduran:   got[3].ForeignBorn,
		}
		n.FBNTCA = moe.Sum(n.FBSalvadoran, n.FBGuatemalan, n.FBHonduran)
		n.FBNTCAShare = moe.Proportion(n.FBNTCA, n.Population)
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out, nil
}
