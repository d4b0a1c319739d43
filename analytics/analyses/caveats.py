"""What a period's figures cannot be sure of, because the data lack a column, use a wording not recognised, or
hold a date that could not be read, no due date at all, or a due date the dashboard computed or recovered.

A caveat is never a silent default: each one names the figures it touches, how many of the period's dossiers it
concerns and, for a missing column, the files that lack it. Screens and every output print them beside the figures
(DOMAIN.md, "Wording not in these lists, and missing columns").
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.analyses.catalog_audit import DUE_DATE_COMPUTED
from analytics.analyses.classification import (
    CELL,
    DUE as EFFECTIVE_DUE,
    EXCLUDED,
    OUTSIDE,
    PENDING_IN_TIME,
    PENDING_OVERDUE,
    RECEIVED_IN_PERIOD,
    RESOLVED_CELLS,
    UNPLACEABLE,
)
from analytics.model import schema as s

# Fields whose absence changes figures, and the figures (report keys) each one touches.
CHANNEL, DUE, FINISH_DATES, STATUS = s.CHANNEL, s.DUE_DATE, s.FINISH_DATES, s.STATUS  # schema.CAVEAT_FIELDS
AFFECTS = {
    CHANNEL: ("received_online", "received_direct_postal", "online_share"),
    DUE: ("resolved_early", "resolved_on_time", "resolved_late", "pending_in_time", "pending_overdue",
          "on_time_rate"),
    FINISH_DATES: ("resolved_total", "resolved_early", "resolved_on_time", "resolved_late", "pending_total",
             "pending_in_time", "pending_overdue", "withdrawn", "on_time_rate"),
    STATUS: ("withdrawn", "resolved_total", "pending_in_time", "pending_overdue", "on_time_rate"),
}
# What a caveat is about: no column; a wording not read; a date not read; no due date (blank or "Không quy định");
# a due date computed from the procedure catalog; an original due date taken from an earlier snapshot.
MISSING, UNRECOGNISED, UNREADABLE, NONE, COMPUTED, RECOVERED = ("missing", "unrecognised", "unreadable", "none",
                                                                "computed", "recovered")
# Record columns marking a wording not recognised.
STATUS_UNRECOGNISED, CHANNEL_UNRECOGNISED = "status_unrecognised", "channel_unrecognised"
# The cells judged against a due date: resolved and pending.
TIMED_CELLS = [*RESOLVED_CELLS, PENDING_IN_TIME, PENDING_OVERDUE]


@dataclass(frozen=True)
class Caveat:
    field: str                  # CHANNEL, DUE, FINISH_DATES or STATUS
    kind: str                   # MISSING, UNRECOGNISED, UNREADABLE, NONE, COMPUTED or RECOVERED
    count: int                  # the period's dossiers concerned
    files: tuple[str, ...] = ()  # files that lack the column (MISSING)

    @property
    def code(self) -> str:
        return f"{self.field}_{self.kind}"

    @property
    def affects(self) -> tuple[str, ...]:
        return AFFECTS[self.field]

    def as_dict(self) -> dict:
        return {"code": self.code, "field": self.field, "kind": self.kind, "count": self.count,
                "files": list(self.files), "affects": list(self.affects)}


def _in_counts(classified: pd.DataFrame) -> np.ndarray:
    return ~classified[CELL].isin([OUTSIDE, EXCLUDED, UNPLACEABLE]).to_numpy()


def _flagged(classified: pd.DataFrame, column: str) -> np.ndarray:
    if column not in classified:
        return np.zeros(len(classified), dtype=bool)
    return classified[column].to_numpy(dtype=bool, na_value=False)


# The counts a period's caveats are made from, per import (relational.check_sql gives the same from the engine).
CAVEAT_COUNTS = ["counted", "received", "counted_no_due", "status_unrecognised", "channel_unrecognised",
                 "due_unreadable", "finish_unreadable", "due_none", "due_computed", "due_recovered"]


def caveat_counts(classified: pd.DataFrame) -> pd.DataFrame:
    """Per import (`import_id`; -1 without one), the dossiers each caveat could concern: in the counts, received in
    the period, in the counts without a due date, each mark within its scope (see `caveats`)."""
    counted = _in_counts(classified)
    received = classified[RECEIVED_IN_PERIOD].to_numpy(dtype=bool) if RECEIVED_IN_PERIOD in classified else counted
    timed = classified[CELL].isin(TIMED_CELLS).to_numpy()
    no_due = (classified[EFFECTIVE_DUE].isna().to_numpy() if EFFECTIVE_DUE in classified
              else np.ones(len(classified), dtype=bool))
    due_unreadable = _flagged(classified, s.DUE_DATE_UNREADABLE)
    unplaceable = classified[CELL].to_numpy() == UNPLACEABLE
    frame = pd.DataFrame({
        s.IMPORT_ID: classified[s.IMPORT_ID].to_numpy() if s.IMPORT_ID in classified else -1,
        "counted": counted, "received": received, "counted_no_due": counted & no_due,
        "status_unrecognised": counted & _flagged(classified, STATUS_UNRECOGNISED),
        "channel_unrecognised": received & _flagged(classified, CHANNEL_UNRECOGNISED),
        "due_unreadable": timed & no_due & due_unreadable,
        "finish_unreadable": (counted | unplaceable) & _flagged(classified, s.FINISH_DATE_UNREADABLE),
        "due_none": timed & no_due & ~due_unreadable,
        "due_computed": timed & _flagged(classified, DUE_DATE_COMPUTED),
        "due_recovered": timed & _flagged(classified, s.ORIGINAL_DUE_RECOVERED)}, index=range(len(classified)))
    return frame.groupby(s.IMPORT_ID, sort=True, dropna=False).sum().astype("int64").reset_index()


def caveats(classified: pd.DataFrame, missing: dict[str, dict[int, str]] | None = None) -> list[Caveat]:
    """The caveats of a period's figures, from its classified dossiers.

    `missing`: field -> {import id -> file name} of the imports (or files read) that lack that column; a dossier
    counts under the import its record came from. The channel concerns the dossiers received in the period (it
    splits (4) from (5)); the other fields concern every dossier in the period's counts: a missing due date only
    those still without one (a due date computed from the catalog, or recovered from an earlier snapshot, is said
    apart). Due dates matter to the dossiers judged against one (resolved or pending); an unreadable finish date
    also to the dossiers it left unplaceable.
    """
    return caveats_of(caveat_counts(classified), missing)


def caveats_of(per_import: pd.DataFrame, missing: dict[str, dict[int, str]] | None = None) -> list[Caveat]:
    """The caveats from the counts of `caveat_counts` (or the engine's), per import."""
    imports = per_import[s.IMPORT_ID].to_numpy()
    scope = {CHANNEL: "received", DUE: "counted_no_due", FINISH_DATES: "counted", STATUS: "counted"}
    out, lacking_due = [], np.zeros(len(per_import), dtype=bool)
    for field, by_import in (missing or {}).items():
        if field not in AFFECTS or not by_import:
            continue
        in_files = np.isin(imports, list(by_import))
        if field == DUE:
            lacking_due = in_files
        concerned = per_import[scope[field]].to_numpy() * in_files
        if concerned.sum():
            present = sorted(int(i) for i in imports[concerned > 0])
            out.append(Caveat(field, MISSING, int(concerned.sum()), tuple(by_import[i] for i in present)))
    total = {column: int(per_import[column].sum()) for column in CAVEAT_COUNTS}
    total["due_none"] = int(per_import["due_none"].to_numpy()[~lacking_due].sum())
    for field, kind, key in ((STATUS, UNRECOGNISED, "status_unrecognised"),
                             (CHANNEL, UNRECOGNISED, "channel_unrecognised"),
                             (DUE, UNREADABLE, "due_unreadable"), (FINISH_DATES, UNREADABLE, "finish_unreadable"),
                             (DUE, NONE, "due_none"), (DUE, COMPUTED, "due_computed"),
                             (DUE, RECOVERED, "due_recovered")):
        if total[key]:
            out.append(Caveat(field, kind, total[key]))
    return out


def touching(found: list[Caveat], keys: tuple[str, ...] | list[str]) -> list[Caveat]:
    """The caveats that touch any of the figures `keys`."""
    return [c for c in found if set(c.affects) & set(keys)]
