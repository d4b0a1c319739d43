"""Placing every dossier in one cell of the official table (Biểu 06/VPCP/KSTT) for a period, as DOMAIN.md defines.

Only calendar dates are compared. `classify` gives each dossier its cell; `official_table` counts the cells overall
and by group. Both take the period as arguments and never look at today's date.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics import schema as s
from analytics.periods import Period
from analytics.rates import RATES, RESOLVED, Rate, RateDefinition

# Cells of a classified dossier.
CELL = "cell"
EXCLUDED, OUTSIDE, UNPLACEABLE = "excluded", "outside", "unplaceable"
WITHDRAWN = "withdrawn"
EARLY, ON_TIME, LATE = "resolved_early", "resolved_on_time", "resolved_late"
PENDING_IN_TIME, PENDING_OVERDUE = "pending_in_time", "pending_overdue"
# Derived per-dossier columns.
FINISH = "finish_date"
DUE = "effective_due_date"
RECEIVED_IN_PERIOD = "received_in_period"
CARRIED_OVER = "carried_over"
REASON = "quality_reason"

# Data-quality reasons for dossiers left out of the counts.
REASON_NOT_RECEIVED = "not_received_status"
REASON_NO_RECEIVED_DATE = "no_received_date"
REASON_FINISH_BEFORE_RECEIVED = "finished_before_received"
REASON_ENDED_WITHOUT_DATE = "ended_without_finish_date"
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
                   "channel": "Hình thức nộp", "level": "Cấp"}


def _days(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype="datetime64[D]")


def classify(dossiers: pd.DataFrame, period: Period, fold_withdrawn: bool = False) -> pd.DataFrame:
    """The dossiers with their cell for the period (and the derived dates); the input is not changed.

    `fold_withdrawn`: count withdrawn/stopped dossiers as resolved on time, as some provinces do (never silently:
    the report says so).
    """
    start, end = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
    received = _days(dossiers[s.RECEIVED_DATE])
    finish = np.where(np.isnat(_days(dossiers[s.COMPLETED_DATE])), _days(dossiers[s.RETURNED_DATE]),
                      _days(dossiers[s.COMPLETED_DATE]))
    due = np.where(np.isnat(_days(dossiers[s.ORIGINAL_DUE_DATE])), _days(dossiers[s.DUE_DATE]),
                   _days(dossiers[s.ORIGINAL_DUE_DATE]))
    status = dossiers[s.STATUS_CODE].to_numpy(dtype="float", na_value=np.nan)
    has_finish, has_due = ~np.isnat(finish), ~np.isnat(due)

    not_received = np.isin(status, s.STATUS_NOT_RECEIVED)
    no_received = np.isnat(received)
    finish_before = has_finish & ~no_received & (finish < received)
    ended_no_date = np.isin(status, s.STATUS_ENDED) & ~has_finish
    reason = np.select([not_received, no_received, finish_before, ended_no_date],
                       [REASON_NOT_RECEIVED, REASON_NO_RECEIVED_DATE, REASON_FINISH_BEFORE_RECEIVED,
                        REASON_ENDED_WITHOUT_DATE], default="")
    excluded = not_received | no_received | finish_before

    in_period = ~no_received & (received >= start) & (received <= end)
    carried = ~no_received & (received < start) & (~has_finish | (finish >= start))
    workload = (in_period | carried) & ~excluded & ~ended_no_date
    finished = has_finish & (finish <= end)
    withdrawn = np.isin(status, s.STATUS_WITHDRAWN)
    waiting = np.isin(status, s.STATUS_WAITING_ON_APPLICANT)

    resolved_withdrawn = finished & withdrawn & fold_withdrawn
    cell = np.select(
        [excluded, ended_no_date & (in_period | carried), ~workload,
         finished & withdrawn & ~resolved_withdrawn, resolved_withdrawn,
         finished & has_due & (finish < due), finished & (~has_due | (finish == due)), finished,
         ~has_due | waiting | (due >= end)],
        [EXCLUDED, UNPLACEABLE, OUTSIDE, WITHDRAWN, ON_TIME, EARLY, ON_TIME, LATE, PENDING_IN_TIME],
        default=PENDING_OVERDUE)
    out = dossiers.copy()
    out[CELL] = cell
    out[FINISH] = pd.to_datetime(finish)
    out[DUE] = pd.to_datetime(due)
    out[RECEIVED_IN_PERIOD] = in_period & workload
    out[CARRIED_OVER] = carried & ~in_period & workload
    out[REASON] = reason
    return out


def _counts(classified: pd.DataFrame, keys: list) -> pd.DataFrame:
    """Counts of each table column per group (keys: grouping columns; [] for the total)."""
    cell = classified[CELL]
    online = classified[s.CHANNEL_CODE].to_numpy(na_value=s.CHANNEL_IN_PERSON) == s.CHANNEL_ONLINE
    flags = pd.DataFrame({
        "received_online": classified[RECEIVED_IN_PERIOD].to_numpy() & online,
        "received_direct_postal": classified[RECEIVED_IN_PERIOD].to_numpy() & ~online,
        "carried_over": classified[CARRIED_OVER].to_numpy(),
        "resolved_early": (cell == EARLY).to_numpy(),
        "resolved_on_time": (cell == ON_TIME).to_numpy(),
        "resolved_late": (cell == LATE).to_numpy(),
        "pending_in_time": (cell == PENDING_IN_TIME).to_numpy(),
        "pending_overdue": (cell == PENDING_OVERDUE).to_numpy(),
        "withdrawn": (cell == WITHDRAWN).to_numpy(),
    }, index=classified.index).astype("int64")
    if keys:
        group_values = [classified[k] for k in keys]
        table = flags.groupby(group_values, dropna=False, sort=True).sum()
    else:
        table = flags.sum().to_frame().T
    table["received_total"] = table["received_online"] + table["received_direct_postal"] + table["carried_over"]
    table["resolved_total"] = table["resolved_early"] + table["resolved_on_time"] + table["resolved_late"]
    table["pending_total"] = table["pending_in_time"] + table["pending_overdue"]
    return table[COUNT_KEYS]


def _with_rate(table: pd.DataFrame, rate: RateDefinition) -> pd.DataFrame:
    out = table.copy()
    out["on_time_rate"] = [rate.of(row).value for row in out.to_dict("records")]
    return out


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


def counted(classified: pd.DataFrame) -> pd.DataFrame:
    """The dossiers that land in a cell of the table (not excluded, outside the period or unplaceable)."""
    return classified[~classified[CELL].isin([EXCLUDED, OUTSIDE, UNPLACEABLE])]


def table_counts(classified: pd.DataFrame, by: str | None = None, rate: str = RESOLVED.name) -> pd.DataFrame:
    """Counts of every table column (and the rate) from classified dossiers: one row, or one per group."""
    definition = RATES[rate]
    inside = counted(classified)
    if by is None:
        frame = _counts(inside, []) if len(inside) else pd.DataFrame([dict.fromkeys(COUNT_KEYS, 0)])
        return _with_rate(frame.reset_index(drop=True), definition)
    grouped = _counts(inside, [GROUPINGS[by]]) if len(inside) else pd.DataFrame(columns=COUNT_KEYS)
    grouped = _with_rate(grouped, definition)
    grouped.insert(0, "name", [group_label(v, by) for v in grouped.index])
    return grouped.reset_index(drop=True)


def official_table(dossiers: pd.DataFrame, period: Period, by: str | None = None, fold_withdrawn: bool = False,
                   rate: str = RESOLVED.name) -> OfficialTable:
    """Biểu 06 for the period: the total and, with `by`, one row per group (values as they appear in the data).

    `rate` names the on-time definition (rates.RATES) that `on_time_rate` follows.
    """
    classified = classify(dossiers, period, fold_withdrawn)
    row = table_counts(classified, None, rate).iloc[0]
    total = {k: int(row[k]) for k in COUNT_KEYS}
    total["on_time_rate"] = None if pd.isna(row["on_time_rate"]) else float(row["on_time_rate"])
    groups = table_counts(classified, by, rate) if by else pd.DataFrame(columns=["name", *KEYS])
    return OfficialTable(period, by, total, groups, classified, fold_withdrawn, RATES[rate])
