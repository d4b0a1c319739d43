"""Reading a reported table (issue 10): the aggregate table a body files (Biểu 06 or a vendor's "báo cáo kết quả giải
quyết TTHC"), one row per unit, field or level, as a `ReportedTable`.

The table is found, not assumed. In every sheet (`sheets.load_tables`), each run of one to three header rows followed
by figures is read; the one naming the most keys wins. A header of several rows joins each column's merged parents to
its own text ("Số hồ sơ đã giải quyết › Tình trạng thực hiện › Trước hạn"); title and headline cells above it, and a
column-number row under it (`A`, `B`, `1` … or `(1)` …), are left out of it.

A column's meaning comes from two things said in its header, wherever they are in its path: the group ("nhận giải
quyết", "đã giải quyết", "đang giải quyết", "trả kết quả") and the part ("tổng số", "trực tuyến", "từ kỳ trước",
"trước hạn", "quá hạn" …). The nearest group counts ("Quá hạn" under "đang giải quyết" is pending_overdue, under "đã
giải quyết" resolved_late). Some parts say their group themselves ("Trước hạn", "Trễ hẹn" resolved; "Chưa đến hạn"
pending; "Trực tuyến", "Nhận trong kỳ" received). A column whose header says no group, in a one-row header, takes the
group of the columns it stands with: a bare "Tổng" opens a group, and the group is the one its columns name. A bare
total standing first, before any group, is the total received (3). What is read by a phrase inside longer wording, by
its neighbours or by its place gets a notice; a column with no known meaning is kept under its own header text, never
guessed; the user's `overrides` win.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics.ingest import headers as h
from analytics.ingest.sheets import load_tables, source_bytes
from analytics.ingest.sniff import reject
from analytics.ingest.values import masked_issue
from analytics.model import issues as q
from analytics.model import reported as r
from analytics.model import schema as s
from analytics.model.text_keys import plain_key

SCAN_ROWS = 60            # the header is looked for in the first rows of each sheet
MAX_HEADER_ROWS = 3
SEPARATOR = " › "         # between a column's parents and its own header text
KNOWN_KEYS = r.BIEU06_KEYS + r.OTHER_KEYS

# --- The vocabulary: groups and parts of a column's header -----------------------------------------------------

RECEIVED, RESOLVED, PENDING, RETURN = "received", "resolved", "pending", "return"
FAMILY_LABELS = {RECEIVED: "số hồ sơ nhận giải quyết", RESOLVED: "số hồ sơ đã giải quyết",
                 PENDING: "số hồ sơ đang giải quyết", RETURN: "trả kết quả"}
(TOTAL, ONLINE, DIRECT, CARRIED, IN_PERIOD, EARLY, ON_TIME, IN_TIME, LATE, RATE) = (
    "total", "online", "direct", "carried", "in_period", "early", "on_time", "in_time", "late", "rate")
# Parts that name a key whatever group they stand in.
STANDALONE = {"returned": r.RETURNED, "not_returned": r.NOT_RETURNED, "late_by_unit": r.LATE_BY_UNIT,
              "late_outside_unit": r.LATE_OUTSIDE_UNIT, "supplements": r.WAITING_SUPPLEMENTS,
              "cancelled": r.CANCELLED, "not_resolved": r.NOT_RESOLVED, "withdrawn": "withdrawn"}
# (group, part) -> key. A part with no key in its group ("Kỳ trước" under "đã giải quyết") is kept as is.
_KEYS = {(RECEIVED, TOTAL): "received_total", (RECEIVED, ONLINE): "received_online",
         (RECEIVED, DIRECT): "received_direct_postal", (RECEIVED, CARRIED): "carried_over",
         (RECEIVED, IN_PERIOD): r.RECEIVED_IN_PERIOD,
         (RESOLVED, TOTAL): "resolved_total", (RESOLVED, EARLY): "resolved_early",
         (RESOLVED, ON_TIME): "resolved_on_time", (RESOLVED, IN_TIME): r.RESOLVED_ON_TIME_OR_EARLY,
         (RESOLVED, LATE): "resolved_late",
         (PENDING, TOTAL): "pending_total", (PENDING, IN_TIME): "pending_in_time", (PENDING, LATE): "pending_overdue"}
_FAMILY_OF_KEY = {key: family for (family, _), key in _KEYS.items()}
_FAMILY_TOTAL = {RECEIVED: "received_total", RESOLVED: "resolved_total", PENDING: "pending_total"}

# Patterns of words as in headers._RULES (expanded by `headers.expand`): the group names ...
_FAMILY_RULES = [
    (RECEIVED, "(so )?(ho so )?(nhan|tiep nhan)( giai quyet| xu ly)?|da tiep nhan"),
    (RESOLVED, "(so )?(ho so )?(da (giai quyet|xu ly|hoan thanh)( xong)?|(giai quyet|xu ly) xong)|da co ket qua"),
    (PENDING, "(so )?(ho so )?(dang|chua) (giai quyet|xu ly|thu ly)( xong)?|ton dong"),
    (RETURN, "tra ket qua"),
]
# ... and the parts: (part, pattern, the group the words say themselves, whether they say it firmly). "Trong hạn"
# says "pending" only where nothing else does ("đã giải quyết: trong hạn / quá hạn" is resolved in time).
STRONG, WEAK = "strong", "weak"
_OUTSIDE_UNIT = "(qua|tre) han (do )?ngoai (don vi|co quan)|(do )?ngoai (don vi|co quan)|do (don vi|co quan) khac"
_PART_RULES = [
    (TOTAL, "tong( so| cong)?|cong", None, None),
    (ONLINE, "(nhan |nop )?(truc tuyen|qua mang|online)|dich vu cong truc tuyen", RECEIVED, STRONG),
    (DIRECT, "(nhan |nop )?truc tiep|(qua )?(dich vu )?buu chinh( cong ich)?|bcci", RECEIVED, STRONG),
    (CARRIED, "(so |tu |ton |chuyen tu |con ton )?ky truoc( chuyen sang| chuyen qua)?", None, None),
    (IN_PERIOD, "(nhan|tiep nhan|so nhan)( moi)? trong ky|moi (tiep nhan|nhan)|(tiep nhan|nhan) moi", RECEIVED,
     STRONG),
    (IN_PERIOD, "trong ky", None, None),
    (EARLY, "(tra |giai quyet )?(truoc|som) (han|hen)", RESOLVED, STRONG),
    (ON_TIME, "(tra |giai quyet )?dung (han|hen)|dung thoi han", RESOLVED, STRONG),
    (IN_TIME, "chua (den|toi|qua) han|con han", PENDING, STRONG),
    (IN_TIME, "trong han", PENDING, WEAK),
    (LATE, "(tra|giai quyet) (qua|tre) (han|hen)|tre (han|hen)", RESOLVED, STRONG),
    (LATE, "qua (han|hen)", None, None),
    ("returned", "da tra( ket qua)?", RETURN, STRONG),
    ("not_returned", "chua tra( ket qua)?", RETURN, STRONG),
    ("late_by_unit", "(qua|tre) han do (loi )?(cua )?(don vi|co quan)|do (loi )?(cua )?don vi", None, None),
    ("late_outside_unit", _OUTSIDE_UNIT, None, None),
    ("supplements", "(ho so )?(yeu cau|cho) bo sung( ho so| giay to)?|bo sung ho so", None, None),
    ("cancelled", "(ho so )?(bi |da )?huy( bo)?|huy ho so", None, None),
    ("not_resolved", "(ho so )?(khong|tu choi) giai quyet|khong du dieu kien( giai quyet)?", None, None),
    ("withdrawn", "(ho so )?(rut|rut ho so|dung xu ly|rut dung xu ly|dung giai quyet)|cong dan rut ho so", None,
     None),
    (RATE, "(ti|ty) le( phan tram)?|phan tram", None, None),
]
_FIRST_WORD_ONLY = {"tong", "cong", "nhan"}   # inside longer wording these count only as its first word


def _phrase_table() -> dict[str, tuple]:
    table: dict[str, tuple] = {}
    for family, pattern in _FAMILY_RULES:
        for text in h.expand(pattern):
            table.setdefault(text, ("family", family, None, None))
    for part, pattern, says, how in _PART_RULES:
        for text in h.expand(pattern):
            table.setdefault(text, ("part", part, says, how))
    return table


_PHRASES = _phrase_table()
_MAX_WORDS = max(len(k.split()) for k in _PHRASES)
_TRAILING_NUMBERS = re.compile(r"( \d+)+$")     # "Tổng số (3)" / "(3)=(4)+(5)+(6)" after the wording

# The row-label column and the STT column.
_LABEL_FIELDS = {s.UNIT, s.FIELD, s.LEVEL, s.RECEIVING_UNIT}
_LABEL_WORDS = set(h.expand("(ten )?(so nganh|so ban nganh|dia phuong|co quan|don vi|linh vuc|cap|chi tieu|noi dung"
                            "|huyen|xa|phuong|dia ban)|ten"))
_STT_WORDS = {"stt", "tt", "so tt", "so thu tu"}
# A total row's name: "Tổng", "Tổng cộng", "Cộng", "Toàn tỉnh", "Tổng cộng (I+II)" …; never "Tổng cục Thuế" or
# "Công an tỉnh".
_TOTAL_NAME = re.compile(r"((tong|cong)( cong| so| chung| hop)?( toan (tinh|huyen|thanh pho|thi xa|xa|so|nganh))?"
                         r"|toan (tinh|huyen|thanh pho|thi xa|quoc|nganh))( [ivx0-9]+)*")


def header_text_key(text) -> str:
    """A header's wording as compared: plain words, without numbering before it or column numbers after it."""
    return _TRAILING_NUMBERS.sub("", h.header_key(text))


def is_total_name(name) -> bool:
    return bool(_TOTAL_NAME.fullmatch(plain_key(name)))


# --- Numbers -----------------------------------------------------------------------------------------------------

_VN_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?")   # 1.365 / 9.462,5
_EN_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?")   # 1,365 / 9,462.5
_PLAIN = re.compile(r"[+-]?(\d+([.,]\d+)?|[.,]\d+)")               # 1365 / 95,2 / 0.76
_BLANK = {"", "-", "–", "—", "x"}


def parse_number(text) -> float | None:
    """A figure as written: '1.365' -> 1365, '95,2' -> 95.2, '0.76' -> 0.76, '1,365' -> 1365, '100%' -> 100;
    None for a blank (or a dash); ValueError when it is not a number."""
    if text is None:
        return None
    t = str(text).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if t.lower() in _BLANK:
        return None
    if _VN_GROUPED.fullmatch(t):
        return float(t.replace(".", "").replace(",", "."))
    if _EN_GROUPED.fullmatch(t):
        return float(t.replace(",", ""))
    if _PLAIN.fullmatch(t):
        return float(t.replace(",", "."))
    raise ValueError(text)


def _is_number(text) -> bool:
    try:
        return parse_number(text) is not None
    except ValueError:
        return False


_CODE_CELL = re.compile(r"\(?\s*([A-Za-z]|\d{1,3})\s*\)?")


def is_column_number_row(row: list) -> bool:
    """'A | B | 1 | 2 | …' or '(1) | (2) | …': every cell a letter or a number, the numbers counting up by one."""
    cells = [c for c in row if c]
    if len(cells) < 3 or not all(_CODE_CELL.fullmatch(c) for c in cells):
        return False
    numbers = [int(m.group(1)) for c in cells if (m := _CODE_CELL.fullmatch(c)).group(1).isdigit()]
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


# --- A column's header read ---------------------------------------------------------------------------------------

BY_WORDS, BY_GROUP, BY_PLACE, BY_OVERRIDE = "words", "group", "place", "override"


@dataclass
class _Column:
    index: int
    path: list[str]
    family: str | None = None
    family_by: str = ""              # "path", "part" (the part's own words), BY_GROUP, BY_PLACE
    weak_family: str | None = None
    part: str | None = None          # None with a family: the group's header alone ("Đã xử lý") = its total
    ambiguous: tuple[str, ...] = ()
    inside_longer: tuple[str, ...] = ()  # the phrases read inside longer wording
    starter: _Column | None = None   # the column opening the group it was read with (BY_GROUP)
    key: str | None = None           # a known key, REPORTED_RATE, or None: kept as is
    read_by: str = BY_WORDS
    name: str = ""

    @property
    def labelled(self) -> bool:
        return bool(self.path)

    @property
    def count_like(self) -> bool:
        return self.part is not None or self.family is not None


def _hits(text: str) -> tuple[str, list]:
    key = header_text_key(text)
    found = h.find_phrases(key, _PHRASES, _MAX_WORDS)
    return key, [x for x in found if not (x.end - x.start == 1 and x.start > 0 and x.phrase in _FIRST_WORD_ONLY)]


def _covers(key: str, hits: list) -> bool:
    words = set(range(len(key.split())))
    return words <= {i for x in hits for i in range(x.start, x.end)}


def _read_path(column: _Column) -> None:
    """The group and the part its header path says, the nearest (lowest) header row first."""
    part_hits = family_hits = None
    for text in reversed(column.path):
        key, hits = _hits(text)
        parts = [x for x in hits if x.target[0] == "part"]
        families = [x for x in hits if x.target[0] == "family"]
        raw_rate = "%" in text
        if part_hits is None and (parts or raw_rate):
            part_hits = (key, hits, parts, raw_rate)
        if family_hits is None and families:
            family_hits = (key, hits, families)
    longer = []
    if part_hits:
        key, hits, parts, raw_rate = part_hits
        values = {x.target[1] for x in parts}
        if RATE in values or raw_rate:
            values = {RATE}
        if values - {TOTAL, IN_PERIOD}:
            values -= {TOTAL, IN_PERIOD}
        if {EARLY, ON_TIME} <= values:
            values = (values - {EARLY, ON_TIME}) | {IN_TIME}
        if len(values) == 1:
            column.part = values.pop()
            said = [x.target for x in parts if x.target[1] == column.part]
            strong = {t[2] for t in said if t[3] == STRONG}
            weak = {t[2] for t in said if t[3] == WEAK}
            if len(strong) == 1:
                column.family, column.family_by = strong.pop(), "part"
            elif len(weak) == 1:
                column.weak_family = weak.pop()
        elif values:
            column.ambiguous = tuple(sorted(values))
        if not _covers(key, hits) and column.part:
            longer += [x.phrase for x in parts]
    if family_hits:
        key, hits, families = family_hits
        named = {x.target[1] for x in families}
        if len(named) == 1:
            column.family, column.family_by = named.pop(), "path"
            if not _covers(key, hits):
                longer += [x.phrase for x in families]
    column.inside_longer = tuple(dict.fromkeys(longer))


def _is_starter(column: _Column) -> bool:
    return column.part == TOTAL or (column.part is None and column.family is not None and not column.ambiguous)


def _infer_groups(columns: list[_Column]) -> None:
    """Columns whose header names no group take the group of the columns they stand with (one-row headers)."""
    groups: list[list[_Column]] = []
    for column in columns:
        if _is_starter(column) or not groups:
            groups.append([column])
        else:
            groups[-1].append(column)
    for group in groups:
        head = group[0] if _is_starter(group[0]) else None
        family = head.family if head is not None else None
        if family is None:
            voters = [c for c in group if c.family and c.family != RETURN and c.part not in STANDALONE]
            named = {c.family for c in voters}
            weak = {c.weak_family for c in group if c.weak_family}
            family = named.pop() if len(named) == 1 else weak.pop() if not named and len(weak) == 1 else None
        if family is None:
            continue
        for column in group:
            if column.family is None and column.count_like and column.part not in STANDALONE and column.part != RATE:
                column.family, column.family_by, column.starter = family, BY_GROUP, head
    first = next((c for c in columns if c.count_like), None)
    if first is not None and first.part == TOTAL and first.family is None:
        first.family, first.family_by = RECEIVED, BY_PLACE


def _key(column: _Column, early_in: set[str]) -> str | None:
    if column.ambiguous:
        return None
    if column.part in STANDALONE:
        return STANDALONE[column.part]
    if column.part == RATE:
        return r.REPORTED_RATE
    if column.family is None:
        return None
    part = column.part or TOTAL
    if part == ON_TIME and column.family == RESOLVED and RESOLVED not in early_in:
        part = IN_TIME   # "Đúng hẹn" where the table has no early column: early and on time together
    return _KEYS.get((column.family, part))


def _letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


# --- A plan: what each count column of a header means --------------------------------------------------------------

@dataclass
class _Plan:
    columns: list[_Column]
    rates: dict[str, list[str]] = field(default_factory=dict)
    notes: list[tuple[str, str, str, str]] = field(default_factory=list)   # (code, column, value, message)

    @property
    def keys(self) -> set[str]:
        return {c.key for c in self.columns if c.key in KNOWN_KEYS}

    def by_key(self) -> dict[str, _Column]:
        return {c.key: c for c in self.columns if c.key}


_PRIORITY = {BY_OVERRIDE: 0, BY_WORDS: 1, BY_GROUP: 2, BY_PLACE: 3}


def _plan(paths: dict[int, list[str]], overrides: dict[str, str]) -> _Plan:
    columns = [_Column(i, [p for n, p in enumerate(path) if n == 0 or p != path[n - 1]])
               for i, path in sorted(paths.items())]
    for column in columns:
        _read_path(column)
    _infer_groups(columns)
    _name(columns)
    early_in = {c.family for c in columns if c.part == EARLY}
    for column in columns:
        column.key = _key(column, early_in)
        column.read_by = column.family_by if column.family_by in (BY_GROUP, BY_PLACE) else BY_WORDS
    plan = _Plan(columns)
    _apply_overrides(plan, overrides)
    _settle_duplicates(plan)
    _link_rates(plan)
    return plan


def _name(columns: list[_Column]) -> None:
    for column in columns:
        column.name = SEPARATOR.join(column.path) or f"Cột {_letter(column.index)} (không có tiêu đề)"
    seen: dict[str, int] = {}
    for column in columns:
        seen[column.name] = seen.get(column.name, 0) + 1
    for column in columns:
        if seen[column.name] > 1:
            column.name = f"{column.name} (cột {_letter(column.index)})"


def _apply_overrides(plan: _Plan, overrides: dict[str, str]) -> None:
    """The user's reading of a header (its full text, its text with the parents, or its own last line) wins."""
    for text, key in overrides.items():
        key = (key or "").strip()
        if key and key not in KNOWN_KEYS and key != r.REPORTED_RATE:
            message = (f'Ánh xạ cột "{text}={key}" không dùng được: "{key}" không phải khóa nào của bảng báo cáo '
                       f"({', '.join(KNOWN_KEYS)}, {r.REPORTED_RATE}). Hãy sửa lại ánh xạ, hoặc để trống sau dấu "
                       '"=" để giữ nguyên cột.')
            plan.notes.append((q.BAD_MAPPING, text, key, message))
            continue
        wanted = header_text_key(text)
        matched = []
        for view in (lambda c: c.name, lambda c: SEPARATOR.join(c.path), lambda c: c.path[-1] if c.path else ""):
            matched = [c for c in plan.columns if header_text_key(view(c)) == wanted and wanted]
            if matched:
                break
        if len(matched) != 1:
            names = ", ".join(f'"{c.name}"' for c in matched)
            why = (f"khớp với nhiều cột ({names}); hãy dùng tên đầy đủ của một cột" if matched else
                   "không khớp với cột nào của bảng; hãy chép đúng tên cột như trong danh sách cột đọc được")
            plan.notes.append((q.BAD_MAPPING, text, key, f'Ánh xạ cột "{text}={key}" {why}.'))
            continue
        column = matched[0]
        column.key, column.read_by = (key or None), BY_OVERRIDE
        if key == r.REPORTED_RATE:
            column.part = RATE


def _settle_duplicates(plan: _Plan) -> None:
    """Two columns read as one key: the one read best keeps it (the user's, then by its own words, then by its
    group, then by its place; then the first); the other is kept as is, with a notice."""
    holders: dict[str, _Column] = {}
    for column in sorted(plan.columns, key=lambda c: (_PRIORITY[c.read_by], c.index)):
        if not column.key or column.key == r.REPORTED_RATE:
            continue
        if column.key in holders:
            used = holders[column.key]
            message = (f'Cột "{column.name}" cũng có thể đọc là {_KEY_LABELS[column.key]} ({column.key}) như cột '
                       f'"{used.name}", nên được giữ nguyên, không dùng để đối chiếu. Nếu cột này mới đúng, hãy chỉ '
                       f'định bằng ánh xạ cột ("{column.name}={column.key}").')
            plan.notes.append((q.DUPLICATE_COLUMN, column.name, column.key, message))
            column.key = None
        else:
            holders[column.key] = column


def _link_rates(plan: _Plan) -> None:
    """Each percentage column -> [the count column just before it, the total of that column's group]."""
    by_key = plan.by_key()
    previous = None
    for column in plan.columns:
        if column.key == r.REPORTED_RATE:
            denominator = ""
            if previous is not None:
                family = (column.family if column.family_by == "path" else None) or \
                    _FAMILY_OF_KEY.get(previous.key) or previous.family
                total = by_key.get(_FAMILY_TOTAL.get(family, ""))
                if total is previous:   # a group's total as a share of what was received
                    total = by_key.get("received_total")
                if total is not None and total is not previous:
                    denominator = total.name
            plan.rates[column.name] = [previous.name if previous is not None else "", denominator]
        elif column.labelled or column.key:
            previous = column


def _column_name(column: _Column) -> str:
    """The column's name in `rows`: its key, or its header text when kept or a rate."""
    return column.key if column.key in KNOWN_KEYS else column.name


# --- Finding the header ---------------------------------------------------------------------------------------------

def _cells(frame: pd.DataFrame) -> list[list[str | None]]:
    out = []
    for row in frame.itertuples(index=False, name=None):
        out.append([None if x is None or (not isinstance(x, str) and pd.isna(x)) or not str(x).strip()
                    else str(x).strip() for x in row])
    return out


def _numbers_in(row: list) -> int:
    return sum(_is_number(c) for c in row if c)


def _can_be_header_row(row: list) -> bool:
    filled = [c for c in row if c]
    return len(filled) >= 2 and not is_column_number_row(row) and _numbers_in(row) < max(2, len(filled) // 2)


def header_paths(rows: list[list], top: int, depth: int, width: int) -> dict[int, list[str]]:
    """Each column's header texts from the top header row down. A merged parent exports its text in its first cell
    only: it stands over the columns to its right that are empty in its row, have a header below, and sit under
    the same parent one row up; a cell with nothing under it (merged down over the rows below) stands over itself
    only."""
    block = [(rows[top + n] + [None] * width)[:width] for n in range(depth)]
    owner: list[list[tuple[int, int] | None]] = [[None] * width for _ in range(depth)]
    for level in range(depth):
        last = None
        for j in range(width):
            below = any(block[n][j] for n in range(level + 1, depth))
            if block[level][j]:
                owner[level][j] = (level, j)
                last = j if below else None
            elif last is not None and below and (level == 0 or owner[level - 1][j] == owner[level - 1][last]):
                owner[level][j] = (level, last)
            else:
                last = None
    return {j: [block[o[0]][o[1]] for o in (owner[n][j] for n in range(depth)) if o is not None]
            for j in range(width)}


@dataclass
class _Candidate:
    sheet: str
    rows: list[list]
    top: int
    depth: int
    width: int
    plan: _Plan

    @property
    def score(self) -> tuple:
        """The most keys; then the fewest read by their neighbours or place (a parent row that names the groups
        beats guessing them); then the fewest rows (a title row just above the header adds nothing)."""
        inferred = sum(c.read_by in (BY_GROUP, BY_PLACE) for c in self.plan.columns if c.key in KNOWN_KEYS)
        return (len(self.plan.keys), -inferred, -self.depth)


def _first_data_row(rows: list[list], after: int) -> int | None:
    """The first row with figures below a header ending at `after`: a column-number row, one blank row and group
    headings without figures ("I. Cấp tỉnh") may stand between them, a few rows at most."""
    blanks = 0
    for i in range(after + 1, min(len(rows), after + 6)):
        row = rows[i]
        if not any(row):
            blanks += 1
            if blanks > 1:
                return None
        elif _numbers_in(row) >= 1 and not is_column_number_row(row):
            return i
        elif _can_be_header_row(row) and sum(1 for c in row if c) > 2:
            return None   # another header row: the rows above are not the header of figures
    return None


def _candidates(sheet: str, rows: list[list], overrides: dict[str, str]) -> list[_Candidate]:
    width = max((len(row) for row in rows), default=0)
    out = []
    for end in range(min(SCAN_ROWS, len(rows))):
        if _first_data_row(rows, end) is None:
            continue
        for depth in range(1, MAX_HEADER_ROWS + 1):
            top = end - depth + 1
            if top < 0 or not all(_can_be_header_row(rows[n]) for n in range(top, end + 1)):
                break
            plan = _plan(header_paths(rows, top, depth, width), overrides)
            if plan.keys:
                out.append(_Candidate(sheet, rows, top, depth, width, plan))
    return out


# --- Reading ------------------------------------------------------------------------------------------------------

def read_reported_table(source: str | Path | bytes, name: str | None = None,
                        overrides: dict[str, str] | None = None) -> r.ReportedTable:
    """Read a reported table (path or bytes; .xlsx, .xls, .ods or .csv, judged by content).

    `overrides`: header text (as listed in the table's `mapping`, with or without its parents) -> key, "" to keep the
    column as is; they win over every other reading. Raises `issues.FileRejected` with a Vietnamese message when the
    file holds no table whose header names at least two keys, or no column naming each row.
    """
    data, name = source_bytes(source, name, "bảng báo cáo")
    overrides = overrides or {}
    best: _Candidate | None = None
    sheets = load_tables(data, name)
    for sheet, frame in sheets:
        for candidate in _candidates(sheet, _cells(frame), overrides):
            if best is None or candidate.score > best.score:
                best = candidate
    if best is None or len(best.plan.keys) < 2:
        raise _nothing_recognised(name, best, sheets)
    return _read_table(best, data, name, overrides)


def _nothing_recognised(name: str, best: _Candidate | None, sheets: list) -> q.FileRejected:
    how = ("Hãy kiểm tra đây là bảng tổng hợp kết quả giải quyết TTHC (mỗi dòng một đơn vị, lĩnh vực hoặc cấp; các cột "
           'như "Số hồ sơ nhận giải quyết", "Đã giải quyết", "Đang giải quyết", "Đúng hạn", "Quá hạn"), không phải '
           'danh sách hồ sơ; hoặc chỉ rõ nghĩa từng cột bằng ánh xạ cột (ví dụ "Tổng=received_total").')
    if best is not None:
        read = ", ".join(f'"{c.name}" = {c.key}' for c in best.plan.columns if c.key in KNOWN_KEYS)
        return reject(q.NO_HEADER, f"Dòng tiêu đề tìm được (dòng {best.top + 1}) chỉ cho biết một cột của Biểu 06 "
                      f"({read}), chưa đủ để đọc bảng báo cáo (cần ít nhất hai). {how}", name, sheet=best.sheet,
                      row=best.top + 1)
    return reject(q.NO_HEADER, f"Không tìm thấy bảng số liệu báo cáo trong {SCAN_ROWS} dòng đầu của trang tính nào: "
                  "không có dòng tiêu đề nào nêu được các cột của Biểu 06 với số liệu bên dưới. " + how, name,
                  sheet=sheets[0][0] if sheets else "")


@dataclass
class _Body:
    data_rows: list[int]                 # row indexes with figures
    skipped: list[tuple[int, str]]       # (row index, why) inside the table
    label: int
    count_columns: list[int]


def _body(candidate: _Candidate, name: str) -> _Body:
    rows, width = candidate.rows, candidate.width
    end = candidate.top + candidate.depth - 1
    start = _first_data_row(rows, end)
    block, pending_skips, blanks = [], [], 0
    skipped = [(i, "heading") for i in range(end + 1, start)
               if any(rows[i]) and not is_column_number_row(rows[i])]   # "I. Cấp tỉnh" above the first figures
    for i in range(start, len(rows)):
        row = rows[i]
        if not any(row):
            blanks += 1
            if blanks > 1:
                break
            continue
        if is_column_number_row(row):
            continue
        if _numbers_in(row) == 0:
            if blanks:
                break
            pending_skips.append(i)
            continue
        blanks = 0
        skipped += [(n, "heading") for n in pending_skips]
        pending_skips = []
        block.append(i)
    paths = header_paths(rows, candidate.top, candidate.depth, width)

    def cell(i: int, j: int) -> str | None:
        return rows[i][j] if j < len(rows[i]) else None

    def texty(j: int) -> bool:
        texts = sum(1 for i in block if cell(i, j) and not _is_number(cell(i, j)))
        return texts * 2 >= len(block) and texts > 0

    named = [j for j in range(width) if paths[j] and texty(j) and _is_label_header(paths[j])]
    fallback = [j for j in range(width) if texty(j)]
    if not (named or fallback):
        raise reject(q.NO_ROW_LABEL, f"Bảng dưới dòng tiêu đề {candidate.top + 1} không có cột ghi tên từng dòng (đơn "
                     'vị, lĩnh vực hoặc cấp) nên không biết mỗi dòng số liệu là của ai. Hãy thêm cột "Tên đơn vị" (hoặc '
                     '"Lĩnh vực", "Cấp") ghi tên cho mỗi dòng rồi tải lên lại.', name, sheet=candidate.sheet,
                     row=candidate.top + 1)
    label = (named or fallback)[0]
    counts = [j for j in range(label + 1, width)
              if (paths[j] and not texty(j)) or any(_is_number(cell(i, j)) for i in block)]
    data_rows = []
    for i in block:
        if _row_name(rows[i], label) is None:
            skipped.append((i, "nameless"))
        elif any(_is_number(cell(i, j)) for j in counts):
            data_rows.append(i)
        else:
            skipped.append((i, "heading"))
    return _Body(data_rows, sorted(skipped), label, counts)


def _is_label_header(path: list[str]) -> bool:
    key = header_text_key(path[-1])
    return key in _LABEL_WORDS or h.header_match(path[-1]).field in _LABEL_FIELDS


def _row_name(row: list, label: int) -> str | None:
    """The row's name: its label cell, else a text left of it (a total row merged over STT and name)."""
    if label < len(row) and row[label]:
        return row[label]
    return next((c for c in reversed(row[:label]) if c and not _is_number(c)), None)


def _row_number(row: list, label: int) -> str | None:
    """The row's STT cell ("I", "1", "1.1", "a", "-"): the short text just left of its name."""
    if label == 0 or label >= len(row) or not row[label]:
        return None
    cell = row[label - 1]
    return cell if cell and len(cell) <= 8 else None


def _values(rows: list[list], data_rows: list[int], columns: list[int]) -> dict[int, list[float]]:
    out = {}
    for j in columns:
        values = []
        for i in data_rows:
            try:
                value = parse_number(rows[i][j] if j < len(rows[i]) else None)
            except ValueError:
                value = math.nan
            values.append(0.0 if value is None else value)
        out[j] = values
    return out


def _consistency(plan: _Plan, values: dict[int, list[float]]) -> int:
    """How many of the table's identities and rates hold, row by row, under a reading of its header."""
    column = {c.key: c.index for c in plan.columns if c.key in KNOWN_KEYS}
    by_name = {c.name: c.index for c in plan.columns}
    held = 0
    for left, right, optional in r.IDENTITIES:
        if left not in column or any(k not in column for k in right):
            continue
        terms = [column[k] for k in (*right, *(k for k in optional if k in column))]
        for n, total in enumerate(values[column[left]]):
            held += abs(total - sum(values[t][n] for t in terms)) < 0.5
    for rate, (numerator, denominator) in plan.rates.items():
        if numerator not in by_name or denominator not in by_name:
            continue
        reported = values[by_name[rate]]
        scale = 100 if max(reported, default=0) <= 1 else 1
        for n, given in enumerate(reported):
            base = values[by_name[denominator]][n]
            if base > 0:
                held += abs(given * scale - 100 * values[by_name[numerator]][n] / base) < 1
    return held


@dataclass
class _Alignment:
    paths: dict[int, list[str]]          # the count columns' header paths as read (moved when shifted)
    moved_from: int | None = None        # the first column whose header was moved one column right
    labelled: list[int] = field(default_factory=list)
    numeric: list[int] = field(default_factory=list)


def _realigned(candidate: _Candidate, body: _Body, overrides: dict[str, str]) -> _Alignment:
    """The header paths of the count columns, moved one column right from where the figures say when the header's
    labelled columns end one column before the figures do (Bkav: 12 labels over 13 columns of figures).

    Which labels moved is told by the figures: each place the header could have lost a cell, from the last label to
    the first, is tried, and the one under which the most identities and rates hold row by row wins (ties: the fewest
    labels moved; no evidence: nothing moved). A column left with no header and no figure is dropped."""
    rows = candidate.rows
    paths = header_paths(rows, candidate.top, candidate.depth, candidate.width)

    def figures(j: int) -> int:
        return sum(_is_number(rows[i][j] if j < len(rows[i]) else None) for i in body.data_rows)

    labelled = [j for j in body.count_columns if paths[j]]
    numeric = [j for j in body.count_columns if figures(j) * 2 >= len(body.data_rows)]
    counts = {j: paths[j] for j in body.count_columns}
    if not labelled or not numeric or max(numeric) != max(labelled) + 1 or paths[max(numeric)]:
        return _Alignment(counts, None, labelled, numeric)
    values = _values(rows, body.data_rows, body.count_columns)
    last = max(numeric)
    best, best_score = last, _consistency(_plan(counts, overrides), values)
    for k in range(last - 1, min(labelled) - 1, -1):   # from the fewest labels moved to all of them
        moved = {j: (paths[j] if j < k else [] if j == k else paths[j - 1]) for j in body.count_columns}
        score = _consistency(_plan(moved, overrides), values)
        if score > best_score:
            best, best_score = k, score
    if best == last:
        return _Alignment(counts, None, labelled, numeric)
    moved = {j: (paths[j] if j < best else [] if j == best else paths[j - 1]) for j in body.count_columns}
    return _Alignment({j: path for j, path in moved.items() if path or figures(j)}, best, labelled, numeric)


def _read_table(candidate: _Candidate, data: bytes, name: str, overrides: dict[str, str]) -> r.ReportedTable:
    body = _body(candidate, name)
    rows, sheet = candidate.rows, candidate.sheet
    header_row = candidate.top + 1
    aligned = _realigned(candidate, body, overrides)
    plan = _plan(aligned.paths, overrides)
    if len(plan.keys) < 2:
        raise _nothing_recognised(name, candidate, [(sheet, None)])
    issues: list[q.Issue] = []

    def notice(code: str, message: str, level: str = q.NOTICE, **where) -> None:
        issues.append(q.Issue(code, level, message, file=name, sheet=sheet, **{"row": header_row, **where}))

    if aligned.moved_from is not None:
        moved, labelled, numeric = aligned.moved_from, aligned.labelled, aligned.numeric
        first = next(c for c in plan.columns if c.index == moved + 1)
        left = "không còn tiêu đề nên được giữ nguyên, không dùng để đối chiếu" if any(
            c.index == moved for c in plan.columns) else "không có tiêu đề và không có số liệu nên được bỏ qua"
        notice(q.HEADER_SHIFTED, f"Dòng tiêu đề (dòng {header_row}) lệch một cột so với số liệu: {len(labelled)} tiêu "
               f"đề ở cột {_letter(min(labelled))}–{_letter(max(labelled))} nhưng số liệu ở {len(numeric)} cột "
               f"{_letter(min(numeric))}–{_letter(max(numeric))}. Các tiêu đề từ \"{first.path[-1]}\" (cột "
               f"{_letter(moved)}) trở đi đã được dời sang phải một cột (cột {_letter(moved + 1)} đến "
               f"{_letter(max(labelled) + 1)}), vì như vậy các cột tỉ lệ và các đẳng thức cộng của bảng khớp với số "
               f"liệu; cột {_letter(moved)} {left}. Hãy xem lại bảng gốc; nếu cách đọc này sai, hãy sửa tiêu đề trong "
               "tệp rồi tải lên lại.", column=first.name, value=f"{_letter(moved)}->{_letter(moved + 1)}")
    _header_notices(plan, notice)
    values = _values(rows, body.data_rows, body.count_columns)
    frame = pd.DataFrame({
        r.NAME: [_row_name(rows[i], body.label) for i in body.data_rows],
        r.ROW: pd.array([i + 1 for i in body.data_rows], dtype="int64"),
        r.IS_TOTAL: [is_total_name(_row_name(rows[i], body.label)) for i in body.data_rows],
        r.NUMBER: [_row_number(rows[i], body.label) for i in body.data_rows],
    })
    for column in plan.columns:
        frame[_column_name(column)] = pd.array(values[column.index], dtype="float64")
        for n, i in enumerate(body.data_rows):
            if math.isnan(values[column.index][n]):
                notice(q.BAD_NUMBER, f'Ô "{rows[i][column.index]}" không phải là số nên để trống (không tính). Hãy '
                       'sửa thành số (ví dụ 1.365 hoặc 95,2) rồi tải lên lại.', row=i + 1, column=column.name,
                       value=str(rows[i][column.index]))
    for i, why in body.skipped:
        text = _row_name(rows[i], body.label) or next((c for c in rows[i] if c), "")
        message = ("Dòng có tên nhưng không có số liệu (dòng tiêu đề nhóm) nên không được đọc là một dòng của bảng."
                   if why == "heading" else "Dòng có số liệu nhưng không có tên đơn vị, lĩnh vực hay cấp nên bị bỏ "
                   "qua. Hãy điền tên cho dòng này rồi tải lên lại.")
        notice(q.NOT_A_DATA_ROW, message, level=q.NOTICE if why == "heading" else q.ROW, row=i + 1, value=text)
    mapping = {c.name: (c.key or "") for c in plan.columns}
    kept = [c.name for c in plan.columns if not c.key]
    rates = {rate: [_column_name(_by_name(plan, n)) if n else "" for n in pair]
             for rate, pair in plan.rates.items()}
    return r.ReportedTable(file=name, sha256=hashlib.sha256(data).hexdigest(), sheet=sheet, header_row=header_row,
                           rows=frame, mapping=mapping, kept=kept, rate_columns=rates,
                           headline=_headline(rows[:candidate.top]), issues=[masked_issue(i) for i in issues])


def _by_name(plan: _Plan, name: str) -> _Column:
    return next(c for c in plan.columns if c.name == name)


def _header_notices(plan: _Plan, add) -> None:
    """A notice per header read by a phrase inside longer wording, by its group or by its place; per column kept."""
    for code, column, value, message in plan.notes:
        add(code, message, column=column, value=value)
    for column in plan.columns:
        fix = (f'Nếu sai, hãy chỉ định lại bằng ánh xạ cột ("{column.name}=<khóa>", hoặc "{column.name}=" để giữ '
               "nguyên cột).")
        if column.key in KNOWN_KEYS and column.read_by != BY_OVERRIDE:
            label = f"{_KEY_LABELS[column.key]} ({column.key})"
            if column.read_by == BY_GROUP:
                group = (f'thuộc nhóm cột mở đầu bằng "{column.starter.name}"' if column.starter is not None and
                         column.starter is not column else "đứng cùng các cột")
                add(q.MATCHED_BY_PHRASE, f'Cột "{column.name}" không tự nói là số hồ sơ nào; được đọc là {label} vì '
                    f"{group} của {FAMILY_LABELS[column.family]}. {fix}", column=column.name, value=column.key)
            elif column.read_by == BY_PLACE:
                add(q.MATCHED_BY_PHRASE, f'Cột "{column.name}" là cột tổng đứng đầu bảng, trước các nhóm cột, nên được '
                    f"đọc là {label}. {fix}", column=column.name, value=column.key)
            elif column.inside_longer:
                phrases = ", ".join(f'"{p}"' for p in column.inside_longer)
                add(q.MATCHED_BY_PHRASE, f'Cột "{column.name}" được đọc là {label} theo cụm từ {phrases} nằm trong '
                    f"tên cột. {fix}", column=column.name, value=column.key)
        elif column.key is None and column.ambiguous and column.read_by != BY_OVERRIDE:
            add(q.AMBIGUOUS_HEADER, f'Tên cột "{column.name}" nêu nhiều nghĩa ({", ".join(column.ambiguous)}) nên cột '
                "được giữ nguyên, không dùng để đối chiếu. Nếu cần dùng, hãy chỉ định bằng ánh xạ cột "
                f'("{column.name}=<khóa>").', column=column.name, value=", ".join(column.ambiguous))
        elif column.key is None and not any(n[1] == column.name for n in plan.notes):
            add(q.COLUMN_KEPT, f'Cột "{column.name}" không ứng với cột nào của Biểu 06 nên được giữ nguyên tên và số '
                "liệu, không dùng để đối chiếu. Nếu cột có nghĩa trong Biểu 06, hãy chỉ định bằng ánh xạ cột "
                f'("{column.name}=<khóa>").', column=column.name)


def _headline(rows: list[list]) -> dict[str, float]:
    """Figures standing alone above the table: a label cell with a number in the next filled cell ("ĐÚNG HẸN |
    69313"), or "label: number" in one cell."""
    out: dict[str, float] = {}
    for row in rows:
        filled = [c for c in row if c]
        for text, following in zip(filled, filled[1:] + [None]):
            if _is_number(text):
                continue
            if following is not None and _is_number(following):
                out[text] = parse_number(following)
            elif (m := re.fullmatch(r"(.+?)\s*:\s*([\d.,]+)", text)) and _is_number(m.group(2)):
                out[m.group(1)] = parse_number(m.group(2))
    return out


_KEY_LABELS = {
    "received_total": "Số hồ sơ nhận giải quyết – Tổng số (3)", "received_online": "Nhận trong kỳ – Trực tuyến (4)",
    "received_direct_postal": "Nhận trong kỳ – Trực tiếp, dịch vụ bưu chính (5)",
    "carried_over": "Từ kỳ trước (6)", "resolved_total": "Số hồ sơ đã giải quyết – Tổng số (7)",
    "resolved_early": "Đã giải quyết trước hạn (8)", "resolved_on_time": "Đã giải quyết đúng hạn (9)",
    "resolved_late": "Đã giải quyết quá hạn (10)", "pending_total": "Số hồ sơ đang giải quyết – Tổng số (11)",
    "pending_in_time": "Đang giải quyết trong hạn (12)", "pending_overdue": "Đang giải quyết quá hạn (13)",
    "withdrawn": "Rút / dừng xử lý", r.RECEIVED_IN_PERIOD: "Nhận trong kỳ ((4) + (5))",
    r.RESOLVED_ON_TIME_OR_EARLY: "Đã giải quyết đúng hẹn (trước hạn và đúng hạn, (8) + (9))",
    r.WAITING_SUPPLEMENTS: "Hồ sơ yêu cầu bổ sung", r.CANCELLED: "Hồ sơ hủy", r.NOT_RESOLVED: "Hồ sơ không giải quyết",
    r.RETURNED: "Đã trả kết quả", r.NOT_RETURNED: "Chưa trả kết quả", r.LATE_BY_UNIT: "Quá hạn do đơn vị",
    r.LATE_OUTSIDE_UNIT: "Quá hạn ngoài đơn vị",
}
