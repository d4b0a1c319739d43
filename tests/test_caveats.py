"""Caveats: a figure that depends on a missing column or a wording not recognised says so (hand-made dossiers)."""
import datetime as dt

import pytest

from analytics.analyses import caveats as cv
from analytics.analyses.classification import classify
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.outputs.sentences import caveat_sentence

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))


@pytest.fixture
def two_files(dossiers):
    """Three dossiers from import 1 (a file without channel or due-date columns), two from import 2 (complete);
    one of import 2 has a status wording not recognised, one of import 1 a channel wording not recognised."""
    d = dossiers([{"received": "2019-01-03", "completed": "2019-01-10"},
                  {"received": "2019-02-03"},
                  {"received": "2018-12-20"},                        # carried over: not received in Q1
                  {"received": "2019-01-05", "due": "2019-01-09", "completed": "2019-01-08"},
                  {"received": "2019-03-01", "due": "2019-03-05"},
                  {"received": "2017-01-01", "completed": "2017-01-02"}])  # outside Q1 altogether
    return d.assign(**{s.IMPORT_ID: [1, 1, 1, 2, 2, 2],
                       cv.STATUS_UNRECOGNISED: [False, False, False, False, True, True],
                       cv.CHANNEL_UNRECOGNISED: [False, True, False, False, False, False]})


def test_a_missing_column_concerns_only_the_period_dossiers_of_the_files_lacking_it(two_files):
    found = cv.caveats(classify(two_files, Q1), {"channel": {1: "q1.xlsx"}, "due_date": {1: "q1.xlsx"}})
    by_code = {c.code: c for c in found}
    assert by_code["channel_missing"].count == 2        # the two dossiers of file 1 received in Q1
    assert by_code["due_date_missing"].count == 3       # all three of file 1 are in Q1's counts
    assert by_code["channel_missing"].files == ("q1.xlsx",)
    assert by_code["status_unrecognised"].count == 1    # the 2017 dossier is outside Q1
    assert by_code["channel_unrecognised"].count == 1


def test_no_caveat_when_nothing_is_missing_or_unrecognised(dossiers):
    d = dossiers([{"received": "2019-01-03", "due": "2019-01-10", "completed": "2019-01-10"}])
    assert cv.caveats(classify(d, Q1), {}) == []


def test_dossiers_without_a_due_date_in_a_file_that_has_the_column_are_counted(dossiers):
    # Resolved with no due date: on time; pending with none: in time (DOMAIN). Withdrawn: no due date matters.
    d = dossiers([{"received": "2019-01-03", "completed": "2019-01-10"},
                  {"received": "2019-01-04"},
                  {"received": "2019-01-05", "completed": "2019-01-07", "status": 7},
                  {"received": "2019-01-06", "due": "2019-01-08", "completed": "2019-01-08"}])
    [caveat] = cv.caveats(classify(d, Q1), {})
    assert (caveat.code, caveat.count) == ("due_date_none", 2)
    assert "resolved_on_time" in caveat.affects and "pending_in_time" in caveat.affects


def test_a_missing_due_column_is_one_caveat_not_two(two_files):
    found = cv.caveats(classify(two_files, Q1), {"due_date": {1: "q1.xlsx"}})
    assert [c.code for c in found if c.field == "due_date"] == ["due_date_missing"]


def test_a_file_missing_a_column_outside_the_period_gives_no_caveat(two_files):
    later = Period(dt.date(2020, 1, 1), dt.date(2020, 3, 31))
    assert cv.caveats(classify(two_files.iloc[:1], later), {"channel": {1: "q1.xlsx"}}) == []


def test_caveats_name_the_figures_they_touch(two_files):
    found = cv.caveats(classify(two_files, Q1), {"channel": {1: "q1.xlsx"}})
    assert [c.code for c in cv.touching(found, ["received_online"])] == ["channel_missing", "channel_unrecognised"]
    # File 1 has no channel column but a due-date one, blank for its three dossiers in Q1's counts.
    assert [c.code for c in cv.touching(found, ["on_time_rate"])] == ["status_unrecognised", "due_date_none"]
    assert {c.code: c.count for c in found}["due_date_none"] == 3


def test_caveat_sentences_say_what_the_figure_cannot_tell(two_files):
    found = {c.code: c for c in cv.caveats(classify(two_files, Q1), {"channel": {1: "q1.xlsx"}})}
    assert caveat_sentence(found["channel_missing"]) == (
        "(4)/(5): không tách được trực tuyến / trực tiếp: tệp q1.xlsx không có cột hình thức nộp; 2 hồ sơ đang "
        "tính vào (5).")
    assert caveat_sentence(found["status_unrecognised"]) == "1 hồ sơ có trạng thái chưa nhận ra, đã suy ra từ ngày tháng."
