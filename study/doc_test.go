package study

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/assaylab/assay/internal/textfmt"
	"github.com/assaylab/assay/stats"
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
// recovers, the standard error of r it allows for at 27 metros, the limits
// on a spec's permutations and bootstrap, and the two-year panel (FE = FD)
// of TestPanel. Each sentence is built from the computation and must appear
// in the page as it stands.
func TestStudyDoc(t *testing.T) {
	doc := studyDoc(t)
	want := func(sentence string) {
		t.Helper()
		if !strings.Contains(doc, sentence) {
			t.Errorf("docs/study.md does not say %q", sentence)
		}
	}

	// The planted correlations TestPlantedCorrelation checks.
	var n int
	var parts []string
	for _, planted := range plantedRs {
		_, res := runPlanted(t, planted)
		f := res.Findings[0]
		n = f.N
		parts = append(parts, fmt.Sprintf("r = %s for a planted %g (95%% CI %s to %s)",
			docNum(f.Estimate.V, 4), planted, docNum(f.CILow.V, 3), docNum(f.CIHigh.V, 3)))
	}
	want(fmt.Sprintf("With %d metros it recovers %s and %s", n, parts[0], parts[1]))
	// The standard error of r, (1 − ρ²)/√(n − 1), at the paper's 27 and ρ = 0.
	want(fmt.Sprintf("With %d metros that error is about %s at ρ = 0", PaperN, docNum(1/math.Sqrt(PaperN-1), 2)))

	// The spec's limits on replication counts, which the page once gave
	// wrong (a bootstrap floor of 1,000 where stats allows 40).
	want(fmt.Sprintf("`estimation.permutations` and `grid.permutations` are at most %s", textfmt.Count(stats.MaxPermutations)))
	want(fmt.Sprintf("(`stats.MinBootstrap`: at least %d at 95%%) up to %s", stats.MinBootstrap(0.95), textfmt.Count(stats.MaxBootstrap)))

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

// TestStudyDocAgreesWithGoldens checks the paragraphs of docs/study.md that
// report the built-in studies against the golden outputs they quote
// (TestBuiltinGolden keeps those equal to what the studies print): every
// number in a paragraph must be one of the output's numbers, as written or
// rounded to the decimals the page gives. The two-year panel sentence that
// ends the panel paragraph is TestStudyDoc's.
func TestStudyDocAgreesWithGoldens(t *testing.T) {
	doc := studyDoc(t)
	for _, tc := range []struct{ from, to, golden string }{
		{"From `assay study builtin:foreignborn_all_metros`", "From `assay study builtin:panel_2006_2018`", "foreignborn_all_metros.txt"},
		{"From `assay study builtin:panel_2006_2018`", "With the two measured years only", "panel_2006_2018.txt"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			i := strings.Index(doc, tc.from)
			j := strings.Index(doc[max(i, 0):], tc.to)
			if i < 0 || j < 0 {
				t.Fatalf("docs/study.md has no paragraph from %q to %q", tc.from, tc.to)
			}
			para := doc[i : i+j]
			b, err := os.ReadFile(filepath.Join("testdata", tc.golden))
			if err != nil {
				t.Fatal(err)
			}
			var have []float64
			for _, s := range docNumber.FindAllString(string(b), -1) {
				have = append(have, parseDocNumber(t, s))
			}
			nums := docNumber.FindAllString(para, -1)
			if len(nums) < 15 {
				t.Fatalf("only %d numbers in the paragraph: %q", len(nums), para)
			}
			for _, s := range nums {
				decimals := 0
				if k := strings.IndexByte(s, '.'); k >= 0 {
					decimals = len(s) - k - 1
				}
				d := parseDocNumber(t, s)
				if !slices.ContainsFunc(have, func(g float64) bool { return docNum(g, decimals) == docNum(d, decimals) }) {
					t.Errorf("docs/study.md says %s, which %s does not (at %d decimals)", s, tc.golden, decimals)
				}
			}
		})
	}
}

// docNumber matches a number as the page and the outputs write it: a
// hyphen or true minus, thousands separated by commas or not, decimals.
var docNumber = regexp.MustCompile(`[−-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[−-]?\d+(?:\.\d+)?`)

func parseDocNumber(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(strings.NewReplacer("−", "-", ",", "").Replace(s), 64)
	if err != nil {
		t.Fatal(err)
	}
	return x
}
