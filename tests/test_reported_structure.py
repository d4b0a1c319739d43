"""Reported tables as bodies file them (issue 17): the structure read from the table (total, subtotals, units),
subtotals checked as sums and never matched nor added into the total, each wrong figure reported once, where it is.

The dossiers and their Biểu 06 by hand: tests/hierarchical.py."""
import pytest

from analytics.analyses import reported_structure as rs
from analytics.analyses.reconciliation import LEVEL_MATCH, reconcile
from analytics.analyses.report_arithmetic import SUBTOTAL_SUM, SUM_OF_ROWS, TOTAL_SUM, arithmetic_breaks
from analytics.model.reported import IS_TOTAL, NAME, NUMBER, SUBTOTAL_ROW, TOTAL_ROW, UNIT_ROW
from analytics.outputs.reconciliation_outputs import reconciliation_document, reconciliation_text
from analytics.outputs.reported_words import ON_SCREEN, structure_notes
from tests import hierarchical as h

CHANGED = {("Phòng TN&MT", "resolved_early"): -2, ("Phòng TN&MT", "resolved_on_time"): 2,
           ("UBND P. Vĩnh Trại", "pending_in_time"): 1, ("UBND P. Vĩnh Trại", "pending_total"): 1,
           ("UBND P. Vĩnh Trại", "received_total"): 1, ("UBND P. Vĩnh Trại", "received_direct_postal"): 1}
BROKEN = {"received_direct_postal": 3}   # subtotal II says 3 more than its units


def roles(shape) -> list[tuple[str, str, int]]:
    return [(r.name, r.role, len(r.members)) for r in shape.rows]


# --- The structure --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("total_last", [False, True])
def test_total_first_or_last_roman_subtotals_and_their_units(total_last):
    shape = rs.structure(h.table(h.rows(total_last=total_last)))
    expected = [("TỔNG CỘNG", TOTAL_ROW, 10), ("CẤP HUYỆN", SUBTOTAL_ROW, 4),
                *((u[1], UNIT_ROW, 0) for u in h.UNITS[:4]), ("CẤP XÃ", SUBTOTAL_ROW, 6),
                *((u[1], UNIT_ROW, 0) for u in h.UNITS[4:])]
    assert roles(shape) == (expected[1:] + expected[:1] if total_last else expected)
    first, second = shape.subtotals
    assert (first.how, first.direction, first.level) == (rs.BY_NUMBERING, rs.BELOW, h.DISTRICT)
    assert [shape.rows[p].name for p in second.members] == [u[1] for u in h.UNITS[4:]]
    assert second.level == h.COMMUNE


def test_subtotals_after_their_rows_named_cong_and_the_grand_total_the_largest():
    figures = h.FIGURES
    district, commune = [u[1] for u in h.UNITS[:4]], [u[1] for u in h.UNITS[4:]]
    lines = [(str(n), name, figures[name]) for n, name in enumerate(district, 1)]
    lines += [(None, "Cộng", h._sum(district, figures))]
    lines += [(str(n), name, figures[name]) for n, name in enumerate(commune, 5)]
    lines += [(None, "Cộng cấp xã", h._sum(commune, figures)), (None, "Tổng cộng", h._sum(district + commune, figures))]
    table = h.table(lines)
    table.rows[IS_TOTAL] = table.rows[NAME].isin(["Cộng", "Tổng cộng"])   # as the reader marks them
    shape = rs.structure(table)
    assert [(r.name, r.role, len(r.members), r.direction) for r in shape.rows if r.role != UNIT_ROW] == [
        ("Cộng", SUBTOTAL_ROW, 4, rs.ABOVE), ("Cộng cấp xã", SUBTOTAL_ROW, 6, rs.ABOVE),
        ("Tổng cộng", TOTAL_ROW, 10, "")]
    assert arithmetic_breaks(table, shape=shape) == []   # the subtotals are never added into the total


def test_an_unnumbered_row_among_numbered_units_is_a_subtotal_only_when_its_figures_add_up():
    figures = h.FIGURES
    names = [u[1] for u in h.UNITS[:3]]
    adds_up = [(None, "Khối phòng chuyên môn", h._sum(names, figures))] + \
        [(str(n), name, figures[name]) for n, name in enumerate(names, 1)]
    shape = rs.structure(h.table(adds_up))
    assert (shape.rows[0].role, shape.rows[0].how, len(shape.rows[0].members)) == (SUBTOTAL_ROW, rs.BY_WORDS, 3)
    plain = [(None, "Văn phòng HĐND và UBND", h._sum(names, figures))] + adds_up[1:]
    shape = rs.structure(h.table(plain))
    assert (shape.rows[0].role, shape.rows[0].how) == (SUBTOTAL_ROW, rs.BY_SUMS)
    other = [(None, "Văn phòng HĐND và UBND", figures[names[0]])] + adds_up[1:]
    assert rs.structure(h.table(other)).rows[0].role == UNIT_ROW


def test_arabic_numbers_over_deeper_ones_and_a_table_of_levels_only():
    figures = h.FIGURES
    a, b, c = (u[1] for u in h.UNITS[4:7])
    lines = [("1", "UBND thành phố", h._sum([a, b], figures)), ("1.1", a, figures[a]), ("1.2", b, figures[b]),
             ("2", c, figures[c])]
    shape = rs.structure(h.table(lines))
    assert shape.rows[0].how == rs.BY_NESTED
    assert roles(shape) == [("UBND thành phố", SUBTOTAL_ROW, 2), (a, UNIT_ROW, 0), (b, UNIT_ROW, 0), (c, UNIT_ROW, 0)]
    levels = [("I", "Cấp tỉnh", figures[a]), ("II", "Cấp huyện", figures[b]), ("III", "Cấp xã", figures[c])]
    assert [r.role for r in rs.structure(h.table(levels)).rows] == [UNIT_ROW] * 3   # nothing under them


def test_the_user_says_what_a_row_is():
    table = h.table(h.rows())
    second = int(table.rows.loc[table.rows[NAME] == "CẤP XÃ", "row"].iloc[0])
    shape = rs.structure(table, {second: UNIT_ROW})
    assert [r.role for r in shape.rows if r.name == "CẤP XÃ"] == [UNIT_ROW]
    assert len(shape.subtotals[0].members) == 4 and len(shape.total.members) == 11
    mark = int(table.rows.loc[table.rows[NAME] == "Phòng TC-KH", "row"].iloc[0])
    said = rs.structure(table, {mark: SUBTOTAL_ROW})
    assert [r.how for r in said.rows if r.name == "Phòng TC-KH"] == [rs.BY_USER]


def test_the_structure_read_is_said():
    rec = reconcile(h.table(h.rows()), h.dossiers(), h.Q1)
    assert structure_notes(rec)[1] == (
        'Dòng "CẤP XÃ" (dòng 14) được hiểu là dòng cộng của 6 dòng đơn vị bên dưới (đánh số La Mã), ứng với cấp xã '
        "trong số liệu: được kiểm tra như một tổng, không khớp với đơn vị nào và không cộng vào tổng cộng. Nếu hiểu "
        'sai, hãy chỉ lại loại dòng bằng --row-kind "CẤP XÃ=unit".')
    assert structure_notes(rec, ON_SCREEN)[1].endswith('hãy chỉ lại loại dòng ở bảng "Xem và sửa loại dòng" bên dưới.')


# --- The issue's table: two units' cells changed, one subtotal that does not add up ----------------------------

@pytest.fixture(scope="module")
def rec():
    return reconcile(h.table(h.rows(CHANGED, BROKEN)), h.dossiers(), h.Q1)


def test_every_unit_is_matched_to_its_data_unit(rec):
    assert [(r.name, r.matched_to) for r in rec.rows if not r.is_total] == [(u[1], u[0]) for u in h.UNITS]
    assert rec.unmatched_reported == [] and rec.unmatched_recomputed == []
    assert {r.how for r in rec.rows if not r.is_total} == {"short_form", "without_prefix"}


def test_exactly_the_changed_cells_are_flagged_with_their_differences(rec):
    assert sorted((row.name, key, cell.difference) for row, key, cell in rec.differing()) == sorted(
        (name, key, change) for (name, key), change in CHANGED.items())
    assert rec.differences == len(CHANGED)


def test_the_broken_subtotal_is_reported_with_its_gap_and_nothing_against_the_total_or_the_other(rec):
    assert [(b.row, b.kind, b.terms, b.cells[SUM_OF_ROWS], b.gap) for b in rec.breaks] == [
        ("CẤP XÃ", SUBTOTAL_SUM, ("received_direct_postal",), 37 + 1, 3)]
    first, second = rec.subtotals
    assert first.breaks == [] and [b.gap for b in second.breaks] == [3]
    # set beside the recomputed levels: every difference there is its units' (and II's own break), not counted again
    for subtotal in rec.subtotals:
        assert subtotal.compared.how == LEVEL_MATCH and subtotal.compared.matched_to == subtotal.level
        assert not any(c.differs for c in subtotal.compared.cells.values())
    total = next(r for r in rec.rows if r.is_total)
    assert not any(c.differs for c in total.cells.values())
    assert total.cells["resolved_early"].difference == -2 and total.cells["resolved_early"].explained
    assert second.compared.cells["received_direct_postal"].difference == 1 + 3   # Vĩnh Trại's 1 and II's 3


def test_without_the_structure_the_same_table_would_accuse_the_body(rec):
    """What the flat reading reported (the issue's 'before'): the subtotals added into the total's check."""
    flat = h.table(h.rows(CHANGED, BROKEN))
    flat.rows[IS_TOTAL] = flat.rows[NAME] == "TỔNG CỘNG"
    flat.rows[NUMBER] = None
    flat.rows[NAME] = flat.rows[NAME].replace({"CẤP HUYỆN": "Huyện", "CẤP XÃ": "Xã"})   # no marker left
    shape = rs.structure(flat)
    assert [r.role for r in shape.rows].count(SUBTOTAL_ROW) == 0
    assert len([b for b in arithmetic_breaks(flat, shape=shape) if b.kind == TOTAL_SUM]) > 2


def test_the_outputs_say_the_same(rec):
    doc = reconciliation_document(rec)
    assert [r["name"] for r in doc["rows"]] == [u[1] for u in h.UNITS]          # unit rows only
    assert doc["total"]["name"] == "TỔNG CỘNG"
    assert [(s["name"], s["stands_for"]["level"], len(s["stands_for"]["units"]), s["sum_check"]["adds_up"])
            for s in doc["subtotals"]] == [("CẤP HUYỆN", h.DISTRICT, 4, True), ("CẤP XÃ", h.COMMUNE, 6, False)]
    assert doc["subtotals"][1]["sum_check"]["breaks"][0]["gap"] == 3
    assert (doc["differences"], doc["sum_breaks"]) == (len(CHANGED), 1)
    text = reconciliation_text(rec)
    assert f"{len(CHANGED)} số liệu báo cáo khác số tính lại từ hồ sơ" in text
    assert "1 phép cộng của chính biểu không khớp" in text
    assert "CẤP XÃ: dòng cộng = tổng 6 dòng đơn vị của nó: trực tiếp, bưu chính (5), lệch 3" in text


def test_the_workbook_reads_back_the_subtotals_beside_their_levels(rec):
    import io

    import openpyxl

    from analytics.outputs.reconciliation_outputs import FIRST_KEY_COLUMN, SIDE_BY_SIDE, reconciliation_xlsx
    sheet = openpyxl.load_workbook(io.BytesIO(reconciliation_xlsx(rec)))[SIDE_BY_SIDE]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r[0]}
    second = rows["CẤP XÃ"]
    assert second[1] == h.COMMUNE and second[2] == "theo cấp"
    column = FIRST_KEY_COLUMN + 3 * rec.keys.index("received_direct_postal")
    cell = rec.subtotals[1].compared.cells["received_direct_postal"]
    assert second[column:column + 3] == (cell.reported, cell.recomputed, cell.difference) == (41, 37, 4)
    assert rows["Phòng TN&MT"][2] == "viết tắt, cách viết khác"
