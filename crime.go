package assay

import "fmt"

// Offense is one of the Part I offences the FBI publishes in Table 6.
type Offense int

// The order is the FBI's column order in Table 6.
const (
	Violent Offense = iota
	Murder
	Rape
	Robbery
	AggravatedAssault
	Property
	Burglary
	LarcenyTheft
	MotorVehicleTheft
	NumOffenses
)

var offenseKeys = [NumOffenses]string{
	"violent", "murder", "rape", "robbery", "aggravated_assault",
	"property", "burglary", "larceny_theft", "motor_vehicle_theft",
}

// Key is the offence's stable machine name, used in column names
// (violent_rate), flags and JSON.
func (o Offense) Key() string {
	if o < 0 || o >= NumOffenses {
		return fmt.Sprintf("offense(%d)", int(o))
	}
	return offenseKeys[o]
}

func (o Offense) String() string { return o.Key() }

// Offenses lists every offence in the FBI's column order.
func Offenses() []Offense {
	out := make([]Offense, NumOffenses)
	for i := range out {
		out[i] = Offense(i)
	}
	return out
}

// ParseOffense accepts a key ("violent", "aggravated_assault") or the same
// key with a "_rate" suffix, as users write it on the command line.
func ParseOffense(s string) (Offense, error) {
	for i, k := range offenseKeys {
		if s == k || s == k+"_rate" {
			return Offense(i), nil
		}
	}
	return 0, fmt.Errorf("unknown offence %q (want one of %v)", s, offenseKeys)
}

// AreaKind says whether a Table 6 block is a whole metropolitan statistical
// area or a metropolitan division inside a divided one.
type AreaKind string

const (
	KindMSA AreaKind = "msa"
	KindMD  AreaKind = "md"
)

// RapeDefinition is the UCR rape definition behind a year's rape (and so
// violent-crime) figures. Violent crime is not strictly comparable across a
// change of definition; murder is.
type RapeDefinition string

const (
	RapeLegacy  RapeDefinition = "legacy"  // "forcible rape", through 2012
	RapeMixed   RapeDefinition = "mixed"   // 2013-2016: revised and legacy reports aggregated
	RapeRevised RapeDefinition = "revised" // 2017 on: revised definition only
)

// The years the FBI's rape definition changed in Table 6: revised reports
// counted from 2013 (beside legacy ones), revised only from 2017.
const (
	FirstMixedRapeYear   = 2013
	FirstRevisedRapeYear = 2017
)

// RapeDefinitionFor gives the definition in force for Table 6 of a data year.
func RapeDefinitionFor(year int) RapeDefinition {
	switch {
	case year < FirstMixedRapeYear:
		return RapeLegacy
	case year < FirstRevisedRapeYear:
		return RapeMixed
	default:
		return RapeRevised
	}
}

// CrimeRecord is one MSA or M.D. block of one year's Table 6. Blank cells in
// the published table are suppressed values: they are null here, never zero.
type CrimeRecord struct {
	Source string // data file, relative to the data directory
	Row    int    // 1-based row of the block's name row in that file
	Year   int
	Kind   AreaKind

	PublishedName string   // the name cell as published, footnote digits and all (surrounding spaces trimmed)
	Name          string   // cleaned: no footnote markers, no " M.S.A."/" M.D." suffix
	States        []string // two-letter codes from the name, in published order ("Puerto Rico" is PR)
	Parent        string   // for an M.D., the clean name of its MSA
	Counties      string   // the "Includes ..." line, footnote markers removed (the audit keeps them)
	Footnotes     []string // footnote markers that were glued to the name, in published order

	Population Num
	Coverage   Num // share of population in agencies reporting, 0..1

	// Reported holds the "Total area actually reporting" counts, Estimated
	// the "Estimated total" ones, which the FBI prints only when coverage is
	// below 100% (null otherwise), and Rate the per-100,000 rates.
	Reported  [NumOffenses]Num
	Estimated [NumOffenses]Num
	Rate      [NumOffenses]Num

	RapeDefinition RapeDefinition

	// CBSA and CBSATitle are set by name matching against a delineation
	// vintage; empty when the name is unmatched (the audit says why).
	CBSA      string
	CBSATitle string
	// Match says how the name found its code (MatchExact, MatchNormalized,
	// MatchAlias, ...), so an analysis can keep only the surest.
	Match string
}

// Count returns the best published count: the estimated total where the
// FBI estimated one, else the total actually reported.
func (r *CrimeRecord) Count(o Offense) Num {
	if r.Estimated[o].Valid {
		return r.Estimated[o]
	}
	return r.Reported[o]
}

// Suppressed reports whether the FBI left the offence's rate blank.
func (r *CrimeRecord) Suppressed(o Offense) bool { return !r.Rate[o].Valid }

// CityRecord is a principal-city row inside a Table 6 block.
type CityRecord struct {
	Source     string
	Row        int
	Year       int
	Area       string // clean name of the MSA or M.D. block it sits in
	Name       string // clean city name ("Abilene")
	Published  string // as published ("City of Abilene3")
	Footnotes  []string
	Population Num
	Counts     [NumOffenses]Num
}

// NationalCrime is one year of U.S. national estimated offence counts and
// rates from one source file.
type NationalCrime struct {
	Source     string
	Row        int
	Year       int
	Population Num
	Counts     [NumOffenses]Num
	Rate       [NumOffenses]Num
	// RatesComputed says Rate was computed here as count / population ×
	// 100,000 (unrounded) because the source publishes counts only.
	RatesComputed bool
	// RapeLegacy and RapeRevised hold both definitions where a source
	// publishes both; Counts[Rape] is the one the source itself totals.
	RapeLegacy      Num
	RapeRevised     Num
	RapeLegacyRate  Num
	RapeRevisedRate Num
}

// MarshalText writes the offence's key, so JSON and TOML carry "murder",
// not a number.
func (o Offense) MarshalText() ([]byte, error) {
	if o < 0 || o >= NumOffenses {
		return nil, fmt.Errorf("offense(%d) is not an offence", int(o))
	}
	return []byte(o.Key()), nil
}

// UnmarshalText reads a key as ParseOffense does.
func (o *Offense) UnmarshalText(b []byte) error {
	v, err := ParseOffense(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}
