"""Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP): the classified dossiers counted into the official table,
overall, by group, in the form's own layout (level › unit › field with subtotals) and for a series of periods."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.analyses.classification import (
    CARRIED_OVER,
    CELL,
    CELLS,
    EARLY,
    EXCLUDED,
    LATE,
    ON_TIME,
    PENDING_IN_TIME,
    PENDING_OVERDUE,
    REASON,
    REASONS,
    RECEIVED_IN_PERIOD,
    UNPLACEABLE,
    WITHDRAWN,
    Cells,
    DossierDates,
    cells,
    classify,
)
from analytics.model import schema as s
from analytics.model.form import COUNT_KEYS, KEYS, roman  # noqa: F401 (KEYS: the public keys, imported from here)
from analytics.model.periods import Period
from analytics.model.rates import RATES, RESOLVED, Rate, RateDefinition, with_rate

GROUPINGS = {"unit": s.UNIT, "field": s.FIELD, "procedure": s.PROCEDURE_NAME, "channel": s.CHANNEL_CODE,
             "level": s.LEVEL}

def _count_rows(placed: Cells, online: np.ndarray, codes: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """Counts of each table column per group code (np.bincount: one pass per column)."""
    received = placed.received_in_period
    masks = {
        "received_online": received & online,
        "received_direct_postal": received & ~online,
        "carried_over": placed.carried_over,
        **{key: placed.cell == CELLS.index(key) for key in (EARLY, ON_TIME, LATE, PENDING_IN_TIME, PENDING_OVERDUE,
                                                             WITHDRAWN)},
    }
    if len(index) == 1:  # one group: plain counts are faster than bincount
        table = pd.DataFrame({k: [np.count_nonzero(m)] for k, m in masks.items()}, index=index, dtype=np.int64)
    else:
        table = pd.DataFrame({k: np.bincount(codes, weights=m, minlength=len(index)).astype(np.int64)
                              for k, m in masks.items()}, index=index)
    table["received_total"] = table["received_online"] + table["received_direct_postal"] + table["carried_over"]
    table["resolved_total"] = table["resolved_early"] + table["resolved_on_time"] + table["resolved_late"]
    table["pending_total"] = table["pending_in_time"] + table["pending_overdue"]
    return table[COUNT_KEYS]


def period_tables(dossiers: pd.DataFrame, periods: list[Period], by: str | None = None, rate: str = RESOLVED.name,
                  fold_withdrawn: bool = False, dates: DossierDates | None = None) -> pd.DataFrame:
    """The official table of each period (a trend), long: a "period" column (position in `periods`), "name" with
    `by`, the count keys and the rate. Each dossier's dates are read once for all periods."""
    dates = dates if dates is not None else DossierDates.of(dossiers)
    codes, index = _group_codes(dossiers, GROUPINGS[by] if by else None)
    frames = []
    for n, p in enumerate(periods):
        counts = _count_rows(cells(dates, p, fold_withdrawn), dates.online, codes, index)
        if by:
            counts = counts[counts["received_total"] > 0]
            counts.insert(0, "name", [group_label(v, by) for v in counts.index])
        counts.insert(0, "period", n)
        frames.append(counts.reset_index(drop=True))
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["period", *COUNT_KEYS])
    return with_rate(table, RATES[rate])


def period_totals(dossiers: pd.DataFrame, periods: list[Period], rate: str = RESOLVED.name,
                  fold_withdrawn: bool = False) -> pd.DataFrame:
    """The official table's total for each period, one row per period, with the rate."""
    return period_tables(dossiers, periods, None, rate, fold_withdrawn).drop(columns="period")


def _counts(classified: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Counts of each table column, overall (one row) or per value of the column `by` (sorted, blank last)."""
    codes, index = _group_codes(classified, by)
    return _count_rows(*_placed(classified), codes, index)


def _placed(classified: pd.DataFrame) -> tuple[Cells, np.ndarray]:
    """The cells of classified dossiers, and which came online."""
    placed = Cells(classified[CELL].cat.codes.to_numpy(), classified[RECEIVED_IN_PERIOD].to_numpy(),
                   classified[CARRIED_OVER].to_numpy(), classified[REASON].cat.codes.to_numpy())
    return placed, DossierDates.online_of(classified)


def _group_codes(dossiers: pd.DataFrame, column: str | None) -> tuple[np.ndarray, pd.Index]:
    """Each dossier's group number and the groups (one group of everything without a column; blank last)."""
    if column is None:
        return np.zeros(len(dossiers), dtype=np.intp), pd.Index([None])
    return pd.factorize(dossiers[column], sort=True, use_na_sentinel=False)


def group_label(value, by: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return s.MISSING_GROUP
    if by == "channel":
        return s.CHANNEL_LABELS.get(int(value), str(value))
    return str(value)


@dataclass(frozen=True)
class TableCounts:
    """What Biểu 06 prints for a period: the total and the groups' counts, and the rate they follow."""
    period: Period
    by: str | None
    total: dict                 # KEYS -> value; on_time_rate under `rate_definition`
    groups: pd.DataFrame        # a "name" column + KEYS, one row per group (empty without `by`)
    fold_withdrawn: bool = False
    rate_definition: RateDefinition = RESOLVED

    @property
    def rate(self) -> Rate:
        return self.rate_definition.of(self.total)


@dataclass(frozen=True)
class OfficialTable(TableCounts):
    """The counts with every dossier and its cell (for lists, processing times and the left-out reasons)."""
    classified: pd.DataFrame = None

    def quality(self) -> dict:
        """Dossiers left out of the counts, by reason, for the data-quality report."""
        reasons = self.classified[REASON]
        relevant = self.classified[CELL].isin([EXCLUDED, UNPLACEABLE]) & (reasons != "")
        counts = reasons[relevant].value_counts()
        return {reason: int(counts.get(reason, 0)) for reason in REASONS}


def table_counts(classified: pd.DataFrame, by: str | None = None, rate: str = RESOLVED.name) -> pd.DataFrame:
    """Counts of every table column (and the rate) from classified dossiers: one row, or one per group."""
    # Only dossiers placed in a cell carry a flag, so every row can be counted as it is.
    table = with_rate(_counts(classified, GROUPINGS[by] if by else None), RATES[rate])
    if by is None:
        return table.reset_index(drop=True)
    table = table[table["received_total"] > 0]  # (3) = (7) + (11) + withdrawn: a group with none has nothing
    table.insert(0, "name", [group_label(v, by) for v in table.index])
    return table.reset_index(drop=True)


def official_table(dossiers: pd.DataFrame, period: Period, by: str | None = None, fold_withdrawn: bool = False,
                   rate: str = RESOLVED.name, dates: DossierDates | None = None) -> OfficialTable:
    """Biểu 06 for the period: the total and, with `by`, one row per group (values as they appear in the data);
    `by="official"`: the form's own layout (official_rows).

    `rate` names the on-time definition (rates.RATES) that `on_time_rate` follows.
    """
    return tabled(classify(dossiers, period, fold_withdrawn, dates), period, by, fold_withdrawn, rate)


def tabled(classified: pd.DataFrame, period: Period, by: str | None = None, fold_withdrawn: bool = False,
           rate: str = RESOLVED.name) -> OfficialTable:
    """The official table of dossiers already classified for `period` (classify once, count by any grouping)."""
    row = table_counts(classified, None, rate).iloc[0]
    total = {k: int(row[k]) for k in COUNT_KEYS}
    total["on_time_rate"] = None if pd.isna(row["on_time_rate"]) else float(row["on_time_rate"])
    groups = official_rows(classified, rate) if by == OFFICIAL else table_counts(classified, by, rate) if by \
        else pd.DataFrame(columns=["name", *KEYS])
    return OfficialTable(period, by, total, groups, fold_withdrawn, RATES[rate], classified=classified)


OFFICIAL = "official"  # the form's own layout: level › unit › field, with a subtotal for each level and unit
NESTING = [s.LEVEL, s.UNIT, s.FIELD]
# The form's order of levels: the three official words (what ingest reads "Huyện", "Xã", "Sở"… into).
FORM_LEVELS = ("Cấp tỉnh", "Cấp huyện", "Cấp xã")


def _blank_last(value: str) -> tuple:
    return value == s.MISSING_GROUP, value


def official_order(level: str, unit: str, field: str) -> tuple:
    """Sort key of a row of the form: levels Cấp tỉnh → Cấp huyện → Cấp xã, then any other wording
    (alphabetical), "(Không ghi)" last; units and fields alphabetical, "(Không ghi)" last."""
    rank = FORM_LEVELS.index(level) if level in FORM_LEVELS else len(FORM_LEVELS) + (level == s.MISSING_GROUP)
    return rank, level, _blank_last(unit), _blank_last(field)


def official_groups(frame: pd.DataFrame) -> tuple[np.ndarray, pd.MultiIndex]:
    """Each dossier's (level, unit, field) group number, and the groups in the form's order (`official_order`);
    a blank reads "(Không ghi)"."""
    keys = [frame[c].fillna(s.MISSING_GROUP).astype(str) for c in NESTING]
    codes, index = pd.factorize(pd.MultiIndex.from_frame(pd.concat(keys, axis=1, keys=NESTING)))
    groups = list(index)
    order = sorted(range(len(groups)), key=lambda n: official_order(*groups[n]))
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    return rank[codes], pd.MultiIndex.from_tuples([groups[n] for n in order], names=NESTING)


def official_path(*names: str) -> str:
    """"Cấp huyện › Phòng Tư pháp › Hộ tịch": how a row of the form (level, unit, field) is named outside it."""
    return " › ".join(names)


def official_rows(classified: pd.DataFrame, rate: str = RESOLVED.name) -> pd.DataFrame:
    """Biểu 06 as the form lays it out: "I. Cấp huyện" (subtotal), "1. Phòng Tư pháp" (subtotal), "- Hộ tịch"
    (a row), … Columns: depth (0 level, 1 unit, 2 field), label (numbered), name, path, the count keys, the rate.

    The depth-2 rows add up to the total; depths 0 and 1 are their subtotals. Rows follow `official_order`: levels
    Cấp tỉnh, Cấp huyện, Cấp xã, other wording, "(Không ghi)", numbered I, II, III… in that order.
    """
    return official_layout(_count_rows(*_placed(classified), *official_groups(classified)), rate)


def official_layout(leaves: pd.DataFrame, rate: str = RESOLVED.name) -> pd.DataFrame:
    """The form's rows (official_rows) from the counts of each (level, unit, field), indexed in `official_order`."""
    leaves = leaves[leaves["received_total"] > 0]
    rows = []
    for n_level, (level, by_level) in enumerate(leaves.groupby(level=0, sort=False)):
        numeral = roman(n_level + 1)
        rows.append({"depth": 0, "label": f"{numeral}. {level}", "name": level, "path": official_path(level),
                     **by_level.sum().to_dict()})
        for n_unit, (unit, by_unit) in enumerate(by_level.groupby(level=1, sort=False), start=1):
            rows.append({"depth": 1, "label": f"{n_unit}. {unit}", "name": unit, "path": official_path(level, unit),
                         **by_unit.sum().to_dict()})
            for (_, _, field), counts in by_unit.iterrows():
                rows.append({"depth": 2, "label": f"- {field}", "name": field,
                             "path": official_path(level, unit, field), **counts.to_dict()})
    table = pd.DataFrame(rows, columns=["depth", "label", "name", "path", *COUNT_KEYS])
    return with_rate(table, RATES[rate]) if len(table) else table.assign(on_time_rate=pd.Series(dtype=float))


def online_share(total: dict) -> tuple[float | None, int, int]:
    """(share of the dossiers received in the period that came online, online, received in the period)."""
    received = total["received_online"] + total["received_direct_postal"]
    return (total["received_online"] / received if received else None), total["received_online"], received


def with_processing_times(groups: pd.DataFrame, times: pd.DataFrame, min_judgeable: int) -> pd.DataFrame:
    """Groups of the official table (with their rate) joined to their processing times (median, 90th percentile),
    the largest first, with `small` True where the rate's denominator is under `min_judgeable` dossiers."""
    merged = groups.merge(times[["name", "median_days", "p90_days"]], on="name", how="left")
    merged = merged.sort_values("received_total", ascending=False, kind="stable").reset_index(drop=True)
    return merged.assign(small=merged["denominator"] < min_judgeable)


def received_by_channel(groups: pd.DataFrame) -> pd.DataFrame:
    """Groups by channel (name, counts) -> name and the dossiers received in the period, (4) + (5)."""
    return pd.DataFrame({"name": groups["name"],
                         "count": groups["received_online"] + groups["received_direct_postal"]})
