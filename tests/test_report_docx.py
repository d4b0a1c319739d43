"""The written report (issue 9, item 5): read back with python-docx, every printed figure equals the core's; the
form of an administrative document; the sample says so on its first page; no applicant's data; LibreOffice opens
it."""
from __future__ import annotations

import dataclasses
import io

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from analytics.analyses import catalog_audit
from analytics.analyses.bieu06 import COUNT_KEYS, online_share
from analytics.ingest.sheets import load_tables
from analytics.model.session import Provenance, SourceFile
from analytics.outputs import formatting as fmt
from analytics.outputs import report_docx as report
from analytics.outputs.labels import (
    COLUMN_GROUPS,
    COLUMN_HEADERS,
    COLUMN_NUMBERS,
    LATE_TABLE_LABELS,
    ROW_HEADER,
    TOTAL_ROW,
)
from analytics.outputs.slides import SAMPLE_WARNING, attention_slide, headline_slide, provenance_lines
from tests.session_fixtures import ROOT, office_pdf_text, sample_session

APPLICANT_HEADERS = {"Chủ hồ sơ", "Số điện thoại", "Người nộp", "Địa chỉ", "CCCD", "Số CCCD/CMND"}


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


def cell_texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def all_text(document) -> str:
    """Every paragraph's text, in tables too, headers and footers included."""
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def table_headed(document, *headers: str):
    """The one table whose header row starts with `headers`."""
    found = [t for t in document.tables if [c.text for c in t.rows[0].cells][:len(headers)] == list(headers)]
    assert len(found) == 1, f"one table headed {headers!r}"
    return found[0]


def paragraph_index(document, starting: str) -> int:
    return next(i for i, p in enumerate(document.paragraphs) if p.text.startswith(starting))


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
    assert orientations[0] == (21.0, 29.7) and orientations[-1] == (21.0, 29.7)
    assert (29.7, 21.0) in orientations
    for section in document.sections:
        assert abs(section.left_margin - Cm(3)) < Cm(0.01)
        assert abs(section.right_margin - Cm(2)) < Cm(0.01)
        assert abs(section.top_margin - Cm(2)) < Cm(0.01)


def test_the_late_tables_equal_the_cores_with_their_totals(session, document):
    figures, _ = session
    for header, late in (("Cơ quan giải quyết", figures.late_by_unit), ("Lĩnh vực", figures.late_by_field)):
        rows = cell_texts(table_headed(document, header))
        assert rows[0][1:] == [LATE_TABLE_LABELS[k] for k in report.LATE_KEYS]
        body, total = rows[1:-1], rows[-1]
        assert body == [[r["name"], *(fmt.number(r[k]) for k in report.LATE_KEYS)] for r in late.to_dict("records")]
        assert total[0] == TOTAL_ROW
        by_key = dict(zip(report.LATE_KEYS, total[1:]))
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


def test_the_comparison_with_its_intervals(session, document):
    figures, _ = session
    change = figures.comparison.total
    rows = cell_texts(table_headed(document, "Kỳ"))
    earlier, now, delta = rows[1], rows[2], rows[3]
    assert earlier[0] == figures.session.comparison.label and now[0] == figures.period.label
    for printed, rate in ((earlier, change["rate_a"]), (now, change["rate_b"])):
        assert printed[3] == f"{fmt.percent(rate['value'])} ({fmt.number(rate['numerator'])}/" \
                             f"{fmt.number(rate['denominator'])})"
        assert printed[4] == f"{fmt.percent(rate['ci95'][0])} – {fmt.percent(rate['ci95'][1])}"
    assert now[1] == fmt.number(figures.total["received_total"])
    assert now[5] == fmt.number(figures.total["pending_overdue"])
    assert earlier[5] == fmt.number(figures.comparison.a.total["pending_overdue"])
    assert delta[3] == fmt.decimal(change["rate_change_pp"]) + " điểm %"  # a fall: its minus sign
    low, high = change["rate_change_ci95"]
    assert delta[4] == f"{fmt.decimal(low)} đến {fmt.decimal(high)} điểm %"
    assert "giảm 1,1 điểm %" in all_text(document)


def test_unused_procedures_counted_and_listed(session, document):
    figures, _ = session
    unused = figures.audit[catalog_audit.UNUSED_PROCEDURES]
    text = all_text(document)
    assert f"{fmt.number(unused['count'])} thủ tục" in text
    for level, n in unused["by_level"].items():
        assert f"{level}: {fmt.number(n)}" in text
    rows = cell_texts(table_headed(document, "STT", "Mã thủ tục"))[1:]
    assert [(r[1], r[2]) for r in rows] == [(i["procedure_code"], i["procedure_name"]) for i in unused["items"]]


def test_without_comparison_or_catalog_the_report_says_so(session):
    figures, provenance = session
    bare = dataclasses.replace(figures, comparison=None, audit=None)
    document = Document(io.BytesIO(report.report_docx(bare, provenance)))
    text = all_text(document)
    assert "Đợt giám sát không có kỳ so sánh." in text
    assert "PHỤ LỤC" not in text and "danh mục" not in text.split("III. TỒN TẠI")[0].split("II. KẾT QUẢ")[1]


# --- Provenance, draft, sample -----------------------------------------------------------------------------------

def test_the_closing_note_carries_every_provenance_line(session, document):
    figures, provenance = session
    texts = [p.text for p in document.paragraphs]
    start = paragraph_index(document, "V. NGUỒN SỐ LIỆU")
    closing = "\n".join(texts[start:])
    for line in provenance_lines(provenance, figures):
        assert f"- {line}" in closing
    for source in provenance.files:
        assert source.name in closing and source.sha256[:16] in closing
    assert "((8) + (9)) / (7)" in closing and provenance.version in closing


def test_the_sample_says_so_on_the_first_page_in_a_red_box(document):
    warning = [i for i, p in enumerate(document.paragraphs) if SAMPLE_WARNING in p.text]
    first = warning[0]
    assert first < paragraph_index(document, "I. MỤC ĐÍCH") and first < 6  # right under the title
    paragraph = document.paragraphs[first]
    run = next(r for r in paragraph.runs if SAMPLE_WARNING in r.text)
    assert run.bold and str(run.font.color.rgb) == "C00000"
    assert paragraph._p.pPr.find(qn("w:pBdr")) is not None
    assert report.TITLE in [p.text for p in document.paragraphs[:first]]


def test_real_data_carries_no_sample_warning(session):
    figures, provenance = session
    real = Provenance(files=(SourceFile("quy1.xlsx", "ab" * 32, None, 10),), is_sample=False,
                      made_at=provenance.made_at, version=provenance.version)
    document = Document(io.BytesIO(report.report_docx(figures, real)))
    text = all_text(document)
    assert SAMPLE_WARNING not in text and report.SAMPLE_NOTE not in text and "DỮ LIỆU MẪU" not in text
    assert "quy1.xlsx — sha256 abababababababab" in text


def test_shortcomings_are_drafted_from_the_figures_and_marked_as_a_draft(session, document):
    figures, _ = session
    texts = [p.text for p in document.paragraphs]
    start, end = paragraph_index(document, "III. TỒN TẠI"), paragraph_index(document, "IV. KIẾN NGHỊ")
    section = "\n".join(texts[start:end])
    draft = document.paragraphs[start + 1]
    assert draft.text == report.DRAFT_NOTE and draft._p.pPr.find(qn("w:shd")) is not None
    assert attention_slide(figures).headline in section
    for name in figures.attention["name"]:
        assert name in section
    then, now = figures.comparison.a.total["pending_overdue"], figures.total["pending_overdue"]
    assert now > then  # the sample's overdue count rises: 3 at the end of 2018, 7 at the end of Q1/2019
    assert f"{fmt.number(then)} hồ sơ cuối năm 2018, {fmt.number(now)} hồ sơ cuối quý I/2019" in section
    asked = [sc for sc in figures.screens if sc.count]
    assert asked
    for screen in asked:
        line = next(t for t in texts[start:end] if t.startswith(f"- {screen.title} ({fmt.number(screen.count)} hồ sơ)"))
        assert line.rstrip().endswith("?")  # worded as a question
    for screen in (sc for sc in figures.screens if not sc.count):
        assert screen.title not in section


def test_recommendations_are_headings_with_lines_to_fill(document):
    texts = [p.text for p in document.paragraphs]
    start, end = paragraph_index(document, "IV. KIẾN NGHỊ"), paragraph_index(document, "V. NGUỒN SỐ LIỆU")
    assert sum(t == report.FILL for t in texts[start:end]) >= 6
    assert texts[start + 1].startswith("1. Đối với")


# --- The form of the document ------------------------------------------------------------------------------------

def test_the_national_header_without_borders(session, document):
    figures, _ = session
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert left.paragraphs[0].text == "ĐOÀN GIÁM SÁT HĐND TỈNH LẠNG SƠN" == figures.session.team.upper()
    assert left.paragraphs[1].text.startswith("Số:") and left.paragraphs[1].text.endswith("/BC-ĐGS")
    nation, motto, place_date = right.paragraphs[:3]
    assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and nation.runs[0].bold
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.runs[0].bold and motto.runs[0].underline
    assert "ngày" in place_date.text and "tháng" in place_date.text and "năm" in place_date.text
    assert place_date.runs[0].italic
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    assert report.TITLE in [p.text for p in document.paragraphs[:4]]
    assert any(p.text.startswith("V/v ") for p in document.paragraphs[:5])


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


def test_page_numbers_in_the_footer(document):
    footer = document.sections[0].footer
    assert not footer.is_linked_to_previous
    codes = [t.text.strip() for t in footer._element.iter(qn("w:instrText"))]
    assert codes == ["PAGE"]
    assert all(s.footer.is_linked_to_previous for s in document.sections[1:])  # numbered on every page


def test_text_from_the_data_goes_in_as_plain_text(session):
    figures, provenance = session
    odd = '<w:t>Đoàn & "giám sát"\x0b =HYPERLINK("x")'
    strange = dataclasses.replace(figures, session=dataclasses.replace(figures.session, team=odd, bodies=odd))
    document = Document(io.BytesIO(report.report_docx(strange, provenance)))
    text = all_text(document)
    assert '<w:t>Đoàn & "giám sát" =HYPERLINK("x")' in text
    assert document.tables[0].rows[0].cells[0].paragraphs[0].text == '<W:T>ĐOÀN & "GIÁM SÁT" =HYPERLINK("X")'
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
    assert "BÁO CÁO KẾT QUẢ GIÁM SÁT" in text
    assert "95,7%" in text
    assert SAMPLE_WARNING in " ".join(text.split())
    assert "Độc lập - Tự do - Hạnh phúc" in text


def test_the_files_properties_name_the_report_not_the_template(session, document):
    figures, _ = session
    properties = document.core_properties
    assert properties.title == report.TITLE and properties.subject == figures.session.name
    assert properties.author == figures.session.team and "python-docx" not in properties.comments
