"""Cell values -> clean values: dates, statuses, channels, apology letters. Vectorised over a column.

Every parser returns the clean values and a boolean mask of the cells it could not read (never a guess); the
caller turns that mask into data-quality issues.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.ingest.headers import plain_key
from analytics.model import schema as s

TIMEZONE = "Asia/Ho_Chi_Minh"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Serial numbers from 1/1/1990 to 31/12/2099: anything else is not a date of this century's dossiers.
_SERIAL_MIN, _SERIAL_MAX = 32874, 73415

_ISO = r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"  # year first: 2019-03-31, also 2019/03/31
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_SERIAL = r"^\d{5}(?:\.\d+)?$"
_OFFSET = r"(?:[+-]\d{2}:?\d{2}|Z)$"


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
# Qualifiers some vendors append ("Đã trả kết quả (trễ hạn)", "Đang xử lý - quá hạn"): lateness is measured by
# the dates, so these are dropped before the lookup.
_STATUS_QUALIFIER = re.compile(r"\s*(\(.*\)|\b(dung han|truoc han|qua han|tre han|trong han|som han)\b.*)$")


_WHOLE_NUMBER = re.compile(r"^\s*(\d+)\.0*\s*$")  # "10.0" from a numeric cell


def value_key(text) -> str:
    match = _WHOLE_NUMBER.match(str(text))
    return match.group(1) if match else plain_key(text)


def status_code(text) -> int | None:
    key = value_key(text)
    if key in STATUS_BY_KEY:
        return STATUS_BY_KEY[key]
    bare = _STATUS_QUALIFIER.sub("", key).strip()
    return STATUS_BY_KEY.get(bare)


def _lookup(values: pd.Series, lookup) -> tuple[np.ndarray, list]:
    """(index of each cell's distinct value, -1 when empty; lookup() of each distinct value): one call per value."""
    index, distinct = _distinct(arrow_text(values))
    return index, [lookup(value) for value in distinct]


def parse_statuses(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(national status codes, nullable; mask of non-empty cells whose wording is unknown)."""
    index, codes = _lookup(values, status_code)
    per_value = np.array([c if c is not None else -1 for c in codes], dtype=np.int16)
    code = _per_cell(index, per_value, -1)
    unknown = (index >= 0) & (code < 0)
    return (pd.Series(pd.array(np.where(code > 0, code, 0), dtype="Int8"), index=values.index).mask(code <= 0),
            pd.Series(unknown, index=values.index))


_CHANNEL_WORDS = {
    s.CHANNEL_IN_PERSON: ["truc tiep", "nop truc tiep", "tai quay", "tai bo phan mot cua", "tiep nhan truc tiep",
                          "mot cua", "offline", "direct"],
    s.CHANNEL_ONLINE: ["truc tuyen", "nop truc tuyen", "qua mang", "dich vu cong truc tuyen", "online",
                       "dvc truc tuyen", "cong dich vu cong", "dvctt"],
    s.CHANNEL_POSTAL: ["buu chinh", "buu chinh cong ich", "bcci", "qua buu dien", "dich vu buu chinh",
                       "qua buu chinh", "dich vu buu chinh cong ich"],
}
CHANNEL_BY_KEY = {word: code for code, words in _CHANNEL_WORDS.items() for word in words}
CHANNEL_BY_KEY.update({str(code): code for code in s.CHANNEL_LABELS})
_PARTIAL = ("mot phan", "muc do 3", "muc 3")
_FULL = ("toan trinh", "muc do 4", "muc 4")
ONLINE_PARTIAL, ONLINE_FULL = "một phần", "toàn trình"


def channel_code(text) -> tuple[int | None, str | None]:
    """(channel code, online level) for a cell; (None, None) when the wording is unknown."""
    key = value_key(text)
    level = ONLINE_PARTIAL if any(w in key for w in _PARTIAL) else ONLINE_FULL if any(w in key for w in _FULL) \
        else None
    if key in CHANNEL_BY_KEY:
        return CHANNEL_BY_KEY[key], level
    if level:
        return s.CHANNEL_ONLINE, level
    # Longer wording around a known phrase ("Qua dịch vụ bưu chính công ích", "Trực tiếp tại Bộ phận một cửa").
    padded = f" {key} "
    for code in (s.CHANNEL_POSTAL, s.CHANNEL_ONLINE, s.CHANNEL_IN_PERSON):
        if any(f" {word} " in padded for word in _CHANNEL_WORDS[code] if len(word.split()) > 1 or len(word) > 4):
            return code, level
    return None, None


def parse_channels(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(channel codes, blank = in person; online levels; mask of non-empty cells with unknown wording)."""
    index, pairs = _lookup(values, channel_code)
    per_code = np.array([c if c is not None else -1 for c, _ in pairs], dtype=np.int16)
    per_level = np.array([level for _, level in pairs] or [None], dtype=object)
    code = _per_cell(index, per_code, s.CHANNEL_IN_PERSON)
    unknown = code < 0
    codes = pd.Series(pd.array(np.where(unknown, 0, code), dtype="Int8"), index=values.index).mask(unknown)
    levels = pd.Series(_per_cell(index, per_level, None), index=values.index, dtype="string")
    return codes, levels, pd.Series(unknown, index=values.index)


_NO = {"khong", "k", "0", "no", "false", "chua", "chua co", "khong co", "n"}


def parse_apology(values: pd.Series) -> pd.Series:
    """True when the cell says a letter exists ("Có", "x", a letter number or date); False when blank or "Không"."""
    index, keys = _lookup(values, value_key)
    per_value = np.array([key not in _NO for key in keys], dtype=bool)
    return pd.Series(_per_cell(index, per_value, False), index=values.index, dtype=bool)


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


LEVELS = {"Cấp tỉnh": ["tinh", "cap tinh", "so", "cap so", "so nganh", "tinh thanh pho"],
          "Cấp huyện": ["huyen", "cap huyen", "quan", "cap quan", "thi xa", "cap thi xa", "thanh pho", "cap thanh pho",
                        "quan huyen", "huyen thi xa thanh pho"],
          "Cấp xã": ["xa", "cap xa", "phuong", "cap phuong", "thi tran", "xa phuong", "xa phuong thi tran"]}
LEVEL_BY_KEY = {word: level for level, words in LEVELS.items() for word in words}


def parse_levels(values: pd.Series) -> pd.Series:
    """Levels in the three official words ("Cấp tỉnh", "Cấp huyện", "Cấp xã") when recognised ("Huyện", "cấp
    huyện", "Thành phố" → "Cấp huyện"); other wording is kept as written."""
    text = clean_text(values)
    encoded = pc.dictionary_encode(pa.array(text, from_pandas=True))
    words = encoded.dictionary.to_pylist()
    named = pa.array([LEVEL_BY_KEY.get(plain_key(w), w) for w in words], type=pa.large_string())
    arr = pc.take(named, encoded.indices)
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=values.index)
