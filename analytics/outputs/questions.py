"""The screening lists (analyses.screening) as questions for the inspection team, in Vietnamese: each list's title,
what the data show and the question to ask, worded from its code and the thresholds it carries. Prompts for a
question, never an accusation."""
from __future__ import annotations

from analytics.analyses import screening as sg
from analytics.analyses.screening import Screen
from analytics.outputs import formatting as fmt


def _wording(screen: Screen) -> tuple[str, str, str | None]:
    """(title, what the data show, the question to ask; None when the observation already holds it)."""
    e = screen.evidence
    if screen.code == sg.BUNCHED_ON_DUE_DATE:
        return ("Có kết quả dồn vào đúng ngày hẹn trả",
                f"Ở các đơn vị này, từ {fmt.percent(e['share'], 0)} số hồ sơ đã giải quyết trở lên có kết quả đúng vào "
                f"ngày hẹn trả (xét đơn vị có từ {fmt.number(e['min_resolved'])} hồ sơ).",
                "Nên hỏi: ngày có kết quả được ghi khi nào, có phải ghi theo ngày hẹn thay vì ngày xử lý xong?")
    if screen.code == sg.COMPLETED_ON_NON_WORKING_DAY:
        return ("Có kết quả vào ngày nghỉ",
                "Ngày có kết quả rơi vào thứ Bảy, Chủ nhật hoặc ngày lễ (không phải ngày làm bù).",
                "Nên hỏi: đơn vị có làm ngoài giờ thật không, hay ngày được ghi lại sau?")
    if screen.code == sg.LATE_WITHOUT_APOLOGY:
        return ("Trễ hạn mà không có thư xin lỗi",
                "Hồ sơ giải quyết quá hạn hoặc đang quá hạn nhưng tệp xuất không ghi thư xin lỗi.",
                "Nên hỏi: đơn vị đã gửi văn bản xin lỗi và hẹn lại chưa?")
    if screen.code == sg.DUE_DATE_MOVED:
        return ("Ngày hẹn trả đã bị thay đổi",
                "Ngày hẹn trả hiện tại khác ngày hẹn trả ban đầu. Việc tính đúng hạn dùng ngày ban đầu.",
                "Nên hỏi: vì sao hẹn lại, có thư xin lỗi và sự đồng ý của người nộp không?")
    if screen.code == sg.LARGE_VOLUME_NO_LATE:
        return ("Khối lượng lớn mà không có hồ sơ trễ hạn nào",
                f"Đơn vị giải quyết từ {fmt.number(e['min_resolved'])} hồ sơ trở lên trong kỳ mà không có hồ sơ nào "
                "quá hạn. Có thể là làm tốt thật; nên hỏi cách ghi nhận ngày hẹn và ngày có kết quả để chắc chắn.",
                None)
    if screen.code == sg.COMPLETED_BEFORE_RECEIVED:
        return ("Ngày có kết quả trước ngày tiếp nhận",
                "Ngày có kết quả (hoặc ngày trả) sớm hơn ngày tiếp nhận: không thể xảy ra, nên hồ sơ không được "
                "tính.",
                "Nên hỏi: ngày nào bị nhập sai?")
    return screen.code, screen.code, None


def question_title(screen: Screen) -> str:
    """"Có kết quả vào ngày nghỉ"."""
    return _wording(screen)[0]


def question_text(screen: Screen) -> str:
    """What the data show and the question to ask (the JSON's "reason")."""
    _, shown, ask = _wording(screen)
    return shown if ask is None else f"{shown} {ask}"


def question_prompt(screen: Screen) -> str:
    """The question alone ("Nên hỏi: …"), for a slide; the whole text when the question is part of the
    observation."""
    _, shown, ask = _wording(screen)
    return shown if ask is None else ask


def screen_document(screen: Screen) -> dict:
    """A list in the `screening` JSON (public contract): code, title, reason, count, units, dossiers."""
    data = screen.as_dict()
    return {"code": data["code"], "title": question_title(screen), "reason": question_text(screen),
            "count": data["count"], "units": data["units"], "dossiers": data["dossiers"]}
