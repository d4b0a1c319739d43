"""Where a session's figures come from: the files (name, sha256, when imported), sample or real, when and by which
version of the software the output was made."""
from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analytics.dossiers.connection import default_data_dir
from analytics.dossiers.sources import LoadedDossiers
from analytics.ingest.legal_texts import legal_texts_path, read_legal_texts
from analytics.model.legal_bases import LegalText
from analytics.model.session import Provenance, SourceFile

VERSION = "0.3"
SAMPLE_EXPORTS = Path(__file__).resolve().parents[2] / "sample_data" / "exports"


@lru_cache(maxsize=1)
def software_version() -> str:
    """The project's version, with the git commit when the code runs from a checkout."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=Path(__file__).resolve().parent,
                                capture_output=True, text=True, timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{VERSION} ({commit})" if commit else VERSION


def from_files(loaded: LoadedDossiers, is_sample: bool, scope: str = "Tất cả hồ sơ",
               notes: tuple[str, ...] = ()) -> Provenance:
    files = tuple(SourceFile(r.name, r.sha256, None, len(r.records)) for r in loaded.readings if not r.rejected)
    return Provenance(files, is_sample, dt.datetime.now(), software_version(), scope, notes, legal_texts())


def from_store(imports: pd.DataFrame, scope: str = "Tất cả hồ sơ", notes: tuple[str, ...] = ()) -> Provenance:
    files = tuple(SourceFile(row.file_name, row.sha256, row.imported_at.to_pydatetime(), int(row.rows_imported))
                  for row in imports.itertuples())
    return Provenance(files, False, dt.datetime.now(), software_version(), scope, notes, legal_texts())


def legal_texts() -> tuple[LegalText, ...]:
    """The legal texts a report's bases are chosen from: the analyst's corrected table in the data folder when there
    is one, else the shipped one (ingest.legal_texts); rows that cannot be read are left out."""
    texts, _ = read_legal_texts(legal_texts_path(default_data_dir()))
    return tuple(texts)


@lru_cache(maxsize=1)
def _sample_fingerprints() -> frozenset[str]:
    if not SAMPLE_EXPORTS.is_dir():
        return frozenset()
    return frozenset(hashlib.sha256(f.read_bytes()).hexdigest() for f in SAMPLE_EXPORTS.iterdir() if f.is_file())


def is_sample(loaded: LoadedDossiers) -> bool:
    """Whether every file read is one of the sample's exports (then every output must say so)."""
    read = [r.sha256 for r in loaded.readings if not r.rejected]
    return bool(read) and set(read) <= _sample_fingerprints()
