"""What an inspector should look at: the screening lists.

Each list is a prompt for a question, never an accusation: a stable code, the thresholds behind it, the units and
the dossiers behind it (no personal data: the store holds none). outputs.questions words each as a question.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics.analyses.classification import (
    CELL,
    DUE,
    EXCLUDED,
    FINISH,
    LATE,
    OUTSIDE,
    PENDING_OVERDUE,
    REASON,
    REASON_FINISH_BEFORE_RECEIVED,
    RESOLVED_CELLS,
    UNPLACEABLE,
)
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.model.workdays import working_day_mask

# Thresholds, in one place (docs/RULES.md explains them).
BUNCHED_SHARE, BUNCHED_MIN_RESOLVED = 0.5, 20
NO_LATE_MIN_RESOLVED = 100

# The lists, in the order screens() returns them.
BUNCHED_ON_DUE_DATE = "bunched_on_due_date"
COMPLETED_ON_NON_WORKING_DAY = "completed_on_non_working_day"
LATE_WITHOUT_APOLOGY = "late_without_apology"
DUE_DATE_MOVED = "due_date_moved"
LARGE_VOLUME_NO_LATE = "large_volume_no_late"
COMPLETED_BEFORE_RECEIVED = "completed_before_received"
SCREENS = [BUNCHED_ON_DUE_DATE, COMPLETED_ON_NON_WORKING_DAY, LATE_WITHOUT_APOLOGY, DUE_DATE_MOVED,
           LARGE_VOLUME_NO_LATE, COMPLETED_BEFORE_RECEIVED]

DOSSIER_COLUMNS = [s.CASE_ID, s.UNIT, s.FIELD, s.PROCEDURE_NAME, s.RECEIVED_DATE, s.DUE_DATE, s.ORIGINAL_DUE_DATE,
                   s.COMPLETED_DATE, s.RETURNED_DATE, s.STATUS_CODE, s.APOLOGY, CELL]


@dataclass
class Screen:
    code: str               # one of SCREENS (outputs.questions words its title and question)
    dossiers: pd.DataFrame  # the dossiers behind it (DOSSIER_COLUMNS)
    units: list[str]        # units concerned, when the screen is about units
    evidence: dict = field(default_factory=dict)  # the thresholds it was drawn with
    total: int | None = None  # how many dossiers, when `dossiers` holds only the first of them (engine_inspection)

    @property
    def count(self) -> int:
        return len(self.dossiers) if self.total is None else self.total

    def as_dict(self) -> dict:
        """The list as plain data: code, count, units and dossiers (dates as ISO text); outputs.questions adds the
        words for a document."""
        rows = self.dossiers.assign(**{c: self.dossiers[c].dt.strftime("%Y-%m-%d") for c in
                                       (s.RECEIVED_DATE, s.DUE_DATE, s.ORIGINAL_DUE_DATE, s.COMPLETED_DATE,
                                        s.RETURNED_DATE)})
        rows = rows.astype(object).where(rows.notna(), None)
        return {"code": self.code, "count": self.count, "units": self.units, "dossiers": rows.to_dict("records")}


def _rows(frame: pd.DataFrame, mask) -> pd.DataFrame:
    return frame.loc[mask, DOSSIER_COLUMNS].reset_index(drop=True)


def screens(classified: pd.DataFrame, period: Period) -> list[Screen]:
    """The screening lists for the dossiers of a period (classified by `classification.classify` for it).

    The dossiers looked at: the period's workload, and the dossiers received in it but left out of the counts.
    """
    received = classified[s.RECEIVED_DATE]
    left_out_here = (classified[CELL] == EXCLUDED) & (received >= pd.Timestamp(period.start)) & \
        (received <= pd.Timestamp(period.end))
    classified = classified[~classified[CELL].isin([OUTSIDE, EXCLUDED, UNPLACEABLE]) | left_out_here]
    cell = classified[CELL]
    resolved = cell.isin(RESOLVED_CELLS)
    late = cell.isin([LATE, PENDING_OVERDUE])
    finish, due = classified[FINISH], classified[DUE]
    units = classified[s.UNIT].fillna(s.MISSING_GROUP).astype(str)
    out = []

    on_due = resolved & finish.notna() & (finish == due)
    per_unit = pd.DataFrame({"unit": units[resolved], "on_due": on_due[resolved]}).groupby("unit")["on_due"]
    share, volume = per_unit.mean(), per_unit.size()
    bunched = sorted(share[(share >= BUNCHED_SHARE) & (volume >= BUNCHED_MIN_RESOLVED)].index)
    out.append(Screen(BUNCHED_ON_DUE_DATE, _rows(classified, on_due & units.isin(bunched)), bunched,
                      {"share": BUNCHED_SHARE, "min_resolved": BUNCHED_MIN_RESOLVED}))

    completed = classified[s.COMPLETED_DATE]
    off_day = completed.notna().to_numpy() & ~working_day_mask(completed)
    out.append(Screen(COMPLETED_ON_NON_WORKING_DAY, _rows(classified, resolved & off_day), []))

    no_letter = late & (classified[s.APOLOGY] == False)  # noqa: E712 (NA = the export has no apology column)
    out.append(Screen(LATE_WITHOUT_APOLOGY, _rows(classified, no_letter.fillna(False)), []))

    original, current = classified[s.ORIGINAL_DUE_DATE], classified[s.DUE_DATE]
    moved = original.notna() & current.notna() & (original != current) & (cell != EXCLUDED)
    out.append(Screen(DUE_DATE_MOVED, _rows(classified, moved), []))

    per_unit = pd.DataFrame({"unit": units, "resolved": resolved, "late": late}).groupby("unit")[["resolved", "late"]]
    totals = per_unit.sum()
    spotless = sorted(totals[(totals["resolved"] >= NO_LATE_MIN_RESOLVED) & (totals["late"] == 0)].index)
    out.append(Screen(LARGE_VOLUME_NO_LATE, _rows(classified, resolved & units.isin(spotless)), spotless,
                      {"min_resolved": NO_LATE_MIN_RESOLVED}))

    out.append(Screen(COMPLETED_BEFORE_RECEIVED,
                      _rows(classified, classified[REASON] == REASON_FINISH_BEFORE_RECEIVED), []))
    return out
