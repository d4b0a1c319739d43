"""Intervals and tests for on-time rates, from statsmodels and scipy, with the project's conventions.

An empty denominator gives None (undefined), never a number. Differences are B − A. scipy and statsmodels are
imported by the functions that need them: a command that tests nothing (report) does not pay their start-up.
"""
from __future__ import annotations

import math

MIN_JUDGEABLE = 30  # fewer dossiers than this in either denominator: "too few dossiers to judge"


def wilson_interval(successes: int, n: int) -> tuple[float, float] | None:
    """95% Wilson score interval of a proportion."""
    if not n:
        return None
    from statsmodels.stats.proportion import proportion_confint
    low, high = proportion_confint(successes, n, alpha=0.05, method="wilson")
    return float(low), float(high)


def difference_interval(x_a: int, n_a: int, x_b: int, n_b: int) -> tuple[float, float] | None:
    """95% interval of p_B − p_A by Newcombe's hybrid score method (from the two Wilson intervals)."""
    if not n_a or not n_b:
        return None
    from statsmodels.stats.proportion import confint_proportions_2indep
    low, high = confint_proportions_2indep(x_b, n_b, x_a, n_a, method="newcomb", compare="diff", alpha=0.05)
    return float(low), float(high)


def two_proportion_p_value(x_a: int, n_a: int, x_b: int, n_b: int) -> float | None:
    """Two-sided p-value of the two-proportion z-test with pooled variance.

    When the pooled proportion is 0 or 1 both rates are equal and the p-value is 1.
    """
    if not n_a or not n_b:
        return None
    pooled = (x_a + x_b) / (n_a + n_b)
    if pooled in (0.0, 1.0):
        return 1.0
    from statsmodels.stats.proportion import proportions_ztest
    _, p_value = proportions_ztest([x_b, x_a], [n_b, n_a], value=0, alternative="two-sided", prop_var=False)
    return float(p_value)


def judgeable(n_a: int, n_b: int) -> bool:
    return n_a >= MIN_JUDGEABLE and n_b >= MIN_JUDGEABLE


def funnel_limit(target: float, n: int, probability: float) -> float | None:
    """The `probability` quantile of the proportion a unit of volume n would show at the overall rate `target`.

    Exact binomial with interpolation (Spiegelhalter 2005, "Funnel plots for comparing institutional
    performance", appendix A.1.1): r = the binomial quantile, then step back by the fraction of the jump at r
    that lies beyond `probability`. Use probability 0.025/0.975 for the 95% limits, 0.001/0.999 for 99.8%.
    """
    if not n or target is None or math.isnan(target):
        return None
    from scipy.stats import binom
    r = binom.ppf(probability, n, target)
    if (probability > 0.5 and r >= n) or (probability < 0.5 and r <= 0):
        return 1.0 if probability > 0.5 else 0.0  # no unit of this size can lie beyond
    at_r, below_r = binom.cdf(r, n, target), binom.cdf(r - 1, n, target)
    jump = at_r - below_r
    alpha = (at_r - probability) / jump if jump > 0 else 0.0
    return float(min(max((r - alpha) / n, 0.0), 1.0))
