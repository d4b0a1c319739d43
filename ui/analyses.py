"""The core's analyses for the screens, cached by the data's version and the user's choices.

Each function takes the data `Source` (hashed by its key, which changes with every import), the filters and the
parameters, and returns small results (tables of groups, never the million dossiers), so a rerun with the same
choices costs nothing and a new choice recomputes only its own analysis.

Biểu 06, its caveats and left-out dossiers, trends, processing times and comparisons are counted by the engine
where the data are (analyses/engine.py, issue 20): no dossier is read into this process for them. The analyses
that still work on the dossiers themselves (late lists, experience, the catalog audit) classify them once per
(data, filters, period, fold) (review 2026-12-07 §5.4): the cells are held as small arrays (`_cells`), and the
classified dossiers are put together from them only while such an analysis is computed, never held (§5.2).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.analyses import catalog_audit, engine
from analytics.analyses.caveats import Caveat
from analytics.analyses.filters import Filters
from analytics.analyses.funnel import funnel, funnel_curve
from analytics.analyses.index_estimates import compare_index
from analytics.model.national_index import MONTH
from analytics.model.periods import Period, series
from analytics.outputs import experience_words as lived_words
from analytics.model.rates import RATES, with_rate
from ui import data
from ui.tables import MAX_SHOWN_ROWS


@st.cache_data(show_spinner=False, max_entries=64)
def _table_counts(source: data.Source, filters: Filters, period: Period, by: str | None,
                  fold: bool) -> tuple[dict, pd.DataFrame]:
    with data.engine_relation(source, filters) as (con, relation):
        t = engine.engine_table(con, period, by, fold, source=relation)
    return t.total, t.groups


@st.cache_data(show_spinner=False, max_entries=64)
def _checks(source: data.Source, filters: Filters, period: Period, fold: bool) -> tuple[list[Caveat], dict]:
    missing = data.missing_fields(source)
    with data.engine_relation(source, filters) as (con, relation):
        return engine.engine_checks(con, period, fold, missing, relation)


def caveats(source: data.Source, filters: Filters, period: Period, fold: bool) -> list[Caveat]:
    """What the period's figures cannot be sure of (a column missing, a wording not recognised)."""
    return _checks(source, filters, period, fold)[0]


def table(source: data.Source, filters: Filters, period: Period, by: str | None, rate: str,
          fold: bool) -> tuple[dict, pd.DataFrame, dict]:
    """(total, groups, dossiers left out by reason) of the official table; `on_time_rate` follows `rate`.

    The counts are cached without the rate, so switching the definition costs nothing."""
    total, groups = _table_counts(source, filters, period, by, fold)
    left_out = _checks(source, filters, period, fold)[1]
    definition = RATES[rate]
    total = {**total, "on_time_rate": definition.of(total).value}
    groups = with_rate(groups, definition) if len(groups) else groups
    return total, groups, left_out


@st.cache_data(show_spinner=False, max_entries=32)
def _trend_counts(source: data.Source, filters: Filters, period: Period, freq: str, cutoff: bool,
                  by: str | None, fold: bool) -> pd.DataFrame:
    points = series(period.start, period.end, freq, cutoff)
    with data.engine_relation(source, filters) as (con, relation):
        frame = engine.engine_trend(con, points, by, fold, relation)
    frame["label"] = [points[n].name for n in frame["period"]]
    return frame


def trend(source: data.Source, filters: Filters, period: Period, freq: str, cutoff: bool,
          by: str | None, rate: str, fold: bool) -> pd.DataFrame:
    """One row per month or quarter (and group): label, counts, and the rate with its numerator and denominator."""
    return with_rate(_trend_counts(source, filters, period, freq, cutoff, by, fold), RATES[rate])


@st.cache_data(show_spinner=False, max_entries=32)
def units_funnel(source: data.Source, filters: Filters, period: Period, rate: str,
                 fold: bool) -> tuple[pd.DataFrame, pd.DataFrame, float | None]:
    _, groups, _ = table(source, filters, period, "unit", rate, fold)
    units, overall = funnel(groups, rate)
    curve = funnel_curve(overall, int(units["denominator"].max()) if len(units) else 1) if overall is not None \
        else pd.DataFrame()
    return units, curve, overall


@st.cache_data(show_spinner=False, max_entries=32)
def processing(source: data.Source, filters: Filters, period: Period, by: str | None,
               fold: bool) -> tuple[dict, pd.DataFrame, dict]:
    """(overall processing summary, per group, pending ages)."""
    with data.engine_relation(source, filters) as (con, relation):
        total, groups, ages = engine.engine_processing(con, period, by, fold, relation)
    return total, pd.DataFrame(groups), ages


@st.cache_resource(show_spinner=False, max_entries=16)  # the lists' first rows only: held, not copied per rerun
def inspection(source: data.Source, filters: Filters, period: Period, fold: bool
               ) -> tuple[list, pd.DataFrame, pd.DataFrame, engine.DossierList, dict[str, engine.DossierList]]:
    """(screening lists, late by unit, late by field, late and overdue dossiers, each screening list's
    DossierList): the lists hold their count and first rows; `everything` reads one whole."""
    with data.engine_relation(source, filters) as (con, relation):
        return engine.engine_inspection(con, period, fold, relation, MAX_SHOWN_ROWS)


@st.cache_resource(show_spinner=False, max_entries=16)
def late_dossiers(source: data.Source, filters: Filters, period: Period, fold: bool, units: tuple, fields: tuple,
                  cells: tuple) -> engine.DossierList:
    """The late and overdue dossiers of some units, fields and cells (the screen's own filters on its list)."""
    with data.engine_relation(source, filters) as (con, relation):
        return engine.late_dossiers(con, period, fold, relation, MAX_SHOWN_ROWS, units, fields, cells)


def everything(source: data.Source, filters: Filters, listed: engine.DossierList):
    """A function reading every dossier of a list, for a download (run only when the file is asked for)."""
    def read() -> pd.DataFrame:
        with data.engine_relation(source, filters) as (con, _):
            return engine.read_list(con, listed)
    return read


@st.cache_data(show_spinner=False, max_entries=16)
def comparison(source: data.Source, filters: Filters, a: Period, b: Period, by: str | None,
               rate: str, fold: bool):
    with data.engine_relation(source, filters) as (con, relation):
        result = engine.engine_compare(con, a, b, by, rate, fold, relation)
    return result.total, result.groups, result.a.total, result.b.total


@st.cache_data(show_spinner=False, max_entries=8)
def audit(source: data.Source, filters: Filters, period: Period) -> dict | None:
    catalog = data.catalog(source)
    if catalog is None:
        return None
    return catalog_audit.audit(data.period_dossiers(source, filters, [period]), catalog, period.start, period.end,
                               filters.fields, filters.levels)


# --- Citizens' experience (issue 19) ------------------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=16)
def experience(source: data.Source, filters: Filters, period: Period, fold: bool, by: str | None,
               index_month: tuple[int, int] | None, index_version: int | None, whole_body: str | None) -> dict:
    """The experience document (experience_words.experience_document) of the choices, with the national index's
    month beside it when one is chosen: small, cached per (data, choices, stored scores)."""
    has = data.carried(source)
    with data.engine_relation(source, filters) as (con, relation):
        lived = engine.engine_experience(con, period, by, fold, relation, has)
    comparison = None
    if index_month is not None:
        scores = data.store().index_scores(*index_month)
        if scores is not None:
            month = Period(*scores.period(MONTH))
            comparison = compare_index(scores, data.period_dossiers(source, filters, [month]), MONTH, whole_body,
                                       span=data.coverage(source, filters), carries=data.carried(source, filters))
    return lived_words.experience_document(lived, source.description, comparison)


@st.cache_data(show_spinner=False, max_entries=8)
def online_trend(source: data.Source, filters: Filters, period: Period, cutoff: bool) -> pd.DataFrame:
    with data.engine_relation(source, filters) as (con, relation):
        return engine.engine_online_trend(con, period, "month", cutoff, relation)


@st.cache_resource(show_spinner=False, max_entries=32)   # the first rows only: held, not copied per rerun
def behind(source: data.Source, filters: Filters, period: Period, fold: bool, count_key: str
           ) -> engine.DossierList:
    """The dossiers counted in one count of the experience measures (the inspection team's checklist): how many,
    the first of them, and the query giving them all."""
    with data.engine_relation(source, filters) as (con, relation):
        return engine.experience_behind(con, period, fold, relation, count_key, MAX_SHOWN_ROWS)


@st.cache_data(show_spinner=False, max_entries=8)
def receiving_pairs(source: data.Source, filters: Filters, period: Period, fold: bool) -> pd.DataFrame:
    with data.engine_relation(source, filters) as (con, relation):
        return engine.engine_receiving_pairs(con, period, fold, relation)
