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


def cells_sql(source: str, period: Period, fold_withdrawn: bool = False) -> str:
    """Every dossier of `source` with its cell for the period (DOMAIN.md rules 1–5), whether it was received in the
    period (and counts in the workload) and whether it was carried over into it."""
    start, end = _date(period.start), _date(period.end)
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


def counts_sql(source: str, period: Period, keys: list[str] | tuple[str, ...] = (), fold_withdrawn: bool = False
               ) -> str:
    """Biểu 06's counts (form.COUNT_KEYS), overall or per value of the columns `keys` (groups with nothing received
    left out, as bieu06.table_counts does); the groups in sorted order, blank last."""
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
FROM ({cells_sql(source, period, fold_withdrawn)}) AS placed
{f"GROUP BY {group}" if keys else ""}"""
    totals = {"received_total": "received_online + received_direct_postal + carried_over",
              "resolved_total": f"{EARLY} + {ON_TIME} + {LATE}",
              "pending_total": f"{PENDING_IN_TIME} + {PENDING_OVERDUE}"}
    columns = ", ".join(f"{totals[k]} AS {k}" if k in totals else k for k in COUNT_KEYS)
    where = "WHERE received_online + received_direct_postal + carried_over > 0" if keys else ""
    order = f"ORDER BY {', '.join(f'{k} ASC NULLS LAST' for k in keys)}" if keys else ""
    return f"SELECT {select}{columns}\nFROM ({inner}) AS counted\n{where}\n{order}"


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
