"""The judging sentences in Vietnamese, worded from the codes and evidence analyses.judgements returns: every screen,
slide and report says a change, a unit below target or "the most late" through these and nothing else."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.analyses.judgements import FALL, NO_CHANGE, RISE, TOO_FEW, Attention, Change
from analytics.analyses.stats import MIN_JUDGEABLE
from analytics.analyses.trends import PARTLY
from analytics.model.periods import Period, in_words
from analytics.outputs import formatting as fmt
from analytics.outputs.labels import FLAG_LABELS

NO_SIGNIFICANT_CHANGE = "không thay đổi có ý nghĩa thống kê"
TOO_FEW_WORDS = f"quá ít hồ sơ để kết luận (dưới {MIN_JUDGEABLE} hồ sơ ở mẫu số)"
TOO_FEW_NOTE = f"Quá ít hồ sơ để kết luận (dưới {MIN_JUDGEABLE} hồ sơ ở mẫu số của một kỳ)"
TOTAL_GROUP = "Toàn bộ"  # the first row of a table of changes


def points(pp: float | None) -> str:
    """"1,5 điểm %" (no sign)."""
    return fmt.decimal(abs(pp), 1) + " điểm %" if pp is not None else fmt.DASH


def signed(pp: float | None) -> str:
    """"+1,5" / "−1,5" / "0,0" (a true minus sign, one decimal)."""
    if pp is None:
        return fmt.DASH
    shown = fmt.decimal(abs(pp), 1)
    return ("+" if pp > 0 and shown != "0,0" else "−" if pp < 0 and shown != "0,0" else "") + shown


def signed_points(pp: float | None) -> str:
    """"+1,5 điểm %" / "−1,5 điểm %"."""
    return signed(pp) + " điểm %" if pp is not None else fmt.DASH


def interval_words(change: Change) -> str:
    """"khoảng tin cậy 95%: −4,9 đến +1,8 điểm %"."""
    if change.low_pp is None:
        return ""
    return f"khoảng tin cậy 95%: {signed(change.low_pp)} đến {signed(change.high_pp)} điểm %"


def change_words(change: Change) -> str:
    """What may be said of a change: "tăng 2,1 điểm %", "giảm 1,5 điểm %", "không thay đổi có ý nghĩa thống kê",
    "quá ít hồ sơ để kết luận …", or "không so được …"."""
    if change.code == RISE:
        return f"tăng {points(change.change_pp)}"
    if change.code == FALL:
        return f"giảm {points(change.change_pp)}"
    if change.code == NO_CHANGE:
        return NO_SIGNIFICANT_CHANGE
    if change.code == TOO_FEW:
        return TOO_FEW_WORDS
    return "không so được (một kỳ không có hồ sơ ở mẫu số)"


def change_with_evidence(change: Change) -> str:
    """The change's words with what they rest on: "không thay đổi có ý nghĩa thống kê (−1,5 điểm %; khoảng tin cậy
    95%: −4,9 đến +1,8 điểm %)"."""
    if change.change_pp is None:
        return change_words(change)
    evidence = signed_points(change.change_pp) + (f"; {interval_words(change)}" if change.low_pp is not None else "")
    return f"{change_words(change)} ({evidence})"


def month_words(day: dt.date) -> str:
    return f"{day.month:02d}/{day.year}"


def span_words(span: tuple[dt.date, dt.date] | None) -> str:
    """"tháng 01/2018 – tháng 03/2019" (the months the data cover)."""
    if span is None:
        return "không có hồ sơ nào"
    return f"tháng {month_words(span[0])} – tháng {month_words(span[1])}"


def comparison_gap(asked: Period, status: str, span: tuple[dt.date, dt.date] | None) -> str:
    """Said plainly when the comparison period asked is not in the data: no change is shown."""
    how = "chỉ có một phần" if status == PARTLY else "không có"
    return (f"Không so sánh với {in_words(asked)} ({asked.dates}): dữ liệu {how} kỳ này (dữ liệu đã nhập có hồ sơ "
            f"{span_words(span)}), nên không có thay đổi nào để nêu.")


def rate_cell(row) -> str:
    """"92,3% (12/13)" for a funnel row or a group with numerator, denominator and rate."""
    rate = row["rate"] if "rate" in row else row["on_time_rate"]
    return f"{fmt.percent(rate)} ({fmt.number(row['numerator'])}/{fmt.number(row['denominator'])})"


def attention_headline(attention: Attention) -> str:
    n = len(attention.named)
    if n:
        return (f"{fmt.number(n)} đơn vị có tỷ lệ đúng hạn thấp hơn giới hạn kiểm soát so với số hồ sơ của đơn vị, "
                "cần làm rõ nguyên nhân")
    return ("Không đơn vị nào có tỷ lệ đúng hạn thấp hơn giới hạn kiểm soát: khác biệt giữa các đơn vị có thể do "
            "ngẫu nhiên")


def attention_named_lines(attention: Attention) -> list[str]:
    return [f"{row['name']}: {rate_cell(row)} — {FLAG_LABELS[row['flag']]}"
            for row in attention.named.to_dict("records")]


def attention_apart_lines(attention: Attention) -> list[str]:
    """The units said apart: below the target within the limits (named, with their figures), and the number too
    small to judge (not named: a unit of two dossiers is not put before a Council)."""
    lines = []
    within = attention.within_limits
    if len(within):
        lines.append(f"Dưới mục tiêu {fmt.percent(attention.target)} nhưng trong giới hạn kiểm soát (khác biệt có thể "
                     "do ngẫu nhiên): " + "; ".join(f"{r['name']} {rate_cell(r)}" for r in within.to_dict("records")))
    small = attention.too_small
    if len(small):
        lines.append(f"{fmt.number(len(small))} đơn vị dưới mục tiêu có dưới {MIN_JUDGEABLE} hồ sơ ở mẫu số: quá ít "
                     "để đánh giá, không nêu tên")
    return lines


def late_share(row) -> str:
    """"25 hồ sơ, 4,2% số hồ sơ nhận giải quyết (25/600)" for a row of judgements.most_late."""
    small = " — ít hồ sơ" if row["small"] else ""
    return (f"{fmt.number(row['late_total'])} hồ sơ, {fmt.percent(row['late_rate'])} số hồ sơ nhận giải quyết "
            f"({fmt.number(row['late_total'])}/{fmt.number(row['received_total'])}){small}")


def most_late_headline(fields: pd.DataFrame) -> str:
    if fields.empty:
        return "Không có hồ sơ trễ hạn nào trong kỳ"
    first = fields.iloc[0]
    return f"Lĩnh vực {first['name']} có nhiều hồ sơ trễ hạn nhất: {late_share(first)}"


def most_late_lines(fields: pd.DataFrame, procedures: pd.DataFrame) -> list[str]:
    return ([f"Lĩnh vực {row['name']}: {late_share(row)}" for row in fields.to_dict("records")]
            + [f"Thủ tục {row['name']}: {late_share(row)}" for row in procedures.to_dict("records")])


def overdue_sentence(change: Change | None, earlier: Period, now: Period, before: dict, after: dict) -> str | None:
    """A sentence on the share pending overdue at the end of each period, (13) / (3), only when it rose or fell."""
    if change is None or not change.significant:
        return None
    verb = "tăng" if change.code == RISE else "giảm"
    return (f"Tỷ lệ hồ sơ đang giải quyết quá hạn (13) trên số hồ sơ nhận giải quyết (3) {verb}: "
            f"{fmt.percent(before['pending_overdue'] / before['received_total'])} "
            f"({fmt.number(before['pending_overdue'])}/{fmt.number(before['received_total'])}) "
            f"cuối {in_words(earlier)}, "
            f"{fmt.percent(after['pending_overdue'] / after['received_total'])} "
            f"({fmt.number(after['pending_overdue'])}/{fmt.number(after['received_total'])}) cuối {in_words(now)} "
            f"({signed_points(change.change_pp)}; {interval_words(change)}).")
