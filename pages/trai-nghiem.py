"""Trải nghiệm người dân: online end to end or in part, the apology letters of late dossiers as the inspection team's
checklist (with the dossiers behind each number), ratings by unit with the unrated share, receiving points against
deciding units, and the national index (QĐ 766) beside estimates from the dossiers."""
import pandas as pd
import streamlit as st

from analytics.analyses import experience as x
from analytics.analyses.classification import DUE as EFFECTIVE_DUE, FINISH
from analytics.model.national_index import month_inside
from analytics.model import schema as s
from analytics.outputs import charts
from analytics.outputs import experience_words as words
from analytics.outputs import formatting as fmt
from ui import access, analyses, data, sidebar, tables
from ui.experience import BODY_KEY, chosen_month, index_section

access.page_guard()
chosen = sidebar.selection()
sidebar.header("Trải nghiệm người dân", chosen)
args = (chosen.source, chosen.filters, chosen.period, chosen.fold_withdrawn)
BY_WORDS = {"unit": "Cơ quan giải quyết", "field": "Lĩnh vực", "level": "Cấp", "procedure": "Thủ tục"}
by = st.radio("Nhóm theo", list(BY_WORDS), format_func=BY_WORDS.get, horizontal=True, key="experience_by")
months = [(y, m) for y, m, _ in data.store().index_months()]
default_month = month_inside(months, chosen.period.start, chosen.period.end)
index_month = chosen_month(months, default_month)
doc = analyses.experience(*args, by, index_month, data.store().versions().get("index_files"),
                          st.session_state.get(BODY_KEY) or None)
total, groups = doc["total"], pd.DataFrame(doc["groups"])


def metric(column, label: str, key: str, base: str, help_text: str) -> None:
    value = total.get(key)
    if value is None:
        column.metric(label, words.NO_DATA, help=help_text)
        return
    column.metric(label, f"{fmt.number(value)}/{fmt.number(total[base])}", help=help_text)
    share = value / total[base] if total[base] else None
    column.caption(f"{fmt.percent(share)} {words.LABELS_SHORT.get(base, '')}".strip())


top = st.columns(4)
metric(top[0], "Trực tuyến toàn trình", "online_full", x.RECEIVED_ONLINE,
       "Hồ sơ nộp trực tuyến toàn trình / hồ sơ nộp trực tuyến nhận mới trong kỳ")
metric(top[1], "Trễ hạn có văn bản xin lỗi", "late_with_letter", x.LATE_TOTAL,
       "Hồ sơ trễ hạn (cột 10 và 13 của Biểu 06) có văn bản xin lỗi / hồ sơ trễ hạn")
metric(top[2], "Hồ sơ có đánh giá hài lòng", "rated", x.RESOLVED_TOTAL,
       "Hồ sơ đã giải quyết có đánh giá / hồ sơ đã giải quyết (cột 7)")
if total.get("rated"):
    pleased = total["very_satisfied"] + total["satisfied"]
    top[2].caption(f"{fmt.percent(pleased / total['rated'])} hài lòng trở lên ({fmt.number(pleased)}/"
                   f"{fmt.number(total['rated'])} đánh giá)")
metric(top[3], "Tiếp nhận ở nơi khác", "received_elsewhere", "receiving_known",
       "Hồ sơ nhận trong kỳ ở một điểm tiếp nhận không phải bộ phận một cửa của chính đơn vị giải quyết / hồ sơ ghi "
       "rõ nơi tiếp nhận")
for caveat in doc["caveats"]:
    st.warning(fmt.markdown_text(caveat["message"]), icon=":material/report:")

GAPS = "—: không có dữ liệu (tệp xuất không có cột tương ứng) hoặc không có hồ sơ để tính tỷ lệ."


def view(keys: list[str]) -> tables.View:
    return tables.View({"name": BY_WORDS[by], **{k: words.LABELS[k] for k in keys}},
                       counts=tuple(k for k in keys if not k.endswith("_share")),
                       rates=tuple(k for k in keys if k.endswith("_share")), widths={"name": "medium"})


def group_table(keys: list[str]) -> None:
    if groups.empty:
        st.info("Không có hồ sơ nào trong kỳ với bộ lọc đã chọn.")
        return
    rows = pd.concat([groups, pd.DataFrame([{"name": "Tổng cộng", **total}])], ignore_index=True)
    tables.show(rows, view(keys), height=tables.fitted_height(len(rows), 420))
    st.caption(GAPS)


online, letters, ratings, receiving, index = st.tabs(
    ["Trực tuyến", "Văn bản xin lỗi", "Đánh giá hài lòng", "Nơi tiếp nhận", "Bộ chỉ số QĐ 766"])

with online:
    st.caption("Tính trên hồ sơ nộp trực tuyến nhận mới trong kỳ (cột 4 của Biểu 06). Từ 1/7/2025 Cổng Dịch vụ công "
               "quốc gia là kênh trực tuyến duy nhất.")
    if not groups.empty:
        st.plotly_chart(charts.online_levels_figure(groups), width="stretch")
    st.plotly_chart(charts.online_trend_figure(analyses.online_trend(chosen.source, chosen.filters, chosen.period,
                                                                     chosen.cutoff)), width="stretch")
    group_table(words.ONLINE_COLUMNS)

DETAIL = {s.CASE_ID: "Mã hồ sơ", s.UNIT: "Cơ quan giải quyết", s.PROCEDURE_NAME: "Thủ tục",
          s.RECEIVED_DATE: "Tiếp nhận", EFFECTIVE_DUE: "Hẹn trả ban đầu", s.DUE_DATE: "Hẹn trả (mới nhất)",
          FINISH: "Có kết quả", s.APOLOGY_DATE: "Ngày văn bản xin lỗi", s.EXTENSIONS: "Số lần hẹn lại"}
DETAIL_VIEW = tables.View(DETAIL, counts=(s.EXTENSIONS,),
                          dates=(s.RECEIVED_DATE, EFFECTIVE_DUE, s.DUE_DATE, FINISH, s.APOLOGY_DATE),
                          pinned=(s.CASE_ID,), widths={s.CASE_ID: 150, s.UNIT: "medium", s.PROCEDURE_NAME: "large"})

with letters:
    st.caption("Hồ sơ trễ hạn (cột 10 và 13 của Biểu 06) phải có văn bản xin lỗi và hẹn lại ngày trả trước ngày hẹn "
               "trả (Mẫu 04 Thông tư 01/2018/TT-VPCP; từ 1/7/2025 Mẫu 04 Thông tư 03/2025/TT-VPCP). Trễ hạn vẫn "
               "tính theo ngày hẹn trả ban đầu.")
    st.subheader("Danh sách kiểm tra của Đoàn giám sát")
    for line in doc["prompts"]:
        st.markdown(f"- {fmt.markdown_text(line)}")
    for key in words.CHECKLIST:
        count = total.get(key)
        label = f"{words.LABELS[key]}: {words.value_text(total, key)}"
        if not count:
            st.caption(label)
            continue
        with st.expander(label):
            listed = analyses.behind(*args, key)
            tables.long_table(listed.head, DETAIL_VIEW,
                              f"trai-nghiem_{key}_{chosen.period.start:%Y%m%d}_{chosen.period.end:%Y%m%d}",
                              f"behind_{key}", 360, total=listed.count,
                              everything=analyses.everything(chosen.source, chosen.filters, listed))
    group_table(words.LETTER_COLUMNS)

with ratings:
    st.caption("Tính trên hồ sơ đã giải quyết trong kỳ (cột 7). Tỷ lệ từng mức trên số hồ sơ có đánh giá; tỷ lệ chưa "
               "đánh giá trên số hồ sơ đã giải quyết. Đây không phải chỉ số hài lòng của Bộ chỉ số QĐ 766 (xem thẻ "
               "Bộ chỉ số).")
    if not groups.empty:
        st.plotly_chart(charts.ratings_figure(groups), width="stretch")
    group_table(words.RATING_COLUMNS)

with receiving:
    st.caption("Từ 1/7/2025 hồ sơ có thể nộp ở bất kỳ điểm tiếp nhận nào (phi địa giới): nơi tiếp nhận được tách "
               "khỏi đơn vị giải quyết. Bộ phận một cửa của chính đơn vị giải quyết không tính là nơi khác.")
    pairs = analyses.receiving_pairs(*args)
    if total.get("received_elsewhere") is None:
        st.info(words.NO_DATA.capitalize() + ": tệp xuất không có cột đơn vị tiếp nhận.")
    elif pairs.empty:
        st.success("Mọi hồ sơ ghi rõ nơi tiếp nhận đều nộp tại bộ phận một cửa của chính đơn vị giải quyết.")
    else:
        tables.show(pairs, tables.View({s.RECEIVING_UNIT: "Nơi tiếp nhận", s.UNIT: "Đơn vị giải quyết",
                                        "count": "Số hồ sơ"}, counts=("count",),
                                       widths={s.RECEIVING_UNIT: "medium", s.UNIT: "medium"}),
                    height=tables.fitted_height(len(pairs), 420))
    group_table(words.RECEIVING_COLUMNS)

with index:
    index_section(doc, months, default_month)
