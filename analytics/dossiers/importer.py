"""Importing one export: read it with the mappings the store remembers for its header, then hand the store the clean
records to add in one transaction (`StoredImports.add_import`). Bad input never raises: the result says what
happened. `Store.import_file` is this.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analytics.dossiers.connection import StoreFull
from analytics.dossiers.stored_imports import StoredImports
from analytics.ingest import personal
from analytics.ingest.export_reader import FileReading, read_export
from analytics.model import issues as q


@dataclass
class ImportResult:
    file_name: str
    status: str                      # "imported", "already_imported" or "rejected"
    import_id: int | None = None
    rows_read: int = 0
    rows_imported: int = 0
    rows_skipped: int = 0
    issues: list[q.Issue] = field(default_factory=list)
    reading: FileReading | None = None

    @property
    def rejected(self) -> q.Issue | None:
        return next((i for i in self.issues if i.level == q.FILE), None)


def import_file(store: StoredImports, source: str | Path | bytes, name: str | None = None,
                overrides: dict[str, str] | None = None, replace: bool = False,
                value_overrides: dict[str, dict[str, int | str]] | None = None,
                keep_personal: bool | None = None, fingerprint: str | None = None) -> ImportResult:
    """Read and store one export. Bad input never raises: see the result's status and issues.

    The header mappings and value mappings remembered for files with the same header are used; `overrides`
    and `value_overrides` (see `read_export`) win over them and, when the import succeeds, are remembered.
    The same file again changes nothing, unless `replace` (a corrected mapping): then the earlier import of
    these bytes is replaced by the new reading, in the same transaction. Applicants' data is kept, masked, only
    with `keep_personal` (by default the setting ONESTOP_KEEP_PERSONAL). `fingerprint`: the sha256 of the file
    these bytes stand for (a copy stripped of personal data, re-imported for the upload it was made from), so
    that the import replaces, and is later recognised as, that file's.
    """
    keep = personal.keep_personal() if keep_personal is None else keep_personal
    try:  # a store's first use in a process may write (its tables made or migrated): a full disk is said here
        remembered, remembered_values = store.remembered_mappings(), store.remembered_value_mappings()
    except StoreFull as full:
        raise _full(store, _file_name(source, name)) from full
    reading = read_export(source, name=name, overrides=overrides, remembered=remembered,
                          value_overrides=value_overrides, remembered_values=remembered_values,
                          keep_personal=keep)
    result = ImportResult(reading.name, "rejected", rows_read=reading.rows_read, rows_skipped=reading.rows_skipped,
                          issues=reading.issues, reading=reading)
    if reading.rejected:
        return result
    if fingerprint is not None:
        reading.sha256 = fingerprint
    try:
        result.import_id, added = store.add_import(reading, overrides or {}, value_overrides or {}, replace)
    except StoreFull as full:  # said for this import: nothing of it is in the store
        raise _full(store, reading.name) from full
    if not added:
        result.status = "already_imported"
        return result
    result.status, result.rows_imported = "imported", len(reading.records)
    return result


def _full(store: StoredImports, file_name: str) -> StoreFull:
    """A full disk, said for the import of `file_name`."""
    return StoreFull(store.path, f"Lần nhập tệp {file_name}", "nhập lại tệp")


def _file_name(source: str | Path | bytes, name: str | None) -> str:
    """The name an import is said by before its file is read (as `read_export` names it)."""
    return name or (Path(source).name if isinstance(source, (str, Path)) else "tệp tải lên")
