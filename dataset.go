package assay

// Dataset is everything one ingest produced: the harmonized records, the
// delineations they were matched against, the sources they came from and the
// audit of every row that did not simply load. The warehouse, the snapshot
// and the analyses all hold a Dataset in one form or another.
type Dataset struct {
	// Vintage is the OMB delineation FBI names were matched to and county
	// data summed into ("2013-02"): the CBSA codes throughout are its codes.
	Vintage string

	Sources      []Source
	Audit        []AuditEntry
	Delineations []Delineation

	Crime    []CrimeRecord
	Cities   []CityRecord
	National []NationalCrime
	// NationalSeries is every national file's figure per measure and year,
	// one of them chosen: analyses read the national series here.
	NationalSeries NationalSeries
	// Agencies are police-agency years from an agency-level panel; they
	// are cities (or counties), not metro areas.
	Agencies []AgencyCrime

	Variables       []ACSVariable
	CountyNativity  []CountyNativity
	MetroNativity   []MetroNativity
	NationalOrigins []NationalOrigin
	// NationalNativity is the S0201 national series built from
	// NationalOrigins, one entry per year.
	NationalNativity []NationalNativity
	// OriginGroups define the groups OriginCounts sum; OriginCounts are
	// metro (or county, or national) origin-group counts from fetched ACS
	// tables (B05006 with B01003). None are bundled.
	OriginGroups []OriginGroup
	OriginCounts []OriginCount

	// Outlines are the map shapes of the nation, the states and the
	// counties, for drawing maps.
	Outlines []Outline

	// Panel is the harmonized metro-year panel, built once at ingest: every
	// analysis reads it here.
	Panel Panel
}
