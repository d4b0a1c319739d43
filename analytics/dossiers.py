"""From imported records to dossiers: one record per case id, the most advanced one."""
from __future__ import annotations

import pandas as pd

from analytics import schema as s

LATEST = "_latest_date"


def merge_duplicates(records: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """(one row per case id, number of records merged away).

    The same dossier appears in several rows or files (quarterly exports overlap, resubmissions): keep the record
    with the latest of its dates; on a tie, the record read later (higher `import_id`, then lower in the sheet)
    wins. `records` is not changed.
    """
    if records.empty:
        return records.copy(), 0
    latest = records[s.DATE_FIELDS].max(axis=1)
    order = [LATEST, s.IMPORT_ID, s.SOURCE_SHEET, s.SOURCE_ROW] if s.IMPORT_ID in records else \
        [LATEST, s.SOURCE_SHEET, s.SOURCE_ROW]
    ranked = records.assign(**{LATEST: latest}).sort_values(order, na_position="first", kind="stable")
    kept = ranked.drop_duplicates(s.CASE_ID, keep="last").drop(columns=LATEST)
    kept = kept.sort_index()
    return kept.reset_index(drop=True), len(records) - len(kept)
