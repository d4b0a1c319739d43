"""Processing time, clearance and ages at the cut-off, worked by hand in working days."""
import datetime as dt

import pandas as pd
import pytest

from analytics.analyses.bieu06 import official_table
from analytics.analyses.timeliness import pending_age, processing_summary, with_durations
from analytics.model.periods import Period

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))


@pytest.fixture
def durations(dossiers):
    d = dossiers([
        # Processing days by hand: Mon 7/1 -> Fri 11/1 = 4; Mon 7/1 -> Mon 7/1 = 0; Fri 28/12/2018 -> Mon 7/1 = 5
        # (31/12, 1/1 off; Saturday 5/1 worked); Fri 1/2 -> Tue 12/2 = 2 (4–8/2 Tết: 11/2, 12/2).
        {"received": "2019-01-07", "due": "2019-01-15", "completed": "2019-01-11", "unit": "A"},
        {"received": "2019-01-07", "due": "2019-01-15", "completed": "2019-01-07", "unit": "A"},
        {"received": "2018-12-28", "due": "2019-01-15", "completed": "2019-01-07", "unit": "B"},
        {"received": "2019-02-01", "due": "2019-02-15", "completed": "2019-02-12", "unit": "B"},
        # Pending at Sunday 31/3/2019: received Mon 25/3 -> age 5 (26–29/3); received Fri 1/3, due Fri 15/3 ->
        # age 20 (4/3 … 29/3), 10 working days past due (18/3 … 29/3).
        {"received": "2019-03-25", "due": "2019-04-05", "unit": "A"},
        {"received": "2019-03-01", "due": "2019-03-15", "unit": "B"},
        {"received": "2019-03-05", "completed": "2019-03-06", "status": 7, "unit": "A"},  # withdrawn: ended
    ])
    return with_durations(official_table(d, Q1, by="unit").classified, Q1)


def test_processing_median_and_90th_percentile(durations):
    total, groups = processing_summary(durations, "unit")
    # Days 0, 2, 4, 5: median 3; 90th percentile (linear) = 4 + 0.7 * (5 − 4) = 4.7.
    assert total["resolved"] == 4 and total["median_days"] == 3.0 and total["p90_days"] == pytest.approx(4.7)
    by = {g["name"]: g for g in groups}
    assert by["A"]["median_days"] == 2.0 and by["B"]["median_days"] == 3.5


def test_clearance_rate_is_ended_over_received_in_the_period(durations):
    total, _ = processing_summary(durations)
    # Received in Q1: 6 (the 28/12/2018 one is carried over); ended: 4 resolved + 1 withdrawn = 5.
    assert (total["received_in_period"], total["ended"]) == (6, 5)
    assert total["clearance_rate"] == pytest.approx(5 / 6)


def test_pending_ages_and_days_overdue_in_buckets(durations):
    pending = pending_age(durations)
    assert pending["pending"] == 2 and pending["overdue"] == 1
    assert [b["count"] for b in pending["age_buckets"]] == [1, 0, 1, 0, 0]       # 5 and 20 working days
    assert [b["count"] for b in pending["overdue_buckets"]] == [0, 1, 0, 0]      # 10 working days past due


def test_buckets_are_worded_in_outputs():
    from analytics.outputs.labels import bucket_label
    assert [bucket_label(b) for b in pending_age(pd.DataFrame({"age_days": [], "days_overdue": []}))[
        "age_buckets"]] == ["0–5 ngày", "6–10 ngày", "11–20 ngày", "21–60 ngày", "Trên 60 ngày"]
    assert bucket_label({"low": 1, "high": 5}) == "1–5 ngày" and bucket_label({"low": 21, "high": None}) == \
        "Trên 20 ngày"


def test_the_buckets_hold_every_value_even_zero_days_overdue():
    """Overdue by 0 working days (due on the Saturday before a Monday cut-off) counts in the first bucket."""
    counts = pending_age(pd.DataFrame({"age_days": [0, 3, 6, 61], "days_overdue": [0, 1, 25, None]}))
    assert [b["count"] for b in counts["overdue_buckets"]] == [2, 0, 0, 1] and counts["overdue"] == 3
    assert [b["count"] for b in counts["age_buckets"]] == [2, 1, 0, 0, 1]
