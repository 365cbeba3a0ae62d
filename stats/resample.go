package stats

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// Replication limits. Every count of permutations or resamples is checked
// against them before any work starts, so a mistyped count fails at once
// instead of running for hours.
const (
	// MaxPermutations bounds Monte Carlo permutations: a million resolve p
	// to 1e-6 (its Monte Carlo standard error at p = 0.05 is 2e-4) and,
	// for three correlations at n = 304, take about a second
	// (BenchmarkCorrelateAll).
	MaxPermutations = 1_000_000
	// MaxBootstrap bounds bootstrap resamples: each recomputes the
	// statistic from scratch and is kept for the interval, and beyond
	// 100,000 the Monte Carlo error of a 95% endpoint is far below its
	// sampling error.
	MaxBootstrap = 100_000
	// MaxWild bounds wild bootstrap draws, which are held in memory (G
	// weights each) and replayed for every step of the interval search.
	MaxWild = 100_000
)

// ErrReplications is wrapped by errors about a count of permutations or
// resamples outside its documented range.
var ErrReplications = errors.New("replication count out of range")

// MinBootstrap is the fewest resamples whose percentile interval at level
// reads no extreme replicate: with α = (1−level)/2 the rule below (boot.ci's)
// needs (R+1)α ≥ 1 and (R+1)(1−α) < R, the condition under which boot.ci
// does not warn "extreme order statistics used as endpoints". It is 40 at
// the 95% level.
func MinBootstrap(level float64) int {
	lo, hi := (1-level)/2, (1+level)/2
	r := max(1, int(1/lo)-2)
	for math.Trunc(float64(r+1)*lo) < 1 || math.Trunc(float64(r+1)*hi) >= float64(r) {
		r++
	}
	return r
}

// MinWild is the fewest wild bootstrap draws for which a test at level
// 1 − level can have size 1 − level: with R draws the sample's statistic is
// the most extreme of R + 1 with probability 1/(R+1), so fewer than
// 1/(1−level) − 1 draws over-reject. It is 19 at the 95% level.
func MinWild(level float64) int {
	return int(math.Ceil(1/(1-level)-1e-9)) - 1
}

func checkLevel(level float64) error {
	if level < 0 || level >= 1 || math.IsNaN(level) {
		return fmt.Errorf("confidence level must be between 0 and 1, got %g", level)
	}
	return nil
}

// checkCount returns an ErrReplications error unless lo ≤ n ≤ hi.
func checkCount(what string, n, lo, hi int, why string) error {
	switch {
	case n < lo:
		return fmt.Errorf("%w: %d %s is below the minimum %d%s", ErrReplications, n, what, lo, why)
	case n > hi:
		return fmt.Errorf("%w: %d %s is above the maximum %d", ErrReplications, n, what, hi)
	}
	return nil
}

func checkBootstrap(reps int, level float64) error {
	return checkCount("bootstrap resamples", reps, MinBootstrap(level), MaxBootstrap,
		fmt.Sprintf(" for %g%% percentile intervals", 100*level))
}

// Control lets a caller stop a long resampling loop and follow it. The
// zero value never stops and reports nothing.
type Control struct {
	// Context, when set, is checked every checkEvery iterations; once it
	// is done the procedure stops and returns its error.
	Context context.Context
	// Progress, when set, is called with the iterations done and the
	// total every checkEvery iterations and when the loop ends; calls never
	// overlap, even when several goroutines do the work.
	Progress func(done, total int)
}

// checkEvery is how many iterations pass between looks at the context and
// progress reports: a few milliseconds of work at most, so cancelling is
// prompt, and a negligible cost per iteration.
const checkEvery = 1024

// step is called at iteration done of total; it reports progress and says
// whether to stop. Loops call it when done%checkEvery == 0 and at the end.
func (c Control) step(done, total int) error {
	if c.Context != nil {
		if err := c.Context.Err(); err != nil {
			return err
		}
	}
	if c.Progress != nil {
		c.Progress(done, total)
	}
	return nil
}

// BootOptions configures BootstrapStat.
type BootOptions struct {
	// Reps is the number of resamples, from MinBootstrap(Level) to
	// MaxBootstrap.
	Reps int
	Seed uint64
	// Level is the confidence level; 0 means 0.95.
	Level float64
	Control
}

func (o BootOptions) level() float64 { return defaultLevel(o.Level) }

// Check reports whether the options are usable, naming what is wrong; the
// error wraps ErrReplications when Reps is out of range.
func (o BootOptions) Check() error {
	if err := checkLevel(o.Level); err != nil {
		return err
	}
	return checkBootstrap(o.Reps, o.level())
}

// BootStat is a statistic of the observations listed in rows (indices into
// the caller's data, repeated when a resample repeats them). It reports
// false when the statistic is undefined for those rows. rows is reused
// between calls and must not be kept; calls are made one at a time.
type BootStat func(rows []int) (float64, bool)

// BootstrapStat is the nonparametric bootstrap of any statistic of n
// observations: Reps resamples of n rows drawn with replacement (the seeded
// stream every procedure here uses), the percentile interval and the BCa
// interval with jackknife acceleration, read as boot::boot.ci does (see
// bootIntervals). Resamples where the statistic is undefined or not finite
// are left out and counted: Bootstrap.Used is the number kept. The
// statistic of all n rows must be defined.
func BootstrapStat(n int, stat BootStat, o BootOptions) (Bootstrap, error) {
	if err := o.Check(); err != nil {
		return Bootstrap{}, err
	}
	if n < 2 {
		return Bootstrap{}, fmt.Errorf("%w: the bootstrap needs at least 2 observations, got %d", ErrTooFew, n)
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	est, ok := stat(all)
	if !ok || math.IsNaN(est) || math.IsInf(est, 0) {
		return Bootstrap{}, fmt.Errorf("the statistic is undefined on the full sample of %d observations", n)
	}
	bs, err := resample(n, o.Reps, uniformRows(newSource(o.Seed)), []BootStat{stat}, []float64{est}, o.level(), o.Control)
	if err != nil {
		return Bootstrap{}, err
	}
	bs[0].Seed = o.Seed
	return bs[0], nil
}

// uniformRows draws a resample: each row uniform on 0..len(rows)-1.
func uniformRows(src *pcg) func(rows []int) {
	return func(rows []int) {
		for i := range rows {
			rows[i] = int(src.uintn(uint64(len(rows))))
		}
	}
}

// resample evaluates every statistic on the same reps resamples (draw fills
// each), then on the n leave-one-out samples for the BCa acceleration, and
// returns one Bootstrap per statistic (Seed left for the caller).
func resample(n, reps int, draw func(rows []int), stats []BootStat, ests []float64, level float64, ctl Control) ([]Bootstrap, error) {
	vals := make([][]float64, len(stats))
	for s := range vals {
		vals[s] = make([]float64, 0, reps)
	}
	rows := make([]int, n)
	for r := 0; r < reps; r++ {
		if r%checkEvery == 0 {
			if err := ctl.step(r, reps); err != nil {
				return nil, err
			}
		}
		draw(rows)
		for s, stat := range stats {
			if v, ok := stat(rows); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
				vals[s] = append(vals[s], v)
			}
		}
	}
	if err := ctl.step(reps, reps); err != nil {
		return nil, err
	}
	out := make([]Bootstrap, len(stats))
	jack := make([]float64, n)
	for s, stat := range stats {
		for i := range jack {
			rows = rows[:0]
			for j := 0; j < n; j++ {
				if j != i {
					rows = append(rows, j)
				}
			}
			v, ok := stat(rows)
			if !ok {
				v = math.NaN()
			}
			jack[i] = v
		}
		b := Bootstrap{Reps: reps, Used: len(vals[s]), Level: level}
		b.PercentLow, b.PercentHi, b.BCaLow, b.BCaHigh = bootIntervals(ests[s], vals[s], jackInfluence(ests[s], jack), level)
		out[s] = b
	}
	return out, nil
}

// jackInfluence turns leave-one-out estimates into empirical influence
// values L_i = (n−1)(t − t₍₋ᵢ₎), centred on the full-sample estimate t as
// boot::empinf(type = "jack") does (Efron's textbook version centres on the
// mean of the t₍₋ᵢ₎ instead; the two differ slightly).
func jackInfluence(est float64, jack []float64) []float64 {
	n := float64(len(jack))
	l := make([]float64, len(jack))
	for i, v := range jack {
		l[i] = (n - 1) * (est - v)
	}
	return l
}

// bootIntervals returns the percentile and BCa (Efron 1987) intervals. Both
// read quantiles the way boot::boot.ci does (Davison and Hinkley 1997,
// eq. 5.8): the (R+1)α-th order statistic, interpolated on the normal
// quantile scale when (R+1)α is not an integer. The BCa acceleration is
// Σ L³ / (6 (Σ L²)^1.5) from jackknife influence values L.
func bootIntervals(est float64, reps, infl []float64, level float64) (pLo, pHi, bLo, bHi float64) {
	nan := math.NaN()
	if len(reps) < 2 {
		return nan, nan, nan, nan
	}
	t := append([]float64(nil), reps...)
	sort.Float64s(t)
	alpha := [2]float64{(1 - level) / 2, (1 + level) / 2}
	pLo, pHi = normInter(t, alpha[0]), normInter(t, alpha[1])
	below := 0
	for _, v := range t {
		if v < est {
			below++
		}
	}
	z0 := distuv.UnitNormal.Quantile(float64(below) / float64(len(t)))
	var l2, l3 float64
	for _, l := range infl {
		l2 += l * l
		l3 += l * l * l
	}
	a := l3 / (6 * math.Pow(l2, 1.5))
	if math.IsInf(z0, 0) || math.IsNaN(a) {
		return pLo, pHi, nan, nan
	}
	adj := func(al float64) float64 {
		za := distuv.UnitNormal.Quantile(al)
		return distuv.UnitNormal.CDF(z0 + (z0+za)/(1-a*(z0+za)))
	}
	return pLo, pHi, normInter(t, adj(alpha[0])), normInter(t, adj(alpha[1]))
}

// normInter reads the α quantile of the sorted replicates t.
func normInter(t []float64, alpha float64) float64 {
	r := len(t)
	rk := float64(r+1) * alpha
	k := int(math.Trunc(rk))
	switch {
	case k <= 0:
		return t[0]
	case k >= r:
		return t[r-1]
	case float64(k) == rk:
		return t[k-1]
	}
	q := distuv.UnitNormal.Quantile
	z, zk, zk1 := q(alpha), q(float64(k)/float64(r+1)), q(float64(k+1)/float64(r+1))
	return t[k-1] + (z-zk)/(zk1-zk)*(t[k]-t[k-1])
}
