"""Review 2026-12-07 §1.6 and §1.7: status and channel wording that was read wrongly by a phrase.

- "Đã trả lại hồ sơ" (sent back to the applicant, not a result) is not 10 ("đã trả" lies inside "trả lại hồ sơ");
  sent back at intake it is 3, after receipt 8: the user decides, meanwhile the dossier stays in the counts.
- "Từ chối giải quyết" was received (so not 3, "từ chối tiếp nhận"); it ended as stopped (8) or with a refusal
  decision handed over as the result (10): the user decides, meanwhile the dossier stays in the counts.
- "Trực tuyến (BCCI trả kết quả)" is online (2), the result coming back by post: the part in brackets is about the
  result.
"""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.analyses.bieu06 import official_table
from analytics.ingest.export_reader import read_export
from analytics.ingest.values import channel_wording, status_wording
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.periods import Period

Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))


@pytest.mark.parametrize("text, code, how, candidates", [
    ("Đã trả lại hồ sơ", None, "ambiguous", (3, 8)),
    ("Trả lại hồ sơ", None, "ambiguous", (3, 8)),
    ("Hồ sơ đã trả lại cho công dân", None, "ambiguous", (3, 8)),
    ("Trả lại hồ sơ (không tiếp nhận)", 3, "exact", ()),           # the vendor's wording for 3 is still 3
    ("Đã trả lại hồ sơ, dừng xử lý", 8, "phrase", ()),             # "dừng xử lý" settles it
    ("Từ chối giải quyết", None, "ambiguous", (8, 10)),
    ("Đã từ chối giải quyết", None, "ambiguous", (8, 10)),
    ("Từ chối giải quyết (quá hạn)", None, "ambiguous", (8, 10)),
    ("Từ chối tiếp nhận", 3, "exact", ()),
    ("Từ chối", 3, "exact", ()),
    ("Đã trả kết quả", 10, "exact", ()),
    ("Đã trả", 10, "exact", ()),
])
def test_status_wording_sent_back_or_refused(text, code, how, candidates):
    wording = status_wording(text)
    assert (wording.read_as, wording.how, wording.candidates) == (code, how, candidates)


def test_the_qualifier_in_brackets_is_dropped_as_a_plain_word():
    # plain_key has no brackets left: "(trễ hạn)" is the qualifier "tre han" at the end.
    assert (status_wording("Đã trả kết quả (trễ hạn)").read_as, status_wording("Đang xử lý - quá hạn").read_as) \
        == (10, 4)


HEADER = ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả", "Trạng thái",
          "Hình thức nộp"]


def write_csv(path, rows):
    path.write_text("\n".join(",".join("" if c is None else str(c) for c in r) for r in [HEADER, *rows]) + "\n",
                    encoding="utf-8")
    return path


def test_sent_back_and_refused_dossiers_stay_received_and_are_listed_for_mapping(tmp_path):
    rows = [["S-1", "03/01/2019", "10/01/2019", None, "09/01/2019", "Đã trả lại hồ sơ", "Trực tiếp"],
            ["S-2", "04/01/2019", "11/01/2019", None, None, "Từ chối giải quyết", "Trực tiếp"],
            ["S-3", "07/01/2019", "14/01/2019", "10/01/2019", None, "Đã trả kết quả", "Trực tiếp"]]
    reading = read_export(write_csv(tmp_path / "tra-lai.csv", rows))
    assert reading.records[s.STATUS_UNRECOGNISED].tolist() == [True, True, False]
    notices = {i.value: i for i in reading.issues if i.code == q.STATUS_UNRECOGNISED}
    assert set(notices) == {"Đã trả lại hồ sơ", "Từ chối giải quyết"}
    assert 'trạng thái 3 "Không được tiếp nhận" hoặc trạng thái 8 "Dừng xử lý"' in notices["Đã trả lại hồ sơ"].message
    assert 'trạng thái 8 "Dừng xử lý" hoặc trạng thái 10 "Đã trả kết quả"' in notices["Từ chối giải quyết"].message
    # By hand: all three received in Q1 stay in (3). S-1's status is inferred from its return date (resolved, on
    # 09/01 before its due 10/01: early) until the user maps it; S-2 has no finish date: pending, overdue at 31/03;
    # S-3 early.
    total = official_table(reading.records, Q1).total
    assert (total["received_total"], total["resolved_early"], total["pending_overdue"]) == (3, 2, 1)
    mapped = read_export(write_csv(tmp_path / "tra-lai.csv", rows),
                         value_overrides={"status": {"Đã trả lại hồ sơ": 3, "Từ chối giải quyết": 8}})
    total = official_table(mapped.records, Q1).total
    # Mapped: S-1 was never received (3) and leaves the counts; S-2 stopped (8) but has no finish date, so it
    # cannot be placed (DOMAIN rule 5) and is listed as left out, not counted; S-3 early.
    assert (total["received_total"], total["withdrawn"], total["resolved_early"]) == (1, 0, 1)


@pytest.mark.parametrize("text, code, how", [
    ("Trực tuyến (BCCI trả kết quả)", 2, "phrase"),
    ("Trực tuyến (trả kết quả qua BCCI)", 2, "phrase"),
    ("Nộp trực tiếp, trả qua bưu điện", 1, "phrase"),
    ("Trực tiếp (nhận qua bưu chính)", 1, "phrase"),
    ("BCCI (trả kết quả trực tiếp)", 3, "phrase"),
    ("Nộp trực tuyến, nhận kết quả qua bưu chính công ích", 2, "phrase"),
    ("Trực tiếp hoặc trực tuyến", None, "ambiguous"),
])
def test_a_bracket_about_the_result_does_not_decide_the_channel(text, code, how):
    wording = channel_wording(text)
    assert (wording.read_as, wording.how) == (code, how)


def test_an_online_submission_with_the_result_by_post_counts_in_column_4(tmp_path):
    rows = [["K-1", "03/01/2019", "10/01/2019", "08/01/2019", None, "Đã trả kết quả", "Trực tuyến (BCCI trả kết quả)"],
            ["K-2", "03/01/2019", "10/01/2019", "08/01/2019", None, "Đã trả kết quả", "Trực tiếp"]]
    reading = read_export(write_csv(tmp_path / "bcci.csv", rows))
    total = official_table(reading.records, Q1).total
    assert (total["received_online"], total["received_direct_postal"]) == (1, 1)
    assert not reading.records[s.CHANNEL_UNRECOGNISED].any()
