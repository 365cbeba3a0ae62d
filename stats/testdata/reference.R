# Reference values for package stats, computed with R and its packages.
#
# Regenerate (from the repository root; needs r-base-core r-cran-sandwich
# r-cran-lmtest r-cran-plm r-cran-boot r-cran-jsonlite):
#
#     Rscript stats/testdata/reference.R
#
# It (1) writes the SYNTHETIC data sets synth_*.csv from a fixed seed, rounded
# so the text in the CSV is the data both R and Go read, (2) reads them back,
# with boot_stat_indices.csv, the bootstrap resamples Go draws (regenerate it
# first with `go test ./stats -run TestBootstrapStatAgainstR -update`), and
# (3) writes golden.json with the estimates, standard errors, p-values,
# intervals and the R/package versions. The Go tests compare against
# golden.json (1e-8 relative, 1e-6 for iterative estimators). The CSVs are
# invented numbers, not real data.

suppressPackageStartupMessages({
  library(sandwich); library(lmtest); library(plm); library(boot); library(jsonlite)
})
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
setwd(here)
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(20190101)

w <- function(df, name) write.csv(df, name, row.names = FALSE, quote = FALSE)
rd <- function(name) read.csv(name)

# ---- SYNTHETIC data --------------------------------------------------------
n <- 27
x <- rnorm(n); y <- 0.3 * x + rnorm(n)
w(data.frame(id = 1:n, x = round(x, 4), y = round(y, 4),
             w = c(0, round(runif(n - 2, 0.5, 3), 3), 0),
             xt = round(x * 2) / 2, yt = round(y)), "synth_corr.csv")
w(data.frame(x = round(rnorm(8), 3), y = round(rnorm(8), 3)), "synth_small.csv")

n <- 60
x1 <- rnorm(n); x2 <- rnorm(n); x3 <- sample(0:4, n, TRUE)
g <- c(rep(1:12, each = 5)[1:58], 13, 14)          # two singleton clusters
h <- sample(1:5, n, TRUE)
e <- rnorm(n) * (1 + abs(x1)) + rnorm(12)[pmin(g, 12)]
ww <- round(runif(n, 0.2, 2), 3); ww[c(5, 17, 44)] <- 0
w(data.frame(y = round(1 + 0.5 * x1 - 0.25 * x2 + 0.1 * x3 + e, 4),
             x1 = round(x1, 4), x2 = round(x2, 4), x3 = x3, w = ww, g = g, h = h,
             const = 3, xcol = round(x1, 4) + 2 * round(x2, 4)), "synth_ols.csv")

units <- 30; years <- 2010:2017
p <- expand.grid(year = years, unit = 1:units)[, c("unit", "year")]
p$state <- (p$unit - 1) %/% 4 + 1                     # units nested in 8 states
ue <- rnorm(units); ye <- rnorm(length(years))
p$x1 <- round(rnorm(nrow(p)) + 0.5 * ue[p$unit], 4)
p$x2 <- round(rnorm(nrow(p)) + 0.3 * ye[p$year - 2009], 4)
p$y <- round(0.4 * p$x1 - 0.2 * p$x2 + ue[p$unit] + ye[p$year - 2009] + rnorm(nrow(p)), 4)
p$logpop <- round(log(runif(units, 5e4, 5e6))[p$unit] + 0.01 * (p$year - 2010), 6)
p$count <- rpois(nrow(p), exp(-9 + p$logpop + 0.2 * p$x1 - 0.1 * p$x2 + 0.3 * ue[p$unit]))
p$count[p$unit == 7] <- 0                            # a unit with no events
p$wt <- round(runif(nrow(p), 0.5, 2), 3); p$wt[c(3, 50)] <- 0
keep <- runif(nrow(p)) > 0.15                        # unbalanced
keep[p$unit == 30] <- p$year[p$unit == 30] == 2013   # a singleton unit
w(p[keep, ], "synth_panel.csv")

n <- 48; gw <- rep(1:8, times = c(2, 3, 4, 5, 6, 7, 9, 12))
xw <- rnorm(n) + rnorm(8)[gw]; zw <- rnorm(n)
w(data.frame(y = round(0.15 * xw + 0.5 * zw + rnorm(8)[gw] + rnorm(n), 4),
             x = round(xw, 4), z = round(zw, 4), g = gw, f = rep(1:4, 12)), "synth_wild.csv")

# A sample whose x is mostly one value, so that some bootstrap resamples have
# a constant x and an undefined statistic. Its own seed leaves the data sets
# above as they were before it was added.
set.seed(20190102)
xb <- c(0, 0, 1.5, 0, 0, 0, 2.25, 0, 0, 0, 0.5, 0)
w(data.frame(x = xb, y1 = round(0.5 * xb + rnorm(12), 3), y2 = round(-0.3 * xb + rnorm(12), 3)), "synth_boot.csv")

# ---- helpers ----------------------------------------------------------------
coefs <- function(b, V, df, level = 0.95, terms = names(b)) {
  se <- sqrt(diag(V))[terms]; b <- b[terms]
  stat <- b / se
  p <- if (is.infinite(df)) 2 * pnorm(-abs(stat)) else 2 * pt(-abs(stat), df)
  q <- if (is.infinite(df)) qnorm(1 - (1 - level) / 2) else qt(1 - (1 - level) / 2, df)
  list(term = unname(terms), estimate = unname(b), se = unname(se), stat = unname(stat),
       p = unname(p), ci_low = unname(b - q * se), ci_high = unname(b + q * se),
       df = if (is.infinite(df)) 0 else df)
}
out <- list()

# ---- correlations -------------------------------------------------------------
d <- rd("synth_corr.csv"); pos <- d$w > 0
ct <- function(x, y, method) {
  r <- suppressWarnings(cor.test(x, y, method = method, exact = FALSE))
  list(estimate = unname(r$estimate), stat = unname(r$statistic), p = r$p.value,
       ci = if (is.null(r$conf.int)) NULL else as.numeric(r$conf.int))
}
fz <- function(r, se) tanh(atanh(r) + c(-1, 1) * qnorm(0.975) * se)
for (v in list(c("x", "y"), c("xt", "yt"))) {
  X <- d[[v[1]]]; Y <- d[[v[2]]]; nn <- length(X); key <- paste0(v[1], "_", v[2])
  pe <- ct(X, Y, "pearson"); sp <- ct(X, Y, "spearman"); ke <- ct(X, Y, "kendall")
  sp$ci <- fz(sp$estimate, sqrt((1 + sp$estimate^2 / 2) / (nn - 3)))
  ke$ci <- fz(ke$estimate, sqrt(0.437 / (nn - 4)))
  out[[paste0("pearson_", key)]] <- pe
  out[[paste0("spearman_", key)]] <- sp
  out[[paste0("kendall_", key)]] <- ke
}
wc <- cov.wt(cbind(d$x, d$y)[pos, ], wt = d$w[pos] / sum(d$w[pos]), cor = TRUE)$cor[1, 2]
wl <- summary(lm(y ~ x, data = d, weights = w))$coefficients["x", ]
out$weighted_pearson <- list(estimate = wc, stat = unname(wl["t value"]), p = unname(wl["Pr(>|t|)"]),
                             ci = fz(wc, 1 / sqrt(sum(pos) - 3)), n = sum(pos))

# Exact permutation p-values over all 8! orderings.
s <- rd("synth_small.csv")
perms <- function(v) {
  if (length(v) == 1) return(matrix(v, 1))
  do.call(rbind, lapply(seq_along(v), function(i) cbind(v[i], perms(v[-i]))))
}
P <- perms(1:8)
permp <- function(stat) {
  obs <- abs(stat(s$y)); tol <- 1e-10 * max(1, obs)
  mean(apply(P, 1, function(o) abs(stat(s$y[o])) >= obs - tol))
}
out$perm_exact <- list(
  pearson = permp(function(yy) cor(s$x, yy)),
  spearman = permp(function(yy) cor(rank(s$x), rank(yy))),
  kendall = permp(function(yy) cor(s$x, yy, method = "kendall")),
  reps = nrow(P))

# Bootstrap intervals from R's own resamples (boot.ci with jackknife influence).
set.seed(7)
b <- boot(d[, c("x", "y")], function(dd, i) cor(dd$x[i], dd$y[i]), R = 199)
ci <- boot.ci(b, conf = 0.9, type = c("perc", "bca"), L = empinf(b, type = "jack"))
out$boot <- list(indices = boot.array(b, indices = TRUE) - 1L, level = 0.9, t0 = b$t0,
                 percentile = ci$percent[4:5], bca = ci$bca[4:5])

# BootstrapStat: resamples drawn by Go (the seeded PCG stream), written by
# `go test ./stats -run TestBootstrapStatAgainstR -update` to
# boot_stat_indices.csv (0-based, one resample a row), read here, and fed to
# boot.ci through a boot object whose replicates are replaced by the
# statistic on those resamples. The statistic is the difference of two
# absolute correlations; NA when a resample's x is constant (boot.ci drops
# non-finite replicates, as Go counts them out of Used).
bd <- rd("synth_boot.csv")
bidx <- as.matrix(read.csv("boot_stat_indices.csv", header = FALSE)) + 1L
bstat <- function(dd, i) {
  x <- dd$x[i]
  if (var(x) == 0) return(NA_real_)
  abs(cor(x, dd$y2[i])) - abs(cor(x, dd$y1[i]))
}
set.seed(8)
bb <- boot(bd, bstat, R = nrow(bidx))
bb$t <- matrix(apply(bidx, 1, function(i) bstat(bd, i)), ncol = 1)
bci <- boot.ci(bb, conf = 0.9, type = c("perc", "bca"), L = empinf(bb, type = "jack"))
out$boot_stat <- list(reps = nrow(bidx), level = 0.9, t0 = bb$t0, used = sum(is.finite(bb$t)),
                      percentile = bci$percent[4:5], bca = bci$bca[4:5])

# ---- proportions: Wilson (prop.test without continuity correction) and
# Clopper-Pearson (binom.test), the ends k = 0 and k = n included.
pk <- c(0, 10, 3, 1, 0, 27, 5, 13, 150, 1, 303)
pn <- c(10, 10, 10, 1, 1, 27, 27, 27, 304, 304, 304)
pl <- c(0.95, 0.95, 0.95, 0.9, 0.95, 0.99, 0.95, 0.8, 0.95, 0.999, 0.95)
wil <- t(mapply(function(k, n, l) suppressWarnings(prop.test(k, n, correct = FALSE, conf.level = l))$conf.int, pk, pn, pl))
cp <- t(mapply(function(k, n, l) binom.test(k, n, conf.level = l)$conf.int, pk, pn, pl))
out$proportions <- list(k = pk, n = pn, level = pl, wilson_low = wil[, 1], wilson_high = wil[, 2],
                        cp_low = cp[, 1], cp_high = cp[, 2])

# ---- OLS / WLS ------------------------------------------------------------------
o <- rd("synth_ols.csv"); N <- nrow(o)
m <- lm(y ~ x1 + x2 + x3, data = o); k <- 4; sm <- summary(m)
fit <- function(m, sm) list(r2 = sm$r.squared, adj_r2 = sm$adj.r.squared,
                            f = unname(sm$fstatistic[1]), rss = sum(weighted.residuals(m)^2))
out$ols <- list(
  iid = coefs(coef(m), vcov(m), N - k), fit = fit(m, sm),
  HC0 = coefs(coef(m), vcovHC(m, "HC0"), N - k), HC1 = coefs(coef(m), vcovHC(m, "HC1"), N - k),
  HC2 = coefs(coef(m), vcovHC(m, "HC2"), N - k), HC3 = coefs(coef(m), vcovHC(m, "HC3"), N - k),
  CR1 = coefs(coef(m), vcovCL(m, cluster = ~g, type = "HC1"), 14 - 1),
  CR1_wald_f = unname(waldtest(m, vcov = vcovCL(m, cluster = ~g, type = "HC1"), test = "F")$F[2]),
  CR1_twoway = coefs(coef(m), vcovCL(m, cluster = ~g + h, type = "HC1", fix = TRUE), 5 - 1),
  CR1_twoway_nofix = coefs(coef(m), vcovCL(m, cluster = ~g + h, type = "HC1", fix = FALSE), 5 - 1))
mw <- lm(y ~ x1 + x2 + x3, data = o, weights = w); smw <- summary(mw); Nw <- sum(o$w > 0)
# lm leaves zero-weight rows out of the residual df, but sandwich counts them
# in n (and its HC2/HC3 misalign them), so the robust references use the
# positive-weight rows, whose lm fit is identical.
ow <- o[o$w > 0, ]; mwp <- lm(y ~ x1 + x2 + x3, data = ow, weights = w)
stopifnot(isTRUE(all.equal(coef(mw), coef(mwp), tolerance = 1e-12)))
out$wls <- list(iid = coefs(coef(mw), vcov(mw), Nw - k), fit = fit(mw, smw), n = Nw,
                HC1 = coefs(coef(mwp), vcovHC(mwp, "HC1"), Nw - k),
                HC3 = coefs(coef(mwp), vcovHC(mwp, "HC3"), Nw - k),
                CR1 = coefs(coef(mwp), vcovCL(mwp, cluster = ~g, type = "HC1"), length(unique(ow$g)) - 1))
m0 <- lm(y ~ 0 + x1 + x2, data = o); sm0 <- summary(m0)
out$ols_noint <- list(iid = coefs(coef(m0), vcov(m0), N - 2), fit = fit(m0, sm0))
out$aliased <- list(collinear = names(which(is.na(coef(lm(y ~ x1 + x2 + xcol, data = o))))),
                    constant = names(which(is.na(coef(lm(y ~ x1 + const, data = o))))))
inf <- influence.measures(m)
out$influence <- list(dfbeta = unname(dfbeta(m)), cook = unname(cooks.distance(m)), hat = unname(hatvalues(m)))
infw <- lm.influence(mw)
out$influence_w <- list(dfbeta = unname(dfbeta(mw)), cook = unname(cooks.distance(mw)),
                        rows = which(o$w > 0) - 1L)

# ---- panels ---------------------------------------------------------------------
p <- rd("synth_panel.csv"); p$fu <- factor(p$unit); p$fy <- factor(p$year); N <- nrow(p)
U <- nlevels(p$fu); Y <- nlevels(p$fy); S <- length(unique(p$state))
within_stats <- function(m, m0) {
  list(r2 = summary(m)$r.squared, adj_r2 = summary(m)$adj.r.squared,
       within_r2 = 1 - sum(weighted.residuals(m)^2) / sum(weighted.residuals(m0)^2),
       f = anova(m0, m)$F[2], rss = sum(weighted.residuals(m)^2))
}
# fix = FALSE: with the effects entered as dummies the full two-way matrix is
# not PSD, and clipping it would change the slope block; Go clips only the
# slope block (here already PSD), as the effects are not reported.
cl_nested <- function(m, cluster, K) vcovCL(m, cluster = cluster, type = "HC0", cadjust = TRUE, fix = FALSE) * (N - 1) / (N - K)
sl <- c("x1", "x2")
m1 <- lm(y ~ x1 + x2 + fu, data = p); m10 <- lm(y ~ fu, data = p)
pl <- plm(y ~ x1 + x2, data = pdata.frame(p, index = c("unit", "year")), model = "within")
out$fe1 <- list(iid = coefs(coef(m1), vcov(m1), N - 2 - U, terms = sl), fit = within_stats(m1, m10),
                plm_estimate = unname(coef(pl)), plm_se = unname(sqrt(diag(vcov(pl)))),
                HC1 = coefs(coef(m1), vcovHC(m1, "HC1"), N - 2 - U, terms = sl),
                # unit FE nested in unit clusters: K = 2 slopes + 1
                CR1_unit = coefs(coef(m1), cl_nested(m1, ~unit, 3), U - 1, terms = sl),
                absorbed = U)
m2 <- lm(y ~ x1 + x2 + fu + fy, data = p); m20 <- lm(y ~ fu + fy, data = p)
out$fe2 <- list(iid = coefs(coef(m2), vcov(m2), N - 2 - (U + Y - 1), terms = sl), fit = within_stats(m2, m20),
                HC1 = coefs(coef(m2), vcovHC(m2, "HC1"), N - 2 - (U + Y - 1), terms = sl),
                # unit FE nested in state clusters, year FE not: K = 2 + 1 + (Y - 1)
                CR1_state = coefs(coef(m2), cl_nested(m2, ~state, 2 + Y), S - 1, terms = sl),
                # both nested in the two-way (unit, year) clustering: K = 3
                CR1_unit_year = coefs(coef(m2), cl_nested(m2, ~unit + year, 3), min(U, Y) - 1, terms = sl),
                absorbed = U + Y - 1)
pw <- p[p$wt > 0, ]; Nw <- nrow(pw)
m3 <- lm(y ~ x1 + x2 + fu + fy, data = pw, weights = wt); m30 <- lm(y ~ fu + fy, data = pw, weights = wt)
Uw <- length(unique(pw$unit)); Yw <- length(unique(pw$year))
out$fe2w <- list(iid = coefs(coef(m3), vcov(m3), Nw - 2 - (Uw + Yw - 1), terms = sl), fit = within_stats(m3, m30),
                 CR1_state = coefs(coef(m3), vcovCL(m3, cluster = pw$state, type = "HC0", cadjust = TRUE) * (Nw - 1) / (Nw - 2 - Yw),
                                   length(unique(pw$state)) - 1, terms = sl), n = Nw)

# First and long differences, built by hand: each observation minus the same
# unit's observation exactly `lag` years earlier. (plm's "fd" model differences
# adjacent rows even across a gap in the years, so it is not the reference.)
lagged <- merge(p, transform(p, year = year + 1), by = c("unit", "year"), suffixes = c("", ".l"))
lagged <- lagged[order(lagged$unit, lagged$year), ]
fd <- lm(I(y - y.l) ~ I(x1 - x1.l) + I(x2 - x2.l), data = lagged)
names(fd$coefficients) <- c("(Intercept)", "x1", "x2")
out$fd <- list(iid = coefs(coef(fd), vcov(fd), nrow(lagged) - 3),
               CR1_state = coefs(coef(fd), vcovCL(fd, cluster = lagged$state, type = "HC1"), length(unique(lagged$state)) - 1),
               n = nrow(lagged))
ld <- merge(p[p$year == 2017, ], p[p$year == 2010, ], by = "unit", suffixes = c("", ".l"))
ldm <- lm(I(y - y.l) ~ I(x1 - x1.l) + I(x2 - x2.l), data = ld)
names(ldm$coefficients) <- c("(Intercept)", "x1", "x2")
out$ld <- list(HC1 = coefs(coef(ldm), vcovHC(ldm, "HC1"), nrow(ld) - 3), n = nrow(ld))

# Poisson with unit and year effects and a log-population offset. Units whose
# counts are all zero are dropped first, as fixest and ppmlhdfe do.
pp <- p[ave(p$count, p$unit, FUN = function(v) any(v > 0)) == 1, ]; pp$fu <- droplevels(pp$fu); Np <- nrow(pp)
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
gp <- glm(count ~ x1 + x2 + fu + fy + offset(logpop), family = poisson, data = pp, control = ctl)
Yp <- nlevels(droplevels(pp$fy)); Up <- nlevels(pp$fu)
out$poisson_fe <- list(
  n = Np, dropped = N - Np, deviance = deviance(gp),
  iid = coefs(coef(gp), vcov(gp), Inf, terms = sl),
  HC1 = coefs(coef(gp), vcovHC(gp, "HC1"), Inf, terms = sl),
  CR1_state = coefs(coef(gp), vcovCL(gp, cluster = ~state, type = "HC0", cadjust = TRUE) * (Np - 1) / (Np - 2 - Yp),
                    length(unique(pp$state)) - 1, terms = sl))
g0 <- glm(count ~ x1 + x2 + offset(logpop), family = poisson, data = p, control = ctl)
out$poisson <- list(n = N, deviance = deviance(g0), iid = coefs(coef(g0), vcov(g0), Inf),
                    CR1_state = coefs(coef(g0), vcovCL(g0, cluster = ~state, type = "HC1"), S - 1))

# ---- wild cluster bootstrap: every Rademacher sign pattern, by brute force ----
wd <- rd("synth_wild.csv"); G <- 8
signs <- as.matrix(expand.grid(rep(list(c(1, -1)), G)))
wcr <- function(formula, restricted, term, b0) {
  m <- lm(formula, data = wd)
  t0 <- (coef(m)[term] - b0) / sqrt(vcovCL(m, cluster = wd$g, type = "HC1")[term, term])
  mr <- lm(restricted, data = transform(wd, yr = y - b0 * wd[[term]]))
  fr <- fitted(mr) + b0 * wd[[term]]; ur <- residuals(mr)
  ts <- apply(signs, 1, function(v) {
    ds <- wd; ds$y <- fr + ur * v[wd$g]
    ms <- lm(formula, data = ds)
    (coef(ms)[term] - b0) / sqrt(vcovCL(ms, cluster = wd$g, type = "HC1")[term, term])
  })
  list(t = unname(t0), p = mean(abs(ts) >= abs(t0) - 1e-12 * max(1, abs(t0))), estimate = unname(coef(m)[term]), reps = nrow(signs))
}
out$wild <- list(
  x0 = wcr(y ~ x + z, yr ~ z, "x", 0),
  x05 = wcr(y ~ x + z, yr ~ z, "x", 0.5),
  fe_x0 = wcr(y ~ x + z + factor(f), yr ~ z + factor(f), "x", 0))

# ---- power and multiple testing -------------------------------------------------
pow <- function(n, rho, a) { d <- atanh(rho) * sqrt(n - 3); z <- qnorm(1 - a / 2); pnorm(d - z) + pnorm(-d - z) }
out$power <- list(
  power_27_03 = pow(27, 0.3, 0.05), power_100_02_01 = pow(100, 0.2, 0.1),
  mdc_27 = uniroot(function(r) pow(27, r, 0.05) - 0.8, c(0, 0.999), tol = 1e-15)$root,
  mdc_200_09 = uniroot(function(r) pow(200, r, 0.01) - 0.9, c(0, 0.999), tol = 1e-15)$root,
  mde_t = (qt(0.975, 25) + qt(0.8, 25)) * 0.12, mde_z = (qnorm(0.975) + qnorm(0.8)) * 0.12)
pv <- c(0.01, 0.04, 0.03, NA, 0.04, 0.2, 0.5, 0.0001, 0.8)
out$adjust <- list(p = pv, bh = p.adjust(pv, "BH"), holm = p.adjust(pv, "holm"))

out$versions <- list(R = R.version.string, sandwich = as.character(packageVersion("sandwich")),
                     lmtest = as.character(packageVersion("lmtest")), plm = as.character(packageVersion("plm")),
                     boot = as.character(packageVersion("boot")), jsonlite = as.character(packageVersion("jsonlite")))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE), "golden.json")
