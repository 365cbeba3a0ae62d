package stats

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// JSON has no NaN: undefined numbers must come out as null, and every term
// must carry the fields findings tables read.
func TestResultJSON(t *testing.T) {
	c := readCSV(t, "synth_ols.csv")
	d := olsDesign(c, false, "x1")
	d.Cluster = []Factor{factorOf("g", c["g"])}
	r, err := OLS(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.Terms[0].CIHigh = math.Inf(1)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Terms []map[string]any `json:"terms"`
		Fit   map[string]any   `json:"fit"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"term", "estimate", "se", "ci_low", "ci_high", "p", "n", "clusters"} {
		if _, ok := back.Terms[1][key]; !ok {
			t.Errorf("term JSON lacks %q: %s", key, b)
		}
	}
	if back.Terms[0]["ci_high"] != nil {
		t.Errorf("infinite ci_high encoded as %v, want null", back.Terms[0]["ci_high"])
	}
	if back.Fit["within_r2"] != nil {
		t.Errorf("OLS within R2 = %v, want null", back.Fit["within_r2"])
	}
	if back.Terms[1]["clusters"] != 14.0 || back.Terms[1]["n"] != 60.0 {
		t.Errorf("term n/clusters = %v/%v, want 60/14", back.Terms[1]["n"], back.Terms[1]["clusters"])
	}
	var text strings.Builder
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Observations: 60", "Clusters: g (14)", "t(13)", "95% high"} {
		if !strings.Contains(text.String(), s) {
			t.Errorf("summary lacks %q:\n%s", s, text.String())
		}
	}
}
