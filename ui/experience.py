"""The national index (QĐ 766) on the Trải nghiệm người dân screen: importing the portal's score file (analysts),
choosing the month and the body the whole data stand for, the official scores beside the estimates."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.access import audit
from analytics.ingest.national_index import month_of, parse_month, read_index
from analytics.model import issues as q
from analytics.model.national_index import GROUPS, KINDS, SCOPE_LABELS
from analytics.outputs import formatting as fmt
from ui import access, data, imports, tables

MONTH_KEY, BODY_KEY = "experience_index_month", "experience_index_body"
NONE = None


def month_words(month) -> str:
    return "Không đặt cạnh Bộ chỉ số" if month is None else f"Tháng {month[1]}/{month[0]}"


def chosen_month(months: list[tuple[int, int]], default) -> tuple[int, int] | None:
    """The month the screen sets beside the dossiers: the one chosen, else `default` (a month inside the period)."""
    if MONTH_KEY not in st.session_state:
        return default
    picked = st.session_state[MONTH_KEY]
    return tuple(picked) if picked and tuple(picked) in months else None


def _import_form() -> None:
    upload = imports.uploader("Tải tệp điểm Bộ chỉ số xuất từ Cổng Dịch vụ công quốc gia (.xlsx)", "index_upload",
                              [".xlsx", ".xls", ".ods"])
    if upload is None:
        return
    guessed = month_of(upload.name)
    text = st.text_input("Tháng của tệp (YYYY-MM)", value=f"{guessed[0]}-{guessed[1]:02d}" if guessed else "",
                         key="index_upload_month", help="Đọc từ tên tệp khi có (ví dụ bao_cao_T10_2025.xlsx)")
    if not st.button("Nhập điểm Bộ chỉ số", key="index_import", type="primary"):
        return
    month = parse_month(text)
    if month is None:
        st.error("Hãy ghi tháng của tệp dạng YYYY-MM, ví dụ 2025-10.")
        return
    try:
        scores = read_index(upload.getvalue(), upload.name, month)
    except q.FileRejected as rejected:
        st.error(q.describe(rejected.issue))
        return
    data.store().save_index(scores)
    access.record(audit.INDEX_IMPORTED, scores.file_name, {"month": f"{scores.year}-{scores.month:02d}",
                                                          "rows": len(scores.scores)})
    st.session_state[MONTH_KEY] = (scores.year, scores.month)
    st.rerun()


def _official_table(month: tuple[int, int]) -> None:
    scores = data.store().index_scores(*month)
    if scores is None:
        return
    frame = pd.DataFrame([{"name": sc.name, "kind": KINDS.get(sc.kind, ""), "scope": SCOPE_LABELS[sc.scope],
                           **sc.groups, "total": sc.total, "adds_up": "Đúng" if sc.adds_up else
                           "Không khớp" if sc.adds_up is False else "Thiếu số"} for sc in scores.scores])
    view = tables.View({"name": "Cơ quan", "kind": "Loại", "scope": "Loại điểm",
                        **{g.key: f"{g.label} ({g.points:g})" for g in GROUPS}, "total": "Tổng (100)",
                        "adds_up": "Tổng = sáu nhóm"},
                       decimals=(*(g.key for g in GROUPS), "total"), digits={g: 2 for g in
                                                                              (*(g.key for g in GROUPS), "total")},
                       widths={"name": "large"}, pinned=("name",))
    breaks = len(scores.breaks)
    st.caption(f"Tệp {fmt.markdown_text(scores.file_name)}: {fmt.number(len(scores.scores))} dòng; tổng điểm bằng "
               f"tổng sáu nhóm ở {fmt.number(len(scores.scores) - breaks)} dòng"
               + (f", không khớp ở {fmt.number(breaks)} dòng." if breaks else "."))
    tables.show(frame, view, height=tables.fitted_height(len(frame), 480))


def index_section(doc: dict, months: list[tuple[int, int]], default) -> None:
    """The tab: what the official scores say beside what the dossiers say."""
    st.caption("Điểm chính thức của Bộ chỉ số phục vụ người dân (Quyết định 766/QĐ-TTg) do Cổng Dịch vụ công quốc "
               "gia công bố, đặt cạnh ước tính từ hồ sơ cho các nhóm hồ sơ ước tính được. Ước tính không thay điểm "
               "chính thức.")
    if access.can_change():
        with st.expander("Nhập tệp điểm Bộ chỉ số", expanded=not months):
            _import_form()
    if not months:
        st.info("Chưa có điểm Bộ chỉ số nào. Chuyên viên phân tích nhập tệp điểm (ví dụ bao_cao_T10_2025.xlsx) ở "
                "trên, hoặc bằng lệnh: python -m analytics index import TỆP.xlsx")
        return
    options = [NONE, *months]
    current = chosen_month(months, default)
    left, right = st.columns(2)
    left.selectbox("Tháng của điểm", options, index=options.index(current), format_func=month_words, key=MONTH_KEY)
    index = doc.get("national_index")
    if index is None:
        st.caption("Chọn một tháng để đặt điểm chính thức cạnh ước tính từ hồ sơ.")
        return
    scores = data.store().index_scores(*current)
    names = [""] + [sc.name for sc in scores.scores if sc.scope != "year"]
    right.selectbox("Cơ quan mà toàn bộ dữ liệu đại diện (nếu có)", names, key=BODY_KEY,
                    format_func=lambda n: n or "Không (chỉ ghép theo tên đơn vị)",
                    help="Ví dụ dữ liệu là của cả tỉnh: chọn UBND tỉnh để đặt điểm của tỉnh cạnh ước tính từ toàn bộ "
                         "hồ sơ.")
    if index["rows"]:
        frame = pd.DataFrame(index["rows"])
        tables.show(frame, tables.View({c: c for c in frame.columns}, widths={
            "Cơ quan (Bộ chỉ số)": "medium", "Ước tính từ hồ sơ": "large"}),
                    height=tables.fitted_height(len(frame), 520))
    else:
        st.info("Không cơ quan nào trong tệp điểm ghép được với đơn vị trong dữ liệu "
                f"({fmt.number(index['unmatched_bodies'])} cơ quan). Nếu dữ liệu là của cả một cơ quan trong tệp, hãy chọn cơ quan đó ở ô bên phải.")
    for line in index["prompts"]:
        st.warning(fmt.markdown_text(line), icon=":material/rule:")
    for line in index["notes"]:
        st.caption(fmt.markdown_text(line))
    with st.expander("Toàn bộ điểm chính thức của tháng"):
        _official_table(current)
