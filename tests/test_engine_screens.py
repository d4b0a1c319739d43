"""What the screens read is counted by the engine (issue 20): the relation the screens' choices make (filters, units
under new boundaries, due dates filled from the catalog) and every figure read from it — Biểu 06, caveats and the
dossiers left out, trends, processing times and pending ages, the filters' choices and the default period — equal
what the pandas path gives from the same dossiers: on the sample made harder (due dates removed, marks set, a
column missing from one file), on random dossiers, and on a store; one processing time and one filled due date
worked out by hand."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.analyses import classification, engine, timeliness
from analytics.analyses import experience as lived
from analytics.analyses.bieu06 import GROUPINGS, OFFICIAL, official_table, period_tables, tabled
from analytics.analyses.boundaries import Placement, under_boundaries
from analytics.analyses.catalog_audit import DUE_DATE_COMPUTED, fill_missing_due_dates
from analytics.analyses.caveats import caveats
from analytics.analyses.filters import Filters, choices
from analytics.analyses.late import late_table
from analytics.analyses.screening import DOSSIER_COLUMNS, screens
from analytics.analyses.session_figures import engine_session_figures, prepared, session_figures
from analytics.analyses.trends import coverage, default_period
from analytics.dossiers.dedup import chosen_sql
from analytics.dossiers.sources import read_files
from analytics.dossiers.store import Store
from analytics.ingest.catalog import read_catalog
from analytics.model import schema as s
from analytics.model.periods import Period, series
from analytics.model.unit_register import NEW
from tests.conftest import make_dossiers
from tests.experience_workbooks import experience_export
from tests.session_fixtures import SAMPLE_SESSION, SEED_SESSION
from tests.test_properties import SETTINGS, dossier_rows, periods
from tests.workbooks import write_rows

ROOT = Path(__file__).resolve().parent.parent
YEAR_2018 = Period(dt.date(2018, 1, 1), dt.date(2018, 12, 31))
Q1_2019 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))
MERGED = "Phòng Văn hoá - Xã hội"   # two sample units counted under one successor


def assert_same_rows(expected: pd.DataFrame, found: pd.DataFrame) -> None:
    """The same rows and values, blanks alike whatever their dtype (None, NaN, NA)."""
    def plain(frame):
        frame = frame.reset_index(drop=True).astype(object)
        return frame.where(frame.notna(), None)
    pd.testing.assert_frame_equal(plain(expected), plain(found), check_dtype=False)


def _engine_on(dossiers: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.register("frame", dossiers)
    con.execute(f"CREATE TABLE {engine.DOSSIERS} AS SELECT * FROM frame")
    con.unregister("frame")
    return con


@pytest.fixture(scope="module")
def harder_sample():
    """The sample with a third of its due dates (and original due dates) removed, marks set on a few dossiers, the
    channel column missing from one file, and the catalog the dashboard fills due dates from."""
    loaded = read_files([ROOT / "sample_data" / "exports"])
    dossiers = loaded.dossiers.copy()
    rng = np.random.default_rng(20)
    blank = rng.random(len(dossiers)) < 0.33
    dossiers.loc[blank, [s.DUE_DATE, s.ORIGINAL_DUE_DATE]] = pd.NaT
    for flag in (s.STATUS_UNRECOGNISED, s.CHANNEL_UNRECOGNISED, s.DUE_DATE_UNREADABLE, s.FINISH_DATE_UNREADABLE):
        dossiers[flag] = rng.random(len(dossiers)) < 0.05
    dossiers[s.IMPORT_ID] = rng.integers(1, 4, len(dossiers))
    missing = {s.CHANNEL: {2: "2018-Q2.xlsx"}, s.DUE_DATE: {3: "2018-Q3.xlsx"}}
    catalog = read_catalog(ROOT / "sample_data" / "procedures.xlsx")
    units = sorted(dossiers[s.UNIT].dropna().unique())
    successors = {units[0]: MERGED, units[1]: MERGED}
    con = _engine_on(dossiers)
    limits = engine.catalog_limits(con, catalog)
    placed = under_boundaries(dossiers, Placement(successors, [], [], []), NEW)
    filled, computed = fill_missing_due_dates(placed, catalog)
    assert computed > 100   # the catalog gives many of the removed due dates back
    yield filled, con, missing, successors, limits
    con.close()


FILTERS = [Filters(), Filters(units=(MERGED,)), Filters(channels=(2,)), Filters(fields=("Hộ tịch", s.MISSING_GROUP)),
           Filters(levels=("Cấp huyện",), channels=(1, 3))]


@pytest.mark.parametrize("filters", FILTERS, ids=range(len(FILTERS)))
@pytest.mark.parametrize("fold", [False, True])
def test_the_screens_relation_gives_the_figures_the_pandas_path_gives(harder_sample, filters, fold):
    filled, con, missing, successors, limits = harder_sample
    relation = engine.prepared(con, filters, successors, limits)
    dossiers = filters.apply(filled)
    assert engine.computed_due_dates(con, engine.prepared(con, Filters(), successors, limits)) == int(
        filled[DUE_DATE_COMPUTED].sum())
    for period in (YEAR_2018, Q1_2019):
        for by in (None, "unit", "channel", OFFICIAL):
            expected = official_table(dossiers, period, by, fold)
            found = engine.engine_table(con, period, by, fold, source=relation)
            assert found.total == expected.total
            pd.testing.assert_frame_equal(expected.groups.reset_index(drop=True),
                                          found.groups.reset_index(drop=True), check_dtype=False)
        placed = classification.classify(dossiers, period, fold)
        found_caveats, left_out = engine.engine_checks(con, period, fold, missing, relation)
        assert found_caveats == caveats(placed, missing)
        assert left_out == tabled(placed, period, None, fold).quality()
        durations = timeliness.with_durations(placed, period)
        for by in (None, "procedure", "unit"):
            total, groups, ages = engine.engine_processing(con, period, by, fold, relation)
            assert (total, groups) == timeliness.processing_summary(durations, by)
        assert ages == timeliness.pending_age(durations)
        for freq, cutoff in (("month", False), ("quarter", True)):
            points = series(period.start, period.end, freq, cutoff)
            for by in (None, "unit"):
                expected = period_tables(dossiers, points, by, fold_withdrawn=fold)
                found = engine.engine_trend(con, points, by, fold, relation)
                pd.testing.assert_frame_equal(expected.reset_index(drop=True),
                                              found[expected.columns].reset_index(drop=True), check_dtype=False)


def test_the_filters_choices_and_the_default_period_come_from_the_engine(harder_sample):
    filled, con, _, successors, limits = harder_sample
    found_choices, years, natural, months = engine.engine_overview(con, engine.prepared(con, Filters(), successors,
                                                                                        limits))
    assert found_choices == choices(filled)
    assert MERGED in found_choices["units"]
    assert years == sorted(int(y) for y in filled[s.RECEIVED_DATE].dropna().dt.year.unique())
    assert (natural, months) == (default_period(filled), coverage(filled))


def test_a_filter_value_with_a_quote_is_a_value_not_sql():
    dossiers = make_dossiers([{"received": "2019-01-02", "unit": "Phòng 'A'", "due": "2019-01-10"},
                              {"received": "2019-01-02", "unit": "Phòng B", "due": "2019-01-10"}])
    with _engine_on(dossiers) as con:
        relation = engine.prepared(con, Filters(units=("Phòng 'A'",)))
        assert engine.engine_table(con, Q1_2019, source=relation).total["received_total"] == 1
        relation = engine.prepared(con, Filters(units=("x') OR TRUE OR (unit IN ('",)))
        assert engine.engine_table(con, Q1_2019, source=relation).total["received_total"] == 0


def test_processing_days_and_a_filled_due_date_worked_out_by_hand(tmp_path):
    """Received Friday 11/01/2019, finished Tuesday 15/01/2019: Monday 14 and Tuesday 15 are the working days after
    receipt, so 2 days. A dossier of a procedure with a 3-working-day limit received Friday 11/01/2019 and without a
    due date gets Wednesday 16/01/2019 (Mon 14, Tue 15, Wed 16); finished Thursday 17/01 (4 days) it is late.
    (Not the week before: Saturday 05/01/2019 was worked in exchange for 31/12/2018.)"""
    catalog_file = tmp_path / "catalog.xlsx"
    write_rows(catalog_file, [["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cấp thực hiện", "Thời hạn giải quyết"],
                              ["1.001", "Cấp bản sao trích lục", "Hộ tịch", "Cấp huyện", "3 ngày làm việc"]])
    dossiers = make_dossiers([
        {"received": "2019-01-11", "completed": "2019-01-15", "due": "2019-01-16", "procedure": "Khác"},
        {"received": "2019-01-11", "completed": "2019-01-17", "procedure": "Cấp bản sao trích lục",
         "level": "Cấp huyện"}])
    with _engine_on(dossiers) as con:
        relation = engine.prepared(con, Filters(), None, engine.catalog_limits(con, read_catalog(catalog_file)))
        due = con.execute(f"SELECT {s.DUE_DATE}, {engine.r.DUE_DATE_COMPUTED} FROM {relation} "
                          f"ORDER BY {s.CASE_ID}").fetchall()
        assert [(pd.Timestamp(d).date(), c) for d, c in due] == [(dt.date(2019, 1, 16), False),
                                                                 (dt.date(2019, 1, 16), True)]
        total, _, _ = engine.engine_processing(con, Q1_2019, None, False, relation)
        table = engine.engine_table(con, Q1_2019, source=relation).total
    assert (total["resolved"], total["median_days"]) == (2, (2 + 4) / 2)   # 11→17/01: Mon–Thu, 4 days
    assert (table["resolved_early"], table["resolved_late"]) == (1, 1)


@settings(max_examples=60, **SETTINGS)
@given(rows=st.lists(dossier_rows(), max_size=30), period=periods(), fold=st.booleans(),
       by=st.sampled_from([None, *sorted(GROUPINGS)]))
def test_processing_and_trends_in_the_engine_equal_pandas_on_random_dossiers(rows, period, fold, by):
    dossiers = make_dossiers(rows)
    with _engine_on(dossiers) as con:
        relation = engine.prepared(con)
        total, groups, ages = engine.engine_processing(con, period, by, fold, relation)
        points = series(period.start, period.end, "quarter")
        trend = engine.engine_trend(con, points, by, fold, relation)
        found_caveats, left_out = engine.engine_checks(con, period, fold, {}, relation)
    placed = classification.classify(dossiers, period, fold)
    durations = timeliness.with_durations(placed, period)
    assert (total, groups) == timeliness.processing_summary(durations, by)
    assert ages == timeliness.pending_age(durations)
    assert (found_caveats, left_out) == (caveats(placed), tabled(placed, period, None, fold).quality())
    expected = period_tables(dossiers, points, by, fold_withdrawn=fold)
    pd.testing.assert_frame_equal(expected.reset_index(drop=True), trend[expected.columns].reset_index(drop=True),
                                  check_dtype=False)


def test_the_dashboard_reads_a_store_through_the_engine_without_its_dossiers(tmp_path):
    """A store of two files: the screens' figures from the engine equal the pandas path's over store.dossiers(),
    and the number of records merged away is counted in SQL."""
    header = ["Mã hồ sơ", "Cơ quan giải quyết", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
    first = write_rows(tmp_path / "t1.xlsx", [header,
                                              ["A1", "Phòng Tư pháp", "02/01/2019", "09/01/2019", None, "Đang xử lý"],
                                              ["A2", "UBND xã Mai Pha", "03/01/2019", "10/01/2019", None, "Đang xử lý"]])
    later = write_rows(tmp_path / "t2.xlsx", [header,
                                              ["A1", "Phòng Tư pháp", "02/01/2019", "09/01/2019", "08/01/2019",
                                               "Đã trả kết quả"],
                                              ["A3", "UBND xã Mai Pha", "04/01/2019", None, None, "Đang xử lý"]])
    store = Store(tmp_path / "data")
    store.import_file(first)
    store.import_file(later)
    dossiers, merged = store.dossiers()
    assert store.merged_away() == merged == 1
    with store.engine_connection() as con:
        relation = engine.prepared(con, Filters(units=("UBND xã Mai Pha",)))
        found = engine.engine_table(con, Q1_2019, "unit", source=relation)
        found_caveats, _ = engine.engine_checks(con, Q1_2019, False, store.missing_fields(), relation)
    kept = Filters(units=("UBND xã Mai Pha",)).apply(dossiers)
    assert found.total == official_table(kept, Q1_2019, "unit").total
    assert found_caveats == caveats(classification.classify(kept, Q1_2019), store.missing_fields())
    assert [c.code for c in found_caveats] == ["channel_missing", "due_date_none"]   # no channel column; A3


@pytest.mark.parametrize("filters", FILTERS[:3], ids=range(3))
def test_the_late_lists_and_screening_lists_from_the_engine_equal_pandas(harder_sample, filters):
    """Hồ sơ trễ hạn from the engine: every screening list's count, units and first dossiers, the late tables by
    unit and field, and the late list (its first rows held, all of them read again by its query)."""
    filled, con, _, successors, limits = harder_sample
    relation = engine.prepared(con, filters, successors, limits)
    dossiers = filters.apply(filled)
    listed = 0
    for period in (YEAR_2018, Q1_2019):
        placed = classification.classify(dossiers, period)
        found, by_unit, by_field, late, lists = engine.engine_inspection(con, period, False, relation, 50)
        listed += sum(screen.count for screen in found)
        for expected, screen in zip(screens(placed, period), found):
            assert (screen.code, screen.count, screen.units, screen.evidence) == (
                expected.code, expected.count, expected.units, expected.evidence)
            pd.testing.assert_frame_equal(expected.dossiers.head(50).reset_index(drop=True),
                                          screen.dossiers.reset_index(drop=True), check_dtype=False)
            pd.testing.assert_frame_equal(expected.dossiers.reset_index(drop=True),
                                          engine.read_list(con, lists[screen.code]), check_dtype=False)
        pd.testing.assert_frame_equal(late_table(placed, "unit"), by_unit, check_dtype=False)
        pd.testing.assert_frame_equal(late_table(placed, "field"), by_field, check_dtype=False)
        expected_late = placed[placed[classification.CELL].isin([classification.LATE,
                                                                  classification.PENDING_OVERDUE])]
        assert late.count == len(expected_late)
        listed += late.count
        pd.testing.assert_frame_equal(expected_late[DOSSIER_COLUMNS].reset_index(drop=True),
                                      engine.read_list(con, late), check_dtype=False)
    assert listed > 0


@pytest.fixture(scope="module")
def lived_exports(tmp_path_factory):
    """Two exports of citizens' experience (levels, letters and their dates, extensions, ratings, receiving points)
    and one without those columns, read as the dashboard reads them."""
    folder = tmp_path_factory.mktemp("lived")
    experience_export(folder / "a.xlsx", 400, seed=19)
    experience_export(folder / "b.xlsx", 200, seed=20, start=dt.date(2026, 2, 1))
    write_rows(folder / "c.xlsx", [["Mã hồ sơ", "Cơ quan giải quyết", "Ngày tiếp nhận", "Ngày hẹn trả",
                                    "Ngày có kết quả", "Trạng thái"],
                                   ["X1", "Sở Tư pháp", "05/01/2026", "09/01/2026", "12/01/2026", "Đã trả kết quả"]])
    dossiers = read_files([folder]).dossiers
    con = _engine_on(dossiers)
    yield dossiers, con
    con.close()


@pytest.mark.parametrize("filters", [Filters(), Filters(units=("Sở Tư pháp",)), Filters(channels=(2,))],
                         ids=range(3))
def test_citizens_experience_from_the_engine_equals_pandas(lived_exports, filters):
    """Every measure, caveat and share in total and per grouping; each count's dossiers; the receiving pairs; the
    online trend by month."""
    dossiers, con = lived_exports
    relation = engine.prepared(con, filters)
    has = engine.carried_needs(con, engine.prepared(con))
    assert has == lived.carried(dossiers) and all(has.values())
    kept = filters.apply(dossiers)
    for period in (Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31)), Period(dt.date(2026, 2, 1),
                                                                             dt.date(2026, 2, 28))):
        placed = classification.classify(kept, period)
        for by in (None, *lived.BY_CHOICES):
            assert engine.engine_experience(con, period, by, False, relation, has) == lived.experience(
                placed, period, by, has)
        for key in lived.COUNT_KEYS:
            behind = engine.experience_behind(con, period, False, relation, key, 10)
            expected = lived.dossiers_behind(placed, period, key)
            assert behind.count == len(expected), key
            assert_same_rows(expected, engine.read_list(con, behind))
            assert_same_rows(expected.head(10), behind.head)
        pd.testing.assert_frame_equal(lived.receiving_pairs(placed),
                                      engine.engine_receiving_pairs(con, period, False, relation), check_dtype=False)
        pd.testing.assert_frame_equal(lived.online_trend(kept, period, "month"),
                                      engine.engine_online_trend(con, period, "month", False, relation),
                                      check_dtype=False)


def _same_figures(expected, found) -> None:
    assert found.total == expected.total and found.left_out == expected.left_out
    assert found.caveats == expected.caveats
    for name in ("official", "by_level", "by_unit", "by_field", "by_channel", "units_funnel", "late_by_unit",
                 "late_by_field", "most_late_procedures", "most_late_fields"):
        pd.testing.assert_frame_equal(getattr(expected, name).reset_index(drop=True),
                                      getattr(found, name).reset_index(drop=True), check_dtype=False, obj=name)
    pd.testing.assert_frame_equal(expected.trend.reset_index(drop=True), found.trend[expected.trend.columns],
                                  check_dtype=False, obj="trend")
    assert found.overall_rate == expected.overall_rate
    for judged in ("attention", "trend_months"):
        for part in dataclasses.fields(getattr(expected, judged)):
            a, b = getattr(getattr(expected, judged), part.name), getattr(getattr(found, judged), part.name)
            if isinstance(a, pd.DataFrame):
                pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False)
            else:
                assert a == b, (judged, part.name)
    assert (found.comparison is None) == (expected.comparison is None)
    if expected.comparison is not None:
        assert (found.comparison.total, found.comparison.groups) == (expected.comparison.total,
                                                                     expected.comparison.groups)
        assert (found.rate_change, found.overdue_change) == (expected.rate_change, expected.overdue_change)
    assert [(sc.code, sc.count, sc.units) for sc in found.screens] == [(sc.code, sc.count, sc.units)
                                                                         for sc in expected.screens]
    assert found.audit == expected.audit and found.experience == expected.experience
    assert (found.comparison_coverage, found.data_span, found.counts_comparable) == (
        expected.comparison_coverage, expected.data_span, expected.counts_comparable)


@pytest.mark.parametrize("session", [SAMPLE_SESSION, SEED_SESSION,
                                     dataclasses.replace(SAMPLE_SESSION, fields=("Hộ tịch",), fold_withdrawn=True,
                                                         rate="workload", cutoff=True)], ids=range(3))
def test_a_sessions_figures_from_the_engine_equal_the_pandas_path(session):
    """What Báo cáo and Trình chiếu show and file: every figure of a supervision session from the engine, the
    dossiers read only for the catalog audit (the period's), equal to session_figures over every dossier."""
    loaded = read_files([ROOT / "sample_data" / "exports"])
    catalog = read_catalog(session.catalog)
    dossiers = prepared(loaded.dossiers, session, catalog)
    expected = session_figures(dossiers, session, loaded.missing_fields(), catalog)
    filters = Filters.of_session(session)
    with _engine_on(loaded.dossiers) as con:
        everything = engine.prepared(con, Filters(), None, engine.catalog_limits(con, catalog))
        span = engine.engine_overview(con, everything)[3]
        relation = engine.prepared(con, filters, None, engine.catalog_limits(con, catalog))
        scoped_span = engine.engine_overview(con, relation)[3]
        found = engine_session_figures(con, relation, session, span, scoped_span, engine.carried_needs(con, relation),
                                       lambda periods: engine.period_dossiers(con, periods, relation),
                                       loaded.missing_fields(), catalog)
    _same_figures(expected, found)


def test_after_an_import_only_its_case_ids_are_chosen_again(tmp_path):
    """The store's one-row-per-dossier table follows each import by choosing again only the case ids it holds: the
    table then equals one chosen whole from every record (a later snapshot finishing A1 and moving A2's due date;
    a new dossier A4), in the same order; a removal chooses it whole again."""
    header = ["Mã hồ sơ", "Cơ quan giải quyết", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
    first = write_rows(tmp_path / "t1.xlsx", [header,
                                              ["A1", "Phòng Tư pháp", "02/01/2019", "09/01/2019", None, "Đang xử lý"],
                                              ["A2", "Phòng Tư pháp", "03/01/2019", "10/01/2019", None, "Đang xử lý"],
                                              ["A3", "UBND xã Mai Pha", "04/01/2019", "11/01/2019", None,
                                               "Đang xử lý"]])
    later = write_rows(tmp_path / "t2.xlsx", [header,
                                              ["A1", "Phòng Tư pháp", "02/01/2019", "09/01/2019", "08/01/2019",
                                               "Đã trả kết quả"],
                                              ["A2", "Phòng Tư pháp", "03/01/2019", "20/01/2019", "15/01/2019",
                                               "Đã trả kết quả"],
                                              ["A4", "UBND xã Mai Pha", "05/01/2019", "12/01/2019", None,
                                               "Đang xử lý"]])
    store = Store(tmp_path / "data")
    store.import_file(first)

    def table() -> pd.DataFrame:
        with store.engine_connection() as con:
            return con.execute("SELECT * FROM dossiers ORDER BY engine_row").df()

    def whole() -> pd.DataFrame:
        with store.connection() as con:
            return con.execute(f"SELECT * FROM ({chosen_sql()}) AS d ORDER BY engine_row").df()

    assert table()[s.CASE_ID].tolist() == ["A1", "A2", "A3"]
    store.import_file(later)
    with store.connection() as con:   # the import left the table as it was: A4 is not in it yet
        assert con.execute("SELECT COUNT(*) FROM dossiers").fetchall()[0][0] == 3
    chosen = table()
    pd.testing.assert_frame_equal(chosen, whole())
    assert chosen[s.CASE_ID].tolist() == ["A3", "A1", "A2", "A4"]   # the records' reading order
    by_case = chosen.set_index(s.CASE_ID)
    assert by_case.loc["A2", s.ORIGINAL_DUE_RECOVERED] and by_case.loc["A1", s.IMPORT_ID] == 2
    store.remove_import(2)
    pd.testing.assert_frame_equal(table(), whole())
    assert table()[s.CASE_ID].tolist() == ["A1", "A2", "A3"]
