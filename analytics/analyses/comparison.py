"""Two periods side by side: changes in counts (B − A) and in the on-time rate, with intervals and a test.

For each rate: the 95% Wilson interval of A and of B, the 95% interval of the difference (Newcombe's hybrid score
method), and the two-sided p-value of the pooled two-proportion z-test. Under 30 dossiers in either denominator
the change is marked "too few dossiers to judge".
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.analyses import stats
from analytics.analyses.bieu06 import COUNT_KEYS, TableCounts, official_order, official_table
from analytics.analyses.classification import DossierDates
from analytics.model.periods import Period
from analytics.model.rates import RESOLVED


@dataclass
class Comparison:
    a: TableCounts              # an OfficialTable (with its dossiers) when counted by pandas
    b: TableCounts
    total: dict                 # the change for the whole
    groups: list[dict]          # one change per group, by name (groups present in either period)


def _pp(x: float | None) -> float | None:
    return None if x is None else x * 100


def change(cells_a: dict, cells_b: dict, a: TableCounts) -> dict:
    """Count differences (B − A) under the report's keys, and the rate's change with its interval and test."""
    definition = a.rate_definition
    rate_a, rate_b = definition.of(cells_a), definition.of(cells_b)
    x_a, n_a, x_b, n_b = rate_a.numerator, rate_a.denominator, rate_b.numerator, rate_b.denominator
    both = rate_a.value is not None and rate_b.value is not None
    interval = stats.difference_interval(x_a, n_a, x_b, n_b)
    ok = stats.judgeable(n_a, n_b)
    return {
        **{k: int(cells_b[k]) - int(cells_a[k]) for k in COUNT_KEYS},
        "rate_a": rate_a.as_dict() | {"ci95": stats.wilson_interval(x_a, n_a)},
        "rate_b": rate_b.as_dict() | {"ci95": stats.wilson_interval(x_b, n_b)},
        "rate_change_pp": _pp(rate_b.value - rate_a.value) if both else None,
        "rate_change_ci95": [_pp(interval[0]), _pp(interval[1])] if interval else None,
        "p_value": stats.two_proportion_p_value(x_a, n_a, x_b, n_b),
        "judgeable": ok,
    }


def _cells_by_name(table: TableCounts) -> dict[str, tuple[tuple, dict]]:
    """Each group's name -> (sort key, counts). In the form's layout a group is a field row named by its path
    ("Cấp huyện › Phòng Tư pháp › Hộ tịch"), so that one field under two units stays two groups; the level and
    unit subtotals are left out, so that the groups add up to the total (compare by level or unit for those)."""
    rows = table.groups.to_dict("records")
    if "depth" not in table.groups:
        return {row["name"]: ((row["name"],), row) for row in rows}
    out, level, unit = {}, "", ""
    for row in rows:  # in the form's order: a level row, its unit rows, each followed by its field rows
        if row["depth"] == 0:
            level = row["name"]
        elif row["depth"] == 1:
            unit = row["name"]
        else:
            out[row["path"]] = (official_order(level, unit, row["name"]), row)
    return out


def compare(dossiers: pd.DataFrame, a: Period, b: Period, by: str | None = None, rate: str = RESOLVED.name,
            fold_withdrawn: bool = False, dates: DossierDates | None = None) -> Comparison:
    """Periods A and B, the change of the total and, with `by`, of each group present in either period (by name;
    by="official": each level › unit › field, in the form's order). `dates`: DossierDates.of(dossiers), when the
    caller has them already."""
    dates = dates if dates is not None else DossierDates.of(dossiers)
    return compared(official_table(dossiers, a, by, fold_withdrawn, rate, dates),
                    official_table(dossiers, b, by, fold_withdrawn, rate, dates), by)


def compared(table_a: TableCounts, table_b: TableCounts, by: str | None) -> Comparison:
    """The comparison of two official tables already counted (by pandas or by the engine)."""
    groups = []
    if by:
        in_a, in_b = _cells_by_name(table_a), _cells_by_name(table_b)
        zero = (None, dict.fromkeys(COUNT_KEYS, 0))
        for name in sorted(set(in_a) | set(in_b), key=lambda name: (in_a.get(name) or in_b[name])[0]):
            groups.append({"name": name, **change(in_a.get(name, zero)[1], in_b.get(name, zero)[1], table_a)})
    return Comparison(table_a, table_b, change(table_a.total, table_b.total, table_a), groups)


def _change_row(name: str, change: dict) -> dict:
    ci = change["rate_change_ci95"]
    return {"name": name, "rate_a": change["rate_a"]["value"], "rate_b": change["rate_b"]["value"],
            "n_a": change["rate_a"]["denominator"], "n_b": change["rate_b"]["denominator"],
            "change_pp": change["rate_change_pp"], "low_pp": ci[0] if ci else None, "high_pp": ci[1] if ci else None,
            "p_value": change["p_value"], "judgeable": change["judgeable"],
            "received": change["received_total"], "resolved": change["resolved_total"]}


def changes_table(total: dict, groups: list[dict], total_name: str) -> pd.DataFrame:
    """The changes of a comparison as one table: the whole first (named `total_name`), then each group. Columns:
    name, rate_a, rate_b, n_a, n_b (denominators), change_pp, low_pp, high_pp (95% interval of the change), p_value,
    judgeable, received and resolved (count changes, B − A)."""
    return pd.DataFrame([_change_row(total_name, total)] + [_change_row(g["name"], g) for g in groups])


def count_changes(now: dict, before: dict | None) -> dict | None:
    """B − A for every count of the official table (None without a comparison period)."""
    return None if before is None else {k: int(now[k]) - int(before[k]) for k in COUNT_KEYS}
