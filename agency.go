package assay

// NumViolentOffenses counts violent crime and its four offences, the first
// five Offense values: an array of this length is indexed by Offense.
const NumViolentOffenses = AggravatedAssault + 1

// AgencyCrime is one police agency's year in an agency-level UCR panel
// (The Marshall Project's compilation of FBI UCR figures for large-city
// agencies, 1975-2015). An agency is neither an MSA nor always a city:
// county police and sheriffs' departments are agencies too. The panel has
// violent offences only. NA in the source is null here, never zero.
type AgencyCrime struct {
	Source string
	Row    int
	Year   int
	ORI    string // FBI originating agency identifier ("OHCOP00")
	// State is the two-letter postal code of the ORI's state ("NB", the
	// FBI's code for Nebraska, is NE); empty when the ORI names no state.
	State  string
	Agency string // department name as published ("Columbus, Ohio", "Atlanta")

	Population Num
	Counts     [NumViolentOffenses]Num
	// Rate is per 100,000 as published (the panel's rates are unrounded).
	Rate [NumViolentOffenses]Num
	// MonthsReported is how many months of the year the agency reported;
	// null where the panel gives NA (every agency in 2015).
	MonthsReported Num

	// PublishedIn and URL name where the compiler took a year's figures
	// from when not from the FBI's agency files ("Crime in the U.S. 2015");
	// empty otherwise.
	PublishedIn string
	URL         string
}
