"""Which dossiers the screens show: the store when something was imported, else the synthetic sample data."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics.sources import read_files
from analytics.store import Store

SAMPLE_EXPORTS = Path(__file__).resolve().parent.parent / "sample_data" / "exports"


@dataclass(frozen=True)
class Loaded:
    dossiers: pd.DataFrame
    merged: int
    is_sample: bool
    description: str        # one quiet line: which data this is


@st.cache_data(show_spinner="Đang đọc dữ liệu mẫu…")
def _sample() -> tuple[pd.DataFrame, int, list[str]]:
    source = read_files([SAMPLE_EXPORTS])
    return source.dossiers, source.merged, [r.name for r in source.readings]


@st.cache_data(show_spinner="Đang đọc kho dữ liệu…")
def _stored(data_dir: str, version: tuple) -> tuple[pd.DataFrame, int]:
    return Store(data_dir).dossiers()


def _version(store: Store) -> tuple:
    """Changes whenever an import is added or removed, so the cache reads the store again only then."""
    if not store.exists:
        return ()
    imports = store.imports()
    return tuple(imports["import_id"]), store.path.stat().st_mtime_ns


def load() -> Loaded:
    store = Store()
    version = _version(store)
    if version and version[0]:
        dossiers, merged = _stored(str(store.data_dir), version)
        count = len(version[0])
        return Loaded(dossiers, merged, False, f"Dữ liệu đã nhập: {count} tệp trong kho {store.path}.")
    dossiers, merged, names = _sample()
    return Loaded(dossiers, merged, True, "Dữ liệu MẪU (tổng hợp, mô phỏng Bộ phận Một cửa TP Lạng Sơn): "
                  + ", ".join(names) + ". Chưa nhập dữ liệu thật.")
