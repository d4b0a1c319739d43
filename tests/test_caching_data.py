"""What the screens hold and read again (review 2026-12-07 §5.1–5.4, issue 20): the figures are counted again only
when an import is added or removed (or the catalog that fills their due dates changes), never after a sign-in or
any other audit entry; the store's lists only when they change; no frame of the dossiers is held (the engine counts
them where they are, the caches hold small results), and the screens' figures are the core's."""
import datetime as dt
import gc

import pandas as pd
import pytest

from analytics.access.audit import SIGN_IN_FAILED, AuditTrail
from analytics.analyses import classification
from analytics.analyses.bieu06 import official_table
from analytics.analyses.catalog_audit import fill_missing_due_dates
from analytics.analyses.classification import CELL, LATE, OUTSIDE, PENDING_OVERDUE, classify
from analytics.analyses.filters import Filters
from analytics.analyses.late import late_table
from analytics.analyses.screening import screens
from analytics.dossiers.store import Store
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.model.session import SupervisionSession
from tests.apps import page_app
from tests.workbooks import ROWS, simple_export
from ui import analyses, data

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))
YEAR = Period(dt.date(2018, 1, 1), dt.date(2018, 12, 31))


@pytest.fixture(autouse=True)
def key_elsewhere(tmp_path, monkeypatch):
    """The audit trail's key (when the trail is keyed) in the test's folder, not in the home folder."""
    monkeypatch.setenv("ONESTOP_KEY_DIR", str(tmp_path / "key"))


@pytest.fixture
def counted(monkeypatch):
    """Calls of the store's reading methods, by name."""
    calls: dict[str, int] = {}
    for name in ("dossiers", "imports", "issues", "sessions", "reported_tables", "row_corrections", "reported",
                 "engine_connection"):
        real = getattr(Store, name)

        def wrapper(self, *args, _real=real, _name=name, **kwargs):
            calls[_name] = calls.get(_name, 0) + 1
            return _real(self, *args, **kwargs)
        monkeypatch.setattr(Store, name, wrapper)
    return calls


def audit_writes(store: Store) -> None:
    """What a stranger's failed sign-in writes: an audit entry and the users' table."""
    AuditTrail(store).record("(chưa đăng nhập)", SIGN_IN_FAILED, "k***", outcome="refused")
    with store.connection() as con:
        con.execute("UPDATE users SET failures = failures + 1 WHERE name = 'khach'")


def received(source) -> int:
    return analyses.table(source, Filters(), Q1, None, "resolved", False)[0]["received_total"]


def test_a_failed_sign_in_makes_no_session_read_the_dossiers_again(empty_store, tmp_path, counted):
    # The "done when": a failed sign-in no longer makes any other session count the store again.
    empty_store.import_file(simple_export(tmp_path / "q1.xlsx"))
    source = data.current_source()
    assert not source.is_sample and received(source) == 3
    asked = counted["engine_connection"]
    audit_writes(empty_store)
    again = data.current_source()
    assert again.key == source.key
    assert received(again) == 3
    assert counted["engine_connection"] == asked
    # An import is new data: counted again, with its dossiers; never read into a frame.
    empty_store.import_file(simple_export(tmp_path / "q2.xlsx", rows=[[4, "TP-190301-0004", *ROWS[0][2:]]]))
    after = data.current_source()
    assert after.key != source.key and received(after) == 4
    assert counted["engine_connection"] > asked and "dossiers" not in counted


def test_the_stores_lists_are_read_again_only_when_they_change(empty_store, tmp_path, counted):
    empty_store.import_file(simple_export(tmp_path / "q1.xlsx"))
    for _ in range(3):
        assert data.stored("sessions") == [] and data.row_corrections("bieu-x", "unit").matches == {}
        assert len(data.stored("imports")) == 1 and data.stored("reported_tables").empty
    reads = dict(counted)
    assert reads["sessions"] == reads["row_corrections"] == reads["reported_tables"] == 1
    audit_writes(empty_store)
    empty_store.remember_corrections("bieu-x", "unit", "row", {"UBND P. Chi Lăng": "Phòng Tư pháp"})
    assert data.stored("sessions") == [] and len(data.stored("imports")) == 1 and data.stored("reported_tables").empty
    assert data.row_corrections("bieu-x", "unit").matches == {"UBND P. Chi Lăng": "Phòng Tư pháp"}
    assert data.row_corrections("bieu-x", "field").matches == {}
    assert {k: counted[k] - reads[k] for k in reads} == {"imports": 0, "sessions": 0, "reported_tables": 0,
                                                        "row_corrections": 2}
    session = SupervisionSession("Quý I", dt.date(2019, 1, 1), dt.date(2019, 3, 31))
    empty_store.save_session(session)
    assert [s.name for s in data.stored("sessions")] == ["Quý I"]


def sample_dossiers(source) -> pd.DataFrame:
    """The sample as the screens count it (due dates filled from the sample's catalog, as the sidebar's default)."""
    filled, _ = fill_missing_due_dates(data.sample_readings(source).dossiers, data.catalog(source))
    return filled


SOME_FILTERS = [Filters(fields=("Hộ tịch",)), Filters(fields=("Đất đai",)), Filters(channels=(2,)),
                Filters(fields=("Hộ tịch", "Đất đai"))]


def test_the_screens_figures_need_no_dossier_in_python(empty_store, monkeypatch):
    """Biểu 06, caveats, processing times, trends, comparisons and the late lists are counted by the engine: no
    dossier is classified in this process for them."""
    def refuse(*args, **kwargs):
        raise AssertionError("classified in Python")
    monkeypatch.setattr(classification, "cells", refuse)
    monkeypatch.setattr(classification, "classify", refuse)
    source = data.current_source()
    for filters in SOME_FILTERS:
        analyses.table(source, filters, Q1, "unit", "resolved", False)
        analyses.caveats(source, filters, Q1, False)
        analyses.processing(source, filters, Q1, "procedure", False)
        analyses.trend(source, filters, YEAR, "month", False, None, "resolved", False)
        analyses.comparison(source, filters, YEAR, Q1, "unit", "resolved", False)
        analyses.inspection(source, filters, Q1, False)


@pytest.mark.parametrize("filters", [Filters(), Filters(fields=("Hộ tịch",)), Filters(channels=(2,))])
@pytest.mark.parametrize("period, fold", [(Q1, False), (YEAR, True), (Period(dt.date(2019, 3, 31),
                                                                              dt.date(2019, 3, 31)), False)])
def test_the_screens_figures_are_the_cores(empty_store, filters, period, fold):
    source = data.current_source()
    dossiers = filters.apply(sample_dossiers(source))
    classified = classify(dossiers, period, fold)
    placed = classify(data.period_dossiers(source, filters, [period]), period, fold)   # the period's only
    counted = classified[~classified[CELL].isin([OUTSIDE])]
    def plain(frame: pd.DataFrame) -> pd.DataFrame:   # blanks alike, whatever their dtype (None, NaN, NA)
        frame = frame.sort_values(s.CASE_ID).reset_index(drop=True).astype(object)
        return frame.where(frame.notna(), None)
    pd.testing.assert_frame_equal(plain(placed[counted.columns]), plain(counted), check_dtype=False)
    for by in (None, "unit", "procedure"):
        core = official_table(dossiers, period, by, fold)
        total, groups, left_out = analyses.table(source, filters, period, by, "resolved", fold)
        assert total == core.total and left_out == core.quality()
        if by:
            pd.testing.assert_frame_equal(groups.reset_index(drop=True), core.groups.reset_index(drop=True))
    lists, by_unit, by_field, late, _ = analyses.inspection(source, filters, period, fold)
    assert [(s.code, s.count, s.units) for s in lists] == [(s.code, s.count, s.units)
                                                           for s in screens(classified, period)]
    pd.testing.assert_frame_equal(by_unit, late_table(classified, "unit"), check_dtype=False)
    pd.testing.assert_frame_equal(by_field, late_table(classified, "field"), check_dtype=False)
    assert late.count == int(classified[CELL].isin([LATE, PENDING_OVERDUE]).sum())


def _classified_frames(rows: int) -> list[pd.DataFrame]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, pd.DataFrame) and CELL in o.columns and len(o) == rows]


def _whole_frames(rows: int) -> list[pd.DataFrame]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, pd.DataFrame) and len(o) >= rows and s.CASE_ID in o.columns]


def test_no_frame_of_the_dossiers_is_held_once_the_screens_are_drawn(empty_store):
    source = data.current_source()
    everything = len(data.sample_readings(source).dossiers)
    # Frames other tests keep (tests/session_fixtures.py caches a session's figures) are not the screens'; held
    # here, so that no new frame can take the id of one of them.
    before = _classified_frames(everything) + _whole_frames(everything)
    for fold in (False, True):
        analyses.table(source, Filters(), Q1, "unit", "resolved", fold)
        analyses.processing(source, Filters(), Q1, None, fold)
        analyses.inspection(source, Filters(), Q1, fold)
        analyses.experience(source, Filters(), Q1, fold, "unit", None, None, None)
    known = {id(frame) for frame in before}
    assert [frame for frame in _classified_frames(everything) if id(frame) not in known] == []
    # Of the dossiers' frames, none new: only the sample as read (its files' provenance) was there already.
    assert [frame for frame in _whole_frames(everything) if id(frame) not in known] == []
    assert id(data.sample_readings(source).dossiers) in known


def test_a_rerun_of_the_report_pages_reads_nothing_from_the_store(empty_store, counted):
    # Review §5.3: the remembered row matches were read from the store on every rerun of Báo cáo and Trình chiếu.
    empty_store.save_session(SupervisionSession("Quý I", dt.date(2019, 1, 1), dt.date(2019, 3, 31)))
    empty_store.remember_corrections("bieu-x", "unit", "row", {"UBND P. Chi Lăng": "Phòng Tư pháp"})
    for page in ("pages/bao-cao.py", "pages/trinh-chieu.py"):
        at = page_app(page).run()
        assert not at.exception, at.exception
        counted.clear()
        at.run()
        assert not at.exception
        assert counted == {}, page


@pytest.mark.parametrize("imported", [False, True])
def test_the_warm_up_at_start_leaves_the_first_screen_nothing_to_read(empty_store, tmp_path, monkeypatch, imported):
    """server.py reads the data into the cache on a thread as it starts (ui/data.warm_up): the first screen then
    reads no dossiers, whether they are the sample or the store's."""
    if imported:
        assert empty_store.import_file(simple_export(tmp_path / "q1.xlsx", rows=ROWS)).status == "imported"
    data.warm_up()
    reads = []
    monkeypatch.setattr(data, "read_files", lambda *a, **k: reads.append("sample") or pytest.fail("sample read"))
    monkeypatch.setattr(Store, "dossiers", lambda *a, **k: reads.append("store") or pytest.fail("store read"))
    at = page_app("pages/tong-quan.py").run()
    assert not at.exception and reads == []
    assert ("DỮ LIỆU MẪU" in " ".join(c.value for c in at.caption)) is not imported


def test_a_warm_up_that_fails_leaves_the_first_screen_to_say_why(empty_store, monkeypatch):
    with monkeypatch.context() as failing:
        failing.setattr(data, "read_files", lambda *a, **k: (_ for _ in ()).throw(OSError("ổ đĩa không đọc được")))
        data.warm_up()  # no exception reaches the server's thread
    at = page_app("pages/tong-quan.py").run()
    assert not at.exception and at.metric
