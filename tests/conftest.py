from pathlib import Path

import pandas as pd
import pytest

from analytics.ingest.export_reader import empty_records
from analytics.model import schema as s

_SHORT = {"id": s.CASE_ID, "received": s.RECEIVED_DATE, "due": s.DUE_DATE, "original_due": s.ORIGINAL_DUE_DATE,
          "completed": s.COMPLETED_DATE, "returned": s.RETURNED_DATE, "status": s.STATUS_CODE,
          "channel": s.CHANNEL_CODE, "unit": s.UNIT, "field": s.FIELD, "level": s.LEVEL,
          "procedure": s.PROCEDURE_NAME}


def make_dossiers(rows: list[dict]) -> pd.DataFrame:
    """Dossiers from short dicts: {"id", "received", "due", "original_due", "completed", "returned", "status", ...};
    dates as 'YYYY-MM-DD', status defaults to 10 when finished else 4, channel to 1 (in person)."""
    frame = empty_records()
    records = []
    for n, row in enumerate(rows):
        record = {_SHORT.get(k, k): v for k, v in row.items()}
        record.setdefault(s.CASE_ID, f"C-{n}")
        finished = record.get(s.COMPLETED_DATE) or record.get(s.RETURNED_DATE)
        record.setdefault(s.STATUS_CODE, 10 if finished else 4)
        record.setdefault(s.CHANNEL_CODE, s.CHANNEL_IN_PERSON)
        record.setdefault(s.SOURCE_SHEET, "T")
        record.setdefault(s.SOURCE_ROW, n + 2)
        records.append(record)
    out = pd.DataFrame(records).reindex(columns=frame.columns)
    for c in frame.columns:
        if c in s.DATE_FIELDS:
            out[c] = pd.to_datetime(out[c]).astype("datetime64[s]")
        elif c == s.APOLOGY:
            out[c] = out[c].astype("boolean")
        elif c in s.FLAG_COLUMNS:
            out[c] = out[c].astype("boolean").fillna(False).astype(bool)
        else:
            out[c] = out[c].astype(frame[c].dtype)
    return out


@pytest.fixture
def dossiers():
    return make_dossiers


@pytest.fixture
def empty_store(tmp_path, monkeypatch):
    """A fresh, empty store the screens use (ONESTOP_DATA_DIR), run from the project's folder, Streamlit's caches
    cleared."""
    import streamlit as st

    from analytics.dossiers.store import Store
    monkeypatch.setenv("ONESTOP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    st.cache_data.clear()
    st.cache_resource.clear()
    return Store(tmp_path / "data")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the browser tests (tests/test_browser*.py), one per test module."""
    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, sync_playwright
    if not CHROMIUM:
        pytest.fail("Chromium is required in CI (apt-get install -y chromium).")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
