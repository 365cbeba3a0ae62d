package stats

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// benchdata, when set, makes TestBenchData write the benchmark data sets as
// CSV so bench/compare.py can time statsmodels on exactly the same numbers.
var benchdata = flag.String("benchdata", "", "directory to write the SYNTHETIC benchmark CSVs into")

// benchSet is SYNTHETIC data for the benchmarks: 27 metro-like pairs and a
// balanced panel of 400 units × 19 years (units nested in 50 states).
type benchSet struct {
	x, y                    []float64
	unit, year, state       []int
	py, x1, x2, cnt, logpop []float64
}

func makeBenchSet() benchSet {
	src := newSource(2019)
	rng := rand.New(src)
	var b benchSet
	for i := 0; i < 27; i++ {
		x := rng.NormFloat64()
		b.x = append(b.x, x)
		b.y = append(b.y, 0.2*x+rng.NormFloat64())
	}
	ue, ye := make([]float64, 400), make([]float64, 19)
	pop := make([]float64, 400)
	for u := range ue {
		ue[u] = rng.NormFloat64()
		pop[u] = math.Log(5e4 + 5e6*rng.Float64())
	}
	for t := range ye {
		ye[t] = 0.5 * rng.NormFloat64()
	}
	for u := 0; u < 400; u++ {
		for t := 0; t < 19; t++ {
			x1 := rng.NormFloat64() + 0.5*ue[u]
			x2 := rng.NormFloat64() + ye[t]
			lp := pop[u] + 0.01*float64(t)
			b.unit, b.year, b.state = append(b.unit, u), append(b.year, 2000+t), append(b.state, u/8)
			b.x1, b.x2, b.logpop = append(b.x1, x1), append(b.x2, x2), append(b.logpop, lp)
			b.py = append(b.py, 0.4*x1-0.2*x2+ue[u]+ye[t]+rng.NormFloat64())
			lambda := math.Exp(-9 + lp + 0.2*x1 - 0.1*x2 + 0.3*ue[u] + 0.2*ye[t])
			b.cnt = append(b.cnt, distuv.Poisson{Lambda: lambda, Src: src}.Rand())
		}
	}
	return b
}

func (b benchSet) panel(y []float64) Design {
	return Design{Y: y, X: []Var{{"x1", b.x1}, {"x2", b.x2}},
		FE:      []Factor{NewFactor("unit", b.unit), NewFactor("year", b.year)},
		Cluster: []Factor{NewFactor("state", b.state)}}
}

func TestBenchData(t *testing.T) {
	a, b := makeBenchSet(), makeBenchSet()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("benchmark data differ between two generations from the same seed")
	}
	if len(a.x) != 27 || len(a.py) != 400*19 {
		t.Fatalf("sizes %d and %d, want 27 and 7600", len(a.x), len(a.py))
	}
	if *benchdata == "" {
		return
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	writeTestCSV(t, filepath.Join(*benchdata, "bench_corr.csv"), []string{"x", "y"}, len(a.x), func(i int) []string {
		return []string{f(a.x[i]), f(a.y[i])}
	})
	writeTestCSV(t, filepath.Join(*benchdata, "bench_panel.csv"), []string{"unit", "year", "state", "y", "x1", "x2", "count", "logpop"}, len(a.py), func(i int) []string {
		return []string{strconv.Itoa(a.unit[i]), strconv.Itoa(a.year[i]), strconv.Itoa(a.state[i]), f(a.py[i]), f(a.x1[i]), f(a.x2[i]), f(a.cnt[i]), f(a.logpop[i])}
	})
	for _, units := range agencyUnits {
		p := makeAgencyPanel(units, agencyYears)
		writeTestCSV(t, filepath.Join(*benchdata, fmt.Sprintf("bench_agency_%d.csv", units)), []string{"unit", "year", "state", "y", "x1", "x2"}, len(p.y), func(i int) []string {
			return []string{strconv.Itoa(p.unit[i]), strconv.Itoa(p.year[i]), strconv.Itoa(p.state[i]), f(p.y[i]), f(p.x1[i]), f(p.x2[i])}
		})
	}
}

// writeTestCSV writes n rows, after header unless it is nil.
func writeTestCSV(t *testing.T, path string, header []string, n int, row func(int) []string) {
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(file)
	if header != nil {
		w.Write(header)
	}
	for i := 0; i < n; i++ {
		w.Write(row(i))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
}

// benchLoop is a benchmark's loop: it calls op until the benchmark has its
// measurement, fails on an error, and adds CPU time per op ("cpu-ns/op").
func benchLoop(b *testing.B, op func() error) {
	done := cpuMeter(b)
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	done()
}

func BenchmarkPearsonPermutation100k(b *testing.B) {
	d := makeBenchSet()
	benchLoop(b, func() error {
		_, err := Pearson(d.x, d.y, CorrOptions{Perm: 100000, Seed: 1})
		return err
	})
}

func BenchmarkFETwoWayClustered(b *testing.B) {
	d := makeBenchSet()
	design := d.panel(d.py)
	benchLoop(b, func() error {
		_, err := FE(design, Options{})
		return err
	})
}

func BenchmarkPoissonFETwoWayClustered(b *testing.B) {
	d := makeBenchSet()
	design := d.panel(d.cnt)
	design.Offset = d.logpop
	benchLoop(b, func() error {
		_, err := Poisson(design, Options{})
		return err
	})
}

// corrSample is SYNTHETIC (x, y, w) of size n: n = 27 is the paper's metro
// sample, n = 304 the all-metros sample.
func corrSample(n int) (x, y, w []float64) {
	rng := rand.New(newSource(uint64(n)))
	x, y, w = make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
		y[i] = 0.2*x[i] + rng.NormFloat64()
		w[i] = math.Exp(rng.NormFloat64())
	}
	return x, y, w
}

// benchPerms is the multiverse's permutation count per data choice.
const benchPerms = 10000

// BenchmarkPermutations times 10,000 permutations at the sizes the
// multiverse sees: Pearson alone; Pearson, weighted Pearson and Spearman by
// three calls (each drawing its own permutations) and by one CorrelateAll
// (drawing each permutation once).
func BenchmarkPermutations(b *testing.B) {
	three := []CorrKind{CorrPearson, CorrWeightedPearson, CorrSpearman}
	for _, n := range []int{27, 304} {
		x, y, w := corrSample(n)
		serial := CorrOptions{Perm: benchPerms, Seed: 1}
		cases := []struct {
			name string
			op   func() error
		}{
			{"Pearson", func() error {
				_, err := Pearson(x, y, serial)
				return err
			}},
			{"three_separately", func() error {
				_, err1 := Pearson(x, y, serial)
				_, err2 := WeightedPearson(x, y, w, serial)
				_, err3 := Spearman(x, y, serial)
				return errors.Join(err1, err2, err3)
			}},
			{"three_CorrelateAll", func() error {
				_, err := CorrelateAll(x, y, w, three, serial)
				return err
			}},
		}
		for _, c := range cases {
			b.Run(fmt.Sprintf("n=%d/%s", n, c.name), func(b *testing.B) {
				benchLoop(b, c.op)
				b.ReportMetric(float64(b.N)*benchPerms/b.Elapsed().Seconds(), "perms/s")
			})
		}
	}
}

// BenchmarkKendallPermutation times Kendall's permutation test at the
// all-metros size; ns/perm is the cost of one permutation.
func BenchmarkKendallPermutation(b *testing.B) {
	const perms = 1000
	x, y, _ := corrSample(304)
	benchLoop(b, func() error {
		_, err := Kendall(x, y, CorrOptions{Perm: perms, Seed: 1})
		return err
	})
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*perms), "ns/perm")
}

// agencyPanel is a SYNTHETIC agency-year panel: 18,000 units (in 50 states)
// over 33 years, with about 3% of unit-years missing at random, so the panel
// is a little unbalanced and the within transformation needs iterating.
type agencyPanel struct {
	unit, year, state []int
	y, x1, x2         []float64
}

func makeAgencyPanel(units, years int) agencyPanel {
	rng := rand.New(newSource(33))
	ue, ye := make([]float64, units), make([]float64, years)
	for u := range ue {
		ue[u] = rng.NormFloat64()
	}
	for t := range ye {
		ye[t] = rng.NormFloat64()
	}
	var p agencyPanel
	for u := 0; u < units; u++ {
		for t := 0; t < years; t++ {
			if rng.Float64() < 0.03 {
				continue
			}
			x1 := rng.NormFloat64() + 0.5*ue[u]
			x2 := rng.NormFloat64() + 0.3*ye[t]
			p.unit, p.year, p.state = append(p.unit, u), append(p.year, 1990+t), append(p.state, u%50)
			p.x1, p.x2 = append(p.x1, x1), append(p.x2, x2)
			p.y = append(p.y, 0.4*x1-0.2*x2+ue[u]+ye[t]+rng.NormFloat64())
		}
	}
	return p
}

func (p agencyPanel) design() Design {
	return Design{YName: "y", Y: p.y, X: []Var{{"x1", p.x1}, {"x2", p.x2}},
		FE:      []Factor{NewFactor("unit", p.unit), NewFactor("year", p.year)},
		Cluster: []Factor{NewFactor("state", p.state)}}
}

// The agency panels: 18,000 units is agency scale (about 576,000 rows);
// 300 units (about 9,600 rows) is small enough for statsmodels to fit with
// unit and year dummies (bench/compare_fe.py).
var agencyUnits = []int{300, 18000}

const agencyYears = 33

// BenchmarkFEAgencyPanel fits two-way fixed effects with state-clustered
// standard errors on the agency panels.
func BenchmarkFEAgencyPanel(b *testing.B) {
	for _, units := range agencyUnits {
		d := makeAgencyPanel(units, agencyYears).design()
		b.Run(fmt.Sprintf("units=%d", units), func(b *testing.B) {
			benchLoop(b, func() error {
				_, err := FE(d, Options{})
				return err
			})
		})
	}
}
