package stats

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

// Alternating projections stop when one sweep over all factors moves no
// value by more than demeanTol times the column's largest magnitude.
const (
	demeanTol     = 1e-13
	demeanMaxIter = 100000
)

// demeaner absorbs fixed effects by the method of alternating projections
// (Gaure 2013): subtract each factor's weighted group means in turn until
// nothing changes. One factor takes a single sweep; a balanced two-way panel
// takes two; unbalanced panels take more.
type demeaner struct {
	fes []Factor
	w   []float64
	inv [][]float64 // 1 / Σw per level of each factor
}

func newDemeaner(fes []Factor, w []float64) *demeaner {
	dm := &demeaner{fes: fes, w: w}
	for _, f := range fes {
		s := make([]float64, f.Levels)
		for i, c := range f.Codes {
			s[c] += weightAt(w, i)
		}
		for l := range s {
			s[l] = 1 / s[l]
		}
		dm.inv = append(dm.inv, s)
	}
	return dm
}

// demean returns v minus its projection on the fixed effects, and the
// number of sweeps it took.
func (dm *demeaner) demean(name string, v []float64) ([]float64, int, error) {
	x := append([]float64(nil), v...)
	scale := 0.0
	for _, a := range v {
		scale = math.Max(scale, math.Abs(a))
	}
	if scale == 0 {
		return x, 0, nil
	}
	means := make([][]float64, len(dm.fes))
	for j, f := range dm.fes {
		means[j] = make([]float64, f.Levels)
	}
	for it := 1; it <= demeanMaxIter; it++ {
		moved := 0.0
		for j, f := range dm.fes {
			m := means[j]
			clear(m)
			for i, c := range f.Codes {
				m[c] += weightAt(dm.w, i) * x[i]
			}
			for l := range m {
				m[l] *= dm.inv[j][l]
				moved = math.Max(moved, math.Abs(m[l]))
			}
			for i, c := range f.Codes {
				x[i] -= m[c]
			}
		}
		if moved <= demeanTol*scale || len(dm.fes) == 1 {
			return x, it, nil
		}
	}
	return nil, demeanMaxIter, fmt.Errorf("absorbing fixed effects from %s did not converge in %d sweeps", name, demeanMaxIter)
}

// demeanAll demeans each column, concurrently; the columns are independent,
// so the results are those of demean one at a time. It returns the most
// sweeps a column took, and the error of the first column that failed.
func (dm *demeaner) demeanAll(names []string, cols [][]float64) ([][]float64, int, error) {
	if len(cols) == 0 {
		return nil, 0, nil
	}
	out := make([][]float64, len(cols))
	iters := make([]int, len(cols))
	errs := make([]error, len(cols))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for j := range cols {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[j], iters[j], errs[j] = dm.demean(names[j], cols[j])
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, 0, err
		}
	}
	return out, slices.Max(iters), nil
}

// absorb demeans the outcome y and the regressors and returns them with
// the most sweeps a column took; a regressor the fixed effects absorb is a
// CollinearError.
func (dm *demeaner) absorb(yName string, y []float64, names []string, raw [][]float64) ([]float64, [][]float64, int, error) {
	all, iters, err := dm.demeanAll(append([]string{yName}, names...), append([][]float64{y}, raw...))
	if err != nil {
		return nil, nil, 0, err
	}
	for j, c := range all[1:] {
		if wnorm(c, dm.w) <= RankTol*wnorm(raw[j], dm.w) {
			return nil, nil, 0, &CollinearError{Term: names[j], With: "the fixed effects"}
		}
	}
	return all[0], all[1:], iters, nil
}

// absorbedDF counts the parameters the fixed effects use up. For one or two
// factors the count is exact: levels, or L1 + L2 minus the number of
// connected components of the bipartite graph the observations draw between
// them (Abowd, Creecy and Kramarz 2002). Each further factor counts its
// levels minus one, which can overstate the count (reghdfe's conservative
// default); a note says so.
func absorbedDF(fes []Factor) (int, []string) {
	if len(fes) == 0 {
		return 0, nil
	}
	df := fes[0].Levels
	if len(fes) >= 2 {
		df += fes[1].Levels - components(fes[0], fes[1])
	}
	var notes []string
	for _, f := range fes[min(2, len(fes)):] {
		df += f.Levels - 1
		notes = append(notes, fmt.Sprintf("fixed effect %s counted as %d parameters (levels minus one); with more than two fixed effects the count may overstate the absorbed degrees of freedom", f.Name, f.Levels-1))
	}
	return df, notes
}

// components counts connected components of the graph whose nodes are the
// levels of a and b, joined when an observation has both.
func components(a, b Factor) int {
	parent := make([]int, a.Levels+b.Levels)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	comps := len(parent)
	for i := range a.Codes {
		ra, rb := find(a.Codes[i]), find(a.Levels+b.Codes[i])
		if ra != rb {
			parent[ra] = rb
			comps--
		}
	}
	return comps
}

// singletons counts observations alone in a level of some fixed effect.
// They are kept (as fixest and lm do); their residual is zero.
func singletons(fes []Factor) int {
	if len(fes) == 0 {
		return 0
	}
	sizes := make([][]int, len(fes))
	for j, f := range fes {
		sizes[j] = make([]int, f.Levels)
		for _, c := range f.Codes {
			sizes[j][c]++
		}
	}
	n := 0
	for i := range fes[0].Codes {
		for j, f := range fes {
			if sizes[j][f.Codes[i]] == 1 {
				n++
				break
			}
		}
	}
	return n
}
