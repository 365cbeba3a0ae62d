package assay

// Annotation codes, the values an Estimate's Annotation and MOEAnnotation
// hold (besides an open-ended median's bound such as "2,500-"). The six jam
// values are the Census API's numeric stand-ins for annotated cells;
// data.census.gov and American FactFinder print the symbols that map onto
// them (package census reads both). Source: Census Bureau, "Notes on ACS API
// Variable Types" / "Notes on ACS Estimate and Annotation Values".
const (
	AnnotTooFewCases    = "-999999999" // "N"
	AnnotNotApplicable  = "-888888888" // "(X)"
	AnnotNotComputed    = "-666666666" // "-"
	AnnotControlled     = "-555555555" // "*****"
	AnnotMedianOpenMOE  = "-333333333" // "***"
	AnnotMOENotComputed = "-222222222" // "**"

	// AnnotEmpty marks a blank or null cell: the file gave no value at all.
	AnnotEmpty = "empty"
	// AnnotInvalid marks a cell that is neither a number nor a known code
	// (the reader also audits it).
	AnnotInvalid = "invalid"
	// AnnotNotPublished marks a margin of error the source file does not carry.
	AnnotNotPublished = "not_published"
	// AnnotNullComponent marks a derived estimate with a null input.
	AnnotNullComponent = "null_component"
	// AnnotZeroDenominator marks a proportion or ratio over zero.
	AnnotZeroDenominator = "zero_denominator"
	// AnnotMissingMember marks a metro total with a member county absent.
	AnnotMissingMember = "missing_member_county"
)
