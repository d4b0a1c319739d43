"""Tổng quan: the headline figures of the official table for a period."""
import streamlit as st

from analytics import formatting as fmt
from analytics.classification import official_table
from analytics.periods import Period
from analytics.exports import COLUMN_HEADERS
from analytics.overview import default_period, headline_sentence
from ui.data import load

data = load()
st.title("Tổng quan giải quyết hồ sơ TTHC")
st.caption(data.description)
defaults = default_period(data.dossiers)
if defaults is None:
    st.info("Chưa có hồ sơ nào. Tải lên tệp xuất hồ sơ của quý để bắt đầu: "
            "`python -m analytics import TỆP…`")
    st.stop()

start_default, end_default = defaults
left, right = st.columns(2)
start = left.date_input("Từ ngày", value=start_default, format="DD/MM/YYYY", key="period_start")
end = right.date_input("Đến ngày", value=end_default, format="DD/MM/YYYY", key="period_end")
if start > end:
    st.error("Ngày bắt đầu kỳ phải trước hoặc bằng ngày kết thúc. Hãy chọn lại kỳ.")
    st.stop()

period = Period(start, end)
table = official_table(data.dossiers, period, by="unit")
t = table.total
st.subheader(f"Kỳ {period.label}")
st.write(headline_sentence(table))

c1, c2, c3, c4 = st.columns(4)
c1.metric("Hồ sơ nhận giải quyết (3)", fmt.number(t["received_total"]),
          help=f"Trong kỳ {fmt.number(t['received_online'] + t['received_direct_postal'])}, "
               f"từ kỳ trước {fmt.number(t['carried_over'])}")
c2.metric("Đã giải quyết (7)", fmt.number(t["resolved_total"]))
c3.metric("Tỷ lệ đúng hạn", fmt.percent(t["on_time_rate"]),
          help="((8) Trước hạn + (9) Đúng hạn) / (7) Đã giải quyết")
c3.caption(f"{fmt.number(t['resolved_early'] + t['resolved_on_time'])}/{fmt.number(t['resolved_total'])} "
           "hồ sơ đã giải quyết")
c4.metric("Đang giải quyết (11)", fmt.number(t["pending_total"]),
          help=f"Trong hạn {fmt.number(t['pending_in_time'])}, quá hạn {fmt.number(t['pending_overdue'])}")
c4.caption(f"trong đó quá hạn: {fmt.number(t['pending_overdue'])}")

st.subheader("Theo cơ quan giải quyết")
groups = table.groups.copy()
shown = groups[["name", *COLUMN_HEADERS]].copy()
for key in COLUMN_HEADERS:
    shown[key] = shown[key].map(fmt.number)
shown["on_time_rate"] = groups["on_time_rate"].map(fmt.percent)
labels = {"name": "Cơ quan giải quyết", "on_time_rate": "Tỷ lệ đúng hạn"}
labels.update({k: f"{h} {n}" for (k, h), n in zip(COLUMN_HEADERS.items(),
              ["(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)", "(12)", "(13)", ""])})
st.dataframe(shown.rename(columns=labels), hide_index=True, width="stretch")
