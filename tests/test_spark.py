"""The path to a cluster (issue 20): the engine's expressions, rewritten for Spark SQL by SQLGlot, run unchanged on
Apache Spark in local mode (Java from Debian's packages, .ci/run installs it) and give the sample's Biểu 06 by unit
and its comparison exactly as DuckDB does."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from analytics.analyses import engine
from analytics.dossiers.sources import read_files
from analytics.model.periods import Period

ROOT = Path(__file__).resolve().parent.parent
# pyspark's own pandas conversion warns about pandas 3's copy keyword: not the project's code.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning",
                                        "ignore:The copy keyword is deprecated")
YEAR_2018 = Period(dt.date(2018, 1, 1), dt.date(2018, 12, 31))
Q1_2019 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))


@pytest.fixture(scope="module")
def runners():
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[1]").appName("onestop-test")
             .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    dossiers = read_files([ROOT / "sample_data" / "exports"]).dossiers
    on_spark = engine.SparkRunner(spark)
    on_spark.register(engine.DOSSIERS, dossiers)
    con = duckdb.connect()
    con.register(engine.DOSSIERS, dossiers)
    yield con, on_spark
    con.close()
    spark.stop()


def test_bieu_06_by_unit_is_the_same_on_spark(runners):
    con, on_spark = runners
    for by in ("unit", "official"):
        here, there = engine.engine_table(con, Q1_2019, by), engine.engine_table(on_spark, Q1_2019, by)
        assert there.total == here.total and there.total["resolved_total"] > 0
        assert there.groups.to_dict("records") == here.groups.to_dict("records")


def test_the_comparison_is_the_same_on_spark(runners):
    con, on_spark = runners
    here = engine.engine_compare(con, YEAR_2018, Q1_2019, "unit")
    there = engine.engine_compare(on_spark, YEAR_2018, Q1_2019, "unit")
    assert there.total == here.total and there.groups == here.groups and len(here.groups) > 5
