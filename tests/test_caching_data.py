"""What the screens hold and read again (review 2026-12-07 §5.1–5.4): the dossiers are read again only when an import
is added or removed (or the catalog that fills their due dates changes), never after a sign-in or any other audit
entry; the store's lists only when they change; the caches hold row numbers and counts, not copies of the dossiers;
and one classification per (data, filters, period, fold) serves every screen, with the same figures as the core."""
import datetime as dt
import gc

import pandas as pd
import pytest

from analytics.access.audit import SIGN_IN_FAILED, AuditTrail
from analytics.analyses import classification
from analytics.analyses.bieu06 import official_table
from analytics.analyses.classification import CELL, DossierDates, classify
from analytics.analyses.filters import Filters
from analytics.analyses.late import late_table
from analytics.analyses.screening import screens
from analytics.dossiers.store import Store
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
    for name in ("dossiers", "imports", "issues", "sessions", "reported_tables", "row_corrections", "reported"):
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


def test_a_failed_sign_in_makes_no_session_read_the_dossiers_again(empty_store, tmp_path, counted):
    # The "done when": a failed sign-in no longer makes any other session re-read the store.
    empty_store.import_file(simple_export(tmp_path / "q1.xlsx"))
    source = data.current_source()
    assert not source.is_sample and len(data.filtered(source, Filters())) == 3
    audit_writes(empty_store)
    again = data.current_source()
    assert again.key == source.key
    assert len(data.filtered(again, Filters())) == 3
    assert counted.get("dossiers") == 1
    # An import is new data: read again, with its dossiers.
    empty_store.import_file(simple_export(tmp_path / "q2.xlsx", rows=[[4, "TP-190301-0004", *ROWS[0][2:]]]))
    after = data.current_source()
    assert after.key != source.key and len(data.filtered(after, Filters())) == 4
    assert counted["dossiers"] == 2


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


def full_frames(columns, at_least: int) -> int:
    """Live data frames with the dossiers' columns and at least `at_least` rows."""
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, pd.DataFrame) and len(o) >= at_least
               and set(columns) <= set(o.columns))


SOME_FILTERS = [Filters(fields=("Hộ tịch",)), Filters(fields=("Đất đai",)), Filters(channels=(2,)),
                Filters(fields=("Hộ tịch", "Đất đai"))]


def test_filters_keep_row_numbers_not_copies_of_the_dossiers(empty_store):
    source = data.current_source()  # the sample
    dossiers = data.filtered(source, Filters())
    smallest = min(int(f.mask(dossiers).sum()) for f in SOME_FILTERS)
    before = full_frames(dossiers.columns, smallest)
    for f in SOME_FILTERS:
        kept = data.filtered(source, f)
        pd.testing.assert_frame_equal(kept, f.apply(dossiers))  # the same rows, index and values
        got, expected = data.dates(source, f), DossierDates.of(f.apply(dossiers))
        for name in expected.__dataclass_fields__:  # NaT as integers, so that missing dates compare equal
            assert (getattr(got, name).view("int64") if name in ("received", "finish", "due") else getattr(got, name)
                    ).tolist() == (getattr(expected, name).view("int64") if name in ("received", "finish", "due")
                                   else getattr(expected, name)).tolist(), name
        del kept
    assert full_frames(dossiers.columns, smallest) == before  # nothing of them held once the screens are drawn


def test_one_classification_serves_every_screen(empty_store, monkeypatch):
    counted = []
    real = classification.cells
    monkeypatch.setattr(classification, "cells", lambda *a, **k: counted.append(a[1]) or real(*a, **k))
    source, filters = data.current_source(), Filters(fields=("Hộ tịch",))
    for fold in (False, True):
        counted.clear()
        analyses.table(source, filters, Q1, None, "resolved", fold)
        analyses.table(source, filters, Q1, "unit", "resolved", fold)
        analyses.table(source, filters, Q1, "field", "workload", fold)
        analyses.caveats(source, filters, Q1, fold)
        analyses.processing(source, filters, Q1, None, fold)
        analyses.processing(source, filters, Q1, "unit", fold)
        analyses.inspection(source, filters, Q1, fold)
        assert counted == [Q1]


@pytest.mark.parametrize("filters", [Filters(), Filters(fields=("Hộ tịch",)), Filters(channels=(2,))])
@pytest.mark.parametrize("period, fold", [(Q1, False), (YEAR, True), (Period(dt.date(2019, 3, 31),
                                                                              dt.date(2019, 3, 31)), False)])
def test_the_screens_figures_are_the_cores(empty_store, filters, period, fold):
    source = data.current_source()
    dossiers = filters.apply(data.filtered(source, Filters()))
    classified = classify(dossiers, period, fold)
    pd.testing.assert_frame_equal(analyses.classified(source, filters, period, fold), classified)
    for by in (None, "unit", "procedure"):
        core = official_table(dossiers, period, by, fold)
        total, groups, left_out = analyses.table(source, filters, period, by, "resolved", fold)
        assert total == core.total and left_out == core.quality()
        if by:
            pd.testing.assert_frame_equal(groups.reset_index(drop=True), core.groups.reset_index(drop=True))
    lists, by_unit, by_field, late = analyses.inspection(source, filters, period, fold)
    assert [(s.code, s.count, s.units) for s in lists] == [(s.code, s.count, s.units)
                                                           for s in screens(classified, period)]
    pd.testing.assert_frame_equal(by_unit, late_table(classified, "unit"))
    pd.testing.assert_frame_equal(by_field, late_table(classified, "field"))


def _classified_frames(rows: int) -> list[pd.DataFrame]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, pd.DataFrame) and CELL in o.columns and len(o) == rows]


def test_no_classified_frame_is_held_once_the_screens_are_drawn(empty_store):
    source = data.current_source()
    everything = len(data.filtered(source, Filters()))
    # Frames other tests keep (tests/session_fixtures.py caches a session's figures) are not the screens'; held
    # here, so that no new frame can take the id of one of them.
    before = _classified_frames(everything)
    for fold in (False, True):
        analyses.table(source, Filters(), Q1, "unit", "resolved", fold)
        analyses.processing(source, Filters(), Q1, None, fold)
        analyses.inspection(source, Filters(), Q1, fold)
    known = {id(frame) for frame in before}
    assert [frame for frame in _classified_frames(everything) if id(frame) not in known] == []


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
