"""Fair comparison of units: a funnel of each unit's on-time rate against its volume.

Control limits around the overall rate narrow as the volume grows, so a commune with three dossiers neither tops nor
bottoms the table: a unit is flagged only when its rate lies outside the 99.8% limits for its own volume, and called
to attention between the 95% and 99.8% limits.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.analyses.stats import funnel_limit
from analytics.model.rates import RATES, RESOLVED

ABOVE, BELOW, WATCH_ABOVE, WATCH_BELOW, INSIDE, EMPTY = (
    "above", "below", "watch_above", "watch_below", "inside", "empty")
LIMITS = {"lower_998": 0.001, "lower_95": 0.025, "upper_95": 0.975, "upper_998": 0.999}


def funnel(groups: pd.DataFrame, rate: str = RESOLVED.name) -> tuple[pd.DataFrame, float | None]:
    """(one row per unit: name, numerator, denominator, rate, the four limits, flag; overall rate). The flag's words
    are outputs.labels.FLAG_LABELS.

    `groups` is an official table's groups (a "name" column and the count keys).
    """
    definition = RATES[rate]
    records = groups.to_dict("records")
    numerators = np.array([definition.numerator(r) for r in records], dtype=float)
    denominators = np.array([definition.denominator(r) for r in records], dtype=float)
    overall = numerators.sum() / denominators.sum() if denominators.sum() else None
    out = pd.DataFrame({"name": groups["name"].to_numpy(), "numerator": numerators.astype(int),
                        "denominator": denominators.astype(int)})
    out["rate"] = np.where(denominators > 0, numerators / np.where(denominators > 0, denominators, 1), np.nan)
    for column, probability in LIMITS.items():
        out[column] = [funnel_limit(overall, int(n), probability) if overall is not None else None
                       for n in out["denominator"]]
    out["flag"] = [_flag(row) for row in out.to_dict("records")]
    return out, overall


def _flag(row: dict) -> str:
    if not row["denominator"] or row["lower_95"] is None:
        return EMPTY
    r = row["rate"]
    if r > row["upper_998"]:
        return ABOVE
    if r < row["lower_998"]:
        return BELOW
    if r > row["upper_95"]:
        return WATCH_ABOVE
    if r < row["lower_95"]:
        return WATCH_BELOW
    return INSIDE


def funnel_curve(overall: float, max_volume: int, points: int = 60) -> pd.DataFrame:
    """The four limits over volumes 1..max_volume (log-spaced), to draw the funnel."""
    volumes = np.unique(np.geomspace(1, max(max_volume, 2), points).round().astype(int))
    return pd.DataFrame({"volume": volumes, **{column: [funnel_limit(overall, int(n), p) for n in volumes]
                                                for column, p in LIMITS.items()}})
