"""Numbers, rates and dates written the Vietnamese way: 1.365 hồ sơ, 95,2%, 31/03/2019. The browser never decides."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from babel.numbers import format_decimal, format_percent

LOCALE = "vi_VN"
DASH = "—"


def number(n) -> str:
    if n is None or pd.isna(n):
        return DASH
    return format_decimal(n, format="#,##0", locale=LOCALE)


def percent(x, digits: int = 1) -> str:
    """95,2% — or "—" when the rate is undefined (nothing in the denominator)."""
    if x is None or pd.isna(x):
        return DASH
    return format_percent(x, "#,##0." + "0" * digits + "%" if digits else "#,##0%", locale=LOCALE)


def date(d) -> str:
    if d is None or pd.isna(d):
        return ""
    if isinstance(d, (pd.Timestamp, dt.datetime)):
        d = d.date()
    return d.strftime("%d/%m/%Y")


DENOMINATOR_WORDS = {"resolved": "hồ sơ đã giải quyết", "qd766": "hồ sơ đã và đang giải quyết",
                     "workload": "hồ sơ nhận giải quyết"}


def rate_sentence(rate) -> str:
    """'95,4% đúng hạn (1.302/1.365 hồ sơ đã giải quyết)' for a rates.Rate."""
    what = DENOMINATOR_WORDS.get(rate.definition.name, "hồ sơ")
    return f"{percent(rate.value)} đúng hạn ({number(rate.numerator)}/{number(rate.denominator)} {what})"


def decimal(x, digits: int = 1) -> str:
    """12,5 — or "—" when there is no value."""
    if x is None or pd.isna(x):
        return DASH
    return format_decimal(x, format="#,##0." + "0" * digits, locale=LOCALE)


def signed_number(n) -> str:
    """+12 / −3 / 0, Vietnamese thousands: "+1.234"."""
    if n is None or pd.isna(n):
        return DASH
    return format_decimal(n, format="+#,##0;-#,##0", locale=LOCALE)


def points_change(now: float | None, then: float | None) -> str | None:
    """The change between two rates in percentage points: "+1,2 điểm %" (None when either is undefined)."""
    if now is None or then is None:
        return None
    return format_decimal((now - then) * 100, format="+#,##0.0;-#,##0.0", locale=LOCALE) + " điểm %"



# --- Text from the data inside Markdown --------------------------------------------------------------------------

# What makes Markdown (CommonMark, GFM and Streamlit's own: math, coloured text) out of text: emphasis, code, links
# and images, raw HTML, tables, strikethrough, math, headings. Backslash-escaped, each shows as itself. "_" between
# two letters or digits never makes emphasis ("2018_Q1_xuat.xlsx" stays as it is), nor do ".", "-", "&", "(" inside
# a line ("UBND P. Chi Lăng", "Phòng LĐ-TB&XH"), so they are left alone.
_MARKDOWN_SPECIAL = frozenset("\\`*[]<>|~$#")
# GFM turns text that looks like an address into a link after the escapes are read ("http://…", "www.…",
# "ten@mien.vn"), and Streamlit its icons (":material/home:"): a zero-width space where such an address or icon would
# start breaks it, and shows nothing.
_ZERO_WIDTH = "\u200b"
_LINE_BREAKS = frozenset("\u2028\u2029\x85")


def _entity_at(text: str, i: int) -> bool:
    """Whether "&" at `i` starts a character reference ("&amp;", "&#91;"), which Markdown would read as a character."""
    j = i + 1 + (text[i + 1:i + 2] == "#")
    k = j
    while k < len(text) and (text[k].isalnum() or text[k] == "_"):
        k += 1
    return j < k < len(text) and text[k] == ";"


def _block_marker(text: str) -> int | None:
    """Where the character that would open a list or draw a rule sits when `text` begins a line ("- ", "+ ", "1. ",
    "2) ", "---"), else None ("1.365 hồ sơ", "-5" open nothing)."""
    i = len(text) - len(text.lstrip())
    if text[i:i + 1] in ("-", "+") and text[i + 1:i + 2] in ("", " ", text[i]):  # "- x", "---"
        return i
    digits = i
    while digits < len(text) and text[digits].isdigit():
        digits += 1
    opens = digits > i and text[digits:digits + 1] in (".", ")") and text[digits + 1:digits + 2] in ("", " ")
    return digits if opens else None


def _shortcode_ends(text: str) -> set[int]:
    """Where the ":" closing a Streamlit shortcode (":smile:", ":material/home:") sits."""
    ends = set()
    for i, ch in enumerate(text):
        if ch == ":" and text[i + 1:i + 2].isalpha():
            j = i + 1
            while j < len(text) and (text[j].isalnum() or text[j] in "_+-/"):
                j += 1
            if text[j:j + 1] == ":":
                ends.add(j)
    return ends


def markdown_text(text) -> str:
    """`text` from a file, the store or a link, ready to be put inside Markdown (Streamlit's st.markdown, st.caption,
    st.info/warning/error/success, titles, widget labels and help) and shown exactly as written: no link, no image,
    no emphasis, no HTML, no formula, on one line. Apply it to the data only, once, never to the wording around it.

    "[Bấm vào đây](http://evil.example)" -> "\\[Bấm vào đây\\](http​://evil.example)" (a zero-width space before
    "://"); "**đậm** <b>" -> "\\*\\*đậm\\*\\* \\<b\\>"; "Phòng TN&MT", "UBND P. Chi Lăng", "2018_Q1.xlsx" unchanged."""
    value = "".join(" " if ch < " " or ch == "\x7f" or ch in _LINE_BREAKS else ch
                    for ch in ("" if text is None else str(text)))
    marker, closing = _block_marker(value), _shortcode_ends(value)
    out = []
    for i, ch in enumerate(value):
        if ch in _MARKDOWN_SPECIAL or i == marker or i in closing or (ch == "&" and _entity_at(value, i)) or (
                ch == "_" and not (0 < i < len(value) - 1 and value[i - 1].isalnum() and value[i + 1].isalnum())):
            out.append("\\" + ch)
        elif ch == ":" and value[i:i + 3] == "://":
            out.append(_ZERO_WIDTH + ch)
        elif ch == ":" and value[i + 1:i + 2].isalpha():  # Streamlit's ":red[…]", ":smile:", ":material/home:"
            out.append("\\:" + (_ZERO_WIDTH if value[i + 1:i + 10].lower() == "material/" else ""))
        elif ch == "." and value[max(0, i - 3):i].lower() == "www":
            out.append(_ZERO_WIDTH + ch)
        elif ch == "@":
            out.append(ch + _ZERO_WIDTH)
        else:
            out.append(ch)
    return "".join(out)
