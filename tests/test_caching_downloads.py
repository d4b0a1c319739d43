"""Báo cáo's documents made when their download is clicked (review 2026-12-07 §5.6): no document's bytes kept in the
session's state and registered again on every rerun; each button hands Streamlit a callable that builds the document
from the session's cached figures, and the download is recorded as an export. The session's figures are held without
a classified copy of every dossier (§5.2)."""
import dataclasses
import datetime as dt
import gc
import io

import openpyxl
import pandas as pd
import pytest

from analytics.analyses.classification import CELL
from analytics.model.session import SupervisionSession
from tests.apps import page_app
from tests.session_fixtures import sample_session

SESSION = SupervisionSession("Quý I/2019 so với 2018", dt.date(2019, 1, 1), dt.date(2019, 3, 31),
                             dt.date(2018, 1, 1), dt.date(2018, 12, 31))


@pytest.fixture(autouse=True)
def key_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("ONESTOP_KEY_DIR", str(tmp_path / "key"))


@pytest.fixture
def deferred(monkeypatch):
    """Streamlit's runtime as in a server, for download buttons only: the callables they register, by file name.
    (AppTest has no runtime, so without this a callable given to a download button is never registered.)"""
    from streamlit.elements.widgets import button
    registered: dict[str, object] = {}

    class Files:
        def add_deferred(self, build, mimetype, coordinates, file_name=None, element_id=""):
            registered[file_name] = build
            return f"deferred-{len(registered)}"

        def remove_deferred(self, *args, **kwargs):
            pass

        def add(self, data, mimetype, coordinates, file_name=None, is_for_static_download=False):
            registered[file_name] = bytes(data) if not isinstance(data, str) else data.encode()
            return f"/media/{len(registered)}"

    class Runtime:
        media_file_mgr = Files()

    class RuntimeModule:
        @staticmethod
        def exists():
            return True

        @staticmethod
        def get_instance():
            return Runtime()

    monkeypatch.setattr(button, "runtime", RuntimeModule)
    return registered


def test_the_documents_are_built_when_their_download_is_clicked_and_kept_nowhere(empty_store, deferred):
    empty_store.save_session(SESSION)
    at = page_app("pages/bao-cao.py", {"report_session": SESSION.name}).run()
    assert not at.exception and not at.error
    names = {kind: f"{SESSION.file_stem}.{kind}" for kind in ("docx", "pptx", "xlsx")}
    assert set(names.values()) <= set(deferred)
    assert all(callable(deferred[name]) for name in names.values())  # nothing built yet, nothing registered
    at.run()
    kept = [k for k, v in at.session_state.items() if isinstance(v, (bytes, bytearray))]
    assert kept == []
    book = openpyxl.load_workbook(io.BytesIO(deferred[names["xlsx"]]()))  # the click: the workbook is built
    text = "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)
    assert SESSION.name in text and "DỮ LIỆU MẪU" in text
    total = sample_session()[0].total
    rows = [[c.value for c in row] for row in book["Biểu 06"].iter_rows()]
    total_row = next(r for r in rows if "Tổng cộng" in r)
    start = total_row.index("Tổng cộng") + 1
    assert total_row[start:start + 3] == [total["received_total"], total["received_online"],
                                          total["received_direct_postal"]]
    assert deferred[names["docx"]]()[:2] == b"PK" and deferred[names["pptx"]]()[:2] == b"PK"
    kept = [k for k, v in at.session_state.items() if isinstance(v, (bytes, bytearray))]
    assert kept == []


def test_a_sessions_figures_are_held_without_the_classified_dossiers(empty_store):
    from ui import data, sessions
    figures = sessions.figures(SESSION)
    assert figures.table.classified is None
    assert figures.comparison is None or figures.comparison.a.classified is None
    del figures
    from tests import session_fixtures  # figures the other tests keep for themselves are not the dashboard's
    for cached in vars(session_fixtures).values():
        getattr(cached, "cache_clear", lambda: None)()
    everything = len(data.sample_readings(data.current_source()).dossiers)
    gc.collect()
    held = [o for o in gc.get_objects() if isinstance(o, pd.DataFrame) and CELL in o.columns and len(o) == everything]
    assert held == []
    again = sessions.figures(SESSION)  # the cached figures, still whole for every output
    assert again.total["received_total"] > 0 and not again.by_unit.empty and again.left_out is not None
    assert dataclasses.replace(again.table).total == again.total
