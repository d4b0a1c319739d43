"""Cell values -> clean values: dates, statuses, channels, apology letters. Vectorised over a column.

Every parser returns the clean values and a boolean mask of the cells it could not read (never a guess); the
caller turns that mask into data-quality issues.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analytics import schema as s
from analytics.headers import plain_key

TIMEZONE = "Asia/Ho_Chi_Minh"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Serial numbers from 1/1/1990 to 31/12/2099: anything else is not a date of this century's dossiers.
_SERIAL_MIN, _SERIAL_MAX = 32874, 73415

_ISO = r"^\d{4}-\d{1,2}-\d{1,2}"
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")
_SERIAL = r"^\d{5}(?:\.\d+)?$"
_OFFSET = r"(?:[+-]\d{2}:?\d{2}|Z)$"


def _text(values: pd.Series) -> pd.Series:
    out = values.astype("string").str.strip()
    return out.mask(out == "")


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(dates as datetime64 at midnight, mask of non-empty cells that are not dates).

    Reads Excel date cells (given as ISO text by the reader), Excel serial numbers, `dd/mm/yyyy[ HH:MM[:SS]]`,
    `dd-mm-yyyy`, ISO dates and ISO timestamps with an offset (converted to Asia/Ho_Chi_Minh before the date is
    taken). Impossible dates such as 31/02/2019 are not dates.
    """
    text = _text(values)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")
    present = text.notna()
    if not present.any():
        return out, present & False

    iso = present & text.str.contains(_ISO, regex=True)
    with_offset = iso & text.str.contains(_OFFSET, regex=True)
    if with_offset.any():
        stamps = pd.to_datetime(text[with_offset], utc=True, errors="coerce", format="ISO8601")
        out[with_offset] = stamps.dt.tz_convert(TIMEZONE).dt.tz_localize(None).dt.floor("D")
    plain_iso = iso & ~with_offset
    if plain_iso.any():
        parts = text[plain_iso].str.extract(r"^(\d{4})-(\d{1,2})-(\d{1,2})").astype(int)
        out[plain_iso] = _from_parts(parts[0], parts[1], parts[2])

    dmy = present & ~iso
    if dmy.any():
        parts = text[dmy].str.extract(_DMY)
        ok = parts[0].notna()
        if ok.any():
            p = parts[ok].astype(int, errors="ignore")
            out[p.index] = _from_parts(p[2].astype(int), p[1].astype(int), p[0].astype(int))

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
        "dang tham dinh", "cho phe duyet", "dang thu ly", "chuyen xu ly", "trinh ky", "dang trinh ky", "da chuyen xu ly",
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


def _map_unique(text: pd.Series, lookup) -> pd.Series:
    """Apply a scalar lookup once per distinct value (columns hold few distinct values)."""
    uniques = pd.unique(text.dropna())
    table = {u: lookup(u) for u in uniques}
    return text.map(table)


def parse_statuses(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(national status codes, nullable; mask of non-empty cells whose wording is unknown)."""
    text = _text(values)
    codes = _map_unique(text, status_code).astype("Int8")
    return codes, text.notna() & codes.isna()


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
    for word, code in CHANNEL_BY_KEY.items():
        if not word.isdigit() and key.startswith(word + " "):
            return code, level
    return None, None


def parse_channels(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(channel codes, blank = in person; online levels; mask of non-empty cells with unknown wording)."""
    text = _text(values)
    pairs = _map_unique(text, channel_code)
    codes = pairs.map(lambda p: p[0], na_action="ignore").astype("Int8")
    levels = pairs.map(lambda p: p[1], na_action="ignore").astype("string")
    unknown = text.notna() & codes.isna()
    return codes.fillna(s.CHANNEL_IN_PERSON).mask(unknown), levels, unknown


_NO = {"khong", "k", "0", "no", "false", "chua", "chua co", "khong co", "n"}


def parse_apology(values: pd.Series) -> pd.Series:
    """True when the cell says a letter exists ("Có", "x", a letter number or date); False when blank or "Không"."""
    text = _text(values)
    keys = _map_unique(text, value_key)
    return (text.notna() & ~keys.isin(_NO)).astype(bool)


def clean_text(values: pd.Series) -> pd.Series:
    """Stripped text with inner runs of whitespace collapsed; blank -> missing."""
    text = _text(values)
    return text.str.replace(r"\s+", " ", regex=True)
