"""Unit names as offices write them (issue 17, item 2), matched on the real unit lists of ../shared/real/ and on
names written as provincial lists write them; a match only likely is a suggestion, never applied."""
import re
from pathlib import Path

import openpyxl
import pytest

from analytics.ingest.reported_table import read_reported_table
from analytics.model import unit_names as un

REAL = Path(__file__).resolve().parent / "fixtures" / "real"  # ../shared/real/, copied as they are


def matched(reported: list[str], groups: list[str], row_map=None) -> dict[str, tuple[str, str]]:
    found = un.match_names(reported, groups, row_map)
    return {reported[i]: pair for i, pair in found.matched.items()}


@pytest.mark.parametrize("short, full", [
    ("Phòng TN&MT", "Phòng Tài nguyên và Môi trường"),
    ("Phòng LĐ-TB&XH", "Phòng Lao động - Thương binh và Xã hội"),
    ("Phòng TC-KH", "Phòng Tài chính - Kế hoạch"),
    ("Phòng VH&TT", "Phòng Văn hóa và Thông tin"),
    ("Phòng QLĐT", "Phòng Quản lý đô thị"),
    ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
    ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
    ("Sở VH, TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("BQL các KCN", "Ban Quản lý các Khu công nghiệp"),
    ("UBND P. Bắc Sơn", "UBND phường Bắc Sơn"),
    ("UBND X. Hoàng Đồng", "Xã Hoàng Đồng"),
    ("TT. Đồng Đăng", "UBND thị trấn Đồng Đăng"),
    ("Sở Giáo dục Đào tạo", "Sở Giáo dục và Đào tạo"),
    ("Sở Tư pháp - tỉnh An Giang", "Sở Tư pháp"),
    ("Phòng Tư pháp thành phố Lạng Sơn", "Phòng Tư pháp"),
    ("UBND xã Tân Lập, huyện Cao Lộc", "UBND xã Tân Lập"),
    ("Thanh tra tỉnh An Giang", "Thanh tra tỉnh"),
])
def test_names_as_offices_write_them(short, full):
    assert un.written_alike(short, full) and un.written_alike(full, short)
    assert matched([short], [full, "Phòng Nội vụ"]) == {short: (full, un.SHORT_FORM)} or \
        matched([short], [full, "Phòng Nội vụ"])[short][1] in (un.NAME_WITHOUT_PREFIX, un.EXACT)


@pytest.mark.parametrize("a, b", [
    ("Sở TN&MT", "Phòng Tài nguyên và Môi trường"),      # another kind of body
    ("Sở TT&TT", "Sở Tài chính"),
    ("Phòng TC-KH", "Phòng Tư pháp"),
    ("UBND huyện Cao Lộc", "UBND xã Cao Lộc"),
    ("Công an tỉnh", "Công an huyện"),
    ("Ban Quản lý dự án", "Ban"),
])
def test_names_that_are_not_the_same_unit(a, b):
    assert not un.written_alike(a, b)


def test_the_vendors_abbreviations_against_quang_ninhs_real_list():
    """The Bkav table's own names (real) against the 24 Quảng Ninh bodies (real): abbreviations, "và" left out,
    hyphens; Sở Kế hoạch - Đầu tư is not among Quảng Ninh's; "VHTTDL" only suggests "Văn hóa và Thể thao"."""
    bkav = [str(n) for n in read_reported_table(REAL / "bkav_smartreport_tthc_dashboard_so_nganh.xlsx").rows["name"]]
    quang_ninh = [str(n) for n in read_reported_table(REAL / "quangninh_tthc_ketqua_theo_donvi.xlsx").rows["name"]
                  if str(n) != "Tổng"]
    found = un.match_names(bkav, quang_ninh)
    got = {bkav[i]: g for i, (g, _) in found.matched.items()}
    assert got == {
        "Sở TT&TT": "Sở Thông tin và Truyền thông", "Sở Khoa Học Công Nghệ": "Sở Khoa học và Công nghệ",
        "Sở Nội vụ": "Sở Nội vụ", "Sở Giao thông Vận tải": "Sở Giao thông - Vận tải",
        "Sở NN & PTNT": "Sở Nông nghiệp và Phát triển Nông thôn", "Sở Y Tế": "Sở Y tế",
        "Sở LĐTBXH": "Sở Lao động - Thương binh và Xã hội", "Sở Tư pháp": "Sở Tư pháp",
        "Sở Công Thương": "Sở Công Thương", "Sở Xây dựng": "Sở Xây dựng",
        "Sở Giáo dục Đào tạo": "Sở Giáo dục và Đào tạo", "Sở Tài chính": "Sở Tài chính",
        "Sở Tài nguyên Môi trường": "Sở Tài nguyên và Môi trường"}
    unmatched = {bkav[i]: found.unmatched[i] for i in found.unmatched}
    assert unmatched == {"Sở Kế hoạch - Đầu Tư": (un.NO_GROUP, {}),
                         "Sở VHTTDL": (un.LIKELY, {"suggestions": ["Sở Văn hóa và Thể thao"]})}


def _names_766(sheet: str) -> list[str]:
    rows = list(openpyxl.load_workbook(REAL / "dvcqg_766_scores_2025_10.xlsx", read_only=True)[sheet]
                .iter_rows(values_only=True))
    column = rows[0].index("TEN")
    return [r[column] for r in rows[1:] if r[column]]


def test_the_national_index_names_with_the_province_attached_against_names_a_one_stop_export_writes():
    departments = _names_766("Sở Ban")   # "Sở Y tế - tỉnh An Giang" …
    written = {"Ban Quản lý Khu kinh tế - tỉnh An Giang": "BQL Khu kinh tế",
               "Ban Quản lý Khu kinh tế Phú Quốc - tỉnh An Giang": "BQL Khu kinh tế Phú Quốc",
               "Sở Văn hóa và Thể thao - tỉnh An Giang": "Sở VH&TT",
               "Sở Dân tộc và Tôn giáo - tỉnh An Giang": "Sở DT&TG",
               "Sở Khoa học và Công nghệ - tỉnh An Giang": "Sở KH&CN",
               "Sở Nông nghiệp và Môi trường - tỉnh An Giang": "Sở NN&MT",
               "Sở Giáo dục và Đào tạo - tỉnh An Giang": "Sở GD&ĐT",
               "Thanh tra tỉnh An Giang": "Thanh tra tỉnh"}
    data = [written.get(n, n.replace(" - tỉnh An Giang", "")) for n in departments]
    assert {n: g for n, (g, _) in matched(departments, data).items()} == dict(zip(departments, data))
    communes = _names_766("Xã Phường")   # 102, "UBND xã Đông Thái - tỉnh An Giang", "UBND phường Tịnh Biên - …"
    short = [re.sub(r"^UBND [Xx]ã (.*) - tỉnh An Giang$", r"X. \1", n).replace("UBND phường ", "P. ")
             .replace(" - tỉnh An Giang", "") for n in communes]
    assert len(set(short)) == len(communes) == 102
    assert {n: g for n, (g, _) in matched(communes, short).items()} == dict(zip(communes, short))


def test_a_name_two_units_could_fit_is_never_applied():
    found = un.match_names(["Phòng Tư pháp"], ["Phòng Tư pháp huyện Cao Lộc", "Phòng Tư pháp huyện Lộc Bình"])
    assert found.matched == {} and found.unmatched[0] == (
        un.SHORT_MANY, {"groups": ["Phòng Tư pháp huyện Cao Lộc", "Phòng Tư pháp huyện Lộc Bình"]})
    alike = un.match_names(["Phòng Tài nguyên Môi trườngg"], ["Phòng Tài nguyên và Môi trường"])
    assert alike.matched == {} and alike.unmatched[0] == (un.LIKELY,
                                                         {"suggestions": ["Phòng Tài nguyên và Môi trường"]})


def test_a_correction_wins_and_one_the_data_lack_falls_back_to_the_names():
    groups = ["Phòng Tư pháp", "Tư pháp"]   # a unit and a field of the same name
    assert matched(["Tư pháp"], groups, {"Tư pháp": "Phòng Tư pháp"}) == {"Tư pháp": ("Phòng Tư pháp", un.ROW_MAP)}
    fields = un.match_names(["Tư pháp"], ["Tư pháp", "Đất đai"], {"Tư pháp": "Phòng Tư pháp"})
    assert fields.matched == {0: ("Tư pháp", un.EXACT)} and fields.stale == [("Tư pháp", "Phòng Tư pháp")]
