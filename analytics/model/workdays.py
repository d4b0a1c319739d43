"""Vietnam's working days: Monday to Friday, minus public holidays, plus the government's yearly swaps.

The `holidays` package (country "VN") knows the holidays and most swaps; `DAYS_OFF` and `DAYS_WORKED` below hold
the swaps a pinned release does not know yet (add a line when the government announces one).

The calendar covers `FIRST_YEAR`–`LAST_YEAR`. Outside it a count of working days is not known here: a legal due
date or a processing time that needs a day outside it is refused (NaT, NaN), never guessed from the nearest year
(docs/RULES.md, Working days).
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

FIRST_YEAR, LAST_YEAR = 2000, 2040

# Swaps decided after the pinned `holidays` release. Each: date -> reason.
DAYS_OFF: dict[dt.date, str] = {}
DAYS_WORKED: dict[dt.date, str] = {}


@lru_cache(maxsize=1)
def _calendar() -> tuple[np.ndarray, frozenset]:
    vn = holidays.country_holidays("VN", years=range(FIRST_YEAR, LAST_YEAR + 1))
    days = pd.date_range(dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31), freq="D")
    worked = set(vn.weekend_workdays) | set(DAYS_WORKED)
    off = set(vn.keys()) | set(DAYS_OFF)
    keep = [d for d in days.date if (d.weekday() < 5 or d in worked) and (d not in off or d in DAYS_WORKED)]
    return np.array(keep, dtype="datetime64[D]"), frozenset(keep)


def is_working_day(day: dt.date) -> bool:
    return day in _calendar()[1]


def working_day_mask(values) -> np.ndarray:
    """Vectorised is_working_day: True where the date is a working day, False where not or missing."""
    return np.isin(_as_days(values), _calendar()[0])


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The working days d with start <= d <= end."""
    arr = _calendar()[0]
    lo, hi = np.searchsorted(arr, np.datetime64(start, "D")), np.searchsorted(arr, np.datetime64(end, "D"), "right")
    return [d.astype(dt.date) for d in arr[lo:hi]]


def _as_days(values) -> np.ndarray:
    return pd.to_datetime(pd.Series(values)).to_numpy(dtype="datetime64[D]")


_FIRST_DAY = np.datetime64(dt.date(FIRST_YEAR, 1, 1), "D")
_LAST_DAY = np.datetime64(dt.date(LAST_YEAR, 12, 31), "D")


def in_calendar(values) -> np.ndarray:
    """True where the date lies within the calendar's years (FIRST_YEAR–LAST_YEAR); False where not or missing."""
    return _within(_as_days(values))


def _within(days: np.ndarray) -> np.ndarray:
    return (days >= _FIRST_DAY) & (days <= _LAST_DAY)


def working_days_elapsed(received, finished) -> np.ndarray:
    """Processing time: the number of working days d with received < d <= finished (same day = 0), vectorised.

    Returns floats with NaN where either date is missing or outside the calendar's years.
    """
    arr = _calendar()[0]
    r, f = _as_days(received), _as_days(finished)
    out = (np.searchsorted(arr, f, "right") - np.searchsorted(arr, r, "right")).astype(float)
    out[~_within(r) | ~_within(f)] = np.nan
    return out


def add_working_days(received, n) -> np.ndarray:
    """The legal due date: the n-th working day after `received` (n = 0: the received date itself), vectorised.

    `n` may be a scalar or an array; NaN n, a missing date, or a received date or due date outside the calendar's
    years gives NaT (`in_calendar`: the days of another year are not known here, so nothing is guessed).
    """
    arr = _calendar()[0]
    r = _as_days(received)
    n = np.broadcast_to(np.asarray(n, dtype=float), r.shape)
    idx = np.searchsorted(arr, r, "right") + np.nan_to_num(n, nan=1).astype(int) - 1
    out = arr[np.clip(idx, 0, len(arr) - 1)]
    out = np.where(n == 0, r, out)
    bad = np.isnat(r) | np.isnan(n) | (idx >= len(arr)) | ~_within(r)
    return np.where(bad, np.datetime64("NaT", "D"), out)


@lru_cache(maxsize=1)
def calendar_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The calendar as two small tables for an engine (issue 20): every day of FIRST_YEAR–LAST_YEAR with the number
    of working days up to and including it (`worked`; "working days between" is a subtraction, as
    working_days_elapsed), and the working days by position (add_working_days: the n-th working day after a day d
    is the one at position worked(d) + n − 1)."""
    arr = _calendar()[0]
    days = np.arange(_FIRST_DAY, _LAST_DAY + 1)
    ranks = pd.DataFrame({"day": days.astype("datetime64[s]"), "worked": np.searchsorted(arr, days, "right")})
    positions = pd.DataFrame({"position": np.arange(len(arr)), "day": arr.astype("datetime64[s]")})
    return ranks, positions
