"""The three on-time definitions on the small office worked by hand (tests/test_classification.py)."""
import datetime as dt

import pytest

from analytics.analyses.bieu06 import official_table
from analytics.model.periods import Period
from analytics.model.rates import QD766, RATES, RESOLVED, WORKLOAD

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))
# (3) 6 received; (8) 2 early, (9) 1 on time, (10) 1 late, (7) 4; (12) 0, (13) 1, (11) 1; 1 withdrawn.
CELLS = {"received_total": 6, "resolved_total": 4, "resolved_early": 2, "resolved_on_time": 1, "resolved_late": 1,
         "pending_total": 1, "pending_in_time": 0, "pending_overdue": 1, "withdrawn": 1}


@pytest.mark.parametrize("definition, numerator, denominator", [
    (RESOLVED, 3, 4),   # (2 + 1) / 4
    (QD766, 3, 5),      # (2 + 1 + 0) / (4 + 1)
    (WORKLOAD, 4, 6),   # 1 − (1 + 1) / 6 = 4/6
])
def test_each_definition_shows_numerator_and_denominator(definition, numerator, denominator):
    rate = definition.of(CELLS)
    assert (rate.numerator, rate.denominator) == (numerator, denominator)
    assert rate.value == pytest.approx(numerator / denominator)
    assert rate.as_dict()["formula"] and rate.as_dict()["label"]


@pytest.mark.parametrize("name", sorted(RATES))
def test_an_empty_denominator_is_undefined_never_zero(name):
    assert RATES[name].of(dict.fromkeys(CELLS, 0)).value is None


def test_the_qd766_score_says_it_is_an_estimate():
    assert QD766.estimate and "ước tính" in QD766.label and not RESOLVED.estimate


@pytest.mark.parametrize("name, expected", [("resolved", 0.75), ("qd766", 0.6), ("workload", 4 / 6)])
def test_the_table_rate_follows_the_chosen_definition(dossiers, name, expected):
    d = dossiers([
        {"received": "2019-01-03", "due": "2019-01-10", "completed": "2019-01-08", "unit": "X"},
        {"received": "2019-01-04", "due": "2019-01-10", "completed": "2019-01-10", "unit": "X"},
        {"received": "2019-02-11", "due": "2019-02-15", "completed": "2019-02-20", "unit": "X"},
        {"received": "2018-12-27", "due": "2019-01-09", "completed": "2019-01-07", "unit": "X"},
        {"received": "2019-03-01", "due": "2019-03-15", "unit": "X"},
        {"received": "2019-03-05", "completed": "2019-03-06", "status": 7, "unit": "X"},
    ])
    table = official_table(d, Q1, by="unit", rate=name)
    assert table.total["on_time_rate"] == pytest.approx(expected)
    assert table.groups.loc[0, "on_time_rate"] == pytest.approx(expected)
    assert table.rate.definition.name == name
