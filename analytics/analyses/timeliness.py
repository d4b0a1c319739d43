"""How long dossiers really take, in working days: processing time, clearance, age of what is still pending.

All durations count working days (Vietnam's calendar, `workdays`): processing time = the working days d with
received < d <= finish (same day = 0). Ages are taken at the period's cut-off, never at today's date.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.analyses.bieu06 import GROUPINGS, OFFICIAL, group_label, official_groups, official_path
from analytics.analyses.classification import (
    CELL,
    DUE,
    FINISH,
    PENDING_IN_TIME,
    PENDING_OVERDUE,
    RECEIVED_IN_PERIOD,
    RESOLVED_CELLS,
    WITHDRAWN,
)
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.model.workdays import working_days_elapsed

PROCESSING_DAYS = "processing_days"
AGE_DAYS = "age_days"
DAYS_OVERDUE = "days_overdue"

# Buckets in working days: the upper bound of each (inclusive; None: no bound), from the first value counted.
AGE_BUCKETS = (0, [5, 10, 20, 60, None])       # 0–5, 6–10, 11–20, 21–60, over 60 working days since receipt
OVERDUE_BUCKETS = (1, [5, 10, 20, None])       # 1–5, 6–10, 11–20, over 20 working days past due


def with_durations(classified: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Classified dossiers plus processing days (resolved ones), age at the cut-off and days past due (pending)."""
    out = classified.copy(deep=False)
    cell = out[CELL].to_numpy()
    end = np.datetime64(period.end, "D")
    for column, rows, since, until in [
            (PROCESSING_DAYS, np.isin(cell, RESOLVED_CELLS), out[s.RECEIVED_DATE], out[FINISH]),
            (AGE_DAYS, np.isin(cell, [PENDING_IN_TIME, PENDING_OVERDUE]), out[s.RECEIVED_DATE], None),
            (DAYS_OVERDUE, cell == PENDING_OVERDUE, out[DUE], None)]:
        values = np.full(len(out), np.nan)
        selected = since[rows]
        values[rows] = working_days_elapsed(selected, np.full(len(selected), end) if until is None else until[rows])
        out[column] = values
    return out


def _summaries(durations: pd.DataFrame, keys) -> pd.DataFrame:
    """Per key: resolved count, median and 90th percentile of processing days, received, ended, clearance."""
    cell = durations[CELL]
    frame = pd.DataFrame({"key": keys, "days": durations[PROCESSING_DAYS],
                          "received": durations[RECEIVED_IN_PERIOD].to_numpy(),
                          "ended": cell.isin(RESOLVED_CELLS + [WITHDRAWN]).to_numpy()})
    grouped = frame.groupby("key", dropna=False, sort=True)
    out = pd.DataFrame({"resolved": grouped["days"].count(), "median_days": grouped["days"].median(),
                        "p90_days": grouped["days"].quantile(0.9), "received_in_period": grouped["received"].sum(),
                        "ended": grouped["ended"].sum()})
    out["clearance_rate"] = out["ended"] / out["received_in_period"].where(out["received_in_period"] > 0)
    return out[(out["received_in_period"] > 0) | (out["ended"] > 0) | (out["resolved"] > 0)]


def json_row(row: dict) -> dict:
    """A summary row for JSON: counts as integers, days and rates as floats to 9 decimals (an interpolated
    percentile is the same whichever engine computed it: 2.8, not 2.8000000000000003)."""
    return {k: (None if pd.isna(v) else int(v) if k in ("resolved", "received_in_period", "ended")
                else round(float(v), 9)) for k, v in row.items()}


def processing_summary(durations: pd.DataFrame, by: str | None = None) -> tuple[dict, list[dict]]:
    """(overall, per group): resolved count, median and 90th percentile of processing days, clearance rate.

    Clearance rate = dossiers ended in the period (resolved, withdrawn or stopped) ÷ dossiers received in it;
    above 1 the backlog shrank. Groups with nothing in the period are left out. `by` is a key of GROUPINGS, or
    "official": each level › unit › field of the form, named by its path ("Cấp huyện › Phòng Tư pháp › Hộ tịch").
    """
    whole = _summaries(durations, np.zeros(len(durations), dtype=np.int8))
    total = json_row(whole.iloc[0].to_dict()) if len(whole) else json_row(
        {"resolved": 0, "median_days": None, "p90_days": None, "received_in_period": 0, "ended": 0,
         "clearance_rate": None})
    if not by:
        return total, []
    if by == OFFICIAL:  # each level › unit › field of the form, in the form's order
        codes, paths = official_groups(durations)
        per_group = _summaries(durations, codes)
        return total, [{"name": official_path(*paths[code]), **json_row(row)}
                       for code, row in per_group.to_dict("index").items()]
    per_group = _summaries(durations, durations[GROUPINGS[by]].to_numpy())
    return total, [{"name": group_label(key, by), **json_row(row)} for key, row in per_group.to_dict("index").items()]


def bucket_counts(counts: pd.Series, buckets: tuple[int, list]) -> list[dict]:
    """[{"low", "high" (None: no bound), "count"}] of whole working days, from how many dossiers have each value
    (value -> count); outputs.labels.bucket_label words them. The first bucket also takes any value under its low
    end (a dossier due on the Saturday before a Monday cut-off is overdue by 0 working days), so the counts add up
    to every value."""
    values, weights = counts.index.to_numpy(dtype=float), counts.to_numpy()
    low, uppers = buckets
    out, previous = [], -np.inf
    for upper in uppers:
        upper_value = np.inf if upper is None else upper
        inside = (values > previous) & (values <= upper_value)
        out.append({"low": low, "high": upper, "count": int(weights[inside].sum())})
        previous, low = upper_value, upper_value + 1
    return out


def pending_age(durations: pd.DataFrame) -> dict:
    """Pending dossiers at the cut-off by age, and overdue ones by working days past due."""
    age = durations[AGE_DAYS].dropna()
    return {
        "pending": int(len(age)),
        "age_buckets": bucket_counts(age.value_counts(), AGE_BUCKETS),
        "median_age_days": float(age.median()) if len(age) else None,
        "overdue": int(durations[DAYS_OVERDUE].notna().sum()),
        "overdue_buckets": bucket_counts(durations[DAYS_OVERDUE].dropna().value_counts(), OVERDUE_BUCKETS),
    }
