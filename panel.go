package assay

import (
	"cmp"
	"slices"
)

// Observation is one metropolitan area (CBSA) in one year of the harmonized
// panel: the FBI's Table 6 block for the MSA, and the Census measures of
// the same area and year where there are any. Pointers are nil where a side
// has no data.
type Observation struct {
	CBSA  string
	Title string
	Year  int

	Crime *CrimeRecord
	// Nativity is the all-foreign-born share from ACS 5-year county data for
	// the period ending in Year (2008-2012 for 2012).
	Nativity *MetroNativity
	// Origins are origin-group counts (B05006) of this year from fetched ACS
	// tables, one per product and group.
	Origins []*OriginCount
}

// Origin returns the count of an origin group from an ACS product, or nil.
func (o *Observation) Origin(group, product string) *OriginCount {
	for _, c := range o.Origins {
		if c.Group == group && c.Product == product {
			return c
		}
	}
	return nil
}

// Synthetic reports whether any of the observation's measures came from
// the test generator: such an observation must never become a finding.
func (o *Observation) Synthetic() bool {
	for _, c := range o.Origins {
		if c.Synthetic {
			return true
		}
	}
	return false
}

// Panel is the metro-year panel, sorted by CBSA and year.
type Panel struct {
	Vintage string
	Obs     []Observation
}

// At returns the observation of a CBSA in a year, or nil.
func (p *Panel) At(cbsa string, year int) *Observation {
	i, ok := slices.BinarySearchFunc(p.Obs, Observation{CBSA: cbsa, Year: year}, compareObs)
	if !ok {
		return nil
	}
	return &p.Obs[i]
}

func compareObs(a, b Observation) int {
	return cmp.Or(cmp.Compare(a.CBSA, b.CBSA), cmp.Compare(a.Year, b.Year))
}

// Sort puts the observations in the order At relies on.
func (p *Panel) Sort() { slices.SortFunc(p.Obs, compareObs) }

// Years lists the years with any observation, ascending.
func (p *Panel) Years() []int {
	var ys []int
	for _, o := range p.Obs {
		ys = append(ys, o.Year)
	}
	slices.Sort(ys)
	return slices.Compact(ys)
}
