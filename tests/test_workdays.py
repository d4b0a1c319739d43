"""Vietnam's working days: 2018/2019 and 2025 holidays and swaps, the override table, processing time."""
import datetime as dt

import numpy as np
import pytest

from analytics.model import workdays as w

D = dt.date


@pytest.mark.parametrize("day, working", [
    (D(2018, 1, 1), False),    # Tết Dương lịch
    (D(2018, 2, 14), False), (D(2018, 2, 20), False), (D(2018, 2, 21), True),   # Tết Nguyên Đán 2018
    (D(2018, 4, 25), False),   # Giỗ Tổ Hùng Vương 10/3 âm lịch
    (D(2018, 4, 30), False), (D(2018, 5, 1), False),
    (D(2018, 9, 3), False),    # 2/9/2018 is a Sunday: compensated on Monday
    (D(2018, 12, 31), False),  # swap: 31/12/2018 off …
    (D(2019, 1, 5), True),     # … and Saturday 5/1/2019 worked
    (D(2019, 1, 1), False),
    (D(2019, 2, 4), False), (D(2019, 2, 8), False), (D(2019, 2, 11), True),     # Tết 2019
    (D(2019, 4, 15), False),   # Giỗ Tổ on Sunday 14/4/2019, compensated on Monday
    (D(2019, 4, 29), False), (D(2019, 5, 4), True),                            # swap 29/4 ↔ Saturday 4/5/2019
    (D(2019, 1, 12), False),   # an ordinary Saturday
    (D(2025, 1, 27), False), (D(2025, 1, 31), False), (D(2025, 2, 3), True),   # Tết 2025
    (D(2025, 4, 7), False),    # Giỗ Tổ 2025
    (D(2025, 5, 2), False), (D(2025, 4, 26), True),                            # swap 2/5 ↔ Saturday 26/4/2025
    (D(2025, 9, 1), False), (D(2025, 9, 2), False),                            # 2/9 and its adjacent day
])
def test_holidays_and_swaps(day, working):
    assert w.is_working_day(day) is working


def test_processing_time_across_the_new_year_swap():
    # Received Friday 28/12/2018, finished Monday 7/1/2019: working days after receipt are
    # 2/1, 3/1, 4/1, Saturday 5/1 (worked), 7/1 -> 5 (31/12 and 1/1 are off).
    assert w.working_days_elapsed(["2018-12-28"], ["2019-01-07"]).tolist() == [5.0]
    assert w.working_days_elapsed(["2019-01-07"], ["2019-01-07"]).tolist() == [0.0]  # same day = 0
    assert np.isnan(w.working_days_elapsed(["2019-01-07"], [None])[0])


def test_legal_due_date_counts_working_days_only():
    due = w.add_working_days(["2018-12-28", "2019-02-02", "2019-02-02", "2019-01-12"], [3, 0, 1, 1])
    # 3 working days after Fri 28/12/2018: 2/1, 3/1, 4/1. "Trong ngày" (0): the received date itself.
    # 1 day after Saturday 2/2/2019: Tết runs 4–8/2, so Monday 11/2. Received Saturday 12/1: Monday 14/1.
    assert [str(x) for x in due] == ["2019-01-04", "2019-02-02", "2019-02-11", "2019-01-14"]


def test_the_override_table_adds_swaps_the_package_does_not_know(monkeypatch):
    monkeypatch.setattr(w, "DAYS_OFF", {D(2019, 3, 8): "ví dụ: nghỉ bù"})
    monkeypatch.setattr(w, "DAYS_WORKED", {D(2019, 3, 9): "ví dụ: làm bù thứ Bảy"})
    w._calendar.cache_clear()
    try:
        assert not w.is_working_day(D(2019, 3, 8)) and w.is_working_day(D(2019, 3, 9))
    finally:
        monkeypatch.undo()
        w._calendar.cache_clear()
    assert w.is_working_day(D(2019, 3, 8)) and not w.is_working_day(D(2019, 3, 9))
