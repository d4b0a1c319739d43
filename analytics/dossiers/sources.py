"""Where the dossiers of a report come from: export files read on the spot, or the store."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics.dossiers.dedup import merge_duplicates, merge_notices
from analytics.ingest.export_reader import FileReading, empty_records, read_export
from analytics.ingest.sniff import SPREADSHEET_SUFFIXES
from analytics.model import issues as q
from analytics.model import schema as s


@dataclass
class LoadedDossiers:
    """The dossiers of a report, with what reading them found."""
    dossiers: pd.DataFrame
    merged: int                                      # records merged away as duplicates of a case id
    readings: list[FileReading] = field(default_factory=list)
    stored_issues: pd.DataFrame | None = None        # issues recorded with the stored imports (store mode)
    due_dates_computed: int = 0                      # due dates filled from a procedure catalog
    merge_notices: list[q.Issue] = field(default_factory=list)  # case ids whose merged records disagree
    # Store mode: field -> {import id -> file name} of the imports lacking that column (files mode: from readings)
    stored_missing: dict[str, dict[int, str]] | None = None
    origin: str = ""                                 # store mode: which store and imports

    def description(self) -> str:
        """Where the figures come from, in one Vietnamese line (printed with every output)."""
        if self.origin:
            return self.origin
        names = [r.name for r in self.readings if not r.rejected]
        shown = ", ".join(names[:5]) + (f" và {len(names) - 5} tệp khác" if len(names) > 5 else "")
        return f"Nguồn số liệu: {len(names)} tệp xuất hồ sơ ({shown})."

    @property
    def rejected(self) -> list[q.Issue]:
        return [r.rejected for r in self.readings if r.rejected]

    def issues(self) -> list[q.Issue]:
        return [i for r in self.readings for i in r.issues] + self.merge_notices

    def missing_fields(self) -> dict[str, dict[int, str]]:
        """Field -> {import id -> file name} of the files that lack its column (the records' import ids)."""
        if self.stored_missing is not None:
            return self.stored_missing
        out: dict[str, dict[int, str]] = {}
        for n, reading in enumerate(self.readings):  # n: the import id read_files gives its records
            for name in [] if reading.rejected else reading.missing_fields:
                out.setdefault(name, {})[n] = reading.name
        return out


def natural_key(name: str) -> tuple:
    """File names as a person orders them: numbers by value ("Tháng 9" before "Tháng 10", "Q2" before "Q10"),
    letters without case."""
    parts = re.split(r"(\d+)", name.casefold())
    return tuple(int(part) if n % 2 else part for n, part in enumerate(parts)), name


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files as given; a folder gives its spreadsheets in natural order (natural_key; lock files of Excel left
    out)."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted((f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SPREADSHEET_SUFFIXES
                           and not f.name.startswith("~$")), key=lambda f: natural_key(f.name))
        else:
            out.append(p)
    return out


def read_files(paths: list[str | Path], overrides: dict[str, str] | None = None,
               remembered: dict[str, dict[str, str]] | None = None,
               value_overrides: dict[str, dict[str, int | str]] | None = None,
               remembered_values: dict[str, dict] | None = None) -> LoadedDossiers:
    """Read exports without touching the store; a later file wins ties between duplicate records, and case ids
    whose records disagree on unit or received date get a notice (`merge_notices`). Mappings as `read_export`."""
    readings = [read_export(p, overrides=overrides, remembered=remembered, value_overrides=value_overrides,
                            remembered_values=remembered_values) for p in expand_paths(paths)]
    frames = [r.records.assign(**{s.IMPORT_ID: n}) for n, r in enumerate(readings) if not r.rejected]
    records = pd.concat(frames, ignore_index=True) if frames else empty_records(with_import_id=True)
    dossiers, merged = merge_duplicates(records)
    notices = merge_notices(records, {n: r.name for n, r in enumerate(readings)})
    return LoadedDossiers(dossiers, merged, readings, merge_notices=notices)

