"""A reported table's columns, its arithmetic breaks and its rows that matched nothing, in Vietnamese words, from the
codes and figures analyses.report_arithmetic and analyses.reconciliation return (review 2026-12-07 §4.2).

Column numbers come from labels; numbers are written by formatting. Nothing is computed here.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.analyses import reconciliation as rc
from analytics.analyses import reported_structure as rs
from analytics.analyses.report_arithmetic import IDENTITY, RATE, SUBTOTAL_SUM, SUM_OF_ROWS, TOTAL_SUM, Break
from analytics.model import reported as r
from analytics.model import unit_names as un
from analytics.outputs import formatting as fmt
from analytics.outputs.labels import COLUMN_LABELS, COLUMN_NUMBERS, COLUMN_SHORT

# Each key as a term of an identity: Vietnamese words, with the form's column number where it has one.
_TERM_WORDS = {
    "received_total": "nhận", "received_online": "trực tuyến", "received_direct_postal": "trực tiếp, bưu chính",
    "carried_over": "từ kỳ trước", "resolved_total": "đã giải quyết", "resolved_early": "trước hạn",
    "resolved_on_time": "đúng hạn", "resolved_late": "quá hạn", "pending_total": "đang giải quyết",
    "pending_in_time": "trong hạn", "pending_overdue": "quá hạn", "withdrawn": "rút / dừng xử lý",
    r.RECEIVED_IN_PERIOD: "nhận trong kỳ", r.RESOLVED_ON_TIME_OR_EARLY: "đúng hẹn (trước hạn và đúng hạn)",
    r.WAITING_SUPPLEMENTS: "yêu cầu bổ sung", r.CANCELLED: "hủy", r.NOT_RESOLVED: "không giải quyết",
    r.RETURNED: "đã trả kết quả", r.NOT_RETURNED: "chưa trả kết quả", r.LATE_BY_UNIT: "quá hạn do đơn vị",
    r.LATE_OUTSIDE_UNIT: "quá hạn ngoài đơn vị",
}
_UNNUMBERED = {"withdrawn"}  # the extra column is not one of the form's numbered columns in an identity
SUM_OF_ROWS_WORDS = "tổng các dòng"

# The derived keys, numbered as the sums of Biểu 06's columns they stand for.
_DERIVED_NUMBERS = {r.RECEIVED_IN_PERIOD: "(4)+(5)", r.RESOLVED_ON_TIME_OR_EARLY: "(8)+(9)"}
_DERIVED_SHORT = {r.RECEIVED_IN_PERIOD: "Nhận tr.kỳ", r.RESOLVED_ON_TIME_OR_EARLY: "Đúng hẹn"}
_DERIVED_LABELS = {r.RECEIVED_IN_PERIOD: "Nhận trong kỳ (4)+(5)",
                   r.RESOLVED_ON_TIME_OR_EARLY: "Trước hạn và đúng hạn (8)+(9)"}


def key_number(key: str) -> str:
    """"(7)", "(4)+(5)"."""
    return _DERIVED_NUMBERS.get(key) or COLUMN_NUMBERS[key]


def key_label(key: str) -> str:
    """"Đã giải quyết – Tổng số (7)", "Nhận trong kỳ (4)+(5)"; any other column (a kept header, a rate column) as
    its term."""
    return _DERIVED_LABELS.get(key) or COLUMN_LABELS.get(key) or term(key)


def key_short(key: str) -> str:
    return f"{key_number(key)} {_DERIVED_SHORT.get(key) or COLUMN_SHORT[key]}"


def term(column: str) -> str:
    """A column as a term of an identity: "nhận (3)", "yêu cầu bổ sung", a kept or rate column's header text in
    quotes, "tổng các dòng" for the other rows' sum."""
    if column == SUM_OF_ROWS:
        return SUM_OF_ROWS_WORDS
    words = _TERM_WORDS.get(column)
    if words is None:
        return f'"{column}"'
    return words if column in _UNNUMBERED or column not in COLUMN_NUMBERS else f"{words} {COLUMN_NUMBERS[column]}"


def plain_number(value):
    """numpy and pandas numbers as plain ones: a whole float as an int; NaN as None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if pd.isna(value):
            return None
        return int(value) if value.is_integer() else value
    return value


def figure(value) -> str:
    """1.365 or 2,5, the Vietnamese way."""
    value = plain_number(value)
    return fmt.number(value) if isinstance(value, int) else fmt.decimal(value) if isinstance(value, float) \
        else str(value)


def break_identity(b: Break) -> str:
    """The check a break fails, in words: "nhận (3) = đã giải quyết (7) + đang giải quyết (11)", "dòng tổng = tổng
    các dòng: nhận (3)", 'tỉ lệ "Tỷ lệ (%)" = quá hạn (10) / đã giải quyết (7) × 100%, làm tròn đến số nguyên'."""
    if b.kind == IDENTITY:
        left, *right = b.terms
        return f"{term(left)} = " + " + ".join(term(k) for k in right)
    if b.kind == TOTAL_SUM:
        rows = f" {fmt.number(b.rows_summed)} dòng đơn vị" if b.rows_summed else " các dòng"
        return f"dòng tổng = tổng{rows}: {term(b.terms[0])}"
    if b.kind == SUBTOTAL_SUM:
        return f"dòng cộng = tổng {fmt.number(b.rows_summed or 0)} dòng đơn vị của nó: {term(b.terms[0])}"
    if b.kind == RATE:
        rate, numerator, denominator = b.terms
        rounding = "số nguyên" if b.decimals == 0 else f"{b.decimals} chữ số thập phân"
        return f'tỉ lệ "{rate}" = {term(numerator)} / {term(denominator)} × 100%, làm tròn đến {rounding}'
    return b.kind


def break_cells(b: Break) -> str:
    """"nhận (3) = 2.347, đã giải quyết (7) = 19"; a total row's "đúng hạn (9) = 146, tổng các dòng = 136"."""
    return ", ".join(f"{term(k)} = {figure(v)}" for k, v in b.cells.items())


def listed(names: list[str], limit: int = 5) -> str:
    """'"A", "B", "C" và 2 tên khác'."""
    shown = ", ".join(f'"{n}"' for n in names[:limit])
    return shown + (f" và {fmt.number(len(names) - limit)} tên khác" if len(names) > limit else "")


# How a user corrects a match: on the command line, or on the screen's editor.
MAP_ROW = ("--map-row", "hãy chỉ rõ bằng --map-row")
ON_SCREEN = ("cách khớp đã sửa", 'hãy chỉ rõ ở mục "Cấu trúc biểu và cách khớp dòng" bên dưới')
IN_DOCUMENT = ("cách khớp đã chỉ", "cần xác định đơn vị tương ứng")   # a report a team signs: no software hints


def unmatched_reason(item: rc.UnmatchedReported, fix: tuple[str, str] = MAP_ROW) -> str:
    """Why a reported row matched no group of the data, in words; `fix`: how the reader corrects a match (MAP_ROW on
    the command line and in its documents, ON_SCREEN on the screen)."""
    given, how = fix
    e = item.evidence
    if item.code == un.NO_NAME:
        return "dòng không có tên"
    if item.code == un.MAP_ROW_MANY:
        return (f'{given} chỉ tới "{e["target"]}", trùng với nhiều nhóm: {listed(e["groups"])}; hãy ghi đúng tên '
                "trong số liệu")
    if item.code == un.MANY_GROUPS:
        return f"trùng tên với nhiều nhóm: {listed(e['groups'])}"
    if item.code == un.GROUP_TAKEN:
        return f'nhóm "{e["group"]}" đã được ghép với một dòng khác của bảng báo cáo'
    if item.code == un.PREFIX_SHARED:
        return f'"{e["group"]}" cũng hợp với dòng {listed(e["rows"])}: {how}'
    if item.code == un.PREFIX_MANY:
        return f"bỏ tiền tố thì hợp với nhiều nhóm: {listed(e['groups'])}; {how}"
    if item.code == un.SHORT_MANY:
        return f"tên viết tắt hợp với nhiều nhóm: {listed(e['groups'])}; {how}"
    if item.code == un.LIKELY:
        return (f"không có nhóm nào trùng tên; gợi ý (cần xác nhận, chưa ghép): {listed(e['suggestions'])}; "
                + ("hãy xác nhận ở mục \"Cấu trúc biểu và cách khớp dòng\" bên dưới" if fix == ON_SCREEN else
                   "cần xác nhận" if fix == IN_DOCUMENT else
                   f'xác nhận bằng --map-row "{item.name}={e["suggestions"][0]}"'))
    if item.code == un.NO_GROUP:
        return "không có nhóm nào trong số liệu hồ sơ trùng tên (kể cả khi bỏ dấu, chữ hoa, tiền tố, viết tắt)"
    return item.code


# How a row was matched, in words.
HOW_LABELS = {un.EXACT: "trùng tên", un.NAME_WITHOUT_PREFIX: "trùng tên khi bỏ tiền tố",
              un.SHORT_FORM: "viết tắt, cách viết khác", un.LOCATION: "bỏ địa danh kèm theo",
              un.ROW_MAP: "theo cách khớp đã sửa", rc.TOTAL_MATCH: "tổng cộng", rc.LEVEL_MATCH: "theo cấp"}


def how_label(how: str) -> str:
    return HOW_LABELS.get(how, how)


def reconciliation_notes(rec: rc.Reconciliation, fix: tuple[str, str] = MAP_ROW) -> list[str]:
    """The notes on a reconciliation: the structure the reader inferred; each remembered or given match that named
    no row of the table, or a group the data lack here (matched by name instead). `fix`: where the reader corrects
    the structure (MAP_ROW: the command line; ON_SCREEN)."""
    out = structure_notes(rec, fix)
    out += [f'Cách khớp "{wanted} = {target}": bảng báo cáo không có dòng nào tên "{wanted}".'
            for wanted, target in rec.unused_row_map]
    out += [f'Cách khớp đã nhớ "{wanted} = {target}": số liệu đang xem không có nhóm "{target}", nên dòng '
            f'"{wanted}" được khớp tự động theo tên.' for wanted, target in rec.stale_row_map]
    return out


_HOW_READ = {rs.BY_NUMBERING: "đánh số La Mã", rs.BY_NESTED: "các dòng bên dưới đánh số sâu hơn",
             rs.BY_WORDS: "tên dòng nêu cấp hoặc nhóm đơn vị", rs.BY_SUM_WORD: "tên dòng là dòng cộng",
             rs.BY_SUMS: "dòng không đánh số và số liệu bằng tổng các dòng", rs.BY_USER: "người dùng đã chỉ",
             rs.BY_TOTAL_NAME: "tên dòng là dòng tổng"}


def structure_notes(rec: rc.Reconciliation, fix: tuple[str, str] = MAP_ROW) -> list[str]:
    """What the reader understood of the table's structure, one sentence per subtotal (and an inferred total):
    'Dòng "II. CẤP XÃ" (dòng 14) được hiểu là dòng cộng của 6 dòng đơn vị bên dưới (đánh số La Mã), không khớp với
    đơn vị nào và không cộng vào tổng.'"""
    if rec.shape is None:
        return []
    out = []
    for row in rec.shape.inferred:
        where = f" (dòng {row.sheet_row})" if row.sheet_row else ""
        if row.role == r.TOTAL_ROW:
            out.append(f'Dòng "{row.name}"{where} được hiểu là dòng tổng cộng ({_HOW_READ.get(row.how, row.how)}).')
            continue
        side = "bên dưới" if row.direction == rs.BELOW else "bên trên"
        level = f", ứng với {row.level.lower()} trong số liệu" if row.level else ""
        how = ("ở bảng \"Xem và sửa loại dòng\" bên dưới" if fix == ON_SCREEN else
               f'bằng --row-kind "{row.name}=unit"')
        out.append(f'Dòng "{row.name}"{where} được hiểu là dòng cộng của {fmt.number(len(row.members))} dòng đơn vị '
                   f"{side} ({_HOW_READ.get(row.how, row.how)}){level}: được kiểm tra như một tổng, không khớp với "
                   "đơn vị nào và không cộng vào tổng cộng."
                   + ("" if fix == IN_DOCUMENT else f" Nếu hiểu sai, hãy chỉ lại loại dòng {how}."))
    return out
