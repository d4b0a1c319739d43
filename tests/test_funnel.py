"""The funnel: exact binomial limits with interpolation, flags that do not punish small units."""
from math import comb

import pandas as pd
import pytest

from analytics.analyses import funnel as f
from analytics.analyses.stats import funnel_limit
from analytics.outputs.labels import FLAG_LABELS


def cdf(k, n, p):
    return sum(comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k + 1))


def test_a_limit_worked_by_hand():
    # n = 10, p = 0.5, upper 97.5%: P(X <= 7) = 0.9453, P(X <= 8) = 0.9893, so r = 8;
    # the step back is (0.9893 − 0.975) / (0.9893 − 0.9453) and the limit (8 − step) / 10.
    step = (cdf(8, 10, 0.5) - 0.975) / (cdf(8, 10, 0.5) - cdf(7, 10, 0.5))
    assert funnel_limit(0.5, 10, 0.975) == pytest.approx((8 - step) / 10)
    assert round((8 - step) / 10, 4) == 0.7676  # step = 0.01430 / 0.04395 = 0.3244


def test_no_unit_can_lie_beyond_an_extreme_limit():
    assert funnel_limit(0.95, 3, 0.999) == 1.0  # 3/3 is not "above" anything


def groups(rows):
    return pd.DataFrame([{"name": name, "resolved_early": ok, "resolved_on_time": 0, "resolved_total": n}
                         for name, ok, n in rows])


def test_small_units_are_neither_top_nor_bottom_and_a_real_outlier_is_flagged():
    units, overall = f.funnel(groups([("Lớn", 900, 1000), ("Nhỏ tốt", 3, 3), ("Nhỏ kém", 2, 3),
                                      ("Kém", 60, 100)]))
    assert overall == pytest.approx(965 / 1106)
    flags = dict(zip(units["name"], units["flag"]))
    assert flags["Nhỏ tốt"] == f.INSIDE and flags["Nhỏ kém"] == f.INSIDE
    assert flags["Kém"] == f.BELOW           # 60% of 100 when the overall rate is 87%
    # "Lớn", 900/1000 against p = 965/1106 = 0.8725: expected 872.5, sd sqrt(1000 p (1 − p)) = 10.55. Exactly:
    # P(X <= 892) = 0.9731, P(X <= 893) = 0.9787, so the 97.5% limit is (893 − 0.0037 / 0.0056) / 1000 = 0.8923;
    # P(X <= 903) = 0.99882, P(X <= 904) = 0.99916, so the 99.9% limit is (904 − 0.47) / 1000 = 0.9035.
    # 0.8923 < 0.900 < 0.9035: above the 95% limits, inside the 99.8% ones.
    p = 965 / 1106
    assert (cdf(892, 1000, p), cdf(893, 1000, p)) == (pytest.approx(0.9731, abs=1e-4), pytest.approx(0.9787, abs=1e-4))
    assert (cdf(903, 1000, p), cdf(904, 1000, p)) == (pytest.approx(0.99882, abs=1e-5),
                                                      pytest.approx(0.99916, abs=1e-5))
    big = units[units["name"] == "Lớn"].iloc[0]
    assert (round(big["upper_95"], 4), round(big["upper_998"], 4)) == (0.8923, 0.9035)
    assert flags["Lớn"] == f.WATCH_ABOVE
    assert units.loc[units["name"] == "Kém", "flag"].item() == f.BELOW
    assert FLAG_LABELS[f.BELOW].startswith("Thấp hơn rõ rệt")  # worded in outputs, not in the analysis


def test_a_unit_without_resolved_dossiers_is_not_ranked():
    units, _ = f.funnel(groups([("Có", 9, 10), ("Trống", 0, 0)]))
    assert units.loc[units["name"] == "Trống", "flag"].item() == f.EMPTY


def test_funnel_curve_narrows_with_volume():
    curve = f.funnel_curve(0.9, 1000)
    widths = (curve["upper_95"] - curve["lower_95"]).tolist()
    assert widths[0] > widths[-1] and curve["volume"].iloc[-1] == 1000
