"""What the written report says (outputs.report_text), without python-docx: the header's words from the session, the
trích yếu, the drafted shortcomings as the judgements allow them, the comparison (covered, not covered, periods of
different lengths), the unused procedures counted by field instead of listed, the appendix's provenance."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys

import pandas as pd
import pytest

from analytics.analyses import catalog_audit
from analytics.analyses.judgements import FALL, NO_CHANGE, RISE, Attention
from analytics.analyses.stats import MIN_JUDGEABLE
from analytics.model.session import SupervisionSession
from analytics.outputs import formatting as fmt
from analytics.outputs import judged
from analytics.outputs import report_text as say
from analytics.outputs.slides import comparison_note, most_late_slide, provenance_details, provenance_lines
from tests.session_fixtures import ROOT, SEED_SESSION, sample_session, seed_session, session_of

DAY = dt.date(2019, 1, 1)


def session(**kwargs) -> SupervisionSession:
    return SupervisionSession("GS-01", DAY, dt.date(2019, 3, 31), **kwargs)


def test_report_text_needs_no_python_docx():
    code = "import sys, analytics.outputs.report_text; print('docx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "False"


# --- The header and the title ------------------------------------------------------------------------------------

@pytest.mark.parametrize("team, parent, expected", [
    # The seed: the team names its parent, the session gives it too: the team's own name is the issuing body.
    ("Đoàn giám sát HĐND tỉnh Lạng Sơn", "HĐND tỉnh Lạng Sơn",
     ("HĐND TỈNH LẠNG SƠN", "ĐOÀN GIÁM SÁT", "Số: ……/BC-ĐGS", "Lạng Sơn, ngày …… tháng …… năm 20……")),
    # Only the team: its parent is read from it.
    ("Đoàn giám sát của HĐND thành phố Hà Nội", "",
     ("HĐND THÀNH PHỐ HÀ NỘI", "ĐOÀN GIÁM SÁT", "Số: ……/BC-ĐGS", "Hà Nội, ngày …… tháng …… năm 20……")),
    # Another issuing body under its parent: its own abbreviation in the ký hiệu.
    ("Ban Pháp chế HĐND tỉnh Cao Bằng", "HĐND tỉnh Cao Bằng",
     ("HĐND TỈNH CAO BẰNG", "BAN PHÁP CHẾ", "Số: ……/BC-BPC", "Cao Bằng, ngày …… tháng …… năm 20……")),
    # Nothing known: dots to fill in, never a guess.
    ("", "", (say.DOTS * 5, "ĐOÀN GIÁM SÁT", "Số: ……/BC-ĐGS", say.DOTS * 3 + ", ngày …… tháng …… năm 20……")),
])
def test_the_header_puts_the_parent_body_over_the_issuing_team(team, parent, expected):
    words = say.header(session(team=team, parent_body=parent))
    assert (words.parent, words.issuer, words.number, words.place_date) == expected
    assert words.nation == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and words.motto == "Độc lập - Tự do - Hạnh phúc"


@pytest.mark.parametrize("title, bodies, expected", [
    (SEED_SESSION.title, "", "Kết quả giám sát chuyên đề công tác cải cách hành chính, thủ tục hành chính tại Bộ "
                             "phận tiếp nhận và trả kết quả thành phố Lạng Sơn từ năm 2018 đến quý I năm 2019"),
    ("", "UBND thành phố Lạng Sơn",  # made from the bodies and the period
     "Kết quả giám sát việc giải quyết thủ tục hành chính tại UBND thành phố Lạng Sơn, quý I/2019"),
    ("Báo cáo kết quả giám sát quý I", "", "Kết quả giám sát quý I"),     # "Báo cáo" is the type, not repeated
    ("V/v giám sát một cửa", "", "Kết quả giám sát một cửa"),             # "V/v" is a công văn's
    ("Việc giải quyết TTHC tại xã", "", "Kết quả giám sát việc giải quyết TTHC tại xã"),
    ("UBND huyện và một cửa", "", "Kết quả giám sát UBND huyện và một cửa"),  # an abbreviation keeps its capitals
])
def test_the_subject_under_bao_cao_has_no_v_v_and_no_second_bao_cao(title, bodies, expected):
    subject = say.subject(session(title=title, bodies=bodies))
    assert subject == expected
    assert not subject.startswith("V/v") and "báo cáo" not in subject.lower()


def test_the_introduction_and_scope_carry_no_session_code_nor_file_name():
    figures, provenance = seed_session()
    text = " ".join([say.introduction(figures.session), say.purpose_text(figures),
                     *(f"{a}: {b}" for a, b in say.scope_lines(figures, provenance))])
    assert figures.session.name not in text and "procedures.xlsx" not in text and ".xlsx" not in text
    assert "Năm 2018 và quý I/2019 (01/01/2018 – 31/03/2019)" in text
    assert say.introduction(figures.session).startswith("Thực hiện Nghị quyết số ……/NQ-HĐND ngày …… của HĐND tỉnh "
                                                        "Lạng Sơn về việc thành lập Đoàn giám sát, Đoàn giám sát "
                                                        "báo cáo kết quả giám sát chuyên đề")


def test_the_signature_names_the_signer_or_leaves_a_line():
    signed = say.signature(SEED_SESSION)
    assert (signed.authority, signed.position, signed.name) == ("TM. ĐOÀN GIÁM SÁT", "TRƯỞNG ĐOÀN", "Vũ Văn Quang")
    assert signed.recipients[0] == "- Thường trực HĐND tỉnh Lạng Sơn;"
    assert signed.recipients[1] == "- UBND thành phố Lạng Sơn;"
    assert all(r.endswith(";") for r in signed.recipients[:-1]) and signed.recipients[-1].endswith(".")
    assert say.signature(dataclasses.replace(SEED_SESSION, signer="")).name == say.NAME_LINE


# --- Shortcomings: only what the judgements allow -----------------------------------------------------------------

def funnel_rows(*rows) -> pd.DataFrame:
    """Funnel rows (name, numerator, denominator, rate, flag)."""
    return pd.DataFrame([{"name": n, "numerator": x, "denominator": d, "rate": x / d, "flag": flag}
                         for n, x, d, flag in rows], columns=["name", "numerator", "denominator", "rate", "flag"])


def test_units_are_named_only_when_the_judgements_name_them():
    figures, _ = sample_session()
    assert figures.attention.empty and len(figures.attention.too_small) == 3
    # The sample names no unit: no attention finding, the small units counted apart without a name.
    findings = say.shortcomings(figures)
    assert not any("đơn vị" in f.text for f in findings)
    apart = say.not_established(figures)
    assert f"3 đơn vị dưới mục tiêu có dưới {MIN_JUDGEABLE} hồ sơ ở mẫu số: quá ít để đánh giá, không nêu tên" in apart
    # A unit below the funnel's limits is named with its flag; one below the target within the limits apart.
    attention = Attention(named=funnel_rows(("Phòng Tư pháp", 80, 100, "below")),
                          within_limits=funnel_rows(("UBND phường Chi Lăng", 37, 40, "inside")),
                          too_small=funnel_rows(), target=0.95)
    named = dataclasses.replace(figures, attention=attention)
    first = say.shortcomings(named)[0]
    assert first.text.startswith("1 đơn vị có tỷ lệ đúng hạn thấp hơn giới hạn kiểm soát")
    assert first.lines == ("Phòng Tư pháp: 80,0% (80/100) — Thấp hơn rõ rệt (ngoài giới hạn 99,8%)",)
    drafted = " ".join(text for f in say.shortcomings(named) for text in (f.text, *f.lines))
    assert "Phòng Tư pháp" in drafted and "UBND phường Chi Lăng" not in drafted
    assert any("UBND phường Chi Lăng 92,5% (37/40)" in line and "trong giới hạn kiểm soát" in line
               for line in say.not_established(named))


def test_a_rate_change_inside_its_interval_is_no_rise_and_no_fall():
    figures, _ = sample_session()
    change = figures.rate_change
    assert change.code == NO_CHANGE and change.low_pp < 0 < change.high_pp      # −4,3 to +1,1 points
    assert (round(change.low_pp, 1), round(change.high_pp, 1)) == (-4.3, 1.1)
    words = [*say.comparison_lines(figures), *(f.text for f in say.shortcomings(figures)),
             *(line for f in say.shortcomings(figures) for line in f.lines), *say.not_established(figures)]
    about_the_rate = [w for w in words if "tỷ lệ đúng hạn" in w.lower()]
    assert about_the_rate
    for sentence in about_the_rate:
        assert not re.search(r"\b(tăng|giảm)\b", sentence), sentence
    assert "So với năm 2018, tỷ lệ đúng hạn không thay đổi có ý nghĩa thống kê (−1,1 điểm %; khoảng tin cậy 95%: " \
           "−4,3 đến +1,1 điểm %)." in words
    # It is said apart as not established, never as a shortcoming.
    assert any(w.startswith("Tỷ lệ đúng hạn so với năm 2018: không thay đổi") for w in say.not_established(figures))
    assert not any("Tỷ lệ đúng hạn" in f.text for f in say.shortcomings(figures))


def test_the_overdue_share_is_a_finding_only_when_it_changed():
    figures, _ = sample_session()
    assert figures.overdue_change.code == RISE  # 3/1.142 at the end of 2018, 7/320 at the end of Q1/2019
    sentence = judged.overdue_sentence(figures.overdue_change, figures.comparison_asked, figures.period,
                                       figures.comparison.a.total, figures.total)
    assert sentence in [f.text for f in say.shortcomings(figures)]
    assert "0,3% (3/1.142) cuối năm 2018, 2,2% (7/320) cuối quý I/2019" in sentence
    flat = dataclasses.replace(figures, overdue_change=dataclasses.replace(figures.overdue_change, code=NO_CHANGE))
    assert not any("quá hạn (13)" in f.text for f in say.shortcomings(flat))


def test_most_late_comes_with_its_rates():
    figures, _ = seed_session()
    finding = say.shortcomings(figures)[-1]
    assert finding.text == most_late_slide(figures).headline
    assert finding.text.startswith("Lĩnh vực Đất đai có nhiều hồ sơ trễ hạn nhất: 25 hồ sơ, 4,2% số hồ sơ nhận giải "
                                   "quyết (25/601)")
    for line in finding.lines:
        assert re.search(r"\d+ hồ sơ, \d+,\d% số hồ sơ nhận giải quyết \(\d+/[\d.]+\)", line), line


# --- The comparison ----------------------------------------------------------------------------------------------

def test_periods_of_different_length_set_no_counts_against_each_other():
    figures, _ = sample_session()
    assert not figures.counts_comparable  # a quarter against a year
    table = say.comparison_table(figures)
    earlier, now, change = table.rows
    assert earlier[0] == "Năm 2018 (01/01/2018 – 31/12/2018)" and now[0] == "Quý I/2019 (01/01/2019 – 31/03/2019)"
    assert now[1] == fmt.number(figures.total["received_total"])
    assert (change[1], change[2], change[5]) == (fmt.DASH, fmt.DASH, fmt.DASH)
    assert change[3] == "−1,1 điểm %" and change[4] == "−4,3 đến +1,1 điểm %"
    assert any(line.startswith("Hai kỳ không cùng độ dài (năm 2018 và quý I/2019)")
               for line in say.comparison_lines(figures))
    same = dataclasses.replace(figures, counts_comparable=True)
    counted = say.comparison_table(same).rows[-1]
    assert counted[1] == fmt.signed_number(figures.comparison.total["received_total"])
    assert not any(line.startswith("Hai kỳ không cùng độ dài") for line in say.comparison_lines(same))


@pytest.fixture(scope="module")
def uncovered():
    """The seed's session compared with 2016, which the data (2018 – Q1/2019) do not cover."""
    return session_of(dataclasses.replace(SEED_SESSION, compare_start=dt.date(2016, 1, 1),
                                          compare_end=dt.date(2016, 12, 31)))


def test_a_comparison_the_data_do_not_cover_is_said_plainly_and_changes_nothing(uncovered):
    figures, provenance = uncovered
    assert figures.comparison is None and figures.comparison_asked is not None
    lines = say.comparison_lines(figures)
    assert lines == [comparison_note(figures)]
    assert lines[0].startswith("Không so sánh với năm 2016 (01/01/2016 – 31/12/2016): dữ liệu không có kỳ này")
    assert say.comparison_table(figures) is None
    assert say.overdue_line(figures) is None
    seed, _ = seed_session()
    assert say.shortcomings(figures) == say.shortcomings(seed)  # no finding comes from the missing period
    assert dict(say.scope_lines(figures, provenance))["Kỳ so sánh"].endswith("dữ liệu không có kỳ này, không so "
                                                                            "sánh (xem mục II.5)")


# --- The catalog: a count, not a list ----------------------------------------------------------------------------

def test_the_unused_procedures_are_counted_and_left_to_the_workbook():
    figures, _ = seed_session()
    unused = figures.audit[catalog_audit.UNUSED_PROCEDURES]
    assert unused["count"] == 370
    first = say.catalog_lines(figures)[0]
    assert first == ("Thủ tục đã công bố nhưng không phát sinh hồ sơ trong năm 2018 và quý I/2019: 370 thủ tục "
                     "(Cấp huyện: 251; Cấp xã: 119). Danh sách đầy đủ trong sổ tính kèm theo.")


def test_the_unused_procedures_by_field_and_level_when_the_audit_gives_fields():
    figures, _ = seed_session()
    items = [{"procedure_code": str(n), "procedure_name": f"TT {n}", "level": level, "field": field}
             for n, (field, level) in enumerate([("Đất đai", "Cấp huyện")] * 3 + [("Đất đai", "Cấp xã")]
                                                + [("Hộ tịch", "Cấp xã")] * 2
                                                + [(f"Lĩnh vực {k}", "Cấp huyện") for k in range(8)])]
    audit = {**figures.audit, catalog_audit.UNUSED_PROCEDURES: {"count": len(items), "by_level": {}, "items": items}}
    table = say.unused_table(dataclasses.replace(figures, audit=audit))
    assert table.headers == ["Lĩnh vực", "Cấp huyện", "Cấp xã", "Tổng số"]
    assert table.rows[0] == ["Đất đai", "3", "1", "4"] and table.rows[1] == ["Hộ tịch", "0", "2", "2"]
    assert len(table.rows) == say.UNUSED_FIELDS_SHOWN + 1
    assert table.rows[-1] == ["Các lĩnh vực khác (2 lĩnh vực)", "2", "0", "2"]
    assert table.total == ["Tổng cộng", "11", "3", "14"]
    seed = say.unused_table(figures)  # the seed's 370, by field: their counts add up to the audit's
    assert seed.total[-1] == fmt.number(figures.audit[catalog_audit.UNUSED_PROCEDURES]["count"])


# --- The appendix ------------------------------------------------------------------------------------------------

def test_the_appendix_says_where_the_figures_come_from():
    figures, provenance = seed_session()
    part = say.appendix(figures, provenance)
    assert (part.title, part.subtitle) == ("PHỤ LỤC", "NGUỒN SỐ LIỆU VÀ CÁCH TÍNH")
    assert part.attached_to == "(Kèm theo Báo cáo số ……/BC-ĐGS ngày …… tháng …… năm 20…… của Đoàn giám sát)"
    assert part.sources == provenance_lines(provenance, figures)
    details = provenance_details(provenance)
    assert list(part.files[:len(provenance.files)]) == list(details[:-1]) and part.files[-1] == details[-1]
    for source in provenance.files:
        assert any(source.name in line and source.sha256 in line for line in part.files)
    assert "Danh mục thủ tục hành chính đối chiếu: procedures.xlsx" in part.files


def test_a_significant_fall_of_the_rate_is_a_finding_with_its_interval():
    figures, _ = sample_session()
    fall = dataclasses.replace(figures.rate_change, code=FALL, change_pp=-3.0, low_pp=-5.0, high_pp=-1.0)
    fell = dataclasses.replace(figures, rate_change=fall)
    finding = say.shortcomings(fell)[0]
    assert finding.text == "So với năm 2018, tỷ lệ đúng hạn giảm 3,0 điểm %."
    assert finding.lines == ("Tỷ lệ đúng hạn: giảm 3,0 điểm % (−3,0 điểm %; khoảng tin cậy 95%: −5,0 đến −1,0 "
                             "điểm %).",)
    assert not any(line.startswith("Tỷ lệ đúng hạn so với") for line in say.not_established(fell))
