"""The data over time: the natural period of a data set, and a trend's points as a unit × period matrix."""
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


def heatmap_table(points: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A trend by group (one row per period label and group name) as two matrices, groups × periods: the rate and
    its denominator. Groups by volume (the largest first), periods in the trend's order."""
    order = list(dict.fromkeys(points["label"]))
    rates = points.pivot_table(index="name", columns="label", values="on_time_rate", aggfunc="first", dropna=False)
    counts = points.pivot_table(index="name", columns="label", values="denominator", aggfunc="first", dropna=False)
    by_volume = counts.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return rates.reindex(index=by_volume, columns=order), counts.reindex(index=by_volume, columns=order)
