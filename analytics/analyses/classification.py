"""Placing every dossier in one cell of the official table (Biểu 06/VPCP/KSTT) for a period, as DOMAIN.md defines.

Only calendar dates are compared. `classify` gives each dossier its cell; `official_table` counts the cells overall
and by group. Both take the period as arguments and never look at today's date.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.model.rates import RATES, RESOLVED, Rate, RateDefinition, with_rate

# Cells of a classified dossier.
CELL = "cell"
EXCLUDED, OUTSIDE, UNPLACEABLE = "excluded", "outside", "unplaceable"
WITHDRAWN = "withdrawn"
EARLY, ON_TIME, LATE = "resolved_early", "resolved_on_time", "resolved_late"
PENDING_IN_TIME, PENDING_OVERDUE = "pending_in_time", "pending_overdue"
CELLS = [EXCLUDED, OUTSIDE, UNPLACEABLE, WITHDRAWN, EARLY, ON_TIME, LATE, PENDING_IN_TIME, PENDING_OVERDUE]
# Derived per-dossier columns.
FINISH = "finish_date"
DUE = "effective_due_date"
RECEIVED_IN_PERIOD = "received_in_period"
CARRIED_OVER = "carried_over"
REASON = "quality_reason"

# Data-quality reasons for dossiers left out of the counts.
# (the data-quality codes of quality.py, so a reason reads the same in every report)
REASON_NOT_RECEIVED = q.NOT_RECEIVED_STATUS
REASON_NO_RECEIVED_DATE = q.NO_RECEIVED_DATE
REASON_FINISH_BEFORE_RECEIVED = q.FINISHED_BEFORE_RECEIVED
REASON_ENDED_WITHOUT_DATE = q.ENDED_WITHOUT_FINISH_DATE
REASON_LABELS = {
    REASON_NOT_RECEIVED: "Không được tiếp nhận hoặc mới đăng ký (trạng thái 1, 3): không tính",
    REASON_NO_RECEIVED_DATE: "Không có ngày tiếp nhận: không tính",
    REASON_FINISH_BEFORE_RECEIVED: "Ngày có kết quả trước ngày tiếp nhận: không tính, cần kiểm tra",
    REASON_ENDED_WITHOUT_DATE: "Trạng thái đã kết thúc nhưng không có ngày có kết quả/ngày trả: không xếp được",
}

# The public keys of a table row (issue 2), in the official column order.
KEYS = ["received_total", "received_online", "received_direct_postal", "carried_over", "resolved_total",
        "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_in_time",
        "pending_overdue", "withdrawn", "on_time_rate"]
COUNT_KEYS = KEYS[:-1]
COLUMN_NUMBERS = {"received_total": "(3)", "received_online": "(4)", "received_direct_postal": "(5)",
                  "carried_over": "(6)", "resolved_total": "(7)", "resolved_early": "(8)",
                  "resolved_on_time": "(9)", "resolved_late": "(10)", "pending_total": "(11)",
                  "pending_in_time": "(12)", "pending_overdue": "(13)", "withdrawn": "Rút/dừng"}

GROUPINGS = {"unit": s.UNIT, "field": s.FIELD, "procedure": s.PROCEDURE_NAME, "channel": s.CHANNEL_CODE,
             "level": s.LEVEL}
GROUPING_LABELS = {"unit": "Cơ quan giải quyết", "field": "Lĩnh vực", "procedure": "Thủ tục",
                   "channel": "Hình thức nộp", "level": "Cấp", "official": "Cấp › Cơ quan › Lĩnh vực"}


def _days(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype="datetime64[D]")


@dataclass(frozen=True)
class DossierDates:
    """What classification needs of each dossier, whatever the period: computed once, reused for every period."""
    received: np.ndarray
    finish: np.ndarray      # completion date, else return date
    due: np.ndarray         # original due date when exported, else due date
    online: np.ndarray
    reason: np.ndarray      # why a dossier is left out of every period: 0 none, else 1 + index in REASON_LABELS
    withdrawn: np.ndarray
    waiting: np.ndarray

    @classmethod
    def of(cls, dossiers: pd.DataFrame) -> "DossierDates":
        completed, original = _days(dossiers[s.COMPLETED_DATE]), _days(dossiers[s.ORIGINAL_DUE_DATE])
        received = _days(dossiers[s.RECEIVED_DATE])
        finish = np.where(np.isnat(completed), _days(dossiers[s.RETURNED_DATE]), completed)
        status = dossiers[s.STATUS_CODE].to_numpy(dtype="float", na_value=np.nan)
        has_finish = ~np.isnat(finish)
        reason = np.select([np.isin(status, s.STATUS_NOT_RECEIVED), np.isnat(received),
                            has_finish & (finish < received), np.isin(status, s.STATUS_ENDED) & ~has_finish],
                           [1, 2, 3, 4], 0).astype(np.int8)
        return cls(
            received=received, finish=finish, due=np.where(np.isnat(original), _days(dossiers[s.DUE_DATE]), original),
            online=dossiers[s.CHANNEL_CODE].to_numpy(dtype="float", na_value=s.CHANNEL_IN_PERSON)
            == s.CHANNEL_ONLINE,
            reason=reason, withdrawn=np.isin(status, s.STATUS_WITHDRAWN),
            waiting=np.isin(status, s.STATUS_WAITING_ON_APPLICANT))


@dataclass(frozen=True)
class Cells:
    cell: np.ndarray                # index into CELLS
    received_in_period: np.ndarray
    carried_over: np.ndarray
    reason: np.ndarray              # 0, or 1 + the index of the reason in REASON_LABELS


_UNPLACEABLE_REASON = 1 + list(REASON_LABELS).index(REASON_ENDED_WITHOUT_DATE)


def cells(d: DossierDates, period: Period, fold_withdrawn: bool = False) -> Cells:
    """Each dossier's cell for the period (DOMAIN.md, "Classifying dossiers for a period")."""
    start, end = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
    received, finish, due = d.received, d.finish, d.due
    excluded = (d.reason > 0) & (d.reason != _UNPLACEABLE_REASON)
    unplaceable = d.reason == _UNPLACEABLE_REASON

    in_period = (received >= start) & (received <= end)  # NaT compares False
    carried = (received < start) & (np.isnat(finish) | (finish >= start))
    workload = (in_period | carried) & (d.reason == 0)
    finished = finish <= end
    resolved_withdrawn = finished & d.withdrawn & fold_withdrawn
    has_due = ~np.isnat(due)
    cell = np.select(
        [excluded, unplaceable & (in_period | carried), ~workload,
         finished & d.withdrawn & ~resolved_withdrawn, resolved_withdrawn,
         finished & (finish < due), finished & (~has_due | (finish == due)), finished,
         ~has_due | d.waiting | (due >= end)],
        [CELLS.index(c) for c in (EXCLUDED, UNPLACEABLE, OUTSIDE, WITHDRAWN, ON_TIME, EARLY, ON_TIME, LATE,
                                  PENDING_IN_TIME)],
        default=CELLS.index(PENDING_OVERDUE)).astype(np.int8)
    return Cells(cell, in_period & workload, carried & ~in_period & workload, d.reason)


def classify(dossiers: pd.DataFrame, period: Period, fold_withdrawn: bool = False,
             dates: DossierDates | None = None) -> pd.DataFrame:
    """The dossiers with their cell for the period (and the derived dates); the input is not changed.

    `fold_withdrawn`: count withdrawn/stopped dossiers as resolved on time, as some provinces do (never silently:
    the report says so). `dates`: DossierDates.of(dossiers), when the caller keeps it for many periods.
    """
    dates = dates if dates is not None else DossierDates.of(dossiers)
    placed = cells(dates, period, fold_withdrawn)
    out = dossiers.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    out[CELL] = pd.Categorical.from_codes(placed.cell, CELLS)
    out[FINISH] = dates.finish.astype("datetime64[s]")
    out[DUE] = dates.due.astype("datetime64[s]")
    out[RECEIVED_IN_PERIOD] = placed.received_in_period
    out[CARRIED_OVER] = placed.carried_over
    out[REASON] = pd.Categorical.from_codes(placed.reason, ["", *REASON_LABELS])
    return out


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
    if by is None:
        codes, index = np.zeros(len(dossiers), dtype=np.intp), pd.Index([None])
    else:
        codes, index = pd.factorize(dossiers[GROUPINGS[by]], sort=True, use_na_sentinel=False)
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
    placed = Cells(classified[CELL].cat.codes.to_numpy(), classified[RECEIVED_IN_PERIOD].to_numpy(),
                   classified[CARRIED_OVER].to_numpy(), classified[REASON].cat.codes.to_numpy())
    online = classified[s.CHANNEL_CODE].to_numpy(dtype="float", na_value=s.CHANNEL_IN_PERSON) == s.CHANNEL_ONLINE
    if by is None:
        codes, index = np.zeros(len(classified), dtype=np.intp), pd.Index([None])
    else:
        codes, index = pd.factorize(classified[by], sort=True, use_na_sentinel=False)
    return _count_rows(placed, online, codes, index)


def group_label(value, by: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return s.MISSING_GROUP
    if by == "channel":
        return s.CHANNEL_LABELS.get(int(value), str(value))
    return str(value)


@dataclass
class OfficialTable:
    period: Period
    by: str | None
    total: dict                 # KEYS -> value; on_time_rate under `rate`
    groups: pd.DataFrame        # a "name" column + KEYS, one row per group (empty without `by`)
    classified: pd.DataFrame    # every dossier with its cell
    fold_withdrawn: bool = False
    rate_definition: RateDefinition = RESOLVED

    @property
    def rate(self) -> Rate:
        return self.rate_definition.of(self.total)

    def quality(self) -> dict:
        """Dossiers left out of the counts, by reason, for the data-quality report."""
        reasons = self.classified[REASON]
        relevant = self.classified[CELL].isin([EXCLUDED, UNPLACEABLE]) & (reasons != "")
        counts = reasons[relevant].value_counts()
        return {reason: int(counts.get(reason, 0)) for reason in REASON_LABELS}


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
    classified = classify(dossiers, period, fold_withdrawn, dates)
    row = table_counts(classified, None, rate).iloc[0]
    total = {k: int(row[k]) for k in COUNT_KEYS}
    total["on_time_rate"] = None if pd.isna(row["on_time_rate"]) else float(row["on_time_rate"])
    groups = official_rows(classified, rate) if by == OFFICIAL else table_counts(classified, by, rate) if by \
        else pd.DataFrame(columns=["name", *KEYS])
    return OfficialTable(period, by, total, groups, classified, fold_withdrawn, RATES[rate])


OFFICIAL = "official"  # the form's own layout: level › unit › field, with a subtotal for each level and unit
NESTING = [s.LEVEL, s.UNIT, s.FIELD]
ROMAN_NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def official_rows(classified: pd.DataFrame, rate: str = RESOLVED.name) -> pd.DataFrame:
    """Biểu 06 as the form lays it out: "I. Cấp huyện" (subtotal), "1. Phòng Tư pháp" (subtotal), "- Hộ tịch"
    (a row), … Columns: depth (0 level, 1 unit, 2 field), label (numbered), name, path, the count keys, the rate.

    The depth-2 rows add up to the total; depths 0 and 1 are their subtotals.
    """
    keys = [classified[c].fillna(s.MISSING_GROUP).astype(str) for c in NESTING]
    codes, index = pd.factorize(pd.MultiIndex.from_frame(pd.concat(keys, axis=1, keys=NESTING)), sort=True)
    placed = Cells(classified[CELL].cat.codes.to_numpy(), classified[RECEIVED_IN_PERIOD].to_numpy(),
                   classified[CARRIED_OVER].to_numpy(), classified[REASON].cat.codes.to_numpy())
    online = classified[s.CHANNEL_CODE].to_numpy(dtype="float", na_value=s.CHANNEL_IN_PERSON) == s.CHANNEL_ONLINE
    leaves = _count_rows(placed, online, codes, pd.MultiIndex.from_tuples(list(index), names=NESTING))
    leaves = leaves[leaves["received_total"] > 0]
    rows = []
    for n_level, (level, by_level) in enumerate(leaves.groupby(level=0, sort=True)):
        numeral = ROMAN_NUMERALS[n_level] if n_level < len(ROMAN_NUMERALS) else str(n_level + 1)
        rows.append({"depth": 0, "label": f"{numeral}. {level}", "name": level, "path": level,
                     **by_level.sum().to_dict()})
        for n_unit, (unit, by_unit) in enumerate(by_level.groupby(level=1, sort=True), start=1):
            rows.append({"depth": 1, "label": f"{n_unit}. {unit}", "name": unit, "path": f"{level} › {unit}",
                         **by_unit.sum().to_dict()})
            for (_, _, field), counts in by_unit.iterrows():
                rows.append({"depth": 2, "label": f"- {field}", "name": field,
                             "path": f"{level} › {unit} › {field}", **counts.to_dict()})
    table = pd.DataFrame(rows, columns=["depth", "label", "name", "path", *COUNT_KEYS])
    return with_rate(table, RATES[rate]) if len(table) else table.assign(on_time_rate=pd.Series(dtype=float))
