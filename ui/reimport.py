"""A copy of an uploaded export, kept only while a re-import with a corrected mapping is possible (review 4.1, and
issue 16: security test M3, code review §2.7).

What is kept is not the upload: it is `personal.stripped_export` of it, the same sheets, rows and headers as text,
with every column of personal data emptied (applicants' and staff's names, phones, e-mail, ID numbers, addresses,
birth dates; columns whose values look like those; phone and ID numbers inside other text masked). The reader reads
it the same way, so the Dữ liệu screen re-imports it with the mapping the analyst corrects.

Where: a private folder made for this server process (`tempfile.mkdtemp`, mode 0700, owned by the process's user,
named "onestop-reimport-<pid>-…": never a fixed, shared name another account could create first), each copy an
owner-only file in it.

How long:
- removed when the analyst closes the results or re-imports the file (`drop`);
- removed when the browser session ends: the copy's handle lives in the session's state, and when Streamlit lets the
  session go (the tab closed, then its reconnection grace period; a sign-out that clears the session state), the
  handle is collected and its file deleted (`weakref.finalize`). Streamlit has no hook for a session's end, so this
  follows the session's state; the time limit below catches whatever it misses;
- removed after KEEP_SECONDS (1 hour) in any case: checked at every keep and read, and every CHECK_EVERY_SECONDS
  (5 minutes) by a background thread while the server runs; a copy older than the limit is never read;
- when the server stops cleanly, its folder goes with it; at start (when this module is first imported in a server
  process), folders left by servers that stopped otherwise (their process gone) are removed, files older than the
  limit in any folder of this user too, and the old fixed folder "onestop-reimport" (earlier versions) is emptied.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import stat
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

from analytics.ingest import personal

KEEP_SECONDS = 3600           # a copy lives at most an hour
CHECK_EVERY_SECONDS = 300     # the background purge's period
PREFIX = "onestop-reimport-"  # + the process id + "-" + random
LEGACY = "onestop-reimport"   # the fixed folder of earlier versions

_lock = threading.Lock()
_folder: Path | None = None
_janitor: threading.Thread | None = None


@dataclass(eq=False)
class Kept:
    """A copy kept for a re-import (its file deleted when this handle is collected)."""
    path: Path | None            # None: nothing could be kept (the file cannot be read at all)
    emptied: tuple[str, ...]     # header texts whose values were left out
    looks: dict                  # header text -> personal.Looks, how a column's values look
    # The sha256 of the upload the copy was made from: a re-import of the copy passes it to the store
    # (`import_file(fingerprint=…)`), so it replaces that upload's import in one transaction.
    fingerprint: str | None = None


class UnsafeFolder(RuntimeError):
    """The private folder is not what it must be (another owner, or open to others)."""


def folder() -> Path:
    """This process's private folder, made on first use (the folders of stopped servers purged then)."""
    global _folder, _janitor
    with _lock:
        if _folder is None or not _folder.is_dir():
            purge_left_behind()
            _folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))  # 0700, this user's
            atexit.register(shutil.rmtree, _folder, ignore_errors=True)  # a server that stops cleanly leaves nothing
        check_private(_folder)
        if _janitor is None or not _janitor.is_alive():
            _janitor = threading.Thread(target=_purge_every, name="onestop-reimport-purge", daemon=True)
            _janitor.start()
        return _folder


def check_private(path: Path) -> None:
    """Refuse a folder that is a link, is not this user's, or that anyone else may read, write or enter."""
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise UnsafeFolder(f"Thư mục tạm {path} không phải của riêng chương trình (chủ sở hữu hoặc quyền truy cập "
                           "sai); không giữ bản tạm nào ở đó.")


def keep(content: bytes, name: str, used=(), fingerprint: str | None = None) -> Kept:
    """The export `content` (file `name`) stripped of personal data (`personal.stripped_export`; `used`: its header
    texts read as stored fields), written to a new owner-only file; its handle. `fingerprint`: the sha256 of the
    upload `content` stands for (by default its own)."""
    fingerprint = fingerprint or hashlib.sha256(content).hexdigest()
    stripped = personal.stripped_export(content, name, used, keep_masked=personal.keep_personal())
    if stripped.content is None:
        return Kept(None, tuple(stripped.emptied), stripped.looks, fingerprint)
    where = folder()
    purge_old(where)
    handle, path = tempfile.mkstemp(dir=where, suffix=".xlsx")  # mode 0600
    with os.fdopen(handle, "wb") as out:
        out.write(stripped.content)
    kept = Kept(Path(path), tuple(stripped.emptied), stripped.looks, fingerprint)
    weakref.finalize(kept, _unlink, Path(path))  # the session's state let go of it: the file goes too
    return kept


def read(kept: Kept | str | None) -> bytes | None:
    """The kept copy's bytes, or None when it is gone (closed, purged, past the time limit, or the server's
    temporary folder was cleared)."""
    path = kept.path if isinstance(kept, Kept) else Path(kept) if kept else None
    if path is None:
        return None
    try:
        if time.time() - path.stat().st_mtime > KEEP_SECONDS:
            _unlink(path)
            return None
        return path.read_bytes()
    except OSError:
        return None


def drop(kept: Kept | str | None) -> None:
    path = kept.path if isinstance(kept, Kept) else Path(kept) if kept else None
    if path is not None:
        _unlink(path)


def hold(content: bytes, result, fingerprint: str | None = None) -> tuple[Kept, object]:
    """(the copy of `content` kept for a re-import, the import's result slimmed to what the Dữ liệu screen shows:
    the first five records for the preview, not the whole file's).

    The result also carries, as `values_look_personal`, how the values of each column look (header text ->
    personal.Looks): the mapping editor refuses to map by hand a column that holds phone numbers, e-mail addresses,
    ID numbers or applicants' names (ui/imports.py).

    `fingerprint`: when `content` is itself a copy kept here, re-imported with a corrected mapping, the sha256 of
    the upload it was made from (the store recorded the re-import under it), kept for the next correction."""
    reading = result.reading
    used = {text for sheet in (reading.sheets if reading is not None else []) for text, field in sheet.mapping.items()
            if field not in personal.s.PERSONAL_FIELDS}
    kept = keep(content, reading.name if reading is not None else result.file_name, used, fingerprint)
    result.values_look_personal = kept.looks
    if reading is not None and len(reading.records) > 5:
        reading.records = reading.records.head(5).copy()
    return kept, result


# --- Purging ---------------------------------------------------------------------------------------------------

def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def purge_old(where: Path, limit: float = KEEP_SECONDS) -> int:
    """Remove the files in `where` older than `limit` seconds; how many."""
    cutoff, removed = time.time() - limit, 0
    for old in where.glob("*"):
        try:
            info = old.lstat()
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and info.st_mtime < cutoff:
                old.unlink()
                removed += 1
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def purge_left_behind(base: Path | None = None) -> None:
    """In the temporary folder: remove this user's re-import folders whose server has stopped, the files older
    than the limit in the others, and the files of the old fixed folder."""
    base = Path(base or tempfile.gettempdir())
    for candidate in base.glob(PREFIX + "*"):
        try:
            info = candidate.lstat()
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or candidate == _folder:
                continue
            pid = candidate.name[len(PREFIX):].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(candidate, ignore_errors=True)
            else:
                purge_old(candidate)
        except OSError:
            pass
    legacy = base / LEGACY
    try:
        if stat.S_ISDIR(legacy.lstat().st_mode) and legacy.lstat().st_uid == os.getuid():
            purge_old(legacy, limit=0)
            legacy.rmdir()
    except OSError:
        pass


def _purge_every() -> None:
    while True:
        time.sleep(CHECK_EVERY_SECONDS)
        where = _folder
        if where is not None and where.is_dir():
            purge_old(where)


purge_left_behind()  # at start: what a server that stopped left behind
