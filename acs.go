package assay

// Estimate is an American Community Survey estimate with its published 90%
// margin of error. When the Census Bureau publishes an annotation instead of
// a number (a "jam value" such as -666666666, or a symbol such as "(X)"),
// the number is null and the annotation says why; a code is never kept as a
// number. Annotation explains Value, MOEAnnotation explains MOE. Codes are
// the Census API's numeric forms ("-555555555") where one exists, else the
// symbol as published ("2,500-"); census.AnnotationReason describes each.
type Estimate struct {
	Value         Num    `json:"estimate"`
	MOE           Num    `json:"moe"`
	Annotation    string `json:"annotation,omitempty"`
	MOEAnnotation string `json:"moe_annotation,omitempty"`
}

// ACSValue is one variable of one geography: its id as published in the
// file, its label path (the stable key across years), and the estimate.
type ACSValue struct {
	Variable string `json:"variable"`
	Label    string `json:"label"`
	Estimate
}

// GeoValues is one geography's row of an ACS table, in any of the formats
// the census package reads.
type GeoValues struct {
	Source string `json:"source,omitempty"`
	Row    int    `json:"row,omitempty"` // 1-based row in Source

	// GeoID is the geography's code within its level: a CBSA code
	// ("10180"), state+county FIPS ("01001"), "1" for the nation. It is the
	// key to join tables on. CensusGeoID is the full id when the file
	// publishes one ("310M300US10180").
	GeoID       string `json:"geo_id"`
	CensusGeoID string `json:"census_geo_id,omitempty"`
	Level       string `json:"level,omitempty"` // "cbsa", "county", "state", "us"
	Name        string `json:"name"`

	// PopGroup is set for tables iterated by population group (Selected
	// Population Profiles such as S0201): one row per geography and group.
	PopGroup      string `json:"popgroup,omitempty"`
	PopGroupLabel string `json:"popgroup_label,omitempty"`

	// Synthetic marks rows made by the test generator (their NAME starts
	// with "SYNTHETIC "): never to be shown as findings.
	Synthetic bool `json:"synthetic,omitempty"`

	Values []ACSValue `json:"values"`
}

// CountyNativity is one county's nativity split (ACS table B05002) for one
// ACS period.
type CountyNativity struct {
	Source      string
	Row         int
	Period      string // "2008-2012"
	FIPS        string // state+county, five digits
	Name        string
	Total       Estimate
	Native      Estimate
	ForeignBorn Estimate
}

// MetroNativity is a CBSA's nativity split built from its member counties
// under one delineation vintage.
type MetroNativity struct {
	CBSA        string
	Title       string
	Vintage     string
	Period      string
	Total       Estimate
	ForeignBorn Estimate
	Share       Estimate // ForeignBorn / Total, 0..1
	Counties    []string // FIPS codes of the county rows summed
}

// NationalOrigin is one Hispanic-origin group's nativity for the United
// States in one ACS year (Selected Population Profile S0201). The groups are
// self-identified origin (e.g. "Salvadoran"), not country of birth.
type NationalOrigin struct {
	Source        string
	Row           int
	Year          int
	PopGroup      string // "412"
	PopGroupLabel string // "Salvadoran (226)"
	Total         Estimate
	Native        Estimate
	ForeignBorn   Estimate
}

// NationalNativity is the national series for one year: total population,
// all foreign-born, and foreign-born people of Salvadoran, Guatemalan and
// Honduran origin (origin-based, not birthplace-based) with their sum.
type NationalNativity struct {
	Year int
	// Source is the file of the year's total-population row (every group of
	// a year comes from one S0201 file).
	Source       string
	Population   Estimate
	ForeignBorn  Estimate
	FBSalvadoran Estimate
	FBGuatemalan Estimate
	FBHonduran   Estimate
	FBNTCA       Estimate // the three summed, MOE by the sum rule
	// FBNTCAShare is FBNTCA / Population, 0..1, MOE by the proportion
	// rule.
	FBNTCAShare Estimate
}

// OriginCount is an origin group's count in one geography and year, with
// the total population it is a share of.
type OriginCount struct {
	Source     string
	Year       int
	Product    string // "acs1", "acs5"
	GeoID      string
	Level      string // "cbsa", "county", "state", "us": what GeoID codes
	Name       string
	Group      string // origin group key, e.g. "ntca"
	Count      Estimate
	Population Estimate
	Share      Estimate // Count / Population, 0..1
	Synthetic  bool
}

// OriginGroup is an origin group: a set of ACS B05006 lines, named by label
// path (ids move between years), whose estimates are summed into one count
// ("ntca": El Salvador, Guatemala and Honduras).
type OriginGroup struct {
	Key    string   `toml:"key"`
	Name   string   `toml:"name"`
	Note   string   `toml:"note"`
	Table  string   `toml:"table"`
	Labels []string `toml:"labels"`
}

// ACSVariable is one variable of an ACS table in one year and product, as a
// label file (API legend, variables list, Census Reporter's map) gives it.
type ACSVariable struct {
	Source   string
	Table    string
	Year     int
	Product  string
	Variable string // base id, no E/M suffix
	Label    string // canonical "!!" path
}

// Labels of the S0201 (Selected Population Profile) lines the national
// series (NationalNativity) is read from: the same in every year 2009-2018,
// while the ids are not (S0201_130E, S0201_0130E in 2016).
const (
	S0201TotalPopulation = "TOTAL NUMBER OF RACES REPORTED!!Total population"
	S0201Native          = "PLACE OF BIRTH, CITIZENSHIP STATUS AND YEAR OF ENTRY!!Native"
	S0201ForeignBorn     = "PLACE OF BIRTH, CITIZENSHIP STATUS AND YEAR OF ENTRY!!Foreign born"
)
