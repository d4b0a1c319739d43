"""So sánh kỳ: two periods side by side, changes with their intervals and the "too few to judge" notes."""
import pandas as pd
import streamlit as st

from analytics.analyses import judgements
from analytics.analyses.bieu06 import COUNT_KEYS
from analytics.analyses.boundaries import merged_across, refused, reorganisation_warnings
from analytics.analyses.comparison import changes_table
from analytics.analyses.stats import MIN_JUDGEABLE
from analytics.model import periods
from analytics.model.rates import RATES
from analytics.model.unit_register import RECORDED
from analytics.outputs import charts
from analytics.outputs import formatting as fmt
from analytics.outputs import judged
from analytics.outputs.boundaries_words import not_comparable_sentence, warning_sentence
from analytics.outputs.labels import GROUPING_LABELS
from ui import access, analyses, data, sidebar, tables

access.page_guard()
chosen = sidebar.selection()
sidebar.header("So sánh kỳ", chosen)
# Default: the sidebar's period against its comparison; for the sample, the review's question, 2018 against Q1/2019.
default_a, default_b = (chosen.comparison, chosen.period) if chosen.comparison else (chosen.previous, chosen.period)
if chosen.source.is_sample and "cmp_a_start" not in st.session_state:
    default_a, default_b = periods.year(2018), periods.quarter(2019, 1)
for name, day in (("cmp_a_start", default_a.start), ("cmp_a_end", default_a.end), ("cmp_b_start", default_b.start),
                  ("cmp_b_end", default_b.end)):
    st.session_state.setdefault(name, day)
if st.button("Lấy kỳ ở thanh bên", key="cmp_reset", help="Kỳ B = kỳ đang chọn ở thanh bên; kỳ A = kỳ so sánh "
             "(hoặc kỳ liền trước)"):
    for name, day in (("cmp_a_start", default_a.start), ("cmp_a_end", default_a.end),
                      ("cmp_b_start", default_b.start), ("cmp_b_end", default_b.end)):
        st.session_state[name] = day
columns = st.columns(4)
a_start = columns[0].date_input("Kỳ A từ", key="cmp_a_start", format="DD/MM/YYYY")
a_end = columns[1].date_input("Kỳ A đến", key="cmp_a_end", format="DD/MM/YYYY")
b_start = columns[2].date_input("Kỳ B từ", key="cmp_b_start", format="DD/MM/YYYY")
b_end = columns[3].date_input("Kỳ B đến", key="cmp_b_end", format="DD/MM/YYYY")
if a_start > a_end or b_start > b_end:
    st.error("Ngày bắt đầu của mỗi kỳ phải trước hoặc bằng ngày kết thúc. Hãy chọn lại.")
    st.stop()
a, b = periods.custom(a_start, a_end), periods.custom(b_start, b_end)
a = default_a if (a.start, a.end) == (default_a.start, default_a.end) else a
b = default_b if (b.start, b.end) == (default_b.start, default_b.end) else b
st.markdown(f"Kỳ A: **{a.label}** — Kỳ B: **{b.label}**. Thay đổi = B − A.")
by = st.segmented_control("Nhóm theo", ["unit", "field", "level", "procedure", "channel"], default="field",
                          key="compare_by", format_func=GROUPING_LABELS.get) or "field"
total, groups, total_a, total_b = analyses.comparison(chosen.source, chosen.filters, a, b, by,
                                                      chosen.rate, chosen.fold_withdrawn)
said = {w.code for w in reorganisation_warnings([chosen.period] + ([chosen.comparison] if chosen.comparison else []))}
for warning in reorganisation_warnings([a, b]):   # the two periods chosen here, when the header has not said it
    if warning.code not in said:
        st.warning(warning_sentence(warning), icon=":material/account_tree:")
register = data.unit_register() if chosen.source.boundaries == RECORDED and by == "unit" else None
merged = merged_across(register, [g["name"] for g in groups], a, b) if register is not None else {}
for name, formed_from in merged.items():   # as recorded, a merged unit is not its predecessor: refused, said why
    st.warning(fmt.markdown_text(not_comparable_sentence(name, formed_from)), icon=":material/account_tree:")
groups = [refused(g, COUNT_KEYS) if g["name"] in merged else g for g in groups]
definition = RATES[chosen.rate]
rate_change = judgements.rate_change(total)
counts_comparable = judgements.same_length(a, b)

st.markdown(f"**Tỷ lệ đúng hạn từ kỳ A sang kỳ B: {judged.change_with_evidence(rate_change)}.**")
frame = changes_table(total, groups, judged.TOTAL_GROUP)
cards = st.columns(3)
cards[0].metric("Tỷ lệ đúng hạn kỳ A", fmt.percent(total["rate_a"]["value"]))
cards[0].caption(f"{fmt.number(total['rate_a']['numerator'])}/{fmt.number(total['rate_a']['denominator'])} hồ sơ")
cards[1].metric("Tỷ lệ đúng hạn kỳ B", fmt.percent(total["rate_b"]["value"]))
cards[1].caption(f"{fmt.number(total['rate_b']['numerator'])}/{fmt.number(total['rate_b']['denominator'])} hồ sơ")
cards[2].metric("Thay đổi (B − A)", judged.signed_points(rate_change.change_pp),
                help="Thay đổi của tỷ lệ đúng hạn, tính bằng điểm phần trăm")
cards[2].caption(judged.change_words(rate_change) + (f"; p = {fmt.decimal(total['p_value'], 3)}"
                                                     if total["p_value"] is not None else ""))
charted = frame.iloc[1:][~frame.iloc[1:]["name"].isin(merged)]   # a refused unit has no change to draw
st.plotly_chart(charts.comparison_figure(charted, a.name or a.dates, b.name or b.dates), width="stretch")

verdicts = [judged.change_words(rate_change)] + ["không so sánh được (đơn vị hợp nhất)" if g.get("not_comparable")
                                                  else judged.change_words(judgements.rate_change(g)) for g in groups]
shown = frame.assign(verdict=verdicts,
                     interval=[f"{fmt.decimal(lo)} đến {fmt.decimal(hi)}" if pd.notna(lo) else fmt.DASH
                               for lo, hi in zip(frame["low_pp"], frame["high_pp"])])
labels = {"name": GROUPING_LABELS[by], "rate_a": "Tỷ lệ A", "n_a": "Mẫu số A", "rate_b": "Tỷ lệ B", "n_b": "Mẫu số B",
          "change_pp": "Thay đổi (điểm %)", "interval": "KTC 95% (điểm %)", "p_value": "p", "verdict": "Đánh giá"}
if counts_comparable:  # counts of periods of different length say nothing (12 months against 3)
    labels |= {"received": "Δ Nhận (3)", "resolved": "Δ Đã giải quyết (7)"}
compare_view = tables.View(
    labels, counts=("n_a", "n_b"), signed=("received", "resolved"), rates=("rate_a", "rate_b"),
    decimals=("change_pp", "p_value"), digits={"p_value": 3},
    help={"n_a": f"Mẫu số của tỷ lệ ở kỳ A: {definition.formula}",
          "n_b": f"Mẫu số của tỷ lệ ở kỳ B: {definition.formula}",
          "change_pp": "Tỷ lệ B − tỷ lệ A, tính bằng điểm phần trăm",
          "interval": "Khoảng tin cậy 95% của thay đổi (phương pháp Newcombe): chứa 0 thì chưa nói được là tăng "
                      "hay giảm",
          "p_value": "Kiểm định z hai tỷ lệ; xem ghi chú phía trên bảng trước khi đọc p của từng nhóm",
          "received": "Số hồ sơ nhận giải quyết kỳ B − kỳ A", "resolved": "Số hồ sơ đã giải quyết kỳ B − kỳ A"},
    widths={"name": "medium", "verdict": "large"})
st.caption("Dòng đầu (Toàn bộ) là kết luận chính. Khi xét nhiều nhóm cùng lúc, vài nhóm có p < 0,05 có thể chỉ do "
           "ngẫu nhiên (khoảng 1 trong 20 nhóm dù không nhóm nào thay đổi thật): hãy xem dòng Toàn bộ trước, và coi "
           "khác biệt của từng nhóm là gợi ý để hỏi thêm, không phải kết luận.")
tables.show(shown, compare_view, height=tables.fitted_height(len(shown), 600))
if not counts_comparable:
    days_a, days_b = (a.end - a.start).days + 1, (b.end - b.start).days + 1
    st.caption(f"Kỳ A dài {fmt.number(days_a)} ngày, kỳ B {fmt.number(days_b)} ngày: không đặt số hồ sơ của hai kỳ "
               "cạnh nhau (kỳ dài hơn có nhiều hồ sơ hơn chỉ vì dài hơn), chỉ so tỷ lệ. Chọn hai kỳ cùng độ dài để "
               "xem thay đổi số hồ sơ.")
st.caption(f"{definition.label} {definition.formula}. Khoảng tin cậy 95% của hiệu theo phương pháp Newcombe; p theo "
           f"kiểm định z hai tỷ lệ. Dưới {MIN_JUDGEABLE} hồ sơ ở mẫu số của một kỳ: quá ít hồ sơ để kết luận.")
