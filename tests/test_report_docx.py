"""The written report as a Word document (issue 9 item 5; issue 15 item 4): read back with python-docx, every printed
figure equals the core's; the form of a "báo cáo" under Nghị định 30/2020, Phụ lục I (the parent body over the
issuing team with a rule, the document type and its trích yếu without "V/v", page numbers top centre from page 2,
Heading styles, the signature block with the signer's name, nơi nhận); the provenance in the appendix and nowhere in
the body; the sample says so on its first page; no applicant's data; LibreOffice prints the seed's session in at
most 12 pages. What the report says is tested on its own in test_report_text.py."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from analytics.analyses import catalog_audit
from analytics.analyses.bieu06 import COUNT_KEYS, online_share
from analytics.ingest.sheets import load_tables
from analytics.model.session import Provenance, SourceFile
from analytics.outputs import formatting as fmt
from analytics.outputs import judged
from analytics.outputs import report_docx as report
from analytics.outputs import report_text as say
from analytics.outputs.labels import (
    COLUMN_GROUPS,
    COLUMN_HEADERS,
    COLUMN_NUMBERS,
    LATE_TABLE_LABELS,
    ROW_HEADER,
    TOTAL_ROW,
)
from analytics.outputs.slides import SAMPLE_WARNING, headline_slide, provenance_lines
from tests.session_fixtures import ROOT, SEED_SESSION, office_pdf_text, sample_session, seed_session, session_of

APPLICANT_HEADERS = {"Chủ hồ sơ", "Số điện thoại", "Người nộp", "Địa chỉ", "CCCD", "Số CCCD/CMND"}
MAX_SEED_PAGES = 12


@pytest.fixture(scope="module")
def session():
    return sample_session()


@pytest.fixture(scope="module")
def built(session):
    figures, provenance = session
    return report.report_docx(figures, provenance)


@pytest.fixture(scope="module")
def document(built):
    return Document(io.BytesIO(built))


@pytest.fixture(scope="module")
def seed():
    return seed_session()


@pytest.fixture(scope="module")
def seed_built(seed):
    figures, provenance = seed
    return report.report_docx(figures, provenance)


@pytest.fixture(scope="module")
def seed_document(seed_built):
    return Document(io.BytesIO(seed_built))


def cell_texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def all_text(document) -> str:
    """Every paragraph's text, in tables too, headers and footers included."""
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def blocks(document) -> list:
    """The body's paragraphs and tables in the document's order."""
    out = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(Paragraph(child, document))
        elif child.tag == qn("w:tbl"):
            out.append(Table(child, document))
    return out


def block_text(block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    return "\n".join(cell.text for row in block.rows for cell in row.cells)


def split_at_appendix(document) -> tuple[str, str]:
    """(the body's text, the appendix's text): the appendix starts at its "PHỤ LỤC" heading."""
    found = blocks(document)
    start = next(i for i, b in enumerate(found) if isinstance(b, Paragraph) and b.text == say.APPENDIX_TITLE)
    return ("\n".join(block_text(b) for b in found[:start]), "\n".join(block_text(b) for b in found[start:]))


def table_headed(document, *headers: str):
    """The one table whose header row starts with `headers`."""
    found = [t for t in document.tables if [c.text for c in t.rows[0].cells][:len(headers)] == list(headers)]
    assert len(found) == 1, f"one table headed {headers!r}"
    return found[0]


def paragraph_index(document, starting: str) -> int:
    return next(i for i, p in enumerate(document.paragraphs) if p.text.startswith(starting))


def has_bottom_rule(paragraph) -> bool:
    borders = paragraph._p.pPr.find(qn("w:pBdr")) if paragraph._p.pPr is not None else None
    return borders is not None and borders.find(qn("w:bottom")) is not None and not paragraph.text


# --- The figures -------------------------------------------------------------------------------------------------

def test_the_headline_rate_and_counts_are_the_cores(session, document):
    figures, _ = session
    text = all_text(document)
    total, rate = figures.total, figures.rate
    assert headline_slide(figures).headline in text
    assert "95,7%" in headline_slide(figures).headline  # the sample's Q1/2019 rate, as the README gives it
    assert f"{fmt.percent(rate.value)} đúng hạn ({fmt.number(rate.numerator)}/{fmt.number(rate.denominator)}" in text
    for key in ("received_total", "resolved_total", "pending_total", "pending_overdue"):
        assert f"{fmt.number(total[key])}" in text
    assert (f"đã giải quyết {fmt.number(total['resolved_total'])} hồ sơ trong {fmt.number(total['received_total'])} "
            "hồ sơ nhận giải quyết") in text


def test_the_seeds_figures_are_the_seeds(seed, seed_document):
    """The seed article: 1.365 dossiers resolved, 96,6% on time (1.319/1.365), 1.431 received, 7 pending overdue."""
    figures, _ = seed
    text = all_text(seed_document)
    assert "đã giải quyết 1.365 hồ sơ trong 1.431 hồ sơ nhận giải quyết, 96,6% đúng hạn (1.319/1.365" in text
    total = cell_texts(table_headed(seed_document, "STT", ROW_HEADER))[-1]
    assert total[1] == TOTAL_ROW and total[2:] == [fmt.number(figures.total[k]) for k in COUNT_KEYS]
    assert (total[2], total[6], total[12]) == ("1.431", "1.365", "7")


def test_bieu06_prints_every_row_of_the_official_layout_with_the_cores_numbers(session, document):
    figures, _ = session
    table = table_headed(document, "STT", ROW_HEADER)
    rows = cell_texts(table)
    assert rows[2] == ["(1)", "(2)", *(COLUMN_NUMBERS[k] for k in COUNT_KEYS)]
    assert [COLUMN_NUMBERS[k] for k in COUNT_KEYS] == [f"({n})" for n in range(3, 15)]
    for title, _ in COLUMN_GROUPS:
        assert title in rows[0]
    assert [COLUMN_HEADERS[k] for k in COUNT_KEYS if k != "withdrawn"] == rows[1][2:13]
    expected = [(row["name"], row, row["depth"]) for row in figures.official.to_dict("records")]
    expected.append((TOTAL_ROW, figures.total, -1))
    printed = table.rows[3:]
    assert len(printed) == len(expected) == len(figures.official) + 1
    for row, (name, figure, depth) in zip(printed, expected):
        cells = [c.text for c in row.cells]
        assert cells[1] == name
        assert cells[2:] == [fmt.number(figure[k]) for k in COUNT_KEYS], name
        bold = all(run.bold for run in row.cells[2].paragraphs[0].runs)
        assert bold == (depth != 2), f"{name}: subtotals and the total in bold, fields not"
    assert {r["depth"] for r in figures.official.to_dict("records")} == {0, 1, 2}  # the full layout, with fields


def test_bieu06_sits_on_landscape_pages_and_the_rest_on_a4_portrait(document):
    orientations = [(round(s.page_width.cm, 1), round(s.page_height.cm, 1)) for s in document.sections]
    assert orientations == [(21.0, 29.7), (29.7, 21.0), (21.0, 29.7)]
    landscape = document.sections[1]
    bieu06 = table_headed(document, "STT", ROW_HEADER)
    assert any(isinstance(b, Table) and b._tbl is bieu06._tbl for b in landscape.iter_inner_content())
    for section in document.sections:
        assert abs(section.left_margin - Cm(3)) < Cm(0.01)
        assert abs(section.right_margin - Cm(2)) < Cm(0.01)
        assert abs(section.top_margin - Cm(2)) < Cm(0.01)
    assert landscape.orientation == 1  # WD_ORIENT.LANDSCAPE


def test_the_late_tables_equal_the_cores_with_their_totals(session, document):
    figures, _ = session
    for header, late in (("Cơ quan giải quyết", figures.late_by_unit), ("Lĩnh vực", figures.late_by_field)):
        rows = cell_texts(table_headed(document, header, LATE_TABLE_LABELS["resolved_late"]))
        assert rows[0][1:] == [LATE_TABLE_LABELS[k] for k in say.LATE_KEYS]
        body, total = rows[1:-1], rows[-1]
        assert body == [[r["name"], *(fmt.number(r[k]) for k in say.LATE_KEYS)] for r in late.to_dict("records")]
        assert total[0] == TOTAL_ROW
        by_key = dict(zip(say.LATE_KEYS, total[1:]))
        # The totals agree with Biểu 06's columns (10) and (13).
        assert by_key["resolved_late"] == fmt.number(figures.total["resolved_late"])
        assert by_key["pending_overdue"] == fmt.number(figures.total["pending_overdue"])
        assert by_key["late_total"] == fmt.number(figures.total["resolved_late"] + figures.total["pending_overdue"])
        for key in ("with_apology", "without_apology", "apology_unknown"):
            assert by_key[key] == fmt.number(int(late[key].sum()))


def test_the_channels_and_the_online_share(session, document):
    figures, _ = session
    rows = cell_texts(table_headed(document, "Hình thức nộp"))[1:]
    assert [r[0] for r in rows] == list(figures.by_channel["name"])
    for printed, channel in zip(rows, figures.by_channel.to_dict("records")):
        assert printed[1] == fmt.number(channel["received_online"] + channel["received_direct_postal"])
        assert printed[3] == fmt.number(channel["resolved_total"])
        assert printed[4].startswith(fmt.percent(channel["on_time_rate"]))
    share, online, received = online_share(figures.total)
    assert f"{fmt.percent(share)} ({fmt.number(online)}/{fmt.number(received)}" in all_text(document)


def test_the_comparison_with_its_intervals_and_no_count_change_across_lengths(session, document):
    """The sample compares Q1/2019 with 2018: the rates side by side with their intervals; the change of the rate
    with its interval (which holds zero, so no rise or fall is said); no change of counts, the periods being of
    different lengths (issue 15: a count change between a quarter and a year is no finding)."""
    figures, _ = session
    change = figures.comparison.total
    rows = cell_texts(table_headed(document, "Kỳ"))
    earlier, now, delta = rows[1], rows[2], rows[3]
    assert earlier[0].startswith("Năm 2018") and now[0].startswith("Quý I/2019")
    for printed, rate in ((earlier, change["rate_a"]), (now, change["rate_b"])):
        assert printed[3] == f"{fmt.percent(rate['value'])} ({fmt.number(rate['numerator'])}/" \
                             f"{fmt.number(rate['denominator'])})"
        assert printed[4] == f"{fmt.percent(rate['ci95'][0])} – {fmt.percent(rate['ci95'][1])}"
    assert now[1] == fmt.number(figures.total["received_total"])
    assert now[5] == fmt.number(figures.total["pending_overdue"])
    assert earlier[5] == fmt.number(figures.comparison.a.total["pending_overdue"])
    assert delta[3] == judged.signed_points(change["rate_change_pp"]) == "−1,1 điểm %"
    assert delta[4] == "−4,3 đến +1,1 điểm %"
    assert (delta[1], delta[2], delta[5]) == (fmt.DASH,) * 3
    text = all_text(document)
    assert "Hai kỳ không cùng độ dài (năm 2018 và quý I/2019)" in text


def test_no_rise_or_fall_of_the_on_time_rate_is_printed_for_the_sample(document):
    """The sample's change of the on-time rate, −1,1 points, has a 95% interval of −4,3 to +1,1: no paragraph about
    the rate says "giảm" or "tăng" (the old report printed "giảm 1,1 điểm %")."""
    text = all_text(document)
    assert "giảm 1,1" not in text
    about_the_rate = [p for p in text.split("\n") if "tỷ lệ đúng hạn" in p.lower() and "quá hạn (13)" not in p]
    assert len(about_the_rate) > 3
    for paragraph in about_the_rate:
        assert not re.search(r"\b(tăng|giảm)\b", paragraph), paragraph
    assert "không thay đổi có ý nghĩa thống kê (−1,1 điểm %; khoảng tin cậy 95%: −4,3 đến +1,1 điểm %)" in text


def test_a_comparison_the_data_do_not_cover_prints_the_plain_sentence_and_no_change():
    asked = dataclasses.replace(SEED_SESSION, compare_start=dt.date(2016, 1, 1), compare_end=dt.date(2016, 12, 31))
    figures, provenance = session_of(asked)
    document = Document(io.BytesIO(report.report_docx(figures, provenance)))
    texts = [p.text for p in document.paragraphs]
    start = texts.index(say.COMPARISON)
    assert texts[start + 1].startswith("Không so sánh với năm 2016 (01/01/2016 – 31/12/2016): dữ liệu không có kỳ "
                                       "này") and texts[start + 1].endswith("nên không có thay đổi nào để nêu.")
    assert texts[start + 2] == say.CATALOG
    assert not [t for t in document.tables if t.rows[0].cells[0].text == "Kỳ"]
    text = all_text(document)
    assert "Thay đổi (kỳ" not in text and "+1.431" not in text and "+1.365" not in text
    shortcomings = "\n".join(texts[texts.index(say.SHORTCOMINGS):texts.index(say.RECOMMENDATIONS_TITLE)])
    assert "quá hạn (13)" not in shortcomings and "tăng" not in shortcomings


def test_unused_procedures_are_counted_by_level_and_not_listed(seed, seed_document):
    figures, _ = seed
    unused = figures.audit[catalog_audit.UNUSED_PROCEDURES]
    text = all_text(seed_document)
    assert unused["count"] == 370
    assert ("370 thủ tục (Cấp huyện: 251; Cấp xã: 119). Danh sách đầy đủ trong sổ tính kèm theo.") in text
    assert not [t for t in seed_document.tables if "Mã thủ tục" in [c.text for c in t.rows[0].cells]]
    late_names = set(figures.most_late_procedures["name"])
    listed = [i["procedure_name"] for i in unused["items"] if i["procedure_name"] not in late_names
              and i["procedure_name"] in text]
    assert not listed, listed[:3]


def test_unused_procedures_by_field_print_as_a_short_table(seed):
    figures, provenance = seed
    items = [{"procedure_code": str(n), "procedure_name": f"Thủ tục {n}", "level": "Cấp xã", "field": "Hộ tịch"}
             for n in range(5)]
    audit = {**figures.audit, catalog_audit.UNUSED_PROCEDURES: {"count": 5, "by_level": {"Cấp xã": 5},
                                                                "items": items}}
    document = Document(io.BytesIO(report.report_docx(dataclasses.replace(figures, audit=audit), provenance)))
    rows = cell_texts(table_headed(document, "Lĩnh vực", "Cấp xã"))
    assert rows == [["Lĩnh vực", "Cấp xã", "Tổng số"], ["Hộ tịch", "5", "5"], [TOTAL_ROW, "5", "5"]]
    assert "Thủ tục 3" not in all_text(document)


def test_without_comparison_or_catalog_the_report_says_so(session):
    figures, provenance = session
    bare = dataclasses.replace(figures, comparison=None, audit=None,
                               session=dataclasses.replace(figures.session, compare_start=None, compare_end=None))
    document = Document(io.BytesIO(report.report_docx(bare, provenance)))
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index(say.COMPARISON) + 1] == say.NO_COMPARISON
    assert say.CATALOG not in texts
    assert "Kỳ so sánh: Không so sánh" in texts


# --- Provenance in the appendix, none in the body ----------------------------------------------------------------

def test_the_appendix_holds_every_file_and_its_full_sha256_and_the_body_none(seed, seed_document):
    figures, provenance = seed
    body, appendix = split_at_appendix(seed_document)
    for source in provenance.files:
        assert source.name in appendix and source.sha256 in appendix
        assert source.name not in body and source.sha256[:8] not in body
    assert provenance.version in appendix and provenance.version not in body
    assert "procedures.xlsx" in appendix and "procedures.xlsx" not in body
    for internal in (figures.session.name, "sha256", "SHA-256", "phiên bản", ".xlsx", "V/v"):
        assert internal.lower() not in body.lower(), internal
    assert figures.session.name not in all_text(seed_document)  # the code is nowhere printed
    for line in provenance_lines(provenance, figures):
        assert f"- {line}" in appendix
    texts = [p.text for p in seed_document.paragraphs]
    start = texts.index(say.APPENDIX_TITLE)
    assert texts[start + 1] == say.APPENDIX_SUBTITLE and texts[start + 2].startswith("(Kèm theo Báo cáo số")
    assert seed_document.paragraphs[start].style.name == "Heading 1"
    page_break = seed_document.paragraphs[start - 1]._p.xpath(".//w:br[@w:type='page']")
    assert page_break  # on pages of its own, after the signature


def test_the_sample_says_so_on_the_first_page_in_a_red_box(document):
    warning = [i for i, p in enumerate(document.paragraphs) if SAMPLE_WARNING in p.text]
    first = warning[0]
    assert first < paragraph_index(document, "I. MỤC ĐÍCH") and first < 6  # right under the title
    paragraph = document.paragraphs[first]
    run = next(r for r in paragraph.runs if SAMPLE_WARNING in r.text)
    assert run.bold and str(run.font.color.rgb) == "C00000"
    assert paragraph._p.pPr.find(qn("w:pBdr")) is not None
    assert say.KIND in [p.text for p in document.paragraphs[:first]]


def test_real_data_carries_no_sample_warning(session):
    figures, provenance = session
    real = Provenance(files=(SourceFile("quy1.xlsx", "ab" * 32, None, 10),), is_sample=False,
                      made_at=provenance.made_at, version=provenance.version)
    document = Document(io.BytesIO(report.report_docx(figures, real)))
    text = all_text(document)
    assert SAMPLE_WARNING not in text and say.SAMPLE_NOTE not in text and "DỮ LIỆU MẪU" not in text
    body, appendix = split_at_appendix(document)
    assert f"quy1.xlsx — SHA-256 {'ab' * 32}" in appendix and "quy1.xlsx" not in body


# --- The drafted findings ----------------------------------------------------------------------------------------

def test_shortcomings_are_drafted_as_the_judgements_allow_and_marked_as_a_draft(session, document):
    figures, _ = session
    texts = [p.text for p in document.paragraphs]
    start, end = texts.index(say.SHORTCOMINGS), texts.index(say.RECOMMENDATIONS_TITLE)
    section = "\n".join(texts[start:end])
    draft = document.paragraphs[start + 1]
    assert draft.text == say.DRAFT_NOTE and draft._p.pPr.find(qn("w:shd")) is not None
    findings = say.shortcomings(figures)
    for finding in findings:
        assert f"- {finding.text}" in texts[start:end]
        for line in finding.lines:
            assert f"+ {line}" in texts[start:end]
    # No unit is named for attention in the sample; the small ones are counted apart, after the findings.
    assert figures.attention.empty
    apart = texts.index(say.NOT_ESTABLISHED)
    assert start < apart < end
    for line in say.not_established(figures):
        assert f"+ {line}" in texts[apart:end]
    assert "Phòng" not in "\n".join(texts[apart:texts.index(say.SHORTCOMING_PARTS[1])])
    asked = [sc for sc in figures.screens if sc.count]
    assert asked
    for screen in asked:
        line = next(t for t in texts[start:end] if re.match(rf"- .* \({fmt.number(screen.count)} hồ sơ\)", t))
        assert line.rstrip().endswith("?")  # worded as a question
    assert "không thay đổi có ý nghĩa thống kê" in section


def test_recommendations_are_headings_with_lines_to_fill(document):
    texts = [p.text for p in document.paragraphs]
    start, end = texts.index(say.RECOMMENDATIONS_TITLE), texts.index(say.APPENDIX_TITLE)
    assert sum(t == say.FILL for t in texts[start:end]) >= 6
    assert texts[start + 1].startswith("1. Đối với")


# --- The form of a báo cáo (Nghị định 30/2020, Phụ lục I) ---------------------------------------------------------

def test_the_header_parent_body_over_the_issuing_team_with_a_short_rule(seed_document):
    header = seed_document.tables[0]
    left, right = header.rows[0].cells
    parent, issuer, rule, number = left.paragraphs[:4]
    assert parent.text == "HĐND TỈNH LẠNG SƠN" and not any(r.bold for r in parent.runs)
    assert issuer.text == "ĐOÀN GIÁM SÁT" and all(r.bold for r in issuer.runs)
    assert {r.font.size.pt for r in parent.runs + issuer.runs} <= {12, 13}
    # A short rule under the issuing body, centred: 1/3 to 1/2 of the text's width (13 pt bold capitals).
    assert has_bottom_rule(rule)
    inner = report.HEADER_WIDTHS[0] - 2 * report.CELL_MARGIN_CM
    length = inner - rule.paragraph_format.left_indent.cm - rule.paragraph_format.right_indent.cm
    width = len(issuer.text) * report.CAPITALS_CM_PER_CHAR
    assert abs(rule.paragraph_format.left_indent - rule.paragraph_format.right_indent) < Cm(0.01)
    assert width / 3 <= length <= width / 2
    assert number.text == "Số: ……/BC-ĐGS"
    nation, motto, motto_rule, place_date = right.paragraphs[:4]
    assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and nation.runs[0].bold
    assert nation.runs[0].font.size.pt in (12, 13)
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.runs[0].bold and not motto.runs[0].underline
    assert motto.runs[0].font.size.pt in (13, 14)
    assert has_bottom_rule(motto_rule)  # a rule as long as the motto, under it
    inner = report.HEADER_WIDTHS[1] - 2 * report.CELL_MARGIN_CM
    assert abs(inner - 2 * motto_rule.paragraph_format.left_indent.cm - report.MOTTO_CM) < 0.01
    assert place_date.text == "Lạng Sơn, ngày …… tháng …… năm 20……" and place_date.runs[0].italic
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_the_document_type_then_its_subject_without_v_v(seed, seed_document):
    figures, _ = seed
    texts = [p.text for p in seed_document.paragraphs]
    kind = texts.index(say.KIND)
    subject = seed_document.paragraphs[kind + 1]
    assert subject.text == say.subject(figures.session)
    assert subject.text.startswith("Kết quả giám sát chuyên đề công tác cải cách hành chính")
    for paragraph in (seed_document.paragraphs[kind], subject):
        assert paragraph.alignment == 1 and all(r.bold for r in paragraph.runs)  # centred, bold
    assert has_bottom_rule(seed_document.paragraphs[kind + 2])
    assert kind < 3  # right under the header
    assert not any(t.startswith("V/v") for t in texts) and "V/v" not in all_text(seed_document)
    assert "BÁO CÁO KẾT QUẢ" not in all_text(seed_document)


def test_page_numbers_top_centre_from_the_second_page(seed_document):
    first = seed_document.sections[0]
    title_page = first._sectPr.find(qn("w:titlePg"))
    assert title_page is not None and title_page.get(qn("w:val"), "1") not in ("0", "false")
    assert first.different_first_page_header_footer
    assert not list(first.first_page_header._element.iter(qn("w:instrText")))  # none on page 1
    for section in seed_document.sections:
        header = section.header
        assert not header.is_linked_to_previous
        codes = [t.text.strip() for t in header._element.iter(qn("w:instrText"))]
        assert codes == ["PAGE"]
        paragraph = header.paragraphs[0]
        assert paragraph.alignment == 1  # centred
        assert {r.font.size.pt for r in paragraph.runs} == {report.PAGE_NUMBER_PT}
        assert not list(section.footer._element.iter(qn("w:instrText")))
    assert all(not s.different_first_page_header_footer for s in seed_document.sections[1:])


def test_section_titles_use_words_heading_styles(seed_document):
    by_style = {}
    for paragraph in seed_document.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert by_style["Heading 1"] == [say.PURPOSE, say.RESULTS, say.SHORTCOMINGS, say.RECOMMENDATIONS_TITLE,
                                     say.APPENDIX_TITLE]
    for title in (*say.PURPOSE_PARTS, say.OVERALL, say.BIEU06, say.LATE, say.CHANNELS, say.COMPARISON, say.CATALOG,
                  *say.SHORTCOMING_PARTS, "1. Đối với Ủy ban nhân dân cấp trên"):
        assert title in by_style["Heading 2"], title
    assert by_style["Heading 3"] == [say.LATE_PARTS[0][0], say.LATE_PARTS[1][0], *say.CAUSES]
    for level in (1, 2, 3):
        style = seed_document.styles[f"Heading {level}"]
        assert style.font.name == "Times New Roman" and style.font.size == Pt(14) and style.font.bold
        assert bool(style.font.italic) == (level == 3)
        colour = style.element.rPr.find(qn("w:color"))
        assert colour.get(qn("w:val")) == "000000" and colour.get(qn("w:themeColor")) is None
        fonts = style.element.rPr.rFonts
        assert not [a for a in fonts.attrib if "theme" in a.lower()]
        assert style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(level - 1)
    # Section titles carry no direct formatting: their look is the style's.
    for paragraph in seed_document.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            assert all(r.bold is None and r.font.size is None for r in paragraph.runs)


def test_the_signature_block_with_space_and_the_signers_name(seed, seed_document):
    signature = next(t for t in seed_document.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
    left, right = signature.rows[0].cells
    title = left.paragraphs[0].runs[0]
    assert title.bold and title.italic and title.font.size.pt == 12
    recipients = [p for p in left.paragraphs[1:] if p.text]
    assert [p.text for p in recipients] == list(say.signature(seed[0].session).recipients)
    assert all(r.font.size.pt == 11 for p in recipients for r in p.runs)
    lines = [p.text for p in right.paragraphs]
    assert lines[:2] == ["TM. ĐOÀN GIÁM SÁT", "TRƯỞNG ĐOÀN"]
    assert report.SIGNATURE_SPACE >= 4 and lines[2:2 + report.SIGNATURE_SPACE] == [""] * report.SIGNATURE_SPACE
    assert lines[-1] == "Vũ Văn Quang"
    for paragraph in (right.paragraphs[0], right.paragraphs[1], right.paragraphs[-1]):
        assert all(r.bold for r in paragraph.runs)
    assert signature._tbl.tr_lst[0].trPr.find(qn("w:cantSplit")) is not None
    # After the recommendations, before the appendix.
    order = blocks(seed_document)
    at = next(i for i, b in enumerate(order) if isinstance(b, Table) and b._tbl is signature._tbl)
    texts = [block_text(b) for b in order]
    assert texts.index(say.RECOMMENDATIONS_TITLE) < at < texts.index(say.APPENDIX_TITLE)


def test_without_a_signer_a_line_to_write_the_name_on(seed):
    figures, provenance = seed
    unsigned = dataclasses.replace(figures, session=dataclasses.replace(figures.session, signer=""))
    document = Document(io.BytesIO(report.report_docx(unsigned, provenance)))
    signature = next(t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
    assert signature.rows[0].cells[1].paragraphs[-1].text == say.NAME_LINE


def test_times_new_roman_for_every_script(document):
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt in (13, 14)
    fonts = normal.element.rPr.rFonts
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(script)) == "Times New Roman"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:rFonts')}")
    assert defaults.get(qn("w:eastAsia")) == "Times New Roman" and defaults.get(qn("w:asciiTheme")) is None
    every = document.element.body.iter(qn("w:rFonts"))
    assert all(f.get(qn("w:ascii"), "Times New Roman") == "Times New Roman" for f in every)


def test_text_from_the_data_goes_in_as_plain_text(session):
    figures, provenance = session
    odd = '<w:t>Đoàn & "giám sát" =HYPERLINK("x")'
    strange = dataclasses.replace(figures, session=dataclasses.replace(figures.session, team=odd + "\x0b",
                                                                       bodies=odd))
    document = Document(io.BytesIO(report.report_docx(strange, provenance)))
    text = all_text(document)
    assert odd in text
    assert document.tables[0].rows[0].cells[0].paragraphs[1].text == odd.upper()
    assert not list(document.element.body.iter(qn("w:hyperlink")))


# --- No personal data; a real office suite -----------------------------------------------------------------------

def applicant_values() -> set[str]:
    """Every applicant name, phone and address in the sample's exports (the columns under applicant headers)."""
    values = set()
    for path in sorted((ROOT / "sample_data" / "exports").glob("*.xlsx")):
        for _, sheet in load_tables(path.read_bytes(), path.name):
            header_row = next(i for i in range(len(sheet)) if APPLICANT_HEADERS & {str(v) for v in sheet.iloc[i]})
            columns = [c for c in sheet.columns if str(sheet.iloc[header_row][c]) in APPLICANT_HEADERS]
            for column in columns:
                values |= {str(v).strip() for v in sheet[column].iloc[header_row + 1:] if v is not None and pd.notna(v)}
    return {v for v in values if len(v) >= 6 and not (v.startswith("(") and v.endswith(")"))}


def test_no_applicant_names_or_phones_anywhere(built, document):
    values = applicant_values()
    assert len(values) > 500  # names, phones and addresses were found
    assert any(v.replace(" ", "").isdigit() for v in values)
    text = all_text(document)
    xml = document.element.xml
    found = sorted(v for v in values if v in text or v in xml)
    assert not found, found[:5]


def test_libreoffice_opens_it_and_prints_the_headline(built, tmp_path):
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(built)
    text = office_pdf_text(path, tmp_path)
    assert "BÁO CÁO" in text and "Kết quả giám sát" in text
    assert "95,7%" in text
    assert SAMPLE_WARNING in " ".join(text.split())
    assert "Độc lập - Tự do - Hạnh phúc" in text


def pdf_of(built: bytes, tmp_path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed: .ci/run installs it"
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(built)
    done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, text=True, timeout=180, check=False)
    pdf = tmp_path / "bao-cao.pdf"
    assert pdf.exists(), done.stderr or done.stdout
    return pdf


def page_text(pdf, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, timeout=60, check=True).stdout


def test_the_seeds_report_prints_in_at_most_12_pages_numbered_from_the_second(seed_built, tmp_path):
    pdf = pdf_of(seed_built, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    assert pages <= MAX_SEED_PAGES, f"{pages} pages"
    first_lines = [next(line.strip() for line in page_text(pdf, n).splitlines() if line.strip())
                   for n in range(1, pages + 1)]
    assert first_lines[0].startswith("HĐND TỈNH LẠNG SƠN")  # no number on page 1
    assert first_lines[1:] == [str(n) for n in range(2, pages + 1)]  # the number at the top of every other page
    last = page_text(pdf, pages)
    assert "PHỤ LỤC" in last and "NGUỒN SỐ LIỆU VÀ CÁCH TÍNH" in last


def test_the_files_properties_name_the_report_not_the_template(session, document):
    figures, _ = session
    properties = document.core_properties
    assert properties.title == f"Báo cáo {say.lower_first(say.subject(figures.session))}"
    assert properties.subject == figures.session.heading and properties.keywords == figures.session.name
    assert properties.author == figures.session.team and "python-docx" not in properties.comments
