"""Which dossiers the screens show: the store when something was imported, else the sample.

No frame of the dossiers is held (issue 20): the screens' figures are counted by the engine where the data are
(`engine_relation`: the store's one-row-per-dossier table, or the sample in an in-memory engine, with the units
under the new boundaries, the due dates the catalog fills and the filters as SQL), and only small results are
cached, keyed by the data's key (the imports, the boundaries and the catalog that fills their due dates, never the
store file's time: a sign-in, an audit entry or a saved session leaves it as it is, review 2026-12-07 §5.1) and the
user's choices. The analyses that still read dossiers one by one get a period's dossiers (`period_dossiers`) inside
their own cached computation. The store's lists are cached each by its own version (`Store.versions`), which costs
a stat while nothing was written (§5.3).
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from analytics.analyses.boundaries import Placement, placement
from analytics.analyses import engine
from analytics.analyses.filters import Filters
from analytics.dossiers import store as stores
from analytics.dossiers.sources import LoadedDossiers, read_files
from analytics.dossiers.store import Store
from analytics.ingest.catalog import read_catalog
from analytics.model import issues as q
from analytics.model.periods import Period
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
        when = f", lần nhập gần nhất {last:%d/%m/%Y %H:%M}" if pd.notna(last) else ""   # a store's rows lack it
        return Source(key, False, f"Dữ liệu đã nhập: {len(imports)} tệp{when}.", fill, bounded[0], named)
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


# --- The engine (issue 20): the screens' figures counted where the data are, only small results held -------------

@st.cache_resource(show_spinner="Đang đọc dữ liệu mẫu…", max_entries=1)
def _sample() -> LoadedDossiers:
    return read_files([SAMPLE_EXPORTS])


@st.cache_resource(max_entries=1)
def _sample_database():
    """The sample in an in-memory engine, as the store's `dossiers` table is on disk (a few thousand rows)."""
    con = duckdb.connect(":memory:")
    con.register("sample", _sample().dossiers)
    con.execute(f"CREATE TABLE {engine.DOSSIERS} AS SELECT * FROM sample")
    con.unregister("sample")
    return con


@contextmanager
def _raw(key: tuple):
    """A connection on which `dossiers` is one row per dossier, as recorded (units as recorded, due dates as
    exported)."""
    if key[0] == "sample":
        cursor = _sample_database().cursor()
        try:
            yield cursor
        finally:
            cursor.close()
    else:
        with Store(Path(key[1]).parent).engine_connection() as con:
            yield con


@st.cache_data(max_entries=8, show_spinner=False)
def _placement(key: tuple) -> Placement | None:
    """The register's placement of the data's units, when the screens count under the new boundaries."""
    if key[-2][0] != NEW:
        return None
    register = Store(Path(key[1]).parent if key[0] == "store" else None).unit_register()
    if register is None:
        return None
    with _raw(key) as con:
        return placement(register, engine.units_of(con))


@st.cache_data(max_entries=8, show_spinner=False)
def _limits(key: tuple) -> pd.DataFrame | None:
    """The catalog's time limit of each procedure of the dossiers without a due date (None: no filling)."""
    if key[-1] is None:
        return None
    try:
        procedures = _catalog(*key[-1])
    except q.FileRejected:  # the catalog page says why; the figures stay as exported
        return None
    with _raw(key) as con:
        return engine.catalog_limits(con, procedures)


@contextmanager
def engine_relation(source: Source, filters: Filters = Filters()):
    """(a connection, the relation the screens count on it) for these data and filters: units under the new
    boundaries and due dates filled from the catalog when the source says so; no dossier leaves the engine."""
    place = _placement(source.key)
    with _raw(source.key) as con:
        yield con, engine.prepared(con, filters, place.successor if place is not None else None,
                                   _limits(source.key))


@st.cache_data(max_entries=8, show_spinner=False)
def _facts(key: tuple, _source: Source) -> tuple[int, dict, int]:
    """(records merged away, the files lacking each column, due dates computed from the catalog)."""
    if key[0] == "sample":
        merged, missing = _sample().merged, _sample().missing_fields()
    else:
        store = Store(Path(key[1]).parent)
        merged, missing = store.merged_away(), store.missing_fields()
    with engine_relation(_source) as (con, relation):
        return merged, missing, engine.computed_due_dates(con, relation)


def placement_of(source: Source) -> Placement | None:
    """Where the register placed the data's units, when the screens count under the new boundaries."""
    return _placement(source.key)


def warm_up() -> None:
    """Prepare what the first screen reads before the first browser asks: server.py runs this on a thread of its
    own as the server starts (no script run, so nothing here draws): the store's one-row-per-dossier table and the
    data's overview. A failure is left for the first screen to meet and say."""
    try:
        source = current_source()
        filter_choices(source)
        _facts(source.key, source)
    except Exception:  # noqa: BLE001 - the first screen reads again and says what is wrong
        logging.getLogger(__name__).info("Chưa đọc trước được dữ liệu khi khởi động", exc_info=True)


def merged_count(source: Source) -> int:
    return _facts(source.key, source)[0]


def due_dates_computed(source: Source) -> int:
    """How many dossiers got their due date from the catalog (0 when none, or filling is off)."""
    return _facts(source.key, source)[2]


def sample_readings(source: Source) -> LoadedDossiers | None:
    """The sample exports as read (file names and fingerprints, for an output's provenance); None for the store."""
    return _sample() if source.is_sample else None


def missing_fields(source: Source) -> dict[str, dict[int, str]]:
    """Field -> {import id -> file name} of the files that lack that column (see analyses.caveats)."""
    return _facts(source.key, source)[1]


def period_dossiers(source: Source, filters: Filters, periods: list[Period]) -> pd.DataFrame:
    """The dossiers the periods' figures can read (engine.period_dossiers), for the analyses that still read
    dossiers one by one: called inside their cached computations and dropped after, never held."""
    with engine_relation(source, filters) as (con, relation):
        return engine.period_dossiers(con, periods, relation)


@st.cache_data(max_entries=16, show_spinner=False)
def _carried(key: tuple, filters: Filters, _source: Source) -> dict[str, bool]:
    with engine_relation(_source, filters) as (con, relation):
        return engine.carried_needs(con, relation)


def carried(source: Source, filters: Filters = Filters()) -> dict[str, bool]:
    """Which of the experience measures' columns the data carry at all (experience.carried)."""
    return _carried(source.key, filters, source)


@st.cache_data(max_entries=8, show_spinner=False)
def _unit_names(key: tuple, _source: Source) -> list[str]:
    with engine_relation(_source) as (con, relation):
        return engine.units_of(con, relation)


def unit_names(source: Source) -> list[str]:
    """The units the data name (under the new boundaries when the screens count so)."""
    return _unit_names(source.key, source)


@st.cache_data(show_spinner=False, max_entries=16)
def _overview_of(key: tuple, filters: Filters, _source: Source) -> tuple[dict, list[int], tuple | None,
                                                                         tuple | None]:
    with engine_relation(_source, filters) as (con, relation):
        return engine.engine_overview(con, relation)


def filter_choices(source: Source) -> dict:
    """The values each filter can take (computed once per version of the data)."""
    return _overview_of(source.key, Filters(), source)[0]


def years(source: Source) -> list[int]:
    return _overview_of(source.key, Filters(), source)[1]


def natural_period(source: Source) -> tuple | None:
    """The default period for these data (see overview.default_period)."""
    return _overview_of(source.key, Filters(), source)[2]


def coverage(source: Source, filters: Filters = Filters()) -> tuple | None:
    """The months the data (those the filters keep) cover (trends.coverage): a comparison period outside them is
    no comparison."""
    return _overview_of(source.key, filters, source)[3]


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
