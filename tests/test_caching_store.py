"""The store's versions (review 2026-12-07 §5.1, §5.3): each list the screens cache (imports, sessions, reported
tables, row maps, mappings) has a version that changes when that list changes and never otherwise, read without
opening the store while nothing was written; and the store is made readable by its owner only (security test L6)."""
import datetime as dt
import os
import stat
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.access.audit import SIGN_IN_FAILED, AuditTrail
from analytics.dossiers import store as module
from analytics.dossiers.store import DB_FILE, Store
from analytics.ingest.national_index import read_index
from analytics.model import schema as s
from analytics.model.recommendations import Recommendation
from analytics.model.reported import ReportedTable
from analytics.model.session import SupervisionSession
from analytics.model.unit_register import Succession, UnitRegister
from tests.workbooks import ROWS, simple_export

REAL_766 = Path(__file__).resolve().parent / "fixtures" / "real" / "dvcqg_766_scores_2025_10.xlsx"
LISTS = {"imports", "sessions", "reported_tables", "row_maps", "mappings", "unit_registers", "recommendations",
         "index_files"}


@pytest.fixture(autouse=True)
def key_elsewhere(tmp_path, monkeypatch):
    """The audit trail's key (when the trail is keyed) in the test's folder, not in the home folder."""
    monkeypatch.setenv("ONESTOP_KEY_DIR", str(tmp_path / "key"))


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data")


def reported(sha: str = "a" * 64) -> ReportedTable:
    rows = pd.DataFrame({"name": ["Phòng Tư pháp"], "row": [5], "is_total": [False], "received_total": [3.0]})
    return ReportedTable("bao-cao.xlsx", sha, "Sheet1", 4, rows, {"received_total": "received_total"})


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in LISTS if before[name] != after[name]}


def test_each_write_changes_the_version_of_its_own_list_only(store, tmp_path):
    session = SupervisionSession("Quý I", dt.date(2019, 1, 1), dt.date(2019, 3, 31))
    with store.connection():  # the store made (every list gets its first version)
        pass
    q1 = simple_export(tmp_path / "q1.xlsx")
    steps = [
        ("import", lambda: store.import_file(q1), {"imports"}),
        ("import with a mapping", lambda: store.import_file(simple_export(tmp_path / "q2.xlsx", rows=ROWS[:1]),
                                                            value_overrides={s.STATUS_CODE: {"Đang xử lý": 4}}),
         {"imports", "mappings"}),
        ("the same file again", lambda: store.import_file(q1), set()),
        ("session saved", lambda: store.save_session(session), {"sessions"}),
        ("reported table", lambda: store.save_reported(reported()), {"reported_tables"}),
        ("the same reported table", lambda: store.save_reported(reported()), set()),
        ("row match", lambda: store.remember_corrections("bieu-x", "unit", "row",
                                                         {"UBND P. Chi Lăng": "UBND phường Chi Lăng"}), {"row_maps"}),
        ("reported table removed", lambda: store.remove_reported(1), {"reported_tables"}),
        ("unit register", lambda: store.save_register(UnitRegister("so.xlsx", "e" * 64, [Succession("A", "B", None)])),
         {"unit_registers"}),
        ("recommendation", lambda: store.add_recommendation(Recommendation("Quý I", "UBND", "Xin lỗi",
                                                                           dt.date(2019, 5, 14))),
         {"recommendations"}),
        ("national index", lambda: store.save_index(read_index(REAL_766)), {"index_files"}),
        ("national index removed", lambda: store.remove_index(2025, 10), {"index_files"}),
        ("session removed", lambda: store.remove_session("Quý I"), {"sessions"}),
        ("import removed", lambda: store.remove_import(1), {"imports"}),
    ]
    for what, write, lists in steps:
        before = store.versions()
        write()
        assert changed(before, store.versions()) == lists, what


def test_an_audit_entry_or_a_failed_sign_in_changes_no_version(store, tmp_path):
    # Review §5.1: every sign-in, even a stranger's failed one, made every session re-read the whole store.
    store.import_file(simple_export(tmp_path / "q1.xlsx"))
    before = store.versions()
    AuditTrail(store).record("(chưa đăng nhập)", SIGN_IN_FAILED, "k***", outcome="refused")
    with store.connection() as con:  # the users' table, as a failed sign-in updates it
        con.execute("UPDATE users SET failures = failures + 1 WHERE name = 'khach'")
    assert store.versions() == before
    assert store.data_version() == before["imports"]


def test_reads_change_no_version_and_an_unchanged_store_is_not_opened_to_tell(store, tmp_path, monkeypatch):
    store.import_file(simple_export(tmp_path / "q1.xlsx"))
    first = store.versions()
    store.imports(), store.issues(), store.dossiers(), store.sessions(), store.reported_tables()
    opened = []
    real = Store._connect
    monkeypatch.setattr(Store, "_connect", lambda self, read_only=False: opened.append(read_only) or
                        real(self, read_only))
    for _ in range(5):
        assert store.versions() == first
    assert opened == []  # a stat of the files, no connection (no turn behind the store's lock)
    AuditTrail(store).record("an", "export", "x.csv")
    opened.clear()
    assert store.versions() == first and store.versions() == first
    assert opened == [True]  # looked once after the write, then known again


def test_another_programs_write_is_seen(store, tmp_path):
    # The command line imports while the dashboard runs: the dashboard sees the change through the file.
    store.import_file(simple_export(tmp_path / "q1.xlsx"))
    before = store.versions()
    with duckdb.connect(str(store.path)) as con:  # another process's connection, as the command line's
        con.execute("UPDATE versions SET version = version + 1 WHERE name = 'sessions'")
    assert changed(before, store.versions()) == {"sessions"}


def test_a_store_made_again_gets_new_versions(tmp_path):
    # Import ids start at 1 in a new file: a cache keyed by them alone would show the old store's dossiers.
    store = Store(tmp_path / "data")
    store.import_file(simple_export(tmp_path / "q1.xlsx"))
    first = store.versions()
    for path in store.data_dir.iterdir():
        path.unlink()
    store.import_file(simple_export(tmp_path / "q2.xlsx", rows=ROWS[:1]))
    assert store.imports()["import_id"].tolist() == [1]
    assert store.versions()["imports"] != first["imports"]


def test_versions_of_a_store_that_does_not_exist_are_none_and_make_nothing(store):
    assert store.versions() == dict.fromkeys(sorted(LISTS))
    assert not store.data_dir.exists()


# --- L6: readable by its owner only -------------------------------------------------------------------------------

def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_store_the_program_creates_is_readable_by_its_owner_only(tmp_path):
    store = Store(tmp_path / "new" / "data")
    with store.connection() as con:  # a write in progress: its write-ahead log is there too
        con.execute("CREATE TABLE IF NOT EXISTS probe (x INTEGER)")
        con.execute("INSERT INTO probe VALUES (1)")
        wal = store.path.with_name(DB_FILE + ".wal")
        assert wal.exists() and mode(wal) == 0o600
    assert mode(store.data_dir) == 0o700
    assert mode(store.path) == 0o600
    store.import_file(simple_export(tmp_path / "q1.xlsx"))
    assert mode(store.path) == 0o600 and mode(store.data_dir) == 0o700
    assert store.open_to_others() == []


def test_an_existing_store_keeps_its_modes_and_says_it_is_open(tmp_path):
    # What an operator set is not changed silently; the store says what others may read.
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    with duckdb.connect(str(folder / DB_FILE)) as con:
        con.execute("CREATE TABLE t (x INTEGER)")
    os.chmod(folder / DB_FILE, 0o644)
    store = Store(folder)
    store.save_session(SupervisionSession("Quý I", dt.date(2019, 1, 1), dt.date(2019, 3, 31)))
    assert mode(folder) == 0o755 and mode(store.path) == 0o644
    assert store.open_to_others() == [folder, store.path]


def test_making_the_store_leaves_the_process_umask_as_it_was(tmp_path):
    before = os.umask(0o022)
    try:
        Store(tmp_path / "data").save_session(SupervisionSession("Quý I", dt.date(2019, 1, 1), dt.date(2019, 3, 31)))
        assert os.umask(0o022) == 0o022
    finally:
        os.umask(before)
    assert module.busy_wait_seconds() > 0  # the module is the one under test
