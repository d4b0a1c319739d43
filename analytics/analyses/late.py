"""Late and overdue dossiers per group, with apology-letter counts: the table supervision reports carry."""
from __future__ import annotations

import pandas as pd

from analytics.analyses.bieu06 import GROUPINGS, group_label
from analytics.analyses.classification import CELL, LATE, PENDING_OVERDUE
from analytics.model import schema as s


def late_table(classified: pd.DataFrame, by: str) -> pd.DataFrame:
    """Late and overdue dossiers per group, with apology-letter counts (the table supervision reports carry).

    Columns: name, resolved_late (10), pending_overdue (13), late_total, with_apology, without_apology,
    apology_unknown (the export has no apology column).
    """
    cell = classified[CELL]
    frame = pd.DataFrame({
        "key": classified[GROUPINGS[by]],
        "resolved_late": cell == LATE,
        "pending_overdue": cell == PENDING_OVERDUE,
    })
    late = frame["resolved_late"] | frame["pending_overdue"]
    apology = classified[s.APOLOGY]
    frame["late_total"] = late
    frame["with_apology"] = late & (apology == True).fillna(False)  # noqa: E712
    frame["without_apology"] = late & (apology == False).fillna(False)  # noqa: E712
    frame["apology_unknown"] = late & apology.isna()
    table = frame.groupby("key", dropna=False, sort=True).sum().astype(int)
    table = table[table["late_total"] > 0]
    table.insert(0, "name", [group_label(k, by) for k in table.index])
    return table.sort_values(["late_total", "name"], ascending=[False, True]).reset_index(drop=True)


LATE_COUNTS = ["resolved_late", "pending_overdue", "late_total", "with_apology", "without_apology", "apology_unknown"]


def late_totals(table: pd.DataFrame) -> dict[str, int]:
    """The column totals of a late_table (every group's counts added up), for the "Tổng cộng" row under it."""
    return {k: int(table[k].sum()) if k in table else 0 for k in LATE_COUNTS}
