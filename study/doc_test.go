package study

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assaylab/assay/internal/synthdata"
)

// studyDoc is docs/study.md with its line breaks and runs of spaces made
// single spaces, so that a sentence can be looked for however it wraps.
func studyDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "docs", "study.md"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(b)), " ")
}

// docNum formats x as docs/study.md writes numbers: the given decimals and
// a true minus sign.
func docNum(x float64, decimals int) string {
	return strings.Replace(fmt.Sprintf("%.*f", decimals, x), "-", "−", 1)
}

// TestStudyDoc checks the figures docs/study.md quotes from computations
// that no golden file holds: the planted correlations TestPlantedCorrelation
// recovers, the standard error of r it allows for at 27 metros, and the
// two-year panel (FE = FD) of TestPanel. Each sentence is built from the
// computation and must appear in the page as it stands.
func TestStudyDoc(t *testing.T) {
	doc := studyDoc(t)
	want := func(sentence string) {
		t.Helper()
		if !strings.Contains(doc, sentence) {
			t.Errorf("docs/study.md does not say %q", sentence)
		}
	}

	// Planted correlations, as TestPlantedCorrelation runs them.
	var n int
	var parts []string
	for _, planted := range []float64{0, 0.5} {
		sd := synthdata.Planted(t, planted)
		res, err := Run(context.Background(), sd.DS, mustParse(t, ntcaAll))
		if err != nil {
			t.Fatal(err)
		}
		f := res.Findings[0]
		n = f.N
		parts = append(parts, fmt.Sprintf("r = %s for a planted %g (95%% CI %s to %s)",
			docNum(f.Estimate.V, 4), planted, docNum(f.CILow.V, 3), docNum(f.CIHigh.V, 3)))
	}
	want(fmt.Sprintf("With %d metros it recovers %s and %s", n, parts[0], parts[1]))
	// The standard error of r, (1 − ρ²)/√(n − 1), at the paper's 27 and ρ = 0.
	want(fmt.Sprintf("With %d metros that error is about %s at ρ = 0", PaperN, docNum(1/math.Sqrt(PaperN-1), 2)))

	// The panel on the two measured years only, as TestPanel's "observed" case.
	res, err := Run(context.Background(), bundled(t), mustParse(t, minimal+"[panel]\nfrom = 2006\nto = 2018\ninterpolation = \"observed\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	fe, fd := res.Panel.Findings[0], res.Panel.Findings[1]
	if fe.Estimator != "fe_twoway_cr1" || fd.Estimator != "first_difference_cr1" {
		t.Fatalf("panel estimators %s, %s", fe.Estimator, fd.Estimator)
	}
	if docNum(fe.Estimate.V, 3) != docNum(fd.Estimate.V, 3) {
		t.Errorf("two measured years: FE %v, FD %v", fe.Estimate.V, fd.Estimate.V)
	}
	want(fmt.Sprintf("FE = FD = %s (p = %s;", docNum(fe.Estimate.V, 3), docNum(fe.P.V, 2)))
}
