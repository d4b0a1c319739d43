"""The table of legal texts and their dates (model/legal_texts.csv; an analyst's corrected copy, van-ban-phap-ly.csv
in the data folder, wins): read as `LegalText`s. A row that cannot be read is said, never silently dropped."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from analytics.model import issues as q
from analytics.model.legal_bases import KINDS, LegalText

DEFAULT = Path(__file__).resolve().parent.parent / "model" / "legal_texts.csv"
CORRECTED = "van-ban-phap-ly.csv"   # in the data folder: an analyst's copy of the table, corrected


def legal_texts_path(data_dir: Path | None = None) -> Path:
    """The table used: the analyst's corrected copy in the data folder when there is one, else the shipped one."""
    if data_dir is not None and (Path(data_dir) / CORRECTED).is_file():
        return Path(data_dir) / CORRECTED
    return DEFAULT


def read_legal_texts(path: Path | None = None) -> tuple[list[LegalText], list[q.Issue]]:
    """(the texts, the rows that could not be read)."""
    path = path or DEFAULT
    texts, issues = [], []
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    for n, row in enumerate(rows, start=2):
        try:
            kind = (row.get("loai") or "").strip()
            if kind not in KINDS:
                raise ValueError(f'loại "{kind}" không phải một trong {", ".join(KINDS)}')
            texts.append(LegalText(kind, row["so_hieu"].strip(), (row.get("ten") or "").strip(),
                                   _date(row.get("hieu_luc_tu")), _date(row.get("hieu_luc_den"))))
        except (ValueError, KeyError, AttributeError) as error:
            issues.append(q.Issue(q.BAD_LEGAL_TEXT, q.ROW, f"Dòng {n} của bảng văn bản pháp lý không đọc được "
                                  f"({error}). Hãy sửa dòng đó (ngày dạng 2025-07-01).", file=path.name, row=n))
    return texts, issues


def _date(text) -> dt.date | None:
    text = (text or "").strip()
    return dt.date.fromisoformat(text) if text else None
