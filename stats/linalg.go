package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// lsFit is a weighted least-squares fit of y on the columns of X.
type lsFit struct {
	names  []string
	cols   [][]float64 // regressors, unweighted
	w      []float64   // nil for unit weights
	beta   []float64
	resid  []float64     // y - Xb, unweighted
	xtxInv *mat.SymDense // (X'WX)^-1, the bread of every sandwich
}

// leastSquares solves min Σ w_i (y_i - x_i'b)² by a Householder QR of
// diag(√w)X. with names the regressor that is collinear (see RankTol) and the
// columns it follows; collinearWith says what those columns are.
func leastSquares(names []string, cols [][]float64, y, w []float64, collinearWith string) (*lsFit, error) {
	n, k := len(y), len(cols)
	if k == 0 {
		return nil, fmt.Errorf("no regressors to estimate")
	}
	if n <= k {
		return nil, fmt.Errorf("%w: %d observations for %d parameters", ErrTooFew, n, k)
	}
	data := make([]float64, n*k) // row-major, as mat.Dense stores it
	yw := make([]float64, n)
	for i := 0; i < n; i++ {
		sw := 1.0
		if w != nil {
			sw = math.Sqrt(w[i])
		}
		yw[i] = sw * y[i]
		for j := 0; j < k; j++ {
			data[i*k+j] = sw * cols[j][i]
		}
	}
	a := mat.NewDense(n, k, data)
	var qr mat.QR
	qr.Factorize(a)
	var r mat.Dense
	qr.RTo(&r)
	for j := 0; j < k; j++ {
		norm := mat.Norm(a.ColView(j), 2)
		if math.Abs(r.At(j, j)) <= RankTol*norm || norm == 0 {
			with := collinearWith
			if j > 0 && with == "" {
				with = "earlier regressors"
			}
			if with == "" {
				with = "zero (the column is all zeros)"
			}
			return nil, &CollinearError{Term: names[j], With: with}
		}
	}
	var b mat.VecDense
	if err := qr.SolveVecTo(&b, false, mat.NewVecDense(n, yw)); err != nil {
		return nil, fmt.Errorf("least squares: %w", err)
	}
	rt := mat.NewTriDense(k, mat.Upper, nil)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			rt.SetTri(i, j, r.At(i, j))
		}
	}
	var rinv mat.TriDense
	if err := rinv.InverseTri(rt); err != nil {
		return nil, fmt.Errorf("least squares: inverting R: %w", err)
	}
	xtxInv := mat.NewSymDense(k, nil)
	xtxInv.SymOuterK(1, &rinv)
	f := &lsFit{names: names, cols: cols, w: w, beta: make([]float64, k), resid: make([]float64, n), xtxInv: xtxInv}
	for j := range f.beta {
		f.beta[j] = b.AtVec(j)
	}
	for i := 0; i < n; i++ {
		f.resid[i] = y[i] - f.xb(i)
	}
	return f, nil
}

func (f *lsFit) xb(i int) float64 {
	s := 0.0
	for j, c := range f.cols {
		s += c[i] * f.beta[j]
	}
	return s
}

func (f *lsFit) weight(i int) float64 {
	if f.w == nil {
		return 1
	}
	return f.w[i]
}

// rss is the weighted residual sum of squares.
func (f *lsFit) rss() float64 {
	s := 0.0
	for i, e := range f.resid {
		s += f.weight(i) * e * e
	}
	return s
}

// leverage is h_ii = w_i x_i'(X'WX)^-1 x_i.
func (f *lsFit) leverage(i int) float64 {
	k := len(f.cols)
	h := 0.0
	for a := 0; a < k; a++ {
		for b := 0; b < k; b++ {
			h += f.cols[a][i] * f.xtxInv.At(a, b) * f.cols[b][i]
		}
	}
	return f.weight(i) * h
}

// quadForm returns b'V^-1 b / len(b), the Wald F statistic of b = 0.
func waldF(b []float64, v mat.Symmetric) (float64, error) {
	q := len(b)
	var chol mat.Cholesky
	if !chol.Factorize(v) {
		return math.NaN(), fmt.Errorf("variance matrix is not positive definite")
	}
	var x mat.VecDense
	bv := mat.NewVecDense(q, append([]float64(nil), b...))
	if err := chol.SolveVecTo(&x, bv); err != nil {
		return math.NaN(), err
	}
	return mat.Dot(bv, &x) / float64(q), nil
}
