"""How long dossiers really take, in working days: processing time, clearance, age of what is still pending.

All durations count working days (Vietnam's calendar, `workdays`): processing time = the working days d with
received < d <= finish (same day = 0). Ages are taken at the period's cut-off, never at today's date.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import schema as s
from analytics.classification import (CELL, DUE, EARLY, FINISH, GROUPINGS, LATE, ON_TIME, PENDING_IN_TIME,
                                      PENDING_OVERDUE, RECEIVED_IN_PERIOD, WITHDRAWN, group_label)
from analytics.periods import Period
from analytics.workdays import working_days_elapsed

RESOLVED_CELLS = [EARLY, ON_TIME, LATE]
PROCESSING_DAYS = "processing_days"
AGE_DAYS = "age_days"
DAYS_OVERDUE = "days_overdue"

# Buckets in working days: (upper bound inclusive, label).
AGE_BUCKETS = [(5, "0–5 ngày"), (10, "6–10 ngày"), (20, "11–20 ngày"), (60, "21–60 ngày"), (None, "Trên 60 ngày")]
OVERDUE_BUCKETS = [(5, "1–5 ngày"), (10, "6–10 ngày"), (20, "11–20 ngày"), (None, "Trên 20 ngày")]


def with_durations(classified: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Classified dossiers plus processing days (resolved ones), age at the cut-off and days past due (pending)."""
    out = classified.copy()
    cell = out[CELL].to_numpy()
    resolved = np.isin(cell, RESOLVED_CELLS)
    pending = np.isin(cell, [PENDING_IN_TIME, PENDING_OVERDUE])
    end = np.full(len(out), np.datetime64(period.end, "D"))
    out[PROCESSING_DAYS] = np.where(resolved, working_days_elapsed(out[s.RECEIVED_DATE], out[FINISH]), np.nan)
    out[AGE_DAYS] = np.where(pending, working_days_elapsed(out[s.RECEIVED_DATE], end), np.nan)
    out[DAYS_OVERDUE] = np.where(cell == PENDING_OVERDUE, working_days_elapsed(out[DUE], end), np.nan)
    return out


def _summary(frame: pd.DataFrame) -> dict:
    days = frame[PROCESSING_DAYS].dropna()
    cell = frame[CELL]
    received = int(frame[RECEIVED_IN_PERIOD].sum())
    ended = int(cell.isin(RESOLVED_CELLS + [WITHDRAWN]).sum())
    return {
        "resolved": int(len(days)),
        "median_days": float(days.median()) if len(days) else None,
        "p90_days": float(days.quantile(0.9)) if len(days) else None,
        "received_in_period": received,
        "ended": ended,
        "clearance_rate": ended / received if received else None,
    }


def processing_summary(durations: pd.DataFrame, by: str | None = None) -> tuple[dict, list[dict]]:
    """(overall, per group): resolved count, median and 90th percentile of processing days, clearance rate.

    Clearance rate = dossiers ended in the period (resolved, withdrawn or stopped) ÷ dossiers received in it;
    above 1 the backlog shrank.
    """
    total = _summary(durations)
    if not by:
        return total, []
    column = GROUPINGS[by]
    groups = [{"name": group_label(key, by), **_summary(frame)}
              for key, frame in durations.groupby(durations[column], dropna=False, sort=True)]
    return total, groups


def _bucket_counts(values: pd.Series, buckets) -> list[dict]:
    values = values.dropna()
    out, lower = [], -np.inf
    for upper, label in buckets:
        upper_value = np.inf if upper is None else upper
        out.append({"bucket": label, "count": int(((values > lower) & (values <= upper_value)).sum())})
        lower = upper_value
    return out


def pending_age(durations: pd.DataFrame) -> dict:
    """Pending dossiers at the cut-off by age, and overdue ones by working days past due."""
    age = durations[AGE_DAYS].dropna()
    return {
        "pending": int(len(age)),
        "age_buckets": _bucket_counts(durations[AGE_DAYS], AGE_BUCKETS),
        "median_age_days": float(age.median()) if len(age) else None,
        "overdue": int(durations[DAYS_OVERDUE].notna().sum()),
        "overdue_buckets": _bucket_counts(durations[DAYS_OVERDUE], OVERDUE_BUCKETS),
    }
