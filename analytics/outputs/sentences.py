"""Figures said as Vietnamese sentences, for a headline, a slide or a written report."""
from __future__ import annotations

from analytics.model.periods import Period
from analytics.model.rates import Rate
from analytics.outputs import formatting as fmt


def headline_sentence(total: dict, period: Period, rate: Rate) -> str:
    """'Từ 01/01/2018 đến 31/03/2019 đã giải quyết 1.365 hồ sơ trong 1.431 hồ sơ nhận giải quyết, 96,6% đúng hạn
    (1.319/1.365 hồ sơ đã giải quyết); 37 hồ sơ đang giải quyết (quá hạn 7), 29 hồ sơ rút/dừng xử lý.'"""
    t = total
    sentence = (f"Từ {fmt.date(period.start)} đến {fmt.date(period.end)} đã giải quyết "
                f"{fmt.number(t['resolved_total'])} hồ sơ trong {fmt.number(t['received_total'])} hồ sơ nhận giải "
                "quyết")
    if rate.value is not None:
        sentence += f", {fmt.rate_sentence(rate)}"
    return sentence + (f"; {fmt.number(t['pending_total'])} hồ sơ đang giải quyết (quá hạn "
                       f"{fmt.number(t['pending_overdue'])}), {fmt.number(t['withdrawn'])} hồ sơ rút/dừng xử lý.")
