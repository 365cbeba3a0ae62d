// Package cooperation2021 is the March 2021 article on U.S.-Mexico
// cooperation on migration and narcotrafficking, as a published analysis
// assay checks: its claims (AR01-AR04) concern foreign aid, legal status,
// asylum seekers in Mexico and arms seizures, which no file assay reads
// covers, so each evaluator says what would settle the claim.
package cooperation2021

import "github.com/assaylab/assay/claims"

// Evaluators gives every claim of the article its evaluator.
func Evaluators() []claims.Evaluator {
	return []claims.Evaluator{
		claims.NotCheckable("AR01", "no amount: no bundled file covers foreign aid",
			"The bill text or budget documents the figure comes from, and State Department and USAID obligations "+
				"(ForeignAssistance.gov), would settle it; a commitment in a proposal is not money obligated."),
		claims.NotCheckable("AR02", "no count: the ACS does not ask legal status, so no bundled file can count undocumented immigrants",
			"The bill's text (the U.S. Citizenship Act of 2021) and estimates of the unauthorized immigrant population "+
				"(DHS Office of Immigration Statistics, Pew Research Center) would settle it."),
		claims.NotCheckable("AR03", "no count: no bundled file covers Mexico or asylum seekers",
			"Human Rights First's tracking of publicly reported attacks on people returned to Mexico under the Migrant "+
				"Protection Protocols (\"Remain in Mexico\") would settle it; such counts are reported cases, a floor, not incidence."),
		claims.NotCheckable("AR04", "no share: no bundled file covers arms seizures",
			"The UNODC Global Study on Firearms Trafficking 2020, from seizure data Mexico and the United States reported, "+
				"would settle it."),
	}
}
