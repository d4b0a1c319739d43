"""Every rule of DOMAIN.md's classification, against cases worked out by hand. Period: Q1/2019 unless said."""
import datetime as dt

import pytest

from analytics.analyses import bieu06 as b
from analytics.analyses import classification as c
from analytics.analyses.bieu06 import official_table
from analytics.analyses.classification import classify
from analytics.model.periods import Period

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))


def cell_of(dossiers, row, period=Q1, **kwargs):
    return classify(dossiers([row]), period, **kwargs)[c.CELL].iloc[0]


@pytest.mark.parametrize("row, expected", [
    ({"received": "2019-01-10", "due": "2019-01-20", "completed": "2019-01-15"}, c.EARLY),
    ({"received": "2019-01-10", "due": "2019-01-20", "completed": "2019-01-20"}, c.ON_TIME),   # on the due date
    ({"received": "2019-01-10", "due": "2019-01-20", "completed": "2019-01-21"}, c.LATE),
    ({"received": "2019-01-10", "completed": "2019-03-30"}, c.ON_TIME),                      # no due date
    # The original due date wins over the due date moved after an apology letter.
    ({"received": "2019-01-10", "original_due": "2019-01-20", "due": "2019-02-20", "completed": "2019-02-01"}, c.LATE),
    # Finished after the cut-off: still pending at the cut-off.
    ({"received": "2019-03-01", "due": "2019-03-20", "completed": "2019-04-02"}, c.PENDING_OVERDUE),
    ({"received": "2019-03-01", "due": "2019-04-20", "completed": "2019-04-02"}, c.PENDING_IN_TIME),
    ({"received": "2019-03-01", "due": "2019-03-31"}, c.PENDING_IN_TIME),                     # due on the cut-off
    ({"received": "2019-03-01", "due": "2019-03-30"}, c.PENDING_OVERDUE),
    ({"received": "2019-03-01"}, c.PENDING_IN_TIME),                                          # no due date
    ({"received": "2019-03-01", "due": "2019-03-10", "status": 5}, c.PENDING_IN_TIME),        # waiting: papers
    ({"received": "2019-03-01", "due": "2019-03-10", "status": 6}, c.PENDING_IN_TIME),        # waiting: fees
    ({"received": "2019-02-01", "completed": "2019-02-05", "status": 7}, c.WITHDRAWN),
    ({"received": "2019-02-01", "completed": "2019-02-05", "status": 8}, c.WITHDRAWN),
    ({"received": "2019-02-01", "status": 1}, c.EXCLUDED),
    ({"received": "2019-02-01", "completed": "2019-02-01", "status": 3}, c.EXCLUDED),
    ({"due": "2019-02-01", "completed": "2019-02-01"}, c.EXCLUDED),                             # no received date
    ({"received": "2019-02-10", "completed": "2019-02-01"}, c.EXCLUDED),                        # finish < received
    ({"received": "2019-02-10", "status": 10}, c.UNPLACEABLE),                                 # ended, no date
    ({"received": "2019-02-10", "due": "2019-02-20", "returned": "2019-02-25"}, c.LATE),       # return date fallback
    ({"received": "2019-03-31", "due": "2019-04-05"}, c.PENDING_IN_TIME),                       # boundary: last day
    ({"received": "2019-04-01", "due": "2019-04-05"}, c.OUTSIDE),                               # day after the end
    ({"received": "2018-12-20", "completed": "2018-12-31"}, c.OUTSIDE),                         # done before start
    ({"received": "2018-12-20", "due": "2019-01-02", "completed": "2019-01-02"}, c.ON_TIME),    # carried over
])
def test_each_rule_places_the_dossier_in_its_cell(dossiers, row, expected):
    assert cell_of(dossiers, row) == expected


def test_fold_withdrawn_counts_withdrawals_as_on_time_only_when_asked(dossiers):
    row = {"received": "2019-02-01", "completed": "2019-02-05", "status": 7}
    assert cell_of(dossiers, row) == c.WITHDRAWN
    assert cell_of(dossiers, row, fold_withdrawn=True) == c.ON_TIME


def test_a_dossier_carried_over_twice_is_carried_in_both_later_periods(dossiers):
    d = dossiers([{"received": "2018-09-20", "due": "2018-10-15", "completed": "2019-02-10"}])
    q3 = official_table(d, Period(dt.date(2018, 7, 1), dt.date(2018, 9, 30))).total
    q4 = official_table(d, Period(dt.date(2018, 10, 1), dt.date(2018, 12, 31))).total
    q1 = official_table(d, Q1).total
    assert (q3["received_direct_postal"], q3["carried_over"], q3["pending_in_time"]) == (1, 0, 1)
    assert (q4["carried_over"], q4["pending_overdue"]) == (1, 1)
    assert (q1["carried_over"], q1["resolved_late"]) == (1, 1)


def test_a_small_office_quarter_worked_by_hand(dossiers):
    # 8 dossiers; by hand for Q1/2019:
    # A online, early; B in person, on time; C post, late; D carried over and resolved early;
    # E pending overdue; F withdrawn; G refused (excluded); H received after the cut-off (outside).
    d = dossiers([
        {"id": "A", "received": "2019-01-03", "due": "2019-01-10", "completed": "2019-01-08", "channel": 2},
        {"id": "B", "received": "2019-01-04", "due": "2019-01-10", "completed": "2019-01-10"},
        {"id": "C", "received": "2019-02-11", "due": "2019-02-15", "completed": "2019-02-20", "channel": 3},
        {"id": "D", "received": "2018-12-27", "due": "2019-01-09", "completed": "2019-01-07"},
        {"id": "E", "received": "2019-03-01", "due": "2019-03-15"},
        {"id": "F", "received": "2019-03-05", "completed": "2019-03-06", "status": 7, "channel": 2},
        {"id": "G", "received": "2019-03-05", "status": 3},
        {"id": "H", "received": "2019-04-01"},
    ])
    total = official_table(d, Q1).total
    assert total == {
        "received_total": 6, "received_online": 2, "received_direct_postal": 3, "carried_over": 1,
        "resolved_total": 4, "resolved_early": 2, "resolved_on_time": 1, "resolved_late": 1,
        "pending_total": 1, "pending_in_time": 0, "pending_overdue": 1, "withdrawn": 1, "on_time_rate": 0.75,
    }


def test_nothing_resolved_gives_no_rate_not_zero(dossiers):
    total = official_table(dossiers([{"received": "2019-03-01"}]), Q1).total
    assert total["resolved_total"] == 0 and total["on_time_rate"] is None


def test_empty_input_gives_zeros_and_no_rate(dossiers):
    table = official_table(dossiers([]), Q1, by="unit")
    assert all(table.total[k] == 0 for k in b.COUNT_KEYS) and table.total["on_time_rate"] is None
    assert table.groups.empty


@pytest.mark.parametrize("by", sorted(b.GROUPINGS))
def test_groups_add_up_to_the_total_and_keep_the_identities(dossiers, by):
    d = dossiers([
        {"received": "2019-01-03", "due": "2019-01-10", "completed": "2019-01-08", "unit": "Phòng Tư pháp",
         "field": "Hộ tịch", "level": "Huyện", "procedure": "Khai sinh", "channel": 2},
        {"received": "2019-01-04", "due": "2019-01-10", "completed": "2019-01-12", "unit": "UBND phường Chi Lăng",
         "field": "Hộ tịch", "level": "Xã", "procedure": "Khai tử"},
        {"received": "2018-12-04", "due": "2019-01-10", "field": "Đất đai", "procedure": "Cấp GCN"},
        {"received": "2019-02-04", "completed": "2019-02-05", "status": 8, "unit": "Phòng Tư pháp"},
    ])
    table = official_table(d, Q1, by=by)
    for k in b.COUNT_KEYS:
        assert table.groups[k].sum() == table.total[k]
    for g in [table.total, *table.groups.to_dict("records")]:
        assert g["received_total"] == g["resolved_total"] + g["pending_total"] + g["withdrawn"]
    assert (table.groups["name"] == "(Không ghi)").sum() <= 1


def test_channel_groups_are_named_in_vietnamese(dossiers):
    d = dossiers([{"received": "2019-01-03", "channel": 2}, {"received": "2019-01-03", "channel": 3},
                  {"received": "2019-01-03"}])
    names = set(official_table(d, Q1, by="channel").groups["name"])
    assert names == {"Trực tuyến", "Bưu chính công ích", "Trực tiếp"}


def test_dossiers_left_out_are_counted_by_reason(dossiers):
    d = dossiers([{"received": "2019-02-01", "status": 3}, {"due": "2019-02-01"},
                  {"received": "2019-02-10", "completed": "2019-02-01"}, {"received": "2019-02-10", "status": 9}])
    assert official_table(d, Q1).quality() == {c.REASON_NOT_RECEIVED: 1, c.REASON_NO_RECEIVED_DATE: 1,
                                               c.REASON_FINISH_BEFORE_RECEIVED: 1, c.REASON_ENDED_WITHOUT_DATE: 1}


def test_only_dossiers_received_in_the_period_are_left_out_of_it(dossiers):
    # Review 1.1: a refused dossier of 2017 and one received after the cut-off are no concern of Q1/2019; a dossier
    # with no received date belongs to no period, so every period lists it.
    d = dossiers([{"received": "2017-03-05", "status": 3}, {"received": "2019-04-02", "status": 3},
                  {"received": "2019-04-10", "completed": "2019-04-01"}, {"received": "2017-05-10",
                                                                           "completed": "2017-05-01"},
                  {"received": "2019-03-01", "status": 1}, {"due": "2019-02-01"},
                  {"received": "2019-01-03", "completed": "2019-01-04"}])
    left_out = official_table(d, Q1).quality()
    assert left_out == {c.REASON_NOT_RECEIVED: 1, c.REASON_NO_RECEIVED_DATE: 1,
                        c.REASON_FINISH_BEFORE_RECEIVED: 0, c.REASON_ENDED_WITHOUT_DATE: 0}
    q2 = official_table(d, Period(dt.date(2019, 4, 1), dt.date(2019, 6, 30))).quality()
    assert q2[c.REASON_NOT_RECEIVED] == 1 and q2[c.REASON_FINISH_BEFORE_RECEIVED] == 1
    assert q2[c.REASON_NO_RECEIVED_DATE] == 1


def test_classify_does_not_change_its_input(dossiers):
    d = dossiers([{"received": "2019-01-03", "completed": "2019-01-04"}])
    before = d.copy()
    classify(d, Q1)
    assert d.equals(before)


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        Period(dt.date(2019, 3, 31), dt.date(2019, 1, 1))


def test_period_totals_equal_the_official_table_of_each_period(dossiers):
    from analytics.analyses.bieu06 import period_totals
    from analytics.model.periods import series
    d = dossiers([
        {"received": "2018-12-20", "due": "2019-01-02", "completed": "2019-01-02"},
        {"received": "2019-01-10", "due": "2019-01-20", "completed": "2019-02-15", "channel": 2},
        {"received": "2019-02-11", "due": "2019-02-15"},
        {"received": "2019-03-01", "completed": "2019-03-06", "status": 7},
    ])
    months = series(Q1.start, Q1.end, "month")
    totals = period_totals(d, months, rate="qd766")
    for month, row in zip(months, totals.to_dict("records")):
        expected = official_table(d, month, rate="qd766").total
        assert {k: row[k] for k in b.COUNT_KEYS} == {k: expected[k] for k in b.COUNT_KEYS}
        assert (row["on_time_rate"] is None and expected["on_time_rate"] is None) or \
            row["on_time_rate"] == pytest.approx(expected["on_time_rate"])
    # By hand, February: carried over 1 (received 10/01, finished 15/02 > due 20/01: late), received 1 (11/02,
    # due 15/02, unfinished at 28/02: overdue).
    assert (totals.loc[1, "carried_over"], totals.loc[1, "received_direct_postal"]) == (1, 1)
    assert totals.loc[1, "resolved_late"] == 1 and totals.loc[1, "pending_overdue"] == 1


def test_filters_by_codes_keep_the_same_rows_as_by_values(dossiers):
    from analytics.analyses.filters import FilterIndex, Filters
    d = dossiers([{"received": "2019-01-03", "unit": "A", "field": "Hộ tịch"}, {"received": "2019-01-03", "unit": "B"},
                  {"received": "2019-01-03", "field": "Đất đai", "channel": 2}])
    for f in (Filters(units=("A",)), Filters(fields=("(Không ghi)",)), Filters(fields=("Hộ tịch", "Đất đai")),
              Filters(channels=(2,)), Filters(units=("B",), fields=("Hộ tịch",))):
        assert (f.mask(d, FilterIndex.of(d)) == f.mask(d)).all()
    assert Filters(fields=("(Không ghi)",)).mask(d).tolist() == [False, True, False]


def test_the_official_layout_nests_level_unit_field_with_subtotals(dossiers):
    d = dossiers([
        {"received": "2019-01-03", "completed": "2019-01-04", "level": "Cấp huyện", "unit": "Phòng Tư pháp",
         "field": "Hộ tịch"},
        {"received": "2019-01-03", "completed": "2019-01-04", "level": "Cấp huyện", "unit": "Phòng Tư pháp",
         "field": "Chứng thực"},
        {"received": "2019-01-03", "level": "Cấp huyện", "unit": "Phòng TNMT", "field": "Đất đai"},
        {"received": "2019-01-03", "completed": "2019-01-04", "level": "Cấp xã", "unit": "UBND xã Mai Pha",
         "field": "Hộ tịch"},
        {"received": "2018-01-03", "completed": "2018-01-04", "level": "Cấp xã", "unit": "UBND xã Cũ",
         "field": "Hộ tịch"},  # outside the period: no row at all
    ])
    table = official_table(d, Q1, by="official")
    rows = table.groups
    assert rows["label"].tolist() == ["I. Cấp huyện", "1. Phòng TNMT", "- Đất đai", "2. Phòng Tư pháp",
                                      "- Chứng thực", "- Hộ tịch", "II. Cấp xã", "1. UBND xã Mai Pha", "- Hộ tịch"]
    assert rows["received_total"].tolist() == [3, 1, 1, 2, 1, 1, 1, 1, 1]
    assert rows["resolved_total"].tolist() == [2, 0, 0, 2, 1, 1, 1, 1, 1]
    fields = rows[rows["depth"] == 2]
    for k in b.COUNT_KEYS:
        assert fields[k].sum() == table.total[k] == rows[rows["depth"] == 0][k].sum()


@pytest.mark.parametrize("row, cell", [
    # Review 2.5: ended (7/8) without any finish date: cannot be placed (rule 5).
    ({"received": "2019-01-10", "status": 7}, c.UNPLACEABLE),
    ({"received": "2019-01-10", "status": 8}, c.UNPLACEABLE),
    # Withdrawn, but after the cut-off: still being handled on 31/03.
    ({"received": "2019-03-01", "due": "2019-03-20", "completed": "2019-04-02", "status": 7}, c.PENDING_OVERDUE),
    ({"received": "2019-03-01", "due": "2019-04-20", "completed": "2019-04-02", "status": 7}, c.PENDING_IN_TIME),
    # Carried over: received before the start and finished exactly on the start date is still workload.
    ({"received": "2018-12-20", "due": "2019-01-01", "completed": "2019-01-01"}, c.ON_TIME),
    # ... but finished the day before the start is not.
    ({"received": "2018-12-20", "due": "2019-01-01", "completed": "2018-12-31"}, c.OUTSIDE),
])
def test_classification_edges(dossiers, row, cell):
    assert classify(dossiers([row]), Q1)[c.CELL].iloc[0] == cell


def test_a_dossier_finished_on_the_start_date_counts_as_carried_over(dossiers):
    table = official_table(dossiers([{"received": "2018-12-20", "due": "2019-01-02", "completed": "2019-01-01"}]),
                           Q1).total
    assert (table["carried_over"], table["resolved_early"], table["received_total"]) == (1, 1, 1)
