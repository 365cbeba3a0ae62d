package schema

import (
	"fmt"
	"strconv"

	"github.com/assaylab/assay"
)

// metroYearDef is the harmonized panel, built once at ingest: one row per
// metropolitan CBSA and year, FBI crime beside the Census foreign-born
// share, flat for SQL and for R, Stata and Python users. Each row names the
// records it joined (the Table 6 block by file and row, the nativity by
// period, origin counts by area and year), and reading it back links the
// same records: the join is decided once, at ingest.
var metroYearDef = def[assay.Observation]{
	name: "metro_year",
	doc: "The harmonized panel: one row per metropolitan CBSA (of the dataset's vintage) and year, FBI Table 6 beside the ACS 5-year foreign-born share of the period ending that year. " +
		"Join fetched origin groups with acs_metro_origin ON (geo_id = cbsa AND year = year AND level = 'cbsa').",
	fields: concat(
		[]field[assay.Observation]{
			textCol("cbsa", "CBSA code", func(o *assay.Observation) *string { return &o.CBSA }),
			textCol("cbsa_title", "OMB title", func(o *assay.Observation) *string { return &o.Title }),
			intCol("year", "year", func(o *assay.Observation) *int { return &o.Year }),
			derived("fbi_name", assay.Text, "the FBI's clean name of the MSA; NULL when the FBI published no block", func(o *assay.Observation) any {
				if o.Crime == nil {
					return nil
				}
				return o.Crime.Name
			}),
			crimeNum("population", "FBI population", func(r *assay.CrimeRecord) assay.Num { return r.Population }),
			crimeNum("coverage", "FBI coverage share, 0..1", func(r *assay.CrimeRecord) assay.Num { return r.Coverage }),
			derived("rape_definition", assay.Text, "legacy, mixed or revised", func(o *assay.Observation) any {
				if o.Crime == nil {
					return nil
				}
				return string(o.Crime.RapeDefinition)
			}),
			derived("cbsa_match", assay.Text, "how the FBI name was matched", func(o *assay.Observation) any {
				if o.Crime == nil {
					return nil
				}
				return o.Crime.Match
			}),
			derived("crime_source", assay.Text, "file of the FBI Table 6 block (crime_metro_year.source); NULL when the FBI published none", func(o *assay.Observation) any {
				if o.Crime == nil {
					return nil
				}
				return o.Crime.Source
			}),
			derived("crime_row", assay.Int, "row of the block in that file (crime_metro_year.row)", func(o *assay.Observation) any {
				if o.Crime == nil {
					return nil
				}
				return int64(o.Crime.Row)
			}),
		},
		offenseDerived(),
		[]field[assay.Observation]{
			derived("fb_period", assay.Text, "ACS 5-year period of the foreign-born share", func(o *assay.Observation) any {
				if o.Nativity == nil {
					return nil
				}
				return o.Nativity.Period
			}),
			nativityNum("fb_total", "ACS total population (5-year)", func(m *assay.MetroNativity) assay.Num { return m.Total.Value }),
			nativityNum("fb_count", "ACS foreign-born population (5-year)", func(m *assay.MetroNativity) assay.Num { return m.ForeignBorn.Value }),
			nativityNum("fb_share", "foreign-born share, 0..1 (all countries of birth, not NTCA)", func(m *assay.MetroNativity) assay.Num { return m.Share.Value }),
			nativityNum("fb_share_moe", "90% margin of error of fb_share (NULL: the county files publish no MOE)", func(m *assay.MetroNativity) assay.Num { return m.Share.MOE }),
			derived("origin_counts", assay.Int, "fetched origin-group counts of this metro and year in acs_metro_origin (geo_id = cbsa, level = 'cbsa')", func(o *assay.Observation) any {
				return int64(len(o.Origins))
			}),
		},
	),
}

func derived(name string, typ assay.ColumnType, doc string, get func(*assay.Observation) any) field[assay.Observation] {
	return derivedCol(assay.Column{Name: name, Type: typ, Doc: doc}, get)
}

func crimeNum(name, doc string, get func(*assay.CrimeRecord) assay.Num) field[assay.Observation] {
	return derived(name, assay.Float, doc, func(o *assay.Observation) any {
		if o.Crime == nil {
			return nil
		}
		return get(o.Crime).Cell()
	})
}

func nativityNum(name, doc string, get func(*assay.MetroNativity) assay.Num) field[assay.Observation] {
	return derived(name, assay.Float, doc, func(o *assay.Observation) any {
		if o.Nativity == nil {
			return nil
		}
		return get(o.Nativity).Cell()
	})
}

func offenseDerived() []field[assay.Observation] {
	var out []field[assay.Observation]
	for _, o := range assay.Offenses() {
		out = append(out,
			crimeNum(o.Key()+"_rate", o.Key()+": FBI rate per 100,000", func(r *assay.CrimeRecord) assay.Num { return r.Rate[o] }),
			crimeNum(o.Key()+"_count", o.Key()+": FBI count (estimated total where published)", func(r *assay.CrimeRecord) assay.Num { return r.Count(o) }))
	}
	return out
}

// panelKey is what a metro_year row says about the records it joined.
type panelKey struct {
	CBSA, Title, CrimeSource, Period string
	Year, CrimeRow, Origins          int
}

var panelKeyDef = def[panelKey]{
	name: metroYearDef.name,
	fields: []field[panelKey]{
		textCol("cbsa", "", func(k *panelKey) *string { return &k.CBSA }),
		textCol("cbsa_title", "", func(k *panelKey) *string { return &k.Title }),
		intCol("year", "", func(k *panelKey) *int { return &k.Year }),
		textCol("crime_source", "", func(k *panelKey) *string { return &k.CrimeSource }),
		intCol("crime_row", "", func(k *panelKey) *int { return &k.CrimeRow }),
		textCol("fb_period", "", func(k *panelKey) *string { return &k.Period }),
		intCol("origin_counts", "", func(k *panelKey) *int { return &k.Origins }),
	},
}

// linkPanel makes ds.Panel from the metro_year rows' keys, each
// observation pointing at the dataset's records its row names. A row
// naming a record the dataset lacks is an error: the tables do not belong
// together.
func linkPanel(ds *assay.Dataset, keys []panelKey) error {
	type rowKey struct {
		source string
		row    int
	}
	crime := make(map[rowKey]*assay.CrimeRecord, len(ds.Crime))
	for i := range ds.Crime {
		crime[rowKey{ds.Crime[i].Source, ds.Crime[i].Row}] = &ds.Crime[i]
	}
	nativity := map[string]*assay.MetroNativity{} // by CBSA and period, of the dataset's vintage
	for i := range ds.MetroNativity {
		if m := &ds.MetroNativity[i]; m.Vintage == ds.Vintage {
			nativity[m.CBSA+"|"+m.Period] = m
		}
	}
	origins := map[string][]*assay.OriginCount{} // by CBSA and year
	for i := range ds.OriginCounts {
		if c := &ds.OriginCounts[i]; c.Level == "cbsa" {
			k := c.GeoID + "|" + strconv.Itoa(c.Year)
			origins[k] = append(origins[k], c)
		}
	}
	ds.Panel = assay.Panel{Vintage: ds.Vintage}
	if len(keys) > 0 {
		ds.Panel.Obs = make([]assay.Observation, len(keys))
	}
	for i, k := range keys {
		o := assay.Observation{CBSA: k.CBSA, Title: k.Title, Year: k.Year}
		where := fmt.Sprintf("table %s row %d (%s %d)", metroYearDef.name, i+1, k.CBSA, k.Year)
		if k.CrimeSource != "" {
			if o.Crime = crime[rowKey{k.CrimeSource, k.CrimeRow}]; o.Crime == nil {
				return fmt.Errorf("%s: no crime_metro_year record at %s row %d", where, k.CrimeSource, k.CrimeRow)
			}
		}
		if k.Period != "" {
			if o.Nativity = nativity[k.CBSA+"|"+k.Period]; o.Nativity == nil {
				return fmt.Errorf("%s: no acs_metro_nativity record for period %s", where, k.Period)
			}
		}
		o.Origins = origins[k.CBSA+"|"+strconv.Itoa(k.Year)]
		if len(o.Origins) != k.Origins {
			return fmt.Errorf("%s: %d origin counts in acs_metro_origin, the panel joined %d", where, len(o.Origins), k.Origins)
		}
		ds.Panel.Obs[i] = o
	}
	ds.Panel.Sort()
	return nil
}
