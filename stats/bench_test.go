package stats

import (
	"encoding/csv"
	"flag"
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
	writeBenchCSV(t, filepath.Join(*benchdata, "bench_corr.csv"), []string{"x", "y"}, len(a.x), func(i int) []string {
		return []string{f(a.x[i]), f(a.y[i])}
	})
	writeBenchCSV(t, filepath.Join(*benchdata, "bench_panel.csv"), []string{"unit", "year", "state", "y", "x1", "x2", "count", "logpop"}, len(a.py), func(i int) []string {
		return []string{strconv.Itoa(a.unit[i]), strconv.Itoa(a.year[i]), strconv.Itoa(a.state[i]), f(a.py[i]), f(a.x1[i]), f(a.x2[i]), f(a.cnt[i]), f(a.logpop[i])}
	})
}

func writeBenchCSV(t *testing.T, path string, header []string, n int, row func(int) []string) {
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(file)
	w.Write(header)
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

func BenchmarkPearsonPermutation100k(b *testing.B) {
	d := makeBenchSet()
	for b.Loop() {
		if _, err := Pearson(d.x, d.y, CorrOptions{Perm: 100000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFETwoWayClustered(b *testing.B) {
	d := makeBenchSet()
	design := d.panel(d.py)
	for b.Loop() {
		if _, err := FE(design, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPoissonFETwoWayClustered(b *testing.B) {
	d := makeBenchSet()
	design := d.panel(d.cnt)
	design.Offset = d.logpop
	for b.Loop() {
		if _, err := Poisson(design, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
