"""Numbers, rates and dates written the Vietnamese way: 1.365 hồ sơ, 95,2%, 31/03/2019. The browser never decides."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from babel.numbers import format_decimal, format_percent

LOCALE = "vi_VN"
DASH = "—"


def number(n) -> str:
    if n is None or pd.isna(n):
        return DASH
    return format_decimal(n, format="#,##0", locale=LOCALE)


def percent(x, digits: int = 1) -> str:
    """95,2% — or "—" when the rate is undefined (nothing in the denominator)."""
    if x is None or pd.isna(x):
        return DASH
    return format_percent(x, "#,##0." + "0" * digits + "%" if digits else "#,##0%", locale=LOCALE)


def date(d) -> str:
    if d is None or pd.isna(d):
        return ""
    if isinstance(d, (pd.Timestamp, dt.datetime)):
        d = d.date()
    return d.strftime("%d/%m/%Y")


DENOMINATOR_WORDS = {"resolved": "hồ sơ đã giải quyết", "qd766": "hồ sơ đã và đang giải quyết",
                     "workload": "hồ sơ nhận giải quyết"}


def rate_sentence(rate) -> str:
    """'95,4% đúng hạn (1.302/1.365 hồ sơ đã giải quyết)' for a rates.Rate."""
    what = DENOMINATOR_WORDS.get(rate.definition.name, "hồ sơ")
    return f"{percent(rate.value)} đúng hạn ({number(rate.numerator)}/{number(rate.denominator)} {what})"


def decimal(x, digits: int = 1) -> str:
    """12,5 — or "—" when there is no value."""
    if x is None or pd.isna(x):
        return DASH
    return format_decimal(x, format="#,##0." + "0" * digits, locale=LOCALE)


def signed_number(n) -> str:
    """+12 / −3 / 0, Vietnamese thousands: "+1.234"."""
    if n is None or pd.isna(n):
        return DASH
    return format_decimal(n, format="+#,##0;-#,##0", locale=LOCALE)


def points_change(now: float | None, then: float | None) -> str | None:
    """The change between two rates in percentage points: "+1,2 điểm %" (None when either is undefined)."""
    if now is None or then is None:
        return None
    return format_decimal((now - then) * 100, format="+#,##0.0;-#,##0.0", locale=LOCALE) + " điểm %"
