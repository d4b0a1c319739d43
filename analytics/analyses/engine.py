"""Biểu 06 counted where the data are (issue 20): the relational expressions of `relational` run on a connection (a
DuckDB connection to the store, or one holding a registered frame), only the small table of counts coming back.

`engine_table` gives what `bieu06.official_table` gives (a `TableCounts`: the total, the groups, the rate), without
the dossiers; tests/test_relational.py holds the two equal.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.analyses import experience as lived
from analytics.analyses import relational as r
from analytics.analyses.bieu06 import (
    GROUPINGS,
    KEYS,
    OFFICIAL,
    TableCounts,
    group_label,
    official_layout,
    official_order,
)
from analytics.analyses.caveats import Caveat, caveats_of
from analytics.analyses.classification import CELLS, LATE, PENDING_OVERDUE, REASONS
from analytics.analyses.comparison import Comparison, compared
from analytics.analyses.catalog_audit import match_procedures
from analytics.analyses.filters import DIMENSIONS, Filters
from analytics.analyses.late import LATE_COUNTS
from analytics.analyses.screening import (
    BUNCHED_MIN_RESOLVED,
    BUNCHED_ON_DUE_DATE,
    BUNCHED_SHARE,
    DOSSIER_COLUMNS,
    LARGE_VOLUME_NO_LATE,
    NO_LATE_MIN_RESOLVED,
    Screen,
)
from analytics.analyses.timeliness import AGE_BUCKETS, OVERDUE_BUCKETS, bucket_counts, json_row
from analytics.model import schema as s
from analytics.model.form import COUNT_KEYS
from analytics.model.periods import Period, series
from analytics.model.procedure_catalog import TIME_LIMIT_DAYS, Catalog
from analytics.model.rates import RATES, RESOLVED, with_rate
from analytics.model.unit_names import same_body
from analytics.model.workdays import calendar_tables

DOSSIERS = "dossiers"   # the relation the queries read: the store's (Store.engine_connection), or a registered frame


def counts(con, period: Period, keys: list[str], fold_withdrawn: bool = False, source: str = DOSSIERS
           ) -> pd.DataFrame:
    frame = con.execute(r.counts_sql(source, period, keys, fold_withdrawn)).df()
    for k in COUNT_KEYS:
        frame[k] = frame[k].fillna(0).astype("int64")
    return frame


def engine_table(con, period: Period, by: str | None = None, fold_withdrawn: bool = False,
                 rate: str = RESOLVED.name, source: str = DOSSIERS) -> TableCounts:
    """The official table of the period from the relation `source` on `con` (bieu06.official_table's figures)."""
    total = counts(con, period, [], fold_withdrawn, source).iloc[0]
    totals = {k: int(total[k]) for k in COUNT_KEYS}
    definition = RATES[rate]
    rated = definition.of(totals)
    totals["on_time_rate"] = rated.value
    keys = r.group_keys(by)
    if not keys:
        groups = pd.DataFrame(columns=["name", *KEYS])
    elif by == OFFICIAL:
        leaves = counts(con, period, keys, fold_withdrawn, source)
        for column in keys:
            leaves[column] = leaves[column].fillna(s.MISSING_GROUP).astype(str)
        leaves = leaves.groupby(keys, sort=False)[COUNT_KEYS].sum()
        order = sorted(leaves.index, key=lambda key: official_order(*key))
        groups = official_layout(leaves.reindex(pd.MultiIndex.from_tuples(order, names=keys)), rate)
    else:
        found = counts(con, period, keys, fold_withdrawn, source)
        found.insert(0, "name", [group_label(None if pd.isna(v) else v, by) for v in found.pop(keys[0])])
        groups = with_rate(found, definition)
    return TableCounts(period, by, totals, groups.reset_index(drop=True), fold_withdrawn, definition)


def engine_compare(con, a: Period, b: Period, by: str | None = None, rate: str = RESOLVED.name,
                   fold_withdrawn: bool = False, source: str = DOSSIERS) -> Comparison:
    """Two periods compared (comparison.compare's figures) from counts made by the engine."""
    return compared(engine_table(con, a, by, fold_withdrawn, rate, source),
                    engine_table(con, b, by, fold_withdrawn, rate, source), by)


# --- What the screens read (issue 20): small results from the relation the screens' choices make ---------------

def register_tables(con, successors: dict[str, str] | None = None, limits: pd.DataFrame | None = None) -> None:
    """Put beside `dossiers` on `con` the small tables relational.prepared_sql and the durations read: the
    calendar, and (when given) each unit's successor and the catalog's time limit of each procedure."""
    ranks, positions = calendar_tables()
    con.register(r.DAY_RANKS, ranks)
    con.register(r.WORKING_DAYS, positions)
    if successors is not None:
        con.register(r.UNIT_SUCCESSORS, pd.DataFrame({"unit_from": list(successors),
                                                      "unit_to": list(successors.values())}, dtype=object))
    if limits is not None:
        keys = ["procedure_code", "procedure_name", "level"]
        con.register(r.CATALOG_LIMITS, limits.astype({k: "string" for k in keys}))


def columns_of(con, source: str = DOSSIERS) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE {source}").fetchall()]


def catalog_limits(con, catalog: Catalog, source: str = DOSSIERS) -> pd.DataFrame:
    """The time limit (limit_days) of each procedure (code, name, level) of the dossiers without any due date, as
    catalog_audit.match_procedures matches it: the table CATALOG_LIMITS. Matched on the few distinct procedures,
    not on every dossier."""
    procedures = con.execute(r.missing_due_sql(source)).df().astype(object)
    procedures = procedures.where(procedures.notna(), None)
    matched = match_procedures(procedures.rename(columns={"procedure_code": s.PROCEDURE_CODE,
                                                          "procedure_name": s.PROCEDURE_NAME, "level": s.LEVEL}),
                               catalog)
    return procedures.assign(limit_days=matched[TIME_LIMIT_DAYS].to_numpy(dtype=float, na_value=np.nan))


def units_of(con, source: str = DOSSIERS) -> list[str]:
    """The units the dossiers name (boundaries.placement places them)."""
    return sorted(str(v) for v in con.execute(r.overview_sql(source, s.UNIT)).df()["value"].dropna())


def prepared(con, filters: Filters = Filters(), successors: dict[str, str] | None = None,
             limits: pd.DataFrame | None = None) -> str:
    """The relation the screens count, as a FROM item on `con`: the store's dossiers with each unit under its
    successor (`successors`, from boundaries.placement), due dates filled from the catalog (`limits`, from
    catalog_limits) and the filters; the small tables it reads registered on `con`."""
    register_tables(con, successors, limits)
    where = r.filters_sql(filters.levels, filters.units, filters.fields, filters.channels)
    sql = r.prepared_sql(set(columns_of(con)), where, successors is not None, limits is not None)
    return f"({sql})"


def period_dossiers(con, periods: list[Period], source: str) -> pd.DataFrame:
    """The dossiers of `source` that the periods' figures can read (relational.relevant_sql over the span of the
    periods), typed as the store's records: a period's dossiers, never every dossier of the store."""
    span = Period(min(p.start for p in periods), max(p.end for p in periods))
    frame = con.execute(r.relevant_sql(source, span)).df()
    frame = s.typed_records(frame)
    for column in (r.DUE_DATE_COMPUTED, s.ORIGINAL_DUE_RECOVERED):
        frame[column] = frame[column].astype("boolean").fillna(False).astype(bool)
    return frame


def carried_needs(con, source: str) -> dict[str, bool]:
    """experience.carried from the engine: which of the experience measures' columns the data carry at all."""
    found = con.execute(r.carried_sql(source)).df().iloc[0]
    return {k: bool(v) for k, v in found.items()}


@dataclass(frozen=True)
class DossierList:
    """A list of dossiers left in the engine: how many, the first `shown` of them, and the query giving them all
    (run again on a connection with the same relation: ui's downloads)."""
    count: int
    head: pd.DataFrame
    query: str


def dossier_list(con, query: str, shown: int, columns: list[str] = DOSSIER_COLUMNS, count: int | None = None
                 ) -> DossierList:
    """The dossiers `query` gives (`columns` of them), in the store's order: counted (unless `count` is known), and
    the first `shown` read (a top-N, not a sort of the whole list)."""
    if count is None:
        count = int(con.execute(f"SELECT COUNT(*) FROM ({query}) AS listed").fetchall()[0][0])
    whole = f"SELECT {', '.join(columns)} FROM ({query}) AS listed ORDER BY {r.ENGINE_ROW}"
    head = con.execute(f"{whole} LIMIT {int(shown)}").df() if count else pd.DataFrame(columns=columns)
    return DossierList(count, _listed(head), whole)


def _listed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = s.typed_records(frame)
    for column in (r.FINISH, r.DUE):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[s]")
    if r.CELL in frame:
        frame[r.CELL] = pd.Categorical(frame[r.CELL], CELLS)
    return frame


def read_list(con, listed: DossierList) -> pd.DataFrame:
    """Every dossier of a list (its query run again)."""
    return _listed(con.execute(listed.query).df())


def _late_groups(con, period: Period, by: str, fold_withdrawn: bool, source: str) -> pd.DataFrame:
    table = con.execute(r.late_groups_sql(source, period, GROUPINGS[by], fold_withdrawn)).df()
    for column in LATE_COUNTS:
        table[column] = table[column].fillna(0).astype(int)
    table.insert(0, "name", [group_label(None if pd.isna(k) else k, by) for k in table.pop("key")])
    return table.sort_values(["late_total", "name"], ascending=[False, True]).reset_index(drop=True)


def late_dossiers(con, period: Period, fold_withdrawn: bool, source: str, shown: int, units=(), fields=(),
                  cells=(LATE, PENDING_OVERDUE)) -> DossierList:
    """The late and overdue dossiers of the period (those of `units`, `fields` and `cells` when given)."""
    conditions = [f"{r.CELL} IN ({', '.join(r.literal(c) for c in cells)})"]
    for column, chosen in ((s.UNIT, units), (s.FIELD, fields)):
        if chosen:
            conditions.append(f"{column} IN ({', '.join(r.literal(v) for v in chosen)})")
    return dossier_list(con, f"SELECT * FROM ({r.cells_sql(source, period, fold_withdrawn)}) AS placed "
                             f"WHERE {' AND '.join(conditions)}", shown)


def engine_inspection(con, period: Period, fold_withdrawn: bool, source: str, shown: int
                      ) -> tuple[list[Screen], pd.DataFrame, pd.DataFrame, DossierList, dict[str, DossierList]]:
    """What the Hồ sơ trễ hạn screen shows, from the engine: the screening lists (screening.screens: each with its
    count and its first `shown` dossiers), late.late_table by unit and by field, the late and overdue dossiers;
    and each list's DossierList (the query giving all its dossiers)."""
    per_unit = con.execute(r.unit_screening_sql(source, period, fold_withdrawn)).df()
    with_resolved = per_unit[per_unit["resolved"] > 0]
    share = with_resolved["on_due"] / with_resolved["resolved"]
    bunched = sorted(with_resolved.loc[(share >= BUNCHED_SHARE) & (with_resolved["resolved"] >= BUNCHED_MIN_RESOLVED),
                                       "unit_key"])
    spotless = sorted(per_unit.loc[(per_unit["resolved"] >= NO_LATE_MIN_RESOLVED) & (per_unit["late"] == 0),
                                   "unit_key"])
    looked = r.looked_sql(source, period, fold_withdrawn)
    conditions = r.screen_conditions(bunched, spotless)
    counts = con.execute(f"SELECT {', '.join(r._count(c, k) for k, c in conditions.items())} "
                         f"FROM ({looked}) AS looked").df().fillna(0).iloc[0]
    evidence = {BUNCHED_ON_DUE_DATE: ({"share": BUNCHED_SHARE, "min_resolved": BUNCHED_MIN_RESOLVED}, bunched),
                LARGE_VOLUME_NO_LATE: ({"min_resolved": NO_LATE_MIN_RESOLVED}, spotless)}
    screens, lists = [], {}
    for code, condition in conditions.items():
        listed = dossier_list(con, f"SELECT * FROM ({looked}) AS looked WHERE {condition}", shown,
                              count=int(counts[code]))
        said, units = evidence.get(code, ({}, []))
        screens.append(Screen(code, listed.head, units, said, listed.count))
        lists[code] = listed
    late = late_dossiers(con, period, fold_withdrawn, source, shown)
    return (screens, _late_groups(con, period, "unit", fold_withdrawn, source),
            _late_groups(con, period, "field", fold_withdrawn, source), late, lists)


# --- Citizens' experience (issue 19) from the engine -------------------------------------------------------------

def _judge_receiving_points(con, source: str) -> None:
    """The table SAME_BODIES: each distinct (receiving point, unit) pair judged once (unit_names.same_body)."""
    pairs = con.execute(r.receiving_pairs_sql(source)).df()
    pairs["same"] = [same_body(point, unit) for point, unit in zip(pairs["receiving"], pairs["unit"])]
    con.register(r.SAME_BODIES, pairs.astype({"receiving": object, "unit": object, "same": bool}))


def engine_experience(con, period: Period, by: str | None, fold_withdrawn: bool, source: str,
                      has: dict[str, bool]) -> lived.Experience:
    """experience.experience's measures, counted by the engine (`has`: carried_needs of the whole data)."""
    _judge_receiving_points(con, source)

    def counted(key):
        frame = con.execute(r.experience_sql(source, period, key, fold_withdrawn)).df()
        return [(row.pop("key"), {k: int(v) if pd.notna(v) else 0 for k, v in row.items()})
                for row in frame.to_dict("records")]

    total = counted(None)[0][1]
    return lived.of_counts(total, counted(GROUPINGS[by]) if by else [], period, by, has)


def experience_behind(con, period: Period, fold_withdrawn: bool, source: str, count_key: str, shown: int
                      ) -> DossierList:
    """The dossiers counted in one count of the experience measures (experience.dossiers_behind)."""
    _judge_receiving_points(con, source)
    condition = r.experience_flags(r._date(period.end))[count_key]
    columns = [c for c in lived.DETAIL_COLUMNS if c != r.ENGINE_ROW]
    return dossier_list(con, f"SELECT * FROM ({r.flagged_sql(source, period, fold_withdrawn)}) AS flagged "
                             f"WHERE {condition}", shown, columns)


def engine_receiving_pairs(con, period: Period, fold_withdrawn: bool, source: str) -> pd.DataFrame:
    """experience.receiving_pairs from the engine: received elsewhere than the deciding unit, by pair."""
    _judge_receiving_points(con, source)
    condition = r.experience_flags(r._date(period.end))["received_elsewhere"]
    found = con.execute(f"""
SELECT CAST({s.RECEIVING_UNIT} AS VARCHAR) AS {s.RECEIVING_UNIT}, CAST({s.UNIT} AS VARCHAR) AS {s.UNIT},
       COUNT(*) AS count
FROM ({r.flagged_sql(source, period, fold_withdrawn)}) AS flagged WHERE {condition}
GROUP BY ALL ORDER BY count DESC, {s.RECEIVING_UNIT} ASC""").df()
    return found.astype({"count": "int64"}).reset_index(drop=True)


def engine_online_trend(con, period: Period, freq: str, cutoff: bool, source: str) -> pd.DataFrame:
    """experience.online_trend from the engine: per month (or quarter), received and received online by level."""
    parts = series(period.start, period.end, freq, cutoff)
    _register_periods(con, parts)
    keys = [lived.RECEIVED, lived.RECEIVED_ONLINE, *lived.ONLINE]
    flags = r.experience_flags("period_end")
    found = con.execute(f"""
SELECT period, {', '.join(r._count(flags[k], k) for k in keys)}
FROM ({r.cells_sql(r.periods_sql(source), None, False, ("period_start", "period_end"))}) AS placed
GROUP BY period""").df().set_index("period").reindex(range(len(parts)), fill_value=0)
    return pd.DataFrame([{"label": p.name, "start": p.start, "end": p.end,
                          **{k: int(found.loc[n, k]) for k in keys}} for n, p in enumerate(parts)])


def computed_due_dates(con, source: str) -> int:
    """How many dossiers of `source` have a due date the catalog gave."""
    return int(con.execute(f"SELECT COUNT(*) FROM {source} WHERE {r.DUE_DATE_COMPUTED}").fetchall()[0][0])


def engine_checks(con, period: Period, fold_withdrawn: bool, missing: dict[str, dict[int, str]] | None,
                  source: str = DOSSIERS) -> tuple[list[Caveat], dict]:
    """(caveats.caveats, TableCounts.quality) of the period, from counts made by the engine."""
    per_import = con.execute(r.check_sql(source, period, fold_withdrawn)).df().fillna(0)
    reasons = {reason: int(per_import[f"reason_{n}"].sum()) for n, reason in enumerate(REASONS, start=1)}
    return caveats_of(per_import, missing), reasons


def _register_periods(con, periods: list[Period]) -> None:
    """The table PERIODS: each period's position, first and last day (relational.periods_sql joins it)."""
    con.register(r.PERIODS, pd.DataFrame({"period": range(len(periods)),
                                          "period_start": [pd.Timestamp(p.start) for p in periods],
                                          "period_end": [pd.Timestamp(p.end) for p in periods]}))


def engine_trend(con, periods: list[Period], by: str | None = None, fold_withdrawn: bool = False,
                 source: str = DOSSIERS) -> pd.DataFrame:
    """bieu06.period_tables' figures (a "period" column, "name" with `by`, the counts, the rate), in one pass."""
    _register_periods(con, periods)
    keys = ["period", *r.group_keys(by)]
    found = con.execute(r.counts_sql(r.periods_sql(source), None, keys, fold_withdrawn,
                                     ("period_start", "period_end"))).df()
    for k in COUNT_KEYS:
        found[k] = found[k].fillna(0).astype("int64")
    if by:
        found.insert(1, "name", [group_label(None if pd.isna(v) else v, by) for v in found.pop(keys[1])])
    else:   # every period has its row, with nothing in it too
        found = found.set_index("period").reindex(range(len(periods)), fill_value=0).reset_index()
    found["period"] = found["period"].astype("int64")
    return with_rate(found.reset_index(drop=True), RESOLVED)


def engine_processing(con, period: Period, by: str | None = None, fold_withdrawn: bool = False,
                      source: str = DOSSIERS) -> tuple[dict, list[dict], dict]:
    """(timeliness.processing_summary's overall and per group, timeliness.pending_age) from the engine; `by` a key
    of bieu06.GROUPINGS (the form's own layout is not offered here)."""
    def summaries(key):
        frame = con.execute(r.processing_sql(source, period, key, fold_withdrawn)).df()
        received = frame["received_in_period"]
        frame["clearance_rate"] = frame["ended"] / received.where(received > 0)
        return frame

    whole = summaries(None)
    total = json_row(whole.drop(columns="key").iloc[0].to_dict()) if len(whole) else json_row(
        {"resolved": 0, "median_days": None, "p90_days": None, "received_in_period": 0, "ended": 0,
         "clearance_rate": None})
    groups = []
    if by:
        for row in summaries(r.group_keys(by)[0]).to_dict("records"):
            key = row.pop("key")
            groups.append({"name": group_label(None if pd.isna(key) else key, by), **json_row(row)})
    ages = con.execute(r.ages_sql(source, period, fold_withdrawn)).df()
    age = ages.dropna(subset=["age_days"]).groupby("age_days")["dossiers"].sum()
    overdue = ages.dropna(subset=["days_overdue"]).groupby("days_overdue")["dossiers"].sum()
    pending = {"pending": int(age.sum()), "age_buckets": bucket_counts(age, AGE_BUCKETS),
               "median_age_days": _weighted_median(age),
               "overdue": int(overdue.sum()), "overdue_buckets": bucket_counts(overdue, OVERDUE_BUCKETS)}
    return total, groups, pending


def _weighted_median(counts: pd.Series) -> float | None:
    """The median of values given as value -> how many (pandas' median of the values written out)."""
    n = int(counts.sum())
    if not n:
        return None
    values, running = counts.index.to_numpy(dtype=float), np.cumsum(counts.to_numpy())
    lower = values[np.searchsorted(running, (n - 1) // 2 + 1)]
    upper = values[np.searchsorted(running, n // 2 + 1)]
    return float((lower + upper) / 2)


def engine_overview(con, source: str = DOSSIERS) -> tuple[dict, list[int], tuple | None, tuple | None]:
    """(filters.choices, the years received in, trends.default_period, trends.coverage) from the engine."""
    choices = {}
    for attribute, column in DIMENSIONS.items():
        values = con.execute(r.overview_sql(source, column)).df()["value"]
        choices[attribute] = sorted({s.MISSING_GROUP if pd.isna(v) else str(v) for v in values})
    channels = con.execute(r.overview_sql(source, s.CHANNEL_CODE)).df()["value"]
    choices["channels"] = sorted(int(c) for c in channels.dropna())
    first, last, years = con.execute(r.received_span_sql(source)).fetchall()[0]
    if last is None:
        return choices, [], None, None
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    quarter_end = pd.Period(last, freq="Q").end_time.date()
    month_end = pd.Period(last, freq="M").end_time.date()
    return (choices, sorted(int(y) for y in years if y is not None),
            (dt.date(first.year, 1, 1), quarter_end), (dt.date(first.year, first.month, 1), month_end))


# --- Spark: the same expressions, rewritten for Spark SQL --------------------------------------------------------

# The columns the queries read, with their Spark SQL types.
SPARK_COLUMNS = {**{c: "string" for c in (s.CASE_ID, s.UNIT, s.FIELD, s.LEVEL, s.PROCEDURE_NAME)},
                 **{c: "int" for c in (s.CHANNEL_CODE, s.STATUS_CODE)}, **{c: "date" for c in s.DATE_FIELDS}}


class SparkRunner:
    """Runs the engine's DuckDB SQL on a Spark session, rewritten by SQLGlot (relational.for_dialect): what a
    national roll-up over Parquet on shared storage would use. `execute(sql).df()` as a DuckDB connection."""

    def __init__(self, spark):
        self.spark = spark

    def execute(self, sql: str):
        return _SparkResult(self.spark.sql(r.for_dialect(sql, "spark")))

    def register(self, name: str, dossiers: pd.DataFrame) -> None:
        """A frame of dossiers as a temporary view (the Parquet tables would be read with spark.read.parquet)."""
        columns = list(SPARK_COLUMNS)
        rows = dossiers[columns].astype(object).where(dossiers[columns].notna(), None)
        for c in s.DATE_FIELDS:
            rows[c] = [None if v is None else pd.Timestamp(v).date() for v in rows[c]]
        for c in (s.CHANNEL_CODE, s.STATUS_CODE):
            rows[c] = [None if v is None else int(v) for v in rows[c]]
        schema = ", ".join(f"{c} {t}" for c, t in SPARK_COLUMNS.items())
        self.spark.createDataFrame(rows.values.tolist(), schema).createOrReplaceTempView(name)


class _SparkResult:
    def __init__(self, frame):
        self.frame = frame

    def df(self) -> pd.DataFrame:
        return self.frame.toPandas()
