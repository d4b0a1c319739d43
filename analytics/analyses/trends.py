"""The data over time: the natural period of a data set, the months it covers (a comparison period outside them is
no comparison), and a trend's points as a unit × period matrix."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.model import schema as s


def default_period(dossiers: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """From 1 January of the year most data start in to the end of the quarter of the last received dossier.

    A few dossiers carried over from an earlier year (the 1st percentile) do not move the start. None without
    any received date.
    """
    received = dossiers[s.RECEIVED_DATE].dropna()
    if received.empty:
        return None
    first = received.quantile(0.01)
    last = received.max()
    quarter_end = (pd.Period(last, freq="Q").end_time).date()
    return dt.date(first.year, 1, 1), quarter_end


def coverage(dossiers: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """The months the data cover: from the first day of the month most data start in (the 1st percentile of the
    received dates, so that a few dossiers carried over from long before do not move it) to the last day of the
    month of the last received dossier. None without any received date."""
    received = dossiers[s.RECEIVED_DATE].dropna()
    if received.empty:
        return None
    first, last = received.quantile(0.01), received.max()
    return dt.date(first.year, first.month, 1), (pd.Period(last, freq="M").end_time).date()


COVERED, PARTLY, NOT_COVERED = "covered", "partly", "not_covered"


def covered(start: dt.date, end: dt.date, span: tuple[dt.date, dt.date] | None) -> str:
    """Whether the data's months (`coverage`) hold the whole of [start, end], a part of it, or none of it."""
    if span is None or end < span[0] or start > span[1]:
        return NOT_COVERED
    return COVERED if span[0] <= start and end <= span[1] else PARTLY


def heatmap_table(points: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A trend by group (one row per period label and group name) as two matrices, groups × periods: the rate and
    its denominator. Groups by volume (the largest first), periods in the trend's order."""
    order = list(dict.fromkeys(points["label"]))
    rates = points.pivot_table(index="name", columns="label", values="on_time_rate", aggfunc="first", dropna=False)
    counts = points.pivot_table(index="name", columns="label", values="denominator", aggfunc="first", dropna=False)
    by_volume = counts.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return rates.reindex(index=by_volume, columns=order), counts.reindex(index=by_volume, columns=order)
