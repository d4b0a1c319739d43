"""Every label a person reads for the core's keys, in one place: the screen, the text tables, the workbooks and
the charts all take their wording from here."""
from __future__ import annotations

from analytics.analyses import catalog_audit as audit
from analytics.analyses import classification as c
from analytics.model.workdays import FIRST_YEAR, LAST_YEAR

FORM_NAME = "Biểu số 06/VPCP/KSTT"
FORM_TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
ROW_HEADER = "Lĩnh vực, công việc giải quyết theo cấp"
TOTAL_ROW = "Tổng cộng"

# Biểu 06's columns (3)..(13) and the extra withdrawn column (14), in the form's order (bieu06.COUNT_KEYS):
# key: (number, the form's own header under its group, a short header for a terminal, a header that stands alone)
_COLUMNS = {
    "received_total": ("(3)", "Tổng số", "Tổng", "Nhận giải quyết – Tổng số"),
    "received_online": ("(4)", "Trong kỳ – Trực tuyến", "T.tuyến", "Trong kỳ – Trực tuyến"),
    "received_direct_postal": ("(5)", "Trong kỳ – Trực tiếp, dịch vụ bưu chính", "T.tiếp",
                               "Trong kỳ – Trực tiếp, dịch vụ bưu chính"),
    "carried_over": ("(6)", "Từ kỳ trước", "Kỳ trước", "Từ kỳ trước"),
    "resolved_total": ("(7)", "Tổng số", "Đã GQ", "Đã giải quyết – Tổng số"),
    "resolved_early": ("(8)", "Trước hạn", "Tr.hạn", "Trước hạn"),
    "resolved_on_time": ("(9)", "Đúng hạn", "Đ.hạn", "Đúng hạn"),
    "resolved_late": ("(10)", "Quá hạn", "Q.hạn", "Giải quyết quá hạn"),
    "pending_total": ("(11)", "Tổng số", "Đang GQ", "Đang giải quyết – Tổng số"),
    "pending_in_time": ("(12)", "Trong hạn", "Tr.hạn", "Đang giải quyết trong hạn"),
    "pending_overdue": ("(13)", "Quá hạn", "Q.hạn", "Đang giải quyết quá hạn"),
    "withdrawn": ("(14)", "Rút / dừng xử lý", "Rút/dừng", "Rút / dừng xử lý"),
}
COLUMN_NUMBERS = {k: v[0] for k, v in _COLUMNS.items()}
COLUMN_HEADERS = {k: v[1] for k, v in _COLUMNS.items()}
COLUMN_SHORT = {k: v[2] for k, v in _COLUMNS.items()}
COLUMN_LABELS = {k: f"{v[3]} {v[0]}" for k, v in _COLUMNS.items()}  # "Đã giải quyết – Tổng số (7)"
COLUMN_GROUPS = [("Số hồ sơ nhận giải quyết", 4), ("Số hồ sơ đã giải quyết", 4), ("Số hồ sơ đang giải quyết", 3),
                 ("Rút / dừng xử lý", 1)]
RATE_HEADER = "Tỷ lệ đúng hạn"

GROUPING_LABELS = {"unit": "Cơ quan giải quyết", "field": "Lĩnh vực", "procedure": "Thủ tục",
                   "channel": "Hình thức nộp", "level": "Cấp", "official": "Cấp › Cơ quan › Lĩnh vực"}

# Outcomes of a dossier in a period, as charts and lists name them.
OUTCOME_LABELS = {k: _COLUMNS[k][3] for k in ("resolved_early", "resolved_on_time", "resolved_late",
                                              "pending_in_time", "pending_overdue", "withdrawn")}

REASON_LABELS = {
    c.REASON_NOT_RECEIVED: "Không được tiếp nhận hoặc mới đăng ký (trạng thái 1, 3): không tính",
    c.REASON_NO_RECEIVED_DATE: "Không có ngày tiếp nhận: không tính (không thuộc kỳ nào nên kỳ nào cũng nêu)",
    c.REASON_FINISH_BEFORE_RECEIVED: "Ngày có kết quả trước ngày tiếp nhận: không tính, cần kiểm tra",
    c.REASON_ENDED_WITHOUT_DATE: "Trạng thái đã kết thúc nhưng không có ngày có kết quả/ngày trả: không xếp được",
}

LATE_TABLE_LABELS = {"name": "Nhóm", "resolved_late": "Đã giải quyết quá hạn (10)",
                     "pending_overdue": "Đang giải quyết quá hạn (13)", "late_total": "Tổng số trễ hạn",
                     "with_apology": "Có thư xin lỗi", "without_apology": "Không có thư xin lỗi",
                     "apology_unknown": "Tệp không ghi thư xin lỗi"}

AUDIT_LABELS = {
    audit.UNUSED_PROCEDURES: "Thủ tục đã công bố nhưng không phát sinh hồ sơ",
    audit.DUE_LATER_THAN_LEGAL: "Hẹn trả dài hơn quy định",
    audit.DUE_DATES_COMPUTED: "Hồ sơ không có ngày hẹn trả, đã tính theo thời hạn trong danh mục",
    audit.RECEIVED_OUTSIDE_CALENDAR: f"Hồ sơ tiếp nhận ngoài lịch ngày làm việc ({FIRST_YEAR}–{LAST_YEAR}), không "
                                     "tính được hạn theo quy định",
}
# The audit's count of due dates the catalog would give when the dashboard's filling is off (Thủ tục).
DUE_DATES_COMPUTABLE_LABEL = ("Hồ sơ không có ngày hẹn trả, tính được theo thời hạn trong danh mục (chưa tính vào "
                              "số liệu)")

# What a missing column prevents (data_quality.missing_fields, the Dữ liệu screen).
MISSING_FIELD_PREVENTS = {  # keyed by schema.CAVEAT_FIELDS
    "channel": "tách (4) trực tuyến với (5) trực tiếp, bưu chính, và tỷ lệ nộp trực tuyến: mọi hồ sơ của tệp "
               "đang tính vào (5)",
    "due_date": "phân biệt trước hạn / đúng hạn / quá hạn (cột 8–10, 12–13) và tỷ lệ đúng hạn: hồ sơ không có "
                "hẹn trả đang tính là đúng hạn hoặc trong hạn",
    "finish_date": "biết hồ sơ nào đã giải quyết xong (cột 7–13): không có ngày có kết quả hay ngày trả kết quả",
    "status": "phân biệt rút/dừng xử lý, chờ bổ sung: trạng thái suy ra từ ngày tháng",
}

# A unit's place in the funnel (analyses.funnel's flags).
FLAG_LABELS = {
    "above": "Cao hơn rõ rệt (ngoài giới hạn 99,8%)",
    "below": "Thấp hơn rõ rệt (ngoài giới hạn 99,8%)",
    "watch_above": "Cao hơn, cần xem thêm (ngoài giới hạn 95%)",
    "watch_below": "Thấp hơn, cần xem thêm (ngoài giới hạn 95%)",
    "inside": "Trong giới hạn: khác biệt có thể do ngẫu nhiên",
    "empty": "Không có hồ sơ trong mẫu số",
}


def with_flag_labels(units):
    """A funnel's units (analyses.funnel) with a "flag_label" column: each flag in words."""
    return units.assign(flag_label=units["flag"].map(FLAG_LABELS))


def bucket_label(bucket: dict) -> str:
    """"0–5 ngày", "Trên 60 ngày" for a bucket of working days (analyses.timeliness)."""
    if bucket["high"] is None:
        return f"Trên {bucket['low'] - 1} ngày"
    return f"{bucket['low']}–{bucket['high']} ngày"

# The dashboard's filters (analyses.filters.Filters' attributes).
FILTER_LABELS = {"levels": "Cấp", "units": "Cơ quan giải quyết", "fields": "Lĩnh vực", "channels": "Hình thức nộp"}
