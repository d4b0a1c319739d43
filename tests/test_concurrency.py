"""The command line and the dashboard use one store at the same time (issue 11 item 2, review 4.3): imports from
both land (one waits for the other), a third session reading all the while never fails nor sees half an import, and
the same file imported twice at once is stored once. Waits are long enough (ONESTOP_BUSY_WAIT) to succeed; what is
checked does not depend on which import gets the store first."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics.dossiers.store import Store
from analytics.model import schema as s
from tests.test_store_faults import big_export, wait_for_writing
from tests.workbooks import simple_export

ROOT = Path(__file__).resolve().parent.parent
ROWS = 30_000
KEPT = ROWS - len(range(5, ROWS, 97))  # big_export skips one row in 97
FIRST = 3                               # dossiers of the store's first import (simple_export)


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> tuple[Path, Path]:
    """Two exports of different dossiers: one for the command line, one for the dashboard's Dữ liệu page."""
    folder = tmp_path_factory.mktemp("exports")
    return (big_export(folder / "lenh-nhap.csv", ROWS, "L", seed=1),
            big_export(folder / "trang-du-lieu.csv", ROWS, "T", seed=2))


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    """The store the dashboard uses (ONESTOP_DATA_DIR), with one import; every program waits long enough."""
    monkeypatch.setenv("ONESTOP_BUSY_WAIT", "120")
    monkeypatch.setenv("ONESTOP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ONESTOP_KEY_DIR", str(tmp_path / "khoa"))  # the audit trail's key, beside the data
    monkeypatch.setenv("ONESTOP_SINGLE_USER", "1")  # no account: the figures only in single-user mode, asked for
    monkeypatch.chdir(ROOT)
    st.cache_data.clear()
    st.cache_resource.clear()
    store = Store(tmp_path / "data")
    assert store.import_file(simple_export(tmp_path / "q1.xlsx")).status == "imported"
    return store


def command_line_import(store: Store, path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "analytics", "--data-dir", str(store.data_dir), "import",
                             str(path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class Session(threading.Thread):
    """A browser session's work on its own thread: its result, or the exception it met."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work, self.result, self.error = work, None, None

    def run(self):
        try:
            self.result = self.work()
        except Exception as error:  # noqa: BLE001 - any failure is the finding
            self.error = error


def test_the_command_line_and_the_dashboard_import_at_once_while_another_session_reads(store, exports):
    by_command, by_page = exports
    done = threading.Event()
    seen = []

    def read_until_done():
        while not done.is_set():
            dossiers, merged = store.dossiers()
            seen.append((len(store.imports()), len(dossiers), merged))
            time.sleep(0.02)
        return len(seen)

    command_line = command_line_import(store, by_command)
    reader = Session(read_until_done)
    # The dashboard's import starts when the command line begins to write, so the two want the store together.
    page_import = Session(lambda: (wait_for_writing(command_line, store.data_dir),
                                   store.import_file(by_page.read_bytes(), name=by_page.name))[1])
    reader.start()
    page_import.start()
    dashboard = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()  # a third session's page
    out, err = command_line.communicate(timeout=180)
    page_import.join(timeout=180)
    done.set()
    reader.join(timeout=60)

    assert command_line.returncode == 0 and "Traceback" not in err, err
    assert "lenh-nhap.csv: đã nhập" in out
    assert page_import.error is None and page_import.result.status == "imported"
    assert reader.error is None and reader.result > 0
    assert not dashboard.exception and not dashboard.error and dashboard.metric
    # Whatever the order, a reader saw the store before, between or after the imports: never half of one.
    assert all(count in (1, 2, 3) and dossiers in (FIRST, FIRST + KEPT, FIRST + 2 * KEPT) and merged == 0
               for count, dossiers, merged in seen), seen
    imports = store.imports().set_index("file_name")
    assert sorted(imports.index) == sorted(["q1.xlsx", by_command.name, by_page.name])
    assert imports.loc[[by_command.name, by_page.name], "rows_imported"].tolist() == [KEPT, KEPT]
    per_import = store.records()[s.IMPORT_ID].value_counts()
    assert all(per_import[row.import_id] == row.rows_imported for row in imports.itertuples())
    assert len(store.dossiers()[0]) == FIRST + 2 * KEPT


def test_two_sessions_importing_the_same_bytes_at_once_store_them_once(store, exports):
    content, name = exports[0].read_bytes(), exports[0].name
    start = threading.Barrier(2)
    sessions = [Session(lambda: (start.wait(), store.import_file(content, name=name))[1]) for _ in range(2)]
    for session in sessions:
        session.start()
    for session in sessions:
        session.join(timeout=120)
    assert [session.error for session in sessions] == [None, None]
    results = sorted((session.result for session in sessions), key=lambda r: r.status)
    assert [r.status for r in results] == ["already_imported", "imported"]
    assert results[0].import_id == results[1].import_id
    imports = store.imports()
    assert imports["file_name"].tolist() == ["q1.xlsx", name] and imports["rows_imported"].tolist()[-1] == KEPT
    assert len(store.records()) == FIRST + KEPT


def test_the_command_line_and_the_dashboard_importing_the_same_file_at_once_store_it_once(store, exports):
    path = exports[0]
    command_line = command_line_import(store, path)
    page_import = Session(lambda: (wait_for_writing(command_line, store.data_dir),
                                   store.import_file(path.read_bytes(), name=path.name))[1])
    page_import.start()
    out, err = command_line.communicate(timeout=180)
    page_import.join(timeout=180)
    assert command_line.returncode == 0 and "Traceback" not in err, err
    assert page_import.error is None
    by_command = "already_imported" if "đã nhập trước đó" in out else "imported"
    assert sorted([by_command, page_import.result.status]) == ["already_imported", "imported"], out
    imports = store.imports()
    assert imports["file_name"].tolist() == ["q1.xlsx", path.name]
    assert imports["rows_imported"].tolist()[-1] == KEPT and len(store.records()) == FIRST + KEPT
