// Package census reads American Community Survey tables and fetches them
// from the Census Data API.
//
// Readers (ReadFile, Read, ReadDir) take one file of any of the layouts the
// Census Bureau has published, sniffing which: an API JSON response, an API
// response saved as CSV with E/EA/M/MA columns, a data.census.gov download
// (ids row, labels row), an American FactFinder download (GEO.id, HD01_VDnn,
// HD02_VDnn, labels row, often Windows-1252), or the county nativity extract.
// Each geography becomes an assay.GeoValues whose values carry the variable
// id as published, its label path and an assay.Estimate. Variables are meant
// to be found by label (Lookup, Labels.Resolve, Labels.Find): ids move
// between years, labels do not. Annotated cells (jam values such as
// -666666666, symbols such as "(X)" or "*****", open-ended medians such as
// "2,500-") are null, with the code kept beside them.
//
// Margins of error of derived estimates (Sum, Difference, Proportion, Ratio,
// Product) follow the Census Bureau's ACS handbook (2018), chapter 8,
// including the zero-estimate rule for sums. CV and Reliable grade
// estimates.
//
// Origin groups (DefaultGroups, groups.toml) name the B05006 lines they sum
// by label; OriginCounts and LoadOriginCounts turn B05006 and B01003 into
// counts and population shares. NationalSeries builds the national
// origin-based series from the S0201 profiles. AggregateCounties and
// MetroNativity sum county data into the CBSAs of a delineation, through a
// crosswalk of county code changes, auditing every county that cannot be
// placed; MatchMetros matches metro-level data of another vintage.
//
// Client fetches tables by label from the API, at most 50 variables a call,
// joining chunks on the geography columns, with retries and an on-disk
// cache that never stores the key. Its responses are written as files
// ReadDir reads back.
package census
