"""Biểu 06/VPCP/KSTT as an HTML table laid out as the form is printed, for a screen or a projector.

The form's grouped two-row header ("Số hồ sơ nhận giải quyết" over (3)–(6), "Số hồ sơ đã giải quyết" over (7)–(10),
"Số hồ sơ đang giải quyết" over (11)–(13), "Rút / dừng xử lý" (14)), the column numbers (1)…(14), level and unit
subtotals in bold, fields indented, the total last; numbers the Vietnamese way. Compact enough for all fourteen
columns at 1920×1080 without scrolling sideways: header text wraps, numbers never do. Every text that comes from
the data is HTML-escaped here, so the caller may hand the result to the browser as it is.
"""
from __future__ import annotations

from html import escape

import pandas as pd

from analytics.analyses.bieu06 import COUNT_KEYS
from analytics.outputs import formatting as fmt
from analytics.outputs.labels import (
    COLUMN_GROUPS,
    COLUMN_HEADERS,
    COLUMN_NUMBERS,
    GROUPING_LABELS,
    ROW_HEADER,
    TOTAL_ROW,
)

CSS_CLASS = "bieu06"
STYLE = f"""<style>
.{CSS_CLASS} {{ width: 100%; max-width: 100%; overflow-x: auto; }}
.{CSS_CLASS} table {{ width: 100%; border-collapse: collapse; color: #111111; background: #FFFFFF;
  font-size: clamp(11px, 0.45vw + 6px, 15px); line-height: 1.25; font-variant-numeric: tabular-nums; }}
.{CSS_CLASS}.large table {{ font-size: clamp(15px, 1.05vw + 3px, 24px); }}
.{CSS_CLASS} th, .{CSS_CLASS} td {{ border: 1px solid #444444; padding: 0.2em 0.35em; }}
.{CSS_CLASS} thead th {{ background: #DDEBF7; font-weight: 700; text-align: center; vertical-align: middle;
  overflow-wrap: break-word; }}
.{CSS_CLASS} thead tr.numbers th {{ background: #F2F2F2; font-weight: 400; font-style: italic; white-space: nowrap; }}
.{CSS_CLASS} td.count, .{CSS_CLASS} td.rate {{ text-align: right; white-space: nowrap; }}
.{CSS_CLASS} td.number {{ text-align: center; white-space: nowrap; }}
.{CSS_CLASS} th.name {{ min-width: 11em; }}
.{CSS_CLASS} tr.level td, .{CSS_CLASS} tr.unit td, .{CSS_CLASS} tr.total td {{ font-weight: 700; }}
.{CSS_CLASS} tr.level td {{ background: #F7F7F7; }}
.{CSS_CLASS} tr.field td.name {{ padding-left: 1.6em; }}
.{CSS_CLASS} tr.total td {{ background: #EDEDED; border-top: 2px solid #111111; }}
.{CSS_CLASS} td.rate, .{CSS_CLASS} th.rate {{ border-left: 2px solid #111111; }}
</style>"""
DEPTH_CLASSES = {0: "level", 1: "unit", 2: "field"}


def _cell(tag: str, text, css: str = "", **spans: int) -> str:
    attributes = "".join(f' {name}="{value}"' for name, value in spans.items() if value > 1)
    css = f' class="{css}"' if css else ""
    return f"<{tag}{css}{attributes}>{escape(str(text))}</{tag}>"


def columns(rates: bool, label: str = "25%") -> str:
    """Widths the browser aims at (it widens a column when its content needs more): a narrow STT, a wide label,
    equal count columns."""
    widths = ["3%", label, *["5.6%"] * len(COUNT_KEYS)] + (["4.8%"] if rates else [])
    return "<colgroup>" + "".join(f'<col style="width: {w}">' for w in widths) + "</colgroup>"


def header_rows(row_header: str, rate_header: str | None = None) -> str:
    """The form's header: the groups over their columns, the columns' own headers, then the numbers (1)…(14)."""
    first = [_cell("th", "STT", rowspan=2), _cell("th", row_header, "name", rowspan=2)]
    for title, span in COLUMN_GROUPS:
        first.append(_cell("th", title, colspan=span) if span > 1 else _cell("th", title, rowspan=2))
    if rate_header:
        first.append(_cell("th", rate_header, "rate", rowspan=2))
    second = [_cell("th", COLUMN_HEADERS[k]) for k in COUNT_KEYS if k != "withdrawn"]
    numbers = [_cell("th", n) for n in ("(1)", "(2)", *(COLUMN_NUMBERS[k] for k in COUNT_KEYS))]
    if rate_header:
        numbers.append(_cell("th", "", "rate"))
    return (f"<tr>{''.join(first)}</tr><tr>{''.join(second)}</tr>"
            f"<tr class=\"numbers\">{''.join(numbers)}</tr>")


def _numbering(label: str, name: str) -> str:
    """"I. Cấp huyện" -> "I"; "1. Phòng Tư pháp" -> "1"; "- Hộ tịch" -> "-" (the form's column (1))."""
    return label[:len(label) - len(name)].strip().rstrip(".") if label.endswith(name) else ""


def body_rows(groups: pd.DataFrame, total: dict, rates: bool = False) -> str:
    """One row per group (the official layout's levels and units in bold, its fields indented), then the total."""
    nested = "depth" in groups.columns
    rows = []
    for n, group in enumerate(groups.to_dict("records"), start=1):
        name = str(group["name"])
        if nested:
            depth = int(group["depth"])
            number, css = _numbering(str(group.get("label", name)), name), DEPTH_CLASSES.get(depth, "field")
        else:
            number, css = str(n), "group"
        rows.append(_row(number, name, group, css, rates))
    rows.append(_row("", TOTAL_ROW, total, "total", rates))
    return "".join(rows)


def _row(number: str, name: str, values: dict, css: str, rates: bool) -> str:
    cells = [_cell("td", number, "number"), _cell("td", name, "name")]
    cells += [_cell("td", fmt.number(values.get(k)), "count") for k in COUNT_KEYS]
    if rates:
        cells.append(_cell("td", fmt.percent(values.get("on_time_rate")), "rate"))
    return f'<tr class="{css}">{"".join(cells)}</tr>'


def bieu06_html(groups: pd.DataFrame, total: dict, by: str | None = "official", *, rate_header: str | None = None,
                large: bool = False, caption: str | None = None) -> str:
    """Biểu 06 as an HTML table with its style: `groups` as the core returns them (the official layout's "depth",
    "label", "name" columns, or a "name" per group), `total` the period's total. `rate_header`: add each row's
    on-time rate after column (14) under that header; `large`: type for a projector."""
    official = by in (None, "official") or "depth" in groups.columns
    row_header = ROW_HEADER if official else GROUPING_LABELS.get(by, "Nhóm")
    css = CSS_CLASS + (" large" if large else "")
    caption_html = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (f'{STYLE}<div class="{css}"><table>{caption_html}'
            f'{columns(rate_header is not None, "14%" if large else "25%")}'
            f"<thead>{header_rows(row_header, rate_header)}</thead>"
            f"<tbody>{body_rows(groups, total, rate_header is not None)}</tbody></table></div>")
