"""The reconciliation screen's Streamlit side: reading and storing a reported table, the reported-row mapping the
user corrects, the cached reconciliation, and its tables for people."""
from __future__ import annotations

import dataclasses
import json

import pandas as pd
import streamlit as st

from analytics.access import audit
from analytics.analyses.filters import Filters
from analytics.analyses.reconciliation import Reconciliation, reconcile
from analytics.dossiers.store import Store
from analytics.model import issues as q
from analytics.model.periods import Period
from analytics.model.reported import (
    ROLE_CORRECTION,
    ROW_CORRECTION,
    SUBTOTAL_ROW,
    TOTAL_ROW,
    UNIT_ROW,
    ReportedTable,
    RowCorrections,
)
from analytics.outputs import formatting as fmt
from analytics.analyses.report_arithmetic import SUM_OF_ROWS
from analytics.outputs.reconciliation_outputs import likely_cause
from analytics.outputs.reported_words import break_cells, break_identity, figure, key_label
from ui import access, data

REPORTED = "Tên trong biểu báo cáo"
DIFFERENT = "#FDE2D6"  # a pale vermillion behind a cell the data do not confirm


def read_and_store(store: Store, content: bytes, name: str) -> tuple[int | None, str]:
    """(the stored table's id, a Vietnamese message in Markdown); None when the file cannot be used (nothing is
    stored)."""
    shown = fmt.markdown_text(name)  # the message is Markdown: the file's name and what it quotes, escaped
    try:
        table = store.read_reported(content, name)   # with the column readings remembered for its layout
    except q.FileRejected as rejected:
        return None, f"Không dùng được {shown}: {fmt.markdown_text(q.describe(rejected.issue))}"
    reported_id, new = store.save_reported(table)
    if new:
        access.record(audit.REPORTED_IMPORT, name, {"reported_id": reported_id})
    notices = "".join(f"\n- {fmt.markdown_text(q.describe(i))}" for i in table.issues)
    return reported_id, (f"Đã đọc {shown}: {fmt.number(len(table.rows))} dòng, {fmt.number(len(table.keys))} chỉ "
                         f"tiêu nhận ra" if new else f"{shown} đã được lưu trước đó (biểu số {reported_id})") + notices


KIND, NUMBER_ON_SHEET, MATCH, SUGGESTED, USE_SUGGESTION = (
    "Loại dòng", "Dòng trên trang", "Khớp với (trong dữ liệu)", "Gợi ý (chưa dùng)", "Dùng gợi ý")
KIND_LABELS = {UNIT_ROW: "Đơn vị", SUBTOTAL_ROW: "Dòng cộng", TOTAL_ROW: "Tổng cộng"}
AUTO = "—"   # no match said: the program matches by name (a subtotal or the total is never matched)


def corrections_editor(store: Store, table: ReportedTable, rec: Reconciliation, said: RowCorrections,
                       editable: bool) -> None:
    """What each row of the table was read as (unit, subtotal, total) and which group of the data each unit row is
    matched to, with the suggestions to confirm; an analyst's change is remembered for the tables of this layout
    (matches: for this grouping) and the screen is drawn again with it. A viewer sees the structure only."""
    shape = rec.shape
    matched = {r.sheet_row: r.matched_to for r in rec.rows if not r.is_total}
    suggested = {u.sheet_row: u.evidence["suggestions"][0] for u in rec.unmatched_reported
                 if u.evidence.get("suggestions")}
    groups = sorted({*matched.values(), *(u.name for u in rec.unmatched_recomputed), *said.matches.values()})
    frame = pd.DataFrame({
        NUMBER_ON_SHEET: pd.array([r.sheet_row for r in shape.rows], dtype="Int64"),
        REPORTED: [r.name for r in shape.rows],
        KIND: [KIND_LABELS[r.role] for r in shape.rows],
        MATCH: [matched.get(r.sheet_row, AUTO) if r.role == UNIT_ROW else AUTO for r in shape.rows],
        SUGGESTED: [suggested.get(r.sheet_row, "") for r in shape.rows],
        USE_SUGGESTION: [False] * len(shape.rows),
    })
    if not editable:
        st.dataframe(frame.drop(columns=[USE_SUGGESTION]), hide_index=True, width="stretch")
        return
    st.caption("Sửa loại dòng khi chương trình hiểu sai (dòng cộng không được khớp với đơn vị nào và không cộng vào "
               "tổng), chọn đơn vị trong dữ liệu cho dòng chưa khớp, hoặc đánh dấu \"Dùng gợi ý\" để xác nhận gợi ý. "
               "Cách sửa được nhớ cho các biểu cùng mẫu (cách khớp: cho cách đối chiếu đang chọn).")
    edited = st.data_editor(
        frame, hide_index=True, width="stretch", key=f"corrections_{table.sha256}_{rec.by}_{hash(said.key())}",
        disabled=[NUMBER_ON_SHEET, REPORTED, SUGGESTED],
        column_config={
            NUMBER_ON_SHEET: st.column_config.NumberColumn(NUMBER_ON_SHEET, width=70),
            REPORTED: st.column_config.TextColumn(REPORTED, width=240),
            KIND: st.column_config.SelectboxColumn(KIND, options=list(KIND_LABELS.values()), required=True,
                                                   width=120),
            MATCH: st.column_config.SelectboxColumn(MATCH, options=[AUTO, *groups], width=300,
                                                    help=f'"{AUTO}": chương trình tự khớp theo tên (dòng cộng, dòng '
                                                         "tổng không khớp với đơn vị nào)"),
            SUGGESTED: st.column_config.TextColumn(SUGGESTED, width=260),
            USE_SUGGESTION: st.column_config.CheckboxColumn(USE_SUGGESTION, width=100)})
    roles, matches = _changes(frame, edited, shape, said)
    if roles or matches:
        store.remember_corrections(table.layout, "", ROLE_CORRECTION, roles)
        store.remember_corrections(table.layout, rec.by, ROW_CORRECTION, matches)
        access.record(audit.ROW_MAP, table.file, {"rows": len(matches), "roles": len(roles)})
        st.rerun()


def _changes(before: pd.DataFrame, after: pd.DataFrame, shape, said: RowCorrections
             ) -> tuple[dict[str, str], dict[str, str]]:
    """({sheet row: role} changed, {reported name: group} changed; "" forgets a remembered match)."""
    by_label = {label: role for role, label in KIND_LABELS.items()}
    roles, matches = {}, {}
    for row, old, new in zip(shape.rows, before.to_dict("records"), after.to_dict("records")):
        if new[KIND] != old[KIND] and row.sheet_row is not None:
            roles[str(row.sheet_row)] = by_label.get(new[KIND], UNIT_ROW)
        target = new[SUGGESTED] if new[USE_SUGGESTION] and new[SUGGESTED] else (new[MATCH] or AUTO)
        if target != (old[MATCH] or AUTO):
            if target != AUTO:
                matches[row.name] = target
            elif row.name in said.matches:
                matches[row.name] = ""
    return roles, matches


@st.cache_resource(show_spinner="Đang đối chiếu…", max_entries=8)
def _reconciliation(key: tuple, filters: Filters, period: Period, reported_id: int, by: str, tolerance: float,
                    corrections: tuple, rate: str, fold: bool, _source: data.Source,
                    _table: ReportedTable) -> Reconciliation:
    matches, roles = corrections
    return reconcile(_table, data.period_dossiers(_source, filters, [period]), period, by, tolerance, dict(matches), rate, fold,
                     data.missing_fields(_source), dict(roles))


def reconciliation(source: data.Source, filters: Filters, period: Period, table: ReportedTable, reported_id: int,
                   by: str, tolerance: float, said: RowCorrections, rate: str, fold: bool) -> Reconciliation:
    """The reported table beside the figures recomputed for the period with the corrections remembered for it
    (cached per data version, choices and corrections)."""
    return _reconciliation(source.key, filters, period, reported_id, by, float(tolerance), said.key(), rate, fold,
                           source, table)


# The tables' columns. Numbers stay numbers (they sort as numbers) and are written the Vietnamese way by `styled`.
# The columns a reader needs first come first: at 1280–1366 px only the last may need the grid's own scroll.
ROW, SHEET_ROW, CHECK, CELLS, GAP = "Dòng", "Dòng trên trang", "Phép kiểm tra", "Các ô", "Chênh lệch"
NAME, MATCHED, KEY, REPORTED_FIGURE, RECOMPUTED, DIFFERENCE, AGREES = (
    "Dòng báo cáo", "Khớp với", "Chỉ tiêu", "Báo cáo", "Tính lại", "Chênh lệch", "Khớp")
CAUSE, SUM = "Nguyên nhân có thể", "Tổng các dòng"
NO, YES, BELOW = "KHÔNG", "có", "do dòng dưới"


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
            AGREES: "" if cell.within_tolerance is None else YES if cell.within_tolerance else
            BELOW if cell.explained else NO}


def _frame(lines: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(lines, columns=[NAME, KEY, REPORTED_FIGURE, RECOMPUTED, DIFFERENCE, AGREES, MATCHED])
    for column in (REPORTED_FIGURE, RECOMPUTED, DIFFERENCE):
        frame[column] = pd.array(frame[column].tolist(), dtype="Float64")
    return frame


def differing_table(rec: Reconciliation) -> pd.DataFrame:
    """The reported figures the dossiers do not confirm, the largest difference first (none agrees: no "Khớp"),
    each with its likely cause."""
    differing = rec.differing()
    frame = _frame([_line(row, key, cell) for row, key, cell in differing]).drop(columns=AGREES)
    frame.insert(5, CAUSE, [likely_cause(rec, row, key) for row, key, _ in differing])
    return frame


def sum_breaks_table(rec: Reconciliation) -> pd.DataFrame:
    """The table's own sums that break (its total, its subtotals against their rows): the row, the column, the
    figure, the sum of its rows and the gap."""
    return pd.DataFrame({
        ROW: [b.row for b in rec.sum_breaks],
        KEY: [key_label(b.terms[0]) for b in rec.sum_breaks],
        REPORTED_FIGURE: pd.array([b.cells[b.terms[0]] for b in rec.sum_breaks], dtype="Float64"),
        SUM: pd.array([b.cells[SUM_OF_ROWS] for b in rec.sum_breaks], dtype="Float64"),
        GAP: pd.array([b.gap for b in rec.sum_breaks], dtype="Float64"),
        CHECK: [break_identity(b) for b in rec.sum_breaks],
        SHEET_ROW: pd.array([b.sheet_row for b in rec.sum_breaks], dtype="Int64"),
    })


def other_breaks_table(rec: Reconciliation) -> pd.DataFrame:
    """The table's other arithmetic that fails: identities and rates within a row."""
    others = [b for b in rec.breaks if b not in rec.sum_breaks]
    return breaks_table(dataclasses.replace(rec, breaks=others))


def side_by_side(rec: Reconciliation) -> pd.DataFrame:
    """One line per reported row and figure: reported, recomputed, the difference and whether it is accepted; the
    figures the dossiers do not confirm first (largest difference first), then the others in the table's order."""
    differing = rec.differing()
    shown = {(id(row), key) for row, key, _ in differing}
    return _frame([_line(row, key, cell) for row, key, cell in differing]
                  + [_line(row, key, cell) for row in rec.compared_rows() for key, cell in row.cells.items()
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
    formats = {c: _number for c in (SHEET_ROW, REPORTED_FIGURE, RECOMPUTED, SUM) if c in frame}
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
        AGREES: st.column_config.TextColumn(AGREES, width=90, help='"do dòng dưới": chênh lệch của dòng tổng hoặc '
                                            "dòng cộng chỉ do các dòng đơn vị bên dưới, không tính là chênh lệch riêng"),
        CAUSE: st.column_config.TextColumn(CAUSE, width=320),
        SUM: st.column_config.NumberColumn(SUM, width=100, help="Tổng các dòng đơn vị mà dòng này cộng"),
        MATCHED: st.column_config.TextColumn(MATCHED, width=220, help="Đơn vị (lĩnh vực, cấp) trong dữ liệu hồ sơ"),
    }
    if CHECK in frame:  # the breaks' gap, not a difference from the dossiers
        config[GAP] = st.column_config.NumberColumn(GAP, width=95, help="Vế trái − vế phải của phép kiểm tra")
    return {c: v for c, v in config.items() if c in frame}


def json_bytes(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")
