"""The report as a document: the JSON contract of `python -m analytics report` (issue 2)."""
from __future__ import annotations

from collections import Counter

import pandas as pd

from analytics import quality as q
from analytics.classification import (CELL, COUNT_KEYS, EXCLUDED, REASON, REASON_LABELS, UNPLACEABLE,
                                      OfficialTable)
from analytics.sources import Dossiers

RATE_NAME = "resolved"
RATE_LABEL = "Tỷ lệ đúng hạn trên số hồ sơ đã giải quyết: ((8) + (9)) / (7)"


def _cells(row: dict) -> dict:
    out = {k: int(row[k]) for k in COUNT_KEYS}
    rate = row["on_time_rate"]
    out["on_time_rate"] = None if rate is None or pd.isna(rate) else float(rate)
    return out


def rate_block(table: OfficialTable) -> dict:
    t = table.total
    return {"definition": RATE_NAME, "label": RATE_LABEL,
            "numerator": t["resolved_early"] + t["resolved_on_time"], "denominator": t["resolved_total"],
            "value": t["on_time_rate"], "withdrawn_folded_into_on_time": table.fold_withdrawn}


def quality_block(table: OfficialTable, source: Dossiers) -> dict:
    classified = table.classified
    left_out = classified[classified[CELL].isin([EXCLUDED, UNPLACEABLE]) & (classified[REASON] != "")]
    issues = source.issues()
    unknown = Counter(i.value for i in issues if i.code == q.UNKNOWN_STATUS)
    files = [{"file": r.name, "sha256": r.sha256, "rows_read": r.rows_read, "rows_imported": len(r.records),
              "rows_skipped": r.rows_skipped, "rejected": r.rejected.message if r.rejected else None,
              "issues_by_code": dict(Counter(i.code for i in r.issues))} for r in source.readings]
    return {
        "files": files,
        "merged_duplicates": source.merged,
        "rows_skipped": sum(r.rows_skipped for r in source.readings),
        "left_out_of_counts": {reason: int((left_out[REASON] == reason).sum()) for reason in REASON_LABELS},
        "left_out_labels": REASON_LABELS,
        "left_out_cases": left_out[["case_id", REASON]].rename(columns={REASON: "reason"}).to_dict("records"),
        "unknown_statuses": dict(unknown),
        "status_inferred": int(classified["status_inferred"].sum()) if "status_inferred" in classified else 0,
        "issues_total": len(issues),
        "issues": [i.as_dict() for i in issues],
        "stored_issues_by_code": ({} if source.stored_issues is None else
                                  {str(k): int(v) for k, v in source.stored_issues["code"].value_counts().items()}),
    }


def report_document(table: OfficialTable, source: Dossiers) -> dict:
    return {
        "from": table.period.start.isoformat(),
        "to": table.period.end.isoformat(),
        "by": table.by,
        "rate": rate_block(table),
        "total": _cells(table.total),
        "groups": [{"name": g["name"], **_cells(g)} for g in table.groups.to_dict("records")],
        "data_quality": quality_block(table, source),
    }


