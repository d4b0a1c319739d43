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
