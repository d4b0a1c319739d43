"""Citizens' experience in words: the measures' labels, the caveats beside them, the inspection team's prompts, the
national index beside its estimates, the JSON document and the text of `experience`. Every screen and file (DOCX,
slide, workbook) takes its sentences from here, so they say the same.
"""
from __future__ import annotations

from analytics.analyses import experience as x
from analytics.analyses.index_estimates import NO_BASE, NO_RATINGS, NOT_COVERED, WHOLE_DATA, IndexComparison
from analytics.analyses.stats import MIN_JUDGEABLE
from analytics.model.national_index import (
    ESTIMATE_FORMULAS,
    ESTIMATED,
    GROUP_BY_KEY,
    GROUPS,
    KINDS,
    PART_SHARE,
    TOTAL_POINTS,
    UNSTATED,
)
from analytics.outputs.formatting import DASH, date, decimal, number, percent
from analytics.outputs.text_tables import grid

NO_DATA = "không có dữ liệu"

LABELS = {
    x.RECEIVED: "Nhận mới trong kỳ (4) + (5)", x.RECEIVED_ONLINE: "Nộp trực tuyến (4)",
    "online_full": "Trực tuyến toàn trình", "online_partial": "Trực tuyến một phần",
    "online_level_unknown": "Trực tuyến không rõ mức độ",
    x.LATE_TOTAL: "Trễ hạn (10) + (13)", "late_with_letter": "Trễ hạn có văn bản xin lỗi",
    "late_without_letter": "Trễ hạn không có văn bản xin lỗi", "letter_unknown": "Không rõ có văn bản xin lỗi",
    "letter_after_original_due": "Xin lỗi sau ngày hẹn trả ban đầu", "letter_date_unknown": "Văn bản không ghi ngày",
    "rescheduled_more_than_once": "Hẹn lại hơn một lần", "extensions_unknown": "Không rõ số lần hẹn lại",
    "new_date_missed": "Trễ cả ngày hẹn mới", "new_date_unknown": "Không rõ ngày hẹn mới",
    x.RESOLVED_TOTAL: "Đã giải quyết (7)", "rated": "Có đánh giá", "very_satisfied": "Rất hài lòng",
    "satisfied": "Hài lòng", "dissatisfied": "Không hài lòng", "unrated": "Chưa đánh giá",
    "rating_unread": "Đánh giá ghi khác", "rating_unknown": "Không rõ (tệp không có cột đánh giá)",
    "receiving_known": "Ghi rõ nơi tiếp nhận", "received_elsewhere": "Tiếp nhận ở nơi khác đơn vị giải quyết",
    "receiving_unknown": "Không rõ nơi tiếp nhận",
    "online_full_share": "Tỷ lệ toàn trình / trực tuyến", "online_partial_share": "Tỷ lệ một phần / trực tuyến",
    "late_with_letter_share": "Tỷ lệ có văn bản xin lỗi / trễ hạn",
    "late_without_letter_share": "Tỷ lệ không có văn bản xin lỗi / trễ hạn",
    "very_satisfied_share": "Rất hài lòng / có đánh giá", "satisfied_share": "Hài lòng / có đánh giá",
    "dissatisfied_share": "Không hài lòng / có đánh giá", "unrated_share": "Chưa đánh giá / đã giải quyết",
    "received_elsewhere_share": "Nơi khác / ghi rõ nơi tiếp nhận",
}
# The tables' columns, by part of the screen and of each file.
ONLINE_COLUMNS = [x.RECEIVED, x.RECEIVED_ONLINE, "online_full", "online_partial", "online_level_unknown",
                  "online_full_share"]
LETTER_COLUMNS = [x.LATE_TOTAL, "late_with_letter", "late_without_letter", "letter_after_original_due",
                  "rescheduled_more_than_once", "new_date_missed"]
RATING_COLUMNS = [x.RESOLVED_TOTAL, "rated", "very_satisfied", "satisfied", "dissatisfied", "unrated",
                  "unrated_share"]
RECEIVING_COLUMNS = ["receiving_known", "received_elsewhere", "received_elsewhere_share"]
# The inspection team's checklist: the counts that name dossiers to look at, each with the dossiers behind it.
CHECKLIST = ["late_without_letter", "letter_after_original_due", "rescheduled_more_than_once", "new_date_missed",
             "dissatisfied"]

CAVEATS = {
    "online_level": ("Không có dữ liệu về mức độ trực tuyến (toàn trình / một phần): tệp không ghi mức độ ở hình thức "
                     "nộp hay ở cột riêng (\"Mức độ\", \"Mức độ DVC\").",
                     "{n} hồ sơ trực tuyến không ghi mức độ: không tính vào toàn trình hay một phần."),
    "letter": ("Không có dữ liệu văn bản xin lỗi: tệp không có cột thư / phiếu / văn bản xin lỗi hay ngày xin lỗi; "
               "không biết hồ sơ trễ hạn nào có văn bản.",
               "{n} hồ sơ trễ hạn thuộc tệp không có cột xin lỗi: không tính là có hay không có văn bản."),
    "letter_date": ("Không có ngày của văn bản xin lỗi: không biết văn bản nào gửi sau ngày hẹn trả ban đầu.",
                    "{n} văn bản xin lỗi không ghi ngày: không biết có gửi sau ngày hẹn trả ban đầu không."),
    "extensions": ("Không có số lần gia hạn hay các ngày hẹn trước đó: không biết hồ sơ nào bị hẹn lại hơn một lần.",
                   "{n} hồ sơ trễ hạn không rõ số lần hẹn lại."),
    "new_due_date": ("Không có ngày hẹn trả ban đầu: không tách được ngày hẹn mới sau văn bản xin lỗi, nên không "
                     "biết hồ sơ nào trễ cả ngày hẹn mới.",
                     "{n} hồ sơ có văn bản xin lỗi nhưng ngày hẹn trả không đổi so với ngày hẹn ban đầu (hoặc thiếu "
                     "một trong hai): không biết có trễ cả ngày hẹn mới không."),
    "rating": ("Không có dữ liệu đánh giá mức độ hài lòng: tệp không có cột đánh giá.",
               "{n} hồ sơ đã giải quyết thuộc tệp không có cột đánh giá: không tính là có hay chưa đánh giá."),
    "rating_unread": ("", "{n} đánh giá ghi khác ba mức \"Rất hài lòng\", \"Hài lòng\", \"Không hài lòng\": được tính "
                          "là chưa đánh giá."),
    "receiving_unit": ("Không có cột đơn vị tiếp nhận: không tách được nơi tiếp nhận với đơn vị giải quyết.",
                       "{n} hồ sơ nhận trong kỳ không ghi nơi tiếp nhận hoặc đơn vị giải quyết."),
}


def caveat_text(caveat: dict) -> str:
    absent, some = CAVEATS[caveat["code"]]
    return absent if not caveat["carried"] else some.format(n=number(caveat["count"]))


def value_text(row: dict, key: str) -> str:
    """A count or a share as printed: "không có dữ liệu" where the data cannot say, "—" for a share of nothing."""
    value = row.get(key)
    if key.endswith("_share"):
        return percent(value) if value is not None else DASH
    if value is None:
        return NO_DATA
    return number(value)


def _share_words(row: dict, key: str, base: str) -> str:
    share = row.get(f"{key}_share")
    return f" ({percent(share)} của {number(row[base])} {LABELS_SHORT[base]})" if share is not None else ""


LABELS_SHORT = {x.LATE_TOTAL: "hồ sơ trễ hạn", "rated": "hồ sơ có đánh giá", x.RESOLVED_TOTAL: "hồ sơ đã giải quyết",
                x.RECEIVED_ONLINE: "hồ sơ trực tuyến", "receiving_known": "hồ sơ ghi rõ nơi tiếp nhận"}


def prompts(row: dict) -> list[str]:
    """What the inspection team should ask, from the counts of one row (the total or a unit): counts, each with its
    base, never a judgement the data cannot carry."""
    out = []
    n = row.get("late_without_letter")
    if n:
        out.append(f"{number(n)} hồ sơ trễ hạn không có văn bản xin lỗi"
                   f"{_share_words(row, 'late_without_letter', x.LATE_TOTAL)}: đề nghị giải trình vì sao không gửi "
                   "văn bản xin lỗi và hẹn lại ngày trả (Mẫu 04).")
    n = row.get("letter_after_original_due")
    if n:
        out.append(f"{number(n)} văn bản xin lỗi sau ngày hẹn trả ban đầu: văn bản phải gửi trước ngày hẹn trả.")
    n = row.get("rescheduled_more_than_once")
    if n:
        out.append(f"{number(n)} hồ sơ trễ hạn bị hẹn lại hơn một lần.")
    n = row.get("new_date_missed")
    if n:
        out.append(f"{number(n)} hồ sơ có văn bản xin lỗi nhưng vẫn trễ cả ngày hẹn mới.")
    n = row.get("dissatisfied")
    if n:
        out.append(f"{number(n)} đánh giá \"Không hài lòng\"{_share_words(row, 'dissatisfied', 'rated')}: đề nghị "
                   "cho biết đã trả lời, khắc phục thế nào.")
    return out


# The summary every file prints: (measure, the share beside it, what the share is of).
SUMMARY = [("online_full", "online_full_share", "hồ sơ nộp trực tuyến"),
           ("online_partial", "online_partial_share", "hồ sơ nộp trực tuyến"),
           ("late_with_letter", "late_with_letter_share", "hồ sơ trễ hạn"),
           ("late_without_letter", "late_without_letter_share", "hồ sơ trễ hạn"),
           ("letter_after_original_due", None, ""), ("rescheduled_more_than_once", None, ""),
           ("new_date_missed", None, ""),
           ("very_satisfied", "very_satisfied_share", "hồ sơ có đánh giá"),
           ("satisfied", "satisfied_share", "hồ sơ có đánh giá"),
           ("dissatisfied", "dissatisfied_share", "hồ sơ có đánh giá"),
           ("unrated", "unrated_share", "hồ sơ đã giải quyết"),
           ("received_elsewhere", "received_elsewhere_share", "hồ sơ ghi rõ nơi tiếp nhận")]
SUMMARY_HEADERS = ["Chỉ tiêu", "Số hồ sơ", "Tỷ lệ", "Trên"]
SECTION_TITLE = "Trải nghiệm của người dân, tổ chức"
SECTION_INTRO = ("Trực tuyến toàn trình / một phần tính trên hồ sơ nộp trực tuyến nhận mới trong kỳ; văn bản xin lỗi "
                 "trên hồ sơ trễ hạn (cột 10 và 13 của Biểu 06); đánh giá hài lòng trên hồ sơ đã giải quyết trong kỳ "
                 "(cột 7). \"Không có dữ liệu\": tệp xuất không có cột tương ứng, không phải bằng 0.")


def summary_rows(row: dict) -> list[list[str]]:
    """[measure, count, share, base] of each summary measure (SUMMARY) of one row."""
    out = []
    for key, share, of in SUMMARY:
        value = row.get(key)
        base = x.BASE_OF[key]
        out.append([LABELS[key], value_text(row, key),
                    value_text(row, share) if share and value is not None else "",
                    f"{number(row.get(base))} {of}" if share and value is not None and row.get(base) is not None
                    else ""])
    return out


def experience_headline(total: dict) -> str:
    """One sentence for a slide: the letters of late dossiers, the ratings, online end to end, each only where the
    data carry it."""
    parts = []
    if total.get("late_with_letter") is not None and total[x.LATE_TOTAL]:
        parts.append(f"{number(total['late_with_letter'])}/{number(total[x.LATE_TOTAL])} hồ sơ trễ hạn có văn bản "
                     "xin lỗi")
    if total.get("rated"):
        pleased = total["very_satisfied"] + total["satisfied"]
        parts.append(f"{percent(pleased / total['rated'])} đánh giá hài lòng trở lên "
                     f"({number(pleased)}/{number(total['rated'])})")
    if total.get("online_full") is not None and total[x.RECEIVED_ONLINE]:
        parts.append(f"{number(total['online_full'])}/{number(total[x.RECEIVED_ONLINE])} hồ sơ trực tuyến là toàn "
                     "trình")
    if not parts:
        return "Dữ liệu không có cột văn bản xin lỗi, đánh giá hay mức độ trực tuyến để nói về trải nghiệm người dân"
    return "; ".join(parts)


# A slide's short lines: (count, its base or None, the words after it).
SLIDE_LINES = [("late_without_letter", x.LATE_TOTAL, "hồ sơ trễ hạn không có văn bản xin lỗi"),
               ("letter_after_original_due", None, "văn bản xin lỗi gửi sau ngày hẹn trả ban đầu"),
               ("rescheduled_more_than_once", None, "hồ sơ trễ hạn bị hẹn lại hơn một lần"),
               ("new_date_missed", None, "hồ sơ có văn bản xin lỗi vẫn trễ cả ngày hẹn mới"),
               ("dissatisfied", "rated", "đánh giá \"Không hài lòng\""),
               ("received_elsewhere", "receiving_known", "hồ sơ tiếp nhận ở nơi khác đơn vị giải quyết")]


def experience_lines(doc: dict) -> list[str]:
    """A slide's lines, short enough for the back row: the counts the team asks about, the national index's parts
    (the report has them whole), then what the data lack."""
    total = doc["total"]
    lines = [f"{number(total[key])}{'/' + number(total[base]) if base else ''} {words}"
             for key, base, words in SLIDE_LINES if total.get(key)]
    index = doc.get("national_index")
    if index:
        month = f"{index['month'][5:]}/{index['month'][:4]}"
        parted = sum(len(b["parts"]) for b in index["bodies"])
        lines.append(f"Bộ chỉ số QĐ 766 tháng {month}: {number(parted)} nhóm điểm chính thức chênh quá ngưỡng so với "
                     "ước tính từ hồ sơ (chi tiết trong báo cáo)" if parted else
                     f"Bộ chỉ số QĐ 766 tháng {month}: điểm chính thức và ước tính từ hồ sơ không chênh quá ngưỡng")
    missing = [LABELS[k].lower() for k, _, _ in SUMMARY if total.get(k) is None]
    if missing:
        lines.append(f"Không có dữ liệu: {', '.join(missing)}.")
    return lines


# --- The national index ------------------------------------------------------------------------------------------

MISSING_ESTIMATE = {NO_BASE: "không có hồ sơ để ước tính", NO_RATINGS: "không có dữ liệu đánh giá",
                    NOT_COVERED: "dữ liệu không phủ hết kỳ của điểm"}


def points(value, of: float) -> str:
    return f"{decimal(value, 2)}/{decimal(of, 0)}" if value is not None else DASH


def estimate_text(estimate) -> str:
    if estimate is None:
        return DASH
    if estimate.points is None:
        return MISSING_ESTIMATE[estimate.missing]
    text = f"{points(estimate.points, GROUP_BY_KEY[estimate.group].points)} ({number(estimate.base)} hồ sơ"
    if estimate.low is not None:
        text += f"; khoảng tin cậy 95%: {decimal(estimate.low, 2)}–{decimal(estimate.high, 2)}"
    return text + ")"


def body_name(body) -> str:
    return body.score.name


def index_prompts(comparison: IndexComparison) -> list[str]:
    out = []
    for body in comparison.bodies:
        for group in body.parts:
            g = GROUP_BY_KEY[group]
            gap = body.gap(group)
            official = points(body.score.groups[group], g.points)
            out.append(f"{body_name(body)}: điểm \"{g.label}\" chính thức {official}, "
                       f"ước tính từ hồ sơ {estimate_text(body.estimates[group])}: chênh {decimal(gap, 2)} điểm "
                       f"(quá {percent(PART_SHARE, 0)} điểm tối đa của nhóm). Đề nghị làm rõ số liệu đồng bộ lên Cổng "
                       "Dịch vụ công quốc gia.")
    return out


def index_notes(comparison: IndexComparison) -> list[str]:
    scores = comparison.scores
    notes = [f"Điểm chính thức tháng {scores.month}/{scores.year}, tệp {scores.file_name} (Cổng Dịch vụ công quốc "
             f"gia). Ước tính từ hồ sơ cho kỳ {date(comparison.period.start)}–{date(comparison.period.end)}, không "
             "phải điểm chính thức."]
    unstated = sorted({b.score.sheet for b in comparison.bodies if b.unit is not None and b.score.scope == UNSTATED})
    if unstated:
        notes.append(f"Trang {', '.join(chr(34) + s + chr(34) for s in unstated)} của tệp không ghi là điểm tháng hay "
                     "điểm năm lũy kế: điểm ở đó được đặt cạnh ước tính của tháng.")
    notes += [f"Ước tính \"{GROUP_BY_KEY[g].label}\" = {ESTIMATE_FORMULAS[g]}." for g in ESTIMATED]
    notes.append(f"Chỉ nêu chênh lệch khi chênh quá {percent(PART_SHARE, 0)} điểm tối đa của nhóm, ước tính dựa trên "
                 f"ít nhất {MIN_JUDGEABLE} hồ sơ và (nhóm tiến độ) điểm chính thức nằm ngoài khoảng tin cậy 95%.")
    breaks = scores.breaks
    notes.append(f"Tổng điểm = tổng sáu nhóm: đúng ở {number(len(scores.scores) - len(breaks))}/"
                 f"{number(len(scores.scores))} dòng của tệp." + (" Không khớp: " + "; ".join(
                     f"{s.name} ({s.sheet}, dòng {s.row})" for s in breaks[:10]) + "." if breaks else ""))
    return notes


def index_block(comparison: IndexComparison) -> dict:
    """The national index beside the dossiers, as JSON."""
    scores = comparison.scores
    return {"month": f"{scores.year}-{scores.month:02d}", "file": scores.file_name, "scope": comparison.scope,
            "from": comparison.period.start.isoformat(), "to": comparison.period.end.isoformat(),
            "coverage": comparison.coverage,
            "identity": {"rows": len(scores.scores), "adds_up": sum(s.adds_up is True for s in scores.scores),
                         "breaks": [{"name": s.name, "sheet": s.sheet, "row": s.row, "gap": s.identity_gap}
                                    for s in scores.breaks]},
            "formulas": {g: ESTIMATE_FORMULAS[g] for g in ESTIMATED},
            "bodies": [{"name": b.score.name, "kind": KINDS.get(b.score.kind, ""), "sheet": b.score.sheet,
                        "official": {**{g.key: b.score.groups[g.key] for g in GROUPS}, "total": b.score.total},
                        "adds_up": b.score.adds_up,
                        "unit": None if b.unit is None else ("" if b.unit == WHOLE_DATA else b.unit),
                        "whole_data": b.unit == WHOLE_DATA, "matched_by": b.how,
                        "estimates": {g: {"points": e.points, "base": e.base, "low": e.low, "high": e.high,
                                          "missing": e.missing, "label": "ước tính"}
                                      for g, e in b.estimates.items()},
                        "parts": b.parts}
                       for b in comparison.bodies if b.unit is not None],
            "unmatched_bodies": sum(b.unit is None for b in comparison.bodies),
            "prompts": index_prompts(comparison), "notes": index_notes(comparison), "rows": index_rows(comparison)}


def index_rows(comparison: IndexComparison) -> list[dict]:
    """One row per matched body and group: official, estimate, gap (for tables on screen and in files)."""
    rows = []
    for body in comparison.bodies:
        if body.unit is None:
            continue
        for g in GROUPS:
            estimate = body.estimates.get(g.key)
            rows.append({"Cơ quan (Bộ chỉ số)": body.score.name,
                         "Đơn vị trong dữ liệu": "Toàn bộ dữ liệu" if body.unit == WHOLE_DATA else body.unit,
                         "Nhóm": g.label, "Điểm chính thức": points(body.score.groups[g.key], g.points),
                         "Ước tính từ hồ sơ": estimate_text(estimate) if estimate else "không ước tính từ hồ sơ",
                         "Chênh": decimal(body.gap(g.key), 2) if estimate else DASH,
                         "Cần làm rõ": "Có" if g.key in body.parts else ""})
        rows.append({"Cơ quan (Bộ chỉ số)": body.score.name, "Đơn vị trong dữ liệu": "",
                     "Nhóm": "Tổng điểm", "Điểm chính thức": points(body.score.total, TOTAL_POINTS),
                     "Ước tính từ hồ sơ": "không ước tính (ba nhóm không tính được từ hồ sơ)", "Chênh": DASH,
                     "Cần làm rõ": "" if body.score.adds_up is not False else "Tổng khác tổng sáu nhóm"})
    return rows


# --- The document and its text --------------------------------------------------------------------------------

def experience_document(lived: x.Experience, description: str, comparison: IndexComparison | None = None) -> dict:
    """`experience --format json`: the keys of issue 19, the caveats in words, the prompts, the national index."""
    doc = {"from": lived.period.start.isoformat(), "to": lived.period.end.isoformat(), "by": lived.by,
           "total": lived.total, "groups": lived.groups,
           "caveats": [c | {"message": caveat_text(c)} for c in lived.caveats],
           "prompts": prompts(lived.total), "source": description,
           "definitions": "docs/RULES.md, \"Trải nghiệm người dân\""}
    if comparison is not None:
        doc["national_index"] = index_block(comparison)
    return doc


def experience_text(doc: dict) -> str:
    """The text `experience --format table` prints."""
    by_label = {"unit": "Đơn vị", "field": "Lĩnh vực", "level": "Cấp", "procedure": "Thủ tục"}.get(doc["by"], "")
    rows = [*doc["groups"], {"name": "Tổng cộng", **doc["total"]}]
    out = [f"TRẢI NGHIỆM NGƯỜI DÂN {date_of(doc['from'])} – {date_of(doc['to'])}", doc.get("source", ""), ""]
    for title, keys in (("Trực tuyến toàn trình / một phần", ONLINE_COLUMNS),
                        ("Văn bản xin lỗi của hồ sơ trễ hạn", LETTER_COLUMNS),
                        ("Đánh giá mức độ hài lòng (hồ sơ đã giải quyết)", RATING_COLUMNS),
                        ("Nơi tiếp nhận và đơn vị giải quyết", RECEIVING_COLUMNS)):
        out += [title.upper(), grid([by_label or "Phạm vi", *(LABELS[k] for k in keys)],
                                    [[r["name"], *(value_text(r, k) for k in keys)] for r in rows]), ""]
    if doc["prompts"]:
        out += ["GỢI Ý CHO ĐOÀN GIÁM SÁT", *(f"- {p}" for p in doc["prompts"]), ""]
    out += [f"Lưu ý: {c['message']}" for c in doc["caveats"]]
    index = doc.get("national_index")
    if index:
        out += ["", f"BỘ CHỈ SỐ PHỤC VỤ (QĐ 766) THÁNG {index['month']}"]
        for body in index["bodies"]:
            parts = ", ".join(f"{GROUP_BY_KEY[g].label}: chính thức {decimal(body['official'][g], 2)}, ước tính "
                              + (decimal(e["points"], 2) if e["points"] is not None else MISSING_ESTIMATE[e["missing"]])
                              for g, e in body["estimates"].items())
            out.append(f"- {body['name']} (tổng {decimal(body['official']['total'], 2)}/100): {parts}")
        out += [f"- {p}" for p in index["prompts"]] + [f"Lưu ý: {n}" for n in index["notes"]]
    return "\n".join(out).rstrip() + "\n"


def date_of(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"
