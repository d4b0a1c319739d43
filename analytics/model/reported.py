"""A reported table: the aggregate table a body files (Biểu 06, or a vendor's "báo cáo kết quả giải quyết TTHC"),
one row per unit, field or level, read as data so the Council can test its arithmetic and set it beside the figures
recomputed from the dossiers.

Columns are named by meaning: Biểu 06's keys (those of `report`'s JSON) where a column means one of them, a few
other keys that real tables carry (below), and every other column kept under its own header text, never guessed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from analytics.model import issues as q
from analytics.model.form import COUNT_KEYS
from analytics.model.text_keys import plain_key

BIEU06_KEYS = COUNT_KEYS  # Biểu 06's count keys
# Other meanings real tables have (see ../shared/real/README.md).
RECEIVED_IN_PERIOD = "received_in_period"      # "Nhận trong kỳ": (4) + (5) without the split
RESOLVED_ON_TIME_OR_EARLY = "resolved_in_time"  # "Đúng hẹn" where early and on time are not split: (8) + (9)
WAITING_SUPPLEMENTS = "waiting_supplements"    # "Hồ sơ yêu cầu bổ sung": kept apart from pending by some systems
CANCELLED = "cancelled"                        # "Hồ sơ hủy"
NOT_RESOLVED = "not_resolved"                  # "Hồ sơ không giải quyết"
RETURNED, NOT_RETURNED = "returned", "not_returned"            # "Trả kết quả: Đã trả / Chưa trả"
LATE_BY_UNIT, LATE_OUTSIDE_UNIT = "late_by_unit", "late_outside_unit"  # overlapping splits of late
REPORTED_RATE = "reported_rate"                # a percentage column (kept to check it against its counts)
OTHER_KEYS = [RECEIVED_IN_PERIOD, RESOLVED_ON_TIME_OR_EARLY, WAITING_SUPPLEMENTS, CANCELLED, NOT_RESOLVED, RETURNED,
              NOT_RETURNED, LATE_BY_UNIT, LATE_OUTSIDE_UNIT]
# A derived key compares with the recomputed figures through these sums of Biểu 06 keys.
DERIVED = {RECEIVED_IN_PERIOD: ["received_online", "received_direct_postal"],
           RESOLVED_ON_TIME_OR_EARLY: ["resolved_early", "resolved_on_time"]}

NAME, ROW, IS_TOTAL = "name", "row", "is_total"   # columns of ReportedTable.rows besides the keys
NUMBER = "number"   # the row's STT cell as written ("I", "1", "1.1", "a", "-"); None when blank or absent

# What a row of a reported table is (analyses.reported_structure reads it; a user may say it).
UNIT_ROW, SUBTOTAL_ROW, TOTAL_ROW = "unit", "subtotal", "total"
ROW_ROLES = (UNIT_ROW, SUBTOTAL_ROW, TOTAL_ROW)
# The kinds of correction a user makes to how a table is read (remembered by the store per layout).
ROW_CORRECTION, ROLE_CORRECTION, COLUMN_CORRECTION = "row", "role", "column"

# The identities a reported row's own figures satisfy: `left` = the sum of `right`, plus each `optional` key the
# table has; checked only where the table has `left` and every key of `right` (analyses.report_arithmetic; the reader
# also uses them to tell where a shifted header belongs). Biểu 06's numbers: (3) = (4) + (5) + (6), (7) = (8) + (9) +
# (10), (11) = (12) + (13); received = resolved + pending (+ withdrawn, + waiting for supplements where the table
# keeps them apart). "Không giải quyết" and "Hủy" sit outside every identity; "late by the unit" and "late outside
# the unit" overlap, so they are in none.
IDENTITIES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("received_total", ("received_online", "received_direct_postal", "carried_over"), ()),
    ("received_total", (RECEIVED_IN_PERIOD, "carried_over"), ()),
    (RECEIVED_IN_PERIOD, ("received_online", "received_direct_postal"), ()),
    ("resolved_total", ("resolved_early", "resolved_on_time", "resolved_late"), ()),
    ("resolved_total", (RESOLVED_ON_TIME_OR_EARLY, "resolved_late"), ()),
    ("pending_total", ("pending_in_time", "pending_overdue"), ()),
    ("resolved_total", (RETURNED, NOT_RETURNED), ()),
    ("received_total", ("resolved_total", "pending_total"), ("withdrawn", WAITING_SUPPLEMENTS)),
]


@dataclass
class ReportedTable:
    """One reported table as read."""
    file: str
    sha256: str
    sheet: str
    header_row: int                     # the spreadsheet's row number of the (first) header row
    rows: pd.DataFrame                  # NAME, ROW (sheet row number), IS_TOTAL, then one numeric column per key
    mapping: dict[str, str]             # column header text (parents joined with " › ") -> key, "" when kept as is
    kept: list[str] = field(default_factory=list)   # header texts of the columns with no known meaning (in `rows`)
    rate_columns: dict[str, list[str]] = field(default_factory=dict)  # a percentage column -> [numerator, denominator]
    headline: dict[str, float] = field(default_factory=dict)  # headline cells above the table ("ĐÚNG HẸN": 69313)
    issues: list[q.Issue] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        """The known keys this table has (Biểu 06's first, in the form's order)."""
        return [k for k in BIEU06_KEYS + OTHER_KEYS if k in self.rows]

    @property
    def summed(self) -> list[str]:
        """The count columns a total or subtotal row adds up: the known keys and the kept columns, not the rates."""
        return [c for c in [*self.keys, *self.kept] if c in self.rows and c not in self.rate_columns]

    @property
    def header_layout(self) -> str:
        """What identifies the table's columns, whatever its figures: the same for a body's next table from the same
        software (column overrides are remembered under it)."""
        return _fingerprint(["columns", *self.mapping])

    @property
    def layout(self) -> str:
        """What identifies the table's columns and rows, whatever its figures: the same for a body's next table of
        the same units (row matches and row roles are remembered under it), different for another body's."""
        return _fingerprint(["columns", *self.mapping, "rows", *(plain_key(n) for n in self.rows[NAME])])


@dataclass(frozen=True)
class RowCorrections:
    """What a user said of a table's rows: a reported row's name -> the group's name in the data (for one grouping),
    and a sheet row -> its role (UNIT_ROW, SUBTOTAL_ROW, TOTAL_ROW)."""
    matches: dict[str, str] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)

    def key(self) -> tuple:
        """Hashable, for a cache."""
        return tuple(sorted(self.matches.items())), tuple(sorted(self.roles.items()))


def _fingerprint(parts: list[str]) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]
