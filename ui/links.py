"""Links that reproduce a view: the sidebar's choices in the address bar, and back.

The URL carries the screen (its path) and, as query parameters with short Vietnamese keys, the period, the
comparison, the filters, the rate and the target:

    /tong-quan?ky=quarter&nam=2019&so=1&ss=previous&don_vi=UBND+phường+Tam+Thanh&ty_le=resolved&muc_tieu=95

`read` and `write` are plain functions (query parameters <-> the sidebar's values, keyed as ui.sidebar.KEYS); `sync_in`
and `sync_out` wire them to `st.query_params` and `st.session_state`. A link is applied when the page opens with
parameters this session has not written itself (a pasted or shared link); after that the sidebar's widgets own the
values and every run writes them back, so the address bar always reproduces what is on the screen.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import streamlit as st

from analytics.model import schema as s
from analytics.model.periods import PER_YEAR
from analytics.outputs.formatting import markdown_text
from analytics.outputs.labels import FILTER_LABELS
from analytics.model.rates import RATES

KIND_OPTIONS = ["custom", "month", "quarter", "half", "nine_months", "year"]
COMPARE_OPTIONS = ["auto", "previous", "year_before", "custom", "none"]

# The sidebar's value -> its key in the address bar.
PARAMS = {"kind": "ky", "year": "nam", "number": "so", "cutoff": "chot", "start": "tu", "end": "den",
          "compare": "ss", "compare_start": "ss_tu", "compare_end": "ss_den", "levels": "cap", "units": "don_vi",
          "fields": "linh_vuc", "channels": "kenh", "rate": "ty_le", "target": "muc_tieu", "fold": "rut_dung",
          "fill_due": "han_dm"}
MULTI = ("levels", "units", "fields", "channels")
FIRST_YEAR, LAST_YEAR = 1990, 2100
TRUE, FALSE = ("1", "true", "co", "có"), ("0", "false", "khong", "không")
LAST_WRITTEN = "_link_params"     # what this session last wrote to the address bar


def _date(text: str) -> dt.date:
    """2019-03-31 or 31/03/2019."""
    text = text.strip()
    if "/" in text:
        day, month, year = text.split("/")
        return dt.date(int(year), int(month), int(day))
    return dt.date.fromisoformat(text)


def _flag(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise ValueError(word)


def _one(params: Mapping, key: str) -> str | None:
    value = params.get(PARAMS[key])
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else None
    return None if value is None else str(value)


def _many(params: Mapping, key: str) -> list[str]:
    value = params.get(PARAMS[key])
    if value is None:
        return []
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    return [str(v) for v in values if str(v) != ""]


def _bad(key: str, value: str, why: str) -> str:
    """The warning for a value a link carries that cannot be used; the value quoted as text (Markdown escaped: a
    link is anyone's to write, and the warning is shown as Markdown)."""
    return f'Liên kết: {PARAMS[key]}="{markdown_text(value)}" không dùng được ({why}); đã bỏ qua giá trị này.'


def read(params: Mapping, choices: Mapping[str, list] | None = None) -> tuple[dict, list[str]]:
    """The sidebar's values a link carries ({"kind": "quarter", "year": 2019, …}) and one Vietnamese warning per
    value that cannot be used (that value is left out; the others still apply), as Markdown, the value it quotes
    escaped. `choices`: the values each filter can take (data.filter_choices); filters are not checked without it."""
    values: dict = {}
    warnings: list[str] = []

    def take(key: str, parse, why: str) -> None:
        text = _one(params, key)
        if text is None:
            return
        try:
            values[key] = parse(text)
        except (ValueError, TypeError, KeyError):
            warnings.append(_bad(key, text, why))

    def kind(text: str) -> str:
        if text not in KIND_OPTIONS:
            raise ValueError(text)
        return text

    def year(text: str) -> int:
        number = int(text)
        if not FIRST_YEAR <= number <= LAST_YEAR:
            raise ValueError(text)
        return number

    take("kind", kind, "loại kỳ là một trong " + ", ".join(KIND_OPTIONS))
    take("year", year, f"năm từ {FIRST_YEAR} đến {LAST_YEAR}")
    count = PER_YEAR.get(values.get("kind"), 12)

    def number(text: str) -> int:
        n = int(text)
        if not 1 <= n <= count:
            raise ValueError(text)
        return n

    take("number", number, f"số thứ tự của kỳ từ 1 đến {count}")
    take("cutoff", _flag, "1 hoặc 0")
    take("start", _date, "ngày dạng 2019-01-31")
    take("end", _date, "ngày dạng 2019-01-31")
    if "kind" not in values and ("start" in values or "end" in values):
        values["kind"] = "custom"   # dates without a kind: a custom period

    def compare(text: str) -> str:
        if text not in COMPARE_OPTIONS:
            raise ValueError(text)
        return text

    take("compare", compare, "một trong " + ", ".join(COMPARE_OPTIONS))
    take("compare_start", _date, "ngày dạng 2018-01-31")
    take("compare_end", _date, "ngày dạng 2018-01-31")
    if "compare" not in values and ("compare_start" in values or "compare_end" in values):
        values["compare"] = "custom"

    for key in MULTI:
        given = _many(params, key)
        if not given:
            continue
        if key == "channels":
            known = {str(c): c for c in (choices or {}).get("channels", s.CHANNEL_LABELS)}
        else:
            known = {str(v): v for v in (choices or {}).get(key, given)}
        kept = [known[v] for v in given if v in known]
        unknown = [v for v in given if v not in known]
        if unknown:
            warnings.append(f'Liên kết: {FILTER_LABELS[key].lower()} "{markdown_text(", ".join(unknown))}" không có '
                            "trong dữ liệu; đã bỏ qua.")
        if kept:
            values[key] = list(dict.fromkeys(kept))

    def rate(text: str) -> str:
        if text not in RATES:
            raise ValueError(text)
        return text

    def target(text: str) -> float:
        value = float(text.replace(",", "."))
        if not 0 <= value <= 100:
            raise ValueError(text)
        return value

    take("rate", rate, "một trong " + ", ".join(RATES))
    take("target", target, "phần trăm từ 0 đến 100, ví dụ 95")
    take("fold", _flag, "1 hoặc 0")
    take("fill_due", _flag, "1 hoặc 0")
    return values, warnings


def _target_text(value: float) -> str:
    return f"{value:g}"


def write(values: Mapping) -> dict[str, str | list[str]]:
    """The address bar's parameters for the sidebar's values (keyed as ui.sidebar.KEYS, without the prefix): only
    what the view depends on (the period's own fields, the comparison's dates when custom, the filters chosen)."""
    out: dict[str, str | list[str]] = {}
    kind = values.get("kind", "custom")
    out[PARAMS["kind"]] = kind
    if kind == "custom":
        for key in ("start", "end"):
            if values.get(key):
                out[PARAMS[key]] = values[key].isoformat()
    else:
        if values.get("year") is not None:
            out[PARAMS["year"]] = str(values["year"])
        if kind in PER_YEAR:
            out[PARAMS["number"]] = str(values.get("number", 1))
        if values.get("cutoff"):
            out[PARAMS["cutoff"]] = "1"
    compare = values.get("compare")
    if compare:
        out[PARAMS["compare"]] = compare
        if compare == "custom":
            for key in ("compare_start", "compare_end"):
                if values.get(key):
                    out[PARAMS[key]] = values[key].isoformat()
    for key in MULTI:
        chosen = list(values.get(key) or ())
        if chosen:
            out[PARAMS[key]] = [str(v) for v in chosen]
    if values.get("rate"):
        out[PARAMS["rate"]] = values["rate"]
    if values.get("target") is not None:
        out[PARAMS["target"]] = _target_text(float(values["target"]))
    if values.get("fold"):
        out[PARAMS["fold"]] = "1"
    if values.get("fill_due") is False:
        out[PARAMS["fill_due"]] = "0"
    return out


# --- Streamlit wiring ------------------------------------------------------------------------------------------

def current(keys=None) -> dict[str, str | list[str]]:
    """The address bar's parameters among `keys` (default: the sidebar's), a list for repeated keys."""
    wanted = set(PARAMS.values()) if keys is None else set(keys)
    out = {}
    for key in st.query_params:
        if key in wanted:
            values = st.query_params.get_all(key)
            out[key] = values if len(values) > 1 or key in {PARAMS[k] for k in MULTI} else values[0]
    return out


def is_new(params: Mapping) -> bool:
    """Parameters this session did not write itself: a link opened, or typed in the address bar."""
    return bool(params) and dict(params) != st.session_state.get(LAST_WRITTEN)


def sync_out(params: Mapping[str, str | list[str]], keys=None) -> None:
    """Make the address bar carry `params` among `keys` (default: the sidebar's); other parameters stay."""
    owned = set(PARAMS.values()) if keys is None else set(keys)
    now = current(owned)
    for key in now.keys() - params.keys():  # key by key: parameters of others (a widget's own binding) stay
        del st.query_params[key]
    for key, value in params.items():
        if now.get(key) != value:
            st.query_params[key] = value
    if keys is None:
        st.session_state[LAST_WRITTEN] = dict(params)
