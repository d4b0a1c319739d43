"""The recommendations of an edited report (issue 18, item 5): the team writes them into the DOCX the dashboard made
(section "IV. KIẾN NGHỊ", one "1. Đối với …" heading per body addressed), and the dashboard reads them back.

Under each "Đối với …" heading every paragraph that says something is one recommendation to that body; the lines of
dots left for writing, and empty ones, are not. Reading stops at the next roman-numbered heading or the signature."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx

from analytics.ingest.sniff import reject
from analytics.model import issues as q

_SECTION = re.compile(r"^\s*[IVX]+\.\s*KIẾN NGHỊ\b", re.IGNORECASE)
_NEXT_SECTION = re.compile(r"^\s*[IVX]+\.\s+\S")
_BODY = re.compile(r"^\s*\d+\.\s*Đối với\s+(?P<body>.+?)\s*[:.]?\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\d+\.\d+\.?)\s*")
_FILLER = re.compile(r"^[\s.…_-]*$")
_STOP = ("nơi nhận", "tm. ", "trưởng đoàn", "phụ lục")


def read_recommendations(source: str | Path | bytes, name: str | None = None) -> list[tuple[str, str]]:
    """(body, recommendation) in the order written. Raises FileRejected (Vietnamese) when the file is not a Word
    document or has no "KIẾN NGHỊ" section with a "Đối với …" heading."""
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else bytes(source)
    name = name or (Path(source).name if isinstance(source, (str, Path)) else "báo cáo tải lên")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise reject(q.NOT_A_SPREADSHEET, "Tệp không phải văn bản Word (.docx) đọc được. Hãy lưu báo cáo đã sửa dưới "
                     "dạng .docx rồi tải lên lại.", name) from error
    out: list[tuple[str, str]] = []
    inside, body = False, None
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not inside:
            inside = bool(_SECTION.match(text))
            continue
        if _NEXT_SECTION.match(text) or text.lower().startswith(_STOP):
            break
        heading = _BODY.match(text)
        if heading:
            body = heading.group("body").strip()
            continue
        said = _BULLET.sub("", text).strip()
        if body and said and not _FILLER.match(said):
            out.append((body, said))
    if not inside:
        raise reject(q.NO_HEADER, 'Không thấy mục "KIẾN NGHỊ" trong văn bản. Hãy tải lên báo cáo do chương trình lập '
                     '(mục "IV. KIẾN NGHỊ", mỗi cơ quan một dòng "1. Đối với …") sau khi Đoàn đã ghi kiến nghị.', name)
    return out
