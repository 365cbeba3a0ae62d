package schema

import (
	"github.com/assaylab/assay"
	"github.com/assaylab/assay/panel"
)

// metroYearDef flattens the harmonized panel for SQL and for R, Stata and
// Python users: one row per metropolitan CBSA and year, FBI crime beside the
// Census foreign-born share. It is derived from the other tables and is not
// read back; fetched origin-group counts join to it from acs_metro_origin on
// (cbsa = geo_id, year).
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

// metroYear builds the panel rows; a dataset without the delineation of its
// vintage (an empty one) has none.
func metroYear(ds *assay.Dataset) []assay.Observation {
	p, _, err := panel.Build(ds, ds.Vintage)
	if err != nil {
		return nil
	}
	return p.Obs
}
