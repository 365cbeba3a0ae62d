package assay

// How an FBI name found its CBSA code (CrimeRecord.Match), from the most
// to the least certain; DescribeMatch says each in words. The cbsa reader
// decides them; the renderers explain them.
const (
	MatchExact        = "exact"
	MatchNormalized   = "normalized"
	MatchReordered    = "reordered"
	MatchAlias        = "alias"
	MatchFirstCity    = "first_city"
	MatchFuzzy        = "fuzzy"
	MatchNoEquivalent = "no_equivalent"
	MatchUnmatched    = "unmatched"
)

// DescribeMatch says how a match method ties an FBI name to a CBSA, for a
// reader deciding how far to trust it; "" for a method it does not know.
func DescribeMatch(method string) string {
	switch method {
	case MatchExact:
		return "the name is the OMB title"
	case MatchNormalized:
		return "equal once dashes, accents, case, \"St.\" and state order are set aside"
	case MatchReordered:
		return "the same places and states in another order"
	case MatchAlias:
		return "listed in aliases.csv, reviewed by hand"
	case MatchFirstCity:
		return "the first principal city and a state shared with one area only"
	case MatchFuzzy:
		return "a close spelling, clear of the runner-up"
	case MatchNoEquivalent:
		return "aliases.csv says the area has no counterpart in this vintage"
	case MatchUnmatched:
		return "no rule settles it"
	}
	return ""
}
