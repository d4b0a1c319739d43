"""The funnel: exact binomial limits with interpolation, flags that do not punish small units."""
from math import comb

import pandas as pd
import pytest

from analytics.analyses import funnel as f
from analytics.analyses.stats import funnel_limit


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
    assert flags["Lớn"] in (f.INSIDE, f.WATCH_ABOVE, f.ABOVE)
    assert units.loc[units["name"] == "Kém", "flag_label"].item().startswith("Thấp hơn rõ rệt")


def test_a_unit_without_resolved_dossiers_is_not_ranked():
    units, _ = f.funnel(groups([("Có", 9, 10), ("Trống", 0, 0)]))
    assert units.loc[units["name"] == "Trống", "flag"].item() == f.EMPTY


def test_funnel_curve_narrows_with_volume():
    curve = f.funnel_curve(0.9, 1000)
    widths = (curve["upper_95"] - curve["lower_95"]).tolist()
    assert widths[0] > widths[-1] and curve["volume"].iloc[-1] == 1000
