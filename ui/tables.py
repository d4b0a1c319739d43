"""Tables for the screen: Vietnamese headers; counts, rates and dates kept as values, so that a click on a header
sorts them as numbers and dates, and shown the Vietnamese way whatever the browser's language (1.365; 95,2%;
31/03/2019). Downloads (CSV with BOM for Excel, XLSX) keep the written forms, with Vietnamese column headers.

How each kind of column is shown (Streamlit 1.67, `st.column_config`):
- counts: `NumberColumn(format="%'.,d")`. Streamlit's printf formats take the grouping character after an
  apostrophe ("%'.,d" writes 1365 as 1.365), so the browser's language never decides.
- dates: `DateColumn(format="DD/MM/YYYY")` (a momentJS pattern), date-times "DD/MM/YYYY HH:mm".
- rates and decimals: printf writes a decimal point and the "percent"/"localized" presets follow the browser's
  language, so these columns take their text from a pandas Styler, written by Babel like every figure of the
  project (`analytics.outputs.formatting`), while the cell keeps its number: the grid sorts by the number and draws
  the text. Streamlit documents Styler text for formats it lacks; a column_config format would override it, so
  these columns get none.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from analytics.analyses.bieu06 import COUNT_KEYS
from analytics.outputs import formatting as fmt
from analytics.outputs.labels import (
    COLUMN_LABELS,
    COLUMN_NUMBERS,
    COLUMN_SHORT,
    GROUPING_LABELS,
    RATE_HEADER,
    TOTAL_ROW,
)
from analytics.outputs.safe_cells import XLSX_OPTIONS, safe_frame
from ui import access

COUNT_FORMAT = "%'.,d"          # 1.365
PLAIN_FORMAT = "%d"             # a row number or an id: 1365
SIGNED_COUNT_FORMAT = "%+'.,d"  # +1.365 / -822
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:mm"
DATETIME_SECONDS_FORMAT = "DD/MM/YYYY HH:mm:ss"
STRFTIME = {DATETIME_FORMAT: "%d/%m/%Y %H:%M", DATETIME_SECONDS_FORMAT: "%d/%m/%Y %H:%M:%S"}  # the same, for text
MISSING = fmt.DASH              # a cell with no value: a rate with nothing under it, a count not given


@dataclass(frozen=True)
class View:
    """How a frame is shown: which columns, in which order, under which Vietnamese headers, and the kind of each
    (columns not named in a kind are text)."""
    labels: Mapping[str, str]                 # column -> header, in the order shown
    counts: tuple[str, ...] = ()
    signed: tuple[str, ...] = ()              # counts of a change: +12, -3
    plain: tuple[str, ...] = ()               # whole numbers that are not amounts: row numbers, ids (no grouping)
    rates: tuple[str, ...] = ()               # shares 0..1, shown as 95,2%
    decimals: tuple[str, ...] = ()            # shown with one decimal (digits: another number of them)
    dates: tuple[str, ...] = ()
    datetimes: tuple[str, ...] = ()
    digits: Mapping[str, int] = field(default_factory=dict)
    datetime_format: str = DATETIME_FORMAT    # or DATETIME_SECONDS_FORMAT
    help: Mapping[str, str] = field(default_factory=dict)     # column -> the header's tooltip
    widths: Mapping[str, str | int] = field(default_factory=dict)  # column -> "small", "medium", "large" or px
    pinned: tuple[str, ...] = ()              # columns kept in view when the grid scrolls sideways

    def _text(self, column: str) -> Callable | None:
        """The Vietnamese text of a value of `column` (None for a text column)."""
        if column in self.counts:
            return fmt.number
        if column in self.signed:
            return fmt.signed_number
        if column in self.plain:
            return lambda x: str(int(x))
        if column in self.rates:
            return fmt.percent
        if column in self.decimals:
            digits = self.digits.get(column, 1)
            return lambda x: fmt.decimal(x, digits)
        if column in self.dates:
            return fmt.date
        if column in self.datetimes:
            return lambda x: pd.Timestamp(x).strftime(STRFTIME[self.datetime_format])
        return None

    def values(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The columns under their headers with their values kept: counts as integers (missing: <NA>), rates and
        decimals as floats, dates as dates."""
        out = pd.DataFrame(index=frame.index)
        for column, label in self.labels.items():
            values = frame[column]
            if column in self.counts or column in self.signed or column in self.plain:
                values = pd.to_numeric(values, errors="coerce").round().astype("Int64")
            elif column in self.rates or column in self.decimals:
                values = pd.to_numeric(values, errors="coerce").astype("float64")
            elif column in self.dates or column in self.datetimes:
                values = pd.to_datetime(values, errors="coerce")
            out[label] = values
        return out.reset_index(drop=True)

    def text(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The columns under their headers, written the Vietnamese way (for the CSV and XLSX downloads)."""
        out = self.values(frame)
        for column, label in self.labels.items():
            write = self._text(column)
            if write is not None:
                out[label] = [write(v) if v is not None and not pd.isna(v) else ("" if column in self.dates
                                                                                 or column in self.datetimes
                                                                                 else MISSING)
                              for v in out[label]]
        return out

    def styled(self, frame: pd.DataFrame):
        """What st.dataframe draws: the values, with the Vietnamese text of the rates and decimals (a Styler) when
        there are any."""
        shown = self.values(frame)
        texts = {self.labels[c]: self._text(c) for c in (*self.rates, *self.decimals) if c in self.labels}
        if not texts:
            return shown
        return shown.style.format(texts, na_rep=MISSING)

    def column_config(self) -> dict:
        """The grid's column settings: formats for counts and dates, help and widths for every column."""
        config = {}
        for column, label in self.labels.items():
            common = {"help": self.help.get(column), "width": self.widths.get(column),
                      "pinned": True if column in self.pinned else None}
            if column in self.counts:
                config[label] = st.column_config.NumberColumn(label, format=COUNT_FORMAT, **common)
            elif column in self.signed:
                config[label] = st.column_config.NumberColumn(label, format=SIGNED_COUNT_FORMAT, **common)
            elif column in self.plain:
                config[label] = st.column_config.NumberColumn(label, format=PLAIN_FORMAT, **common)
            elif column in self.rates or column in self.decimals:
                config[label] = st.column_config.NumberColumn(label, **common)  # the Styler's text (see above)
            elif column in self.dates:
                config[label] = st.column_config.DateColumn(label, format=DATE_FORMAT, **common)
            elif column in self.datetimes:
                config[label] = st.column_config.DatetimeColumn(label, format=self.datetime_format, **common)
            else:
                config[label] = st.column_config.TextColumn(label, **common)
        return config


def show(frame: pd.DataFrame, view: View, height: int | str = "auto", key: str | None = None) -> None:
    """The frame as a sortable grid, as `view` says."""
    st.dataframe(view.styled(frame), hide_index=True, width="stretch", height=height,
                 column_config=view.column_config(), placeholder=MISSING, key=key)


def fitted_height(rows: int, limit: int) -> int:
    """A grid's height for `rows` rows (header included), at most `limit` pixels."""
    return min(35 * (rows + 1) + 3, limit)


BIEU06_ROW = "row"


def bieu06(groups: pd.DataFrame, total: dict, by: str | None) -> tuple[pd.DataFrame, View]:
    """The official table as a grid: one row per group, then "Tổng cộng"; the counts and the rate stay numbers."""
    column = "label" if "label" in groups else "name"  # the official layout's rows carry numbered labels
    rows = groups.to_dict("records") + [{column: TOTAL_ROW, **total}]
    indent = "\u2003"  # em spaces: units under their level, fields under their unit
    frame = pd.DataFrame({BIEU06_ROW: [indent * int(r.get("depth", 0)) + str(r[column]) for r in rows],
                          **{key: [r[key] for r in rows] for key in COUNT_KEYS},
                          "on_time_rate": [r["on_time_rate"] for r in rows]})
    # Short headers with the column's number ("Đã GQ (7)"), so that more columns fit; the form's wording in the tooltip.
    view = View({BIEU06_ROW: GROUPING_LABELS.get(by, "Nhóm"),
                 **{k: f"{COLUMN_SHORT[k]} {COLUMN_NUMBERS[k]}" for k in COUNT_KEYS}, "on_time_rate": RATE_HEADER},
                counts=tuple(COUNT_KEYS), rates=("on_time_rate",), help={k: COLUMN_LABELS[k] for k in COUNT_KEYS},
                pinned=(BIEU06_ROW,), widths={BIEU06_ROW: "medium"})
    return frame, view


def xlsx(frame: pd.DataFrame, sheet: str = "Dữ liệu") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS}) as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False)
        writer.sheets[sheet[:31]].set_column(0, len(frame.columns) - 1, 18)
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for Excel (UTF-8 with BOM), no cell read as a formula."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def downloads(frame: pd.DataFrame, name: str, key: str, readable=None, everything=None) -> None:
    """CSV and XLSX buttons side by side; the files (and `readable(frame)`, the table for people) are made only
    when clicked, so long lists stay fast; `everything`: reads the whole list then, when `frame` is its first rows."""
    def table() -> pd.DataFrame:
        whole = everything() if everything is not None else frame
        return readable(whole) if readable else whole

    if not access.can_change():  # outputs are an analyst's (issue 11): a viewer reads the screen
        return
    left, right = st.columns(2)
    left.download_button("Tải CSV", lambda: csv_bytes(table()), f"{name}.csv", "text/csv", key=f"{key}_csv",
                         width="stretch", on_click=access.export_recorder("csv", f"{name}.csv"))
    right.download_button("Tải XLSX", lambda: xlsx(table()), f"{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                          width="stretch", on_click=access.export_recorder("xlsx", f"{name}.xlsx"))


MAX_SHOWN_ROWS = 2000


def long_table(frame: pd.DataFrame, view: View, name: str, key: str, height: int = 420,
               prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None, total: int | None = None,
               everything: Callable[[], pd.DataFrame] | None = None) -> None:
    """A list of dossiers: the first MAX_SHOWN_ROWS on screen (`prepare` adds the columns the view shows that the
    frame lacks, for those rows only: the screen stays quick), and every row in the CSV/XLSX downloads. A list
    left in the engine gives its first rows as `frame`, its length as `total` and `everything`, which reads it whole
    when a download is asked for."""
    prepare = prepare or (lambda f: f)
    total = len(frame) if total is None else total
    if total > MAX_SHOWN_ROWS:
        st.caption(f"Hiện {fmt.number(MAX_SHOWN_ROWS)} dòng đầu trong {fmt.number(total)}; tải CSV/XLSX để có "
                   "đủ danh sách.")
    shown = prepare(frame.head(MAX_SHOWN_ROWS))
    show(shown, view, height=fitted_height(len(shown), height))
    downloads(frame, name, key, lambda f: view.text(prepare(f)), everything)
