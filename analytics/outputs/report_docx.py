"""The written report of a supervision session ("Báo cáo kết quả giám sát") as a Word document, in the form of a
Vietnamese administrative document (Nghị định 30/2020/NĐ-CP): the national motto header, the issuing body, the
number and place-date lines, Times New Roman, A4, page numbers.

It is a draft for the inspection team: the results are printed from SessionFigures, the shortcomings are drafted
from the same figures and marked as a draft, the recommendations are headings with lines to fill, and the closing
section says where every figure comes from. Nothing is computed here but layout: numbers come from SessionFigures
(and the slides' sentences, which are drawn from it), formatted by `formatting`. Text that comes from the data
(unit, field, procedure and file names) goes in as plain text runs, never as markup or fields.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from analytics.analyses import catalog_audit
from analytics.analyses.bieu06 import COUNT_KEYS, online_share, received_by_channel
from analytics.analyses.session_figures import SessionFigures
from analytics.model.session import Provenance
from analytics.outputs import formatting as fmt
from analytics.outputs.labels import (
    AUDIT_LABELS,
    COLUMN_GROUPS,
    COLUMN_HEADERS,
    COLUMN_NUMBERS,
    FORM_NAME,
    FORM_TITLE,
    LATE_TABLE_LABELS,
    RATE_HEADER,
    ROW_HEADER,
    TOTAL_ROW,
)
from analytics.outputs.reconciliation_outputs import context_lines
from analytics.outputs.sentences import headline_sentence, table_notes
from analytics.outputs.slides import (
    SAMPLE_WARNING,
    attention_slide,
    comparison_slide,
    differing_lines,
    headline_slide,
    in_sentence,
    levels_slide,
    most_late_slide,
    provenance_lines,
    questions_slide,
    reconciliation_summary,
    trend_slide,
)
from analytics.outputs.text_tables import rate_note

FONT = "Times New Roman"
BODY_PT, TABLE_PT, SMALL_PT, HEADER_PT = 14, 12, 12, 10  # HEADER_PT: the header of the 14-column form
TITLE = "BÁO CÁO KẾT QUẢ GIÁM SÁT"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NUMBER_LINE = "Số: ……/BC-ĐGS"
PLACE_DATE = "……………, ngày …… tháng …… năm ……"
DRAFT_NOTE = ("DỰ THẢO – Đoàn giám sát cần xem lại và sửa: các nhận định dưới đây được soạn tự động từ số liệu, "
              "chưa phải kết luận của Đoàn.")
SAMPLE_NOTE = "Báo cáo này lập từ dữ liệu mẫu: mọi con số chỉ để xem thử, không dùng để báo cáo thật."
FILL = "…" * 30  # a line to write on, as wide as the text
CELL_STYLE, CELL_STYLE_ID = "Ô bảng", "TableText"  # the paragraph style of table cells
RED, DARK_RED = RGBColor(0xC0, 0x00, 0x00), "C00000"
DRAFT_FILL, SAMPLE_FILL, HEAD_FILL = "FFF2CC", "FDE9E7", "DDEBF7"
LATE_KEYS = ["resolved_late", "pending_overdue", "late_total", "with_apology", "without_apology", "apology_unknown"]
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- What the report says (strings and rows; no layout) ---------------------------------------------------------

def issuing_body(figures: SessionFigures) -> str:
    """The issuing body, in capitals as the form wants it: the session's team."""
    return (figures.session.team.strip() or "Đoàn giám sát").upper()


def subject_line(figures: SessionFigures) -> str:
    bodies = figures.session.bodies.strip() or "……"
    return f"V/v kết quả giám sát việc giải quyết thủ tục hành chính tại {bodies}, {in_sentence(figures.period)}"


def scope_lines(figures: SessionFigures, provenance: Provenance) -> list[tuple[str, str]]:
    """(label, value) of the session's scope: who, what, when, which units, which rate and target."""
    session, rate = figures.session, figures.rate.definition
    earlier = session.comparison
    units = (", ".join(session.units) if session.units
             else f"Tất cả đơn vị có hồ sơ trong dữ liệu ({fmt.number(len(figures.by_unit))} đơn vị)")
    lines = [("Đợt giám sát", session.name),
             ("Đoàn giám sát", session.team.strip() or "……"),
             ("Cơ quan được giám sát", session.bodies.strip() or "……"),
             ("Thời kỳ giám sát", figures.period.label),
             ("Kỳ so sánh", earlier.label if earlier else "Không so sánh"),
             ("Đơn vị trong phạm vi", units),
             ("Lọc dữ liệu", provenance.scope),
             ("Cách tính tỷ lệ đúng hạn", f"{rate.label}, công thức {rate.formula} (số cột của {FORM_NAME})"
              + ("; đây là ước tính, không phải điểm chính thức" if rate.estimate else "")),
             ("Mục tiêu", f"{fmt.percent(session.target)} hồ sơ giải quyết đúng hạn")]
    if session.catalog:
        lines.append(("Danh mục thủ tục đối chiếu", Path(session.catalog).name))
    return lines


def purpose_text(figures: SessionFigures) -> str:
    bodies = figures.session.bodies.strip() or "các cơ quan được giám sát"
    return (f"Đánh giá việc tiếp nhận, giải quyết thủ tục hành chính tại {bodies} trong "
            f"{in_sentence(figures.period)}: số hồ sơ nhận, đã và đang giải quyết theo {FORM_NAME}, tỷ lệ giải "
            "quyết đúng hạn, hồ sơ trễ hạn và việc xin lỗi người dân, tổ chức; chỉ ra tồn tại, hạn chế và kiến nghị "
            "khắc phục.")


def bieu06_header() -> tuple[list[tuple[str, int]], list[str], list[str]]:
    """The form's header: its groups (title, columns spanned) over columns (3)–(14), the headers under them, and the
    column numbers (1)…(14)."""
    groups = [("STT", 1), (ROW_HEADER, 1), *COLUMN_GROUPS]
    under = ["", ""] + [COLUMN_HEADERS[k] if k != "withdrawn" else "" for k in COUNT_KEYS]
    numbers = ["(1)", "(2)"] + [COLUMN_NUMBERS[k] for k in COUNT_KEYS]
    return groups, under, numbers


def bieu06_rows(figures: SessionFigures) -> list[tuple[int, list[str]]]:
    """(depth, cells) of Biểu 06 in the form's layout — level (0), unit (1), field (2) — then the total (-1).
    The numbering of the layout's label goes in column (1) ("I", "1", "-"), the name in column (2)."""
    rows = []
    for row in figures.official.to_dict("records"):
        label, name = str(row["label"]), str(row["name"])
        number = label[:len(label) - len(name)].strip().rstrip(".") if label.endswith(name) else ""
        rows.append((int(row["depth"]), [number, name, *(fmt.number(row[k]) for k in COUNT_KEYS)]))
    rows.append((-1, ["", TOTAL_ROW, *(fmt.number(figures.total[k]) for k in COUNT_KEYS)]))
    return rows


def late_rows(table) -> list[list[str]]:
    """A late table's rows (name, then LATE_KEYS), formatted, with its column total last."""
    rows = [[str(row["name"]), *(fmt.number(row[k]) for k in LATE_KEYS)] for row in table.to_dict("records")]
    return rows + [[TOTAL_ROW, *(fmt.number(table[k].sum()) for k in LATE_KEYS)]]


def channel_rows(figures: SessionFigures) -> list[list[str]]:
    """Per channel: received in the period ((4) + (5)), carried over (6), resolved (7), on-time rate."""
    channels = figures.by_channel
    received = received_by_channel(channels)["count"].tolist() if len(channels) else []
    return [[str(row["name"]), fmt.number(count), fmt.number(row["carried_over"]), fmt.number(row["resolved_total"]),
             f"{fmt.percent(row['on_time_rate'])} ({fmt.number(row['numerator'])}/{fmt.number(row['denominator'])})"]
            for row, count in zip(channels.to_dict("records"), received)]


def online_share_sentence(figures: SessionFigures) -> str:
    share, online, received = online_share(figures.total)
    return (f"Tỷ lệ hồ sơ nộp trực tuyến: {fmt.percent(share)} ({fmt.number(online)}/{fmt.number(received)} hồ sơ "
            f"nhận trong kỳ, cột (4) trên (4) + (5)).")


def signed_points(pp: float | None) -> str:
    if pp is None:
        return fmt.DASH
    return ("+" if pp > 0 else "") + fmt.decimal(pp) + " điểm %"


def interval(ci) -> str:
    return f"{fmt.percent(ci[0])} – {fmt.percent(ci[1])}" if ci else fmt.DASH


def comparison_rows(figures: SessionFigures) -> list[list[str]]:
    """The earlier period, the supervision period and the change: received (3), resolved (7), the rate with its
    95% interval, pending overdue (13)."""
    comparison = figures.comparison
    change = comparison.total
    rows = []
    for period, table, rate in ((figures.session.comparison, comparison.a, change["rate_a"]),
                                (figures.period, comparison.b, change["rate_b"])):
        rows.append([period.label, fmt.number(table.total["received_total"]), fmt.number(table.total["resolved_total"]),
                     f"{fmt.percent(rate['value'])} ({fmt.number(rate['numerator'])}/{fmt.number(rate['denominator'])})",
                     interval(rate["ci95"]), fmt.number(table.total["pending_overdue"])])
    ci = change["rate_change_ci95"]
    rows.append(["Thay đổi (kỳ giám sát − kỳ so sánh)", fmt.signed_number(change["received_total"]),
                 fmt.signed_number(change["resolved_total"]), signed_points(change["rate_change_pp"]),
                 f"{fmt.decimal(ci[0])} đến {fmt.decimal(ci[1])} điểm %" if ci else fmt.DASH,
                 fmt.signed_number(change["pending_overdue"])])
    return rows


def comparison_lines(figures: SessionFigures) -> list[str]:
    """The comparison in words: the slide's sentence, what its interval says, the test, and a note on few dossiers."""
    change = figures.comparison.total
    lines = [comparison_slide(figures).headline]
    ci = change["rate_change_ci95"]
    if ci:
        low, high = ci
        reading = ("khoảng này có cả giá trị âm và dương, nên chưa đủ căn cứ để nói tỷ lệ đã thay đổi thật"
                   if low < 0 < high else "khoảng này không chứa 0, nên thay đổi khó là do ngẫu nhiên")
        lines.append(f"Khoảng tin cậy 95% của thay đổi: từ {fmt.decimal(low)} đến {fmt.decimal(high)} điểm %; "
                     f"{reading} (p = {fmt.decimal(change['p_value'], 3)}).")
    if change["note"]:
        lines.append(change["note"])
    return lines


def unused_lines(figures: SessionFigures) -> list[str]:
    """The catalog audit in sentences: unused procedures by level, due dates longer than the law, computed ones."""
    audit = figures.audit
    unused = audit[catalog_audit.UNUSED_PROCEDURES]
    lines = [f"{AUDIT_LABELS[catalog_audit.UNUSED_PROCEDURES]} trong {in_sentence(figures.period)}: "
             f"{fmt.number(unused['count'])} thủ tục"
             + (" (" + "; ".join(f"{level}: {fmt.number(n)}" for level, n in unused["by_level"].items()) + ")"
                if unused["by_level"] else "") + (". Danh sách ở Phụ lục." if unused["count"] else ".")]
    later = audit[catalog_audit.DUE_LATER_THAN_LEGAL]["count"]
    lines.append(f"{AUDIT_LABELS[catalog_audit.DUE_LATER_THAN_LEGAL]}: {fmt.number(later)} hồ sơ.")
    computed = audit[catalog_audit.DUE_DATES_COMPUTED]
    if computed:
        lines.append(f"{AUDIT_LABELS[catalog_audit.DUE_DATES_COMPUTED]}: {fmt.number(computed)} hồ sơ.")
    return lines


def unused_rows(figures: SessionFigures) -> list[list[str]]:
    items = figures.audit[catalog_audit.UNUSED_PROCEDURES]["items"]
    return [[fmt.number(n), str(item["procedure_code"] or ""), str(item["procedure_name"] or ""),
             str(item["level"] or "")] for n, item in enumerate(items, start=1)]


def overdue_rising_line(figures: SessionFigures) -> str | None:
    """A sentence when fewer dossiers were pending overdue at the end of the comparison period than now."""
    if figures.comparison is None:
        return None
    then, now = figures.comparison.a.total["pending_overdue"], figures.total["pending_overdue"]
    if now <= then:
        return None
    return (f"Số hồ sơ đang giải quyết quá hạn (13) tăng: {fmt.number(then)} hồ sơ cuối "
            f"{in_sentence(figures.session.comparison)}, {fmt.number(now)} hồ sơ cuối {in_sentence(figures.period)} "
            f"({fmt.signed_number(figures.comparison.total['pending_overdue'])}).")


def shortcoming_lines(figures: SessionFigures) -> list[tuple[str, list[str]]]:
    """(a drafted finding, the lines under it) from the figures: units needing attention, rising overdue counts,
    the fields with most late dossiers."""
    attention = attention_slide(figures)
    out = [(attention.headline, list(attention.lines))]
    rising = overdue_rising_line(figures)
    if rising:
        out.append((rising, []))
    most_late = most_late_slide(figures)
    if not figures.most_late_fields.empty:
        out.append((most_late.headline, list(most_late.lines)))
    return out


def question_lines(figures: SessionFigures) -> tuple[str, list[str]]:
    """The inspection prompts with dossiers behind them, as questions to put to the units."""
    slide = questions_slide(figures)
    return slide.headline, list(slide.lines)


RECOMMENDATIONS = ("Đối với Ủy ban nhân dân cấp trên", "Đối với {bodies}",
                   "Đối với các cơ quan, đơn vị trực tiếp giải quyết thủ tục hành chính")


def recommendation_headings(figures: SessionFigures) -> list[str]:
    bodies = figures.session.bodies.strip() or "cơ quan được giám sát"
    return [heading.format(bodies=bodies) for heading in RECOMMENDATIONS]


# --- Layout helpers -----------------------------------------------------------------------------------------------

def plain(text) -> str:
    """Text as it goes into the document: characters XML cannot carry removed, nothing interpreted."""
    return _NOT_XML.sub("", str(text))


def _fonts(rpr) -> None:
    """Times New Roman for every script (Latin, East Asian, complex), so Vietnamese renders in one font."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in [a for a in fonts.attrib if a.endswith(("Theme", "theme"))]:
        del fonts.attrib[attribute]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)


def _language(rpr) -> None:
    """Vietnamese as the text's language (spelling, hyphenation), where the template says English."""
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "vi-VN")


def _styled(document) -> None:
    """Times New Roman 14 for the body (and as the document's default), 12 in tables; Vietnamese language."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr)
    _language(rpr)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    _fonts(normal.element.get_or_add_rPr())
    body = normal.paragraph_format
    body.space_before, body.space_after, body.line_spacing = Pt(0), Pt(6), 1.15
    cell = document.styles.add_style(CELL_STYLE, 1)
    cell.style_id = CELL_STYLE_ID
    cell.base_style = normal
    cell.font.size = Pt(TABLE_PT)
    cell.paragraph_format.space_after, cell.paragraph_format.line_spacing = Pt(0), 1.0


def _page(section, landscape: bool = False) -> None:
    """A4, margins 2 cm top, bottom and right, 3 cm left (Nghị định 30/2020)."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    section.top_margin = section.bottom_margin = section.right_margin = Cm(2)
    section.left_margin = Cm(3)
    section.header_distance = section.footer_distance = Cm(1)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A field Word and LibreOffice update themselves (PAGE: the page's number)."""
    def char(kind):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    begin, code, separate, result, end = (paragraph.add_run() for _ in range(5))
    begin._r.append(char("begin"))
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    code._r.append(text)
    separate._r.append(char("separate"))
    result.text = shown
    end._r.append(char("end"))


def _page_numbers(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", "1")


def _run(paragraph, text, bold=False, italic=False, size=None, underline=False, color=None):
    run = paragraph.add_run(plain(text))
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return run


def _para(container, text="", bold=False, italic=False, align=None, size=None, indent=True, style=None):
    """A paragraph of plain text: justified with a first-line indent (body), or as `align` says."""
    paragraph = container.add_paragraph(style=style)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    paragraph.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent and align is None:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    return paragraph


def _heading(document, text: str, level: int = 1):
    """I. A SECTION (bold capitals) or 1. A part (bold); kept with what follows."""
    paragraph = _para(document, text, bold=True, italic=level > 2)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(6)
    return paragraph


def _bullet(document, text: str):
    return _para(document, f"- {text}")


def _labelled(document, label: str, value: str):
    paragraph = _para(document)
    _run(paragraph, f"{label}: ", bold=True)
    _run(paragraph, value)
    return paragraph


# What may follow a paragraph's border, and a table's borders, in the schema's order (Word refuses other orders).
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_TBLCELLMAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
_AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                     "w:tblPrChange")


def _element(tag: str, **attributes) -> OxmlElement:
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _shading(fill: str) -> OxmlElement:
    return _element("w:shd", val="clear", color="auto", fill=fill)


def _boxed(paragraph, colour: str, fill: str) -> None:
    """A border on every side of a paragraph, and a shading under it."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        borders.append(_element(f"w:{side}", val="single", sz="18", space="4", color=colour))
    ppr.insert_element_before(borders, *_AFTER_PBDR)
    ppr.insert_element_before(_shading(fill), *_AFTER_PBDR[1:])


def _shade(tc, fill: str) -> None:
    """A shaded table cell (its tcPr has no shading yet; python-docx puts later properties in the schema's order)."""
    tc.get_or_add_tcPr().append(_shading(fill))


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{side}", val="nil"))
    table._tbl.tblPr.insert_element_before(borders, *_AFTER_TBLBORDERS)


def _narrow_cells(table, twips: int = 57) -> None:
    """Cell margins of 1 mm left and right (instead of 1,9 mm), so that a wide form keeps its words whole."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_element(f"w:{side}", w=str(twips), type="dxa"))
    table._tbl.tblPr.insert_element_before(margins, *_AFTER_TBLCELLMAR)


def _repeat_header(row) -> None:
    """A header row printed again at the top of every page the table runs onto."""
    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        trpr.append(OxmlElement(tag))


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths, in the grid (LibreOffice) and in every cell (Word)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _cell(cell, text, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.LEFT, indent_cm: float = 0, size=None):
    paragraph = cell.paragraphs[0]
    paragraph._p.style = CELL_STYLE_ID  # by id: python-docx's lookup by name is slow over thousands of cells
    paragraph.alignment = align
    if indent_cm:
        paragraph.paragraph_format.left_indent = Cm(indent_cm)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)


ALIGN = {"l": WD_ALIGN_PARAGRAPH.LEFT, "r": WD_ALIGN_PARAGRAPH.RIGHT, "c": WD_ALIGN_PARAGRAPH.CENTER}


def _grid(document, headers: list[str], rows: list[list[str]], widths_cm: list[float],
          strong_last: bool = False, aligns: str = ""):
    """A bordered table: a shaded header row repeated on each page; `aligns` one letter a column (l, r, c; by
    default the first column left and the numbers right); the last row bold when it is a total."""
    aligns = aligns or "l" + "r" * (len(headers) - 1)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers):
        _cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell._tc, HEAD_FILL)
    _repeat_header(table.rows[0])
    for n, values in enumerate(rows):
        strong = strong_last and n == len(rows) - 1
        for cell, text, align in zip(table.add_row().cells, values, aligns):
            _cell(cell, text, bold=strong, align=ALIGN[align])
    _widths(table, widths_cm)
    document.add_paragraph(style=CELL_STYLE)  # a line between a table and what follows
    return table


def _blank_lines(document, count: int = 2) -> None:
    for _ in range(count):
        _para(document, FILL, align=WD_ALIGN_PARAGRAPH.LEFT)


# --- The parts of the report, in order ---------------------------------------------------------------------------

def _national_header(document, figures: SessionFigures) -> None:
    """The two-column header without borders: issuing body and number left; the national name, the motto and the
    place-date line right."""
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [6.0, 10.0])
    left, right = table.rows[0].cells
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _cell(left, issuing_body(figures), bold=True, align=centre)
    _para(left, NUMBER_LINE, align=centre, size=13)
    _cell(right, NATION, bold=True, align=centre)
    right.paragraphs[0].runs[0].font.size = Pt(12)  # the national name, 12–13 pt: on one line
    motto = _para(right, align=centre)
    _run(motto, MOTTO, bold=True, underline=True, size=14)
    _para(right, PLACE_DATE, italic=True, align=centre, size=14)
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.space_after = Pt(3)


def _title(document, figures: SessionFigures) -> None:
    _para(document, "", align=WD_ALIGN_PARAGRAPH.CENTER)
    title = _para(document, TITLE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_after = Pt(0)
    _para(document, subject_line(figures), align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    _para(document, f"(Dự thảo — {figures.session.name})", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=13)


def _sample_warning(document) -> None:
    """A bold red boxed paragraph right under the title: nobody can miss that the figures are not real."""
    paragraph = _para(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(paragraph, SAMPLE_WARNING, bold=True, color=RED)
    paragraph.add_run().add_break()
    _run(paragraph, SAMPLE_NOTE, bold=True, color=RED)
    _boxed(paragraph, DARK_RED, SAMPLE_FILL)


def _draft_note(document) -> None:
    paragraph = _para(document, align=WD_ALIGN_PARAGRAPH.LEFT)
    _run(paragraph, DRAFT_NOTE, bold=True, italic=True)
    _boxed(paragraph, "BF9000", DRAFT_FILL)


def _introduction(document, figures: SessionFigures) -> None:
    team = figures.session.team.strip() or "Đoàn giám sát"
    _para(document, "Thực hiện Nghị quyết số ……/NQ-HĐND ngày …… về việc thành lập Đoàn giám sát "
                    f"({figures.session.name}), {team} báo cáo kết quả giám sát như sau:")


def _purpose_and_scope(document, figures: SessionFigures, provenance: Provenance) -> None:
    _heading(document, "I. MỤC ĐÍCH, PHẠM VI GIÁM SÁT")
    _heading(document, "1. Mục đích", 2)
    _para(document, purpose_text(figures))
    _heading(document, "2. Phạm vi, nội dung", 2)
    for label, value in scope_lines(figures, provenance):
        _labelled(document, label, value)


def _overall(document, figures: SessionFigures) -> None:
    _heading(document, "1. Kết quả chung", 2)
    headline = headline_slide(figures)
    _para(document, headline.headline, bold=True)
    _para(document, headline_sentence(figures.total, figures.period, figures.rate))
    for line in headline.lines:
        _bullet(document, line)
    trend = trend_slide(figures)
    _para(document, f"Theo tháng: {trend.headline}")
    for line in trend.lines:
        _bullet(document, line)
    levels = levels_slide(figures)
    _para(document, f"Theo cấp: {levels.headline}")
    for line in levels.lines:
        _bullet(document, line)


BIEU06_WIDTHS = [1.0, 7.3] + [1.35] * 12  # landscape A4 less the margins: 24.7 cm


def _bieu06_table(document, figures: SessionFigures):
    """Biểu 06 as the form prints it: grouped two-row header, column numbers, level and unit subtotals in bold,
    fields indented under their unit, the total last."""
    groups, under, numbers = bieu06_header()
    table = document.add_table(rows=3, cols=len(numbers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _narrow_cells(table)
    top, middle, bottom = (row.cells for row in table.rows)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    column = 0
    for title, span in groups:  # a group alone spans the two header rows, the others their columns
        last = column + span - 1
        merged = top[column].merge(middle[column] if span == 1 else top[last])
        _cell(merged, title, bold=True, align=centre, size=HEADER_PT)
        column += span
    for cell, text in zip(middle, under):
        if text:
            _cell(cell, text, bold=True, align=centre, size=HEADER_PT)
    for cell, text in zip(bottom, numbers):
        _cell(cell, text, italic=True, align=centre, size=HEADER_PT)
    for row in table.rows:
        _repeat_header(row)
    for tr in table._tbl.tr_lst[:2]:
        for tc in tr.tc_lst:
            _shade(tc, HEAD_FILL)
    for depth, values in bieu06_rows(figures):
        strong = depth in (-1, 0, 1)
        cells = table.add_row().cells
        _cell(cells[0], values[0], bold=strong, align=centre)
        _cell(cells[1], values[1], bold=strong, italic=depth == 2, indent_cm=0.4 if depth == 2 else 0)
        for cell, text in zip(cells[2:], values[2:]):
            _cell(cell, text, bold=strong, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _widths(table, BIEU06_WIDTHS)
    return table


def _bieu06(document, figures: SessionFigures) -> None:
    """Biểu 06 on landscape pages of its own (the form's 14 columns do not fit across a portrait page)."""
    _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    _heading(document, f"2. Kết quả giải quyết thủ tục hành chính theo {FORM_NAME}", 2)
    _para(document, FORM_TITLE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=13)
    _para(document, f"Kỳ báo cáo: {figures.period.label}. Đơn vị tính: hồ sơ.", italic=True,
          align=WD_ALIGN_PARAGRAPH.CENTER, size=13)
    _bieu06_table(document, figures)
    notes = [rate_note(figures.table), "Cột (14) \"Rút / dừng xử lý\" thêm vào để (3) = (7) + (11) + (14).",
             *table_notes(figures.caveats, figures.left_out)]
    for line in notes:
        _para(document, f"Ghi chú: {line}", italic=True, size=SMALL_PT, indent=False)
    _page(document.add_section(WD_SECTION.NEW_PAGE))


LATE_WIDTHS = [4.6, 1.9, 1.9, 1.9, 1.9, 1.9, 1.9]  # 16 cm: A4 portrait less the margins


def _late(document, figures: SessionFigures) -> None:
    _heading(document, "3. Hồ sơ trễ hạn và việc xin lỗi người dân, tổ chức", 2)
    if figures.late_by_unit.empty:
        _para(document, "Không có hồ sơ giải quyết quá hạn hay đang quá hạn trong kỳ.")
        return
    _para(document, "Hồ sơ giải quyết quá hạn (cột 10) và đang giải quyết quá hạn (cột 13) đến "
                    f"{fmt.date(figures.period.end)}, số có thư xin lỗi:")
    for title, table, first in (("a) Theo cơ quan giải quyết", figures.late_by_unit, "Cơ quan giải quyết"),
                                ("b) Theo lĩnh vực", figures.late_by_field, "Lĩnh vực")):
        _heading(document, title, 3)
        headers = [first, *(LATE_TABLE_LABELS[k] for k in LATE_KEYS)]
        _grid(document, headers, late_rows(table), LATE_WIDTHS, strong_last=True)


def _channels(document, figures: SessionFigures) -> None:
    _heading(document, "4. Hình thức tiếp nhận hồ sơ", 2)
    _para(document, online_share_sentence(figures))
    headers = ["Hình thức nộp", "Nhận trong kỳ (4) + (5)", "Từ kỳ trước (6)", "Đã giải quyết (7)", RATE_HEADER]
    _grid(document, headers, channel_rows(figures), [4.6, 2.6, 2.4, 2.4, 4.0])


def _comparison(document, figures: SessionFigures) -> None:
    _heading(document, "5. So sánh với kỳ trước", 2)
    if figures.comparison is None:
        _para(document, "Đợt giám sát không có kỳ so sánh.")
        return
    headers = ["Kỳ", "Nhận giải quyết (3)", "Đã giải quyết (7)", RATE_HEADER, "Khoảng tin cậy 95%",
               "Đang quá hạn (13)"]
    _grid(document, headers, comparison_rows(figures), [4.4, 2.0, 2.0, 3.0, 2.8, 1.8])
    for line in comparison_lines(figures):
        _para(document, line)


def _unused(document, figures: SessionFigures) -> None:
    if figures.audit is None:
        return
    _heading(document, "6. Đối chiếu với danh mục thủ tục hành chính", 2)
    for line in unused_lines(figures):
        _bullet(document, line)


def _reconciliation(document, figures: SessionFigures) -> None:
    rec = figures.reconciliation
    if rec is None:
        return
    _heading(document, "7. Đối chiếu số liệu cơ quan báo cáo với số liệu tính lại từ hồ sơ", 2)
    confirmed, compared = reconciliation_summary(rec)
    _para(document, f"{fmt.number(confirmed)}/{fmt.number(compared)} số liệu trong biểu cơ quan báo cáo khớp với số "
                    "tính lại từ hồ sơ của cùng kỳ.")
    for line in context_lines(rec, "ghi \"vượt\""):
        _bullet(document, line)
    if rec.breaks:
        _para(document, "Biểu báo cáo tự không khớp phép cộng ở các dòng sau:")
        for b in rec.breaks:
            _bullet(document, f"{b.row}: {b.identity}, chênh {fmt.number(b.gap)}")
    differing = differing_lines(rec)
    if differing:
        _para(document, "Số liệu báo cáo khác số tính lại từ hồ sơ:")
        for line in differing:
            _bullet(document, line)
    for cause in rec.causes:
        _bullet(document, f"Nguyên nhân có thể: {cause.message_vi}")
    for item in rec.unmatched_reported:
        _bullet(document, f"Dòng \"{item.name}\" của biểu chưa khớp với đơn vị nào trong dữ liệu: {item.reason}")


def _results(document, figures: SessionFigures) -> None:
    _heading(document, "II. KẾT QUẢ GIÁM SÁT")
    _overall(document, figures)
    _bieu06(document, figures)
    _late(document, figures)
    _channels(document, figures)
    _comparison(document, figures)
    _unused(document, figures)
    _reconciliation(document, figures)


def _shortcomings(document, figures: SessionFigures) -> None:
    _heading(document, "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")
    _draft_note(document)
    _heading(document, "1. Tồn tại, hạn chế", 2)
    for finding, lines in shortcoming_lines(figures):
        _bullet(document, finding)
        for line in lines:
            _para(document, f"+ {line}", indent=False).paragraph_format.left_indent = Cm(1.5)
    headline, questions = question_lines(figures)
    _heading(document, "2. Những điểm cần làm rõ với đơn vị", 2)
    _para(document, headline)
    for line in questions:
        _bullet(document, line)
    _heading(document, "3. Nguyên nhân", 2)
    for cause in ("a) Nguyên nhân khách quan", "b) Nguyên nhân chủ quan"):
        _heading(document, cause, 3)
        _blank_lines(document)


def _recommendations(document, figures: SessionFigures) -> None:
    _heading(document, "IV. KIẾN NGHỊ")
    for n, heading in enumerate(recommendation_headings(figures), start=1):
        _heading(document, f"{n}. {heading}", 2)
        _blank_lines(document)


def _provenance(document, figures: SessionFigures, provenance: Provenance) -> None:
    _heading(document, "V. NGUỒN SỐ LIỆU")
    _para(document, "Số liệu trong báo cáo do phần mềm tổng hợp từ các tệp dưới đây; cùng các tệp này, bảng tính và "
                    "màn hình giám sát cho cùng con số.", italic=True)
    for line in provenance_lines(provenance, figures):
        _bullet(document, line)


def _signature(document) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [8.0, 8.0])
    left, right = table.rows[0].cells
    _cell(left, "Nơi nhận:", bold=True, italic=True)
    for line in ("- Thường trực HĐND;", "- Các cơ quan được giám sát;", "- Lưu: VT, Đoàn giám sát."):
        _para(left, line, align=WD_ALIGN_PARAGRAPH.LEFT, size=SMALL_PT, style=CELL_STYLE)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _cell(right, "TM. ĐOÀN GIÁM SÁT", bold=True, align=centre, size=13)
    _para(right, "TRƯỞNG ĐOÀN", bold=True, align=centre, size=13)
    _para(right, "(Ký, ghi rõ họ tên)", italic=True, align=centre, size=13)


def _appendix(document, figures: SessionFigures) -> None:
    """The unused procedures, one per row, on pages of their own after the signature."""
    if figures.audit is None or not figures.audit[catalog_audit.UNUSED_PROCEDURES]["items"]:
        return
    document.add_page_break()
    _para(document, "PHỤ LỤC", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, f"{AUDIT_LABELS[catalog_audit.UNUSED_PROCEDURES]} ({figures.period.label})", bold=True,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    _grid(document, ["STT", "Mã thủ tục", "Tên thủ tục hành chính", "Cấp"], unused_rows(figures),
          [1.2, 2.7, 9.6, 2.5], aligns="clll")


def _properties(document, figures: SessionFigures, provenance: Provenance) -> None:
    """The file's own properties: title, session, the team as author, when made (not the template's)."""
    properties = document.core_properties
    properties.title, properties.subject = TITLE, plain(figures.session.name)
    properties.author = properties.last_modified_by = plain(figures.session.team or "Đoàn giám sát")
    properties.comments = "Dự thảo lập từ số liệu" + (" mẫu" if provenance.is_sample else " đã nhập")
    properties.created = properties.modified = provenance.made_at
    properties.language = "vi-VN"


def report_docx(figures: SessionFigures, provenance: Provenance) -> bytes:
    """The session's written report as a .docx file's bytes (see the module's docstring for its parts)."""
    document = Document()
    _styled(document)
    _page(document.sections[0])
    _page_numbers(document.sections[0])
    _national_header(document, figures)
    _title(document, figures)
    if provenance.is_sample:
        _sample_warning(document)
    _introduction(document, figures)
    _purpose_and_scope(document, figures, provenance)
    _results(document, figures)
    _shortcomings(document, figures)
    _recommendations(document, figures)
    _provenance(document, figures, provenance)
    _signature(document)
    _appendix(document, figures)
    _properties(document, figures, provenance)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
