"""From imported records to dossiers: one record per case id, the most advanced one."""
from __future__ import annotations

import pandas as pd

from analytics.model import schema as s

LATEST_EVENT, LATEST = "_latest_event", "_latest_date"
EVENT_DATES = [s.RECEIVED_DATE, s.COMPLETED_DATE, s.RETURNED_DATE]


def merge_duplicates(records: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """(one row per case id, number of records merged away).

    The same dossier appears in several rows or files (quarterly exports overlap, resubmissions): keep the most
    advanced record, the one with the latest of its dates. What happened (received, completed, returned) counts
    before what was promised (due dates): a record completed on 09/01 beats one still pending with the same due
    date 10/01. On a tie, the record read later (higher `import_id`, then lower in the sheet) wins. `records` is
    not changed.
    """
    if records.empty:
        return records.copy(), 0
    ranks = {LATEST_EVENT: records[EVENT_DATES].max(axis=1), LATEST: records[s.DATE_FIELDS].max(axis=1)}
    order = [LATEST_EVENT, LATEST] + ([s.IMPORT_ID] if s.IMPORT_ID in records else []) + [s.SOURCE_SHEET,
                                                                                        s.SOURCE_ROW]
    ranked = records.assign(**ranks).sort_values(order, na_position="first", kind="stable")
    kept = ranked.drop_duplicates(s.CASE_ID, keep="last").drop(columns=list(ranks))
    kept = kept.sort_index()
    return kept.reset_index(drop=True), len(records) - len(kept)
