package assay

// CBSA is a core-based statistical area of one OMB delineation vintage.
type CBSA struct {
	Code     string // five digits
	Title    string
	Metro    bool // metropolitan (true) or micropolitan
	Vintage  string
	CSA      string // combined statistical area code (three digits), if any
	CSATitle string
	// Divisions maps metropolitan division codes to their titles. Only the
	// largest metros are divided (11 in the 2013 and 2020 vintages).
	Divisions map[string]string
	Counties  []County
}

// County is a county (or equivalent) as a member of a CBSA.
type County struct {
	FIPS     string // five digits: state + county
	Name     string
	State    string // state name as published
	Central  bool
	Division string // metropolitan division code, if any
}

// Delineation is one OMB vintage (e.g. "2013-02") of CBSAs.
type Delineation struct {
	Vintage string
	Source  string
	CBSAs   []CBSA
}

// Lookup returns the CBSA with the code, or false.
func (d *Delineation) Lookup(code string) (*CBSA, bool) {
	for i := range d.CBSAs {
		if d.CBSAs[i].Code == code {
			return &d.CBSAs[i], true
		}
	}
	return nil, false
}

// CountyIndex maps each member county's five-digit FIPS code to the code of
// its CBSA, for building CBSA figures from county ones. Counties outside
// every CBSA are absent.
func (d *Delineation) CountyIndex() map[string]string {
	idx := make(map[string]string)
	for _, c := range d.CBSAs {
		for _, k := range c.Counties {
			idx[k.FIPS] = c.Code
		}
	}
	return idx
}
