"""The headline of a period: a sensible default period for the data and the one-sentence summary."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import formatting as fmt
from analytics import schema as s
from analytics.classification import OfficialTable


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


def headline_sentence(table: OfficialTable) -> str:
    """'Từ 01/01/2018 đến 31/03/2019 đã giải quyết 1.365 hồ sơ, 96,6% đúng hạn (1.319/1.365); …'."""
    t, p = table.total, table.period
    done = t["resolved_early"] + t["resolved_on_time"]
    sentence = (f"Từ {fmt.date(p.start)} đến {fmt.date(p.end)} đã giải quyết {fmt.number(t['resolved_total'])} hồ sơ"
                f" trong {fmt.number(t['received_total'])} hồ sơ nhận giải quyết")
    if t["resolved_total"]:
        sentence += f", {fmt.percent(t['on_time_rate'])} đúng hạn ({fmt.number(done)}/{fmt.number(t['resolved_total'])})"
    sentence += (f"; {fmt.number(t['pending_total'])} hồ sơ đang giải quyết"
                 f" (quá hạn {fmt.number(t['pending_overdue'])}), {fmt.number(t['withdrawn'])} hồ sơ rút/dừng xử lý.")
    return sentence
