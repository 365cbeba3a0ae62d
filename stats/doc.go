// Package stats holds the estimators assay's studies use — correlations,
// proportions, the bootstrap of any statistic, least squares with robust and clustered standard errors, fixed-effects
// panels, Poisson pseudo-maximum likelihood, wild cluster bootstrap, power
// and multiple-testing adjustments — each validated against R or
// statsmodels (testdata/reference.R writes the golden values the tests read).
//
// Conventions, chosen to match the reference software and stated once here:
//
//   - Least squares uses a Householder QR of the (weighted) design, never the
//     normal equations. A column is collinear when the part of it not
//     explained by the columns before it has norm below RankTol times its own
//     norm (R's lm uses the same 1e-7 tolerance); collinearity is an error
//     naming the column, not a silently dropped coefficient.
//   - Rows with weight zero are dropped before fitting and do not count in n,
//     exactly as R's lm counts residual degrees of freedom.
//   - Every random procedure takes a seed and draws from math/rand/v2's PCG
//     seeded with (seed, seed^0x9e3779b97f4a7c15), so a seed gives the same
//     numbers on every machine and Go version that keeps PCG's definition.
//     Bounded integers (bootstrap rows, shuffles) use Lemire's unbiased
//     multiply-and-reject. Results never depend on how many goroutines ran.
//   - One quantile rule for every bootstrap interval (percentile and BCa,
//     of a correlation or of any statistic through BootstrapStat): boot.ci's
//     (Davison and Hinkley 1997, eq. 5.8), the (R+1)α-th order statistic of
//     the R usable replicates, interpolated on the normal quantile scale when
//     (R+1)α is not an integer.
//   - Replication counts have documented limits: MaxPermutations,
//     MaxBootstrap and MaxWild above, MinBootstrap(level) and MinWild(level)
//     below; a count outside them is an error wrapping ErrReplications.
//     Long loops take a Control (a context to stop them, a progress callback).
//   - Clustered standard errors are CR1: V = G/(G-1) · (N-1)/(N-K) · sandwich,
//     Stata's and sandwich::vcovCL(type = "HC1")'s correction, and inference
//     uses Student's t with G-1 degrees of freedom (min(G)-1 for two-way).
//
// See docs/stats.md for the full list of conventions.
package stats
