"""The store: an embedded DuckDB file with the imported records, every import and the remembered mappings, the
reported tables, the supervision sessions, and the tables of analytics/access (accounts, sign-in tokens, the audit
trail), which open their connections through `Store.connection`.

`Store` is made of parts, one module each, all over one file (`StoreFile`):
    connection.py       opening the file, taking turns, waiting for another program, its trouble said for people
    tables.py           the SQL of the tables, the migrations of an older store, the lists' versions
    stored_imports.py   imports, records, issues, applicants, remembered mappings; the dossiers
    stored_reported.py  reported tables and row maps
    stored_sessions.py  supervision sessions
    importer.py         `import_file`: reading an export, then handing its records to `add_import`
The names other code uses are all here: import them from this module.
"""
from __future__ import annotations

from analytics.dossiers import importer
from analytics.dossiers.connection import (DATA_DIR_VARIABLE, DB_FILE, StoreBusy, StoreFull, StoreUnavailable,
                                           busy_wait_seconds, default_data_dir)
from analytics.dossiers.importer import ImportResult
from analytics.dossiers.stored_imports import StoredImports
from analytics.dossiers.stored_reported import StoredReported
from analytics.dossiers.stored_recommendations import StoredRecommendations
from analytics.dossiers.stored_sessions import StoredSessions
from analytics.dossiers.stored_index import StoredIndex
from analytics.dossiers.stored_units import StoredUnits
from analytics.dossiers.tables import (
    IMPORTS,
    INDEX,
    LISTS,
    MAPPINGS,
    RECOMMENDATIONS,
    REPORTED_TABLES,
    ROW_MAPS,
    SESSIONS,
    UNITS,
)

__all__ = ["DATA_DIR_VARIABLE", "DB_FILE", "IMPORTS", "INDEX", "LISTS", "MAPPINGS", "RECOMMENDATIONS", "REPORTED_TABLES",
           "ROW_MAPS", "SESSIONS", "UNITS", "ImportResult", "Store", "StoreBusy", "StoreFull", "StoreUnavailable",
           "busy_wait_seconds", "default_data_dir"]


class Store(StoredImports, StoredReported, StoredSessions, StoredUnits, StoredRecommendations, StoredIndex):
    """The store in the data folder (`data_dir`, by default ONESTOP_DATA_DIR or ./data beside the code)."""

    import_file = importer.import_file  # read one export and store it: `importer.import_file(store, source, ...)`
