package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// sandwichInput is what every variance estimator needs from a fit: the
// bread (inverse Hessian), each observation's score, and the leverages when
// HC2/HC3 are asked for.
type sandwichInput struct {
	bread    *mat.SymDense
	n        int
	score    func(i int, dst []float64)
	leverage func(i int) float64 // nil when unavailable (absorbed fixed effects)
}

func lsSandwich(f *lsFit) sandwichInput {
	return sandwichInput{
		bread: f.xtxInv,
		n:     len(f.resid),
		score: func(i int, dst []float64) {
			we := f.weight(i) * f.resid[i]
			for j, c := range f.cols {
				dst[j] = we * c[i]
			}
		},
		leverage: f.leverage,
	}
}

// vcovSpec says which variance to compute and with which small-sample
// constants. dfResid is N minus every estimated parameter (absorbed fixed
// effects included): σ² = RSS/dfResid, and HC1 scales by N/dfResid. kCluster
// is the K of CR1's (N-1)/(N-K), where fixed effects nested in a cluster are
// not counted (see FE).
type vcovSpec struct {
	se       SEType
	lag      int     // for HAC
	sigma2   float64 // for IID; ignored otherwise
	dfResid  float64
	kCluster float64
	clusters []Factor
}

// vcov returns the variance matrix, the degrees of freedom for t inference
// and any notes worth showing the reader.
func vcov(in sandwichInput, s vcovSpec) (*mat.SymDense, float64, []string, error) {
	k := in.bread.SymmetricDim()
	n := float64(in.n)
	switch s.se {
	case IID:
		v := mat.NewSymDense(k, nil)
		v.ScaleSym(s.sigma2, in.bread)
		return v, s.dfResid, nil, nil
	case HC0, HC1, HC2, HC3:
		if (s.se == HC2 || s.se == HC3) && in.leverage == nil {
			return nil, 0, nil, fmt.Errorf("%s needs leverages, which are not available with absorbed fixed effects; use HC1 or clusters", s.se)
		}
		meat := mat.NewSymDense(k, nil)
		sc := make([]float64, k)
		var notes []string
		// Counted rather than listed: i indexes the rows left after
		// zero-weight rows were dropped, not the caller's (Influence gives
		// every observation's leverage in the caller's order).
		lev1 := 0
		for i := 0; i < in.n; i++ {
			in.score(i, sc)
			a := 1.0
			if s.se == HC2 || s.se == HC3 {
				h := in.leverage(i)
				if h >= 1-1e-10 {
					lev1++
					continue
				}
				a = 1 / (1 - h)
				if s.se == HC3 {
					a *= a
				}
			}
			meat.SymRankOne(meat, a, mat.NewVecDense(k, sc))
		}
		if lev1 > 0 {
			notes = append(notes, fmt.Sprintf("%d observation(s) with leverage 1: their %s terms are undefined and left out", lev1, s.se))
		}
		v := sandwich(in.bread, meat)
		if s.se == HC1 {
			v.ScaleSym(n/s.dfResid, v)
		}
		return v, s.dfResid, notes, nil
	case CR1:
		return vcovCluster(in, s)
	case HAC:
		meat, err := hacMeat(in, s.lag)
		if err != nil {
			return nil, 0, nil, err
		}
		return sandwich(in.bread, meat), s.dfResid, nil, nil
	}
	return nil, 0, nil, fmt.Errorf("unknown standard-error type %q (want iid, HC0, HC1, HC2, HC3, HAC or CR1)", s.se)
}

func vcovCluster(in sandwichInput, s vcovSpec) (*mat.SymDense, float64, []string, error) {
	k := in.bread.SymmetricDim()
	n := float64(in.n)
	switch len(s.clusters) {
	case 0:
		return nil, 0, nil, fmt.Errorf("CR1 standard errors need a cluster variable")
	case 1, 2:
	default:
		return nil, 0, nil, fmt.Errorf("at most two-way clustering is supported, got %d cluster variables", len(s.clusters))
	}
	type part struct {
		f    Factor
		sign float64
	}
	parts := []part{{s.clusters[0], 1}}
	minG := s.clusters[0].Levels
	if len(s.clusters) == 2 {
		parts = append(parts, part{s.clusters[1], 1}, part{intersect(s.clusters[0], s.clusters[1]), -1})
		minG = min(minG, s.clusters[1].Levels)
	}
	if minG < 2 {
		return nil, 0, nil, fmt.Errorf("clustered standard errors need at least 2 clusters, %s has %d", s.clusters[0].Name, minG)
	}
	meat := mat.NewSymDense(k, nil)
	sc := make([]float64, k)
	for _, p := range parts {
		g := p.f.Levels
		sums := make([]float64, g*k)
		for i := 0; i < in.n; i++ {
			in.score(i, sc)
			row := sums[p.f.Codes[i]*k : (p.f.Codes[i]+1)*k]
			for j, x := range sc {
				row[j] += x
			}
		}
		adj := p.sign
		if g > 1 {
			adj *= float64(g) / float64(g-1)
		}
		for c := 0; c < g; c++ {
			meat.SymRankOne(meat, adj, mat.NewVecDense(k, sums[c*k:(c+1)*k]))
		}
	}
	v := sandwich(in.bread, meat)
	v.ScaleSym((n-1)/(n-s.kCluster), v)
	var notes []string
	if len(s.clusters) == 2 {
		fixed, err := clipNegativeEigen(v)
		if err != nil {
			return nil, 0, nil, err
		}
		if fixed {
			notes = append(notes, "two-way clustered variance was not positive semi-definite; negative eigenvalues set to zero (Cameron, Gelbach and Miller 2011)")
		}
	}
	return v, float64(minG - 1), notes, nil
}

// sandwich returns B M B.
func sandwich(bread, meat *mat.SymDense) *mat.SymDense {
	var bm, bmb mat.Dense
	bm.Mul(bread, meat)
	bmb.Mul(&bm, bread)
	k := bread.SymmetricDim()
	v := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			v.SetSym(i, j, (bmb.At(i, j)+bmb.At(j, i))/2)
		}
	}
	return v
}

// clipNegativeEigen replaces v by its projection on the positive
// semi-definite cone when it has a negative eigenvalue, and says whether it
// did. sandwich::vcovCL(fix = TRUE) does the same; a matrix that is already
// PSD is left exactly as it is.
func clipNegativeEigen(v *mat.SymDense) (bool, error) {
	var es mat.EigenSym
	if !es.Factorize(v, true) {
		return false, fmt.Errorf("eigen-decomposition of the two-way clustered variance failed")
	}
	vals := es.Values(nil)
	neg := false
	for i, l := range vals {
		if l < 0 {
			neg = true
			vals[i] = 0
		}
	}
	if !neg {
		return false, nil
	}
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	k := len(vals)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			s := 0.0
			for l := 0; l < k; l++ {
				s += vecs.At(i, l) * vals[l] * vecs.At(j, l)
			}
			v.SetSym(i, j, s)
		}
	}
	return true, nil
}

// seFromVcov returns the square roots of the diagonal.
func seFromVcov(v mat.Symmetric) []float64 {
	k := v.SymmetricDim()
	se := make([]float64, k)
	for j := range se {
		se[j] = math.Sqrt(math.Max(v.At(j, j), 0))
	}
	return se
}
