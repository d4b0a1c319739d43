"""Tables for the screen: Vietnamese headers, numbers already written the Vietnamese way (the browser never
decides), and downloads (CSV with BOM for Excel, XLSX) with Vietnamese column headers."""
from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from analytics.analyses.bieu06 import COUNT_KEYS
from analytics.outputs import formatting as fmt
from analytics.outputs.labels import COLUMN_LABELS, GROUPING_LABELS, RATE_HEADER, TOTAL_ROW
from analytics.outputs.safe_cells import XLSX_OPTIONS, safe_frame
from ui import access


def bieu06(groups: pd.DataFrame, total: dict, by: str | None) -> pd.DataFrame:
    """The official table for display: one row per group, then "Tổng cộng"; counts as "1.365", rate as "95,2%"."""
    column = "label" if "label" in groups else "name"  # the official layout's rows carry numbered labels
    rows = groups.to_dict("records") + [{column: TOTAL_ROW, **total}]
    indent = "\u2003"  # em spaces: units under their level, fields under their unit
    out = pd.DataFrame({GROUPING_LABELS.get(by, "Nhóm"): [indent * int(r.get("depth", 0)) + str(r[column])
                                                           for r in rows]})
    for key in COUNT_KEYS:
        out[COLUMN_LABELS[key]] = [fmt.number(r[key]) for r in rows]
    out[RATE_HEADER] = [fmt.percent(r["on_time_rate"]) for r in rows]
    return out


def formatted(frame: pd.DataFrame, labels: dict[str, str], numbers=(), percents=(), dates=(),
              decimals=()) -> pd.DataFrame:
    """Selected columns, renamed to Vietnamese, values written the Vietnamese way."""
    out = pd.DataFrame(index=frame.index)
    for column, label in labels.items():
        values = frame[column]
        if column in numbers:
            values = values.map(fmt.number)
        elif column in percents:
            values = values.map(fmt.percent)
        elif column in dates:
            values = pd.to_datetime(values).dt.strftime("%d/%m/%Y").fillna("")  # vectorised: lists can be long
        elif column in decimals:
            values = values.map(fmt.decimal)
        out[label] = values
    return out.reset_index(drop=True)


def xlsx(frame: pd.DataFrame, sheet: str = "Dữ liệu") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS}) as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False)
        writer.sheets[sheet[:31]].set_column(0, len(frame.columns) - 1, 18)
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for Excel (UTF-8 with BOM), no cell read as a formula."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def downloads(frame: pd.DataFrame, name: str, key: str, readable=None) -> None:
    """CSV and XLSX buttons side by side; the files (and `readable(frame)`, the table for people) are made only
    when clicked, so long lists stay fast."""
    def table() -> pd.DataFrame:
        return readable(frame) if readable else frame

    if not access.can_change():  # outputs are an analyst's (issue 11): a viewer reads the screen
        return
    left, right = st.columns(2)
    left.download_button("Tải CSV", lambda: csv_bytes(table()), f"{name}.csv", "text/csv", key=f"{key}_csv",
                         width="stretch", on_click=access.export_recorder("csv", f"{name}.csv"))
    right.download_button("Tải XLSX", lambda: xlsx(table()), f"{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                          width="stretch", on_click=access.export_recorder("xlsx", f"{name}.xlsx"))


MAX_SHOWN_ROWS = 2000


def long_table(frame: pd.DataFrame, readable, name: str, key: str, height: int = 420) -> None:
    """A list of dossiers: the first MAX_SHOWN_ROWS on screen, written for people by `readable` (only those rows:
    the screen stays quick), and every row in the CSV/XLSX downloads."""
    if len(frame) > MAX_SHOWN_ROWS:
        st.caption(f"Hiện {fmt.number(MAX_SHOWN_ROWS)} dòng đầu trong {fmt.number(len(frame))}; tải CSV/XLSX để có "
                   "đủ danh sách.")
    shown = readable(frame.head(MAX_SHOWN_ROWS))
    st.dataframe(shown, hide_index=True, width="stretch", height=min(35 * (len(shown) + 2), height))
    downloads(frame, name, key, readable)
