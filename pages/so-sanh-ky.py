"""So sánh kỳ: two periods side by side, changes with their intervals and the "too few to judge" notes."""
import pandas as pd
import streamlit as st

from analytics.analyses.comparison import changes_table
from analytics.model import periods
from analytics.model.rates import RATES
from analytics.outputs import charts
from analytics.outputs import formatting as fmt
from analytics.outputs.labels import GROUPING_LABELS
from ui import access, analyses, sidebar, tables

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
definition = RATES[chosen.rate]


frame = changes_table(total, groups)
cards = st.columns(3)
cards[0].metric("Tỷ lệ đúng hạn kỳ A", fmt.percent(total["rate_a"]["value"]))
cards[0].caption(f"{fmt.number(total['rate_a']['numerator'])}/{fmt.number(total['rate_a']['denominator'])}")
cards[1].metric("Tỷ lệ đúng hạn kỳ B", fmt.percent(total["rate_b"]["value"]))
cards[1].caption(f"{fmt.number(total['rate_b']['numerator'])}/{fmt.number(total['rate_b']['denominator'])}")
change = total["rate_change_pp"]
cards[2].metric("Thay đổi", "—" if change is None else f"{fmt.decimal(change)} điểm %")
cards[2].caption(total["note"] or (f"KTC 95%: {fmt.decimal(total['rate_change_ci95'][0])} đến "
                                   f"{fmt.decimal(total['rate_change_ci95'][1])} điểm %; p = "
                                   f"{fmt.decimal(total['p_value'], 3)}" if total["rate_change_ci95"] else ""))
st.plotly_chart(charts.comparison_figure(frame.iloc[1:], a.name or a.dates, b.name or b.dates), width="stretch")
shown = frame.assign(interval=[f"{fmt.decimal(lo)} đến {fmt.decimal(hi)}" if pd.notna(lo) else "—"
                               for lo, hi in zip(frame["low_pp"], frame["high_pp"])],
                     p_value=frame["p_value"].map(lambda p: fmt.decimal(p, 3)))
st.dataframe(tables.formatted(shown, {
    "name": GROUPING_LABELS[by], "rate_a": "Tỷ lệ A", "n_a": "Mẫu số A", "rate_b": "Tỷ lệ B", "n_b": "Mẫu số B",
    "change_pp": "Thay đổi (điểm %)", "interval": "KTC 95% (điểm %)", "p_value": "p", "note": "Ghi chú",
    "received": "Δ Nhận (3)", "resolved": "Δ Đã giải quyết (7)"},
    numbers=("n_a", "n_b", "received", "resolved"), percents=("rate_a", "rate_b"), decimals=("change_pp",)),
    hide_index=True, width="stretch")
st.caption(f"{definition.label} {definition.formula}. Khoảng tin cậy 95% của hiệu theo phương pháp Newcombe; p theo "
           "kiểm định z hai tỷ lệ. Dưới 30 hồ sơ ở mẫu số của một kỳ: quá ít hồ sơ để kết luận.")
