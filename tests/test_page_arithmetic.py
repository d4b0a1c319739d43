"""The arithmetic the screens used to do themselves, now named core functions, on hand-made inputs."""
import pandas as pd
import pytest

from analytics.analyses.bieu06 import received_by_channel, with_processing_times
from analytics.analyses.comparison import changes_table, count_changes
from analytics.analyses.trends import heatmap_table
from analytics.outputs import formatting as fmt


def test_heatmap_table_orders_groups_by_volume_and_keeps_the_trend_order():
    points = pd.DataFrame({
        "label": ["Q2", "Q2", "Q1", "Q1"],
        "name": ["Nhỏ", "Lớn", "Nhỏ", "Lớn"],
        "on_time_rate": [0.5, 0.9, 1.0, None],
        "denominator": [2, 50, 1, 0],
    })
    rates, counts = heatmap_table(points)
    assert list(rates.index) == ["Lớn", "Nhỏ"]          # 50 dossiers against 3
    assert list(rates.columns) == ["Q2", "Q1"]          # the trend's own order, not alphabetical
    assert rates.loc["Lớn", "Q2"] == 0.9 and pd.isna(rates.loc["Lớn", "Q1"])
    assert counts.loc["Nhỏ"].tolist() == [2, 1]


def _change(rate_a, rate_b, n_a, n_b, ci, received, resolved, note=""):
    return {"rate_a": {"value": rate_a, "denominator": n_a}, "rate_b": {"value": rate_b, "denominator": n_b},
            "rate_change_pp": None if rate_a is None or rate_b is None else (rate_b - rate_a) * 100,
            "rate_change_ci95": ci, "p_value": 0.5, "judgeable": not note,
            "received_total": received, "resolved_total": resolved}


def test_changes_table_puts_the_whole_first_then_each_group():
    total = _change(0.9, 0.95, 100, 200, [1.0, 9.0], 100, 90)
    groups = [{"name": "Hộ tịch", **_change(None, 1.0, 0, 3, None, 3, 3, "Quá ít")}]
    table = changes_table(total, groups, "Toàn bộ")
    assert table["name"].tolist() == ["Toàn bộ", "Hộ tịch"]
    assert table.loc[0, "change_pp"] == pytest.approx(5.0)
    assert (table.loc[0, "low_pp"], table.loc[0, "high_pp"]) == (1.0, 9.0)
    assert pd.isna(table.loc[1, "low_pp"]) and not table.loc[1, "judgeable"] and table.loc[0, "judgeable"]
    assert table.loc[1, "received"] == 3 and table.loc[0, "n_b"] == 200


def test_count_changes_are_b_minus_a_and_none_without_a_comparison():
    keys = ["received_total", "received_online", "received_direct_postal", "carried_over", "resolved_total",
            "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_in_time",
            "pending_overdue", "withdrawn"]
    now = dict.fromkeys(keys, 10) | {"received_total": 1365}
    before = dict.fromkeys(keys, 12) | {"received_total": 1000}
    changes = count_changes(now, before)
    assert changes["received_total"] == 365 and changes["withdrawn"] == -2
    assert count_changes(now, None) is None


def test_processing_times_join_their_groups_and_small_follows_the_rates_denominator():
    groups = pd.DataFrame({"name": ["A", "B"], "received_total": [5, 40], "denominator": [29, 30]})
    times = pd.DataFrame({"name": ["B", "A"], "median_days": [3.0, 1.5], "p90_days": [7.0, 2.0], "extra": [0, 0]})
    table = with_processing_times(groups, times, 30)
    assert table["name"].tolist() == ["B", "A"]
    assert table["median_days"].tolist() == [3.0, 1.5]
    assert table["small"].tolist() == [False, True]


def test_received_by_channel_adds_online_and_direct_postal_only():
    groups = pd.DataFrame({"name": ["Trực tuyến", "Trực tiếp"], "received_online": [7, 0],
                           "received_direct_postal": [0, 5], "carried_over": [100, 100]})
    assert received_by_channel(groups)["count"].tolist() == [7, 5]


@pytest.mark.parametrize("n, text", [(1234, "+1.234"), (-3, "-3"), (0, "+0"), (None, "—")])
def test_signed_numbers_are_written_the_vietnamese_way(n, text):
    assert fmt.signed_number(n) == text


def test_a_change_of_rate_is_in_points_with_a_decimal_comma():
    assert fmt.points_change(0.957, 0.968) == "-1,1 điểm %"
    assert fmt.points_change(None, 0.9) is None
