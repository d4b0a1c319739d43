"""DOMAIN.md's classification and Biểu 06's counts as relational expressions (issue 20): SQL text built from one
definition, run where the data are (DuckDB over the store, Spark over Parquet) instead of on a pandas copy.

The SQL is DuckDB's dialect; `for_dialect` rewrites it for another engine with SQLGlot (Spark, Trino). Only standard
constructs are used (CASE, COALESCE, GREATEST, window functions), so the rewrite is mechanical. Every count here is
the one `classification` and `bieu06` give, row for row (tests/test_relational.py compares them, and a reference
written apart from both on random dossiers). The one record kept per case id is chosen in the store
(dossiers/dedup.chosen_sql), so the queries read a relation `dossiers` of one row per dossier.
"""
from __future__ import annotations

import datetime as dt

from analytics.analyses.bieu06 import GROUPINGS, OFFICIAL
from analytics.analyses.classification import (
    CARRIED_OVER,
    CELL,
    DUE,
    EARLY,
    EXCLUDED,
    FINISH,
    LATE,
    ON_TIME,
    OUTSIDE,
    PENDING_IN_TIME,
    PENDING_OVERDUE,
    RECEIVED_IN_PERIOD,
    UNPLACEABLE,
    WITHDRAWN,
)
from analytics.model import schema as s
from analytics.model.form import COUNT_KEYS
from analytics.model.periods import Period

REASON = "reason_code"   # the column a query adds beside classification's CELL, FINISH, DUE …


def _date(day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'"


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(str(v) for v in values)})"


def dated_sql(source: str) -> str:
    """Each dossier with what classification needs whatever the period (classification.DossierDates): its finish
    date, the due date lateness is measured on, and why it is left out of every period (0: it is not; 1 not
    received, 2 no received date, 3 finished before received, 4 ended without a finish date)."""
    status = s.STATUS_CODE
    return f"""
SELECT *,
  CASE WHEN {_in(status, s.STATUS_NOT_RECEIVED)} THEN 1
       WHEN {s.RECEIVED_DATE} IS NULL THEN 2
       WHEN {FINISH} IS NOT NULL AND {FINISH} < {s.RECEIVED_DATE} THEN 3
       WHEN {_in(status, s.STATUS_ENDED)} AND {FINISH} IS NULL THEN 4
       ELSE 0 END AS {REASON}
FROM (SELECT *, COALESCE({s.COMPLETED_DATE}, {s.RETURNED_DATE}) AS {FINISH},
             COALESCE({s.ORIGINAL_DUE_DATE}, {s.DUE_DATE}) AS {DUE}
      FROM {source}) AS d"""


def cells_sql(source: str, period: Period | None, fold_withdrawn: bool = False,
              bounds: tuple[str, str] | None = None) -> str:
    """Every dossier of `source` with its cell for the period (DOMAIN.md rules 1–5), whether it was received in the
    period (and counts in the workload) and whether it was carried over into it. `bounds`: the period's first and
    last day as columns of `source` instead (one row per dossier and period: a trend)."""
    start, end = bounds or (_date(period.start), _date(period.end))
    received, finish, due = s.RECEIVED_DATE, FINISH, DUE
    in_period = f"COALESCE({received} BETWEEN {start} AND {end}, FALSE)"
    carried = f"COALESCE({received} < {start} AND ({finish} IS NULL OR {finish} >= {start}), FALSE)"
    finished = f"COALESCE({finish} <= {end}, FALSE)"
    withdrawn = _in(s.STATUS_CODE, s.STATUS_WITHDRAWN)
    waiting = _in(s.STATUS_CODE, s.STATUS_WAITING_ON_APPLICANT)
    withdrawn_cell = f"'{ON_TIME}'" if fold_withdrawn else f"'{WITHDRAWN}'"
    return f"""
SELECT *,
  CASE WHEN {REASON} NOT IN (0, 4) AND ({in_period} OR {received} IS NULL) THEN '{EXCLUDED}'
       WHEN {REASON} = 4 AND ({in_period} OR {carried}) THEN '{UNPLACEABLE}'
       WHEN NOT (({in_period} OR {carried}) AND {REASON} = 0) THEN '{OUTSIDE}'
       WHEN {finished} AND {withdrawn} THEN {withdrawn_cell}
       WHEN {finished} AND {finish} < {due} THEN '{EARLY}'
       WHEN {finished} AND ({due} IS NULL OR {finish} = {due}) THEN '{ON_TIME}'
       WHEN {finished} THEN '{LATE}'
       WHEN {due} IS NULL OR {waiting} OR {due} >= {end} THEN '{PENDING_IN_TIME}'
       ELSE '{PENDING_OVERDUE}' END AS {CELL},
  {in_period} AND {REASON} = 0 AS {RECEIVED_IN_PERIOD},
  {carried} AND NOT {in_period} AND {REASON} = 0 AS {CARRIED_OVER}
FROM ({dated_sql(source)}) AS dated"""


def _count(condition: str, key: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS {key}"


def counts_sql(source: str, period: Period | None, keys: list[str] | tuple[str, ...] = (),
               fold_withdrawn: bool = False, bounds: tuple[str, str] | None = None, keep_empty: bool = False) -> str:
    """Biểu 06's counts (form.COUNT_KEYS), overall or per value of the columns `keys` (groups with nothing received
    left out, as bieu06.table_counts does, unless `keep_empty`); the groups in sorted order, blank last. `bounds`
    as cells_sql."""
    online = f"{s.CHANNEL_CODE} = {s.CHANNEL_ONLINE}"
    parts = {
        "received_online": f"{RECEIVED_IN_PERIOD} AND COALESCE({online}, FALSE)",
        "received_direct_postal": f"{RECEIVED_IN_PERIOD} AND NOT COALESCE({online}, FALSE)",
        "carried_over": CARRIED_OVER,
        **{cell: f"{CELL} = '{cell}'" for cell in (EARLY, ON_TIME, LATE, PENDING_IN_TIME, PENDING_OVERDUE,
                                                   WITHDRAWN)},
    }
    sums = ",\n  ".join(_count(condition, key) for key, condition in parts.items())
    group = ", ".join(keys)
    select = (group + ",\n  ") if keys else ""
    inner = f"""
SELECT {select}{sums}
FROM ({cells_sql(source, period, fold_withdrawn, bounds)}) AS placed
{f"GROUP BY {group}" if keys else ""}"""
    totals = {"received_total": "received_online + received_direct_postal + carried_over",
              "resolved_total": f"{EARLY} + {ON_TIME} + {LATE}",
              "pending_total": f"{PENDING_IN_TIME} + {PENDING_OVERDUE}"}
    columns = ", ".join(f"{totals[k]} AS {k}" if k in totals else k for k in COUNT_KEYS)
    where = "WHERE received_online + received_direct_postal + carried_over > 0" if keys and not keep_empty else ""
    order = f"ORDER BY {', '.join(f'{k} ASC NULLS LAST' for k in keys)}" if keys else ""
    return f"SELECT {select}{columns}\nFROM ({inner}) AS counted\n{where}\n{order}"


# --- What the screens read (issue 20): the dossiers as the screens' choices make them, and what each screen counts --

# Small tables an engine connection holds beside `dossiers` (analyses/engine.py registers them).
UNIT_SUCCESSORS = "unit_successors"   # unit_from -> unit_to: each unit under the new boundaries
CATALOG_LIMITS = "catalog_limits"     # procedure code, name, level -> limit_days (the catalog's time limit)
DAY_RANKS = "day_ranks"               # day -> worked: working days up to and including it (workdays.calendar_tables)
WORKING_DAYS = "working_days"         # position -> day
PERIODS = "periods"                   # period, period_start, period_end: the points of a trend
# Columns the prepared relation adds.
DUE_DATE_COMPUTED = "due_date_computed"
ENGINE_ROW = "engine_row"   # the dossier's place in the store's table: dossiers come back in the store's order
# Marks a caveat reads; a relation that lacks one reads False.
FLAGS = (s.STATUS_UNRECOGNISED, s.CHANNEL_UNRECOGNISED, s.DUE_DATE_UNREADABLE, s.FINISH_DATE_UNREADABLE,
         s.ORIGINAL_DUE_RECOVERED)


def literal(value) -> str:
    """A value as an SQL literal (text quoted, its quotes doubled)."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(int(value))


def filters_sql(levels=(), units=(), fields=(), channels=()) -> str:
    """The screens' filters (analyses.filters.Filters) as a WHERE condition: blank values read MISSING_GROUP, as
    Filters.mask does; "TRUE" without a filter."""
    parts = [f"COALESCE(CAST({column} AS VARCHAR), {literal(s.MISSING_GROUP)}) IN "
             f"({', '.join(literal(v) for v in chosen)})"
             for column, chosen in ((s.LEVEL, levels), (s.UNIT, units), (s.FIELD, fields)) if chosen]
    if channels:
        parts.append(f"COALESCE({s.CHANNEL_CODE} IN ({', '.join(literal(c) for c in channels)}), FALSE)")
    return " AND ".join(parts) or "TRUE"


def prepared_sql(columns, where: str = "TRUE", successors: bool = False, fill: bool = False,
                 source: str = "dossiers") -> str:
    """The dossiers as the screens count them: each unit under its successor (`successors`, the table
    UNIT_SUCCESSORS; ui's new boundaries, boundaries.under_boundaries), a due date an export lacks filled from the
    catalog (`fill`, the table CATALOG_LIMITS: catalog_audit.fill_missing_due_dates, marked DUE_DATE_COMPUTED), the
    marks a caveat reads (False when `columns`, the source's columns, lack them), then the filters `where`."""
    unit = f"COALESCE(moved.unit_to, d.{s.UNIT})" if successors else f"d.{s.UNIT}"
    earlier = f"COALESCE(d.{DUE_DATE_COMPUTED}, FALSE)" if DUE_DATE_COMPUTED in columns else "FALSE"
    joins = [f"LEFT JOIN {UNIT_SUCCESSORS} AS moved ON d.{s.UNIT} = moved.unit_from"] if successors else []
    due, computed = f"d.{s.DUE_DATE}", earlier
    if fill:
        received = f"CAST(d.{s.RECEIVED_DATE} AS DATE)"
        joins += [f"LEFT JOIN {CATALOG_LIMITS} AS lim ON d.{s.PROCEDURE_CODE} IS NOT DISTINCT FROM lim.procedure_code"
                  f" AND d.{s.PROCEDURE_NAME} IS NOT DISTINCT FROM lim.procedure_name"
                  f" AND d.{s.LEVEL} IS NOT DISTINCT FROM lim.level",
                  f"LEFT JOIN {DAY_RANKS} AS at_receipt ON {received} = at_receipt.day",
                  f"LEFT JOIN {WORKING_DAYS} AS legal ON legal.position = "
                  f"at_receipt.worked + CAST(FLOOR(lim.limit_days) AS BIGINT) - 1"]
        legal_due = (f"CASE WHEN lim.limit_days IS NULL OR at_receipt.day IS NULL THEN NULL "
                     f"WHEN lim.limit_days = 0 THEN {received} ELSE CAST(legal.day AS DATE) END")
        missing = (f"d.{s.DUE_DATE} IS NULL AND d.{s.ORIGINAL_DUE_DATE} IS NULL AND "
                   f"NOT COALESCE({_in('d.' + s.STATUS_CODE, s.STATUS_NOT_RECEIVED)}, FALSE) AND "
                   f"({legal_due}) IS NOT NULL")
        due = f"CASE WHEN {missing} THEN {legal_due} ELSE d.{s.DUE_DATE} END"
        computed = f"({earlier} OR COALESCE({missing}, FALSE))"
    flags = [f"FALSE AS {flag}" for flag in FLAGS if flag not in columns]
    replaced = f"{unit} AS {s.UNIT}, {due} AS {s.DUE_DATE}"
    if DUE_DATE_COMPUTED in columns:
        replaced += f", {computed} AS {DUE_DATE_COMPUTED}"
    added = ([] if DUE_DATE_COMPUTED in columns else [f"{computed} AS {DUE_DATE_COMPUTED}"]) + flags
    if s.IMPORT_ID not in columns:
        added.append(f"-1 AS {s.IMPORT_ID}")
    row = "" if ENGINE_ROW in columns else f", d.rowid AS {ENGINE_ROW}"   # a table made before it was kept
    return f"""
SELECT * FROM (
  SELECT d.* REPLACE ({replaced}){''.join(', ' + a for a in added)}{row}
  FROM {source} AS d
  {chr(10).join(joins)}) AS prepared
WHERE {where}"""


def relevant_sql(source: str, period: Period) -> str:
    """The dossiers a period's figures can read (every cell but OUTSIDE: the workload, and those left out of the
    counts), with the columns of `source`, in the store's order: what the analyses that still read dossiers one by
    one (late lists, experience, the catalog audit, reconciliation) are given instead of every dossier."""
    added = ", ".join((FINISH, DUE, REASON, CELL, RECEIVED_IN_PERIOD, CARRIED_OVER, ENGINE_ROW))
    return f"""
SELECT * EXCLUDE ({added}) FROM ({cells_sql(source, period)}) AS placed
WHERE {CELL} <> '{OUTSIDE}'
ORDER BY {ENGINE_ROW}"""


def looked_sql(source: str, period: Period, fold_withdrawn: bool = False) -> str:
    """The dossiers the screening lists look at (screening.screens): the period's workload and the dossiers received
    in it but left out of the counts, with what the lists ask of each (resolved, late, finished on its due date, its
    unit with blanks named)."""
    received_here = f"COALESCE({s.RECEIVED_DATE} BETWEEN {_date(period.start)} AND {_date(period.end)}, FALSE)"
    resolved = f"{CELL} IN ('{EARLY}', '{ON_TIME}', '{LATE}')"
    return f"""
SELECT placed.*, COALESCE(CAST({s.UNIT} AS VARCHAR), {literal(s.MISSING_GROUP)}) AS unit_key,
  {resolved} AS resolved, {CELL} IN ('{LATE}', '{PENDING_OVERDUE}') AS late,
  {resolved} AND COALESCE({FINISH} = {DUE}, FALSE) AS on_due, worked.day IS NOT NULL AS completed_on_working_day
FROM ({cells_sql(source, period, fold_withdrawn)}) AS placed
LEFT JOIN {WORKING_DAYS} AS worked ON CAST(worked.day AS DATE) = CAST(placed.{s.COMPLETED_DATE} AS DATE)
WHERE {CELL} NOT IN ('{OUTSIDE}', '{EXCLUDED}', '{UNPLACEABLE}') OR ({CELL} = '{EXCLUDED}' AND {received_here})"""


def screen_conditions(bunched: list[str], spotless: list[str]) -> dict[str, str]:
    """Each screening list (screening.SCREENS' codes) as a condition on looked_sql's rows; `bunched` and
    `spotless`: the units the unit-wide lists name."""
    def units(names: list[str]) -> str:
        return f"unit_key IN ({', '.join(literal(n) for n in names)})" if names else "FALSE"

    return {
        "bunched_on_due_date": f"on_due AND {units(bunched)}",
        "completed_on_non_working_day": f"resolved AND {s.COMPLETED_DATE} IS NOT NULL AND NOT completed_on_working_day",
        "late_without_apology": f"late AND COALESCE({s.APOLOGY} = FALSE, FALSE)",
        "due_date_moved": f"{s.ORIGINAL_DUE_DATE} IS NOT NULL AND {s.DUE_DATE} IS NOT NULL AND "
                          f"{s.ORIGINAL_DUE_DATE} <> {s.DUE_DATE} AND {CELL} <> '{EXCLUDED}'",
        "large_volume_no_late": f"resolved AND {units(spotless)}",
        "completed_before_received": f"{REASON} = 3",
    }


def unit_screening_sql(source: str, period: Period, fold_withdrawn: bool = False) -> str:
    """Per unit (blank named): resolved, finished on the due date, late (the unit-wide screening lists)."""
    return f"""
SELECT unit_key, SUM(resolved::INT) AS resolved, SUM(on_due::INT) AS on_due, SUM(late::INT) AS late
FROM ({looked_sql(source, period, fold_withdrawn)}) AS looked
GROUP BY unit_key"""


def late_groups_sql(source: str, period: Period, key: str, fold_withdrawn: bool = False) -> str:
    """late.late_table's counts per value of `key`: late and overdue, with apology letters; groups with none
    left out."""
    late = f"{CELL} IN ('{LATE}', '{PENDING_OVERDUE}')"
    sums = {"resolved_late": f"{CELL} = '{LATE}'", "pending_overdue": f"{CELL} = '{PENDING_OVERDUE}'",
            "late_total": late, "with_apology": f"{late} AND COALESCE({s.APOLOGY}, FALSE)",
            "without_apology": f"{late} AND NOT COALESCE({s.APOLOGY}, TRUE)",
            "apology_unknown": f"{late} AND {s.APOLOGY} IS NULL"}
    return f"""
SELECT * FROM (
  SELECT {key} AS key, {', '.join(_count(c, k) for k, c in sums.items())}
  FROM ({cells_sql(source, period, fold_withdrawn)}) AS placed
  GROUP BY {key}) AS grouped
WHERE late_total > 0"""


SAME_BODIES = "same_bodies"   # receiving point, unit -> same: whether the point is the unit's own desk


def experience_flags(end: str) -> dict[str, str]:
    """experience._flags as SQL conditions over cells_sql's rows (`end`: the period's last day, a DATE literal or
    column); `receiving_unknown` too. The receiving point's judgement comes from the table SAME_BODIES."""
    day = "CAST({} AS DATE)".format
    online = f"{RECEIVED_IN_PERIOD} AND COALESCE({s.CHANNEL_CODE}, {s.CHANNEL_IN_PERSON}) = {s.CHANNEL_ONLINE}"
    late = f"{CELL} IN ('{LATE}', '{PENDING_OVERDUE}')"
    with_letter = f"({late}) AND COALESCE({s.APOLOGY}, FALSE)"
    new_known = (f"{s.ORIGINAL_DUE_DATE} IS NOT NULL AND {s.DUE_DATE} IS NOT NULL AND "
                 f"{day(s.DUE_DATE)} <> {day(s.ORIGINAL_DUE_DATE)}")
    missed = (f"({CELL} = '{LATE}' AND COALESCE({day(FINISH)} > {day(s.DUE_DATE)}, FALSE)) OR "
              f"({CELL} = '{PENDING_OVERDUE}' AND COALESCE({day(s.DUE_DATE)} < {end}, FALSE))")
    resolved = f"{CELL} IN ('{EARLY}', '{ON_TIME}', '{LATE}')"
    rated = f"{s.RATING} IN ({s.VERY_SATISFIED}, {s.SATISFIED}, {s.DISSATISFIED})"
    receiving_known = f"{RECEIVED_IN_PERIOD} AND {s.RECEIVING_UNIT} IS NOT NULL AND {s.UNIT} IS NOT NULL"
    return {
        "received": RECEIVED_IN_PERIOD, "received_online": online,
        "online_full": f"({online}) AND COALESCE({s.ONLINE_LEVEL} = {literal(s.ONLINE_FULL)}, FALSE)",
        "online_partial": f"({online}) AND COALESCE({s.ONLINE_LEVEL} = {literal(s.ONLINE_PARTIAL)}, FALSE)",
        "online_level_unknown": f"({online}) AND {s.ONLINE_LEVEL} IS NULL",
        "late_total": late, "late_with_letter": with_letter,
        "late_without_letter": f"({late}) AND NOT COALESCE({s.APOLOGY}, TRUE)",
        "letter_unknown": f"({late}) AND {s.APOLOGY} IS NULL", "letter_known": f"({late}) AND {s.APOLOGY} IS NOT NULL",
        "letter_after_original_due": f"({with_letter}) AND COALESCE({day(s.APOLOGY_DATE)} > {day(DUE)}, FALSE)",
        "letter_date_unknown": f"({with_letter}) AND {s.APOLOGY_DATE} IS NULL",
        "rescheduled_more_than_once": f"({late}) AND COALESCE({s.EXTENSIONS} >= 2, FALSE)",
        "extensions_unknown": f"({late}) AND {s.EXTENSIONS} IS NULL",
        "new_date_missed": f"({with_letter}) AND ({new_known}) AND ({missed})",
        "new_date_unknown": f"({with_letter}) AND NOT ({new_known})",
        "resolved_total": resolved,
        "rated": f"({resolved}) AND COALESCE({rated}, FALSE)",
        "very_satisfied": f"({resolved}) AND COALESCE({s.RATING} = {s.VERY_SATISFIED}, FALSE)",
        "satisfied": f"({resolved}) AND COALESCE({s.RATING} = {s.SATISFIED}, FALSE)",
        "dissatisfied": f"({resolved}) AND COALESCE({s.RATING} = {s.DISSATISFIED}, FALSE)",
        "unrated": f"({resolved}) AND COALESCE({s.RATING} <= {s.NOT_RATED}, FALSE)",
        "rating_unread": f"({resolved}) AND COALESCE({s.RATING} < {s.NOT_RATED}, FALSE)",
        "rating_unknown": f"({resolved}) AND {s.RATING} IS NULL",
        "rating_known": f"({resolved}) AND {s.RATING} IS NOT NULL",
        "receiving_known": receiving_known,
        "received_elsewhere": f"({receiving_known}) AND NOT COALESCE(same, TRUE)",
        "receiving_unknown": f"{RECEIVED_IN_PERIOD} AND NOT ({receiving_known})",
    }


def flagged_sql(source: str, period: Period | None, fold_withdrawn: bool = False,
                bounds: tuple[str, str] | None = None) -> str:
    """cells_sql's rows with the receiving point judged (SAME_BODIES): what experience_flags read."""
    return f"""
SELECT placed.*, bodies.same
FROM ({cells_sql(source, period, fold_withdrawn, bounds)}) AS placed
LEFT JOIN {SAME_BODIES} AS bodies
  ON placed.{s.RECEIVING_UNIT} = bodies.receiving AND placed.{s.UNIT} = bodies.unit"""


def experience_sql(source: str, period: Period, key: str | None, fold_withdrawn: bool = False) -> str:
    """The count of every experience flag, overall or per value of `key`."""
    flags = experience_flags(_date(period.end))
    return f"""
SELECT {key or "NULL"} AS key, {', '.join(_count(c, k) for k, c in flags.items())}
FROM ({flagged_sql(source, period, fold_withdrawn)}) AS flagged
GROUP BY ALL
ORDER BY key ASC NULLS LAST"""


def receiving_pairs_sql(source: str) -> str:
    """The distinct (receiving point, unit) pairs with both named (experience._same_bodies judges each once)."""
    return f"""
SELECT DISTINCT CAST({s.RECEIVING_UNIT} AS VARCHAR) AS receiving, CAST({s.UNIT} AS VARCHAR) AS unit
FROM {source} WHERE {s.RECEIVING_UNIT} IS NOT NULL AND {s.UNIT} IS NOT NULL"""


def carried_sql(source: str) -> str:
    """Which of experience.NEEDS the data carry at all (experience.carried): a column read for some dossier."""
    online = f"{s.CHANNEL_CODE} = {s.CHANNEL_ONLINE}"
    present = {"online_level": f"{online} AND {s.ONLINE_LEVEL} IS NOT NULL", "letter": f"{s.APOLOGY} IS NOT NULL",
               "letter_date": f"{s.APOLOGY_DATE} IS NOT NULL", "extensions": f"{s.EXTENSIONS} IS NOT NULL",
               "new_due_date": f"{s.ORIGINAL_DUE_DATE} IS NOT NULL", "rating": f"{s.RATING} IS NOT NULL",
               "receiving_unit": f"{s.RECEIVING_UNIT} IS NOT NULL"}
    return f"SELECT {', '.join(f'COALESCE(BOOL_OR({c}), FALSE) AS {k}' for k, c in present.items())} FROM {source}"


def missing_due_sql(source: str = "dossiers") -> str:
    """The procedures (code, name, level) of the dossiers a catalog could give a due date: received, with neither
    due date nor original due date (few: the catalog is matched on these, not on every dossier)."""
    return f"""
SELECT DISTINCT {s.PROCEDURE_CODE} AS procedure_code, {s.PROCEDURE_NAME} AS procedure_name, {s.LEVEL} AS level
FROM {source}
WHERE {s.DUE_DATE} IS NULL AND {s.ORIGINAL_DUE_DATE} IS NULL"""


def check_sql(source: str, period: Period, fold_withdrawn: bool = False) -> str:
    """What the figures of a period cannot be sure of and what they leave out, per import (caveats.caveats and
    TableCounts.quality, from counts): dossiers in the counts, received in the period, in the counts without a due
    date, each mark within its scope, and the dossiers left out of every period by reason."""
    counted = f"{CELL} NOT IN ('{OUTSIDE}', '{EXCLUDED}', '{UNPLACEABLE}')"
    timed = f"{CELL} IN ({', '.join(repr(c) for c in (EARLY, ON_TIME, LATE, PENDING_IN_TIME, PENDING_OVERDUE))})"
    no_due = f"{DUE} IS NULL"
    left_out = f"{CELL} IN ('{EXCLUDED}', '{UNPLACEABLE}')"
    sums = {
        "counted": counted, "received": RECEIVED_IN_PERIOD, "counted_no_due": f"{counted} AND {no_due}",
        "status_unrecognised": f"{counted} AND COALESCE({s.STATUS_UNRECOGNISED}, FALSE)",
        "channel_unrecognised": f"{RECEIVED_IN_PERIOD} AND COALESCE({s.CHANNEL_UNRECOGNISED}, FALSE)",
        "due_unreadable": f"{timed} AND {no_due} AND COALESCE({s.DUE_DATE_UNREADABLE}, FALSE)",
        "finish_unreadable": f"({counted} OR {CELL} = '{UNPLACEABLE}') AND "
                             f"COALESCE({s.FINISH_DATE_UNREADABLE}, FALSE)",
        "due_none": f"{timed} AND {no_due} AND NOT COALESCE({s.DUE_DATE_UNREADABLE}, FALSE)",
        "due_computed": f"{timed} AND COALESCE({DUE_DATE_COMPUTED}, FALSE)",
        "due_recovered": f"{timed} AND COALESCE({s.ORIGINAL_DUE_RECOVERED}, FALSE)",
        **{f"reason_{n}": f"{left_out} AND {REASON} = {n}" for n in (1, 2, 3, 4)},
    }
    return f"""
SELECT {s.IMPORT_ID}, {', '.join(_count(condition, key) for key, condition in sums.items())}
FROM ({cells_sql(source, period, fold_withdrawn)}) AS placed
GROUP BY {s.IMPORT_ID}"""


def periods_sql(source: str) -> str:
    """Each dossier beside every period of the table PERIODS it can count in (received by the period's end, not
    finished before its start): a trend's periods counted in one pass (counts_sql with bounds)."""
    finish = f"COALESCE(d.{s.COMPLETED_DATE}, d.{s.RETURNED_DATE})"
    return f"""(
SELECT d.*, p.period, p.period_start, p.period_end
FROM {source} AS d JOIN {PERIODS} AS p
  ON d.{s.RECEIVED_DATE} <= p.period_end AND ({finish} IS NULL OR {finish} >= p.period_start)) AS by_period"""


def durations_sql(source: str, period: Period, fold_withdrawn: bool = False) -> str:
    """The dossiers with their cell and, in working days (timeliness.with_durations): processing days (resolved),
    age at the period's end and days past due (pending overdue); NULL outside the calendar."""
    end = _date(period.end)
    resolved = f"{CELL} IN ('{EARLY}', '{ON_TIME}', '{LATE}')"
    pending = f"{CELL} IN ('{PENDING_IN_TIME}', '{PENDING_OVERDUE}')"
    return f"""
SELECT placed.*,
  CASE WHEN {resolved} THEN at_finish.worked - at_receipt.worked END AS processing_days,
  CASE WHEN {pending} THEN at_end.worked - at_receipt.worked END AS age_days,
  CASE WHEN {CELL} = '{PENDING_OVERDUE}' THEN at_end.worked - at_due.worked END AS days_overdue
FROM ({cells_sql(source, period, fold_withdrawn)}) AS placed
LEFT JOIN {DAY_RANKS} AS at_receipt ON CAST(placed.{s.RECEIVED_DATE} AS DATE) = at_receipt.day
LEFT JOIN {DAY_RANKS} AS at_finish ON CAST(placed.{FINISH} AS DATE) = at_finish.day
LEFT JOIN {DAY_RANKS} AS at_due ON CAST(placed.{DUE} AS DATE) = at_due.day
LEFT JOIN {DAY_RANKS} AS at_end ON {end} = at_end.day"""


def processing_sql(source: str, period: Period, key: str | None, fold_withdrawn: bool = False) -> str:
    """timeliness.processing_summary's figures per value of `key` (or overall): resolved, median and 90th
    percentile of processing days, received in the period, ended; groups with none of these left out."""
    group = key or "NULL"
    ended = f"{CELL} IN ('{EARLY}', '{ON_TIME}', '{LATE}', '{WITHDRAWN}')"
    return f"""
SELECT * FROM (
  SELECT {group} AS key, COUNT(processing_days) AS resolved,
    MEDIAN(processing_days) AS median_days, QUANTILE_CONT(processing_days, 0.9) AS p90_days,
    {_count(RECEIVED_IN_PERIOD, "received_in_period")}, {_count(ended, "ended")}
  FROM ({durations_sql(source, period, fold_withdrawn)}) AS timed
  GROUP BY ALL) AS grouped
WHERE received_in_period > 0 OR ended > 0 OR resolved > 0
ORDER BY key ASC NULLS LAST"""


def ages_sql(source: str, period: Period, fold_withdrawn: bool = False) -> str:
    """How many pending dossiers are of each age and each number of days past due (timeliness.pending_age)."""
    return f"""
SELECT age_days, days_overdue, COUNT(*) AS dossiers
FROM ({durations_sql(source, period, fold_withdrawn)}) AS timed
WHERE age_days IS NOT NULL OR days_overdue IS NOT NULL
GROUP BY ALL"""


def overview_sql(source: str, column: str) -> str:
    """The distinct values of a column (a filter's choices)."""
    return f"SELECT DISTINCT {column} AS value FROM {source}"


def received_span_sql(source: str) -> str:
    """The 1st percentile and the last of the received dates (trends.default_period, trends.coverage), and the
    years received in."""
    return f"""
SELECT QUANTILE_CONT(CAST({s.RECEIVED_DATE} AS TIMESTAMP), 0.01) AS first, MAX({s.RECEIVED_DATE}) AS last,
       LIST(DISTINCT YEAR({s.RECEIVED_DATE})) AS years
FROM {source}"""


def group_keys(by: str | None) -> list[str]:
    """The columns a grouping counts by (bieu06.GROUPINGS; "official" is level › unit › field)."""
    if by is None:
        return []
    if by == OFFICIAL:
        return [s.LEVEL, s.UNIT, s.FIELD]
    return [GROUPINGS[by]]


def for_dialect(sql: str, dialect: str) -> str:
    """The same query for another engine ("spark", "trino"), rewritten by SQLGlot."""
    import sqlglot
    return sqlglot.transpile(sql, read="duckdb", write=dialect)[0]
