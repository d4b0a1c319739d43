"""What the written report of a supervision session says: its header, title, headings, sentences and table rows, as
plain strings and lists. `report_docx` lays them out with python-docx; nothing here knows about fonts or pages, so
every sentence and row can be tested without opening a document.

The form is a "báo cáo" under Nghị định 30/2020/NĐ-CP, Phụ lục I: the parent body over the issuing team, the number
and ký hiệu, the place and date, the document type with its trích yếu (no "V/v": that is a công văn's), the sections
I–IV, the signature block with nơi nhận, then an appendix ("PHỤ LỤC") that says where the figures come from. The body
carries no session code, file name, fingerprint or software version: those are the appendix's.

Every sentence that judges (a unit below target, a change between periods, "most late") comes from
`outputs.judged` and `outputs.slides`, which word the rules of `analyses.judgements`; nothing here words a judgement
a second time. Numbers come from SessionFigures, formatted by `formatting`.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path


from analytics.analyses import catalog_audit
from analytics.analyses.bieu06 import COUNT_KEYS, online_share, received_by_channel
from analytics.analyses.judgements import FALL
from analytics.analyses.late import LATE_COUNTS, late_totals
from analytics.analyses.session_figures import SessionFigures
from analytics.analyses.boundaries import reorganisation_warnings
from analytics.model.legal_bases import SUPERVISION, cited
from analytics.model.recommendations import DONE, IN_PROGRESS, NOT_STARTED
from analytics.model.periods import Period, in_words
from analytics.model.session import Provenance, SupervisionSession
from analytics.outputs import formatting as fmt
from analytics.outputs import judged
from analytics.outputs.causes import cause_sentence
from analytics.outputs.labels import (
    AUDIT_LABELS,
    COLUMN_GROUPS,
    COLUMN_HEADERS,
    COLUMN_NUMBERS,
    FORM_NAME,
    LATE_TABLE_LABELS,
    RATE_HEADER,
    ROW_HEADER,
    TOTAL_ROW,
)
from analytics.outputs.boundaries_words import BOUNDARY_LABELS, warning_sentence
from analytics.outputs.reconciliation_outputs import context_lines, known_causes, summary_lines
from analytics.outputs.reported_words import (
    IN_DOCUMENT,
    break_identity,
    figure,
    reconciliation_notes,
    unmatched_reason,
)
from analytics.outputs.sentences import headline_sentence, table_notes
from analytics.outputs.slides import (
    attention_slide,
    comparison_note,
    comparison_slide,
    differing_lines,
    headline_slide,
    in_sentence,
    levels_slide,
    most_late_slide,
    provenance_details,
    provenance_lines,
    questions_slide,
    trend_slide,
)
from analytics.outputs.text_tables import rate_note

# --- The fixed words of the form --------------------------------------------------------------------------------

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
KIND = "BÁO CÁO"                       # the document type (tên loại); its trích yếu goes under it
KIND_CODE = "BC"                       # in the ký hiệu: BC-ĐGS
DOTS = "……"                            # a figure the clerk writes in
FILL = "…" * 30                        # a line to write on, as wide as the text
NAME_LINE = "…" * 18                   # the signer's name, when the session does not give it
DRAFT_MARK = "DỰ THẢO"
DRAFT_NOTE = ("DỰ THẢO – Đoàn giám sát cần xem lại và sửa: các nhận định dưới đây được soạn tự động từ số liệu, "
              "chưa phải kết luận của Đoàn.")
SAMPLE_NOTE = "Báo cáo này lập từ dữ liệu mẫu: mọi con số chỉ để xem thử, không dùng để báo cáo thật."
NO_COMPARISON = "Đợt giám sát không có kỳ so sánh."
WORKBOOK_LIST = "Danh sách đầy đủ trong sổ tính kèm theo."
APPENDIX_TITLE = "PHỤ LỤC"
APPENDIX_SUBTITLE = "NGUỒN SỐ LIỆU VÀ CÁCH TÍNH"
RECIPIENTS_TITLE = "Nơi nhận:"
SIGNER_POSITION = "TRƯỞNG ĐOÀN"

# Section titles (Heading 1 / 2 / 3 in the document).
PURPOSE, RESULTS, SHORTCOMINGS, RECOMMENDATIONS_TITLE = (
    "I. MỤC ĐÍCH, PHẠM VI GIÁM SÁT", "II. KẾT QUẢ GIÁM SÁT", "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "IV. KIẾN NGHỊ")
PURPOSE_PARTS = ("1. Mục đích", "2. Phạm vi, nội dung")
OVERALL = "1. Kết quả chung"
BIEU06 = f"2. Kết quả giải quyết thủ tục hành chính theo {FORM_NAME}"
LATE = "3. Hồ sơ trễ hạn và việc xin lỗi người dân, tổ chức"
LATE_PARTS = (("a) Theo cơ quan giải quyết", "Cơ quan giải quyết"), ("b) Theo lĩnh vực", "Lĩnh vực"))
CHANNELS = "4. Hình thức tiếp nhận hồ sơ"
COMPARISON = "5. So sánh với kỳ trước"
CATALOG = "6. Đối chiếu với danh mục thủ tục hành chính"
RECONCILIATION = "7. Đối chiếu số liệu cơ quan báo cáo với số liệu tính lại từ hồ sơ"
FOLLOW_UP = "8. Kết quả thực hiện kiến nghị giám sát lần trước"
STATUS_LABELS = {NOT_STARTED: "chưa thực hiện", IN_PROGRESS: "đang thực hiện", DONE: "đã thực hiện"}
SHORTCOMING_PARTS = ("1. Tồn tại, hạn chế", "2. Những điểm cần làm rõ với đơn vị", "3. Nguyên nhân")
CAUSES = ("a) Nguyên nhân khách quan", "b) Nguyên nhân chủ quan")
NOT_ESTABLISHED = "Chưa đủ căn cứ để nêu là tồn tại (Đoàn xem xét thêm khi làm việc với đơn vị):"
RECOMMENDATIONS = ("Đối với Ủy ban nhân dân cấp trên", "Đối với {bodies}",
                   "Đối với các cơ quan, đơn vị trực tiếp giải quyết thủ tục hành chính")

LATE_KEYS = LATE_COUNTS  # the late tables' columns after the name, in the core's order
CHANNEL_HEADERS = ["Hình thức nộp", "Nhận trong kỳ (4) + (5)", "Từ kỳ trước (6)", "Đã giải quyết (7)", RATE_HEADER]
COMPARISON_HEADERS = ["Kỳ", "Nhận giải quyết (3)", "Đã giải quyết (7)", RATE_HEADER, "Khoảng tin cậy 95%",
                      "Đang quá hạn (13)"]
UNUSED_FIELDS_SHOWN = 8  # fields with the most unused procedures named in the body; the others summed in one row


@dataclass(frozen=True)
class Table:
    """A table as the report prints it: headers, body rows, and a total row (printed bold) when it has one."""
    headers: list[str]
    rows: list[list[str]]
    total: list[str] | None = None


@dataclass(frozen=True)
class Header:
    """The first lines of the document (Nghị định 30/2020, Phụ lục I, ô 1–4)."""
    parent: str          # the parent body in capitals, or dots to fill in: "HĐND TỈNH LẠNG SƠN"
    issuer: str          # the issuing body in capitals: "ĐOÀN GIÁM SÁT"
    number: str          # "Số: ……/BC-ĐGS"
    nation: str
    motto: str
    place_date: str      # "Lạng Sơn, ngày …… tháng …… năm 20……"


@dataclass(frozen=True)
class Finding:
    """A drafted shortcoming and the lines under it."""
    text: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signature:
    recipients: tuple[str, ...]   # under "Nơi nhận:", the last one ending with "."
    authority: str                # "TM. ĐOÀN GIÁM SÁT"
    position: str                 # "TRƯỞNG ĐOÀN"
    name: str                     # the signer, or a dotted line


@dataclass(frozen=True)
class Appendix:
    title: str
    subtitle: str
    attached_to: str              # "(Kèm theo Báo cáo số …/BC-ĐGS ngày … của Đoàn giám sát)"
    sources_title: str
    sources: tuple[str, ...]      # provenance in words (slides.provenance_lines)
    files_title: str
    files: tuple[str, ...]        # each file with its SHA-256, when made, the software's version, the catalog


# --- Words ------------------------------------------------------------------------------------------------------

def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).split())


def lower_first(text: str) -> str:
    """"Giám sát …" -> "giám sát …"; an abbreviation keeps its capitals ("UBND …", "HĐND …")."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def period_text(period: Period) -> str:
    """"Năm 2018 và quý I/2019 (01/01/2018 – 31/03/2019)"; "Quý I/2019 (01/01/2019 – 31/03/2019)"."""
    words = in_words(period)
    return upper_first(words) if words.startswith("từ ") else f"{upper_first(words)} ({period.dates})"


# --- Header and title -------------------------------------------------------------------------------------------

_TEAM_HEAD = re.compile(r"^(đoàn giám sát)(?:\s+của)?\s+(.+)$", re.IGNORECASE)
_PLACE = re.compile(r"\b(?:tỉnh|thành phố|tp\.?|huyện|quận|thị xã|xã|phường|thị trấn)\s+(.+)$", re.IGNORECASE)


def team_parts(session: SupervisionSession) -> tuple[str, str]:
    """(parent body, issuing body) in the team's own words. The team often reads "Đoàn giám sát HĐND tỉnh Lạng
    Sơn": the issuing body is the team itself ("Đoàn giám sát"), its parent the body after it. The session's
    `parent_body` wins; with neither, the parent is empty (dots in the header)."""
    team, parent = _clean(session.team), _clean(session.parent_body)
    if not team:
        return parent, "Đoàn giám sát"
    if parent and team.casefold().endswith(parent.casefold()) and len(team) > len(parent):
        own = re.sub(r"\s+của$", "", team[:len(team) - len(parent)].strip(), flags=re.IGNORECASE)
        return parent, own or team
    found = _TEAM_HEAD.match(team)
    if found:
        return parent or found.group(2), upper_first(found.group(1))
    return parent, team


def place(session: SupervisionSession) -> str:
    """The địa danh of the date line: the province (or district, commune) of the parent body, else dots."""
    parent, _ = team_parts(session)
    found = _PLACE.search(parent)
    return found.group(1) if found else DOTS * 3


def symbol(issuer: str) -> str:
    """The issuing body's abbreviation in the ký hiệu: "Đoàn giám sát" -> "ĐGS"."""
    return "".join(word[0].upper() for word in issuer.split() if word[0].isalpha()) or "ĐGS"


def header(session: SupervisionSession) -> Header:
    parent, issuer = team_parts(session)
    day = session.report_date
    when = f"ngày {DOTS} tháng {DOTS} năm 20{DOTS}" if day is None else dated(day)
    return Header(parent=parent.upper() if parent else DOTS * 5, issuer=issuer.upper(),
                  number=f"Số: {DOTS}/{KIND_CODE}-{symbol(issuer)}", nation=NATION, motto=MOTTO,
                  place_date=f"{place(session)}, {when}")


def dated(day: dt.date) -> str:
    """"ngày 14 tháng 5 năm 2019", "ngày 05 tháng 02 năm 2026" (Nghị định 30/2020: a zero before a day under 10 and
    before the months 1 and 2)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def legal_bases(figures: SessionFigures, provenance: Provenance) -> list[str]:
    """"Căn cứ …;" per text the report cites (model.legal_bases: the supervision law in force on the report's date,
    the one-stop, forms and statistics texts in force during the period, each when the period spans a change)."""
    day = figures.session.report_date or provenance.made_at.date()
    texts = cited(list(provenance.legal_texts), day, figures.period)
    out = []
    for text in texts:
        both = [t for t in texts if t.kind == text.kind]
        when = ""
        if len(both) > 1 and text.kind != SUPERVISION:
            when = (f", đối với hồ sơ đến ngày {fmt.date(text.in_force_to)}" if text.in_force_to and
                    text.in_force_to < figures.period.end else
                    f", đối với hồ sơ từ ngày {fmt.date(text.in_force_from)}" if text.in_force_from else "")
        out.append(f"Căn cứ {text.title} ({text.number}{when});")
    return out


def subject(session: SupervisionSession) -> str:
    """The trích yếu under "BÁO CÁO", from the session's heading: "Kết quả giám sát chuyên đề …". It neither starts
    with "V/v" (a công văn's) nor repeats "Báo cáo"."""
    heading = _clean(session.heading)
    heading = re.sub(r"^(?:v/v|về việc|báo cáo)\s+", "", heading, flags=re.IGNORECASE)
    if re.match(r"kết quả\b", heading, re.IGNORECASE):
        return upper_first(heading)
    if re.match(r"giám sát\b", heading, re.IGNORECASE):
        return "Kết quả " + lower_first(heading)
    return "Kết quả giám sát " + lower_first(heading)


def introduction(session: SupervisionSession) -> str:
    parent, issuer = team_parts(session)
    by = f" của {parent}" if parent else ""
    return (f"Thực hiện Nghị quyết số {DOTS}/NQ-HĐND ngày {DOTS}{by} về việc thành lập Đoàn giám sát, {issuer} "
            f"báo cáo {lower_first(subject(session))} như sau:")


# --- I. Purpose and scope ---------------------------------------------------------------------------------------

def purpose_text(figures: SessionFigures) -> str:
    bodies = _clean(figures.session.bodies) or "các cơ quan được giám sát"
    return (f"Đánh giá việc tiếp nhận, giải quyết thủ tục hành chính tại {bodies} trong "
            f"{in_sentence(figures.period)}: số hồ sơ nhận, đã và đang giải quyết theo {FORM_NAME}, tỷ lệ giải "
            "quyết đúng hạn, hồ sơ trễ hạn và việc xin lỗi người dân, tổ chức; chỉ ra tồn tại, hạn chế và kiến nghị "
            "khắc phục.")


def scope_lines(figures: SessionFigures, provenance: Provenance) -> list[tuple[str, str]]:
    """(label, value) of the session's scope: whom, when, against what, which units, which rate and target, and the
    choices that change counts. No session code and no file name: those are the appendix's."""
    session, rate = figures.session, figures.rate.definition
    asked = figures.comparison_asked
    if asked is None:
        earlier = "Không so sánh"
    elif figures.comparison is None:
        earlier = f"{period_text(asked)}: dữ liệu không có kỳ này, không so sánh (xem mục II.5)"
    else:
        earlier = period_text(asked)
    units = (", ".join(session.units) if session.units
             else f"Tất cả đơn vị có hồ sơ trong dữ liệu ({fmt.number(len(figures.by_unit))} đơn vị)")
    lines = [("Cơ quan được giám sát", _clean(session.bodies) or DOTS * 3),
             ("Thời kỳ giám sát", period_text(figures.period)),
             ("Kỳ so sánh", earlier),
             ("Đơn vị trong phạm vi", units),
             ("Lọc dữ liệu", provenance.scope),
             ("Cách tính tỷ lệ đúng hạn", f"{rate.label}, công thức {rate.formula} (số cột của {FORM_NAME})"
              + ("; đây là ước tính, không phải điểm chính thức" if rate.estimate else "")),
             ("Mục tiêu", f"{fmt.percent(session.target)} hồ sơ giải quyết đúng hạn")]
    if session.catalog:
        lines.append(("Danh mục thủ tục hành chính", "đối chiếu với danh mục thủ tục hành chính đã công bố"
                      + ("; hồ sơ thiếu ngày hẹn trả được tính hạn theo thời hạn trong danh mục"
                         if session.fill_due_dates else "")))
    if session.fold_withdrawn:
        lines.append(("Hồ sơ rút, dừng xử lý", 'tính vào cột (9) "Đúng hạn" (cách của một số tỉnh)'))
    if session.follows_cutoff:
        lines.append(("Tháng báo cáo", "theo ngày chốt số liệu của Nghị định 09/2019/NĐ-CP (từ ngày 15 tháng "
                                       "trước đến ngày 14)"))
    lines.append(("Ranh giới đơn vị", BOUNDARY_LABELS[session.boundaries]))
    periods = [figures.period] + ([asked] if figures.comparison is not None and asked is not None else [])
    lines += [("Lưu ý", warning_sentence(w)) for w in reorganisation_warnings(periods)]
    return lines


# --- II. Results ------------------------------------------------------------------------------------------------

def overall(figures: SessionFigures) -> list[tuple[str, list[str]]]:
    """(a sentence, the lines under it) for II.1: the headline with its counts, the months against the target,
    the levels. The first sentence is the headline (printed bold)."""
    headline, trend, levels = headline_slide(figures), trend_slide(figures), levels_slide(figures)
    return [(headline.headline, []),
            (headline_sentence(figures.total, figures.period, figures.rate), list(headline.lines)),
            (f"Theo tháng: {trend.headline}", list(trend.lines)),
            (f"Theo cấp: {levels.headline}", list(levels.lines))]


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


def bieu06_caption(figures: SessionFigures) -> str:
    return f"Kỳ báo cáo: {period_text(figures.period)}. Đơn vị tính: hồ sơ."


def body_caveats(figures: SessionFigures) -> list:
    """The caveats as the body prints them: without the files' names (those are in the appendix)."""
    return [dataclasses.replace(c, files=()) for c in figures.caveats]


def bieu06_notes(figures: SessionFigures) -> list[str]:
    notes = [rate_note(figures.table), "Cột (14) \"Rút / dừng xử lý\" thêm vào để (3) = (7) + (11) + (14)."]
    found = body_caveats(figures)
    notes += table_notes(found, figures.left_out)
    if any(c.files for c in figures.caveats):
        notes.append("Tên các tệp thiếu cột: xem Phụ lục.")
    return notes


def late_intro(figures: SessionFigures) -> str:
    if figures.late_by_unit.empty:
        return "Không có hồ sơ giải quyết quá hạn hay đang quá hạn trong kỳ."
    return ("Hồ sơ giải quyết quá hạn (cột 10) và đang giải quyết quá hạn (cột 13) đến "
            f"{fmt.date(figures.period.end)}, số có thư xin lỗi:")


def late_tables(figures: SessionFigures) -> list[tuple[str, Table]]:
    """(sub-heading, table) of the late dossiers by unit and by field, each with its column totals."""
    if figures.late_by_unit.empty:
        return []
    out = []
    for (title, first), late in zip(LATE_PARTS, (figures.late_by_unit, figures.late_by_field)):
        rows = [[str(row["name"]), *(fmt.number(row[k]) for k in LATE_KEYS)] for row in late.to_dict("records")]
        sums = late_totals(late)  # the column sums come from the core (analyses.late)
        out.append((title, Table([first, *(LATE_TABLE_LABELS[k] for k in LATE_KEYS)], rows,
                                 [TOTAL_ROW, *(fmt.number(sums[k]) for k in LATE_KEYS)])))
    return out


def channel_table(figures: SessionFigures) -> Table:
    """Per channel: received in the period ((4) + (5)), carried over (6), resolved (7), on-time rate."""
    channels = figures.by_channel
    received = received_by_channel(channels)["count"].tolist() if len(channels) else []
    rows = [[str(row["name"]), fmt.number(count), fmt.number(row["carried_over"]), fmt.number(row["resolved_total"]),
             f"{fmt.percent(row['on_time_rate'])} ({fmt.number(row['numerator'])}/{fmt.number(row['denominator'])})"]
            for row, count in zip(channels.to_dict("records"), received)]
    return Table(CHANNEL_HEADERS, rows)


def online_share_sentence(figures: SessionFigures) -> str:
    share, online, received = online_share(figures.total)
    return (f"Tỷ lệ hồ sơ nộp trực tuyến: {fmt.percent(share)} ({fmt.number(online)}/{fmt.number(received)} hồ sơ "
            f"nhận trong kỳ, cột (4) trên (4) + (5)).")


def _rate_interval(ci) -> str:
    return f"{fmt.percent(ci[0])} – {fmt.percent(ci[1])}" if ci else fmt.DASH


def _points_interval(ci) -> str:
    return f"{judged.signed(ci[0])} đến {judged.signed(ci[1])} điểm %" if ci else fmt.DASH


def comparison_table(figures: SessionFigures) -> Table | None:
    """The comparison period, the supervision period and the change: received (3), resolved (7), the rate with its
    95% interval, pending overdue (13). Counts are set against each other only when the periods are of the same
    length (`counts_comparable`); otherwise their change is "—" and comparison_lines says why."""
    comparison = figures.comparison
    if comparison is None:
        return None
    change = comparison.total
    rows = []
    for period, table, rate in ((figures.comparison_asked, comparison.a, change["rate_a"]),
                                (figures.period, comparison.b, change["rate_b"])):
        rows.append([period_text(period), fmt.number(table.total["received_total"]),
                     fmt.number(table.total["resolved_total"]),
                     f"{fmt.percent(rate['value'])} ({fmt.number(rate['numerator'])}/"
                     f"{fmt.number(rate['denominator'])})", _rate_interval(rate["ci95"]), fmt.number(table.total["pending_overdue"])])
    counts = figures.counts_comparable

    def count_change(key: str) -> str:
        return fmt.signed_number(change[key]) if counts else fmt.DASH

    rows.append(["Thay đổi (kỳ giám sát − kỳ so sánh)", count_change("received_total"),
                 count_change("resolved_total"), judged.signed_points(figures.rate_change.change_pp),
                 _points_interval(change["rate_change_ci95"]), count_change("pending_overdue")])
    return Table(COMPARISON_HEADERS, rows)


def overdue_line(figures: SessionFigures) -> str | None:
    """The share pending overdue at the end of each period, only when it rose or fell (judged.overdue_sentence)."""
    if figures.comparison is None:
        return None
    return judged.overdue_sentence(figures.overdue_change, figures.comparison_asked, figures.period,
                                   figures.comparison.a.total, figures.total)


def comparison_lines(figures: SessionFigures) -> list[str]:
    """II.5 in words: no comparison; a comparison the data do not cover (said plainly, no change); or the change of
    the rate as the judgements allow, why counts are not compared when the periods differ in length, and the share
    pending overdue when it changed."""
    if figures.comparison_asked is None:
        return [NO_COMPARISON]
    if figures.comparison is None:
        return [comparison_note(figures)]
    earlier = figures.comparison_asked
    lines = [f"So với {in_sentence(earlier)}, tỷ lệ đúng hạn {judged.change_with_evidence(figures.rate_change)}."]
    if not figures.counts_comparable:
        lines.append(f"Hai kỳ không cùng độ dài ({in_words(earlier)} và {in_sentence(figures.period)}) nên không so "
                     "sánh số hồ sơ giữa hai kỳ (ô thay đổi ghi \"—\"); chỉ so sánh tỷ lệ.")
    overdue = overdue_line(figures)
    if overdue:
        lines.append(overdue)
    return lines


def unused_table(figures: SessionFigures) -> Table | None:
    """The unused procedures by field (and level), the fields with most first and the others in one row; the full
    list is in the workbook, not in the report."""
    if figures.audit is None:
        return None
    counts = catalog_audit.unused_by_field(figures.audit[catalog_audit.UNUSED_PROCEDURES]["items"])
    if counts.empty:
        return None
    levels = [c for c in counts.columns if c != "total"]
    shown, rest = counts.iloc[:UNUSED_FIELDS_SHOWN], counts.iloc[UNUSED_FIELDS_SHOWN:]
    rows = [[str(name), *(fmt.number(row[c]) for c in levels), fmt.number(row["total"])]
            for name, row in shown.iterrows()]
    if len(rest):
        rows.append([f"Các lĩnh vực khác ({fmt.number(len(rest))} lĩnh vực)",
                     *(fmt.number(rest[c].sum()) for c in levels), fmt.number(rest["total"].sum())])
    total = [TOTAL_ROW, *(fmt.number(counts[c].sum()) for c in levels), fmt.number(counts["total"].sum())]
    return Table(["Lĩnh vực", *levels, "Tổng số"], rows, total)


def catalog_lines(figures: SessionFigures) -> list[str]:
    """The catalog audit in sentences: unused procedures by level (the list is in the workbook), due dates longer
    than the law, computed ones."""
    audit = figures.audit
    if audit is None:
        return []
    unused = audit[catalog_audit.UNUSED_PROCEDURES]
    by_level = "; ".join(f"{level}: {fmt.number(n)}" for level, n in unused["by_level"].items() if n)
    lines = [f"{AUDIT_LABELS[catalog_audit.UNUSED_PROCEDURES]} trong {in_sentence(figures.period)}: "
             f"{fmt.number(unused['count'])} thủ tục" + (f" ({by_level})" if by_level else "") + "."
             + (f" {WORKBOOK_LIST}" if unused["count"] else "")]
    later = audit[catalog_audit.DUE_LATER_THAN_LEGAL]["count"]
    lines.append(f"{AUDIT_LABELS[catalog_audit.DUE_LATER_THAN_LEGAL]}: {fmt.number(later)} hồ sơ.")
    computed = audit[catalog_audit.DUE_DATES_COMPUTED]
    if computed:
        lines.append(f"{AUDIT_LABELS[catalog_audit.DUE_DATES_COMPUTED]}: {fmt.number(computed)} hồ sơ.")
    return lines


def reconciliation_lines(figures: SessionFigures) -> list[tuple[str, list[str]]]:
    """(a sentence, bullets under it) of II.7, the reported table beside the recomputed figures: the story first
    (the table's own sums that break, the figures the dossiers do not confirm, each with its gap and likely cause),
    then the structure as read and the rest. The reported file's name is the appendix's; the body says its sheet."""
    rec = figures.reconciliation
    if rec is None:
        return []
    context = [f"Biểu cơ quan báo cáo, trang \"{rec.table.sheet}\" (tên tệp ở Phụ lục)",
               *context_lines(rec)[1:2]]  # the period and grouping; the file is the appendix's
    out = [(summary_lines(rec)[0], context)]
    if rec.sum_breaks:
        out.append(("Biểu tự không khớp phép cộng (dòng tổng cộng, dòng cộng so với tổng các dòng đơn vị của nó):",
                    [f"{b.row}: {break_identity(b)}, chênh {figure(b.gap)}" for b in rec.sum_breaks]))
    differing = differing_lines(rec, unknown=False)
    if differing:
        unknown = sum(not known_causes(rec, row, key) for row, key, _ in rec.differing())
        out.append(("Số liệu báo cáo khác số tính lại từ hồ sơ:", differing + (
            [f"{fmt.number(unknown)} chênh lệch trên chưa có nguyên nhân trong dữ liệu: cần hỏi đơn vị báo cáo."]
            if unknown else [])))
    others = [b for b in rec.breaks if b not in rec.sum_breaks]
    if others:
        out.append(("Trong từng dòng, biểu không khớp các đẳng thức sau:",
                    [f"{b.row}: {break_identity(b)}, chênh {figure(b.gap)}" for b in others]))
    rest = [f"Nguyên nhân có thể: {cause_sentence(cause)}" for cause in rec.causes]
    rest += [f"Dòng \"{item.name}\" của biểu chưa khớp với đơn vị nào trong dữ liệu: "
             f"{unmatched_reason(item, IN_DOCUMENT)}" for item in rec.unmatched_reported]
    rest += reconciliation_notes(rec, IN_DOCUMENT)
    if rest:
        out.append(("", rest))
    return out


def follow_up_lines(figures: SessionFigures, provenance: Provenance) -> list[str]:
    """II.8: each recommendation of an earlier supervision with what the body answered; the open ones past their
    deadline first (as of the report's date)."""
    day = figures.session.report_date or provenance.made_at.date()
    recs = sorted(figures.follow_up, key=lambda r: (not r.overdue_on(day), r.asked_on, r.rec_id or 0))
    out = []
    for rec in recs:
        deadline = f"hạn thực hiện {fmt.date(rec.deadline)}; " if rec.deadline else ""
        answer = (f"; cơ quan trả lời ngày {fmt.date(rec.answered_on)}: {_clean(rec.answer)}" if rec.answered_on
                  else f"; {_clean(rec.answer)}" if rec.answer else "")
        late = " — QUÁ HẠN" if rec.overdue_on(day) else ""
        out.append(f"Kiến nghị {rec.body} ({rec.session}, {fmt.date(rec.asked_on)}): {_clean(rec.text)} "
                   f"({deadline}hạn báo cáo kết quả {fmt.date(rec.report_due)}). Tình hình: "
                   f"{STATUS_LABELS.get(rec.status, rec.status)}{answer}{late}.")
    return out


# --- III. Shortcomings, IV. Recommendations ---------------------------------------------------------------------

def shortcomings(figures: SessionFigures) -> list[Finding]:
    """The shortcomings the judgements allow, drafted: units named for attention (below the funnel's limits, with
    enough dossiers to judge) with their flag; a significant fall of the on-time rate; a significant change of the
    share pending overdue; the fields and procedures with most late dossiers, each with its rate. A comparison the
    data do not cover gives no finding."""
    out = []
    attention = figures.attention
    if not attention.empty:
        slide = attention_slide(figures)
        out.append(Finding(slide.headline, tuple(judged.attention_named_lines(attention))))
    change = figures.rate_change
    if figures.comparison is not None and change is not None and change.code == FALL:
        out.append(Finding(comparison_slide(figures).headline,
                           (f"Tỷ lệ đúng hạn: {judged.change_with_evidence(change)}.",)))
    overdue = overdue_line(figures)
    if overdue:
        out.append(Finding(overdue))
    if not figures.most_late_fields.empty:
        slide = most_late_slide(figures)
        out.append(Finding(slide.headline, slide.lines))
    return out


def not_established(figures: SessionFigures) -> list[str]:
    """What the figures do not establish, said apart from the shortcomings: units below the target within the
    funnel's limits (random variation), units too small to judge (counted, not named), a change of the rate that
    its interval does not support."""
    lines = judged.attention_apart_lines(figures.attention)
    change = figures.rate_change
    if figures.comparison is not None and change is not None and not change.significant:
        lines.append(f"Tỷ lệ đúng hạn so với {in_words(figures.comparison_asked)}: "
                     f"{judged.change_with_evidence(change)}")
    return lines


def no_shortcoming_line() -> str:
    return ("Số liệu không cho thấy tồn tại nào đủ căn cứ để nêu; Đoàn bổ sung từ kết quả làm việc trực tiếp với "
            "đơn vị.")


def questions(figures: SessionFigures) -> tuple[str, list[str]]:
    """The inspection prompts with dossiers behind them, as questions to put to the units."""
    slide = questions_slide(figures)
    return slide.headline, list(slide.lines)


def recommendation_headings(figures: SessionFigures) -> list[str]:
    bodies = _clean(figures.session.bodies) or "cơ quan được giám sát"
    return [f"{n}. {heading.format(bodies=bodies)}" for n, heading in enumerate(RECOMMENDATIONS, start=1)]


# --- Signature and appendix -------------------------------------------------------------------------------------

def signature(session: SupervisionSession) -> Signature:
    parent, issuer = team_parts(session)
    bodies = _clean(session.bodies)
    recipients = (f"- Thường trực {parent};" if parent else "- Thường trực HĐND;",
                  f"- {bodies};" if bodies else "- Các cơ quan được giám sát;",
                  "- Thành viên Đoàn giám sát;",
                  f"- Lưu: VT, {issuer}.")
    return Signature(recipients, f"TM. {issuer.upper()}", SIGNER_POSITION, _clean(session.signer) or NAME_LINE)


def appendix(figures: SessionFigures, provenance: Provenance) -> Appendix:
    """Where the figures come from: in words (files, rate, scope, caveats, dossiers left out), then each file with
    its SHA-256 fingerprint, the catalog, when the report was made and by which version of the software."""
    _, issuer = team_parts(figures.session)
    files = list(provenance_details(provenance))
    if figures.session.catalog:
        files.insert(len(files) - 1, f"Danh mục thủ tục hành chính đối chiếu: {Path(figures.session.catalog).name}")
    if figures.reconciliation is not None:
        table = figures.reconciliation.table
        files.insert(len(files) - 1, f"Biểu cơ quan báo cáo: {table.file} — SHA-256 {table.sha256}")
    return Appendix(APPENDIX_TITLE, APPENDIX_SUBTITLE,
                    f"(Kèm theo Báo cáo số {DOTS}/{KIND_CODE}-{symbol(issuer)} "
                    + (dated(figures.session.report_date) if figures.session.report_date else
                       f"ngày {DOTS} tháng {DOTS} năm 20{DOTS}") + f" của {issuer})",
                    "1. Số liệu và cách tính", provenance_lines(provenance, figures),
                    "2. Tệp dữ liệu và mã băm SHA-256", tuple(files))
