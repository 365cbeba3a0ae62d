package stats

import (
	"flag"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the testdata files Go generates for reference.R (then rerun it)")

// The resamples of TestBootstrapStatAgainstR: drawn by Go, replayed by R.
const (
	bootStatSeed = 2019
	bootStatReps = 199
)

// BootstrapStat against boot::boot.ci on the very resamples it draws: the
// test checks that the committed index file is what the seeded stream
// gives, and reference.R computed the intervals from that file.
func TestBootstrapStatAgainstR(t *testing.T) {
	const n = 12 // rows of synth_boot.csv
	draw := uniformRows(newSource(bootStatSeed))
	drawn := make([][]int, bootStatReps)
	for r := range drawn {
		drawn[r] = make([]int, n)
		draw(drawn[r])
	}
	path := filepath.Join("testdata", "boot_stat_indices.csv")
	if *update {
		writeIndices(t, path, drawn)
		t.Logf("wrote %s; now run Rscript stats/testdata/reference.R", path)
		return
	}
	if got := readIndices(t, path); !reflect.DeepEqual(got, drawn) {
		t.Fatalf("%s is not what the seeded stream draws; rerun with -update and reference.R", path)
	}
	c := readCSV(t, "synth_boot.csv")
	x, y1, y2 := c["x"], c["y1"], c["y2"]
	if len(x) != n {
		t.Fatalf("synth_boot.csv has %d rows, the index file is for %d", len(x), n)
	}
	var ref struct {
		Reps       int       `json:"reps"`
		Level      float64   `json:"level"`
		T0         float64   `json:"t0"`
		Used       int       `json:"used"`
		Percentile []float64 `json:"percentile"`
		BCa        []float64 `json:"bca"`
	}
	loadGolden(t).get(t, &ref, "boot_stat")
	pick := func(v []float64, rows []int) []float64 {
		out := make([]float64, len(rows))
		for i, r := range rows {
			out[i] = v[r]
		}
		return out
	}
	stat := func(rows []int) (float64, bool) {
		xs := pick(x, rows)
		r2, err2 := pearsonR(xs, pick(y2, rows))
		r1, err1 := pearsonR(xs, pick(y1, rows))
		return math.Abs(r2) - math.Abs(r1), err1 == nil && err2 == nil
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	t0, _ := stat(all)
	checkClose(t, "statistic on the full sample", t0, ref.T0, 1e-12)
	b, err := BootstrapStat(n, stat, BootOptions{Reps: ref.Reps, Seed: bootStatSeed, Level: ref.Level})
	if err != nil {
		t.Fatal(err)
	}
	if b.Reps != bootStatReps || b.Used != ref.Used || b.Used == b.Reps || b.Seed != bootStatSeed {
		t.Errorf("reps %d, used %d, seed %d; R used %d of %d (some must be unusable)", b.Reps, b.Used, b.Seed, ref.Used, bootStatReps)
	}
	checkClose(t, "percentile low", b.PercentLow, ref.Percentile[0], 1e-8)
	checkClose(t, "percentile high", b.PercentHi, ref.Percentile[1], 1e-8)
	checkClose(t, "BCa low", b.BCaLow, ref.BCa[0], 1e-8)
	checkClose(t, "BCa high", b.BCaHigh, ref.BCa[1], 1e-8)
}

func TestBootstrapStatErrors(t *testing.T) {
	ok := func(rows []int) (float64, bool) { return float64(rows[0]), true }
	tests := []struct {
		name string
		n    int
		stat BootStat
		o    BootOptions
	}{
		{"too few resamples", 10, ok, BootOptions{Reps: 39}},
		{"too many resamples", 10, ok, BootOptions{Reps: MaxBootstrap + 1}},
		{"one observation", 1, ok, BootOptions{Reps: 100}},
		{"undefined on the full sample", 10, func([]int) (float64, bool) { return 0, false }, BootOptions{Reps: 100}},
		{"infinite on the full sample", 10, func([]int) (float64, bool) { return math.Inf(1), true }, BootOptions{Reps: 100}},
		{"level above 1", 10, ok, BootOptions{Reps: 100, Level: 1.5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := BootstrapStat(tc.n, tc.stat, tc.o); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func writeIndices(t *testing.T, path string, idx [][]int) {
	writeTestCSV(t, path, nil, len(idx), func(r int) []string {
		rec := make([]string, len(idx[r]))
		for i, v := range idx[r] {
			rec[i] = strconv.Itoa(v)
		}
		return rec
	})
}

func readIndices(t *testing.T, path string) [][]int {
	recs := readRecords(t, path)
	out := make([][]int, len(recs))
	for r, rec := range recs {
		for _, cell := range rec {
			v, err := strconv.Atoi(cell)
			if err != nil {
				t.Fatalf("%s row %d: %v", path, r+1, err)
			}
			out[r] = append(out[r], v)
		}
	}
	return out
}
