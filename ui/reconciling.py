"""The reconciliation screen's Streamlit side: reading and storing a reported table, the reported-row mapping the
user corrects, the cached reconciliation, and its tables for people."""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from analytics.access import audit
from analytics.analyses.filters import Filters
from analytics.analyses.reconciliation import Reconciliation, reconcile
from analytics.dossiers.store import Store
from analytics.ingest.reported_table import read_reported_table
from analytics.model import issues as q
from analytics.model.periods import Period
from analytics.model.reported import ReportedTable
from analytics.outputs import formatting as fmt
from analytics.outputs.reported_words import break_cells, break_identity, figure, key_label
from ui import access, data

REPORTED, DATA_NAME = "Tên trong biểu báo cáo", "Tên trong dữ liệu (để trống: tự khớp)"
DIFFERENT = "#FDE2D6"  # a pale vermillion behind a cell the data do not confirm


def read_and_store(store: Store, content: bytes, name: str) -> tuple[int | None, str]:
    """(the stored table's id, a Vietnamese message in Markdown); None when the file cannot be used (nothing is
    stored)."""
    shown = fmt.markdown_text(name)  # the message is Markdown: the file's name and what it quotes, escaped
    try:
        table = read_reported_table(content, name=name)
    except q.FileRejected as rejected:
        return None, f"Không dùng được {shown}: {fmt.markdown_text(q.describe(rejected.issue))}"
    reported_id, new = store.save_reported(table)
    if new:
        access.record(audit.REPORTED_IMPORT, name, {"reported_id": reported_id})
    notices = "".join(f"\n- {fmt.markdown_text(q.describe(i))}" for i in table.issues)
    return reported_id, (f"Đã đọc {shown}: {fmt.number(len(table.rows))} dòng, {fmt.number(len(table.keys))} chỉ "
                         f"tiêu nhận ra" if new else f"{shown} đã được lưu trước đó (biểu số {reported_id})") + notices


def row_map_editor(store: Store, table: ReportedTable, reported_id: int, editable: bool = True) -> dict[str, str]:
    """The user's corrections: reported row name -> the unit (or field, level) name in the data; what was corrected
    before (here or with --map-row) is filled in, and a new correction is remembered for the next tables. Not
    `editable`: the remembered corrections only (a viewer's)."""
    key = f"row_map_{reported_id}"
    remembered = store.remembered_row_map()
    names = [n for n, total in zip(table.rows["name"], table.rows["is_total"]) if not total]
    if not editable:
        return {n: remembered[n] for n in names if remembered.get(n)}
    with st.expander("Sửa cách khớp dòng của biểu với đơn vị trong dữ liệu (được nhớ cho các biểu sau)"):
        edited = st.data_editor(pd.DataFrame({REPORTED: names, DATA_NAME: [remembered.get(n, "") for n in names]}),
                                hide_index=True, width="stretch", disabled=[REPORTED], key=key)
    row_map = {r[REPORTED]: r[DATA_NAME].strip() for r in edited.to_dict("records")
               if isinstance(r[DATA_NAME], str) and r[DATA_NAME].strip()}
    changed = {name: target for name, target in row_map.items() if remembered.get(name) != target}
    if changed:
        store.remember_row_map(changed)
        access.record(audit.ROW_MAP, table.file, {"rows": len(changed)})
    return row_map


@st.cache_resource(show_spinner="Đang đối chiếu…", max_entries=8)
def _reconciliation(key: tuple, filters: Filters, period: Period, reported_id: int, by: str, tolerance: float,
                    row_map: tuple, rate: str, fold: bool, _source: data.Source,
                    _table: ReportedTable) -> Reconciliation:
    return reconcile(_table, data.filtered(_source, filters), period, by, tolerance, dict(row_map), rate, fold,
                     data.missing_fields(_source))


def reconciliation(source: data.Source, filters: Filters, period: Period, table: ReportedTable, reported_id: int,
                   by: str, tolerance: float, row_map: dict[str, str], rate: str, fold: bool) -> Reconciliation:
    """The reported table beside the figures recomputed for the period (cached per data version and choices)."""
    return _reconciliation(source.key, filters, period, reported_id, by, float(tolerance),
                           tuple(sorted(row_map.items())), rate, fold, source, table)


# The tables' columns. Numbers stay numbers (they sort as numbers) and are written the Vietnamese way by `styled`.
# The columns a reader needs first come first: at 1280–1366 px only the last may need the grid's own scroll.
ROW, SHEET_ROW, CHECK, CELLS, GAP = "Dòng", "Dòng trên trang", "Phép kiểm tra", "Các ô", "Chênh lệch"
NAME, MATCHED, KEY, REPORTED_FIGURE, RECOMPUTED, DIFFERENCE, AGREES = (
    "Dòng báo cáo", "Khớp với", "Chỉ tiêu", "Báo cáo", "Tính lại", "Chênh lệch", "Khớp")
NO, YES = "KHÔNG", "có"


def breaks_table(rec: Reconciliation) -> pd.DataFrame:
    """The reported table's own arithmetic that fails: each break's row, the check, its cells and the gap (left side
    minus right side; a total row's: its figure minus the sum of the other rows)."""
    return pd.DataFrame({
        ROW: [b.row for b in rec.breaks],
        GAP: pd.array([b.gap for b in rec.breaks], dtype="Float64"),
        CHECK: [break_identity(b) for b in rec.breaks],
        CELLS: [break_cells(b) for b in rec.breaks],
        SHEET_ROW: pd.array([b.sheet_row for b in rec.breaks], dtype="Int64"),
    })


def _line(row, key: str, cell) -> dict:
    return {NAME: row.name, MATCHED: row.matched_to, KEY: key_label(key), REPORTED_FIGURE: cell.reported,
            RECOMPUTED: cell.recomputed, DIFFERENCE: cell.difference,
            AGREES: "" if cell.within_tolerance is None else YES if cell.within_tolerance else NO}


def _frame(lines: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(lines, columns=[NAME, KEY, REPORTED_FIGURE, RECOMPUTED, DIFFERENCE, AGREES, MATCHED])
    for column in (REPORTED_FIGURE, RECOMPUTED, DIFFERENCE):
        frame[column] = pd.array(frame[column].tolist(), dtype="Float64")
    return frame


def differing_table(rec: Reconciliation) -> pd.DataFrame:
    """The reported figures the dossiers do not confirm, the largest difference first (none agrees: no "Khớp")."""
    return _frame([_line(row, key, cell) for row, key, cell in rec.differing()]).drop(columns=AGREES)


def side_by_side(rec: Reconciliation) -> pd.DataFrame:
    """One line per reported row and figure: reported, recomputed, the difference and whether it is accepted; the
    figures the dossiers do not confirm first (largest difference first), then the others in the table's order."""
    differing = rec.differing()
    shown = {(id(row), key) for row, key, _ in differing}
    return _frame([_line(row, key, cell) for row, key, cell in differing]
                  + [_line(row, key, cell) for row in rec.rows for key, cell in row.cells.items()
                     if (id(row), key) not in shown])


def _number(value) -> str:
    return fmt.DASH if value is None or pd.isna(value) else figure(value)


def _signed(value) -> str:
    if value is None or pd.isna(value):
        return fmt.DASH
    if value == 0:
        return "0"
    return fmt.signed_number(value) if float(value).is_integer() else \
        ("+" if value > 0 else "") + fmt.decimal(value)


def highlight(frame: pd.DataFrame) -> pd.DataFrame:
    """Styles: the lines the data do not confirm, shaded."""
    shade = frame[AGREES].eq(NO) if AGREES in frame else pd.Series(True, index=frame.index)
    return pd.DataFrame([[f"background-color: {DIFFERENT}" if s else "" for _ in frame.columns] for s in shade],
                        index=frame.index, columns=frame.columns)


def styled(frame: pd.DataFrame, shade: bool = True):
    """The frame for st.dataframe: numbers kept as numbers (a click on a header sorts them as numbers) but shown the
    Vietnamese way (1.365, +10, —); with `shade`, the lines the dossiers do not confirm shaded."""
    formats = {c: _number for c in (SHEET_ROW, REPORTED_FIGURE, RECOMPUTED) if c in frame}
    formats |= {c: _signed for c in (GAP, DIFFERENCE) if c in frame}
    style = frame.style.format(formats)
    return style.apply(highlight, axis=None) if shade else style


def column_config(frame: pd.DataFrame) -> dict:
    """Widths and help for the tables' columns; numeric columns declared numeric."""
    config = {
        ROW: st.column_config.TextColumn(ROW, width=170),
        NAME: st.column_config.TextColumn(NAME, width=220),
        KEY: st.column_config.TextColumn(KEY, width=200),
        CHECK: st.column_config.TextColumn(CHECK, width=265),
        CELLS: st.column_config.TextColumn(CELLS, width=255),
        SHEET_ROW: st.column_config.NumberColumn(SHEET_ROW, width=100, help="Số dòng trong tệp bảng tính đã tải lên"),
        REPORTED_FIGURE: st.column_config.NumberColumn(REPORTED_FIGURE, width=80),
        RECOMPUTED: st.column_config.NumberColumn(RECOMPUTED, width=80,
                                                  help="Tính lại từ hồ sơ của kỳ và phạm vi đang chọn"),
        DIFFERENCE: st.column_config.NumberColumn(DIFFERENCE, width=95, help="Báo cáo − tính lại"),
        AGREES: st.column_config.TextColumn(AGREES, width=70),
        MATCHED: st.column_config.TextColumn(MATCHED, width=220, help="Đơn vị (lĩnh vực, cấp) trong dữ liệu hồ sơ"),
    }
    if CHECK in frame:  # the breaks' gap, not a difference from the dossiers
        config[GAP] = st.column_config.NumberColumn(GAP, width=95, help="Vế trái − vế phải của phép kiểm tra")
    return {c: v for c, v in config.items() if c in frame}


def json_bytes(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")
