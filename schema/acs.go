package schema

import "github.com/assaylab/assay"

// estimateCols stores an ACS estimate as four columns: the value, its 90%
// margin of error, and the Census annotation behind either when it is null.
func estimateCols[T any](name, doc string, p func(*T) *assay.Estimate) []field[T] {
	return []field[T]{
		numCol(name, doc, func(r *T) *assay.Num { return &p(r).Value }),
		numCol(name+"_moe", doc+": 90% margin of error", func(r *T) *assay.Num { return &p(r).MOE }),
		textCol(name+"_annotation", doc+": Census annotation when the estimate is not a number", func(r *T) *string { return &p(r).Annotation }),
		textCol(name+"_moe_annotation", doc+": Census annotation when the margin of error is not a number", func(r *T) *string { return &p(r).MOEAnnotation }),
	}
}

var variableDef = def[assay.ACSVariable]{
	name: "acs_variable",
	doc:  "ACS variables by table, year and product: ids move between years, labels do not; search labels here.",
	fields: []field[assay.ACSVariable]{
		textCol("table_id", "ACS table", func(r *assay.ACSVariable) *string { return &r.Table }),
		intCol("year", "ACS year (last year of a multi-year period)", func(r *assay.ACSVariable) *int { return &r.Year }),
		textCol("product", "acs1, acs3 or acs5", func(r *assay.ACSVariable) *string { return &r.Product }),
		textCol("variable", "variable id without its E/M suffix", func(r *assay.ACSVariable) *string { return &r.Variable }),
		textCol("label", "label path, parts joined by !!", func(r *assay.ACSVariable) *string { return &r.Label }),
		textCol("source", "file path relative to the data directory", func(r *assay.ACSVariable) *string { return &r.Source }),
	},
}

var countyNativityDef = def[assay.CountyNativity]{
	name: "acs_county_nativity",
	doc:  "ACS 5-year nativity (B05002) by county: total, native and foreign-born.",
	fields: concat(
		[]field[assay.CountyNativity]{
			textCol("period", "ACS period, e.g. 2008-2012", func(r *assay.CountyNativity) *string { return &r.Period }),
			textCol("fips", "five-digit county FIPS code of the period's vintage", func(r *assay.CountyNativity) *string { return &r.FIPS }),
			textCol("name", "county name as published", func(r *assay.CountyNativity) *string { return &r.Name }),
		},
		estimateCols("total", "total population", func(r *assay.CountyNativity) *assay.Estimate { return &r.Total }),
		estimateCols("native", "native-born", func(r *assay.CountyNativity) *assay.Estimate { return &r.Native }),
		estimateCols("foreign_born", "foreign-born", func(r *assay.CountyNativity) *assay.Estimate { return &r.ForeignBorn }),
		[]field[assay.CountyNativity]{
			textCol("source", "file path relative to the data directory", func(r *assay.CountyNativity) *string { return &r.Source }),
			intCol("row", "1-based row", func(r *assay.CountyNativity) *int { return &r.Row }),
		},
	),
}

var metroNativityDef = def[assay.MetroNativity]{
	name: "acs_metro_nativity",
	doc:  "Foreign-born share of each CBSA, summed from its member counties under one delineation vintage.",
	fields: concat(
		[]field[assay.MetroNativity]{
			textCol("vintage", "delineation vintage the counties were grouped by", func(r *assay.MetroNativity) *string { return &r.Vintage }),
			textCol("period", "ACS period", func(r *assay.MetroNativity) *string { return &r.Period }),
			textCol("cbsa", "CBSA code", func(r *assay.MetroNativity) *string { return &r.CBSA }),
			textCol("cbsa_title", "CBSA title", func(r *assay.MetroNativity) *string { return &r.Title }),
		},
		estimateCols("total", "total population", func(r *assay.MetroNativity) *assay.Estimate { return &r.Total }),
		estimateCols("foreign_born", "foreign-born", func(r *assay.MetroNativity) *assay.Estimate { return &r.ForeignBorn }),
		estimateCols("share", "foreign-born share of the population, 0..1", func(r *assay.MetroNativity) *assay.Estimate { return &r.Share }),
		[]field[assay.MetroNativity]{
			listCol("counties", "FIPS codes of the county rows summed", func(r *assay.MetroNativity) *[]string { return &r.Counties }),
		},
	),
}

var nationalOriginDef = def[assay.NationalOrigin]{
	name: "acs_national_origin",
	doc:  "ACS 1-year Selected Population Profile S0201 for the United States: nativity by Hispanic-origin group. Groups are self-identified origin (Salvadoran), not country of birth.",
	fields: concat(
		[]field[assay.NationalOrigin]{
			intCol("year", "ACS year", func(r *assay.NationalOrigin) *int { return &r.Year }),
			textCol("popgroup", "S0201 population group code (412 Salvadoran, 408 Guatemalan, 409 Honduran, 001 total)", func(r *assay.NationalOrigin) *string { return &r.PopGroup }),
			textCol("popgroup_label", "population group label as published", func(r *assay.NationalOrigin) *string { return &r.PopGroupLabel }),
		},
		estimateCols("total", "people in the group", func(r *assay.NationalOrigin) *assay.Estimate { return &r.Total }),
		estimateCols("native", "native-born", func(r *assay.NationalOrigin) *assay.Estimate { return &r.Native }),
		estimateCols("foreign_born", "foreign-born", func(r *assay.NationalOrigin) *assay.Estimate { return &r.ForeignBorn }),
		[]field[assay.NationalOrigin]{
			textCol("source", "file path relative to the data directory", func(r *assay.NationalOrigin) *string { return &r.Source }),
			intCol("row", "1-based row", func(r *assay.NationalOrigin) *int { return &r.Row }),
		},
	),
}

var originCountDef = def[assay.OriginCount]{
	name: "acs_metro_origin",
	doc:  "Origin-group counts (ACS B05006, place of birth) with total population (B01003) by geography and year, from fetched Census files.",
	fields: concat(
		[]field[assay.OriginCount]{
			intCol("year", "ACS year", func(r *assay.OriginCount) *int { return &r.Year }),
			textCol("product", "acs1 or acs5", func(r *assay.OriginCount) *string { return &r.Product }),
			textCol("geo_id", "geography code (CBSA code for metros)", func(r *assay.OriginCount) *string { return &r.GeoID }),
			textCol("level", "geography level: cbsa, county, state or us", func(r *assay.OriginCount) *string { return &r.Level }),
			textCol("name", "geography name as published", func(r *assay.OriginCount) *string { return &r.Name }),
			textCol("origin_group", "origin group key (ntca, mexico, ...)", func(r *assay.OriginCount) *string { return &r.Group }),
		},
		estimateCols("count", "people born in the group's countries", func(r *assay.OriginCount) *assay.Estimate { return &r.Count }),
		estimateCols("population", "total population", func(r *assay.OriginCount) *assay.Estimate { return &r.Population }),
		estimateCols("share", "count / population, 0..1", func(r *assay.OriginCount) *assay.Estimate { return &r.Share }),
		[]field[assay.OriginCount]{
			boolCol("synthetic", "made by the test generator: never a finding", func(r *assay.OriginCount) *bool { return &r.Synthetic }),
			textCol("source", "file path", func(r *assay.OriginCount) *string { return &r.Source }),
		},
	),
}

var nationalNativityDef = def[assay.NationalNativity]{
	name: "acs_national_nativity",
	doc:  "The U.S. national series from S0201, one row per year: total population, all foreign-born, and the foreign-born of Salvadoran, Guatemalan and Honduran origin (origin, not country of birth) with their sum, whose MOE follows the sum rule. Derived at ingest from acs_national_origin.",
	fields: concat(
		[]field[assay.NationalNativity]{
			intCol("year", "ACS year", func(r *assay.NationalNativity) *int { return &r.Year }),
		},
		estimateCols("population", "total population (controlled: no sampling error)", func(r *assay.NationalNativity) *assay.Estimate { return &r.Population }),
		estimateCols("foreign_born", "all foreign-born", func(r *assay.NationalNativity) *assay.Estimate { return &r.ForeignBorn }),
		estimateCols("fb_salvadoran", "foreign-born of Salvadoran origin (group 412)", func(r *assay.NationalNativity) *assay.Estimate { return &r.FBSalvadoran }),
		estimateCols("fb_guatemalan", "foreign-born of Guatemalan origin (group 408)", func(r *assay.NationalNativity) *assay.Estimate { return &r.FBGuatemalan }),
		estimateCols("fb_honduran", "foreign-born of Honduran origin (group 409)", func(r *assay.NationalNativity) *assay.Estimate { return &r.FBHonduran }),
		estimateCols("fb_ntca", "the three summed", func(r *assay.NationalNativity) *assay.Estimate { return &r.FBNTCA }),
		estimateCols("fb_ntca_share", "fb_ntca / population, 0..1", func(r *assay.NationalNativity) *assay.Estimate { return &r.FBNTCAShare }),
		[]field[assay.NationalNativity]{
			textCol("source", "S0201 file of the year", func(r *assay.NationalNativity) *string { return &r.Source }),
		},
	),
}

var originGroupDef = def[assay.OriginGroup]{
	name: "acs_origin_group",
	doc:  "The origin groups acs_metro_origin counts: each sums the B05006 lines named by label (ids move between years).",
	fields: []field[assay.OriginGroup]{
		textCol("origin_group", "group key", func(r *assay.OriginGroup) *string { return &r.Key }),
		textCol("name", "what the group counts", func(r *assay.OriginGroup) *string { return &r.Name }),
		textCol("table_id", "ACS table the lines are in", func(r *assay.OriginGroup) *string { return &r.Table }),
		joinedCol("labels", "label paths of the lines summed, separated by ' | '", " | ", func(r *assay.OriginGroup) *[]string { return &r.Labels }),
		textCol("note", "caveat", func(r *assay.OriginGroup) *string { return &r.Note }),
	},
}
