# Reference values for stats/hac_test.go: Newey-West standard errors of a
# linear trend and the lag-1 autocorrelation of its residuals. Run:
#   Rscript stats/testdata/hac.R
# Data: an invented, serially correlated annual series (not a published one).
library(sandwich)
year <- 2000:2017
y <- c(506.5, 504.5, 494.4, 475.8, 463.2, 469.0, 479.3, 471.8, 458.6, 431.9,
       404.5, 387.1, 387.8, 369.1, 361.6, 373.7, 386.3, 383.0)
fit <- lm(y ~ year)
for (lag in c(0, 2, 5)) {
  v <- NeweyWest(fit, lag = lag, prewhite = FALSE, adjust = FALSE)
  cat(sprintf("lag %d: se(intercept) %.15g se(year) %.15g\n", lag, sqrt(v[1, 1]), sqrt(v[2, 2])))
}
cat(sprintf("slope %.15g\n", coef(fit)[2]))
cat(sprintf("acf1 %.15g\n", acf(resid(fit), lag.max = 1, plot = FALSE)$acf[2]))
cat(sprintf("R %s, sandwich %s\n", getRversion(), packageVersion("sandwich")))
# Confidence band of the fitted line (stats/predict_test.go):
# predict(lm, interval = "confidence") at three years, 95% and 90%.
nd <- data.frame(year = c(2000, 2008.5, 2020))
for (lev in c(0.95, 0.90)) {
  p <- predict(fit, nd, interval = "confidence", level = lev)
  for (i in 1:3) cat(sprintf("level %.2f year %g: fit %.15g lwr %.15g upr %.15g\n", lev, nd$year[i], p[i, 1], p[i, 2], p[i, 3]))
}
