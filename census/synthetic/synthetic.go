// Package synthetic makes SYNTHETIC Census API responses, for tests only:
// B05006 (place of birth of the foreign-born: total, Central America,
// Mexico, El Salvador, Guatemala, Honduras) and B01003 (total population)
// for CBSAs, in two years, shaped exactly like what `assay fetch census`
// writes, so census.ReadFile and census.ReadDir read them.
//
// Every row's NAME starts with "SYNTHETIC " (census readers then set
// GeoValues.Synthetic) and every file name starts with "SYNTHETIC_".
// Nothing made here is data about any real place, whatever codes and
// titles the caller passes.
//
// The generator can plant a relationship: given a target value per CBSA
// (say the 2012-2017 change in a violent-crime rate) and a correlation r,
// the change in the NTCA-born share of the population between the two
// years correlates with the targets at r in expectation (the sample
// correlation varies around r by roughly (1-r²)/sqrt(n)).
package synthetic

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Metro is one CBSA to generate.
type Metro struct {
	Code   string
	Title  string  // "Alphaville, ZZ"; NAME becomes "SYNTHETIC Alphaville, ZZ Metro Area"
	Target float64 // what the NTCA share change is planted to correlate with
}

// Options configure a generation.
type Options struct {
	Seed    uint64
	Metros  []Metro
	R       float64 // planted correlation, in [-1, 1]
	Years   [2]int  // {2012, 2017} when zero
	Product string  // "acs1" (default) or "acs5": sets how large MOEs are
}

// File is one generated file.
type File struct {
	Name string
	Data []byte
}

// Truth is what was planted for one metro, for tests to check against.
type Truth struct {
	Code           string
	Share1, Share2 float64 // NTCA-born share of population in the two years
	Population     [2]float64
	NTCA           [2]float64
}

// Set is a generation's files and truth.
type Set struct {
	Files []File
	Truth []Truth
}

// The markers of synthetic rows (NAME) and files.
const (
	NamePrefix = "SYNTHETIC "
	FilePrefix = "SYNTHETIC_"
)

// line numbers of Total, Central America, Mexico, El Salvador, Guatemala
// and Honduras in B05006 by ACS year (shared/data/acs/PROVENANCE.md); the
// labels are the same every year, so readers that resolve by label find
// them whatever the year.
func lines(year int) ([6]int, error) {
	switch {
	case year >= 2009 && year <= 2011, year == 2013, year == 2014:
		return [6]int{1, 137, 138, 141, 142, 143}, nil
	case year == 2012:
		return [6]int{1, 136, 137, 140, 141, 142}, nil
	case year >= 2015 && year <= 2018:
		return [6]int{1, 138, 139, 142, 143, 144}, nil
	case year >= 2019 && year <= 2021:
		return [6]int{1, 144, 150, 147, 148, 149}, nil
	case year >= 2022 && year <= 2024:
		return [6]int{1, 154, 160, 157, 158, 159}, nil
	}
	return [6]int{}, fmt.Errorf("year %d: B05006 line numbers known for 2009-2024 only", year)
}

var labelPaths = [6][]string{
	{"Total"},
	{"Total", "Americas", "Latin America", "Central America"},
	{"Total", "Americas", "Latin America", "Central America", "Mexico"},
	{"Total", "Americas", "Latin America", "Central America", "El Salvador"},
	{"Total", "Americas", "Latin America", "Central America", "Guatemala"},
	{"Total", "Americas", "Latin America", "Central America", "Honduras"},
}

// label writes a label the way the API did that year: from 2019 every
// level that has lines below it ends in a colon (Total and Central America
// are such lines themselves).
func label(prefix string, path []string, year int) string {
	parts := append([]string{prefix}, path...)
	if year >= 2019 {
		last := len(parts) - 1
		if len(path) == 1 || path[len(path)-1] == "Central America" {
			last++
		}
		for i := 1; i < last; i++ {
			parts[i] += ":"
		}
	}
	return strings.Join(parts, "!!")
}

const cbsaColumn = "metropolitan statistical area/micropolitan statistical area"

// Generate makes the files for both years.
func Generate(opt Options) (*Set, error) {
	if opt.Years == [2]int{} {
		opt.Years = [2]int{2012, 2017}
	}
	if opt.Product == "" {
		opt.Product = "acs1"
	}
	if opt.Product != "acs1" && opt.Product != "acs5" {
		return nil, fmt.Errorf("product %q: want acs1 or acs5", opt.Product)
	}
	if opt.R < -1 || opt.R > 1 || math.IsNaN(opt.R) {
		return nil, fmt.Errorf("correlation %v outside [-1, 1]", opt.R)
	}
	if len(opt.Metros) < 3 {
		return nil, errors.New("need at least 3 metros to plant a correlation")
	}
	z, err := standardize(opt.Metros)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5EED))
	// sampling weight × design effect behind the MOEs: ACS 1-year samples
	// about 1 in 40 addresses a year, the 5-year five times as many.
	weight := 60.0
	if opt.Product == "acs5" {
		weight = 12
	}
	type metroDraw struct {
		pop    [2]float64
		counts [2][6]float64 // per year, in the order of labelPaths
		shares [2]float64    // planted NTCA shares
	}
	draws := make([]metroDraw, len(opt.Metros))
	for i := range opt.Metros {
		d := &draws[i]
		d.pop[0] = math.Round(clamp(math.Exp(12.5+rng.NormFloat64()), 70000, 2e7))
		d.pop[1] = math.Round(d.pop[0] * (1 + 0.035 + 0.03*rng.NormFloat64()))
		d.shares[0] = clamp(math.Exp(math.Log(0.008)+0.7*rng.NormFloat64()), 0.004, 0.08)
		// The planted part: the change is r·z plus independent noise, both
		// with unit variance, scaled to 0.1 percentage point.
		e := rng.NormFloat64()
		change := 0.001 * (opt.R*z[i] + math.Sqrt(1-opt.R*opt.R)*e)
		d.shares[1] = math.Max(d.shares[0]+change, 0.0001)
		w := [3]float64{0.5 * math.Exp(0.3*rng.NormFloat64()), 0.3 * math.Exp(0.3*rng.NormFloat64()), 0.2 * math.Exp(0.3*rng.NormFloat64())}
		mexShare := clamp(math.Exp(math.Log(0.04)+rng.NormFloat64()), 0.001, 0.4)
		otherShare := clamp(math.Exp(math.Log(0.08)+0.5*rng.NormFloat64()), 0.005, 0.3)
		for y, share := range d.shares {
			p := d.pop[y]
			ntca := math.Round(share * p)
			sv := math.Round(ntca * w[0] / (w[0] + w[1] + w[2]))
			gt := math.Round(ntca * w[1] / (w[0] + w[1] + w[2]))
			hn := ntca - sv - gt
			mex := math.Round(mexShare * p)
			ca := mex + ntca + math.Round(0.1*ntca)
			d.counts[y] = [6]float64{ca + math.Round(otherShare*p), ca, mex, sv, gt, hn}
		}
	}
	set := &Set{}
	for i, m := range opt.Metros {
		d := draws[i]
		t := Truth{Code: m.Code, Population: d.pop}
		for y := range 2 {
			t.NTCA[y] = d.counts[y][3] + d.counts[y][4] + d.counts[y][5]
		}
		t.Share1, t.Share2 = t.NTCA[0]/d.pop[0], t.NTCA[1]/d.pop[1]
		set.Truth = append(set.Truth, t)
	}
	for y, year := range opt.Years {
		ids, err := lines(year)
		if err != nil {
			return nil, err
		}
		b05006 := [][]string{{"NAME"}}
		vars := map[string]any{}
		for k, line := range ids {
			base := fmt.Sprintf("B05006_%03d", line)
			b05006[0] = append(b05006[0], base+"E", base+"M")
			vars[base+"E"] = variable(label("Estimate", labelPaths[k], year), "B05006")
			vars[base+"M"] = variable(label("Margin of Error", labelPaths[k], year), "B05006")
		}
		b05006[0] = append(b05006[0], cbsaColumn)
		b01003 := [][]string{{"NAME", "B01003_001E", "B01003_001M", cbsaColumn}}
		for i, m := range opt.Metros {
			name := NamePrefix + m.Title + " Metro Area"
			row := []string{name}
			for _, c := range draws[i].counts[y] {
				row = append(row, num(c), num(marginOfError(c, draws[i].pop[y], weight)))
			}
			b05006 = append(b05006, append(row, m.Code))
			b01003 = append(b01003, []string{name, num(draws[i].pop[y]), "-555555555", m.Code})
		}
		stem := fmt.Sprintf("%s%s_%d_", FilePrefix, opt.Product, year)
		popVars := map[string]any{"B01003_001E": variable(label("Estimate", labelPaths[0], year), "B01003"),
			"B01003_001M": variable(label("Margin of Error", labelPaths[0], year), "B01003")}
		for _, f := range []struct {
			name string
			v    any
		}{
			{stem + "B05006_cbsa.json", b05006},
			{stem + "B05006_variables.json", map[string]any{"variables": vars}},
			{stem + "B01003_cbsa.json", b01003},
			{stem + "B01003_variables.json", map[string]any{"variables": popVars}},
		} {
			b, err := json.Marshal(f.v)
			if err != nil {
				return nil, err
			}
			set.Files = append(set.Files, File{Name: f.name, Data: append(b, '\n')})
		}
	}
	return set, nil
}

func variable(label, group string) map[string]any {
	return map[string]any{"label": label, "group": group, "predicateType": "int",
		"concept": "SYNTHETIC test data, not a Census Bureau estimate"}
}

// marginOfError approximates a 90% margin of error for a count x in a population p:
// 1.645·sqrt(w·x·(1 − x/p)), with a floor for zero and tiny counts as the
// ACS publishes a positive MOE for a zero estimate. An approximation for
// realistic test data, not the Census Bureau's replicate-weight method.
func marginOfError(x, p, w float64) float64 {
	n := math.Max(x, 25)
	return math.Round(1.645 * math.Sqrt(w*n*math.Max(1-x/p, 0.01)))
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func clamp(v, lo, hi float64) float64 { return math.Min(math.Max(v, lo), hi) }

// standardize returns the targets as z-scores.
func standardize(ms []Metro) ([]float64, error) {
	var mean, sq float64
	for _, m := range ms {
		mean += m.Target
	}
	mean /= float64(len(ms))
	for _, m := range ms {
		sq += (m.Target - mean) * (m.Target - mean)
	}
	sd := math.Sqrt(sq / float64(len(ms)-1))
	if sd == 0 || math.IsNaN(sd) || math.IsInf(sd, 0) {
		return nil, errors.New("targets do not vary: no correlation can be planted")
	}
	z := make([]float64, len(ms))
	for i, m := range ms {
		z[i] = (m.Target - mean) / sd
	}
	return z, nil
}

// WriteDir writes the files into dir.
func (s *Set) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range s.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
