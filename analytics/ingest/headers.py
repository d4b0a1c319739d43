"""Header text -> canonical field: normalisation, the aliases vendors print, phrases inside longer wording, finding
the header row.

Headers arrive with or without diacritics, in camelCase (JSON exports), in any case, with line breaks, numbering,
over two rows with merged cells, below title rows. `header_key` reduces any of them to plain lowercase ASCII words.
`_RULES` lists, per field, the wording vendors print; a header that is exactly one of them is read by it
("exact"). A header with longer wording is read by the known phrases found inside it when they all name one field
("phrase"); when they name two fields it is left for the user to map ("ambiguous"). See `header_match`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from analytics.model import schema as s
from analytics.model.text_keys import plain_key

HEADER_SCAN_ROWS = 40  # the header row is looked for in the first rows of a sheet
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NUMBERING = re.compile(r"^\s*(\(\s*\d+\s*\)|\d+[.)]|[ivxIVX]+[.)])\s*")

EXACT, PHRASE, AMBIGUOUS, OVERRIDE, NONE = "exact", "phrase", "ambiguous", "override", "none"


def header_key(text) -> str:
    """'Ngày\\n tiếp  NHẬN' -> 'ngay tiep nhan'; 'ngayTiepNhan' -> 'ngay tiep nhan'; '(3) Mã hồ sơ' -> 'ma ho so'."""
    if text is None:
        return ""
    return plain_key(_CAMEL.sub(" ", _NUMBERING.sub("", str(text))))


# Per field, the wording vendors print, as patterns of words with groups, "|" and "?" only (each pattern stands for
# the finite list of texts it matches). Order matters across fields: more specific fields (original due date,
# receiving unit, procedure code) come before the general ones they resemble; a text listed for two fields belongs
# to the first.
_RULES: list[tuple[str, str]] = [
    (s.ORIGINAL_DUE_DATE, (r"(ngay )?(hen tra|han xu ly|han giai quyet|hen tra ket qua)( ket qua)?( ho so)? "
                           r"(ban dau|cu|goc|lan dau)"
                           r"|ngay hen (tra )?(ban dau|cu|goc)|original due date|ngay hen tra truoc gia han")),
    (s.RECEIVING_UNIT, r"(don vi|noi|co quan|bo phan) tiep nhan|ten don vi tiep nhan|receiving unit"),
    (s.PROCEDURE_CODE, (r"ma (tthc|thu tuc( hanh chinh)?)|ma so thu tuc( hanh chinh)?|procedure code"
                        r"|ma dich vu cong")),
    (s.PROCEDURE_NAME, (r"(ten )?(tthc|thu tuc( hanh chinh)?)|ten dich vu cong|dich vu cong|procedure( name)?"
                        r"|noi dung cong viec( can giai quyet)?|noi dung ho so|noi dung yeu cau( giai quyet)?")),
    (s.CASE_ID, (r"(ma|so|id|ma so) (ho so|bien nhan)|so bien nhan|ma so|ma hs|so hs|case id|ma ho so mot cua"
                 r"|(so|ma) phieu( tiep nhan| bien nhan)?")),
    (s.FIELD, r"(ten )?linh vuc( giai quyet)?|field"),
    (s.LEVEL, r"cap( thuc hien| giai quyet| hanh chinh| tham quyen| chinh quyen)?|level"),
    (s.UNIT, (r"(ten )?(co quan|don vi|phong ban|phong)( chu tri)?( giai quyet| xu ly| thuc hien| chuyen mon)?"
              r"|(ten )?don vi|unit")),
    (s.CHANNEL, (r"hinh thuc( nop| tiep nhan| nop ho so)?|kenh( nop| tiep nhan)?|loai tiep nhan"
                 r"|phuong thuc( nop| tiep nhan| nop ho so)?"
                 r"|nguon( ho so| tiep nhan)?"
                 r"|channel")),
    (s.RECEIVED_DATE, r"ngay (tiep nhan|nhan|nop)( ho so)?|thoi (gian|diem) tiep nhan|received date"),
    (s.DUE_DATE, (r"(ngay )?(hen tra|han xu ly|han giai quyet)( ket qua| ho so)?( (gia han|moi|sau gia han|hien tai))?"
                  r"|ngay hen|han tra( ket qua)?|due date")),
    (s.COMPLETED_DATE, (r"ngay (co ket qua|ket thuc( xu ly)?|hoan thanh|xu ly xong|giai quyet xong)"
                        r"|ngay ky( ho so| duyet| ket qua)?"
                        r"|thoi (gian|diem) (co ket qua|hoan thanh|ket thuc xu ly)|completed date")),
    (s.RETURNED_DATE, (r"ngay tra( ket qua| ho so)?( thuc te)?|ngay nhan ket qua( thuc te)?"
                       r"|thoi (gian|diem) tra( ket qua)?"
                       r"|returned date")),
    (s.STATUS, r"(tinh )?trang thai( ho so| xu ly)?|tinh trang( ho so| xu ly| giai quyet)?|status"),
    (s.APOLOGY_DATE, r"ngay (ban hanh |gui |ky |lap |phat hanh )?(thu |phieu |van ban )?xin loi|apology date"),
    (s.APOLOGY, r"(thu|phieu|van ban) xin loi|xin loi|apology"),
    (s.EXTENSIONS, (r"so lan (gia han|hen lai|xin loi|hen tra|dieu chinh (ngay )?hen tra|thay doi (ngay )?hen tra)"
                    r"|lan gia han|extensions")),
    (s.EARLIER_DUE_DATES, (r"(cac )?ngay hen tra (truoc|truoc do|da hen|cac lan truoc)|lich su (hen tra|gia han)"
                           r"|cac (lan|ngay) hen( tra)?( truoc)?|earlier due dates")),
    (s.ONLINE_LEVEL_COLUMN, (r"muc do( (dvc|dich vu cong|dich vu cong truc tuyen|dvctt|truc tuyen))?"
                             r"|loai (dvc|dich vu cong)( truc tuyen)?|dvc (toan trinh|mot phan)|online level")),
    (s.RATING, (r"(muc do |ket qua |y kien )?danh gia( (su |muc do )?hai long)?"
                r"( cua (nguoi dan|cong dan|to chuc ca nhan|nguoi nop))?"
                r"|muc do hai long|hai long|rating|satisfaction")),
    # Personal data (Nghị định 13/2023/NĐ-CP): never stored, never mapped by hand to a stored field. The staff's
    # names first ("Họ tên cán bộ tiếp nhận" is staff, not an applicant); "Nơi tiếp nhận", "Đơn vị tiếp nhận" are the
    # receiving unit (above), not personal.
    (s.STAFF, (r"(ho (va )?ten )?(nguoi|can bo) (tiep nhan|xu ly|thu ly)|(ho (va )?ten )?can bo( mot cua)?"
               r"|staff")),
    (s.APPLICANT_NAME, (r"chu ho so|(ho (va )?)?ten (nguoi nop|chu ho so|cong dan|to chuc ca nhan|nguoi de nghi"
                        r"|nguoi yeu cau|nguoi dai dien|khach hang)|nguoi nop( ho so)?"
                        r"|ho (va )?ten( (nguoi nop|chu ho so|cong dan|nguoi de nghi|nguoi yeu cau|to chuc ca nhan"
                        r"|nguoi dai dien|khach hang))?"
                        r"|nguoi (de nghi|yeu cau)( giai quyet)?|nguoi dai dien( theo phap luat)?|nguoi nhan ket qua"
                        r"|nguoi dung ten|to chuc ca nhan|cong dan|khach hang|applicant( name)?|full name")),
    (s.APPLICANT_PHONE, (r"(so )?dien thoai( lien he| di dong| nguoi nop)?|(so )?di dong|sdt|(so )?dt( lien he)?"
                         r"|phone( number)?|mobile"
                         r"|(dia chi )?(email|e mail|thu dien tu)( lien he| nguoi nop)?")),
    (s.APPLICANT_ADDRESS, (r"dia chi( lien he| thuong tru| tam tru| cu tru| nguoi nop| cong dan)?"
                           r"|noi (cu tru|thuong tru|tam tru|o hien nay|o)|cho o( hien nay| hien tai)?|que quan"
                           r"|address")),
    (s.APPLICANT_ID, (r"(so )?(cccd|cmnd|can cuoc( cong dan)?|chung minh nhan dan|dinh danh( ca nhan)?|ho chieu)"
                      r"( cmnd| cccd)?|ma (so )?dinh danh ca nhan|so giay to( tuy than)?|giay to tuy than"
                      r"|ngay (thang nam )?sinh( nguoi nop| chu ho so| cong dan| nguoi de nghi| nguoi yeu cau)?"
                      r"|nam sinh|passport( number)?|date of birth|birth date|applicant id")),
]

# Wording that names something else than a dossier field: a phrase of a field inside it does not count ("Hình thức
# nhận kết quả" is how the result is delivered, not the submission channel; "Thời hạn giải quyết" is a number of
# days, not a due date).
_NOT_A_FIELD = ("(hinh thuc|phuong thuc|kenh|noi|dia diem) (nhan|tra)( ket qua| kq)"
                "|thoi han (giai quyet|xu ly)|so ngay( giai quyet| xu ly| tre han| qua han)?"
                "|ngay cap nhat|ngay tao|ngay sua")
IGNORED = ""  # the "field" of _NOT_A_FIELD wording

# JSON exports (camelCase keys) map directly; their key, after header_key, is in this table.
_JSON_KEYS = {
    "ma ho so": s.CASE_ID, "ngay tiep nhan": s.RECEIVED_DATE, "ngay hen tra": s.DUE_DATE,
    "ngay ket thuc xu ly": s.COMPLETED_DATE, "ngay tra ket qua": s.RETURNED_DATE, "trang thai ho so": s.STATUS,
    "ten don vi xu ly": s.UNIT, "ma thu tuc": s.PROCEDURE_CODE, "ten thu tuc": s.PROCEDURE_NAME,
    "ten linh vuc": s.FIELD, "hinh thuc nop": s.CHANNEL,
}


def expand(pattern: str) -> list[str]:
    """Every text a pattern of words, groups "( )", alternatives "|" and optional groups "( )?" stands for."""
    if re.search(r"[\\.*+\[\]{}^$]", pattern):
        raise ValueError(f"only words, groups, | and ? may be used: {pattern!r}")
    pos = 0

    def alternatives() -> list[str]:
        nonlocal pos
        options, current = [], [""]
        while pos < len(pattern) and pattern[pos] != ")":
            ch = pattern[pos]
            if ch == "|":
                options += current
                current = [""]
                pos += 1
            elif ch == "(":
                pos += 3 if pattern.startswith("(?:", pos) else 1
                inner = alternatives()
                pos += 1
                if pos < len(pattern) and pattern[pos] == "?":
                    inner, pos = inner + [""], pos + 1
                current = [c + i for c in current for i in inner]
            else:
                current = [c + ch for c in current]
                pos += 1
        return options + current

    texts = alternatives()
    return list(dict.fromkeys(" ".join(t.split()) for t in texts if t.strip()))


def _phrase_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for field, pattern in _RULES:
        for text in expand(pattern):
            table.setdefault(text, field)
    for key, field in _JSON_KEYS.items():
        table.setdefault(key, field)
    return table


KNOWN = _phrase_table()                                  # exact wording -> field
_IGNORED = {text: IGNORED for text in expand(_NOT_A_FIELD)}
# Inside longer wording, a one-word phrase ("cấp", "kênh", "phòng") counts only as the header's first word; these
# count only as the whole header: too common inside other wording.
_EXACT_ONLY = {"ma so", "id", "field", "unit", "level", "status", "staff", "phone", "address", "channel",
               "procedure", "applicant", "mobile", "dt", "cong dan", "khach hang", "muc do", "danh gia",
               "hai long"}
_DATE_START = ("ngay", "thoi gian", "thoi diem", "date")
_DATED = (*s.DATE_FIELDS, s.EARLIER_DUE_DATES)  # what a header starting with "Ngày" may name
_PROCEDURE = (s.PROCEDURE_NAME, s.PROCEDURE_CODE)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    phrase: str
    target: object


def find_phrases(key: str, table: dict, max_words: int, single_word_first_only: bool = False,
                 negations: tuple[str, ...] = ()) -> list[Hit]:
    """The known phrases found in `key` (a plain key), each a run of whole words, without those found only inside a
    longer phrase found ("không được tiếp nhận" hides "được tiếp nhận") and, with `negations`, without those right
    after a negation ("chưa trả kết quả" is not "trả kết quả")."""
    words = key.split()
    hits = []
    for i in range(len(words)):
        for n in range(1, min(max_words, len(words) - i) + 1):
            phrase = " ".join(words[i:i + n])
            if phrase in table and not (single_word_first_only and n == 1 and i > 0):
                hits.append(Hit(i, i + n, phrase, table[phrase]))
    kept = [h for h in hits
            if not any(o.start <= h.start and h.end <= o.end and o.end - o.start > h.end - h.start for o in hits)]
    if negations:
        kept = [h for h in kept if h.start == 0 or words[h.start - 1] not in negations]
    return kept


_PHRASES = {**{k: f for k, f in KNOWN.items() if k not in _EXACT_ONLY}, **_IGNORED}
_MAX_WORDS = max(len(k.split()) for k in _PHRASES)


@dataclass(frozen=True)
class HeaderMatch:
    field: str | None           # the field the header is read as (None: not a field, or ambiguous)
    how: str                    # EXACT, PHRASE, AMBIGUOUS or NONE
    phrases: tuple[str, ...] = ()     # the phrases that decided, for PHRASE
    candidates: tuple[str, ...] = ()  # the fields named, for AMBIGUOUS


_NO_MATCH = HeaderMatch(None, NONE)


@lru_cache(maxsize=8192)
def match_key(key: str) -> HeaderMatch:
    """How a header key is read: exact wording, phrases inside longer wording, ambiguous, or not at all.

    Inside longer wording: a header starting with "Ngày"/"Thời gian" names a date, so only date fields count; a
    procedure phrase after another field's phrase says what that field is about ("Lĩnh vực thủ tục", "Cấp thực hiện
    TTHC") and does not count.
    """
    if not key:
        return _NO_MATCH
    if key in KNOWN:
        return HeaderMatch(KNOWN[key], EXACT, (key,))
    if key in _IGNORED:
        return _NO_MATCH
    hits = find_phrases(key, _PHRASES, _MAX_WORDS, single_word_first_only=True)
    if key.startswith(_DATE_START):
        hits = [h for h in hits if h.target in _DATED or h.target == IGNORED]
    first_other = min((h.start for h in hits if h.target not in _PROCEDURE and h.target != IGNORED), default=None)
    if first_other is not None:
        hits = [h for h in hits if h.target not in _PROCEDURE or h.start < first_other]
    fields = list(dict.fromkeys(h.target for h in hits if h.target != IGNORED))
    if len(fields) == 1:
        return HeaderMatch(fields[0], PHRASE, tuple(h.phrase for h in hits if h.target == fields[0]))
    if len(fields) > 1:
        return HeaderMatch(None, AMBIGUOUS, tuple(h.phrase for h in hits if h.target != IGNORED), tuple(fields))
    return _NO_MATCH


def header_match(text) -> HeaderMatch:
    return match_key(header_key(text))


def field_for(text) -> str | None:
    """The canonical field a header names (exactly or by a phrase inside it), or None."""
    return header_match(text).field


def is_personal(text) -> bool:
    """Whether a header names personal data (schema.PERSONAL_FIELDS): such a column is dropped at import and cannot be
    mapped by hand to another field."""
    return field_for(text) in s.PERSONAL_FIELDS


# When two columns name the same field, the one naming it best is used: "Ngày tiếp nhận" before "Ngày nhận" before
# "Ngày nộp" for the received date; a channel column naming the submission ("Hình thức nộp", "Kênh tiếp nhận")
# before one that does not. Then exact wording before a phrase, then the first column.
_PREFERRED_WORDS = {s.RECEIVED_DATE: (("tiep nhan", 2), ("nhan", 1)),
                    s.CHANNEL: (("nop", 1), ("tiep nhan", 1))}


def preference(field: str, key: str) -> int:
    padded = f" {key} "
    return max((rank for words, rank in _PREFERRED_WORDS.get(field, ()) if f" {words} " in padded), default=0)


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
