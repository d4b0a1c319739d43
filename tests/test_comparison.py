"""Comparing two periods: Wilson, Newcombe's hybrid score interval and the pooled z-test against published or
hand-worked values; count changes B − A; "too few to judge" under 30."""
import datetime as dt
import math

import pytest

from analytics.analyses import stats
from analytics.analyses.comparison import compare
from analytics.model.periods import Period

A = Period(dt.date(2018, 1, 1), dt.date(2018, 12, 31))
B = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))


def test_wilson_interval_matches_newcombe_1998():
    # Newcombe (1998), Statistics in Medicine 17:873, table II: 56/70 -> 0.6918 to 0.8770.
    low, high = stats.wilson_interval(56, 70)
    assert (round(low, 4), round(high, 4)) == (0.6918, 0.8770)


def test_difference_interval_matches_newcombe_1998_method_10():
    # Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 − 48/80 = 0.1750, 0.0524 to 0.3339.
    low, high = stats.difference_interval(48, 80, 56, 70)  # A = 48/80, B = 56/70, difference B − A
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_pooled_z_test_worked_by_hand():
    # p_A = 48/80 = 0.6, p_B = 56/70 = 0.8, pooled = 104/150; se = sqrt(pooled (1 − pooled) (1/80 + 1/70)).
    pooled = 104 / 150
    z = (0.8 - 0.6) / math.sqrt(pooled * (1 - pooled) * (1 / 80 + 1 / 70))
    expected = math.erfc(abs(z) / math.sqrt(2))
    assert stats.two_proportion_p_value(48, 80, 56, 70) == pytest.approx(expected, rel=1e-9)
    assert round(expected, 4) == 0.0080


def test_empty_and_degenerate_cases():
    assert stats.wilson_interval(0, 0) is None and stats.difference_interval(1, 2, 0, 0) is None
    assert stats.two_proportion_p_value(5, 5, 30, 30) == 1.0  # both 100%: nothing to test


def _period_rows(prefix, year, on_time, late):
    rows = [{"id": f"{prefix}{i}", "received": f"{year}-02-01", "due": f"{year}-02-10", "completed": f"{year}-02-05",
             "field": "Hộ tịch"} for i in range(on_time)]
    rows += [{"id": f"{prefix}L{i}", "received": f"{year}-02-01", "due": f"{year}-02-10",
              "completed": f"{year}-02-20", "field": "Đất đai"} for i in range(late)]
    return rows


def test_compare_two_periods_by_hand(dossiers):
    # A (2018): 40 early + 10 late -> 40/50; B (Q1/2019): 27 early + 3 late -> 27/30.
    d = dossiers(_period_rows("A", 2018, 40, 10) + _period_rows("B", 2019, 27, 3))
    result = compare(d, A, B, by="field")
    total = result.total
    assert total["resolved_total"] == 30 - 50 and total["resolved_late"] == 3 - 10
    assert total["rate_change_pp"] == pytest.approx((27 / 30 - 40 / 50) * 100)
    low, high = stats.difference_interval(40, 50, 27, 30)
    assert total["rate_change_ci95"] == pytest.approx([low * 100, high * 100])
    assert total["p_value"] == pytest.approx(stats.two_proportion_p_value(40, 50, 27, 30))
    assert total["judgeable"]
    groups = {g["name"]: g for g in result.groups}
    # Hộ tịch: 40/40 -> 27/27 (both 100%); Đất đai: 0/10 -> 0/3; both under 30 in B.
    assert groups["Hộ tịch"]["rate_change_pp"] == 0 and not groups["Hộ tịch"]["judgeable"]
    assert not groups["Đất đai"]["judgeable"]


def test_a_group_present_in_one_period_only(dossiers):
    d = dossiers(_period_rows("A", 2018, 5, 0) + [{"received": "2019-02-01", "completed": "2019-02-02",
                                                   "field": "Xây dựng"}])
    groups = {g["name"]: g for g in compare(d, A, B, by="field").groups}
    assert groups["Xây dựng"]["resolved_total"] == 1 and groups["Xây dựng"]["rate_a"]["value"] is None
    assert groups["Xây dựng"]["rate_change_pp"] is None and groups["Hộ tịch"]["resolved_total"] == -5
