"""An uploaded export's bytes, kept only while a re-import with a corrected mapping is possible (review 4.1): in a
private temporary file (owner-only), never in the browser session's memory, removed when the person closes the
results; files left by sessions that ended without closing are removed after a day."""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

FOLDER = Path(tempfile.gettempdir()) / "onestop-reimport"
KEEP_SECONDS = 24 * 3600


def keep(content: bytes) -> str:
    """Write the bytes to a new owner-only file; its path."""
    FOLDER.mkdir(mode=0o700, exist_ok=True)
    _purge_old()
    handle, path = tempfile.mkstemp(dir=FOLDER, suffix=".upload")  # mode 0600
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    return path


def read(path: str) -> bytes | None:
    """The kept bytes, or None when they are gone (closed, purged, or the server's temporary folder was cleared)."""
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def drop(path: str) -> None:
    Path(path).unlink(missing_ok=True)


def _purge_old() -> None:
    cutoff = time.time() - KEEP_SECONDS
    for old in FOLDER.glob("*.upload"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


def hold(content: bytes, result) -> tuple[str, object]:
    """(where the bytes are kept, the import's result slimmed to what the Dữ liệu screen shows: the first five
    records for the preview, not the whole file's)."""
    if result.reading is not None and len(result.reading.records) > 5:
        result.reading.records = result.reading.records.head(5).copy()
    return keep(content), result
