"""Header text -> canonical field: normalisation, the aliases vendors print, finding the header row.

Headers arrive with or without diacritics, in camelCase (JSON exports), in any case, with line breaks, numbering,
over two rows with merged cells, below title rows. `header_key` reduces any of them to plain lowercase ASCII words;
`ALIASES` lists, per field, the keys vendors print (ordered: the first rule that matches wins).
"""
from __future__ import annotations

import re

from analytics.model import schema as s
from analytics.model.text_keys import plain_key

HEADER_SCAN_ROWS = 40  # the header row is looked for in the first rows of a sheet
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NUMBERING = re.compile(r"^\s*(\(\s*\d+\s*\)|\d+[.)]|[ivxIVX]+[.)])\s*")


def header_key(text) -> str:
    """'Ngày\\n tiếp  NHẬN' -> 'ngay tiep nhan'; 'ngayTiepNhan' -> 'ngay tiep nhan'; '(3) Mã hồ sơ' -> 'ma ho so'."""
    if text is None:
        return ""
    return plain_key(_CAMEL.sub(" ", _NUMBERING.sub("", str(text))))


# Per field, regular expressions matched against the whole header key. Order matters across fields: more specific
# fields (original due date, receiving unit, procedure code) come before the general ones they resemble.
_RULES: list[tuple[str, str]] = [
    (s.ORIGINAL_DUE_DATE, r"(ngay )?(hen tra|han xu ly|han giai quyet|hen tra ket qua)( ket qua)? "
                          r"(ban dau|cu|goc|lan dau)"
                          r"|ngay hen (tra )?(ban dau|cu|goc)|original due date|ngay hen tra truoc gia han"),
    (s.RECEIVING_UNIT, r"(don vi|noi|co quan|bo phan) tiep nhan|ten don vi tiep nhan|receiving unit"),
    (s.PROCEDURE_CODE, r"ma (tthc|thu tuc( hanh chinh)?)|ma so thu tuc|procedure code|ma dich vu cong"),
    (s.PROCEDURE_NAME, r"(ten )?(tthc|thu tuc( hanh chinh)?)|ten dich vu cong|dich vu cong|procedure( name)?"),
    (s.CASE_ID, r"(ma|so|id|ma so) (ho so|bien nhan)|so bien nhan|ma so|ma hs|so hs|case id|ma ho so mot cua"
                r"|(so|ma) phieu( tiep nhan| bien nhan)?"),
    (s.FIELD, r"(ten )?linh vuc( giai quyet)?|field"),
    (s.LEVEL, r"cap( thuc hien| giai quyet| hanh chinh)?|level"),
    (s.UNIT, r"(ten )?(co quan|don vi|phong ban|phong)( chu tri)?( giai quyet| xu ly| thuc hien| chuyen mon)?"
             r"|(ten )?don vi|unit"),
    (s.CHANNEL, r"hinh thuc( nop| tiep nhan| nop ho so)?|kenh( nop| tiep nhan)?|loai tiep nhan"
                r"|nguon( ho so| tiep nhan)?"
                r"|channel"),
    (s.RECEIVED_DATE, r"ngay (tiep nhan|nhan|nop)( ho so)?|thoi (gian|diem) tiep nhan|received date"),
    (s.DUE_DATE, r"(ngay )?(hen tra|han xu ly|han giai quyet)( ket qua)?( (gia han|moi|sau gia han|hien tai))?"
                 r"|ngay hen|han tra( ket qua)?|due date"),
    (s.COMPLETED_DATE, r"ngay (co ket qua|ket thuc( xu ly)?|hoan thanh|xu ly xong|giai quyet xong)"
                       r"|thoi (gian|diem) (co ket qua|hoan thanh|ket thuc xu ly)|completed date"),
    (s.RETURNED_DATE, r"ngay tra( ket qua)?|thoi (gian|diem) tra( ket qua)?|returned date"),
    (s.STATUS, r"(tinh )?trang thai( ho so| xu ly)?|tinh trang( ho so| xu ly| giai quyet)?|status"),
    (s.APOLOGY, r"(thu|phieu|van ban) xin loi|xin loi|apology"),
    (s.STAFF, r"(nguoi|can bo) (tiep nhan|xu ly|thu ly)|can bo( mot cua)?|staff"),
    (s.APPLICANT_NAME, r"chu ho so|(ho )?ten (nguoi nop|chu ho so|cong dan|to chuc ca nhan)|nguoi nop( ho so)?"
                       r"|nguoi dung ten|to chuc ca nhan|applicant( name)?"),
    (s.APPLICANT_PHONE, r"(so )?dien thoai( lien he)?|sdt|phone"),
    (s.APPLICANT_ADDRESS, r"dia chi( lien he| thuong tru)?|address"),
    (s.APPLICANT_ID, r"(so )?(cccd|cmnd|can cuoc( cong dan)?|chung minh nhan dan|dinh danh)( cmnd)?|applicant id"),
]
ALIASES = [(field, re.compile(rf"(?:{pattern})")) for field, pattern in _RULES]

# JSON exports (camelCase keys) map directly; their key, after header_key, is in this table.
_JSON_KEYS = {
    "ma ho so": s.CASE_ID, "ngay tiep nhan": s.RECEIVED_DATE, "ngay hen tra": s.DUE_DATE,
    "ngay ket thuc xu ly": s.COMPLETED_DATE, "ngay tra ket qua": s.RETURNED_DATE, "trang thai ho so": s.STATUS,
    "ten don vi xu ly": s.UNIT, "ma thu tuc": s.PROCEDURE_CODE, "ten thu tuc": s.PROCEDURE_NAME,
    "ten linh vuc": s.FIELD, "hinh thuc nop": s.CHANNEL,
}


def field_for(text) -> str | None:
    """The canonical field a header names, or None."""
    key = header_key(text)
    if not key:
        return None
    if key in _JSON_KEYS:
        return _JSON_KEYS[key]
    for field, pattern in ALIASES:
        if pattern.fullmatch(key):
            return field
    return None


def _cell_text(value) -> str:
    return "" if value is None else str(value).strip()


def header_names(parent_row: list, child_row: list | None, field_for=field_for) -> list[str]:
    """The header text of each column, combining a two-row header with merged parent cells.

    A merged parent ("Thời gian" over "Ngày tiếp nhận", "Ngày hẹn trả") exports its text in its first cell only;
    a child names its column unless it is empty (a parent merged vertically over both rows).
    """
    if child_row is None:
        return [_cell_text(v) for v in parent_row]
    names, current_parent = [], ""
    for parent, child in zip(parent_row, child_row):
        parent, child = _cell_text(parent), _cell_text(child)
        if parent:
            current_parent = parent
        if child:
            names.append(child if field_for(child) or not current_parent else f"{current_parent} {child}")
        else:
            names.append(parent)
    return names


def match_count(row: list, field_for=field_for) -> int:
    return len({f for f in (field_for(v) for v in row) if f})


def find_header(rows: list[list], scan: int = HEADER_SCAN_ROWS, field_for=field_for) -> tuple[int, int] | None:
    """(first header row index, number of header rows: 1 or 2) among the first `scan` rows, or None.

    `field_for` names the field a header text stands for (dossier fields by default; the catalog has its own).

    The header is the row naming the most canonical fields (at least two); the row below joins it when it names
    fields too and the header row has gaps above it (a merged two-row header).
    """
    best, best_count = None, 1
    for i, row in enumerate(rows[:scan]):
        count = match_count(row, field_for)
        if count > best_count:
            best, best_count = i, count
    if best is None:
        return None
    if best + 1 < len(rows):
        below = rows[best + 1]
        fills_gaps = any(_cell_text(b) and not _cell_text(a) for a, b in zip(rows[best], below))
        if fills_gaps and match_count(below, field_for) >= 1:
            return best, 2
    # A parent row above a child row: the child row has more matches but the parent names some columns.
    if best > 0:
        above = rows[best - 1]
        fills_gaps = any(_cell_text(a) and not _cell_text(b) for a, b in zip(above, rows[best]))
        if fills_gaps and match_count(above, field_for) >= 1:
            return best - 1, 2
    return best, 1
