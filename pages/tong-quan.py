"""Tổng quan: headline figures with their change, one sentence, the trend against the target, the channel mix."""
import streamlit as st

from analytics.analyses import judgements
from analytics.analyses.bieu06 import online_share, received_by_channel
from analytics.analyses.caveats import touching
from analytics.analyses.comparison import count_changes
from analytics.model.periods import in_words
from analytics.model.rates import RATES
from analytics.outputs import charts
from analytics.outputs import formatting as fmt
from analytics.outputs import judged
from analytics.outputs.sentences import caveat_sentence, headline_sentence
from ui import access, analyses, sidebar

access.page_guard()
chosen = sidebar.selection()
sidebar.header("Tổng quan", chosen)
source, filters, period = chosen.source, chosen.filters, chosen.period
definition = RATES[chosen.rate]
total, channels, _ = analyses.table(source, filters, period, "channel", chosen.rate, chosen.fold_withdrawn)
if total["received_total"] == 0:
    st.warning(f"Không có hồ sơ nào trong kỳ {period.label} với bộ lọc đang chọn. Hãy chọn kỳ khác hoặc bỏ bớt "
               "bộ lọc ở thanh bên; nếu chưa có dữ liệu của kỳ này, hãy tải tệp lên ở trang Dữ liệu.")
    st.stop()
before = None
if chosen.comparison:
    before, _, _ = analyses.table(source, filters, chosen.comparison, None, chosen.rate, chosen.fold_withdrawn)
    if before["received_total"] == 0:
        st.caption(f"Kỳ so sánh {chosen.comparison.label} không có hồ sơ nào nên không hiện thay đổi.")
        before = None

words = in_words(period)
if not words.startswith("từ "):  # a period with a name ("Năm 2018 và quý I/2019"); its dates are in the line above
    st.subheader(words[:1].upper() + words[1:])
rate = definition.of(total)
st.markdown(f"**{headline_sentence(total, period, rate)}**")
# Counts of two periods are set side by side only when the periods have the same length (judgements.same_length);
# a count going up is neither good nor bad, so its arrow is grey.
changes = count_changes(total, before) if before and judgements.same_length(chosen.comparison, period) else None


def count_delta(name: str):
    return None if changes is None else fmt.signed_number(changes[name])


# The rate's change is green or red, with its arrow, only when its 95% interval excludes zero (judgements); else
# grey, without an arrow, said in a few words beside it and in full under the card.
SHORT_WORDS = {judgements.NO_CHANGE: "không có ý nghĩa thống kê", judgements.TOO_FEW: "quá ít hồ sơ để kết luận"}
rate_delta, rate_color, rate_arrow, rate_words, judged_change = None, "off", "off", None, None
if before is not None:
    before_rate = definition.of(before)
    judged_change = judgements.rate_change({"rate_a": before_rate.as_dict(), "rate_b": rate.as_dict()})
    if judged_change.change_pp is not None:
        rate_delta = judged.signed_points(judged_change.change_pp)
        if judged_change.significant:  # said explicitly: the delta's "−" is not the "-" Streamlit reads as a fall
            rise = judged_change.code == judgements.RISE
            rate_color, rate_arrow = ("green", "up") if rise else ("red", "down")
        else:
            rate_words = SHORT_WORDS.get(judged_change.code)
share, online, received = online_share(total)
cards = st.columns(3)
cards[0].metric("Hồ sơ nhận giải quyết (3)", fmt.number(total["received_total"]), count_delta("received_total"),
                delta_color="off", help="(4) trực tuyến + (5) trực tiếp, bưu chính + (6) từ kỳ trước")
cards[1].metric("Đã giải quyết (7)", fmt.number(total["resolved_total"]), count_delta("resolved_total"),
                delta_color="off")
cards[2].metric("Tỷ lệ đúng hạn", fmt.percent(rate.value), rate_delta, delta_color=rate_color, delta_arrow=rate_arrow,
                delta_description=rate_words, help=f"{definition.label} {definition.formula}")
cards[2].caption(f"{fmt.number(rate.numerator)}/{fmt.number(rate.denominator)} hồ sơ · {definition.formula}")
if rate_delta is not None:
    cards[2].caption(f"So với {in_words(chosen.comparison)}: {judged.change_with_evidence(judged_change)}")
processed, _, _ = analyses.processing(source, filters, period, None, chosen.fold_withdrawn)  # after the first cards
cards = st.columns(3)
cards[0].metric("Đang giải quyết (11)", fmt.number(total["pending_total"]), count_delta("pending_total"),
                delta_color="off")
cards[0].caption(f"trong đó quá hạn (13): {fmt.number(total['pending_overdue'])}")
cards[1].metric("Nộp trực tuyến", fmt.percent(share))
cards[1].caption(f"{fmt.number(online)}/{fmt.number(received)} hồ sơ tiếp nhận trong kỳ")
for caveat in touching(analyses.caveats(source, filters, period, chosen.fold_withdrawn), ["online_share"]):
    cards[1].caption(f":material/report: {fmt.markdown_text(caveat_sentence(caveat))}")  # it names files
cards[2].metric("Tỷ lệ giải quyết hết", fmt.percent(processed["clearance_rate"]),
                help="Hồ sơ đã kết thúc trong kỳ (giải quyết, rút, dừng) ÷ hồ sơ tiếp nhận trong kỳ")
cards[2].caption(f"{fmt.number(processed['ended'])}/{fmt.number(processed['received_in_period'])} hồ sơ")
if before is not None:
    st.caption(f"Thay đổi so với {chosen.comparison.label}"
               + ("." if changes is not None else ": chỉ so tỷ lệ, vì hai kỳ dài khác nhau (số hồ sơ của kỳ dài hơn "
                  "nhiều hơn chỉ vì dài hơn).")
               + " Tỷ lệ chỉ được gọi là tăng hay giảm khi khoảng tin cậy 95% của thay đổi không chứa 0.")

freq = st.radio("Diễn biến theo", ["month", "quarter"], horizontal=True, key="overview_freq",
                format_func={"month": "Tháng", "quarter": "Quý"}.get)
points = analyses.trend(source, filters, period, freq, chosen.cutoff, None, chosen.rate, chosen.fold_withdrawn)
st.plotly_chart(charts.trend_figure(points, chosen.target, f"{definition.label} {definition.formula}"),
                width="stretch")
left, right = st.columns(2)
left.plotly_chart(charts.channel_figure(received_by_channel(channels)), width="stretch")
right.plotly_chart(charts.outcome_figure(total), width="stretch")
