"""The Dữ liệu screen's mapping editor round trip, without Streamlit: file -> table of choices -> overrides."""
from analytics.ingest.export_reader import read_export
from tests.workbooks import simple_export
from ui import imports


def test_the_mapping_table_shows_each_header_with_its_field_and_comes_back_as_overrides(tmp_path):
    reading = read_export(simple_export(tmp_path / "q1.xlsx"))
    table = imports.mapping_table(reading)
    chosen = dict(zip(table[imports.HEADER_COLUMN], table[imports.FIELD_COLUMN]))
    assert chosen["Mã hồ sơ"] == "Mã hồ sơ (case_id)"
    assert chosen["Ngày tiếp nhận"].endswith("(received_date)")
    edited = table.copy()
    edited.loc[edited[imports.HEADER_COLUMN] == "Ngày tiếp nhận", imports.FIELD_COLUMN] = imports.IGNORE
    overrides = imports.overrides_from(edited)
    assert overrides["Ngày tiếp nhận"] == "" and overrides["Mã hồ sơ"] == "case_id"


def test_a_file_that_stopped_at_its_header_offers_its_header_texts(tmp_path):
    reading = read_export(simple_export(tmp_path / "no-id.xlsx", header=["STT", "Số tra cứu", "Ngày tiếp nhận",
                                                                             "Ngày hẹn trả"],
                                        rows=[[1, "A-1", "02/01/2019", "09/01/2019"]]))
    assert reading.rejected is not None
    table = imports.mapping_table(reading)
    assert list(table[imports.HEADER_COLUMN]) == ["STT", "Số tra cứu", "Ngày tiếp nhận", "Ngày hẹn trả"]
    edited = table.copy()
    edited.loc[1, imports.FIELD_COLUMN] = "Mã hồ sơ (case_id)"
    fixed = read_export(tmp_path / "no-id.xlsx", overrides=imports.overrides_from(edited))
    assert fixed.rejected is None and fixed.records["case_id"].tolist() == ["A-1"]


def test_the_value_table_lists_each_wording_and_a_correction_comes_back_as_a_value_mapping(tmp_path):
    from tests.workbooks import ROWS
    rows = [r[:] for r in ROWS]
    rows[2][8] = "Hồ sơ đang ở phòng"
    reading = read_export(simple_export(tmp_path / "q1.xlsx", rows=rows))
    table = imports.value_table(reading, "status")
    assert set(table[imports.VALUE_COLUMN]) == {"Đã trả kết quả", "Đã xử lý xong", "Hồ sơ đang ở phòng"}
    unread = table[table[imports.VALUE_COLUMN] == "Hồ sơ đang ở phòng"].iloc[0]
    assert unread[imports.HOW_COLUMN] == imports.HOW_LABELS["unrecognised"] and unread[imports.COUNT_COLUMN] == 1
    assert table.loc[table[imports.VALUE_COLUMN] == "Đã trả kết quả", imports.READ_AS_COLUMN].item() == \
        "10 – Đã trả kết quả"
    edited = table.copy()
    edited.loc[edited[imports.VALUE_COLUMN] == "Hồ sơ đang ở phòng", imports.CHANGE_COLUMN] = "4 – Đang xử lý"
    mapping = imports.value_overrides_from({"status": edited})
    assert mapping == {"status": {"Hồ sơ đang ở phòng": 4}}
    again = read_export(tmp_path / "q1.xlsx", value_overrides=mapping)
    assert again.records["status_code"].tolist()[2] == 4 and not again.records["status_unrecognised"].any()
