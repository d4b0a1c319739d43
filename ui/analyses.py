"""The core's analyses for the screens, cached by the data's version and the user's choices.

Each function takes the data `Source` (hashed by its key, which changes with every import), the filters and the
parameters, and
returns small results (tables of groups, never the million dossiers), so a rerun with the same choices costs
nothing and a new choice recomputes only its own analysis.

The dossiers are classified once per (data, filters, period, fold) for every screen (review 2026-12-07 §5.4): the
cells are held as small arrays (`_cells`), and the classified dossiers are put together from them only while an
analysis that needs them is computed, never held (§5.2).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.analyses import catalog_audit, classification, timeliness
from analytics.analyses import experience as lived_measures
from analytics.analyses.bieu06 import period_tables, tabled
from analytics.analyses.caveats import Caveat
from analytics.analyses.caveats import caveats as find_caveats
from analytics.analyses.classification import CELL, LATE, PENDING_OVERDUE, Cells
from analytics.analyses.comparison import compare
from analytics.analyses.filters import Filters
from analytics.analyses.funnel import funnel, funnel_curve
from analytics.analyses.index_estimates import compare_index
from analytics.analyses.late import late_table
from analytics.analyses.screening import DOSSIER_COLUMNS, screens
from analytics.model.national_index import MONTH
from analytics.model.periods import Period, series
from analytics.outputs import experience_words as lived_words
from analytics.model.rates import RATES, with_rate
from ui import data


@st.cache_resource(show_spinner=False, max_entries=32)  # arrays of a few bytes per dossier: held, not copied
def _cells(key: tuple, filters: Filters, period: Period, fold: bool, _source: data.Source) -> Cells:
    return classification.cells(data.dates(_source, filters), period, fold)


def classified(source: data.Source, filters: Filters, period: Period, fold: bool) -> pd.DataFrame:
    """The dossiers the filters keep with their cell for the period, as `classification.classify` gives them, from
    the one classification held for these choices; made when asked, not held."""
    dossiers, dates = data.filtered(source, filters), data.dates(source, filters)
    return classification.with_cells(dossiers, dates, _cells(source.key, filters, period, fold, source))


@st.cache_data(show_spinner=False, max_entries=64)
def _table_counts(source: data.Source, filters: Filters, period: Period, by: str | None,
                  fold: bool) -> tuple[dict, pd.DataFrame, dict, list[Caveat]]:
    t = tabled(classified(source, filters, period, fold), period, by, fold)
    return t.total, t.groups, t.quality(), find_caveats(t.classified, data.missing_fields(source))


def caveats(source: data.Source, filters: Filters, period: Period, fold: bool) -> list[Caveat]:
    """What the period's figures cannot be sure of (a column missing, a wording not recognised)."""
    return _table_counts(source, filters, period, None, fold)[3]


def table(source: data.Source, filters: Filters, period: Period, by: str | None, rate: str,
          fold: bool) -> tuple[dict, pd.DataFrame, dict]:
    """(total, groups, dossiers left out by reason) of the official table; `on_time_rate` follows `rate`.

    The counts are cached without the rate, so switching the definition costs nothing."""
    total, groups, left_out, _ = _table_counts(source, filters, period, by, fold)
    definition = RATES[rate]
    total = {**total, "on_time_rate": definition.of(total).value}
    groups = with_rate(groups, definition) if len(groups) else groups
    return total, groups, left_out


@st.cache_data(show_spinner=False, max_entries=32)
def _trend_counts(source: data.Source, filters: Filters, period: Period, freq: str, cutoff: bool,
                  by: str | None, fold: bool) -> pd.DataFrame:
    points = series(period.start, period.end, freq, cutoff)
    frame = period_tables(data.filtered(source, filters), points, by, fold_withdrawn=fold,
                          dates=data.dates(source, filters))
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
    durations = timeliness.with_durations(classified(source, filters, period, fold), period)
    total, groups = timeliness.processing_summary(durations, by)
    return total, pd.DataFrame(groups), timeliness.pending_age(durations)


@st.cache_resource(show_spinner=False, max_entries=8)  # lists can be long: held, not copied per rerun
def inspection(source: data.Source, filters: Filters, period: Period,
               fold: bool) -> tuple[list, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(screening lists, late by unit, late by field, late and overdue dossiers)."""
    placed = classified(source, filters, period, fold)
    late = placed[placed[CELL].isin([LATE, PENDING_OVERDUE])][DOSSIER_COLUMNS]
    return (screens(placed, period), late_table(placed, "unit"), late_table(placed, "field"),
            late.reset_index(drop=True))


@st.cache_data(show_spinner=False, max_entries=16)
def comparison(source: data.Source, filters: Filters, a: Period, b: Period, by: str | None,
               rate: str, fold: bool):
    result = compare(data.filtered(source, filters), a, b, by, rate, fold, data.dates(source, filters))
    return result.total, result.groups, result.a.total, result.b.total


@st.cache_data(show_spinner=False, max_entries=8)
def audit(source: data.Source, filters: Filters, period: Period) -> dict | None:
    catalog = data.catalog(source)
    if catalog is None:
        return None
    return catalog_audit.audit(data.filtered(source, filters), catalog, period.start, period.end, filters.fields,
                               filters.levels)


# --- Citizens' experience (issue 19) ------------------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=16)
def experience(source: data.Source, filters: Filters, period: Period, fold: bool, by: str | None,
               index_month: tuple[int, int] | None, index_version: int | None, whole_body: str | None) -> dict:
    """The experience document (experience_words.experience_document) of the choices, with the national index's
    month beside it when one is chosen: small, cached per (data, choices, stored scores)."""
    placed = classified(source, filters, period, fold)
    everything = data.filtered(source, Filters())
    lived = lived_measures.experience(placed, period, by, lived_measures.carried(everything))
    comparison = None
    if index_month is not None:
        scores = data.store().index_scores(*index_month)
        if scores is not None:
            comparison = compare_index(scores, data.filtered(source, filters), MONTH, whole_body)
    return lived_words.experience_document(lived, source.description, comparison)


@st.cache_data(show_spinner=False, max_entries=8)
def online_trend(source: data.Source, filters: Filters, period: Period, cutoff: bool) -> pd.DataFrame:
    return lived_measures.online_trend(data.filtered(source, filters), period, "month", cutoff,
                                       data.dates(source, filters))


@st.cache_data(show_spinner=False, max_entries=16)
def behind(source: data.Source, filters: Filters, period: Period, fold: bool, count_key: str) -> pd.DataFrame:
    """The dossiers counted in one count of the experience measures (the inspection team's checklist)."""
    return lived_measures.dossiers_behind(classified(source, filters, period, fold), period, count_key)


@st.cache_data(show_spinner=False, max_entries=8)
def receiving_pairs(source: data.Source, filters: Filters, period: Period, fold: bool) -> pd.DataFrame:
    return lived_measures.receiving_pairs(classified(source, filters, period, fold))
