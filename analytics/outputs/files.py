"""Writing a file whole or not at all: a temporary file beside it, flushed to disk, then renamed over it, so a
crash or a full disk mid-write leaves the previous file (or none) instead of a truncated one (review 4.4)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: str | Path, content: bytes) -> Path:
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{path.name}-", suffix=".part", delete=False) as part:
        try:
            part.write(content)
            part.flush()
            os.fsync(part.fileno())
        except BaseException:
            part.close()
            Path(part.name).unlink(missing_ok=True)
            raise
    try:
        os.replace(part.name, path)
    except BaseException:
        Path(part.name).unlink(missing_ok=True)
        raise
    return path
