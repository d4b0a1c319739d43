"""What an inspector should look at: the screening lists.

Each list is a prompt for a question, worded as such, never an accusation: a count, a reason in Vietnamese and
the dossiers behind it (no personal data: the store holds none).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.analyses.classification import (
    CELL,
    DUE,
    EXCLUDED,
    FINISH,
    LATE,
    OUTSIDE,
    PENDING_OVERDUE,
    REASON,
    REASON_FINISH_BEFORE_RECEIVED,
    RESOLVED_CELLS,
    UNPLACEABLE,
)
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.model.workdays import working_day_mask

# Thresholds, in one place (docs/RULES.md explains them).
BUNCHED_SHARE, BUNCHED_MIN_RESOLVED = 0.5, 20
NO_LATE_MIN_RESOLVED = 100

DOSSIER_COLUMNS = [s.CASE_ID, s.UNIT, s.FIELD, s.PROCEDURE_NAME, s.RECEIVED_DATE, s.DUE_DATE, s.ORIGINAL_DUE_DATE,
                   s.COMPLETED_DATE, s.RETURNED_DATE, s.STATUS_CODE, s.APOLOGY, CELL]


@dataclass
class Screen:
    code: str
    title: str
    reason: str             # the question to ask, in Vietnamese
    dossiers: pd.DataFrame  # the dossiers behind it (DOSSIER_COLUMNS)
    units: list[str]        # units concerned, when the screen is about units

    @property
    def count(self) -> int:
        return len(self.dossiers)

    def as_dict(self) -> dict:
        rows = self.dossiers.assign(**{c: self.dossiers[c].dt.strftime("%Y-%m-%d") for c in
                                       (s.RECEIVED_DATE, s.DUE_DATE, s.ORIGINAL_DUE_DATE, s.COMPLETED_DATE,
                                        s.RETURNED_DATE)})
        rows = rows.astype(object).where(rows.notna(), None)
        return {"code": self.code, "title": self.title, "reason": self.reason, "count": self.count,
                "units": self.units, "dossiers": rows.to_dict("records")}


def _rows(frame: pd.DataFrame, mask) -> pd.DataFrame:
    return frame.loc[mask, DOSSIER_COLUMNS].reset_index(drop=True)


def screens(classified: pd.DataFrame, period: Period) -> list[Screen]:
    """The screening lists for the dossiers of a period (classified by `classification.classify` for it).

    The dossiers looked at: the period's workload, and the dossiers received in it but left out of the counts.
    """
    received = classified[s.RECEIVED_DATE]
    left_out_here = (classified[CELL] == EXCLUDED) & (received >= pd.Timestamp(period.start)) & \
        (received <= pd.Timestamp(period.end))
    classified = classified[~classified[CELL].isin([OUTSIDE, EXCLUDED, UNPLACEABLE]) | left_out_here]
    cell = classified[CELL]
    resolved = cell.isin(RESOLVED_CELLS)
    late = cell.isin([LATE, PENDING_OVERDUE])
    finish, due = classified[FINISH], classified[DUE]
    units = classified[s.UNIT].fillna(s.MISSING_GROUP).astype(str)
    out = []

    on_due = resolved & finish.notna() & (finish == due)
    per_unit = pd.DataFrame({"unit": units[resolved], "on_due": on_due[resolved]}).groupby("unit")["on_due"]
    share, volume = per_unit.mean(), per_unit.size()
    bunched = sorted(share[(share >= BUNCHED_SHARE) & (volume >= BUNCHED_MIN_RESOLVED)].index)
    out.append(Screen(
        "bunched_on_due_date", "Có kết quả dồn vào đúng ngày hẹn trả",
        f"Ở các đơn vị này, từ {BUNCHED_SHARE:.0%} số hồ sơ đã giải quyết trở lên có kết quả đúng vào ngày hẹn trả "
        f"(xét đơn vị có từ {BUNCHED_MIN_RESOLVED} hồ sơ). Nên hỏi: ngày có kết quả được ghi khi nào, có phải ghi "
        "theo ngày hẹn thay vì ngày xử lý xong?",
        _rows(classified, on_due & units.isin(bunched)), bunched))

    completed = classified[s.COMPLETED_DATE]
    off_day = completed.notna().to_numpy() & ~working_day_mask(completed)
    out.append(Screen(
        "completed_on_non_working_day", "Có kết quả vào ngày nghỉ",
        "Ngày có kết quả rơi vào thứ Bảy, Chủ nhật hoặc ngày lễ (không phải ngày làm bù). Nên hỏi: đơn vị có làm "
        "ngoài giờ thật không, hay ngày được ghi lại sau?",
        _rows(classified, resolved & off_day), []))

    no_letter = late & (classified[s.APOLOGY] == False)  # noqa: E712 (NA = the export has no apology column)
    out.append(Screen(
        "late_without_apology", "Trễ hạn mà không có thư xin lỗi",
        "Hồ sơ giải quyết quá hạn hoặc đang quá hạn nhưng tệp xuất không ghi thư xin lỗi. Nên hỏi: đơn vị đã gửi "
        "văn bản xin lỗi và hẹn lại chưa?",
        _rows(classified, no_letter.fillna(False)), []))

    original, current = classified[s.ORIGINAL_DUE_DATE], classified[s.DUE_DATE]
    moved = original.notna() & current.notna() & (original != current) & (cell != EXCLUDED)
    out.append(Screen(
        "due_date_moved", "Ngày hẹn trả đã bị thay đổi",
        "Ngày hẹn trả hiện tại khác ngày hẹn trả ban đầu. Việc tính đúng hạn dùng ngày ban đầu. Nên hỏi: vì sao "
        "hẹn lại, có thư xin lỗi và sự đồng ý của người nộp không?",
        _rows(classified, moved), []))

    per_unit = pd.DataFrame({"unit": units, "resolved": resolved, "late": late}).groupby("unit")[["resolved", "late"]]
    totals = per_unit.sum()
    spotless = sorted(totals[(totals["resolved"] >= NO_LATE_MIN_RESOLVED) & (totals["late"] == 0)].index)
    out.append(Screen(
        "large_volume_no_late", "Khối lượng lớn mà không có hồ sơ trễ hạn nào",
        f"Đơn vị giải quyết từ {NO_LATE_MIN_RESOLVED} hồ sơ trở lên trong kỳ mà không có hồ sơ nào quá hạn. Có thể "
        "là làm tốt thật; nên hỏi cách ghi nhận ngày hẹn và ngày có kết quả để chắc chắn.",
        _rows(classified, resolved & units.isin(spotless)), spotless))

    out.append(Screen(
        "completed_before_received", "Ngày có kết quả trước ngày tiếp nhận",
        "Ngày có kết quả (hoặc ngày trả) sớm hơn ngày tiếp nhận: không thể xảy ra, nên hồ sơ không được tính. Nên "
        "hỏi: ngày nào bị nhập sai?",
        _rows(classified, classified[REASON] == REASON_FINISH_BEFORE_RECEIVED), []))
    return out
