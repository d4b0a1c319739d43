"""Hồ sơ trễ hạn: late and overdue dossiers, the inspection prompts, each dossier's timeline, downloads.

Laid out for a 1366 px laptop: the two tables by unit and by field stand one under the other with short headers
(the full wording in each header's tooltip), and the dossier list puts its dates before the long texts."""
import pandas as pd
import streamlit as st

from analytics.analyses.classification import (
    CELL,
    EARLY,
    EXCLUDED,
    LATE,
    ON_TIME,
    OUTSIDE,
    PENDING_IN_TIME,
    PENDING_OVERDUE,
    UNPLACEABLE,
    WITHDRAWN,
)
from analytics.analyses.late import late_totals
from analytics.ingest import personal
from analytics.model import schema as s
from analytics.outputs import formatting as fmt
from analytics.outputs.questions import question_text, question_title
from ui import access, analyses, data, sidebar, tables

access.page_guard()
chosen = sidebar.selection()
sidebar.header("Hồ sơ trễ hạn", chosen)
screens, by_unit, by_field, late, lists = analyses.inspection(chosen.source, chosen.filters,
                                                              chosen.period, chosen.fold_withdrawn)
STATES = {LATE: "Giải quyết quá hạn", PENDING_OVERDUE: "Đang quá hạn"}
# Where a dossier of a screening list stands (those lists hold dossiers that are not late too).
CELL_WORDS = {**STATES, EARLY: "Trước hạn", ON_TIME: "Đúng hạn", PENDING_IN_TIME: "Đang trong hạn",
              WITHDRAWN: "Rút / dừng xử lý", EXCLUDED: "Không tính", UNPLACEABLE: "Không xếp được",
              OUTSIDE: "Ngoài kỳ"}
# The list's columns: the case, where it stands, its dates (on screen at 1366 px), then the long texts.
DOSSIER_LABELS = {s.CASE_ID: "Mã hồ sơ", "state": "Tình trạng", s.RECEIVED_DATE: "Tiếp nhận",
                  s.ORIGINAL_DUE_DATE: "Hẹn ban đầu", s.DUE_DATE: "Hẹn trả", s.COMPLETED_DATE: "Có kết quả",
                  s.RETURNED_DATE: "Trả kết quả", "letter": "Thư xin lỗi", s.UNIT: "Cơ quan giải quyết",
                  s.FIELD: "Lĩnh vực", s.PROCEDURE_NAME: "Thủ tục"}
DOSSIER_HELP = {"state": "Ô của Biểu 06: giải quyết quá hạn (10); đang quá hạn (13): đang giải quyết, đã quá hạn "
                         "tại ngày cuối kỳ",
                s.RECEIVED_DATE: "Ngày tiếp nhận hồ sơ", s.ORIGINAL_DUE_DATE: "Ngày hẹn trả ghi lúc tiếp nhận, trước "
                "khi hẹn lại; trễ hạn tính theo ngày này khi tệp xuất có",
                s.DUE_DATE: "Ngày hẹn trả trong tệp xuất (sau khi hẹn lại, nếu có)",
                s.COMPLETED_DATE: "Ngày có kết quả giải quyết", s.RETURNED_DATE: "Ngày trả kết quả cho người nộp",
                "letter": "Tệp xuất có ghi thư (văn bản) xin lỗi và hẹn lại không; Không rõ: tệp không có cột này"}
DATES = (s.RECEIVED_DATE, s.ORIGINAL_DUE_DATE, s.DUE_DATE, s.COMPLETED_DATE, s.RETURNED_DATE)
DATE_WIDTH = 96


def dossier_view(frame: pd.DataFrame) -> tables.View:
    """The list's view; a date column the export does not have at all is left out (it would be empty)."""
    labels = {k: v for k, v in DOSSIER_LABELS.items() if k not in DATES or frame[k].notna().any()}
    return tables.View(labels, dates=DATES, help=DOSSIER_HELP, pinned=(s.CASE_ID,),
                       widths={s.CASE_ID: 150, "state": 130, "letter": 90, s.UNIT: "medium", s.FIELD: "medium",
                               s.PROCEDURE_NAME: "large", **dict.fromkeys(DATES, DATE_WIDTH)})


def prepared(frame: pd.DataFrame) -> pd.DataFrame:
    """Dossiers with their state and letter in words (no personal data: the dossiers carry none)."""
    return frame.assign(state=frame[CELL].map(CELL_WORDS).fillna("Khác"),
                        letter=frame[s.APOLOGY].map(lambda a: "Không rõ" if pd.isna(a) else "Có" if a else "Không"))


# Late dossiers per group: short headers, the whole wording in each header's tooltip.
LATE_LABELS = {"resolved_late": "GQ quá hạn (10)", "pending_overdue": "Đang quá hạn (13)",
               "late_total": "Tổng trễ hạn", "with_apology": "Có thư xin lỗi", "without_apology": "Không có thư",
               "apology_unknown": "Không rõ thư"}
LATE_HELP = {"resolved_late": "Đã giải quyết quá hạn: cột (10) Biểu 06",
             "pending_overdue": "Đang giải quyết, đã quá hạn tại ngày cuối kỳ: cột (13) Biểu 06",
             "late_total": "(10) + (13)",
             "with_apology": "Hồ sơ trễ hạn mà tệp xuất ghi có thư (văn bản) xin lỗi và hẹn lại",
             "without_apology": "Hồ sơ trễ hạn mà tệp xuất ghi không có thư xin lỗi",
             "apology_unknown": "Hồ sơ trễ hạn mà tệp xuất không ghi gì về thư xin lỗi (không có cột này): không "
                                "tính là không có thư"}


# Pixels, each header's own width: with the name's 270 they add up to 896, inside the 906 px a table has at 1366 px.
LATE_WIDTHS = {"resolved_late": 108, "pending_overdue": 122, "late_total": 96, "with_apology": 104,
               "without_apology": 98, "apology_unknown": 98}


def late_view(label: str) -> tables.View:
    return tables.View({"name": label, **LATE_LABELS}, counts=tuple(LATE_LABELS), help=LATE_HELP,
                       widths={"name": 270, **LATE_WIDTHS})


st.subheader("Gợi ý câu hỏi cho Đoàn giám sát")
st.caption("Đây là những điểm nên hỏi thêm, không phải kết luận sai phạm.")
empty = [screen for screen in screens if not screen.count]
for screen in screens:
    if not screen.count:
        continue
    with st.expander(f"{question_title(screen)}: {fmt.number(screen.count)} hồ sơ"
                     + (f" — {fmt.markdown_text(', '.join(screen.units))}" if screen.units else "")):
        st.write(question_text(screen))
        tables.long_table(screen.dossiers, dossier_view(screen.dossiers), f"goi-y-{screen.code}",
                          f"screen_{screen.code}", 400, prepared, screen.count,
                          analyses.everything(chosen.source, chosen.filters, lists[screen.code]))
if empty:
    st.caption("Không có hồ sơ nào: " + "; ".join(question_title(screen) for screen in empty) + ".")

st.subheader("Hồ sơ trễ hạn theo đơn vị và lĩnh vực")
for frame, label in ((by_unit, "Cơ quan giải quyết"), (by_field, "Lĩnh vực")):
    if frame.empty:
        st.success(f"Không có hồ sơ trễ hạn nào trong kỳ ({label.lower()}).")
        continue
    st.markdown(f"**Theo {label.lower()}**")
    tables.show(frame, late_view(label), height=tables.fitted_height(len(frame), 420))
if not by_unit.empty:
    sums = late_totals(by_unit)
    st.caption(f"Tổng cộng: {fmt.number(sums['late_total'])} hồ sơ trễ hạn ({fmt.number(sums['resolved_late'])} đã "
               f"giải quyết quá hạn, {fmt.number(sums['pending_overdue'])} đang quá hạn); "
               f"{fmt.number(sums['with_apology'])} có thư xin lỗi, {fmt.number(sums['without_apology'])} không có"
               + (f", {fmt.number(sums['apology_unknown'])} tệp xuất không ghi" if sums["apology_unknown"] else "")
               + ".")

st.subheader(f"Danh sách hồ sơ trễ hạn ({fmt.number(late.count)})")
if not late.count:
    st.success("Không có hồ sơ giải quyết quá hạn hay đang quá hạn trong kỳ.")
    st.stop()
filters = st.columns(3)
named = [name for name in by_unit["name"] if name != s.MISSING_GROUP]
units = filters[0].multiselect("Cơ quan", sorted(named), key="late_units", placeholder="Tất cả")
named = [name for name in by_field["name"] if name != s.MISSING_GROUP]
fields = filters[1].multiselect("Lĩnh vực", sorted(named), key="late_fields", placeholder="Tất cả")
state = filters[2].selectbox("Tình trạng", ["all", LATE, PENDING_OVERDUE], key="late_state",
                             format_func={"all": "Tất cả", **STATES}.get)
listed = late if not units and not fields and state == "all" else analyses.late_dossiers(
    chosen.source, chosen.filters, chosen.period, chosen.fold_withdrawn, tuple(units), tuple(fields),
    (LATE, PENDING_OVERDUE) if state == "all" else (state,))
chosen_late = listed.head
tables.long_table(chosen_late, dossier_view(late.head), f"ho-so-tre-han_{chosen.period.start:%Y%m%d}_"
                  f"{chosen.period.end:%Y%m%d}", "late", 480, prepared, listed.count,
                  analyses.everything(chosen.source, chosen.filters, listed))

case = st.selectbox("Xem diễn biến của một hồ sơ", [""] + chosen_late[s.CASE_ID].head(tables.MAX_SHOWN_ROWS).tolist(),
                    key="late_case", format_func=lambda c: c or "Chọn mã hồ sơ…")
if case:
    d = chosen_late[chosen_late[s.CASE_ID] == case].iloc[0]
    steps = [("Tiếp nhận", d[s.RECEIVED_DATE]), ("Hẹn trả ban đầu", d[s.ORIGINAL_DUE_DATE]),
             ("Hẹn trả", d[s.DUE_DATE]), ("Có kết quả", d[s.COMPLETED_DATE]), ("Trả kết quả", d[s.RETURNED_DATE])]
    st.markdown(" → ".join(f"**{label}** {fmt.date(day)}" for label, day in steps if pd.notna(day)))
    if pd.isna(d[s.COMPLETED_DATE]) and pd.isna(d[s.RETURNED_DATE]):
        st.markdown(f"Chưa có kết quả tại ngày chốt {fmt.date(chosen.period.end)}.")
    if access.can_change() and not chosen.source.is_sample:
        applicant = data.store().applicant(case)  # kept only with ONESTOP_KEEP_PERSONAL=1, masked; never exported
        if applicant:
            st.caption("Người nộp (đã che bớt, chỉ chuyên viên phân tích thấy, không có trong tệp tải về): "
                       + " · ".join(f"{personal.LABELS[k]}: {fmt.markdown_text(value)}"
                                    for k, value in applicant.items()))
