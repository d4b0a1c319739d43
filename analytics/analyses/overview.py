"""The headline of a period: a sensible default period for the data and the one-sentence summary."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.model.rates import Rate
from analytics.outputs import formatting as fmt


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


def headline_sentence(total: dict, period: Period, rate: Rate) -> str:
    """'Từ 01/01/2018 đến 31/03/2019 đã giải quyết 1.365 hồ sơ trong 1.431 hồ sơ nhận giải quyết, 96,6% đúng hạn
    (1.319/1.365 hồ sơ đã giải quyết); 37 hồ sơ đang giải quyết (quá hạn 7), 29 hồ sơ rút/dừng xử lý.'"""
    t = total
    sentence = (f"Từ {fmt.date(period.start)} đến {fmt.date(period.end)} đã giải quyết "
                f"{fmt.number(t['resolved_total'])} hồ sơ trong {fmt.number(t['received_total'])} hồ sơ nhận giải "
                "quyết")
    if rate.value is not None:
        sentence += f", {fmt.rate_sentence(rate)}"
    return sentence + (f"; {fmt.number(t['pending_total'])} hồ sơ đang giải quyết (quá hạn "
                       f"{fmt.number(t['pending_overdue'])}), {fmt.number(t['withdrawn'])} hồ sơ rút/dừng xử lý.")


def online_share(total: dict) -> tuple[float | None, int, int]:
    """(share of the dossiers received in the period that came online, online, received in the period)."""
    received = total["received_online"] + total["received_direct_postal"]
    return (total["received_online"] / received if received else None), total["received_online"], received
