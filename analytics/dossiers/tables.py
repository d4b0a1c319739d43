"""The store's tables: the SQL that makes them, the migrations that bring a store made by an earlier release up to
date (`_ADDED_COLUMNS`; reads of a store not yet migrated see `_COLUMN_DEFAULTS`), and the versions of the lists the
screens cache. Statements and helpers for an open connection: nothing here opens one (connection.py does).
"""
from __future__ import annotations

import secrets

from analytics.model import schema as s

_SQL_TYPES = {**{c: "DATE" for c in s.DATE_FIELDS}, s.STATUS_CODE: "TINYINT", s.CHANNEL_CODE: "TINYINT",
              s.APOLOGY: "BOOLEAN", **{c: "BOOLEAN" for c in s.FLAG_COLUMNS}, s.SOURCE_ROW: "INTEGER",
              s.EXTENSIONS: "TINYINT", s.RATING: "TINYINT"}
# Columns added after the first release: a store made before gets them on its next write; reads until then see
# their default (`_COLUMN_DEFAULTS`).
_ADDED_COLUMNS = [("records", s.STATUS_UNRECOGNISED, "BOOLEAN DEFAULT false"),
                  ("records", s.CHANNEL_UNRECOGNISED, "BOOLEAN DEFAULT false"),
                  ("records", s.DUE_DATE_UNREADABLE, "BOOLEAN DEFAULT false"),
                  ("records", s.FINISH_DATE_UNREADABLE, "BOOLEAN DEFAULT false"),
                  ("imports", "missing_fields", "VARCHAR"),
                  ("mappings", "value_overrides", "VARCHAR"),
                  ("reported_rows", "number", "VARCHAR"),
                  ("records", s.APOLOGY_DATE, "DATE"), ("records", s.EXTENSIONS, "TINYINT"),
                  ("records", s.RATING, "TINYINT")]
_COLUMN_DEFAULTS = {s.STATUS_UNRECOGNISED: "false", s.CHANNEL_UNRECOGNISED: "false", s.DUE_DATE_UNREADABLE: "false",
                    s.FINISH_DATE_UNREADABLE: "false", "missing_fields": "NULL",
                    "value_overrides": "NULL", "number": "NULL",
                    s.APOLOGY_DATE: "NULL::DATE", s.EXTENSIONS: "NULL::TINYINT", s.RATING: "NULL::TINYINT"}
SCHEMA = [
    "CREATE SEQUENCE IF NOT EXISTS import_ids START 1",  # never reused, even after a removal
    """CREATE TABLE IF NOT EXISTS imports (
        import_id INTEGER PRIMARY KEY, imported_at TIMESTAMP, file_name VARCHAR, sha256 VARCHAR UNIQUE,
        sheets VARCHAR, rows_read INTEGER, rows_imported INTEGER, rows_skipped INTEGER, mapping VARCHAR)""",
    "CREATE TABLE IF NOT EXISTS records (import_id INTEGER, "
    + ", ".join(f"{c} {_SQL_TYPES.get(c, 'VARCHAR')}" for c in s.RECORD_COLUMNS) + ")",
    """CREATE TABLE IF NOT EXISTS issues (
        import_id INTEGER, code VARCHAR, level VARCHAR, file VARCHAR, sheet VARCHAR, "row" INTEGER,
        "column" VARCHAR, value VARCHAR, message VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS mappings (signature VARCHAR PRIMARY KEY, overrides VARCHAR, updated_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS sessions (name VARCHAR PRIMARY KEY, spec VARCHAR, updated_at TIMESTAMP)""",
    "CREATE SEQUENCE IF NOT EXISTS reported_ids START 1",
    """CREATE TABLE IF NOT EXISTS row_maps (reported_name VARCHAR PRIMARY KEY, data_name VARCHAR,
        updated_at TIMESTAMP)""",
    # A user's corrections of how reported tables are read, remembered for the next tables of the same layout
    # (ReportedTable.layout, .header_layout): kind "row" (a row's name -> the group in the data, per grouping),
    # "role" (a sheet row -> unit/subtotal/total), "column" (a header's text -> key).
    """CREATE TABLE IF NOT EXISTS reported_corrections (layout VARCHAR, grouping VARCHAR, kind VARCHAR,
        subject VARCHAR, value VARCHAR, updated_at TIMESTAMP, PRIMARY KEY (layout, grouping, kind, subject))""",
    # The unit register (issue 18): one at a time, with its provenance.
    """CREATE TABLE IF NOT EXISTS unit_registers (imported_at TIMESTAMP, file_name VARCHAR, sha256 VARCHAR,
        issues VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS unit_successions (position INTEGER, old VARCHAR, new VARCHAR, effective DATE,
        "row" INTEGER)""",
    # Recommendations of a session's report and their follow-up (issue 18).
    "CREATE SEQUENCE IF NOT EXISTS recommendation_ids START 1",
    """CREATE TABLE IF NOT EXISTS recommendations (rec_id INTEGER PRIMARY KEY, session VARCHAR, body VARCHAR,
        text VARCHAR, asked_on DATE, complex_matter BOOLEAN, deadline DATE, status VARCHAR, answer VARCHAR,
        answered_on DATE, updated_at TIMESTAMP)""",
    # The national service index's official scores (issue 19), one file per month.
    """CREATE TABLE IF NOT EXISTS index_files (year INTEGER, month INTEGER, file_name VARCHAR, sha256 VARCHAR,
        imported_at TIMESTAMP, issues VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS index_scores (year INTEGER, month INTEGER, position INTEGER, name VARCHAR,
        code VARCHAR, kind INTEGER, sheet VARCHAR, scope VARCHAR, progress DOUBLE, satisfaction DOUBLE,
        digitisation DOUBLE, payment DOUBLE, online DOUBLE, openness DOUBLE, total DOUBLE, "row" INTEGER)""",
    """CREATE TABLE IF NOT EXISTS reported_tables (
        reported_id INTEGER PRIMARY KEY, imported_at TIMESTAMP, file_name VARCHAR, sha256 VARCHAR UNIQUE,
        sheet VARCHAR, header_row INTEGER, mapping VARCHAR, kept VARCHAR, rate_columns VARCHAR, headline VARCHAR,
        issues VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS reported_rows (
        reported_id INTEGER, position INTEGER, name VARCHAR, "row" INTEGER, is_total BOOLEAN, column_name VARCHAR,
        value DOUBLE)""",
    # Sign-in (analytics/access/users.py) and the audit trail (analytics/access/audit.py).
    """CREATE TABLE IF NOT EXISTS users (name VARCHAR PRIMARY KEY, role VARCHAR, password_hash VARCHAR,
        failures INTEGER DEFAULT 0, locked_until TIMESTAMP, created_at TIMESTAMP, updated_at TIMESTAMP)""",
    "CREATE SEQUENCE IF NOT EXISTS audit_ids START 1",
    # Applicants' data, masked, only when ONESTOP_KEEP_PERSONAL=1 (ingest/personal.py); never in an export.
    """CREATE TABLE IF NOT EXISTS applicants (import_id INTEGER, case_id VARCHAR, applicant_name VARCHAR,
        applicant_phone VARCHAR, applicant_address VARCHAR, applicant_id VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS audit_log (entry_id BIGINT PRIMARY KEY, happened_at TIMESTAMP, actor VARCHAR,
        action VARCHAR, target VARCHAR, detail VARCHAR, outcome VARCHAR, chain VARCHAR)""",
    *(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}" for table, column, kind in _ADDED_COLUMNS),
    "ALTER TABLE records DROP COLUMN IF EXISTS staff",  # officials' names, kept before issue 11: no screen used them
    # Failed sign-ins counted per typed name ("ten:…", known or not) and per client ("may:…"), and sign-in tokens
    # kept hashed, with their one-time handover codes (analytics/access/users.py, analytics/access/tokens.py).
    """CREATE TABLE IF NOT EXISTS sign_in_failures (subject VARCHAR PRIMARY KEY, failures INTEGER,
        first_at TIMESTAMP, last_at TIMESTAMP, locked_until TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS sign_in_tokens (token_hash VARCHAR PRIMARY KEY, name VARCHAR, created_at TIMESTAMP,
        last_seen TIMESTAMP, revoked_at TIMESTAMP, reason VARCHAR, bound BOOLEAN DEFAULT false)""",
    """CREATE TABLE IF NOT EXISTS sign_in_handovers (code_hash VARCHAR PRIMARY KEY, sealed VARCHAR,
        expires_at TIMESTAMP)""",
]


# The lists the screens cache, each with a version that changes, in the transaction that changes the list, to a new
# random number (a store made again never repeats a version an older one had). Reading the versions tells a cache
# whether its copy is still the store's; an audit entry, a sign-in or an account change touches none of them.
IMPORTS, SESSIONS, REPORTED_TABLES = "imports", "sessions", "reported_tables"
ROW_MAPS, MAPPINGS, UNITS, RECOMMENDATIONS = "row_maps", "mappings", "unit_registers", "recommendations"
INDEX = "index_files"
LISTS = (IMPORTS, MAPPINGS, REPORTED_TABLES, ROW_MAPS, SESSIONS, UNITS, RECOMMENDATIONS, INDEX)
VERSIONS_SCHEMA = "CREATE TABLE IF NOT EXISTS versions (name VARCHAR PRIMARY KEY, version BIGINT)"


def prepare_versions(con) -> None:
    """The versions table, with a first version of each list (a store made before gets its versions here)."""
    con.execute(VERSIONS_SCHEMA)
    present = {name for (name,) in con.execute("SELECT name FROM versions").fetchall()}
    for name in LISTS:
        if name not in present:
            con.execute("INSERT INTO versions VALUES (?, ?)", [name, _new_version()])


def bump(con, *lists: str) -> None:
    """A new version for each of `lists`, inside the transaction that changes them."""
    for name in lists:
        con.execute("INSERT INTO versions VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version",
                    [name, _new_version()])


def _new_version() -> int:
    return secrets.randbits(62)


def column_or_default(con, table: str, column: str) -> str:
    """The column, or its default when a store made before it was added has not been written to since."""
    present = {row[0] for row in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                                             [table]).fetchall()}
    return column if column in present else f"{_COLUMN_DEFAULTS[column]} AS {column}"


def has_table(con, table: str) -> bool:
    """A store made before a table was added has not got it until it is next written to."""
    return bool(con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [table]).fetchall())
