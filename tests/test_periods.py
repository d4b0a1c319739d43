"""Periods: calendar presets, Nghị định 09/2019 cut-offs (15th to 14th), labels, series."""
import datetime as dt

import pytest

from analytics.model import periods as p

D = dt.date


@pytest.mark.parametrize("period, start, end, label", [
    (p.month(2019, 3), D(2019, 3, 1), D(2019, 3, 31), "Tháng 3/2019 (01/03/2019 – 31/03/2019)"),
    (p.month(2019, 1, cutoff=True), D(2018, 12, 15), D(2019, 1, 14), "Tháng 1/2019 (15/12/2018 – 14/01/2019)"),
    (p.month(2019, 3, cutoff=True), D(2019, 2, 15), D(2019, 3, 14), "Tháng 3/2019 (15/02/2019 – 14/03/2019)"),
    (p.quarter(2019, 1), D(2019, 1, 1), D(2019, 3, 31), "Quý I/2019 (01/01/2019 – 31/03/2019)"),
    (p.quarter(2019, 1, cutoff=True), D(2018, 12, 15), D(2019, 3, 14), "Quý I/2019 (15/12/2018 – 14/03/2019)"),
    (p.quarter(2018, 4, cutoff=True), D(2018, 9, 15), D(2018, 12, 14), "Quý IV/2018 (15/09/2018 – 14/12/2018)"),
    (p.half(2019, 1), D(2019, 1, 1), D(2019, 6, 30), "6 tháng đầu năm 2019 (01/01/2019 – 30/06/2019)"),
    (p.half(2019, 2, cutoff=True), D(2019, 6, 15), D(2019, 12, 14),
     "6 tháng cuối năm 2019 (15/06/2019 – 14/12/2019)"),
    (p.nine_months(2019, cutoff=True), D(2018, 12, 15), D(2019, 9, 14), "9 tháng năm 2019 (15/12/2018 – 14/09/2019)"),
    (p.year(2018), D(2018, 1, 1), D(2018, 12, 31), "Năm 2018 (01/01/2018 – 31/12/2018)"),
    (p.year(2019, cutoff=True), D(2018, 12, 15), D(2019, 12, 14), "Năm 2019 (15/12/2018 – 14/12/2019)"),
    (p.custom(D(2018, 1, 1), D(2019, 3, 31)), D(2018, 1, 1), D(2019, 3, 31), "01/01/2018 – 31/03/2019"),
])
def test_presets_resolve_to_exact_dates_and_a_vietnamese_label(period, start, end, label):
    assert (period.start, period.end, period.label) == (start, end, label)


def test_february_in_a_leap_year():
    assert p.month(2020, 2).end == D(2020, 2, 29)


def test_preset_by_name_and_unknown_kind():
    assert p.preset("quarter", 2019, 2) == p.quarter(2019, 2)
    with pytest.raises(ValueError):
        p.preset("fortnight", 2019)


def test_monthly_series_on_cut_offs_is_clipped_at_both_ends():
    points = p.series(D(2019, 1, 1), D(2019, 3, 31), "month", cutoff=True)
    assert [(x.start, x.end) for x in points] == [
        (D(2019, 1, 1), D(2019, 1, 14)), (D(2019, 1, 15), D(2019, 2, 14)), (D(2019, 2, 15), D(2019, 3, 14)),
        (D(2019, 3, 15), D(2019, 3, 31))]
    assert points[0].name == "Tháng 1/2019 (một phần)" and points[1].name == "Tháng 2/2019"


def test_quarterly_series_covers_the_review_period():
    points = p.series(D(2018, 1, 1), D(2019, 3, 31), "quarter")
    assert [x.name for x in points] == ["Quý I/2018", "Quý II/2018", "Quý III/2018", "Quý IV/2018", "Quý I/2019"]


@pytest.mark.parametrize("text", ["2019-01-01", "2019-01-01:2019-13-01", "2019-03-31:2019-01-01"])
def test_bad_ranges_are_refused_in_vietnamese(text):
    with pytest.raises(ValueError) as error:
        p.parse_range(text)
    assert any(w in str(error.value) for w in ("TỪ:ĐẾN", "YYYY-MM-DD", "phải trước"))


def test_previous_and_year_earlier_periods():
    assert p.shifted("quarter", 2019, 1, False, -1) == p.quarter(2018, 4)
    assert p.shifted("month", 2019, 1, True, -1) == p.month(2018, 12, cutoff=True)
    assert p.shifted("year", 2019, 1, True, -1) == p.year(2018, cutoff=True)
    assert p.before(p.custom(D(2019, 1, 1), D(2019, 3, 31))) == p.custom(D(2018, 10, 3), D(2018, 12, 31))
    earlier = p.year_earlier(p.year(2019, cutoff=True))
    assert (earlier.start, earlier.end, earlier.name) == (D(2017, 12, 15), D(2018, 12, 14), "Năm 2018")
    assert p.year_earlier(p.custom(D(2020, 2, 29), D(2020, 3, 31))).start == D(2019, 2, 28)
