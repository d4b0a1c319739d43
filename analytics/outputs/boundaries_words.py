"""The boundaries a figure uses, and what the unit register could and could not place, in Vietnamese; the warnings
of a trend or comparison that crosses the 2025 reorganisation (analyses.boundaries). Nothing computed here."""
from __future__ import annotations

from analytics.analyses import boundaries as b
from analytics.model.unit_register import NEW, RECORDED, REORGANISATION, UnitRegister
from analytics.model.unit_names import LOCATION, NAME_WITHOUT_PREFIX, SHORT_FORM
from analytics.outputs import formatting as fmt

BOUNDARY_LABELS = {RECORDED: "theo đơn vị như dữ liệu ghi (ranh giới cũ, không gộp)",
                   NEW: "theo đơn vị sau sắp xếp (hồ sơ của đơn vị cũ tính cho đơn vị kế tiếp)"}
BOUNDARY_SHORT = {RECORDED: "đơn vị như dữ liệu ghi", NEW: "đơn vị sau sắp xếp"}
NO_SUCCESSOR = "không có đơn vị kế tiếp"
_HOW = {NAME_WITHOUT_PREFIX: "bỏ tiền tố", SHORT_FORM: "tên viết tắt, cách viết khác", LOCATION: "bỏ địa danh"}


def boundaries_line(boundaries: str, register: UnitRegister | None) -> str:
    """'Ranh giới: theo đơn vị sau sắp xếp (…), sổ sắp xếp đơn vị: so.xlsx.'"""
    source = f", sổ sắp xếp đơn vị: {register.file}" if register is not None and boundaries == NEW else ""
    return f"Ranh giới đơn vị: {BOUNDARY_LABELS[boundaries]}{source}."


def placement_notes(place: b.Placement) -> list[str]:
    """What the register could not place, and each match that is not exact."""
    out = []
    if place.without_successor:
        out.append(f"Đơn vị {NO_SUCCESSOR} (giữ dòng riêng, không chia cho đơn vị khác): "
                   + "; ".join(place.without_successor) + ".")
    if place.unplaced:
        out.append("Đơn vị trong dữ liệu mà sổ sắp xếp không có (giữ như dữ liệu ghi): " + "; ".join(place.unplaced)
                   + ".")
    if place.not_in_data:
        out.append("Đơn vị trong sổ sắp xếp mà dữ liệu không có: " + "; ".join(place.not_in_data) + ".")
    out += [f'"{unit}" trong dữ liệu được hiểu là "{name}" của sổ sắp xếp ({_HOW.get(how, how)}).'
            for unit, name, how in place.not_exact]
    return out


def warning_sentence(warning: b.Warning) -> str:
    if warning.code == b.CROSSES_REORGANISATION:
        return (f"Số liệu vượt qua ngày {fmt.date(REORGANISATION)} (sắp xếp đơn vị hành chính, bỏ cấp huyện): đơn vị, "
                "cấp và kênh nộp trực tuyến (chỉ còn Cổng Dịch vụ công quốc gia) đổi khác, nên chênh lệch giữa trước "
                "và sau ngày đó có thể do sắp xếp chứ không do kết quả giải quyết; cấp huyện chỉ có số liệu của phần kỳ "
                "trước ngày đó.")
    if warning.code == b.IN_TRANSITION:
        return ("Kỳ có tháng 7–9/2025 (giai đoạn chuyển tiếp: hồ sơ tồn của cấp huyện chuyển cho cấp xã, kênh trực "
                "tuyến chuyển sang Cổng Dịch vụ công quốc gia): số liệu của các tháng này chưa ổn định.")
    if warning.code == b.MERGED_VS_PREDECESSOR:
        new, old = warning.units
        return (f'"{new}" và "{old}" không so sánh được: một đơn vị được hình thành từ đơn vị kia (cùng các đơn vị '
                "khác), không phải cùng một đơn vị. Hãy so sánh theo ranh giới mới.")
    return warning.code


def not_comparable_sentence(name: str, formed_from: list[str]) -> str:
    return (f'"{name}" không so sánh được giữa hai kỳ theo đơn vị như dữ liệu ghi: đơn vị được hình thành từ '
            + "; ".join(formed_from) + " nên hai bên không phải cùng một đơn vị. Hãy so sánh theo ranh giới mới.")
