"""The meeting room's slides, as data: one message per slide, each with a Vietnamese headline drawn from the figures.

The presentation screen and the PowerPoint deck both draw these slides, so a leader reads the same sentences on the
projector and in the file sent round afterwards. Nothing is computed here: every number comes from SessionFigures.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from analytics.analyses.session_figures import SessionFigures
from analytics.model.session import Provenance
from analytics.model.periods import in_words
from analytics.model.unit_register import NEW, REORGANISATION
from analytics.outputs import formatting as fmt
from analytics.outputs import experience_words as lived
from analytics.outputs import judged
from analytics.outputs.boundaries_words import BOUNDARY_LABELS, BOUNDARY_SHORT
from analytics.outputs.causes import cause_sentence
from analytics.outputs.labels import REASON_LABELS
from analytics.outputs.questions import question_prompt, question_title
from analytics.outputs.reconciliation_outputs import UNKNOWN_CAUSE, difference_line, known_causes
from analytics.outputs.reported_words import break_identity, figure
from analytics.outputs.sentences import caveat_sentence

SAMPLE_WARNING = "DỮ LIỆU MẪU (tổng hợp, không phải số liệu thật)"
HEADLINE, TREND, LEVELS, ATTENTION, COMPARISON, MOST_LATE, QUESTIONS, PROVENANCE = (
    "headline", "trend", "levels", "attention", "comparison", "most_late", "questions", "provenance")
RECONCILIATION = "reconciliation"
EXPERIENCE = "experience"
MOST_DIFFERENT = 6  # reported figures the dossiers do not confirm, on a slide


@dataclass(frozen=True)
class Slide:
    key: str                      # which message (the screen and the deck draw each kind their own way)
    title: str
    headline: str                 # one Vietnamese sentence drawn from the data
    lines: tuple[str, ...] = field(default_factory=tuple)  # bullets under it


def _period_words(figures: SessionFigures) -> str:
    period = figures.period
    return period.name if period.name and not period.name.startswith("Từ ") else period.dates


def in_sentence(period) -> str:
    """A period named inside a sentence: "năm 2018", "quý I/2019", "năm 2018 và quý I/2019", or its dates."""
    return in_words(period)


def comparison_note(figures: SessionFigures) -> str | None:
    """Said plainly when the session's comparison period is not in the data (no change is shown then)."""
    asked = figures.comparison_asked
    if asked is None or figures.comparison is not None:
        return None
    return judged.comparison_gap(asked, figures.comparison_coverage, figures.data_span)


def headline_slide(figures: SessionFigures) -> Slide:
    total, rate, session = figures.total, figures.rate, figures.session
    sentence = f"{_period_words(figures)}: {fmt.percent(rate.value)} hồ sơ giải quyết đúng hạn"
    if figures.comparison is not None and figures.rate_change is not None and figures.rate_change.change_pp is not None:
        sentence += f", {judged.change_words(figures.rate_change)} so với {in_sentence(session.comparison)}"
    lines = [f"Nhận giải quyết (3): {fmt.number(total['received_total'])} hồ sơ; đã giải quyết (7): "
             f"{fmt.number(total['resolved_total'])}; đang giải quyết (11): {fmt.number(total['pending_total'])} "
             f"(quá hạn {fmt.number(total['pending_overdue'])})",
             f"{rate.definition.label} {rate.definition.formula}: {fmt.rate_sentence(rate)}",
             f"Mục tiêu: {fmt.percent(session.target)}"]
    gap = comparison_note(figures)
    if gap:
        lines.append(gap)
    return Slide(HEADLINE, "Kết quả chung", sentence + ".", tuple(lines))


def trend_slide(figures: SessionFigures) -> Slide:
    months, target = figures.trend_months, figures.session.target
    sentence = (f"{fmt.number(months.met)}/{fmt.number(months.judged)} tháng đạt mục tiêu {fmt.percent(target)} "
                "đúng hạn" if months.judged else "Chưa có hồ sơ đã giải quyết để tính tỷ lệ theo tháng")
    lines = tuple(f"{row['label']}: {fmt.percent(row['on_time_rate'])} ({fmt.number(row['numerator'])}/"
                  f"{fmt.number(row['denominator'])})" for row in months.below.to_dict("records"))
    return Slide(TREND, "Diễn biến theo tháng so với mục tiêu", sentence + ".",
                 (("Các tháng dưới mục tiêu: " + "; ".join(lines)),) if lines else ())


def levels_slide(figures: SessionFigures) -> Slide:
    levels = figures.by_level
    lines = tuple(f"{row['name']}: nhận {fmt.number(row['received_total'])}, đã giải quyết "
                  f"{fmt.number(row['resolved_total'])}, đúng hạn {fmt.percent(row['on_time_rate'])} "
                  f"({fmt.number(row['numerator'])}/{fmt.number(row['denominator'])}), đang quá hạn "
                  f"{fmt.number(row['pending_overdue'])}" for row in levels.to_dict("records"))
    if levels.empty:
        sentence = "Không có hồ sơ nào trong kỳ"
    else:
        parts = [f"{row['name']} {fmt.percent(row['on_time_rate'])}" for row in levels.to_dict("records")]
        sentence = "Tỷ lệ đúng hạn theo cấp: " + "; ".join(parts)
    return Slide(LEVELS, "Biểu 06: tổng theo cấp", sentence + ".", lines)


def attention_slide(figures: SessionFigures) -> Slide:
    attention = figures.attention
    lines = judged.attention_named_lines(attention) + judged.attention_apart_lines(attention)
    return Slide(ATTENTION, "Đơn vị cần chú ý", judged.attention_headline(attention) + ".", tuple(lines))


def comparison_slide(figures: SessionFigures) -> Slide | None:
    if figures.comparison is None:
        return None
    change, earlier = figures.comparison.total, figures.session.comparison
    a, b = change["rate_a"], change["rate_b"]
    sentence = f"So với {in_sentence(earlier)}, tỷ lệ đúng hạn {judged.change_words(figures.rate_change)}"
    lines = [f"{earlier.label}: {fmt.percent(a['value'])} ({fmt.number(a['numerator'])}/"
             f"{fmt.number(a['denominator'])})",
             f"{figures.period.label}: {fmt.percent(b['value'])} ({fmt.number(b['numerator'])}/"
             f"{fmt.number(b['denominator'])})"]
    if figures.rate_change.low_pp is not None:
        lines.append(f"Thay đổi {judged.signed_points(figures.rate_change.change_pp)}; "
                     f"{judged.interval_words(figures.rate_change)}")
    return Slide(COMPARISON, "So sánh hai kỳ", sentence + ".", tuple(lines))


def most_late_slide(figures: SessionFigures) -> Slide:
    fields, procedures = figures.most_late_fields, figures.most_late_procedures
    title = "Lĩnh vực, thủ tục nhiều hồ sơ trễ hạn nhất"
    if fields.empty:
        return Slide(MOST_LATE, title, judged.most_late_headline(fields) + ".")
    return Slide(MOST_LATE, title, judged.most_late_headline(fields) + " (đã giải quyết quá hạn và đang quá hạn).",
                 tuple(judged.most_late_lines(fields, procedures)))


def differing_lines(rec, limit: int | None = None, unknown: bool = True) -> list[str]:
    """The reported figures the dossiers do not confirm, largest difference first (Reconciliation.differing), each
    with its likely cause (with `unknown`, "ask the body" where the data show none); past `limit`, how many more."""
    differing = rec.differing()
    lines = [difference_line(rec, row, key, cell, unknown) for row, key, cell in differing[:limit]]
    if limit is not None and len(differing) > limit:
        lines.append(f"… và {fmt.number(len(differing) - limit)} số liệu khác (xem báo cáo, phần đối chiếu).")
    return lines


def reconciliation_slide(figures: SessionFigures) -> Slide | None:
    """The story of the reconciliation: the table's own sums that break, then the figures the dossiers do not
    confirm, each with its gap (and cause); what the data show of the causes."""
    rec = figures.reconciliation
    if rec is None:
        return None
    sums = rec.sum_breaks
    sentence = (f"{fmt.number(rec.differences)} số liệu biểu cơ quan báo cáo khác số tính lại từ hồ sơ; "
                f"{fmt.number(len(sums))} phép cộng của chính biểu không khớp")
    lines = [f"{b.row}: {break_identity(b)}, lệch {figure(b.gap)}" for b in sums[:MOST_DIFFERENT]]
    lines += differing_lines(rec, max(MOST_DIFFERENT - len(lines), 2), unknown=False)
    lines += [cause_sentence(c) for c in rec.causes]
    if any(not known_causes(rec, row, key) for row, key, _ in rec.differing()):
        lines.append(f"Chênh lệch chưa có nguyên nhân trong dữ liệu: {UNKNOWN_CAUSE.split(': ')[1]}.")
    return Slide(RECONCILIATION, "Đối chiếu số liệu cơ quan báo cáo", sentence + ".", tuple(lines))


def questions_slide(figures: SessionFigures) -> Slide:
    asked = [sc for sc in figures.screens if sc.count]
    lines = tuple(f"{question_title(sc)} ({fmt.number(sc.count)} hồ sơ)"
                  + (f": {', '.join(sc.units)}" if sc.units else "") + f" — {question_prompt(sc)}"
                  for sc in asked)
    sentence = (f"{fmt.number(len(asked))} điểm nên hỏi thêm (gợi ý câu hỏi, không phải kết luận sai phạm)"
                if asked else "Không có điểm bất thường nào cần hỏi thêm trong kỳ")
    return Slide(QUESTIONS, "Câu hỏi cho Đoàn giám sát", sentence + ".", lines)


def experience_slide(figures: SessionFigures) -> Slide | None:
    """Citizens' experience: the letters of late dossiers, the ratings, online end to end; what the data lack said
    beside it; the national index's parts when a month is stored."""
    if figures.experience is None:
        return None
    doc = lived.experience_document(figures.experience, "", figures.index)
    return Slide(EXPERIENCE, "Trải nghiệm của người dân", lived.experience_headline(doc["total"]) + ".",
                 tuple(lived.experience_lines(doc)))


def source_line(figures: SessionFigures, provenance: Provenance) -> str:
    """Each slide's footer: where the figures come from, in words (whose dossiers, which months, how many files)."""
    bodies = figures.session.bodies.strip() or "các cơ quan, đơn vị trong dữ liệu"
    files = len(provenance.files)
    line = (f"Nguồn: {fmt.number(files)} tệp xuất hồ sơ của {bodies}, dữ liệu {judged.span_words(figures.data_span)}"
            f" · Kỳ: {figures.period.label}")
    if figures.session.boundaries == NEW or figures.period.end >= REORGANISATION:
        line += f" · Ranh giới: {BOUNDARY_SHORT[figures.session.boundaries]}"
    return ("DỮ LIỆU MẪU · " if provenance.is_sample else "") + line


def provenance_lines(provenance: Provenance, figures: SessionFigures) -> tuple[str, ...]:
    """Where the figures come from, in words a Council reads: the files (how many, when imported), the rate, the
    scope, the caveats and the dossiers left out. Fingerprints and the software's version: provenance_details."""
    rate = figures.rate.definition
    lines = [SAMPLE_WARNING + ": mọi con số chỉ để xem thử." if provenance.is_sample else "Số liệu đã nhập:"]
    imported = sorted({f.imported_at.date() for f in provenance.files if f.imported_at})
    rows = sum(f.rows for f in provenance.files)
    lines.append(f"Tính lại từ {fmt.number(len(provenance.files))} tệp xuất hồ sơ của phần mềm một cửa"
                 + (f" ({fmt.number(rows)} dòng)" if rows else "")
                 + (f", nhập từ {fmt.date(imported[0])} đến {fmt.date(imported[-1])}" if len(imported) > 1
                    else f", nhập ngày {fmt.date(imported[0])}" if imported else "")
                 + f"; dữ liệu có hồ sơ {judged.span_words(figures.data_span)}.")
    lines += [f"Tỷ lệ: {rate.label} {rate.formula}", f"Phạm vi: {provenance.scope}",
              f"Ranh giới đơn vị: {BOUNDARY_LABELS[figures.session.boundaries]}."]
    if figures.session.fold_withdrawn:
        lines.append('Hồ sơ rút/dừng xử lý được tính vào cột (9) "Đúng hạn" (cách của một số tỉnh).')
    lines += [caveat_sentence(c) for c in figures.caveats]
    lines += [f"{REASON_LABELS[r]}: {fmt.number(n)}" for r, n in figures.left_out.items() if n]
    lines += list(provenance.notes)
    return tuple(lines)


def provenance_details(provenance: Provenance) -> tuple[str, ...]:
    """For an appendix or a slide's notes: each file with its SHA-256 fingerprint, when it was imported, its rows;
    when the output was made and by which version of the software."""
    lines = [f"{f.name} — SHA-256 {f.sha256}" + (f", nhập {f.imported_at:%d/%m/%Y %H:%M}" if f.imported_at else "")
             + (f", {fmt.number(f.rows)} dòng" if f.rows else "") for f in provenance.files]
    lines.append(f"Lập lúc {provenance.made_at:%H:%M ngày %d/%m/%Y}, phần mềm giám sát một cửa phiên bản "
                 f"{provenance.version}.")
    return tuple(lines)


def deck(figures: SessionFigures, provenance: Provenance) -> list[Slide]:
    """The slides in the meeting's order; the last one says where the figures come from."""
    slides = [headline_slide(figures), trend_slide(figures), levels_slide(figures), attention_slide(figures),
              comparison_slide(figures), reconciliation_slide(figures), most_late_slide(figures),
              experience_slide(figures), questions_slide(figures),
              Slide(PROVENANCE, "Nguồn số liệu", "Mọi con số được tính lại từ từng hồ sơ trong các tệp xuất của phần "
                                                 "mềm một cửa, không lấy từ báo cáo của đơn vị.",
                    provenance_lines(provenance, figures))]
    return [s for s in slides if s is not None]
