"""Đơn vị: units compared fairly (a funnel around the overall rate) and a unit × month heat map of the rate."""
import streamlit as st

from analytics.analyses.trends import heatmap_table
from analytics.model.rates import RATES
from analytics.outputs import charts
from analytics.outputs import formatting as fmt
from analytics.outputs.labels import with_flag_labels
from ui import access, analyses, sidebar, tables

access.page_guard()
chosen = sidebar.selection()
sidebar.header("Đơn vị", chosen)
args = (chosen.source, chosen.filters, chosen.period)
definition = RATES[chosen.rate]
units, curve, overall = analyses.units_funnel(*args, chosen.rate, chosen.fold_withdrawn)
if overall is None:
    st.warning(f"Không có hồ sơ nào để tính tỷ lệ trong kỳ {chosen.period.label}. Hãy chọn kỳ khác hoặc bỏ bớt "
               "bộ lọc.")
    st.stop()
st.markdown(f"Tỷ lệ chung: **{fmt.percent(overall)}** ({definition.label} {definition.formula}). Một đơn vị chỉ "
            "được coi là khác biệt khi nằm ngoài giới hạn kiểm soát ứng với số hồ sơ của chính nó, nên đơn vị ít hồ "
            "sơ không bị xếp đầu hay cuối bảng chỉ vì ngẫu nhiên.")
st.plotly_chart(charts.funnel_figure(units, curve, overall, definition.label), width="stretch")
ranked = with_flag_labels(units).sort_values(["flag", "rate"], key=lambda c: c.map(
    {"below": 0, "watch_below": 1, "inside": 2, "watch_above": 3, "above": 4, "empty": 5}) if c.name == "flag"
    else c)
unit_view = tables.View(
    {"name": "Đơn vị", "numerator": "Tử số", "denominator": "Mẫu số", "rate": "Tỷ lệ", "lower_95": "Giới hạn dưới 95%",
     "upper_95": "Giới hạn trên 95%", "flag_label": "Đánh giá"},
    counts=("numerator", "denominator"), rates=("rate", "lower_95", "upper_95"),
    help={"numerator": f"Hồ sơ được tính là đúng hạn: {definition.formula}",
          "denominator": f"Hồ sơ làm căn cứ tính tỷ lệ: {definition.formula}",
          "lower_95": "Giới hạn 95% ứng với số hồ sơ của đơn vị: tỷ lệ thấp hơn mức này khó là do ngẫu nhiên",
          "upper_95": "Giới hạn 95% ứng với số hồ sơ của đơn vị: tỷ lệ cao hơn mức này khó là do ngẫu nhiên"},
    widths={"name": "medium", "flag_label": "medium"})
tables.show(ranked, unit_view, height=tables.fitted_height(len(ranked), 600))

st.subheader("Tỷ lệ đúng hạn theo đơn vị và thời gian")
freq = st.radio("Theo", ["month", "quarter"], index=1, horizontal=True, key="units_freq",
                format_func={"month": "Tháng", "quarter": "Quý"}.get)
points = analyses.trend(*args, freq, chosen.cutoff, "unit", chosen.rate, chosen.fold_withdrawn)
st.plotly_chart(charts.heatmap_figure(*heatmap_table(points)), width="stretch")
