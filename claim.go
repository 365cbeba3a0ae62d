package assay

// Claim is one numeric claim of a source text, as the claims list states it.
type Claim struct {
	ID         string `json:"id"`
	Source     string `json:"source"`
	Section    string `json:"section"`
	Text       string `json:"claim"`
	Stated     string `json:"stated_value"`
	Period     string `json:"period"`
	Geography  string `json:"geography"`
	CheckKind  string `json:"check_kind"` // count, share, ratio, change, trend, correlation, ranking, arithmetic, amount
	DataNeeded string `json:"data_needed"`
}

// Verdict is what the data says of a claim.
type Verdict string

const (
	Supported       Verdict = "supported"
	Contradicted    Verdict = "contradicted"
	PartlySupported Verdict = "partly supported"
	ArithmeticError Verdict = "arithmetic error"
	// NotCheckable means the bundled (or fetched) data cannot settle the
	// claim; the result's note names the data that would.
	NotCheckable Verdict = "not checkable with the bundled data"
)

// ClaimResult is a claim's verdict with the evidence behind it: the value
// computed, its uncertainty where there is one, and the exact inputs.
type ClaimResult struct {
	ID       string  `json:"id"`
	Verdict  Verdict `json:"verdict"`
	Stated   string  `json:"stated"`
	Computed string  `json:"computed"` // the computed value, in words and numbers
	// Value and its interval (Low, High) where the claim reduces to one
	// number; null otherwise.
	Value Num `json:"value"`
	Low   Num `json:"low"`
	High  Num `json:"high"`
	// Inputs name exactly what was used: tables, files, years, metros.
	Inputs   []string  `json:"inputs"`
	Note     string    `json:"note"`
	Findings []Finding `json:"findings,omitempty"`
	// Synthetic is set when any input came from the test generator: such a
	// result is a test artefact, never a finding to show.
	Synthetic bool `json:"synthetic,omitempty"`
}

// Finding is one estimate from one specification: the unit every study,
// the report and the dashboard share. Nothing about it is computed at
// display time.
type Finding struct {
	Study     string            `json:"study"`
	Label     string            `json:"label"` // what it estimates, in words
	Spec      map[string]string `json:"spec"`  // the choice made on each dimension of the study
	Estimator string            `json:"estimator"`
	Term      string            `json:"term"`
	N         int               `json:"n"`
	Clusters  int               `json:"clusters,omitempty"`
	Estimate  Num               `json:"estimate"`
	SE        Num               `json:"se"`
	CILow     Num               `json:"ci_low"`
	CIHigh    Num               `json:"ci_high"`
	P         Num               `json:"p"`
	PermP     Num               `json:"perm_p"`
	Notes     []string          `json:"notes,omitempty"`
	Synthetic bool              `json:"synthetic,omitempty"`
}
