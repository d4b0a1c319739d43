"""The rules for sentences that judge (analyses.judgements) and their Vietnamese words (outputs.judged), on numbers
worked out by hand. The interval of a change is checked against Newcombe's method written out here from the Wilson
formula, independently of statsmodels."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from analytics.analyses import judgements as j
from analytics.analyses.funnel import funnel
from analytics.analyses.trends import COVERED, NOT_COVERED, PARTLY, coverage, covered
from analytics.model import periods
from analytics.model import schema as s
from analytics.outputs import judged

D = dt.date
Z = 1.959963984540054


def wilson(x: int, n: int) -> tuple[float, float]:
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


def newcombe(x_a: int, n_a: int, x_b: int, n_b: int) -> tuple[float, float]:
    """Newcombe's hybrid score interval of p_B − p_A (method 10), in percentage points."""
    p_a, p_b = x_a / n_a, x_b / n_b
    (l_a, u_a), (l_b, u_b) = wilson(x_a, n_a), wilson(x_b, n_b)
    d = p_b - p_a
    return (100 * (d - math.sqrt((p_b - l_b) ** 2 + (u_a - p_a) ** 2)),
            100 * (d + math.sqrt((u_b - p_b) ** 2 + (p_a - l_a) ** 2)))


@pytest.mark.parametrize("x_a, n_a, x_b, n_b, code", [
    (90, 100, 99, 100, j.RISE),            # 90% -> 99%: +9 points, interval about +2,7 to +15,9
    (99, 100, 90, 100, j.FALL),
    (1049, 1083, 270, 282, j.NO_CHANGE),   # the sample, 2018 against Q1/2019: −1,1 points, −4,3 to +1,1
    (18, 20, 20, 20, j.TOO_FEW),           # under 30 dossiers in a denominator: not judged, whatever the interval
    (0, 0, 5, 10, j.UNDEFINED),
])
def test_a_change_is_a_rise_or_a_fall_only_when_its_interval_excludes_zero(x_a, n_a, x_b, n_b, code):
    change = j.share_change(x_a, n_a, x_b, n_b)
    assert change.code == code
    if n_a and n_b:
        assert change.change_pp == pytest.approx(100 * (x_b / n_b - x_a / n_a))
        low, high = newcombe(x_a, n_a, x_b, n_b)
        assert (change.low_pp, change.high_pp) == (pytest.approx(low, abs=1e-6), pytest.approx(high, abs=1e-6))


def test_the_review_example_is_no_change_and_is_worded_so():
    """The first-use review: "giảm 1,5 điểm %" although the interval (−4,9 to +1,8) holds zero."""
    change = j.Change(j.NO_CHANGE, -1.5, -4.9, 1.8, 300, 290)
    assert judged.change_words(change) == "không thay đổi có ý nghĩa thống kê"
    words = judged.change_with_evidence(change)
    assert "giảm" not in words and "−1,5 điểm %" in words and "−4,9 đến +1,8 điểm %" in words
    fall = j.Change(j.FALL, -3.0, -5.1, -0.9, 300, 290)
    assert judged.change_words(fall) == "giảm 3,0 điểm %"
    rise = j.Change(j.RISE, 2.31, 0.4, 4.0, 300, 290)
    assert judged.change_words(rise) == "tăng 2,3 điểm %"
    assert judged.change_words(j.Change(j.TOO_FEW, 10.0, -5.0, 30.0, 12, 40)).startswith("quá ít hồ sơ")


def test_the_rate_change_of_a_comparison_is_judged_on_its_numerators_and_denominators():
    change = {"rate_a": {"numerator": 90, "denominator": 100}, "rate_b": {"numerator": 99, "denominator": 100}}
    assert j.rate_change(change).code == j.RISE


def test_overdue_at_the_end_is_judged_as_a_share_of_the_workload():
    """0 of 1.083 overdue at the end of 2018, 7 of 282 at the end of Q1/2019: 0% -> 2,5%, interval above zero."""
    before = {"pending_overdue": 0, "received_total": 1083}
    after = {"pending_overdue": 7, "received_total": 282}
    change = j.overdue_change(before, after)
    assert change.code == j.RISE and change.change_pp == pytest.approx(700 / 282)
    sentence = judged.overdue_sentence(change, periods.year(2018), periods.quarter(2019, 1), before, after)
    assert "tăng" in sentence and "0,0% (0/1.083)" in sentence and "2,5% (7/282)" in sentence
    flat = j.overdue_change({"pending_overdue": 7, "received_total": 300}, {"pending_overdue": 8, "received_total": 300})
    assert flat.code == j.NO_CHANGE and judged.overdue_sentence(flat, periods.year(2018), periods.quarter(2019, 1),
                                                                {}, {}) is None


def test_counts_are_compared_only_between_periods_of_the_same_length():
    assert j.same_length(periods.quarter(2019, 1), periods.quarter(2018, 4))  # 90 and 92 days
    assert j.same_length(periods.month(2019, 2), periods.month(2019, 3))      # 28 and 31 days
    assert not j.same_length(periods.year(2018), periods.quarter(2019, 1))


def units(*rows) -> pd.DataFrame:
    """Unit groups (name, resolved, on time) as an official table's groups, everything early or late."""
    keys = ["received_total", "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
            "pending_total", "pending_in_time", "pending_overdue"]
    records = [dict(zip(keys, [n, n, ok, 0, n - ok, 0, 0, 0]), name=name) for name, n, ok in rows]
    return pd.DataFrame(records)


def test_a_unit_is_named_only_with_enough_dossiers_and_outside_the_limits():
    """Overall 314/342 = 91,8%. A: 80/100 lies below the 99,8% limit for 100 dossiers (about 83,3%): named.
    D: 37/40 = 92,5% is under the 95% target but inside the limits: said apart. C: 1/2 is too small to judge.
    B: 196/200 = 98% is above the target: not listed."""
    table, overall = funnel(units(("A", 100, 80), ("B", 200, 196), ("C", 2, 1), ("D", 40, 37)))
    assert overall == pytest.approx(314 / 342)
    found = j.attention(table, 0.95)
    assert list(found.named["name"]) == ["A"] and list(found.within_limits["name"]) == ["D"]
    assert list(found.too_small["name"]) == ["C"]
    lines = judged.attention_named_lines(found) + judged.attention_apart_lines(found)
    assert lines[0].startswith("A: 80,0% (80/100)")
    assert "trong giới hạn kiểm soát" in lines[1] and "D 92,5% (37/40)" in lines[1]
    assert lines[2].startswith("1 đơn vị dưới mục tiêu có dưới 30 hồ sơ") and "C" not in lines[2]
    assert judged.attention_headline(found).startswith("1 đơn vị có tỷ lệ đúng hạn thấp hơn giới hạn kiểm soát")


def test_no_unit_below_the_limits_is_said_as_random_variation():
    table, _ = funnel(units(("A", 100, 95), ("B", 100, 97), ("C", 3, 2)))
    found = j.attention(table, 0.95)
    assert found.empty and list(found.too_small["name"]) == ["C"]
    assert "có thể do ngẫu nhiên" in judged.attention_headline(found)


def test_most_late_travels_with_its_rate_over_the_dossiers_received():
    """Đất đai 19 + 6 = 25 late of 600 received (4,2%); Hộ tịch 10 + 3 = 13 of 375 (3,5%); Xây dựng 1 of 12."""
    groups = pd.DataFrame([
        {"name": "Hộ tịch", "received_total": 375, "resolved_late": 10, "pending_overdue": 3},
        {"name": "Đất đai", "received_total": 600, "resolved_late": 19, "pending_overdue": 6},
        {"name": "Xây dựng", "received_total": 12, "resolved_late": 1, "pending_overdue": 0},
        {"name": "Tư pháp", "received_total": 40, "resolved_late": 0, "pending_overdue": 0},
    ])
    table = j.most_late(groups, 5)
    assert list(table["name"]) == ["Đất đai", "Hộ tịch", "Xây dựng"]
    assert list(table["late_total"]) == [25, 13, 1] and list(table["small"]) == [False, False, True]
    assert table["late_rate"].tolist() == pytest.approx([25 / 600, 13 / 375, 1 / 12])
    assert judged.most_late_headline(table) == ("Lĩnh vực Đất đai có nhiều hồ sơ trễ hạn nhất: 25 hồ sơ, 4,2% số hồ "
                                                "sơ nhận giải quyết (25/600)")
    assert judged.most_late_lines(table, table.iloc[:0])[2].endswith("(1/12) — ít hồ sơ")


def test_months_against_the_target():
    trend = pd.DataFrame({"label": ["T1", "T2", "T3", "T4"], "on_time_rate": [0.97, 0.94, None, 0.95],
                          "numerator": [97, 94, 0, 19], "denominator": [100, 100, 0, 20]})
    months = j.months_against_target(trend, 0.95)
    assert (months.judged, months.met) == (3, 2) and list(months.below["label"]) == ["T2"]


def dossiers_received(*days: dt.date) -> pd.DataFrame:
    return pd.DataFrame({s.RECEIVED_DATE: pd.to_datetime(list(days))})


def test_the_months_the_data_cover_and_whether_a_period_lies_in_them():
    data = dossiers_received(D(2018, 1, 3), D(2018, 7, 9), D(2019, 3, 29))
    span = coverage(data)
    assert span == (D(2018, 1, 1), D(2019, 3, 31))
    assert covered(D(2018, 1, 1), D(2018, 3, 31), span) == COVERED
    assert covered(D(2016, 10, 3), D(2017, 12, 31), span) == NOT_COVERED   # the review's empty comparison
    assert covered(D(2017, 12, 1), D(2018, 2, 28), span) == PARTLY
    assert covered(D(2019, 4, 1), D(2019, 6, 30), span) == NOT_COVERED
    assert coverage(dossiers_received()) is None and covered(D(2018, 1, 1), D(2018, 1, 31), None) == NOT_COVERED
    sentence = judged.comparison_gap(periods.custom(D(2016, 10, 3), D(2017, 12, 31)), NOT_COVERED, span)
    assert sentence.startswith("Không so sánh với từ 03/10/2016 đến 31/12/2017") and "tháng 01/2018 – tháng 03/2019" \
        in sentence


def test_a_few_dossiers_carried_over_from_long_before_do_not_stretch_the_coverage():
    """1 of 200 received dates in 2015 (under the 1st percentile) leaves the coverage from 01/2018."""
    days = [D(2015, 6, 1)] + [D(2018, 1, 1) + dt.timedelta(days=2 * n) for n in range(199)]
    assert coverage(dossiers_received(*days))[0] == D(2018, 1, 1)


@pytest.mark.parametrize("start, end, words", [
    (D(2018, 1, 1), D(2019, 3, 31), "năm 2018 và quý I/2019"),
    (D(2018, 1, 1), D(2019, 12, 31), "các năm 2018 – 2019"),
    (D(2018, 1, 1), D(2019, 6, 30), "năm 2018 và 6 tháng đầu năm 2019"),
    (D(2019, 1, 1), D(2019, 3, 31), "quý I/2019"),
    (D(2018, 12, 15), D(2019, 3, 14), "quý I/2019"),
    (D(2019, 2, 3), D(2019, 5, 4), "từ 03/02/2019 đến 04/05/2019"),
])
def test_a_period_in_words(start, end, words):
    assert periods.in_words(periods.named(start, end)) == words


def test_a_cut_off_preset_is_known_as_one():
    assert periods.is_cutoff(D(2018, 12, 15), D(2019, 3, 14))
    assert not periods.is_cutoff(D(2019, 1, 1), D(2019, 3, 31))
    assert not periods.is_cutoff(D(2019, 1, 2), D(2019, 3, 31))
