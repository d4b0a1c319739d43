"""Biểu 06 counted where the data are (issue 20): the relational expressions of `relational` run on a connection (a
DuckDB connection to the store, or one holding a registered frame), only the small table of counts coming back.

`engine_table` gives what `bieu06.official_table` gives (a `TableCounts`: the total, the groups, the rate), without
the dossiers; tests/test_relational.py holds the two equal.
"""
from __future__ import annotations

import pandas as pd

from analytics.analyses import relational as r
from analytics.analyses.comparison import Comparison, compared
from analytics.analyses.bieu06 import KEYS, OFFICIAL, TableCounts, group_label, official_layout, official_order
from analytics.model import schema as s
from analytics.model.form import COUNT_KEYS
from analytics.model.periods import Period
from analytics.model.rates import RATES, RESOLVED, with_rate

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
