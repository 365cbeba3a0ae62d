package stats

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/gonum/stat/distuv"
)

// Term is one estimated quantity: a coefficient, or a correlation.
type Term struct {
	Term     string  `json:"term"`
	Estimate float64 `json:"estimate"`
	SE       float64 `json:"se"`
	Stat     float64 `json:"stat"` // t (or z when Result.DF is 0)
	CILow    float64 `json:"ci_low"`
	CIHigh   float64 `json:"ci_high"`
	P        float64 `json:"p"`
	// N and Clusters repeat the result's, so each coefficient row of the
	// JSON stands on its own in a table of findings.
	N        int `json:"n"`
	Clusters int `json:"clusters,omitempty"`
}

// ClusterCount names a cluster variable and its number of clusters.
type ClusterCount struct {
	Name string `json:"name"`
	G    int    `json:"g"`
}

// FixedEffect names an absorbed factor and its number of levels.
type FixedEffect struct {
	Name   string `json:"name"`
	Levels int    `json:"levels"`
	Nested bool   `json:"nested_in_cluster,omitempty"`
}

// Fit holds goodness-of-fit statistics; fields that do not apply are NaN
// (null in JSON).
type Fit struct {
	R2       float64 `json:"r2"`
	AdjR2    float64 `json:"adj_r2"`
	WithinR2 float64 `json:"within_r2"`
	// F tests all slopes jointly (within slopes for FE); with robust or
	// clustered SEs it is the Wald statistic divided by the number of slopes.
	F        float64 `json:"f"`
	FDF1     float64 `json:"f_df1"`
	FDF2     float64 `json:"f_df2"`
	FP       float64 `json:"f_p"`
	RSS      float64 `json:"rss"`
	Deviance float64 `json:"deviance"`
	// AbsorbedDF is the number of parameters the fixed effects used up.
	AbsorbedDF int `json:"absorbed_df"`
	Iterations int `json:"iterations,omitempty"`
}

// Permutation reports a permutation test of a correlation.
type Permutation struct {
	Reps  int     `json:"reps"`
	Exact bool    `json:"exact"` // every one of the n! orderings
	Seed  uint64  `json:"seed"`
	P     float64 `json:"p"`
}

// Bootstrap reports bootstrap intervals of a statistic (for a correlation,
// from resampled pairs).
type Bootstrap struct {
	Reps       int     `json:"reps"`
	Used       int     `json:"used"` // replicates with a defined statistic
	Seed       uint64  `json:"seed"`
	Level      float64 `json:"level"`
	PercentLow float64 `json:"percentile_low"`
	PercentHi  float64 `json:"percentile_high"`
	BCaLow     float64 `json:"bca_low"`
	BCaHigh    float64 `json:"bca_high"`
}

// Result is what every estimator returns.
type Result struct {
	Method   string         `json:"method"`
	Outcome  string         `json:"outcome,omitempty"`
	Terms    []Term         `json:"terms"`
	N        int            `json:"n"`
	Clusters []ClusterCount `json:"clusters,omitempty"`
	FE       []FixedEffect  `json:"fixed_effects,omitempty"`
	SEType   string         `json:"se_type"`
	// DF is the degrees of freedom of the t distribution used for p-values
	// and intervals; 0 means the standard normal.
	DF    float64      `json:"df"`
	Level float64      `json:"ci_level"`
	Fit   *Fit         `json:"fit,omitempty"`
	Perm  *Permutation `json:"permutation,omitempty"`
	Boot  *Bootstrap   `json:"bootstrap,omitempty"`
	// Wild holds wild cluster bootstrap tests of terms, when run.
	Wild  []WildResult `json:"wild_bootstrap,omitempty"`
	Notes []string     `json:"notes,omitempty"`
	// Vcov is the variance matrix of the estimates, in Terms order.
	Vcov [][]float64 `json:"-"`
}

// Term returns the named term.
func (r Result) Term(name string) (Term, bool) {
	for _, t := range r.Terms {
		if t.Term == name {
			return t, true
		}
	}
	return Term{}, false
}

// refDist is the distribution of the test statistic under the null.
type refDist struct{ df float64 }

func (d refDist) twoSided(stat float64) float64 {
	if math.IsNaN(stat) {
		return math.NaN()
	}
	a := -math.Abs(stat)
	if d.df == 0 {
		return 2 * distuv.UnitNormal.CDF(a)
	}
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: d.df}.CDF(a)
}

func (d refDist) quantile(p float64) float64 {
	if d.df == 0 {
		return distuv.UnitNormal.Quantile(p)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: d.df}.Quantile(p)
}

// waldTerm builds a term whose interval is estimate ± quantile · se.
func waldTerm(name string, est, se float64, d refDist, level float64) Term {
	q := d.quantile(1 - (1-level)/2)
	stat := est / se
	return Term{Term: name, Estimate: est, SE: se, Stat: stat, P: d.twoSided(stat),
		CILow: est - q*se, CIHigh: est + q*se}
}

// finish copies n and clusters into every term.
func (r *Result) finish() {
	g := 0
	if len(r.Clusters) > 0 {
		g = r.Clusters[0].G
		for _, c := range r.Clusters[1:] {
			g = min(g, c.G)
		}
	}
	for i := range r.Terms {
		r.Terms[i].N = r.N
		r.Terms[i].Clusters = g
	}
}

// jf is a float that JSON-encodes NaN and ±Inf as null.
type jf float64

func (f jf) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(x)
}

// MarshalJSON writes non-finite numbers as null, since JSON has no NaN.
func (t Term) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Term     string `json:"term"`
		Estimate jf     `json:"estimate"`
		SE       jf     `json:"se"`
		Stat     jf     `json:"stat"`
		CILow    jf     `json:"ci_low"`
		CIHigh   jf     `json:"ci_high"`
		P        jf     `json:"p"`
		N        int    `json:"n"`
		Clusters int    `json:"clusters,omitempty"`
	}{t.Term, jf(t.Estimate), jf(t.SE), jf(t.Stat), jf(t.CILow), jf(t.CIHigh), jf(t.P), t.N, t.Clusters})
}

// MarshalJSON writes non-finite numbers as null.
func (f Fit) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		R2         jf  `json:"r2"`
		AdjR2      jf  `json:"adj_r2"`
		WithinR2   jf  `json:"within_r2"`
		F          jf  `json:"f"`
		FDF1       jf  `json:"f_df1"`
		FDF2       jf  `json:"f_df2"`
		FP         jf  `json:"f_p"`
		RSS        jf  `json:"rss"`
		Deviance   jf  `json:"deviance"`
		AbsorbedDF int `json:"absorbed_df"`
		Iterations int `json:"iterations,omitempty"`
	}{jf(f.R2), jf(f.AdjR2), jf(f.WithinR2), jf(f.F), jf(f.FDF1), jf(f.FDF2), jf(f.FP), jf(f.RSS), jf(f.Deviance), f.AbsorbedDF, f.Iterations})
}

// MarshalJSON writes non-finite numbers as null.
func (b Bootstrap) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Reps       int     `json:"reps"`
		Used       int     `json:"used"`
		Seed       uint64  `json:"seed"`
		Level      float64 `json:"level"`
		PercentLow jf      `json:"percentile_low"`
		PercentHi  jf      `json:"percentile_high"`
		BCaLow     jf      `json:"bca_low"`
		BCaHigh    jf      `json:"bca_high"`
	}{b.Reps, b.Used, b.Seed, b.Level, jf(b.PercentLow), jf(b.PercentHi), jf(b.BCaLow), jf(b.BCaHigh)})
}

// WriteText renders a summary in the manner of fixest and statsmodels: the
// method, n, clusters, standard-error type and interval level, then one row
// per term.
func (r Result) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", r.Method)
	if r.Outcome != "" {
		fmt.Fprintf(&b, ", outcome: %s", r.Outcome)
	}
	fmt.Fprintf(&b, "\nObservations: %d\n", r.N)
	if len(r.FE) > 0 {
		parts := make([]string, len(r.FE))
		for i, f := range r.FE {
			parts[i] = fmt.Sprintf("%s: %d", f.Name, f.Levels)
		}
		fmt.Fprintf(&b, "Fixed effects: %s\n", strings.Join(parts, ", "))
	}
	if len(r.Clusters) > 0 {
		parts := make([]string, len(r.Clusters))
		for i, c := range r.Clusters {
			parts[i] = fmt.Sprintf("%s (%d)", c.Name, c.G)
		}
		fmt.Fprintf(&b, "Clusters: %s\n", strings.Join(parts, " & "))
	}
	dist := "normal"
	if r.DF > 0 {
		dist = fmt.Sprintf("t(%g)", r.DF)
	}
	fmt.Fprintf(&b, "Standard errors: %s; p-values and %g%% intervals from %s\n", r.SEType, 100*r.Level, dist)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "term\testimate\tstd. error\tstat\tp\t%g%% low\t%g%% high\t\n", 100*r.Level, 100*r.Level)
	for _, t := range r.Terms {
		fmt.Fprintf(tw, "%s\t%.6g\t%.6g\t%.4g\t%.4g\t%.6g\t%.6g\t\n", t.Term, t.Estimate, t.SE, t.Stat, t.P, t.CILow, t.CIHigh)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if f := r.Fit; f != nil {
		var parts []string
		add := func(name string, v float64, format string) {
			if !math.IsNaN(v) {
				parts = append(parts, fmt.Sprintf("%s: "+format, name, v))
			}
		}
		add("R2", f.R2, "%.4f")
		add("Adj. R2", f.AdjR2, "%.4f")
		add("Within R2", f.WithinR2, "%.4f")
		add("Deviance", f.Deviance, "%.6g")
		if !math.IsNaN(f.F) {
			parts = append(parts, fmt.Sprintf("F(%g, %g): %.4g, p = %.4g", f.FDF1, f.FDF2, f.F, f.FP))
		}
		if len(parts) > 0 {
			fmt.Fprintf(&b, "%s\n", strings.Join(parts, "   "))
		}
	}
	if p := r.Perm; p != nil {
		kind := fmt.Sprintf("Monte Carlo, %d reps, seed %d, p = (b+1)/(R+1)", p.Reps, p.Seed)
		if p.Exact {
			kind = fmt.Sprintf("exact, all %d orderings", p.Reps)
		}
		fmt.Fprintf(&b, "Permutation p-value: %.4g (%s)\n", p.P, kind)
	}
	if bs := r.Boot; bs != nil {
		fmt.Fprintf(&b, "Bootstrap %g%% intervals (%d of %d reps usable, seed %d): percentile [%.6g, %.6g], BCa [%.6g, %.6g]\n",
			100*bs.Level, bs.Used, bs.Reps, bs.Seed, bs.PercentLow, bs.PercentHi, bs.BCaLow, bs.BCaHigh)
	}
	for _, wb := range r.Wild {
		how := fmt.Sprintf("%d %s draws, seed %d", wb.Reps, wb.Weights, wb.Seed)
		if wb.Enumerated {
			how = fmt.Sprintf("all %d Rademacher sign patterns", wb.Reps)
		}
		fmt.Fprintf(&b, "Wild cluster bootstrap (WCR, %d clusters, %s): %s = %g: p = %.4g, %g%% interval [%.6g, %.6g]\n",
			wb.Clusters, how, wb.Term, wb.Null, wb.P, 100*wb.Level, wb.CILow, wb.CIHigh)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "Note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
