"""Which dossiers the screens show, read once and cached: the store when something was imported, else the sample.

The dossiers frame is held with `st.cache_resource` (no copy per rerun: it is never mutated, pandas copy-on-write
guarantees it), keyed by the imports and the catalog that fills their due dates, never by the store file's time: a
sign-in, an audit entry or a saved session leaves it as it is (review 2026-12-07 §5.1). What the filters keep is held
as row numbers, not as a copy of the dossiers (§5.2); analyses are cached by the data's key and the user's choices,
so changing a filter recomputes only what it must. The store's lists are cached each by its own version
(`Store.versions`), which costs a stat while nothing was written (§5.3).
"""
from __future__ import annotations

import logging

from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from analytics.analyses.boundaries import Placement, placement, under_boundaries
from analytics.analyses.catalog_audit import fill_missing_due_dates
from analytics.analyses.classification import DossierDates
from analytics.analyses.filters import FilterIndex, Filters, choices
from analytics.analyses.trends import coverage as months_covered, default_period
from analytics.dossiers import store as stores
from analytics.dossiers.sources import LoadedDossiers, read_files
from analytics.dossiers.store import Store
from analytics.ingest.catalog import read_catalog
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.procedure_catalog import Catalog
from analytics.model.reported import RowCorrections
from analytics.model.unit_register import NEW, RECORDED
from analytics.outputs.files import write_atomically

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_EXPORTS = ROOT / "sample_data" / "exports"
SAMPLE_CATALOG = ROOT / "sample_data" / "procedures.xlsx"
CATALOG_FILE = "catalog.xlsx"  # the catalog an analyst uploaded, in the data folder


@dataclass(frozen=True)
class Source:
    """What the screens are looking at: a key that changes when the data change (an import added or removed, in
    this process or another) or the catalog that fills their missing due dates does, and on nothing else; and a
    description."""
    key: tuple
    is_sample: bool
    description: str
    catalog_fill: tuple | None = None   # (catalog path, its mtime) when missing due dates are filled from it
    boundaries: str = RECORDED          # units as recorded, or under the new boundaries of the stored register
    register_file: str | None = None    # the stored unit register's file, when there is one


def store() -> Store:
    return Store()


# What `stored` reads: the store's method, and the list whose version says when it changed.
_LISTS = {"imports": ("imports", stores.IMPORTS), "issues": ("issues", stores.IMPORTS),
          "missing_fields": ("missing_fields", stores.IMPORTS), "sessions": ("sessions", stores.SESSIONS),
          "reported_tables": ("reported_tables", stores.REPORTED_TABLES),
          "mappings": ("remembered_mappings", stores.MAPPINGS)}


@st.cache_data(max_entries=32, show_spinner=False)
def _stored(data_dir: str, version: int | None, what: str):
    return getattr(Store(data_dir), _LISTS[what][0])()


def stored(what: str):
    """What the store holds of `what` (imports, issues, missing_fields, sessions, reported_tables, mappings), read again only when that list changed: a sign-in, an audit entry or another list's change leaves
    it cached, and while nothing was written at all, telling costs a stat, not a turn at the store's lock."""
    s = store()
    return _stored(str(s.data_dir), s.versions()[_LISTS[what][1]], what)


@st.cache_resource(max_entries=8, show_spinner=False)
def _reported(data_dir: str, version: int | None, reported_id: int):
    return Store(data_dir).reported(reported_id)


def reported(reported_id: int):
    """A stored reported table, read again only when the reported tables change (held, not copied per rerun)."""
    s = store()
    return _reported(str(s.data_dir), s.versions()[stores.REPORTED_TABLES], reported_id)


@st.cache_data(max_entries=64, show_spinner=False)
def _row_corrections(data_dir: str, version: int | None, layout: str, by: str) -> RowCorrections:
    return Store(data_dir).row_corrections(layout, by)


def corrections_version() -> int | None:
    """The version of the corrections of reported tables: it changes with each one remembered."""
    return store().versions()[stores.ROW_MAPS]


def row_corrections(layout: str, by: str) -> RowCorrections:
    """The row matches (for grouping `by`) and row roles remembered for reported tables of `layout`, read again
    only when a correction is remembered."""
    return _row_corrections(str(store().data_dir), corrections_version(), layout, by)


def current_source(fill_due_dates: bool = True, catalog: str | Path | None = None,
                   boundaries: str = RECORDED) -> Source:
    """The data the screens show; with `fill_due_dates`, due dates an export lacks come from the procedure catalog
    (`catalog`, else the dashboard's: the uploaded one, or the sample's), as the command line's --catalog does
    (DOMAIN.md, Working days); with `boundaries` NEW and a stored unit register, each unit counted under its
    successor (issue 18)."""
    s = store()
    imports = stored("imports") if s.exists else pd.DataFrame()
    is_sample = not len(imports)
    path = Path(catalog) if catalog else _catalog_path(is_sample)
    fill = (str(path), path.stat().st_mtime_ns) if fill_due_dates and path is not None and path.exists() else None
    register = unit_register() if s.exists else None
    bounded = (NEW, s.versions()[stores.UNITS]) if boundaries == NEW and register is not None else (RECORDED,)
    named = register.file if register is not None else None
    if not is_sample:
        last = imports["imported_at"].max()
        # The imports' version and ids: a store made again (ids from 1) has another version.
        key = ("store", str(s.path), s.data_version(), tuple(int(i) for i in imports["import_id"]), bounded, fill)
        return Source(key, False, f"Dữ liệu đã nhập: {len(imports)} tệp, lần nhập gần nhất "
                                  f"{last:%d/%m/%Y %H:%M}.", fill, bounded[0], named)
    return Source(("sample", bounded, fill), True, "Đang xem DỮ LIỆU MẪU (tổng hợp, mô phỏng Bộ phận Một cửa TP Lạng "
                                                   "Sơn 2018 – quý I/2019), chưa có dữ liệu thật. Tải tệp lên ở trang "
                                                   "Dữ liệu.", fill, bounded[0], named)


@st.cache_data(max_entries=4, show_spinner=False)
def _unit_register(data_dir: str, version: int | None):
    return Store(data_dir).unit_register()


def unit_register():
    """The stored unit register (None when there is none), read again only when it changes."""
    s = store()
    return _unit_register(str(s.data_dir), s.versions()[stores.UNITS])


@dataclass(frozen=True)
class _Loaded:
    dossiers: pd.DataFrame
    merged: int                             # records merged away as duplicates of a case id
    missing: dict[str, dict[int, str]]      # field -> {import id -> file name} of the files lacking its column
    due_dates_computed: int = 0             # due dates filled from the catalog
    sample: LoadedDossiers | None = None     # the sample as read (its files, for provenance)
    placement: Placement | None = None       # the register's placement of the units (new boundaries)


@st.cache_resource(show_spinner="Đang đọc dữ liệu…", max_entries=2)
def _dossiers(key: tuple) -> _Loaded:
    sample = None
    if key[0] == "sample":
        sample = read_files([SAMPLE_EXPORTS])
        dossiers, merged, missing = sample.dossiers, sample.merged, sample.missing_fields()
    else:
        store = Store(Path(key[1]).parent)
        (dossiers, merged), missing = store.dossiers(), store.missing_fields()
    place = None
    if key[-2][0] == NEW:   # the units under the new boundaries of the stored register
        register = Store(Path(key[1]).parent if key[0] == "store" else None).unit_register()
        if register is not None:
            place = placement(register, sorted(set(dossiers[s.UNIT].dropna().astype(str))))
            dossiers = under_boundaries(dossiers, place, NEW)
    fill = key[-1]
    if fill is None:
        return _Loaded(dossiers, merged, missing, 0, sample, place)
    try:
        procedures = _catalog(*fill)
    except q.FileRejected:  # the catalog page says why; the figures stay as exported
        return _Loaded(dossiers, merged, missing, 0, sample, place)
    filled, computed = fill_missing_due_dates(dossiers, procedures)
    return _Loaded(filled, merged, missing, computed, sample, place)


def placement_of(source: Source) -> Placement | None:
    """Where the register placed the data's units, when the screens count under the new boundaries."""
    return _dossiers(source.key).placement


def warm_up() -> None:
    """Read the data the screens show into the cache before the first browser asks: server.py runs this on a thread
    of its own as the server starts (no script run, so nothing here draws). A failure is left for the first screen
    to meet and say."""
    try:
        _dossiers(current_source().key)
    except Exception:  # noqa: BLE001 - the first screen reads again and says what is wrong
        logging.getLogger(__name__).info("Chưa đọc trước được dữ liệu khi khởi động", exc_info=True)


def merged_count(source: Source) -> int:
    return _dossiers(source.key).merged


def due_dates_computed(source: Source) -> int:
    """How many dossiers got their due date from the catalog (0 when none, or filling is off)."""
    return _dossiers(source.key).due_dates_computed


def sample_readings(source: Source) -> LoadedDossiers | None:
    """The sample exports as read (file names and fingerprints, for an output's provenance); None for the store."""
    return _dossiers(source.key).sample


def missing_fields(source: Source) -> dict[str, dict[int, str]]:
    """Field -> {import id -> file name} of the files that lack that column (see analyses.caveats)."""
    return _dossiers(source.key).missing


@st.cache_resource(max_entries=2)
def _filter_index(key: tuple) -> FilterIndex:
    return FilterIndex.of(_dossiers(key).dossiers)


@st.cache_resource(max_entries=2)
def _all_dates(key: tuple) -> DossierDates:
    return DossierDates.of(_dossiers(key).dossiers)


@st.cache_resource(max_entries=32)
def _rows(key: tuple, filters: Filters) -> np.ndarray | None:
    """The positions of the rows the filters keep (None: every row), in the dossiers' order."""
    if not filters.active:
        return None
    kept = np.flatnonzero(filters.mask(_dossiers(key).dossiers, _filter_index(key)))
    return kept.astype(np.int32) if len(kept) < 2**31 else kept


def rows(source: Source, filters: Filters) -> np.ndarray | None:
    """Which dossiers the filters keep, as positions (None: all of them); held per data key and filters."""
    return _rows(source.key, filters)


def filtered(source: Source, filters: Filters) -> pd.DataFrame:
    """The dossiers the filters keep: the dossiers themselves without filters, else taken from them when asked
    (an analysis that needs them is cached; the rows are not held twice)."""
    dossiers, kept = _dossiers(source.key).dossiers, _rows(source.key, filters)
    return dossiers if kept is None else dossiers.take(kept)


def dates(source: Source, filters: Filters) -> DossierDates:
    """What classification needs of those dossiers: computed once per data key for all of them, and taken for the
    rows the filters keep."""
    every, kept = _all_dates(source.key), _rows(source.key, filters)
    if kept is None:
        return every
    return DossierDates(**{f.name: getattr(every, f.name)[kept] for f in fields(DossierDates)})


@st.cache_data(show_spinner=False, max_entries=4)
def _overview_of(key: tuple) -> tuple[dict, list[int], tuple | None, tuple | None]:
    dossiers = _dossiers(key).dossiers
    years = sorted(int(y) for y in dossiers[s.RECEIVED_DATE].dropna().dt.year.unique())
    return choices(dossiers), years, default_period(dossiers), months_covered(dossiers)


def filter_choices(source: Source) -> dict:
    """The values each filter can take (computed once per version of the data)."""
    return _overview_of(source.key)[0]


def years(source: Source) -> list[int]:
    return _overview_of(source.key)[1]


def natural_period(source: Source) -> tuple | None:
    """The default period for these data (see overview.default_period)."""
    return _overview_of(source.key)[2]


def coverage(source: Source) -> tuple | None:
    """The months the data cover (trends.coverage): a comparison period outside them is no comparison."""
    return _overview_of(source.key)[3]


def _catalog_path(is_sample: bool) -> Path | None:
    if is_sample:
        return SAMPLE_CATALOG
    uploaded = store().data_dir / CATALOG_FILE
    return uploaded if uploaded.exists() else None


def save_catalog(content: bytes) -> None:
    """Keep an uploaded catalog, atomically: a crash mid-write leaves the previous catalog whole (review 4.4)."""
    write_atomically(store().data_dir / CATALOG_FILE, content)


def catalog_path(source: Source) -> Path | None:
    return _catalog_path(source.is_sample)


@st.cache_resource(max_entries=2)
def _catalog(path: str, mtime: int) -> Catalog:
    return read_catalog(path)


def catalog(source: Source, path: str | Path | None = None) -> Catalog | None:
    """The procedure catalog at `path` (else the dashboard's), read once per version of the file; None when there
    is none or it cannot be read."""
    path = Path(path) if path else catalog_path(source)
    if path is None or not path.exists():
        return None
    try:
        return _catalog(str(path), path.stat().st_mtime_ns)
    except q.FileRejected:  # reported on the Dữ liệu page when it was uploaded
        return None


def clear() -> None:
    """After an import or a removal: drop the dossiers held in memory. The analyses need no clearing: they are
    cached by the data's key, which every import or removal changes, so other users' cached screens stay warm
    (review 3.6) and the old entries age out."""
    _dossiers.clear()
    _filter_index.clear()
    _all_dates.clear()
    _rows.clear()
