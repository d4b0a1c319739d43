"""What the data let a sentence claim: a rise or a fall, a unit to name for attention, the most late, a comparison
at all. One small set of rules (docs/RULES.md, "Sentences that judge") that every screen, slide and report follows.

Each rule returns a code and its evidence, never prose: analytics.outputs.judged words them in Vietnamese.

- A change is a rise or a fall only when its 95% interval excludes zero and both denominators reach MIN_JUDGEABLE;
  otherwise it is "no statistically meaningful change" (or "too few dossiers").
- A unit is named for attention only when its denominator reaches MIN_JUDGEABLE and its rate lies below the funnel's
  limits for its volume; a unit below the target but within the limits, or too small to judge, is said apart.
- "Most late" is a count, so it travels with its rate: late ((10) + (13)) over received (3).
- Counts are compared only between periods of the same length; a comparison period the data do not cover is no
  comparison (analyses.coverage).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.analyses import stats
from analytics.analyses.funnel import BELOW, WATCH_BELOW
from analytics.model.periods import Period

RISE, FALL, NO_CHANGE, TOO_FEW, UNDEFINED = "rise", "fall", "no_significant_change", "too_few", "undefined"


@dataclass(frozen=True)
class Change:
    """A change B − A of a share, in percentage points, with what may be said of it."""
    code: str                          # RISE, FALL, NO_CHANGE, TOO_FEW or UNDEFINED
    change_pp: float | None
    low_pp: float | None               # the 95% interval of the change (Newcombe)
    high_pp: float | None
    n_a: int
    n_b: int

    @property
    def significant(self) -> bool:
        return self.code in (RISE, FALL)


def _pp(x: float | None) -> float | None:
    return None if x is None else 100 * x


def share_change(x_a: int, n_a: int, x_b: int, n_b: int) -> Change:
    """The change of the share x/n from A to B, judged by its 95% interval and the denominators."""
    if not n_a or not n_b:
        return Change(UNDEFINED, None, None, None, n_a, n_b)
    change = _pp(x_b / n_b - x_a / n_a)
    low, high = stats.difference_interval(x_a, n_a, x_b, n_b)
    low, high = _pp(low), _pp(high)
    if not stats.judgeable(n_a, n_b):
        code = TOO_FEW
    elif low > 0:
        code = RISE
    elif high < 0:
        code = FALL
    else:
        code = NO_CHANGE
    return Change(code, change, low, high, n_a, n_b)


def rate_change(change: dict) -> Change:
    """The on-time rate's change in a comparison (comparison.change's dict), judged."""
    a, b = change["rate_a"], change["rate_b"]
    return share_change(a["numerator"], a["denominator"], b["numerator"], b["denominator"])


def overdue_change(total_a: dict, total_b: dict) -> Change:
    """The share of the workload pending overdue at the period's end, (13) / (3), from A to B."""
    return share_change(total_a["pending_overdue"], total_a["received_total"],
                        total_b["pending_overdue"], total_b["received_total"])


def same_length(a: Period, b: Period, slack_days: int = 3) -> bool:
    """Whether counts of A and B may be set side by side: periods of the same length (a month of 28 or 31 days,
    a quarter of 90 or 92, are the same length)."""
    return abs((a.end - a.start).days - (b.end - b.start).days) <= slack_days


@dataclass(frozen=True)
class Attention:
    """Units set against the target and the funnel's limits. Each frame: a funnel's rows (name, numerator,
    denominator, rate, limits, flag, flag_label), worst rate first."""
    named: pd.DataFrame                # below the funnel's limits, with a denominator that can be judged
    within_limits: pd.DataFrame        # judgeable, below the target, but within the limits: random variation
    too_small: pd.DataFrame            # below the target (or the limits) with under MIN_JUDGEABLE dossiers
    target: float

    @property
    def empty(self) -> bool:
        return self.named.empty


def attention(units: pd.DataFrame, target: float, min_judgeable: int = stats.MIN_JUDGEABLE) -> Attention:
    """Which units a sentence may name for attention (see the module's rules); `units` is funnel()'s frame."""
    judged = units[units["denominator"] > 0]
    big = judged["denominator"] >= min_judgeable
    outside = judged["flag"].isin([BELOW, WATCH_BELOW])
    under = judged["rate"] < target

    def worst_first(mask) -> pd.DataFrame:
        return judged[mask].sort_values(["rate", "denominator", "name"], ascending=[True, False, True]) \
            .reset_index(drop=True)

    return Attention(worst_first(big & outside), worst_first(big & ~outside & under),
                     worst_first(~big & (under | outside)), target)


def most_late(groups: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The groups with the most late dossiers ((10) resolved late + (13) pending overdue), each with its late rate
    over the dossiers it received (3) and whether that denominator is too small to judge.

    `groups`: an official table's groups (name and the count keys). Columns: name, late_total, received_total,
    late_rate, small. Groups without a late dossier are left out; ties by name."""
    if groups.empty:
        return pd.DataFrame(columns=["name", "late_total", "received_total", "late_rate", "small"])
    late = groups["resolved_late"].astype(int) + groups["pending_overdue"].astype(int)
    received = groups["received_total"].astype(int)
    table = pd.DataFrame({"name": groups["name"].astype(str), "late_total": late, "received_total": received})
    table = table[table["late_total"] > 0]
    table["late_rate"] = table["late_total"] / table["received_total"]
    table["small"] = table["received_total"] < stats.MIN_JUDGEABLE
    return table.sort_values(["late_total", "name"], ascending=[False, True]).head(limit).reset_index(drop=True)


@dataclass(frozen=True)
class TargetMonths:
    """A trend against the target: months (or quarters) with a rate, how many met the target, those below."""
    judged: int
    met: int
    below: pd.DataFrame                # the trend's rows under the target: label, numerator, denominator, rate


def months_against_target(trend: pd.DataFrame, target: float) -> TargetMonths:
    judged = trend[trend["on_time_rate"].notna()]
    below = judged[judged["on_time_rate"] < target].reset_index(drop=True)
    return TargetMonths(len(judged), len(judged) - len(below), below)
