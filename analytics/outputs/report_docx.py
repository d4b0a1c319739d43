"""The written report of a supervision session as a Word document laid out as a "báo cáo" under Nghị định
30/2020/NĐ-CP, Phụ lục I: A4, Times New Roman, margins 2/2/3/2 cm; the header without borders (the parent body over
the issuing body with a short rule under it, the number; the national name, the motto with its rule, the place and
date); the document type with its trích yếu; real Heading styles for I., 1., a); page numbers top centre from the
second page; the signature block with nơi nhận; the appendix ("PHỤ LỤC") with the provenance after it.

This module is layout only: every string and row comes from `report_text` (what the report says); nothing is
computed or worded here. Text that comes from the data (unit, field, procedure and file names) goes in as plain text
runs, never as markup or fields.
"""
from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from analytics.analyses.session_figures import SessionFigures
from analytics.model.session import Provenance
from analytics.outputs import experience_words as lived
from analytics.outputs import report_text as say
from analytics.outputs.labels import FORM_TITLE
from analytics.outputs.report_text import DRAFT_NOTE, FILL, KIND, SAMPLE_NOTE
from analytics.outputs.slides import SAMPLE_WARNING

FONT = "Times New Roman"
BODY_PT, TABLE_PT, SMALL_PT, HEADER_PT = 14, 12, 12, 10  # HEADER_PT: the header of the 14-column form
RECIPIENTS_PT, RECIPIENT_PT, PAGE_NUMBER_PT = 12, 11, 13
HEADING_STYLES = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}  # I. A SECTION / 1. A part / a) A sub-part
CELL_STYLE, CELL_STYLE_ID = "Ô bảng", "TableText"  # the paragraph style of table cells
RED, DARK_RED = RGBColor(0xC0, 0x00, 0x00), "C00000"
DRAFT_FILL, SAMPLE_FILL, HEAD_FILL = "FFF2CC", "FDE9E7", "DDEBF7"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# The page: A4 less the margins.
PORTRAIT_TEXT_CM, CELL_MARGIN_CM = 16.0, 0.19
HEADER_WIDTHS = [6.5, 9.5]          # the parent and issuing bodies | the national name, motto, place and date
SIGNATURE_WIDTHS = [7.0, 9.0]       # nơi nhận | the signer
SIGNATURE_SPACE = 4                 # blank lines for the signature and the seal
# Widths of text, for the rules under it (Times New Roman's metrics): the motto at 14 pt bold; capitals at 13 pt bold
# and lower case at 14 pt bold, on average per character.
MOTTO_CM, CAPITALS_CM_PER_CHAR, BOLD_CM_PER_CHAR = 6.0, 0.28, 0.23


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


def _black(rpr) -> None:
    """Black text where a template's style says a theme colour."""
    colour = rpr.find(qn("w:color"))
    if colour is not None:
        for attribute in [a for a in colour.attrib if "theme" in a.lower()]:
            del colour.attrib[attribute]
        colour.set(qn("w:val"), "000000")


def _language(rpr) -> None:
    """Vietnamese as the text's language (spelling, hyphenation), where the template says English."""
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "vi-VN")


def _heading_styles(document) -> None:
    """Word's own Heading 1–3 (the navigation pane and a table of contents find them), restyled as the report's
    section titles: Times New Roman 14, black, bold (a) italic too), justified with the body's first-line indent,
    kept with what follows."""
    for level, name in HEADING_STYLES.items():
        style = document.styles[name]
        rpr = style.element.get_or_add_rPr()
        _fonts(rpr)
        _black(rpr)
        style.font.size, style.font.bold, style.font.italic = Pt(BODY_PT), True, level == 3
        style.font.color.rgb = RGBColor(0, 0, 0)
        layout = style.paragraph_format
        layout.space_before, layout.space_after, layout.line_spacing = Pt(6), Pt(6), 1.15
        layout.keep_with_next, layout.first_line_indent = True, Cm(1)
        layout.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for style in document.styles:  # the linked character styles ("Heading 1 Char") too
        if style.name.startswith("Heading") and style.name.endswith("Char"):
            rpr = style.element.get_or_add_rPr()
            _fonts(rpr)
            _black(rpr)


def _styled(document) -> None:
    """Times New Roman 14 for the body (and as the document's default), 12 in tables; Vietnamese language; the
    Heading styles restyled."""
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
    _heading_styles(document)


def _page(section, landscape: bool = False) -> None:
    """A4, margins 2 cm top, bottom and right, 3 cm left (Nghị định 30/2020)."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    section.top_margin = section.bottom_margin = section.right_margin = Cm(2)
    section.left_margin = Cm(3)
    section.header_distance = section.footer_distance = Cm(1)


def _field(paragraph, instruction: str, shown: str, size: int | None = None) -> None:
    """A field Word and LibreOffice update themselves (PAGE: the page's number)."""
    def char(kind):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    begin, code, separate, result, end = (paragraph.add_run() for _ in range(5))
    for run in (begin, code, separate, result, end):
        if size:
            run.font.size = Pt(size)
    begin._r.append(char("begin"))
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    code._r.append(text)
    separate._r.append(char("separate"))
    result.text = shown
    end._r.append(char("end"))


def _page_numbers(section, first: bool = True) -> None:
    """The page's number at the top, centred, from the second page on (Phụ lục I: "không hiển thị số trang thứ
    nhất"): the document's first page has a header of its own, left empty. A later section (the landscape Biểu 06,
    the portrait pages after it) carries its own numbered header on every page, its first included: LibreOffice
    drops a header a section only inherits on that section's first page."""
    section.different_first_page_header_footer = first
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", "2", PAGE_NUMBER_PT)


def _section(document, landscape: bool = False):
    """A new section on a new page, A4 in the orientation asked, numbered at the top on every page."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape)
    _page_numbers(section, first=False)
    return section


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
    """A section title in Word's Heading style of its level (its look is the style's, see _heading_styles)."""
    paragraph = document.add_paragraph(style=HEADING_STYLES[level])
    paragraph.add_run(plain(text))
    return paragraph


def _bullet(container, text: str, size=None):
    return _para(container, f"- {text}", size=size)


def _sub_bullet(container, text: str):
    paragraph = _para(container, f"+ {text}", indent=False)
    paragraph.paragraph_format.left_indent = Cm(1.5)
    return paragraph


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


def _borders(paragraph, sides, colour: str = "000000", size: str = "18", space: str = "4") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        borders.append(_element(f"w:{side}", val="single", sz=size, space=space, color=colour))
    ppr.insert_element_before(borders, *_AFTER_PBDR)


def _boxed(paragraph, colour: str, fill: str | None = None, size: str = "18") -> None:
    """A border on every side of a paragraph, and a shading under it."""
    _borders(paragraph, ("top", "left", "bottom", "right"), colour, size)
    if fill:
        paragraph._p.get_or_add_pPr().insert_element_before(_shading(fill), *_AFTER_PBDR[1:])


def _rule(container, length_cm: float, width_cm: float, after_pt: float = 3):
    """A short horizontal rule, centred in a column `width_cm` wide: an empty paragraph one point high whose bottom
    border runs between indents that leave `length_cm` of it (Phụ lục I: "đường kẻ ngang, nét liền")."""
    paragraph = container.add_paragraph(style=CELL_STYLE if hasattr(container, "_tc") else None)
    side = max((width_cm - length_cm) / 2, 0)
    layout = paragraph.paragraph_format
    layout.left_indent = layout.right_indent = Cm(side)
    layout.first_line_indent = Cm(0)
    layout.space_before, layout.space_after = Pt(2), Pt(after_pt)
    layout.line_spacing_rule, layout.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(1)
    _borders(paragraph, ("bottom",), size="6", space="0")
    return paragraph


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


def _whole(row) -> None:
    """A row that is never split across two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


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
    return paragraph


def _in_cell(cell, text="", bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=None, after_pt=0):
    """Another paragraph in a cell (table style: single spacing)."""
    paragraph = cell.add_paragraph(style=CELL_STYLE)
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after_pt)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


ALIGN = {"l": WD_ALIGN_PARAGRAPH.LEFT, "r": WD_ALIGN_PARAGRAPH.RIGHT, "c": WD_ALIGN_PARAGRAPH.CENTER}


def _grid(document, table: say.Table, widths_cm: list[float], aligns: str = ""):
    """A bordered table: a shaded header row repeated on each page; `aligns` one letter a column (l, r, c; by
    default the first column left and the numbers right); the total row, when there is one, bold."""
    headers = table.headers
    aligns = aligns or "l" + "r" * (len(headers) - 1)
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headers):
        _cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell._tc, HEAD_FILL)
    _repeat_header(grid.rows[0])
    rows = [(values, False) for values in table.rows] + ([(table.total, True)] if table.total else [])
    for values, strong in rows:
        row = grid.add_row()
        _whole(row)
        for cell, text, align in zip(row.cells, values, aligns):
            _cell(cell, text, bold=strong, align=ALIGN[align])
    _widths(grid, widths_cm)
    document.add_paragraph(style=CELL_STYLE)  # a line between a table and what follows
    return grid


def _blank_lines(document, count: int = 2) -> None:
    for _ in range(count):
        _para(document, FILL, align=WD_ALIGN_PARAGRAPH.LEFT)


# --- The parts of the report, in order ---------------------------------------------------------------------------

def _national_header(document, figures: SessionFigures) -> None:
    """The two-column header without borders. Left: the parent body (capitals, regular), the issuing body (capitals,
    bold) with a short rule under it, the number, the draft mark. Right: the national name (capitals, bold, 12 pt),
    the motto (bold, 14 pt) with a rule as long as it, the place and date (italic)."""
    words = say.header(figures.session)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, HEADER_WIDTHS)
    left, right = table.rows[0].cells
    inner_left, inner_right = (w - 2 * CELL_MARGIN_CM for w in HEADER_WIDTHS)
    _cell(left, words.parent, align=WD_ALIGN_PARAGRAPH.CENTER, size=13)
    _in_cell(left, words.issuer, bold=True, size=13)
    issuer_cm = min(len(words.issuer) * CAPITALS_CM_PER_CHAR, inner_left)
    _rule(left, issuer_cm * 0.4, inner_left, after_pt=6)
    _in_cell(left, words.number, size=13, after_pt=6)
    draft = _in_cell(left, say.DRAFT_MARK, bold=True, size=13)
    draft.paragraph_format.left_indent = draft.paragraph_format.right_indent = Cm((inner_left - 2.6) / 2)
    _boxed(draft, "000000", size="8")
    _cell(right, words.nation, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=12)
    _in_cell(right, words.motto, bold=True, size=14)
    _rule(right, MOTTO_CM, inner_right, after_pt=6)
    _in_cell(right, words.place_date, italic=True, size=14)


def _title(document, figures: SessionFigures) -> None:
    """The document type and its trích yếu, centred and bold, with a short rule under the trích yếu."""
    kind = _para(document, KIND, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    kind.paragraph_format.space_before, kind.paragraph_format.space_after = Pt(18), Pt(0)
    subject = say.subject(figures.session)
    _para(document, subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.space_after = Pt(0)
    _rule(document, min(len(subject) * BOLD_CM_PER_CHAR, PORTRAIT_TEXT_CM) * 0.38, PORTRAIT_TEXT_CM, after_pt=12)


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


def _purpose_and_scope(document, figures: SessionFigures, provenance: Provenance) -> None:
    _heading(document, say.PURPOSE)
    _heading(document, say.PURPOSE_PARTS[0], 2)
    _para(document, say.purpose_text(figures))
    _heading(document, say.PURPOSE_PARTS[1], 2)
    for label, value in say.scope_lines(figures, provenance):
        _labelled(document, label, value)


def _overall(document, figures: SessionFigures) -> None:
    _heading(document, say.OVERALL, 2)
    for n, (sentence, lines) in enumerate(say.overall(figures)):
        _para(document, sentence, bold=n == 0)
        for line in lines:
            _bullet(document, line)


BIEU06_WIDTHS = [1.0, 7.3] + [1.35] * 12  # landscape A4 less the margins: 24.7 cm


def _bieu06_table(document, figures: SessionFigures):
    """Biểu 06 as the form prints it: grouped two-row header, column numbers, level and unit subtotals in bold,
    fields indented under their unit, the total last."""
    groups, under, numbers = say.bieu06_header()
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
    for depth, values in say.bieu06_rows(figures):
        strong = depth in (-1, 0, 1)
        row = table.add_row()
        _whole(row)
        cells = row.cells
        _cell(cells[0], values[0], bold=strong, align=centre)
        _cell(cells[1], values[1], bold=strong, italic=depth == 2, indent_cm=0.4 if depth == 2 else 0)
        for cell, text in zip(cells[2:], values[2:]):
            _cell(cell, text, bold=strong, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _widths(table, BIEU06_WIDTHS)
    return table


def _bieu06(document, figures: SessionFigures) -> None:
    """Biểu 06 on landscape pages of its own (the form's 14 columns do not fit across a portrait page)."""
    _section(document, landscape=True)
    _heading(document, say.BIEU06, 2)
    _para(document, FORM_TITLE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=13).paragraph_format.space_after = \
        Pt(0)
    _para(document, say.bieu06_caption(figures), italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=13)
    _bieu06_table(document, figures)
    for line in say.bieu06_notes(figures):
        _para(document, f"Ghi chú: {line}", italic=True, size=SMALL_PT, indent=False).paragraph_format.space_after = \
            Pt(2)
    _section(document)


LATE_WIDTHS = [4.6, 1.9, 1.9, 1.9, 1.9, 1.9, 1.9]  # 16 cm: A4 portrait less the margins


def _late(document, figures: SessionFigures) -> None:
    _heading(document, say.LATE, 2)
    _para(document, say.late_intro(figures))
    for title, table in say.late_tables(figures):
        _heading(document, title, 3)
        _grid(document, table, LATE_WIDTHS)


def _channels(document, figures: SessionFigures) -> None:
    _heading(document, say.CHANNELS, 2)
    _para(document, say.online_share_sentence(figures))
    _grid(document, say.channel_table(figures), [4.6, 2.6, 2.4, 2.4, 4.0])


def _comparison(document, figures: SessionFigures) -> None:
    _heading(document, say.COMPARISON, 2)
    table = say.comparison_table(figures)
    if table is not None:
        _grid(document, table, [4.4, 2.0, 2.0, 3.0, 2.8, 1.8])
    for line in say.comparison_lines(figures):
        _para(document, line)


def _catalog(document, figures: SessionFigures) -> None:
    lines = say.catalog_lines(figures)
    if not lines:
        return
    _heading(document, say.CATALOG, 2)
    _bullet(document, lines[0])
    table = say.unused_table(figures)
    if table is not None:
        first = PORTRAIT_TEXT_CM - 2.2 * (len(table.headers) - 1)
        _grid(document, table, [first, *([2.2] * (len(table.headers) - 1))])
    for line in lines[1:]:
        _bullet(document, line)


def _reconciliation(document, figures: SessionFigures) -> None:
    parts = say.reconciliation_lines(figures)
    if not parts:
        return
    _heading(document, say.RECONCILIATION, 2)
    for sentence, lines in parts:
        if sentence:
            _para(document, sentence)
        for line in lines:
            _bullet(document, line)


def _follow_up(document, figures: SessionFigures, provenance: Provenance) -> None:
    lines = say.follow_up_lines(figures, provenance)
    if not lines:
        return
    _heading(document, say.FOLLOW_UP, 2)
    for line in lines:
        _bullet(document, line)


def _experience(document, figures: SessionFigures) -> None:
    """II.9: citizens' experience (issue 19), the national index beside its estimates when a month is stored."""
    if figures.experience is None:
        return
    doc = lived.experience_document(figures.experience, "", figures.index)
    _heading(document, f"{9 if figures.follow_up else 8}. {lived.SECTION_TITLE}", 2)
    _para(document, lived.SECTION_INTRO)
    _grid(document, say.Table(lived.SUMMARY_HEADERS, lived.summary_rows(doc["total"])), [6.4, 2.9, 1.8, 4.9],
          "lrrl")
    for line in doc["prompts"]:
        _bullet(document, line)
    for caveat in doc["caveats"]:
        _para(document, f"Ghi chú: {caveat['message']}", italic=True, size=SMALL_PT, indent=False)
    index = doc.get("national_index")
    if index and index["rows"]:
        _heading(document, f"Bộ chỉ số phục vụ người dân (QĐ 766) tháng {index['month'][5:]}/{index['month'][:4]}: "
                           "điểm chính thức và ước tính từ hồ sơ", 3)
        headers = ["Nhóm", "Điểm chính thức", "Ước tính từ hồ sơ", "Chênh", "Cần làm rõ"]
        for body in dict.fromkeys(r["Cơ quan (Bộ chỉ số)"] for r in index["rows"]):
            rows = [r for r in index["rows"] if r["Cơ quan (Bộ chỉ số)"] == body]
            unit = rows[0]["Đơn vị trong dữ liệu"]
            _para(document, f"{body} (số liệu hồ sơ: {unit})", bold=True, indent=False)
            _grid(document, say.Table(headers, [[r[h] for h in headers] for r in rows]), [4.2, 2.6, 5.6, 1.6, 2.0],
                  "lrlrl")
        for line in index["prompts"]:
            _bullet(document, line)
        for line in index["notes"]:
            _para(document, f"Ghi chú: {line}", italic=True, size=SMALL_PT, indent=False)


def _results(document, figures: SessionFigures) -> None:
    _heading(document, say.RESULTS)
    _overall(document, figures)
    _bieu06(document, figures)
    _late(document, figures)
    _channels(document, figures)
    _comparison(document, figures)
    _catalog(document, figures)
    _reconciliation(document, figures)


def _shortcomings(document, figures: SessionFigures) -> None:
    _heading(document, say.SHORTCOMINGS)
    _draft_note(document)
    _heading(document, say.SHORTCOMING_PARTS[0], 2)
    findings = say.shortcomings(figures)
    for finding in findings:
        _bullet(document, finding.text)
        for line in finding.lines:
            _sub_bullet(document, line)
    if not findings:
        _para(document, say.no_shortcoming_line())
    apart = say.not_established(figures)
    if apart:
        _para(document, say.NOT_ESTABLISHED, italic=True)
        for line in apart:
            _sub_bullet(document, line)
    _blank_lines(document, 1)
    headline, questions = say.questions(figures)
    _heading(document, say.SHORTCOMING_PARTS[1], 2)
    _para(document, headline)
    for line in questions:
        _bullet(document, line)
    _heading(document, say.SHORTCOMING_PARTS[2], 2)
    for cause in say.CAUSES:
        _heading(document, cause, 3)
        _blank_lines(document)


def _recommendations(document, figures: SessionFigures) -> None:
    _heading(document, say.RECOMMENDATIONS_TITLE)
    for heading in say.recommendation_headings(figures):
        _heading(document, heading, 2)
        _blank_lines(document)


def _signature(document, figures: SessionFigures) -> None:
    """Nơi nhận on the left (bold italic 12, its list 11); on the right the authority and position (capitals,
    bold), space for the signature and the seal, the signer's name (bold). One row that never splits."""
    words = say.signature(figures.session)
    document.add_paragraph(style=CELL_STYLE)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, SIGNATURE_WIDTHS)
    _whole(table.rows[0])
    left, right = table.rows[0].cells
    _cell(left, say.RECIPIENTS_TITLE, bold=True, italic=True, size=RECIPIENTS_PT)
    for line in words.recipients:
        _in_cell(left, line, align=WD_ALIGN_PARAGRAPH.LEFT, size=RECIPIENT_PT)
    _cell(right, words.authority, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=BODY_PT)
    _in_cell(right, words.position, bold=True, size=BODY_PT)
    for _ in range(SIGNATURE_SPACE):
        _in_cell(right, size=BODY_PT).paragraph_format.line_spacing = 1.15
    _in_cell(right, words.name, bold=True, size=BODY_PT)
    for paragraph in right.paragraphs:  # keep the block together on one page
        paragraph.paragraph_format.keep_with_next = True


def _appendix(document, figures: SessionFigures, provenance: Provenance) -> None:
    """On pages of its own after the signature: "PHỤ LỤC", its title, what it is attached to; where the figures come
    from in words, then each file with its full SHA-256, when the report was made, by which version."""
    part = say.appendix(figures, provenance)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    title = _heading(document, part.title)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent, title.paragraph_format.space_after = Cm(0), Pt(0)
    _para(document, part.subtitle, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.space_after = Pt(0)
    _para(document, part.attached_to, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=13)
    _rule(document, 4.0, PORTRAIT_TEXT_CM, after_pt=12)
    _heading(document, part.sources_title, 2)
    for line in part.sources:
        _bullet(document, line, size=13)
    _heading(document, part.files_title, 2)
    for line in part.files:  # left-aligned: a fingerprint is one long word, justified lines would gape
        paragraph = _bullet(document, line, size=12)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _properties(document, figures: SessionFigures, provenance: Provenance) -> None:
    """The file's own properties: the report's title, the team as author, when made (not the template's); the
    session's short code as a keyword (it is never printed)."""
    properties = document.core_properties
    properties.title = plain(f"{KIND.capitalize()} {say.lower_first(say.subject(figures.session))}")
    properties.subject = plain(figures.session.heading)
    properties.keywords = plain(figures.session.name)
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
    for line in say.legal_bases(figures, provenance):
        _para(document, line)
    _para(document, say.introduction(figures.session))
    _purpose_and_scope(document, figures, provenance)
    _results(document, figures)
    _follow_up(document, figures, provenance)
    _experience(document, figures)
    _shortcomings(document, figures)
    _recommendations(document, figures)
    _signature(document, figures)
    _appendix(document, figures, provenance)
    _properties(document, figures, provenance)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
