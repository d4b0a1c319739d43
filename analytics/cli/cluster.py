"""The path to a cluster (issue 20): `parquet` writes the store's dossiers (one row per case id) as Parquet files on
shared storage, one folder per year of receipt; `rollup` counts Biểu 06 from such files where they are: DuckDB on
this machine, Spark (local or a cluster's master), or prints the query for Trino or Spark SQL."""
from __future__ import annotations

import sys
from pathlib import Path

from analytics.access import audit as trail
from analytics.analyses import engine, relational
from analytics.analyses.bieu06 import GROUPINGS, OFFICIAL
from analytics.cli import files
from analytics.cli.parser import EXIT_FILE, EXIT_OK, add_period, period_of
from analytics.dossiers.store import Store
from analytics.model import schema as s
from analytics.outputs import text_tables

YEAR = "received_year"


def add_commands(commands) -> None:
    par = commands.add_parser("parquet", help="ghi hồ sơ trong kho (mỗi mã hồ sơ một dòng) thành tệp Parquet, mỗi "
                                              "năm tiếp nhận một thư mục, để phân tích trên cụm máy")
    par.add_argument("folder", metavar="THƯ_MỤC")
    roll = commands.add_parser("rollup", help="Biểu 06 tính thẳng trên tệp Parquet (DuckDB, Spark) hoặc in câu "
                                              "truy vấn cho Trino/Spark SQL")
    roll.add_argument("folder", metavar="THƯ_MỤC", help="thư mục Parquet (do lệnh parquet ghi)")
    add_period(roll)
    roll.add_argument("--by", choices=sorted(GROUPINGS) + [OFFICIAL])
    roll.add_argument("--spark", metavar="MASTER", help='chạy trên Spark: "local[*]" hoặc "spark://máy:7077"')
    roll.add_argument("--sql", choices=["duckdb", "spark", "trino"],
                      help="chỉ in câu truy vấn tổng (không chạy) theo ngôn ngữ SQL của hệ đó")
    roll.add_argument("--format", choices=["table", "json"], default="table")
    roll.add_argument("--out", help="ghi kết quả vào tệp thay vì màn hình")


def parquet_command(args, store: Store) -> int:
    if not store.exists:
        print("Kho chưa có hồ sơ nào: nhập tệp trước (python -m analytics import TỆP).", file=sys.stderr)
        return EXIT_FILE
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    with store.engine_connection() as con:
        target = str(folder).replace("'", "''")
        # The records' columns, not the table's reading order (engine_row: the store's own, not the data's).
        columns = ", ".join(c for c in engine.columns_of(con) if c != relational.ENGINE_ROW)
        con.execute(f"COPY (SELECT {columns}, year({s.RECEIVED_DATE}) AS {YEAR} FROM {engine.DOSSIERS}) TO '{target}' "
                    f"(FORMAT PARQUET, PARTITION_BY ({YEAR}), OVERWRITE_OR_IGNORE)")
        count = con.execute(f"SELECT count(*) FROM {engine.DOSSIERS}").fetchone()[0]
    files.record(store, trail.EXPORT, str(folder.resolve()), {"what": "parquet", "dossiers": count})
    print(f"Đã ghi {count} hồ sơ vào {folder} (Parquet, mỗi năm tiếp nhận một thư mục {YEAR}=…).")
    return EXIT_OK


def _glob(folder: Path) -> str:
    return str(folder / "**" / "*.parquet").replace("'", "''")


def rollup_command(args, store: Store) -> int:
    period = period_of(args)
    folder = Path(args.folder)
    if args.sql:
        source = f"read_parquet('{_glob(folder)}', hive_partitioning = true)" if args.sql == "duckdb" else "dossiers"
        query = relational.counts_sql(source, period, relational.group_keys(args.by))
        print(query if args.sql == "duckdb" else relational.for_dialect(query, args.sql))
        return EXIT_OK
    if not any(folder.rglob("*.parquet")):
        print(f"Thư mục {folder} không có tệp Parquet nào: ghi bằng python -m analytics parquet {folder}.",
              file=sys.stderr)
        return EXIT_FILE
    if args.spark:
        from pyspark.sql import SparkSession
        spark = SparkSession.builder.master(args.spark).appName("onestop-rollup").getOrCreate()
        spark.read.parquet(str(folder)).createOrReplaceTempView(engine.DOSSIERS)
        table = engine.engine_table(engine.SparkRunner(spark), period, args.by)
    else:
        import duckdb
        with duckdb.connect() as con:
            con.execute(f"CREATE VIEW {engine.DOSSIERS} AS SELECT * FROM read_parquet('{_glob(folder)}', "
                        "hive_partitioning = true)")
            table = engine.engine_table(con, period, args.by)
    doc = {"from": period.start.isoformat(), "to": period.end.isoformat(), "by": args.by, "total": table.total,
           "groups": table.groups.to_dict("records"), "engine": "spark" if args.spark else "duckdb"}
    files.emit(files.as_json(doc) if args.format == "json" else text_tables.text_table(table), args, store)
    return EXIT_OK
