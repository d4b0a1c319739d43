"""Figures said as Vietnamese sentences, for a headline, a slide or a written report."""
from __future__ import annotations

from analytics.analyses.caveats import Caveat
from analytics.analyses.filters import DIMENSIONS, Filters
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.model.rates import RATES, Rate
from analytics.model.session import SupervisionSession
from analytics.outputs import formatting as fmt
from analytics.outputs.labels import FILTER_LABELS, REASON_LABELS


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


def _files(caveat: Caveat) -> str:
    names = ", ".join(caveat.files[:3]) + (f" và {fmt.number(len(caveat.files) - 3)} tệp khác"
                                           if len(caveat.files) > 3 else "")
    return f"tệp {names}" if names else "tệp đã nhập"


def caveat_sentence(caveat: Caveat) -> str:
    """What a caveat means for the figures beside it, in one Vietnamese sentence."""
    n = fmt.number(caveat.count)
    if caveat.code == "channel_missing":
        return (f"(4)/(5): không tách được trực tuyến / trực tiếp: {_files(caveat)} không có cột hình thức nộp; "
                f"{n} hồ sơ đang tính vào (5).")
    if caveat.code == "channel_unrecognised":
        return f"(4)/(5): {n} hồ sơ không rõ hình thức nộp (cách ghi chưa nhận ra), đang tính vào (5)."
    if caveat.code == "status_unrecognised":
        return f"{n} hồ sơ có trạng thái chưa nhận ra, đã suy ra từ ngày tháng."
    if caveat.code == "status_missing":
        return (f"{_files(caveat)} không có cột trạng thái: trạng thái của {n} hồ sơ suy ra từ ngày tháng (không "
                "phân biệt được rút/dừng xử lý, chờ bổ sung).")
    if caveat.code == "due_date_missing":
        return (f"Không phân biệt được trước hạn / đúng hạn / quá hạn cho {n} hồ sơ: {_files(caveat)} không có "
                "cột ngày hẹn trả (các hồ sơ này đang tính là đúng hạn hoặc trong hạn).")
    if caveat.code == "due_date_none":
        return (f'{n} hồ sơ không có ngày hẹn trả (ô để trống hoặc ghi "Không quy định"): đang tính là đúng hạn hoặc '
                "trong hạn.")
    if caveat.code == "due_date_unreadable":
        return (f"{n} hồ sơ có ngày hẹn trả không đọc được như ngày: coi như không có ngày hẹn trả (đang tính là đúng "
                "hạn hoặc trong hạn); danh sách ở các vấn đề dữ liệu của lần nhập.")
    if caveat.code == "due_date_computed":
        return (f"{n} hồ sơ không có ngày hẹn trả trong tệp xuất: ngày hẹn trả được tính theo thời hạn giải quyết "
                "trong danh mục TTHC (ngày tiếp nhận cộng số ngày làm việc quy định).")
    if caveat.code == "due_date_recovered":
        return (f"{n} hồ sơ: ngày hẹn trả ban đầu lấy từ bản xuất sớm nhất của cùng mã hồ sơ (tệp xuất sau đã đổi "
                "ngày hẹn trả và không có cột ngày hẹn trả ban đầu); trước hạn / đúng hạn / quá hạn tính theo ngày "
                "đó.")
    if caveat.code == "finish_date_unreadable":
        return (f"{n} hồ sơ có ngày có kết quả hoặc ngày trả kết quả không đọc được như ngày: coi như chưa có ngày "
                "đó (hồ sơ không còn ngày kết thúc nào tính là đang giải quyết, hoặc không xếp được vào biểu khi "
                "trạng thái đã kết thúc); danh sách ở các vấn đề dữ liệu của lần nhập.")
    return (f"Không biết hồ sơ nào đã giải quyết xong trong {n} hồ sơ: {_files(caveat)} không có cột ngày có "
            "kết quả hay ngày trả kết quả (các hồ sơ này đang tính là đang giải quyết, hoặc không xếp được khi trạng thái "
            "đã kết thúc).")


def table_notes(found: list[Caveat], left_out: dict[str, int]) -> list[str]:
    """The lines printed under Biểu 06 (text, workbook): each caveat, then the dossiers left out by reason."""
    lines = [caveat_sentence(c) for c in found]
    if any(left_out.values()):
        lines.append("Không tính vào biểu: " + "; ".join(f"{REASON_LABELS[r]}: {fmt.number(n)}"
                                                         for r, n in left_out.items() if n) + ".")
    return lines


def filters_words(filters: Filters) -> str:
    """"Cấp: Xã · Lĩnh vực: Hộ tịch, Đất đai" or "Tất cả hồ sơ"."""
    parts = [f"{FILTER_LABELS[a]}: {', '.join(getattr(filters, a))}" for a in DIMENSIONS if getattr(filters, a)]
    if filters.channels:
        parts.append(f"{FILTER_LABELS['channels']}: {', '.join(s.CHANNEL_LABELS[c] for c in filters.channels)}")
    return " · ".join(parts) if parts else "Tất cả hồ sơ"


def session_description(session: SupervisionSession) -> str:
    """Everything that shapes a session's figures, in one line: period, comparison, scope, rate and target, and the
    choices that change counts (fold, cut-off months, due dates from the catalog)."""
    definition = RATES[session.rate]
    parts = [f"Kỳ giám sát: {session.period.label}",
             f"So sánh với: {session.comparison.label}" if session.comparison else "Không so sánh",
             filters_words(Filters.of_session(session)),
             f"{definition.label} {definition.formula}, mục tiêu {fmt.percent(session.target)}"]
    if session.fold_withdrawn:
        parts.append('hồ sơ rút/dừng xử lý tính vào (9) "Đúng hạn"')
    if session.follows_cutoff:
        parts.append("tháng theo ngày chốt số liệu NĐ 09/2019")
    if session.catalog and session.fill_due_dates:
        parts.append("hồ sơ thiếu ngày hẹn trả tính theo thời hạn trong danh mục TTHC")
    return " · ".join(parts)
