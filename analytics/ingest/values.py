"""Cell values -> clean values: dates, statuses, channels, levels, apology letters. Vectorised over a column.

Every parser returns the clean values and a boolean mask of the cells it could not read (never a guess); the
caller turns that mask into data-quality issues. Coded wording (status, channel, level) is read once per distinct
text into a `ValueColumn`: each text's `Wording` says what it was read as and how (a user's mapping, exact
wording, a known phrase inside longer wording, ambiguous, or not read).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.ingest.headers import find_phrases, plain_key
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.levels import LEVEL_BY_KEY

TIMEZONE = "Asia/Ho_Chi_Minh"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Serial numbers from 1/1/1990 to 31/12/2099: anything else is not a date of this century's dossiers.
_SERIAL_MIN, _SERIAL_MAX = 32874, 73415

_ISO = r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"  # year first: 2019-03-31, also 2019/03/31
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_SERIAL = r"^\d{5}(?:\.\d+)?$"
_OFFSET = r"(?:[+-]\d{2}:?\d{2}|Z)$"


# A phone or ID number (CMND 9 digits, CCCD 12, phones 10–11 with the country code): 9 to 12 digits, a space or a
# dot allowed between two of them, no digit right before or after. A date with a time ("03.01.2019 08.00") is not one.
_IDENTIFIER = re.compile(r"(?<!\d)\d(?:[ .]?\d){8,11}(?!\d)")
_DOTTED_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}(?!\d)")


def masked_identifiers(text: str) -> str:
    """Every run of text that looks like a phone or ID number with its middle digits hidden: "0912 345 678" ->
    "09******78" (the first two and last two digits kept, separators dropped)."""
    if not text or not any(ch.isdigit() for ch in text):
        return text

    def mask(match: re.Match) -> str:
        if _DOTTED_DATE.match(match.group()):
            return match.group()
        return masked_digits(re.sub(r"\D", "", match.group()))

    return _IDENTIFIER.sub(mask, text)


def masked_digits(digits: str) -> str:
    """"0912345678" -> "09******78": the first two and last two digits kept (all hidden when fewer than six)."""
    if len(digits) < 6:
        return "*" * len(digits)
    return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]


def masked_issue(issue: q.Issue) -> q.Issue:
    """The issue with every phone or ID number in its value and message masked ("09******78")."""
    value, message = masked_identifiers(issue.value), masked_identifiers(issue.message)
    if value == issue.value and message == issue.message:
        return issue
    return replace(issue, value=value, message=message)


def arrow_text(values: pd.Series) -> pa.Array:
    """The column as Arrow text, trimmed, blank -> null (zero-copy for the reader's Arrow-backed columns)."""
    arr = pa.array(values, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = pc.cast(arr, pa.large_string())
    arr = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)


def _distinct(arr: pa.Array) -> tuple[np.ndarray, list]:
    """(index of each cell's value in the distinct values, -1 for empty cells; the distinct values)."""
    encoded = pc.dictionary_encode(arr)
    return encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist()


def _per_cell(index: np.ndarray, per_value: np.ndarray, empty) -> np.ndarray:
    """Spread the results computed once per distinct value back to every cell."""
    out = per_value[np.clip(index, 0, None)] if len(per_value) else np.full(len(index), empty)
    return np.where(index >= 0, out, empty)


# A time of day after the date (no offset): dropped before parsing, so that distinct values are few.
_TIME_SUFFIX = r"(?:[ T]|,\s*)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$"


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(dates as datetime64 at midnight, mask of non-empty cells that are not dates).

    Reads Excel date cells (given as ISO text by the reader), Excel serial numbers, `dd/mm/yyyy[ HH:MM[:SS]]`,
    `dd-mm-yyyy`, ISO dates and ISO timestamps with an offset (converted to Asia/Ho_Chi_Minh before the date is
    taken). Impossible dates such as 31/02/2019 are not dates. Each distinct text is parsed once.
    """
    day_text = pc.replace_substring_regex(arrow_text(values), pattern=_TIME_SUFFIX, replacement="")
    index, distinct = _distinct(day_text)
    parsed, unreadable = _parse_date_texts(pd.Series(distinct, dtype=object))
    dates = _per_cell(index, parsed.to_numpy(dtype="datetime64[s]"), np.datetime64("NaT", "s"))
    bad = _per_cell(index, unreadable.to_numpy(dtype=bool), False)
    return (pd.Series(dates, index=values.index, dtype="datetime64[s]"),
            pd.Series(bad, index=values.index, dtype=bool))


def _parse_date_texts(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    present = text.notna()
    if not present.any():
        return out, present & False
    text = text.astype(str)

    iso = present & text.str.contains(_ISO, regex=True)
    with_offset = iso & text.str.contains(_OFFSET, regex=True)
    if with_offset.any():
        stamps = pd.to_datetime(text[with_offset], utc=True, errors="coerce", format="ISO8601")
        out[with_offset] = stamps.dt.tz_convert(TIMEZONE).dt.tz_localize(None).dt.floor("D")
    plain_iso = iso & ~with_offset
    if plain_iso.any():
        parts = text[plain_iso].str.extract(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
        ok = parts[0].notna()
        if ok.any():
            p = parts[ok].astype(int)
            out[p.index] = _from_parts(p[0], p[1], p[2])

    dmy = present & ~iso
    if dmy.any():
        parts = text[dmy].str.extract(_DMY)
        ok = parts[0].notna()
        if ok.any():
            p = parts[ok].astype(int)
            out[p.index] = _from_parts(p[2], p[1], p[0])

    serial = present & out.isna() & text.str.contains(_SERIAL, regex=True)
    if serial.any():
        numbers = pd.to_numeric(text[serial], errors="coerce")
        numbers = numbers.where((numbers >= _SERIAL_MIN) & (numbers <= _SERIAL_MAX))
        days = np.floor(numbers.to_numpy(dtype=float))
        out[serial] = _EXCEL_EPOCH + pd.to_timedelta(days, unit="D")
    return out, present & out.isna()


def _from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    frame = pd.DataFrame({"year": year, "month": month, "day": day})
    return pd.to_datetime(frame, errors="coerce")


# A due date written in words (DOMAIN.md, Working days: N = 0 "trong ngày" is the received date itself; some
# procedures have no due date). Compared as plain keys, without digits: "Trong ngày 15/01" is not one of them.
SAME_DAY, NO_DUE = 1, 2
_SAME_DAY_KEYS = {"trong ngay", "trong ngay lam viec", "ngay trong ngay", "trong ngay tiep nhan",
                  "trong ngay lam viec tiep nhan"}
_NO_DUE_KEYS = {"khong quy dinh", "khong thoi han", "khong co thoi han", "khong co", "khong co han", "khong han",
                "khong gioi han", "khong xac dinh", "khong hen", "khong co ngay hen", "khong co ngay hen tra"}
_NO_DUE_STARTS = ("khong quy dinh ", "khong thoi han ", "khong co thoi han ", "khong gioi han ")


def due_word(text) -> int:
    """SAME_DAY ("Trong ngày", "Trả trong ngày"), NO_DUE ("Không quy định", "Không thời hạn", "Không có"), else 0."""
    key = plain_key(text)
    if not key or any(ch.isdigit() for ch in key):
        return 0
    if key in _NO_DUE_KEYS or key.startswith(_NO_DUE_STARTS):
        return NO_DUE
    if key in _SAME_DAY_KEYS or key.endswith(" trong ngay"):
        return SAME_DAY
    return 0


def parse_due_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """A due-date column: (dates, mask of cells that are neither a date nor a known wording, each cell's `due_word`).

    The dates of "Trong ngày" cells are left missing here: they are the received date, which the caller knows."""
    dates, bad = parse_dates(values)
    index, keys = _lookup(values, due_word)
    words = pd.Series(_per_cell(index, np.array(keys or [0], dtype=np.int8), 0).astype(np.int8), index=values.index)
    return dates, bad & (words == 0), words


# Statuses: the national labels and the wording vendors print, keyed by plain_key (no diacritics, lowercase).
_STATUS_WORDS = {
    1: ["moi dang ky", "dang ky moi", "cho tiep nhan", "moi nop", "da dang ky"],
    2: ["duoc tiep nhan", "moi tiep nhan", "da tiep nhan", "tiep nhan", "tiep nhan moi"],
    3: ["khong duoc tiep nhan", "tu choi tiep nhan", "tu choi", "khong tiep nhan", "da tu choi",
        "tra lai ho so khong tiep nhan"],
    4: ["dang xu ly", "dang giai quyet", "cho xu ly", "chuyen phong chuyen mon", "cho ky duyet", "cho ky",
        "dang tham dinh", "cho phe duyet", "dang thu ly", "chuyen xu ly", "trinh ky", "dang trinh ky",
        "da chuyen xu ly",
        "cho tham dinh", "dang luan chuyen"],
    5: ["yeu cau bo sung giay to", "yeu cau bo sung", "cho bo sung", "bo sung ho so", "dang bo sung",
        "cho bo sung ho so", "yeu cau bo sung ho so", "tam dung cho bo sung"],
    6: ["yeu cau thuc hien nghia vu tai chinh", "cho thuc hien nghia vu tai chinh", "nghia vu tai chinh",
        "cho nop thue", "cho thuc hien nghia vu"],
    7: ["cong dan yeu cau rut ho so", "da rut ho so", "rut ho so", "yeu cau rut ho so", "cong dan rut ho so"],
    8: ["dung xu ly", "ngung xu ly", "da dung xu ly"],
    9: ["da xu ly xong", "da co ket qua", "cho tra ket qua", "da giai quyet", "da giai quyet xong", "xu ly xong",
        "hoan thanh", "da hoan thanh", "co ket qua", "da xu ly"],
    10: ["da tra ket qua", "tra ket qua", "da tra", "da nhan ket qua", "hoan thanh tra ket qua", "da tra ho so"],
}
STATUS_BY_KEY = {word: code for code, words in _STATUS_WORDS.items() for word in words}
STATUS_BY_KEY.update({plain_key(label): code for code, label in s.STATUS_LABELS.items()})
STATUS_BY_KEY.update({str(code): code for code in s.STATUS_LABELS})
# Wording that names two codes, left for the user to map (DOMAIN.md: when the phrases point to two codes, the user
# decides; meanwhile the dossier stays in the counts, its status inferred from its dates). As known phrases they
# also hide the shorter ones inside them: "đã trả lại hồ sơ" is not "đã trả" (10), "từ chối giải quyết" is not
# "từ chối" (3).
# - "Trả lại hồ sơ": sent back to the applicant without a result: at intake (3, not received), or after receipt,
#   processing stopped (8). Never 10: nothing was resolved.
# - "Từ chối giải quyết": received, then refused: stopped (8), or ended by a refusal decision handed over as the
#   result (10). Never 3: it was received.
_STATUS_AMBIGUOUS = {
    **{k: (3, 8) for k in ("tra lai", "da tra lai", "tra lai ho so", "da tra lai ho so", "ho so tra lai",
                           "ho so bi tra lai", "bi tra lai")},
    **{k: (8, 10) for k in ("tu choi giai quyet", "da tu choi giai quyet", "tu choi giai quyet ho so",
                            "tu choi xu ly", "da tu choi xu ly")},
}
# Qualifiers some vendors append ("Đã trả kết quả (trễ hạn)", "Đang xử lý - quá hạn"): lateness is measured by
# the dates, so these are dropped before the lookup (keys have no brackets left: "(trễ hạn)" is "tre han").
_STATUS_QUALIFIER = re.compile(r"\s*\b(dung han|truoc han|qua han|tre han|trong han|som han)\b.*$")


_WHOLE_NUMBER = re.compile(r"^\s*(\d+)\.0*\s*$")  # "10.0" from a numeric cell


def value_key(text) -> str:
    match = _WHOLE_NUMBER.match(str(text))
    return match.group(1) if match else plain_key(text)


# --- Wording -> code: exact, a phrase inside longer wording, a user's mapping --------------------------------

EXACT, PHRASE, OVERRIDE, UNRECOGNISED, AMBIGUOUS = "exact", "phrase", "override", "unrecognised", "ambiguous"
READABLE = (EXACT, PHRASE, OVERRIDE)
_NEGATIONS = ("chua", "khong", "chang")  # "Chưa trả kết quả" is not "trả kết quả"


@dataclass(frozen=True)
class Wording:
    """How one distinct cell text was read."""
    read_as: object                       # the code (status, channel) or the level word; None when not read
    how: str                              # EXACT, PHRASE, OVERRIDE, UNRECOGNISED or AMBIGUOUS
    phrases: tuple[str, ...] = ()         # the phrases that decided (PHRASE) or conflicted (AMBIGUOUS)
    candidates: tuple = ()                # the codes the phrases named (AMBIGUOUS)
    online_level: str | None = None       # channels only


_UNREAD = Wording(None, UNRECOGNISED)


def _phrases_of(table: dict) -> tuple[dict, int]:
    """Phrases usable inside longer wording: not bare numbers ("2" inside "Đã trả 2 bản" is not status 2)."""
    phrases = {k: v for k, v in table.items() if not k.isdigit()}
    return phrases, max((len(k.split()) for k in phrases), default=1)


_STATUS_PHRASES = _phrases_of({**STATUS_BY_KEY, **_STATUS_AMBIGUOUS})


def _by_phrase(key: str, phrases: dict, max_words: int) -> Wording:
    """The phrases found: one code = read; a phrase naming two codes (a tuple) is settled only by a definite phrase
    naming one of them ("trả lại hồ sơ, dừng xử lý" = 8); otherwise every code named is a candidate."""
    hits = find_phrases(key, phrases, max_words, negations=_NEGATIONS)
    definite = list(dict.fromkeys(h.target for h in hits if not isinstance(h.target, tuple)))
    both = [set(h.target) for h in hits if isinstance(h.target, tuple)]
    if len(definite) == 1 and all(definite[0] in pair for pair in both):
        return Wording(definite[0], PHRASE, tuple(h.phrase for h in hits))
    codes = list(dict.fromkeys(c for h in hits for c in (h.target if isinstance(h.target, tuple) else (h.target,))))
    if len(codes) > 1:
        return Wording(None, AMBIGUOUS, tuple(h.phrase for h in hits), tuple(codes))
    return _UNREAD


def _override_keys(overrides: dict | None) -> dict:
    return {value_key(k): v for k, v in (overrides or {}).items()}


@dataclass
class ValueColumn:
    """A column of coded wording read once per distinct text: `index` gives each cell's text (-1 when blank)."""
    index: np.ndarray
    texts: list
    wordings: list[Wording]

    def per_cell(self, per_text: list, empty, dtype=object) -> np.ndarray:
        return _per_cell(self.index, np.array(per_text, dtype=dtype), empty)

    def unreadable(self) -> np.ndarray:
        """Cells whose wording was not read (unrecognised or ambiguous)."""
        return self.per_cell([w.how not in READABLE for w in self.wordings], False, dtype=bool)


def _read_column(values: pd.Series, read) -> ValueColumn:
    index, texts = _distinct(arrow_text(values))
    return ValueColumn(index, texts, [read(t) for t in texts])


def status_wording(text, overrides: dict | None = None) -> Wording:
    """How a status cell reads: a user's mapping, the code list or vendor wording (a trailing "(trễ hạn)", "quá
    hạn" dropped), else a known phrase inside longer wording when all the phrases found name one code."""
    key = value_key(text)
    if overrides and key in overrides:
        return Wording(overrides[key], OVERRIDE)
    for exact in dict.fromkeys((key, _STATUS_QUALIFIER.sub("", key).strip())):
        if exact in STATUS_BY_KEY:
            return Wording(STATUS_BY_KEY[exact], EXACT, (exact,))
        if exact in _STATUS_AMBIGUOUS:
            return Wording(None, AMBIGUOUS, (exact,), _STATUS_AMBIGUOUS[exact])
    return _by_phrase(key, *_STATUS_PHRASES)


def status_column(values: pd.Series, overrides: dict | None = None) -> ValueColumn:
    """Every distinct status wording read once. `overrides`: wording -> code 1–10 (compared by `value_key`)."""
    keyed = _override_keys(overrides)
    return _read_column(values, lambda text: status_wording(text, keyed))


def _lookup(values: pd.Series, lookup) -> tuple[np.ndarray, list]:
    """(index of each cell's distinct value, -1 when empty; lookup() of each distinct value): one call per value."""
    index, distinct = _distinct(arrow_text(values))
    return index, [lookup(value) for value in distinct]


def parse_statuses(values: pd.Series, overrides: dict | None = None) -> tuple[pd.Series, pd.Series]:
    """(national status codes, nullable; mask of non-empty cells whose wording was not read)."""
    column = status_column(values, overrides)
    code = column.per_cell([w.read_as if w.read_as is not None else -1 for w in column.wordings] or [-1], -1,
                           dtype=np.int16)
    unknown = (column.index >= 0) & (code < 0)
    return (pd.Series(pd.array(np.where(code > 0, code, 0), dtype="Int8"), index=values.index).mask(code <= 0),
            pd.Series(unknown, index=values.index))


_CHANNEL_WORDS = {
    s.CHANNEL_IN_PERSON: ["truc tiep", "nop truc tiep", "tai quay", "tai bo phan mot cua", "tiep nhan truc tiep",
                          "mot cua", "offline", "direct", "nop tai quay", "nop tai bo phan mot cua"],
    s.CHANNEL_ONLINE: ["truc tuyen", "nop truc tuyen", "qua mang", "dich vu cong truc tuyen", "online",
                       "dvc truc tuyen", "cong dich vu cong", "dvctt", "tiep nhan truc tuyen", "nop online",
                       "cong dvc", "dvc", "dich vu cong"],
    s.CHANNEL_POSTAL: ["buu chinh", "buu chinh cong ich", "bcci", "qua buu dien", "dich vu buu chinh",
                       "qua buu chinh", "dich vu buu chinh cong ich", "buu dien", "nop qua buu chinh",
                       "tiep nhan qua buu chinh"],
}
_PARTIAL = ("mot phan", "muc do 3", "muc 3")
_FULL = ("toan trinh", "muc do 4", "muc 4")
ONLINE_PARTIAL, ONLINE_FULL = s.ONLINE_PARTIAL, s.ONLINE_FULL
CHANNEL_BY_KEY = {word: code for code, words in _CHANNEL_WORDS.items() for word in words}
CHANNEL_BY_KEY.update({str(code): code for code in s.CHANNEL_LABELS})
# "Trực tuyến mức độ 4", "Nộp trực tuyến một phần", "Mức độ 3": the online levels are known wording too.
CHANNEL_BY_KEY.update({f"{base} {level}".strip(): s.CHANNEL_ONLINE for level in _PARTIAL + _FULL
                       for base in ("", "truc tuyen", "nop truc tuyen", "dvc truc tuyen", "dich vu cong truc tuyen",
                                    "dich vu cong", "dvc")})
_CHANNEL_PHRASES = _phrases_of({**CHANNEL_BY_KEY, **{w: s.CHANNEL_ONLINE for w in _PARTIAL + _FULL}})
# Wording about the result's delivery, and about the submission, in a value naming both ("Nộp trực tuyến, nhận kết
# quả qua bưu chính công ích", "Nộp trực tiếp, trả qua bưu điện"): the channel is the submission's.
_RESULT_WORDS = {"nhan ket qua", "tra ket qua", "nhan kq", "tra kq", "gui ket qua", "chuyen ket qua", "tra qua",
                 "nhan qua", "gui tra", "tra ve"}
_SUBMIT_WORDS = {"nop", "tiep nhan", "gui ho so"}
_BRACKET = re.compile(r"([()\[\]])")


def _online_level(key: str) -> str | None:
    padded = f" {key} "
    return (ONLINE_PARTIAL if any(f" {w} " in padded for w in _PARTIAL)
            else ONLINE_FULL if any(f" {w} " in padded for w in _FULL) else None)


def _segments(text) -> list[tuple[list[str], bool]]:
    """The plain words of each part of the text split at brackets, and whether the part lies inside brackets."""
    out, depth = [], 0
    for piece in _BRACKET.split(str(text)):
        if piece in ("(", "["):
            depth += 1
        elif piece in (")", "]"):
            depth = max(0, depth - 1)
        elif words := plain_key(piece).split():
            out.append((words, depth > 0))
    return out


def _marks(words: list[str]) -> list[tuple[int, str]]:
    """Where wording about the submission ("nộp", "tiếp nhận") or the result ("nhận/trả kết quả", "trả qua")
    starts: (word position, "submit" or "result")."""
    marks, i = [], 0
    while i < len(words):
        for n, kind in ((3, "result"), (2, "result"), (2, "submit"), (1, "submit")):
            if " ".join(words[i:i + n]) in (_RESULT_WORDS if kind == "result" else _SUBMIT_WORDS):
                marks.append((i, kind))
                i += n - 1
                break
        i += 1
    return marks


def _submission_part(key: str, hits: list, text=None) -> list:
    """The channel phrases about the submission: in a part starting with "nộp"/"tiếp nhận", or before the words
    about the result ("nhận kết quả", "trả kết quả"); never in the part about the result. A part in brackets that
    speaks of the result is about the result as a whole: "Trực tuyến (BCCI trả kết quả)" is online."""
    words = key.split()
    segments = _segments(text) if text is not None else []
    if sum(len(w) for w, _ in segments) != len(words):
        segments = [(words, False)]
    marks, about_result, offset = [], set(), 0
    for part_words, bracketed in segments:
        found = _marks(part_words)
        if bracketed and any(kind == "result" for _, kind in found):
            about_result.update(range(offset, offset + len(part_words)))
        else:
            marks += [(offset + start, kind) for start, kind in found]
        offset += len(part_words)
    if not about_result and not any(kind == "result" for _, kind in marks):
        return hits

    def part(position: int) -> str:
        if position in about_result:
            return "result"
        return next((kind for start, kind in reversed(marks) if start <= position), "lead")

    return [h for h in hits if part(h.start) != "result"]


def _channel_hits(key: str, text) -> list:
    """The known channel phrases in the wording, none across a bracket ("Trực tiếp (nhận qua bưu chính)" does not
    hold "tiếp nhận qua bưu chính")."""
    phrases, max_words = _CHANNEL_PHRASES
    segments = _segments(text)
    if len(segments) < 2 or sum(len(w) for w, _ in segments) != len(key.split()):
        return find_phrases(key, phrases, max_words, negations=_NEGATIONS)
    hits, offset = [], 0
    for words, _ in segments:
        hits += [replace(h, start=h.start + offset, end=h.end + offset)
                 for h in find_phrases(" ".join(words), phrases, max_words, negations=_NEGATIONS)]
        offset += len(words)
    return hits


def channel_wording(text, overrides: dict | None = None) -> Wording:
    """How a channel cell reads: a user's mapping, a code or known wording, "mức độ 3/4", "một phần/toàn trình"
    (online), else the known phrases inside longer wording — of the submission when it also names how the result
    is delivered."""
    key = value_key(text)
    if overrides and key in overrides:
        code = overrides[key]
        return Wording(code, OVERRIDE, online_level=_online_level(key) if code == s.CHANNEL_ONLINE else None)
    level = _online_level(key)
    if key in CHANNEL_BY_KEY:
        code = CHANNEL_BY_KEY[key]
        return Wording(code, EXACT, (key,), online_level=level if code == s.CHANNEL_ONLINE else None)
    hits = _channel_hits(key, text)
    if len({h.target for h in hits}) > 1:
        hits = _submission_part(key, hits, text)
    codes = list(dict.fromkeys(h.target for h in hits))
    if len(codes) == 1:
        return Wording(codes[0], PHRASE, tuple(h.phrase for h in hits),
                       online_level=level if codes[0] == s.CHANNEL_ONLINE else None)
    if len(codes) > 1:
        return Wording(None, AMBIGUOUS, tuple(h.phrase for h in hits), tuple(codes))
    return _UNREAD


def channel_column(values: pd.Series, overrides: dict | None = None) -> ValueColumn:
    """Every distinct channel wording read once. `overrides`: wording -> code 1–3 (compared by `value_key`)."""
    keyed = _override_keys(overrides)
    return _read_column(values, lambda text: channel_wording(text, keyed))


def parse_channels(values: pd.Series, overrides: dict | None = None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(channel codes, blank = in person, unread = missing; online levels; mask of non-empty cells not read)."""
    column = channel_column(values, overrides)
    code = column.per_cell([w.read_as if w.read_as is not None else -1 for w in column.wordings] or [-1],
                           s.CHANNEL_IN_PERSON, dtype=np.int16)
    unknown = code < 0
    codes = pd.Series(pd.array(np.where(unknown, 0, code), dtype="Int8"), index=values.index).mask(unknown)
    levels = pd.Series(column.per_cell([w.online_level for w in column.wordings] or [None], None),
                       index=values.index, dtype="string")
    return codes, levels, pd.Series(unknown, index=values.index)


_NO = {"khong", "k", "0", "no", "false", "chua", "chua co", "khong co", "n"}


_UNKNOWN = {"khong ro", "chua ro", "khong xac dinh", "chua xac dinh", "?"}


def apology_flag(key: str) -> bool | None:
    """A letter cell's plain key read: "Có", "x", "Đã gửi", a number or a date -> True; blank-like, "Không", "Chưa
    gửi", "Không gửi" -> False; "Không rõ" -> None (unknown)."""
    if key in _UNKNOWN:
        return None
    return not (key in _NO or key.startswith(("khong ", "chua ")))


def parse_apology(values: pd.Series) -> pd.Series:
    """Per cell: a letter (True), none (False, also when blank) or unknown (NA), read by `apology_flag`."""
    index, keys = _lookup(values, value_key)
    flags = [apology_flag(key) for key in keys]
    per_value = np.array([f is True for f in flags], dtype=bool)
    unknown = np.array([f is None for f in flags], dtype=bool)
    out = pd.Series(_per_cell(index, per_value, False), index=values.index, dtype="boolean")
    return out.mask(_per_cell(index, unknown, False)) if unknown.any() else out


def letter_dates(values: pd.Series) -> pd.Series:
    """The dates written in an apology column ("Có, 12/03/2019" is not one; a cell that is a date is), else NaT."""
    dates, _ = parse_dates(values)
    return dates


def parse_extensions(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(times the due date was moved, mask of cells not read): "2", "2 lần", "Lần 2" -> 2; blank, "Không" -> 0."""
    index, keys = _lookup(values, value_key)
    counts = []
    for key in keys:
        number = re.search(r"\d+", key)
        counts.append(int(number.group()) if number else 0 if key in _NO else -1)
    per_value = np.array(counts, dtype=np.int16)
    read = _per_cell(index, per_value, 0)
    return (pd.Series(pd.array(np.clip(read, 0, 100), dtype="Int8"), index=values.index).mask(read < 0),
            pd.Series(read < 0, index=values.index))


_DATE_LIST_SEPARATORS = re.compile(r"\s*(?:[;|\n]|,\s|\bv[aà]\b)\s*")


def parse_earlier_due_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(number of distinct earlier due dates listed, the earliest of them, mask of cells with a piece that is not a
    date) from cells such as "15/03/2019; 22/03/2019"; blank = none (0)."""
    index, texts = _distinct(arrow_text(values))
    pieces = [(n, piece) for n, text in enumerate(texts) for piece in _DATE_LIST_SEPARATORS.split(str(text))
              if piece.strip()]
    dates, bad = parse_dates(pd.Series([p for _, p in pieces], dtype=object))
    per_text = pd.DataFrame({"n": [n for n, _ in pieces], "date": dates.to_numpy(), "bad": bad.to_numpy()})
    grouped = per_text.groupby("n").agg(count=("date", "nunique"), earliest=("date", "min"), bad=("bad", "any"))
    grouped = grouped.reindex(range(len(texts)))
    count = _per_cell(index, grouped["count"].fillna(0).to_numpy(dtype=np.int16), 0)
    earliest = _per_cell(index, grouped["earliest"].to_numpy(dtype="datetime64[s]"), np.datetime64("NaT", "s"))
    unread = _per_cell(index, grouped["bad"].fillna(False).to_numpy(dtype=bool), False)
    return (pd.Series(pd.array(np.clip(count, 0, 100), dtype="Int8"), index=values.index),
            pd.Series(earliest, index=values.index, dtype="datetime64[s]"), pd.Series(unread, index=values.index))


# Ratings as portals and kiosks print them; "Chưa hài lòng" is the portal's word for dissatisfied.
_RATING_BY_KEY = {
    "rat hai long": s.VERY_SATISFIED, "hai long": s.SATISFIED, "khong hai long": s.DISSATISFIED,
    "chua hai long": s.DISSATISFIED, "khong hai long lam": s.DISSATISFIED,
    "chua danh gia": s.NOT_RATED, "khong danh gia": s.NOT_RATED, "chua co danh gia": s.NOT_RATED,
}
RATING_UNREAD = -1  # a rating written in words not read: counted as not rated, with a caveat


def rating_code(text) -> int:
    key = value_key(text)
    key = re.sub(r"^(muc do |danh gia |ket qua )", "", key)
    return _RATING_BY_KEY.get(key, RATING_UNREAD)


def parse_ratings(values: pd.Series) -> tuple[pd.Series, list[tuple[str, int]]]:
    """(each cell's rating code, blank = not rated (0); the wordings not read with their cell counts)."""
    index, texts = _distinct(arrow_text(values))
    per_text = np.array([rating_code(t) for t in texts], dtype=np.int16)
    codes = _per_cell(index, per_text, s.NOT_RATED) if len(texts) else np.zeros(len(index), dtype=np.int16)
    unread = [(str(t), int((index == n).sum())) for n, t in enumerate(texts) if per_text[n] == RATING_UNREAD]
    return pd.Series(pd.array(codes, dtype="Int8"), index=values.index), unread


def parse_online_levels(values: pd.Series) -> pd.Series:
    """"Toàn trình", "Mức độ 4", "4" -> toàn trình; "Một phần", "Mức độ 3", "3" -> một phần; else missing."""
    index, texts = _distinct(arrow_text(values))
    per_text = [{"4": ONLINE_FULL, "3": ONLINE_PARTIAL}.get(value_key(t), _online_level(plain_key(t)))
                for t in texts]
    return pd.Series(_per_cell(index, np.array(per_text + [None], dtype=object)[:len(texts)] if texts
                               else np.array([], dtype=object), None), index=values.index, dtype="string")


def clean_text(values: pd.Series) -> pd.Series:
    """Trimmed text with inner runs of whitespace (line breaks included) made one space; blank -> missing.

    Cleaned once per distinct value: units, fields and procedures repeat on every row.
    """
    encoded = pc.dictionary_encode(arrow_text(values))
    cleaned = pc.replace_substring_regex(encoded.dictionary, pattern=r"\s+", replacement=" ")
    arr = pc.cast(pc.take(cleaned, encoded.indices), pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=values.index)


def clean_id(values: pd.Series) -> pd.Series:
    """Case ids: trimmed, blank -> missing (ids are unique, so no per-value work)."""
    arr = pc.cast(arrow_text(values), pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=values.index)


_LEVEL_PHRASES = _phrases_of(LEVEL_BY_KEY)


def level_wording(text, overrides: dict | None = None) -> Wording:
    """How a level cell reads: a user's mapping, one of the known words, else the known phrases inside longer
    wording when they all name one level ("UBND cấp huyện" → "Cấp huyện")."""
    key = plain_key(text)
    if overrides and key in overrides:
        return Wording(overrides[key], OVERRIDE)
    if key in LEVEL_BY_KEY:
        return Wording(LEVEL_BY_KEY[key], EXACT, (key,))
    return _by_phrase(key, *_LEVEL_PHRASES)


def level_column(values: pd.Series, overrides: dict | None = None) -> ValueColumn:
    """Every distinct level wording (whitespace made single) read once. `overrides`: wording -> a `LEVELS` key."""
    keyed = {plain_key(k): v for k, v in (overrides or {}).items()}
    return _read_column(clean_text(values), lambda text: level_wording(text, keyed))


def named_levels(column: ValueColumn, index: pd.Index) -> pd.Series:
    """Each cell's level: the official word when read, else the text as written (blank stays missing)."""
    named = pa.array([w.read_as if w.read_as is not None else text for text, w in zip(column.texts, column.wordings)],
                     type=pa.large_string())
    indices = pa.array(column.index, mask=column.index < 0, type=pa.int32())
    return pd.Series(pd.arrays.ArrowStringArray(pc.take(named, indices)), index=index)


def parse_levels(values: pd.Series, overrides: dict | None = None) -> pd.Series:
    """Levels in the three official words ("Cấp tỉnh", "Cấp huyện", "Cấp xã") when recognised ("Huyện", "cấp
    huyện", "Thành phố", "UBND cấp huyện" → "Cấp huyện"); other wording is kept as written."""
    return named_levels(level_column(values, overrides), values.index)
