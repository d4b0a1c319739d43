"""Screening lists and the late table, on dossiers built for each prompt."""
import datetime as dt

from analytics.analyses.bieu06 import official_table
from analytics.analyses.classification import classify
from analytics.analyses.late import late_table, late_totals
from analytics.analyses.screening import SCREENS, screens
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.outputs.questions import question_prompt, question_text, question_title, screen_document

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))


def screened(dossiers, rows):
    table = official_table(dossiers(rows), Q1)
    return {sc.code: sc for sc in screens(table.classified, Q1)}


def test_completions_bunched_on_the_due_date(dossiers):
    on_due = [{"received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-10", "unit": "P"}] * 15
    early = [{"received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-08", "unit": "P"}] * 5
    other = [{"received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-10", "unit": "Q"}] * 10
    result = screened(dossiers, [dict(r, id=f"x{i}") for i, r in enumerate(on_due + early + other)])
    # P: 15/20 on the due date = 75% of 20 resolved -> listed; Q: 10/10 but only 10 resolved -> not.
    assert result["bunched_on_due_date"].units == ["P"] and result["bunched_on_due_date"].count == 15


def test_completion_on_a_non_working_day_but_not_on_a_worked_saturday(dossiers):
    result = screened(dossiers, [
        {"received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-06"},   # Sunday
        {"received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-05"},   # worked Saturday
        {"received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-07"}])  # Monday
    assert result["completed_on_non_working_day"].count == 1


def test_late_without_apology_skips_exports_without_the_column(dossiers):
    result = screened(dossiers, [
        {"received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-15", "apology": False},
        {"received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-15", "apology": True},
        {"received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-15"},                 # unknown
        {"received": "2019-03-01", "due": "2019-03-10", "apology": False},                          # overdue
        {"received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-09", "apology": False}])
    assert result["late_without_apology"].count == 2


def test_due_date_moved(dossiers):
    result = screened(dossiers, [
        {"received": "2019-01-02", "original_due": "2019-01-10", "due": "2019-01-20", "completed": "2019-01-15"},
        {"received": "2019-01-02", "original_due": "2019-01-10", "due": "2019-01-10", "completed": "2019-01-09"},
        {"received": "2018-01-02", "original_due": "2018-01-10", "due": "2018-01-20", "completed": "2018-01-15"}])
    assert result["due_date_moved"].count == 1  # the 2018 dossier is outside the period


def test_large_volume_without_any_late_dossier(dossiers):
    rows = [{"id": f"a{i}", "received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-08", "unit": "A"}
            for i in range(100)]
    rows += [{"id": f"b{i}", "received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-08", "unit": "B"}
             for i in range(100)] + [{"id": "b-late", "received": "2019-01-02", "due": "2019-01-10",
                                      "completed": "2019-01-18", "unit": "B"}]
    result = screened(dossiers, rows)
    assert result["large_volume_no_late"].units == ["A"] and result["large_volume_no_late"].count == 100


def test_completion_before_receipt_in_the_period_only(dossiers):
    result = screened(dossiers, [{"received": "2019-02-10", "completed": "2019-02-01"},
                                 {"received": "2018-02-10", "completed": "2018-02-01"}])
    assert result["completed_before_received"].count == 1


def test_every_screen_has_a_question_in_vietnamese_and_no_personal_data(dossiers):
    # Dossiers that carry personal columns (as a careless caller might pass them): the lists must not.
    rows = dossiers([{"received": "2019-02-10", "completed": "2019-02-01"}]).assign(
        **{f: "Nguyễn Văn A 0912345678" for f in s.PERSONAL_FIELDS})
    result = {sc.code: sc for sc in screens(classify(rows, Q1), Q1)}
    assert all("Nên hỏi" in question_text(sc) or "nên hỏi" in question_text(sc) for sc in result.values())
    assert result["completed_before_received"].count == 1
    assert all(not set(s.PERSONAL_FIELDS) & set(sc.dossiers.columns) for sc in result.values())
    assert "0912345678" not in str([screen_document(sc) for sc in result.values()])


# Each list's words, as the screening JSON (a public contract) has always carried them.
WORDS = {
    "bunched_on_due_date": (
        "Có kết quả dồn vào đúng ngày hẹn trả",
        "Ở các đơn vị này, từ 50% số hồ sơ đã giải quyết trở lên có kết quả đúng vào ngày hẹn trả (xét đơn vị có từ 20 "
        "hồ sơ). Nên hỏi: ngày có kết quả được ghi khi nào, có phải ghi theo ngày hẹn thay vì ngày xử lý xong?"),
    "completed_on_non_working_day": (
        "Có kết quả vào ngày nghỉ",
        "Ngày có kết quả rơi vào thứ Bảy, Chủ nhật hoặc ngày lễ (không phải ngày làm bù). Nên hỏi: đơn vị có làm "
        "ngoài giờ thật không, hay ngày được ghi lại sau?"),
    "late_without_apology": (
        "Trễ hạn mà không có thư xin lỗi",
        "Hồ sơ giải quyết quá hạn hoặc đang quá hạn nhưng tệp xuất không ghi thư xin lỗi. Nên hỏi: đơn vị đã gửi "
        "văn bản xin lỗi và hẹn lại chưa?"),
    "due_date_moved": (
        "Ngày hẹn trả đã bị thay đổi",
        "Ngày hẹn trả hiện tại khác ngày hẹn trả ban đầu. Việc tính đúng hạn dùng ngày ban đầu. Nên hỏi: vì sao "
        "hẹn lại, có thư xin lỗi và sự đồng ý của người nộp không?"),
    "large_volume_no_late": (
        "Khối lượng lớn mà không có hồ sơ trễ hạn nào",
        "Đơn vị giải quyết từ 100 hồ sơ trở lên trong kỳ mà không có hồ sơ nào quá hạn. Có thể là làm tốt thật; nên "
        "hỏi cách ghi nhận ngày hẹn và ngày có kết quả để chắc chắn."),
    "completed_before_received": (
        "Ngày có kết quả trước ngày tiếp nhận",
        "Ngày có kết quả (hoặc ngày trả) sớm hơn ngày tiếp nhận: không thể xảy ra, nên hồ sơ không được tính. Nên "
        "hỏi: ngày nào bị nhập sai?"),
}


def test_each_list_is_a_code_with_its_thresholds_worded_in_outputs(dossiers):
    found = screens(classify(dossiers([{"received": "2019-02-10", "completed": "2019-02-12"}]), Q1), Q1)
    assert [sc.code for sc in found] == SCREENS == list(WORDS)
    assert not {"title", "reason"} & set(found[0].as_dict())  # the analysis carries no words
    assert found[0].evidence == {"share": 0.5, "min_resolved": 20} and found[4].evidence == {"min_resolved": 100}
    for sc in found:
        assert (question_title(sc), question_text(sc)) == WORDS[sc.code]
        assert list(screen_document(sc)) == ["code", "title", "reason", "count", "units", "dossiers"]
    # a slide asks the question alone, or the whole text when the question is inside it
    assert question_prompt(found[1]) == "Nên hỏi: đơn vị có làm ngoài giờ thật không, hay ngày được ghi lại sau?"
    assert question_prompt(found[4]) == WORDS["large_volume_no_late"][1]


def test_late_table_by_unit_with_apology_counts(dossiers):
    d = dossiers([
        {"received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-15", "unit": "A", "apology": True},
        {"received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-15", "unit": "A", "apology": False},
        {"received": "2019-03-01", "due": "2019-03-10", "unit": "A"},
        {"received": "2019-01-02", "due": "2019-01-10", "completed": "2019-01-09", "unit": "B"}])
    table = late_table(official_table(d, Q1).classified, "unit")
    assert table.to_dict("records") == [{"name": "A", "resolved_late": 2, "pending_overdue": 1, "late_total": 3,
                                         "with_apology": 1, "without_apology": 1, "apology_unknown": 1}]
    # the "Tổng cộng" row under it: hand-added, A alone
    assert late_totals(table) == {"resolved_late": 2, "pending_overdue": 1, "late_total": 3, "with_apology": 1,
                                  "without_apology": 1, "apology_unknown": 1}
    assert late_totals(table.iloc[0:0]) == dict.fromkeys(late_totals(table), 0)
