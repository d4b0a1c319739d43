"""Analyses as documents: the JSON of every command (`report`'s contract is issue 2's, `compare`'s issue 3's).

Everything here is plain data (dicts, lists, numbers, "YYYY-MM-DD" dates), ready for json.dumps.
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from analytics.analyses import timeliness
from analytics.analyses.bieu06 import COUNT_KEYS, OfficialTable, period_totals
from analytics.analyses.caveats import Caveat, caveats
from analytics.analyses.classification import CELL, EXCLUDED, OUTSIDE, REASON, UNPLACEABLE
from analytics.analyses.comparison import Comparison
from analytics.analyses.funnel import funnel
from analytics.analyses.late import late_table
from analytics.analyses.screening import screens
from analytics.dossiers.sources import LoadedDossiers
from analytics.model import issues as q
from analytics.model.periods import Period, series
from analytics.outputs.labels import MISSING_FIELD_PREVENTS, REASON_LABELS, bucket_label, with_flag_labels
from analytics.outputs import judged
from analytics.outputs.questions import screen_document
from analytics.outputs.sentences import caveat_sentence


def _row_counts(row: dict) -> dict:
    out = {k: int(row[k]) for k in COUNT_KEYS}
    rate = row["on_time_rate"]
    out["on_time_rate"] = None if rate is None or pd.isna(rate) else float(rate)
    return out


def rate_block(table: OfficialTable) -> dict:
    return table.rate.as_dict() | {"withdrawn_folded_into_on_time": table.fold_withdrawn}


def missing_fields_block(source: LoadedDossiers) -> dict:
    """Each field some file lacks: the files, and what its absence prevents."""
    return {name: {"files": sorted(set(files.values())), "prevents": MISSING_FIELD_PREVENTS.get(name, "")}
            for name, files in source.missing_fields().items()}


def caveats_block(found: list[Caveat]) -> list[dict]:
    return [c.as_dict() | {"message": caveat_sentence(c)} for c in found]


def _unrecognised_values(source: LoadedDossiers) -> dict[str, dict[str, int | None]]:
    """Field -> {wording not read -> records with it}: from the files read, or (store mode, no counts kept) from
    the stored notices."""
    out: dict[str, dict[str, int | None]] = {}
    for reading in source.readings:
        for field_name, values in reading.value_counts.items():
            for v in values:
                if v["how"] in ("unrecognised", "ambiguous"):
                    out.setdefault(field_name, {})
                    out[field_name][v["value"]] = out[field_name].get(v["value"], 0) + v["count"]
    if source.stored_issues is not None:
        codes = {q.STATUS_UNRECOGNISED: "status", q.CHANNEL_UNRECOGNISED: "channel"}
        for code, value in source.stored_issues[["code", "value"]].itertuples(index=False):
            if code in codes:
                out.setdefault(codes[code], {}).setdefault(value, None)
    return out


def quality_block(table: OfficialTable, source: LoadedDossiers) -> dict:
    classified = table.classified
    left_out = classified[classified[CELL].isin([EXCLUDED, UNPLACEABLE]) & (classified[REASON] != "")]
    in_period = classified[CELL] != OUTSIDE  # the period's workload and what it leaves out
    issues = source.issues()
    unread = _unrecognised_values(source)
    files = [{"file": r.name, "sha256": r.sha256, "rows_read": r.rows_read, "rows_imported": len(r.records),
              "rows_skipped": r.rows_skipped, "rejected": r.rejected.message if r.rejected else None,
              "issues_by_code": dict(Counter(i.code for i in r.issues))} for r in source.readings]
    return {
        "files": files,
        "merged_duplicates": source.merged,
        "due_dates_computed": source.due_dates_computed,
        "rows_skipped": sum(r.rows_skipped for r in source.readings),
        "left_out_of_counts": {reason: int((left_out[REASON] == reason).sum()) for reason in REASON_LABELS},
        "left_out_labels": REASON_LABELS,
        "left_out_cases": left_out[["case_id", REASON]].rename(columns={REASON: "reason"}).to_dict("records"),
        "unknown_statuses": unread.get("status", {}),
        "unrecognised_values": unread,
        "status_inferred": int(classified.loc[in_period, "status_inferred"].sum()) if "status_inferred" in classified
        else 0,
        "issues_total": len(issues),
        "issues": [i.as_dict() for i in issues],
        "stored_issues_by_code": ({} if source.stored_issues is None else
                                  {str(k): int(v) for k, v in source.stored_issues["code"].value_counts().items()}),
    }


def _groups(table: OfficialTable) -> list[dict]:
    """Each group with exactly the report's keys. In the official layout, the field rows under their level and unit
    ("Cấp huyện › Phòng Tư pháp › Hộ tịch"): subtotals are left out so that the groups add up to the total."""
    rows = table.groups.to_dict("records")
    if "depth" in table.groups:
        return [{"name": g["path"], **_row_counts(g)} for g in rows if g["depth"] == 2]
    return [{"name": g["name"], **_row_counts(g)} for g in rows]


def report_document(table: OfficialTable, source: LoadedDossiers) -> dict:
    return {
        "from": table.period.start.isoformat(),
        "to": table.period.end.isoformat(),
        "by": table.by,
        "rate": rate_block(table),
        "total": _row_counts(table.total),
        "groups": _groups(table),
        "data_quality": quality_block(table, source) | {
            "missing_fields": missing_fields_block(source),
            "caveats": caveats_block(caveats(table.classified, source.missing_fields()))},
    }


def period_block(period: Period) -> dict:
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "label": period.label}


def _with_note(change: dict) -> dict:
    """A change as the contract prints it: its "note" says when a denominator is too small to judge."""
    return {**change, "note": "" if change["judgeable"] else judged.TOO_FEW_NOTE}


def comparison_document(comparison: Comparison, source: LoadedDossiers) -> dict:
    return {"a": report_document(comparison.a, source), "b": report_document(comparison.b, source),
            "change": {"total": _with_note(comparison.total),
                       "groups": [_with_note(group) for group in comparison.groups]}}


def timeliness_document(table: OfficialTable) -> dict:
    durations = timeliness.with_durations(table.classified, table.period)
    total, groups = timeliness.processing_summary(durations, table.by)
    return {**period_block(table.period), "by": table.by, "unit_of_time": "ngày làm việc",
            "total": total, "groups": groups, "pending": _worded_buckets(timeliness.pending_age(durations))}


def _worded_buckets(pending: dict) -> dict:
    """The pending ages as the contract prints them: each bucket named in words ("0–5 ngày") with its count."""
    return {**pending, **{key: [{"bucket": bucket_label(b), "count": b["count"]} for b in pending[key]]
                          for key in ("age_buckets", "overdue_buckets")}}


def funnel_document(table: OfficialTable) -> dict:
    units, overall = funnel(table.groups, table.rate_definition.name)
    units = with_flag_labels(units).astype(object).where(units.notna(), None)
    return {**period_block(table.period), "rate": table.rate.as_dict(), "overall_rate": overall,
            "units": units.to_dict("records")}


def screening_document(table: OfficialTable) -> dict:
    found = screens(table.classified, table.period)
    return {**period_block(table.period), "screens": [screen_document(sc) for sc in found]}


def late_document(table: OfficialTable) -> dict:
    return {**period_block(table.period),
            **{by: late_table(table.classified, by).to_dict("records") for by in ("unit", "field")}}


def trend_document(dossiers: pd.DataFrame, period: Period, freq: str, cutoff: bool, rate: str,
                   fold_withdrawn: bool = False) -> dict:
    """One official-table total per month or quarter of the period, with the chosen rate."""
    points = series(period.start, period.end, freq, cutoff)
    totals = period_totals(dossiers, points, rate, fold_withdrawn)
    return {**period_block(period), "freq": freq, "cutoff": cutoff, "rate": rate,
            "points": [{**period_block(p), **_row_counts(row)} for p, row in zip(points, totals.to_dict("records"))]}
