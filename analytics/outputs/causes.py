"""The likely causes of a reconciliation's differences in Vietnamese, worded from the code, figures and evidence each
analyses.reconciliation.Cause carries: the screen, the command line's text, JSON and workbook, the slides and the
report all say a cause through `cause_sentence` and nothing else."""
from __future__ import annotations

from analytics.analyses import classification as c
from analytics.analyses import reconciliation as rc
from analytics.analyses.reconciliation import Cause
from analytics.outputs import formatting as fmt
from analytics.outputs.reported_words import figure, key_number, listed

CAUSE_TITLES = {
    rc.PENDING_JUDGED_LATER: "Hồ sơ đang giải quyết được xét hạn vào ngày sau ngày chốt",
    rc.SUPPLEMENTS_APART: "Hồ sơ chờ bổ sung được để riêng",
    rc.WITHDRAWN_FOLDED: "Hồ sơ rút / dừng xử lý được tính khác",
    rc.LEFT_OUT: "Hồ sơ không được tính lại vì dữ liệu có vấn đề",
    rc.PERIOD_MISMATCH: "Kỳ báo cáo không khớp",
    rc.CARRIED_OVER_TODAY: "\"Từ kỳ trước\" tính theo tình trạng hôm nay",
}

# The left-out reasons as a sentence names them (labels.REASON_LABELS are the longer labels of a table).
REASON_WORDS = {
    c.REASON_NOT_RECEIVED: "không được tiếp nhận hoặc mới đăng ký (trạng thái 1, 3)",
    c.REASON_NO_RECEIVED_DATE: "không có ngày tiếp nhận",
    c.REASON_FINISH_BEFORE_RECEIVED: "ngày có kết quả trước ngày tiếp nhận",
    c.REASON_ENDED_WITHOUT_DATE: "đã kết thúc nhưng không có ngày có kết quả/ngày trả",
}


def cause_title(cause: Cause) -> str:
    return CAUSE_TITLES.get(cause.code, cause.code)


def where(cause: Cause) -> str:
    """The rows a cause shows on: "ở dòng tổng cộng", 'ở 2 dòng ("A", "B") và dòng tổng cộng'."""
    names = cause.rows[:-1] if cause.on_total else cause.rows
    if not names:
        return "ở dòng tổng cộng"
    return f"ở {fmt.number(len(names))} dòng ({listed(names, 3)})" + (" và dòng tổng cộng" if cause.on_total else "")


def cause_sentence(cause: Cause) -> str:
    """What the data show of a cause, in one or two Vietnamese sentences (the JSON's "message")."""
    f, at = cause.figures, where(cause)
    if cause.code == rc.PENDING_JUDGED_LATER:
        cutoff = fmt.date(f["cutoff"])
        return (f"Bảng báo cáo ghi nhiều hơn {figure(f['reported_more_overdue'])} hồ sơ đang giải quyết quá hạn "
                f"và ít hơn {figure(f['reported_fewer_in_time'])} hồ sơ trong hạn so với số tính lại {at}: hệ "
                f"thống báo cáo có lẽ đã xét hạn hồ sơ đang giải quyết vào một ngày sau ngày chốt {cutoff}. Trong số "
                f"liệu, {figure(f['overdue_if_judged_later'])} hồ sơ đang trong hạn tại ngày chốt có hạn trả từ "
                f"{cutoff} đến trước {fmt.date(f['judged_at'])} (ngày muộn nhất trong số liệu): xét vào ngày đó thì "
                "chúng đã quá hạn.")
    if cause.code == rc.SUPPLEMENTS_APART:
        return (f"Bảng báo cáo để riêng hồ sơ chờ bổ sung ({figure(f['reported_supplements'])} hồ sơ) ngoài số "
                f"đang giải quyết {at}, còn Biểu 06 tính chúng là đang giải quyết trong hạn: số đang giải quyết "
                f"của bảng ít hơn số tính lại {figure(f['reported_fewer_pending'])} hồ sơ. Số tính lại có "
                f"{figure(f['recomputed_pending_waiting_on_applicant'])} hồ sơ đang chờ công dân bổ sung hoặc "
                "thực hiện nghĩa vụ tài chính (trạng thái 5, 6).")
    if cause.code == rc.WITHDRAWN_FOLDED:
        parts = {"on_time": "bảng báo cáo có lẽ đã tính chúng vào cột \"Đúng hạn\" (số đúng hạn của bảng nhiều hơn "
                            "khoảng chừng ấy)",
                 "not_received": "bảng báo cáo có lẽ không tính chúng vào số nhận giải quyết (ít hơn khoảng chừng "
                                 "ấy)"}
        return (f"Số tính lại có {figure(f['recomputed_withdrawn'])} hồ sơ rút hoặc dừng xử lý {at}; "
                + "; ".join(parts[h] for h in f["hows"]) + ".")
    if cause.code == rc.LEFT_OUT:
        return (f"Bảng báo cáo ghi nhiều hơn số tính lại {figure(f['reported_more'])} hồ sơ {at}, và "
                f"{figure(f['left_out'])} hồ sơ của các dòng này không được tính lại vì dữ liệu có vấn đề: "
                + "; ".join(f"{REASON_WORDS.get(r, r)}: {figure(n)}" for r, n in f["by_reason"].items())
                + ". Hệ thống báo cáo có thể đã tính các hồ sơ này; hãy xem danh sách hồ sơ bị loại.")
    if cause.code == rc.PERIOD_MISMATCH:
        columns = ", ".join(key_number(k) for k in cause.keys)
        return (f"Các cột số nhận giải quyết {columns} của bảng báo cáo khớp với kỳ {f['fits'].label} hơn kỳ đã "
                f"chọn ({f['asked'].label}): tổng chênh lệch ở các cột này là {figure(f['error_fits'])} hồ sơ thay "
                f"vì {figure(f['error_asked'])}. Có lẽ bảng báo cáo được lập cho kỳ đó; hãy kiểm tra ngày của kỳ báo "
                "cáo.")
    if cause.code == rc.CARRIED_OVER_TODAY:
        return (f"Số \"từ kỳ trước\" của bảng báo cáo ({figure(f['reported'])}) bằng số hồ sơ nhận trước ngày "
                f"{fmt.date(f['start'])} mà đến ngày muộn nhất trong số liệu vẫn chưa giải quyết xong "
                f"({figure(f['still_open'])}) {at}, chứ không phải số hồ sơ còn mở vào đầu kỳ "
                f"({figure(f['recomputed'])}): hệ thống báo cáo có lẽ tính hồ sơ kỳ trước chuyển sang theo "
                "tình trạng hôm nay.")
    return cause_title(cause)
