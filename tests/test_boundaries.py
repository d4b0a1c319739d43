"""Units reorganised in 2025 (issue 18): a unit register read and stored, and figures counted as recorded or under the
new boundaries, with the break said beside them.

By hand. Dossiers of 2025, each received on the day shown and resolved two days later (before its due date):
  H1 (Jan–Jun): UBND phường Tam Thanh 3, UBND xã Hoàng Đồng 2, Phòng Tư pháp thành phố Lạng Sơn 4, Sở Tài nguyên
      và Môi trường 2 (January), Sở Nông nghiệp và PTNT 1 (February), Sở Nông nghiệp và Môi trường 3 (April),
      UBND phường Chi Lăng 1 -> 16;
  H2 (Jul–Dec): UBND phường Tam Thanh 5 (the new ward), Sở Nông nghiệp và Môi trường 6 (September) -> 11.
The register: Tam Thanh (new, 1/7/2025) <- P. Tam Thanh + X. Hoàng Đồng; Sở NN&MT (1/3/2025) <- Sở TN&MT + Sở
NN&PTNT; Phòng Tư pháp TP Lạng Sơn stopped on 1/7/2025 with no successor; Chi Lăng is not in it.
Under the new boundaries: H1 Tam Thanh 3 + 2 = 5, Sở NN&MT 2 + 1 + 3 = 6, Phòng Tư pháp 4 on its own row, Chi Lăng 1
as recorded (unplaced); H2 Tam Thanh 5, Sở NN&MT 6. Totals 16 and 11 either way.
"""
import datetime as dt
import json

import openpyxl
import pytest

from analytics.analyses.boundaries import (
    CROSSES_REORGANISATION,
    IN_TRANSITION,
    MERGED_VS_PREDECESSOR,
    reorganisation_warnings,
)
from analytics.cli import main
from analytics.ingest.unit_register import read_unit_register
from analytics.model.issues import FileRejected
from analytics.model.periods import Period
from tests.workbooks import HEADER, write_rows

TAM_THANH, HOANG_DONG = "UBND phường Tam Thanh", "UBND xã Hoàng Đồng"
JUSTICE_CITY, CHI_LANG = "Phòng Tư pháp thành phố Lạng Sơn", "UBND phường Chi Lăng"
TNMT, NNPTNT, NNMT = "Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và PTNT", "Sở Nông nghiệp và Môi trường"
DOSSIERS = [(TAM_THANH, "2025-02-10", 3), (HOANG_DONG, "2025-03-10", 2), (JUSTICE_CITY, "2025-05-05", 4),
            (TNMT, "2025-01-15", 2), (NNPTNT, "2025-02-12", 1), (NNMT, "2025-04-08", 3), (CHI_LANG, "2025-06-02", 1),
            (TAM_THANH, "2025-08-11", 5), (NNMT, "2025-09-09", 6)]
H1, H2 = "2025-01-01:2025-06-30", "2025-07-01:2025-12-31"


def export(path):
    rows, n = [], 0
    for unit, day, count in DOSSIERS:
        received = dt.date.fromisoformat(day)
        for _ in range(count):
            n += 1
            rows.append([n, f"HS-{n:04d}", "Thủ tục", "Lĩnh vực", unit, received.strftime("%d/%m/%Y"),
                         (received + dt.timedelta(days=10)).strftime("%d/%m/%Y"),
                         (received + dt.timedelta(days=2)).strftime("%d/%m/%Y"), "Đã trả kết quả", "Trực tiếp"])
    return write_rows(path, [HEADER, *rows])


def register(path):
    """As an analyst keeps it: a title, the header, old units under a merged new-unit cell or in one cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["SỔ THEO DÕI SẮP XẾP ĐƠN VỊ"])
    sheet.append(["STT", "Tên đơn vị sau sắp xếp", "Các đơn vị trước sắp xếp", "Ngày hiệu lực"])
    sheet.append([1, "Phường Tam Thanh", "P. Tam Thanh", "01/07/2025"])
    sheet.append([None, None, "X. Hoàng Đồng", None])
    sheet.merge_cells("B3:B4")
    sheet.merge_cells("D3:D4")
    sheet.append([2, NNMT, "Sở TN&MT;\nSở NN&PTNT", "01/03/2025"])
    sheet.append([3, None, "Phòng Tư pháp - TP Lạng Sơn", "01/07/2025"])
    book.save(path)
    return path


def run(tmp_path, capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--data-dir", str(tmp_path / "data"), *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_register_is_read_as_the_analyst_keeps_it(tmp_path):
    read = read_unit_register(register(tmp_path / "so.xlsx"))
    assert [(s.old, s.new, s.effective, s.row) for s in read.successions] == [
        ("P. Tam Thanh", "Phường Tam Thanh", dt.date(2025, 7, 1), 3),
        ("X. Hoàng Đồng", "Phường Tam Thanh", dt.date(2025, 7, 1), 4),
        ("Sở TN&MT", NNMT, dt.date(2025, 3, 1), 5), ("Sở NN&PTNT", NNMT, dt.date(2025, 3, 1), 5),
        ("Phòng Tư pháp - TP Lạng Sơn", None, dt.date(2025, 7, 1), 6)]
    assert read.final("Sở TN&MT") == (NNMT, ["Sở TN&MT", NNMT])
    assert read.final("Phòng Tư pháp - TP Lạng Sơn")[0] is None


def test_successions_chain(tmp_path):
    path = write_rows(tmp_path / "chuoi.xlsx", [["Đơn vị mới", "Hình thành từ", "Ngày hiệu lực"],
                                                 ["B", "A", "01/03/2025"], ["C", "B", "01/07/2025"]], title_rows=[])
    assert read_unit_register(path).final("A") == ("C", ["A", "B", "C"])


def test_a_file_that_is_no_register_is_refused_in_vietnamese(tmp_path):
    with pytest.raises(FileRejected) as refused:
        read_unit_register(write_rows(tmp_path / "x.xlsx", [["a", "b"], [1, 2]]))
    assert "Tên đơn vị sau sắp xếp" in refused.value.issue.message


def test_compare_under_the_new_boundaries_by_hand(tmp_path, capsys):
    files = [export(tmp_path / "hs.xlsx")]
    assert run(tmp_path, capsys, "units", "import", register(tmp_path / "so.xlsx"))[0] == 0
    code, out, err = run(tmp_path, capsys, "compare", *files, "--a", H1, "--b", H2, "--by", "unit",
                         "--boundaries", "new", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["boundaries"] == "new" and doc["without_successor"] == [JUSTICE_CITY]
    assert doc["unplaced"] == [CHI_LANG]
    groups_a = {g["name"]: g["received_total"] for g in doc["a"]["groups"]}
    groups_b = {g["name"]: g["received_total"] for g in doc["b"]["groups"]}
    assert groups_a == {TAM_THANH: 5, NNMT: 6, JUSTICE_CITY: 4, CHI_LANG: 1}
    assert {k: v for k, v in groups_b.items() if v} == {TAM_THANH: 5, NNMT: 6}
    assert (doc["a"]["total"]["received_total"], doc["b"]["total"]["received_total"]) == (16, 11)
    assert any("01/07/2025" in w for w in doc["warnings"])
    # as recorded: every unit as its export names it, the same totals
    code, out, _ = run(tmp_path, capsys, "compare", *files, "--a", H1, "--b", H2, "--by", "unit", "--format", "json")
    recorded = json.loads(out)
    assert recorded["boundaries"] == "recorded" and "without_successor" not in recorded
    assert {g["name"]: g["received_total"] for g in recorded["a"]["groups"]}[TAM_THANH] == 3
    assert (recorded["a"]["total"]["received_total"], recorded["b"]["total"]["received_total"]) == (16, 11)


def test_report_says_its_boundaries_and_needs_a_register_for_new(tmp_path, capsys):
    files = [export(tmp_path / "hs.xlsx")]
    code, _, err = run(tmp_path, capsys, "report", *files, "--from", "2025-01-01", "--to", "2025-06-30",
                       "--boundaries", "new")
    assert code == 2 and "cần sổ sắp xếp đơn vị" in err and "Traceback" not in err
    code, out, err = run(tmp_path, capsys, "report", *files, "--from", "2025-01-01", "--to", "2025-06-30", "--by",
                         "unit", "--units", register(tmp_path / "so.xlsx"), "--boundaries", "new")
    assert code == 0, err
    assert "Ranh giới đơn vị: theo đơn vị sau sắp xếp" in out and "không có đơn vị kế tiếp" in out
    assert not (tmp_path / "data").exists()   # --units reads the register without storing it


def test_units_list_and_remove(tmp_path, capsys):
    assert run(tmp_path, capsys, "units", "import", register(tmp_path / "so.xlsx"))[0] == 0
    code, out, _ = run(tmp_path, capsys, "units", "list")
    assert code == 0 and "Sở TN&MT → Sở Nông nghiệp và Môi trường" in out and "không có đơn vị kế tiếp" in out
    assert run(tmp_path, capsys, "units", "remove")[0] == 0
    assert run(tmp_path, capsys, "units", "remove")[0] == 2


def test_the_warnings_where_the_break_bends_a_figure():
    h1 = Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    h2 = Period(dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    q4 = Period(dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert [w.code for w in reorganisation_warnings([h1, h2])] == [CROSSES_REORGANISATION, IN_TRANSITION]
    assert [w.code for w in reorganisation_warnings([q4])] == []
    assert [w.code for w in reorganisation_warnings([h1])] == []


def test_a_merged_unit_is_not_compared_with_one_of_its_predecessors(tmp_path):
    read = read_unit_register(register(tmp_path / "so.xlsx"))
    h2 = Period(dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    found = reorganisation_warnings([h2], read, ("Phường Tam Thanh", "X. Hoàng Đồng"))
    assert [w.code for w in found] == [IN_TRANSITION, MERGED_VS_PREDECESSOR]
    assert reorganisation_warnings([h2], read, (NNMT, "Phường Tam Thanh"))[-1].code == IN_TRANSITION


# --- The screens and the documents ------------------------------------------------------------------------------

def _store_with_register(empty_store, tmp_path):
    assert empty_store.import_file(export(tmp_path / "hs.xlsx")).status == "imported"
    empty_store.save_register(read_unit_register(register(tmp_path / "so.xlsx")))
    return empty_store


def test_the_sidebar_offers_the_boundaries_and_every_screen_follows(empty_store, tmp_path):
    from tests.apps import page_app
    _store_with_register(empty_store, tmp_path)
    state = {"sel_kind": "custom", "sel_start": dt.date(2025, 1, 1), "sel_end": dt.date(2025, 12, 31)}
    at = page_app("pages/don-vi.py", state).run()
    assert not at.exception, at.exception
    [choice] = [r for r in at.sidebar.radio if r.label == "Ranh giới đơn vị"]
    assert choice.value == "recorded"
    assert any("Ranh giới: đơn vị như dữ liệu ghi" in c.value for c in at.caption)
    assert any("01/07/2025" in w.value for w in at.warning)   # the year crosses the reorganisation
    shown = " ".join(str(d.value.to_csv()) for d in at.dataframe)
    assert HOANG_DONG in shown
    choice.set_value("new").run()
    assert not at.exception, at.exception
    assert any("Ranh giới: đơn vị sau sắp xếp" in c.value for c in at.caption)
    shown = " ".join(str(d.value.to_csv()) for d in at.dataframe)
    assert HOANG_DONG not in shown and TAM_THANH in shown and JUSTICE_CITY in shown   # kept apart, never spread


def test_the_data_screen_shows_the_register_and_what_it_cannot_place(empty_store, tmp_path):
    from tests.apps import page_app
    _store_with_register(empty_store, tmp_path)
    at = page_app("pages/du-lieu.py").run()
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "không có đơn vị kế tiếp" in captions and CHI_LANG in captions
    assert "Đang dùng: so.xlsx" in captions


def test_a_sessions_documents_say_their_boundaries(tmp_path, capsys):
    import io

    import docx
    files = [export(tmp_path / "hs.xlsx")]
    assert run(tmp_path, capsys, "units", "import", register(tmp_path / "so.xlsx"))[0] == 0
    assert run(tmp_path, capsys, "session", "add", "N2025", "--from", "2025-07-01", "--to", "2025-12-31",
               "--compare-from", "2025-01-01", "--compare-to", "2025-06-30", "--boundaries", "new",
               "--date", "2026-04-20")[0] == 0
    out = tmp_path / "bc.docx"
    code, _, err = run(tmp_path, capsys, "export", "--session", "N2025", "--format", "docx", "--out", out, *files)
    assert code == 0, err
    document = docx.Document(io.BytesIO(out.read_bytes()))
    text = "\n".join([p.text for p in document.paragraphs] +
                     [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "theo đơn vị sau sắp xếp (hồ sơ của đơn vị cũ tính cho đơn vị kế tiếp)" in text
    assert "vượt qua ngày 01/07/2025" in text


def test_as_recorded_a_merged_unit_is_not_compared_with_its_predecessor(tmp_path, capsys):
    """As recorded, "UBND phường Tam Thanh" is the old ward in H1 (3) and the new ward in H2 (5, formed with Hoàng
    Đồng): its change is refused with the reason; under the new boundaries it is compared (5 and 5)."""
    files = [export(tmp_path / "hs.xlsx")]
    assert run(tmp_path, capsys, "units", "import", register(tmp_path / "so.xlsx"))[0] == 0
    code, out, _ = run(tmp_path, capsys, "compare", *files, "--a", H1, "--b", H2, "--by", "unit", "--format", "json")
    groups = {g["name"]: g for g in json.loads(out)["change"]["groups"]}
    refused = groups[TAM_THANH]
    assert refused["not_comparable"] and refused["received_total"] is None and refused["rate_change_pp"] is None
    assert "UBND xã Hoàng Đồng" not in refused["note"] and "X. Hoàng Đồng" in refused["note"]
    assert groups[NNMT]["not_comparable"]        # formed on 1/3/2025, inside H1: its H1 is only part of it
    assert "not_comparable" not in groups[JUSTICE_CITY]
    code, text, _ = run(tmp_path, capsys, "compare", *files, "--a", H1, "--b", H2, "--by", "unit")
    assert code == 0 and "không so sánh được (đơn vị hợp nhất)" in text
    code, out, _ = run(tmp_path, capsys, "compare", *files, "--a", H1, "--b", H2, "--by", "unit", "--boundaries",
                       "new", "--format", "json")
    bounded = {g["name"]: g for g in json.loads(out)["change"]["groups"]}
    assert bounded[TAM_THANH]["received_total"] == 0 and "not_comparable" not in bounded[TAM_THANH]


def test_the_comparison_screen_refuses_a_merged_unit_as_recorded(empty_store, tmp_path):
    from tests.apps import page_app
    _store_with_register(empty_store, tmp_path)
    state = {"sel_kind": "custom", "sel_start": dt.date(2025, 7, 1), "sel_end": dt.date(2025, 12, 31),
             "sel_compare": "previous", "compare_by": "unit"}
    at = page_app("pages/so-sanh-ky.py", state).run()
    assert not at.exception, at.exception
    assert any("không so sánh được giữa hai kỳ" in w.value and TAM_THANH in w.value for w in at.warning)
    assert any("Số liệu vượt qua ngày 01/07/2025" in w.value for w in at.warning)   # A before, B after
    shown = " ".join(str(d.value.to_csv()) for d in at.dataframe)
    assert "không so sánh được (đơn vị hợp nhất)" in shown


def test_a_sessions_slides_say_their_boundaries(tmp_path, capsys):
    import pptx
    files = [export(tmp_path / "hs.xlsx")]
    assert run(tmp_path, capsys, "units", "import", register(tmp_path / "so.xlsx"))[0] == 0
    assert run(tmp_path, capsys, "session", "add", "N2025", "--from", "2025-07-01", "--to", "2025-12-31",
               "--boundaries", "new", "--date", "2026-04-20")[0] == 0
    out = tmp_path / "bc.pptx"
    assert run(tmp_path, capsys, "export", "--session", "N2025", "--format", "pptx", "--out", out, *files)[0] == 0
    deck = pptx.Presentation(str(out))
    footers = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes
               if shape.has_text_frame and shape.text_frame.text.startswith("Nguồn:")]
    assert footers and all("Ranh giới: đơn vị sau sắp xếp" in f for f in footers)
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)
    assert "Ranh giới đơn vị: theo đơn vị sau sắp xếp" in notes
