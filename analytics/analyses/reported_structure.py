"""The structure of a reported table (DOMAIN.md, "Reported tables as bodies file them"): which row is the grand
total, which rows are subtotals and of which rows, and which are units.

Read from the table itself, whatever the order (total first or last):
- the grand total: a row named as a total ("TỔNG CỘNG", "Tổng số", "Toàn tỉnh"); of several, the largest;
- a subtotal: a row numbered with a roman numeral ("I", "II") or numbered over rows numbered deeper ("1" over "1.1",
  "a", "-"), a row that names a level or group ("Cấp huyện", "Các phòng chuyên môn"), a row named "Cộng …" (the rows
  above it), and a row without numbering among numbered rows whose figures are the sum of the rows below (or above)
  it; it stands for the unit rows under it, up to the next subtotal, and for the level it names;
- a row such a marker has nothing under (a table of levels only) is a unit.

The user may say what a row is (`roles`: sheet row -> UNIT_ROW, SUBTOTAL_ROW or TOTAL_ROW); what was inferred is
said (`StructuredRow.how`), outputs.reported_words writes it in words.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from analytics.model.levels import level_named_in
from analytics.model.reported import (
    IS_TOTAL,
    NAME,
    NUMBER,
    ROW,
    SUBTOTAL_ROW,
    TOTAL_ROW,
    UNIT_ROW,
    ReportedTable,
)
from analytics.model.text_keys import plain_key

# How a row's role was read.
BY_TOTAL_NAME = "total_name"   # named as a total
BY_NUMBERING = "numbering"     # a roman numeral
BY_NESTED = "nested"           # numbered over rows numbered deeper ("1" over "1.1", "a", "-")
BY_WORDS = "words"             # names a level or a group of units
BY_SUM_WORD = "sum_word"       # "Cộng …", or a second total-named row: the rows above it
BY_SUMS = "sums"               # unnumbered among numbered rows, its figures the sum of the rows next to it
BY_USER = "user"               # the user said so
BY_DEFAULT = "default"         # a unit row, as any row is unless something says otherwise
BELOW, ABOVE = "below", "above"

_ROMAN = re.compile(r"^(?=[IVXLC]+$)M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_NAME_NUMBER = re.compile(r"^\s*(?P<n>[0-9]+(?:\.[0-9]+)*|[IVXLC]+|[a-z])\s*[.)/]\s+|^\s*(?P<dash>[-+*])\s*")
_GROUP_WORDS = ("cap ", "cac ", "khoi ", "ubnd cap ", "ubnd cac ")
# "Cộng", "Cộng cấp xã", "Cộng I", "Cộng khối sở": the rows above it. Never "Công an tỉnh" (the plain words agree,
# the accents do not: _says_sum reads them).
_SUM_WORD = re.compile(r"^cong( (cap|khoi|cac|nhom|toan|[ivxl]+)\b.*)?$")
ROMAN, ARABIC, DEEPER, DASH = 1, 2, 3, 4   # numbering ranks, the outermost first


@dataclass(frozen=True)
class StructuredRow:
    position: int                   # in ReportedTable.rows
    sheet_row: int | None
    name: str
    role: str                       # UNIT_ROW, SUBTOTAL_ROW or TOTAL_ROW
    how: str                        # BY_… : how the role was read
    members: tuple[int, ...] = ()   # a subtotal's or the total's unit rows (positions)
    direction: str = ""             # a subtotal's: its units BELOW or ABOVE it
    level: str | None = None        # the level a subtotal names ("Cấp xã")


@dataclass(frozen=True)
class Structure:
    rows: tuple[StructuredRow, ...]

    @property
    def units(self) -> list[StructuredRow]:
        return [r for r in self.rows if r.role == UNIT_ROW]

    @property
    def subtotals(self) -> list[StructuredRow]:
        return [r for r in self.rows if r.role == SUBTOTAL_ROW]

    @property
    def total(self) -> StructuredRow | None:
        return next((r for r in self.rows if r.role == TOTAL_ROW), None)

    @property
    def inferred(self) -> list[StructuredRow]:
        """The rows whose role the reader inferred: the subtotals, and the total when it is not named as one."""
        return [r for r in self.rows if r.role == SUBTOTAL_ROW and r.how != BY_USER
                or r.role == TOTAL_ROW and r.how not in (BY_TOTAL_NAME, BY_USER)]


def numbering_rank(number, name) -> int | None:
    """How deep a row's numbering is: ROMAN "I", ARABIC "1", DEEPER "1.1" or "a", DASH "-"; None when unnumbered.
    The STT cell first, else numbering written before the name ("II. Cấp xã")."""
    text = str(number).strip().rstrip(".)") if number is not None and str(number).strip() else None
    if text is None:
        match = _NAME_NUMBER.match(str(name or ""))
        if match is None:
            return None
        text = match.group("n") or match.group("dash")
    if text in ("-", "\u2013", "+", "\u2022", "*"):
        return DASH
    if _ROMAN.match(text):
        return ROMAN
    if re.fullmatch(r"[0-9]+", text):
        return ARABIC
    if re.fullmatch(r"[0-9]+(\.[0-9]+)+|[a-z]", text):
        return DEEPER
    return None


def _says_sum(name) -> bool:
    """The name's first word is "Cộng" as written (with its accent), not "Công"."""
    first = unicodedata.normalize("NFD", _NAME_NUMBER.sub("", str(name or ""))).strip().lower().split(" ")[0]
    return "\u0323" in first   # the dot below of "ộ"


def _plain_name(name) -> str:
    return plain_key(_NAME_NUMBER.sub("", str(name or "")))


def structure(table: ReportedTable, roles: dict[int, str] | None = None) -> Structure:
    """The table's rows, each a unit, a subtotal (with its units) or the grand total (with every unit row)."""
    records = table.rows.to_dict("records")
    n = len(records)
    columns = table.summed
    values = [[_value(r.get(c)) for c in columns] for r in records]
    names = [str(r[NAME]) if r.get(NAME) is not None and str(r[NAME]) != "nan" else "" for r in records]
    numbers = [r.get(NUMBER) for r in records]
    ranks = [numbering_rank(numbers[i] if isinstance(numbers[i], str) else None, names[i]) for i in range(n)]
    said = {i: (roles or {}).get(_sheet_row(records[i])) for i in range(n)}
    role: list[str] = [UNIT_ROW] * n
    how: list[str] = [BY_DEFAULT] * n
    direction: list[str] = [""] * n

    totals = [i for i in range(n) if said[i] == TOTAL_ROW] or \
        [i for i in range(n) if said[i] is None and bool(records[i].get(IS_TOTAL))]
    grand = max(totals, key=lambda i: (_size(values[i]), i)) if totals else None
    if grand is not None:
        role[grand], how[grand] = TOTAL_ROW, BY_USER if said[grand] == TOTAL_ROW else BY_TOTAL_NAME
    for i in range(n):
        if i == grand or said[i] == UNIT_ROW:
            continue
        key = _plain_name(names[i])
        if said[i] == SUBTOTAL_ROW:
            role[i], how[i], direction[i] = SUBTOTAL_ROW, BY_USER, ABOVE if key.startswith("cong") else BELOW
        elif i in totals or records[i].get(IS_TOTAL) or _SUM_WORD.match(key) and _says_sum(names[i]):
            role[i], how[i], direction[i] = SUBTOTAL_ROW, BY_SUM_WORD, ABOVE
        elif ranks[i] == ROMAN:
            role[i], how[i], direction[i] = SUBTOTAL_ROW, BY_NUMBERING, BELOW
        elif any(key.startswith(w) for w in _GROUP_WORDS) or level_named_in(key):
            role[i], how[i], direction[i] = SUBTOTAL_ROW, BY_WORDS, BELOW
    for i in range(n):   # "1" over "1.1", "a", "-": a subtotal of its own rows
        if role[i] == UNIT_ROW and said[i] is None and ranks[i] == ARABIC and i + 1 < n and \
                ranks[i + 1] in (DEEPER, DASH):
            role[i], how[i], direction[i] = SUBTOTAL_ROW, BY_NESTED, BELOW
    _by_sums(values, ranks, said, role, how, direction)

    members = {i: _members(i, role, ranks, direction[i]) for i in range(n) if role[i] == SUBTOTAL_ROW}
    for i, found in members.items():
        other = _members(i, role, ranks, ABOVE if direction[i] == BELOW else BELOW)
        if found and other and not _adds_up(values, i, found) and _adds_up(values, i, other):
            members[i], direction[i] = other, ABOVE if direction[i] == BELOW else BELOW
    for i, found in list(members.items()):
        if not found and how[i] != BY_USER:   # a marker with nothing under it: a unit (a table of levels)
            role[i], how[i], direction[i] = UNIT_ROW, BY_DEFAULT, ""
            del members[i]
    units = tuple(i for i in range(n) if role[i] == UNIT_ROW)
    rows = []
    for i in range(n):
        if role[i] == TOTAL_ROW:
            rows.append(StructuredRow(i, _sheet_row(records[i]), names[i], TOTAL_ROW, how[i], units))
        elif role[i] == SUBTOTAL_ROW:
            rows.append(StructuredRow(i, _sheet_row(records[i]), names[i], SUBTOTAL_ROW, how[i],
                                      tuple(j for j in members[i] if role[j] == UNIT_ROW), direction[i],
                                      level_named_in(_plain_name(names[i]))))
        else:
            rows.append(StructuredRow(i, _sheet_row(records[i]), names[i], UNIT_ROW, how[i]))
    return Structure(tuple(rows))


def _members(i: int, role: list[str], ranks: list, direction: str) -> tuple[int, ...]:
    """The unit rows a subtotal at `i` stands for: BELOW, the rows after it up to the next row as deep or shallower
    (or any subtotal not deeper, or the total); ABOVE, the rows before it back to the previous subtotal or total."""
    out = []
    if direction == BELOW:
        mine = ranks[i] or ROMAN
        for j in range(i + 1, len(role)):
            if role[j] == TOTAL_ROW or (ranks[j] is not None and ranks[j] <= mine) or \
                    (role[j] == SUBTOTAL_ROW and (ranks[j] or ROMAN) <= mine):
                break
            out.append(j)
    else:
        for j in range(i - 1, -1, -1):
            if role[j] in (TOTAL_ROW, SUBTOTAL_ROW):
                break
            out.insert(0, j)
    return tuple(j for j in out if role[j] == UNIT_ROW)


def _by_sums(values, ranks, said, role, how, direction) -> None:
    """An unnumbered row among numbered unit rows whose figures are the sum of the unit rows next to it (two at
    least, up to the next such row) is a subtotal of them."""
    n = len(values)
    numbered = sum(r == ARABIC for r in ranks) >= 2
    for i in range(n):
        if role[i] != UNIT_ROW or said[i] is not None or ranks[i] is not None or not numbered:
            continue
        for step, way in ((1, BELOW), (-1, ABOVE)):
            found, j = [], i + step
            while 0 <= j < n and role[j] == UNIT_ROW and ranks[j] is not None:
                found.append(j)
                j += step
            if len(found) >= 2 and _adds_up(values, i, tuple(found)):
                role[i], how[i], direction[i] = SUBTOTAL_ROW, BY_SUMS, way
                break


def _adds_up(values, i: int, rows: tuple[int, ...]) -> bool:
    """Row `i` is the sum of `rows` in every column both have, with two columns at least not zero."""
    checked = 0
    for c, mine in enumerate(values[i]):
        parts = [values[j][c] for j in rows]
        if mine is None or any(p is None for p in parts):
            continue
        if abs(mine - sum(parts)) > 1e-9:
            return False
        checked += mine != 0
    return checked >= 2


def _size(row: list) -> float:
    return sum(v for v in row if v is not None)


def _value(value) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _sheet_row(record: dict) -> int | None:
    value = record.get(ROW)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)
