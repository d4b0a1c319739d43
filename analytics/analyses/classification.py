"""Placing every dossier in one cell of the official table (Biểu 06/VPCP/KSTT) for a period, as DOMAIN.md defines.

Only calendar dates are compared. `classify` gives each dossier its cell (`bieu06` counts them). Both take the period
as arguments and never look at today's date.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.periods import Period

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
# (the data-quality codes of model/issues.py, so a reason reads the same in every report)
REASON_NOT_RECEIVED = q.NOT_RECEIVED_STATUS
REASON_NO_RECEIVED_DATE = q.NO_RECEIVED_DATE
REASON_FINISH_BEFORE_RECEIVED = q.FINISHED_BEFORE_RECEIVED
REASON_ENDED_WITHOUT_DATE = q.ENDED_WITHOUT_FINISH_DATE
REASONS = [REASON_NOT_RECEIVED, REASON_NO_RECEIVED_DATE, REASON_FINISH_BEFORE_RECEIVED, REASON_ENDED_WITHOUT_DATE]
RESOLVED_CELLS = [EARLY, ON_TIME, LATE]

def _days(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype="datetime64[D]")


@dataclass(frozen=True)
class DossierDates:
    """What classification needs of each dossier, whatever the period: computed once, reused for every period."""
    received: np.ndarray
    finish: np.ndarray      # completion date, else return date
    due: np.ndarray         # original due date when exported, else due date
    online: np.ndarray
    reason: np.ndarray      # why a dossier is left out of every period: 0 none, else 1 + index in REASONS
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
            online=cls.online_of(dossiers),
            reason=reason, withdrawn=np.isin(status, s.STATUS_WITHDRAWN),
            waiting=np.isin(status, s.STATUS_WAITING_ON_APPLICANT))

    @staticmethod
    def online_of(dossiers: pd.DataFrame) -> np.ndarray:
        """Which dossiers came online (a blank channel is in person)."""
        return dossiers[s.CHANNEL_CODE].to_numpy(dtype="float", na_value=s.CHANNEL_IN_PERSON) == s.CHANNEL_ONLINE


@dataclass(frozen=True)
class Cells:
    cell: np.ndarray                # index into CELLS
    received_in_period: np.ndarray
    carried_over: np.ndarray
    reason: np.ndarray              # 0, or 1 + the index of the reason in REASONS


_UNPLACEABLE_REASON = 1 + REASONS.index(REASON_ENDED_WITHOUT_DATE)


def cells(d: DossierDates, period: Period, fold_withdrawn: bool = False) -> Cells:
    """Each dossier's cell for the period (DOMAIN.md, "Classifying dossiers for a period")."""
    start, end = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
    received, finish, due = d.received, d.finish, d.due
    in_period = (received >= start) & (received <= end)  # NaT compares False
    # Left out of this period's counts: a dossier received in it (refused, or finished before received), or one
    # with no received date at all, which no period can place (it is listed in every period).
    excluded = (d.reason > 0) & (d.reason != _UNPLACEABLE_REASON) & (in_period | np.isnat(received))
    unplaceable = d.reason == _UNPLACEABLE_REASON
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
    return with_cells(dossiers, dates, cells(dates, period, fold_withdrawn))


def with_cells(dossiers: pd.DataFrame, dates: DossierDates, placed: Cells) -> pd.DataFrame:
    """The dossiers with the columns `classify` adds, from cells already placed (the screens keep the cells, not
    the frame); the input is not changed."""
    out = dossiers.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    out[CELL] = pd.Categorical.from_codes(placed.cell, CELLS)
    out[FINISH] = dates.finish.astype("datetime64[s]")
    out[DUE] = dates.due.astype("datetime64[s]")
    out[RECEIVED_IN_PERIOD] = placed.received_in_period
    out[CARRIED_OVER] = placed.carried_over
    out[REASON] = pd.Categorical.from_codes(placed.reason, ["", *REASONS])
    return out


