"""The meeting room's slides, as data: one message per slide, each with a Vietnamese headline drawn from the figures.

The presentation screen and the PowerPoint deck both draw these slides, so a leader reads the same sentences on the
projector and in the file sent round afterwards. Nothing is computed here: every number comes from SessionFigures.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from analytics.analyses.session_figures import SessionFigures
from analytics.model.session import Provenance
from analytics.outputs import formatting as fmt
from analytics.outputs.labels import REASON_LABELS
from analytics.outputs.reconciliation_outputs import key_label
from analytics.outputs.sentences import caveat_sentence

SAMPLE_WARNING = "DỮ LIỆU MẪU (tổng hợp, không phải số liệu thật)"
HEADLINE, TREND, LEVELS, ATTENTION, COMPARISON, MOST_LATE, QUESTIONS, PROVENANCE = (
    "headline", "trend", "levels", "attention", "comparison", "most_late", "questions", "provenance")
RECONCILIATION = "reconciliation"
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
    """A period named inside a sentence: "năm 2018", "quý I/2019", or its dates."""
    name = period.name if period.name and not period.name.startswith("Từ ") else ""
    return name[:1].lower() + name[1:] if name else period.dates


def _points(change_pp: float | None) -> str:
    if change_pp is None:
        return ""
    if abs(change_pp) < 0.05:
        return "không đổi"
    return ("tăng " if change_pp > 0 else "giảm ") + fmt.decimal(abs(change_pp), 1) + " điểm %"


def headline_slide(figures: SessionFigures) -> Slide:
    total, rate, session = figures.total, figures.rate, figures.session
    sentence = f"{_period_words(figures)}: {fmt.percent(rate.value)} hồ sơ giải quyết đúng hạn"
    if figures.comparison is not None:
        change = _points(figures.comparison.total["rate_change_pp"])
        if change:
            sentence += f", {change} so với {in_sentence(session.comparison)}"
    lines = (f"Nhận giải quyết (3): {fmt.number(total['received_total'])} hồ sơ; đã giải quyết (7): "
             f"{fmt.number(total['resolved_total'])}; đang giải quyết (11): {fmt.number(total['pending_total'])} "
             f"(quá hạn {fmt.number(total['pending_overdue'])})",
             f"{rate.definition.label} {rate.definition.formula}: {fmt.rate_sentence(rate)}",
             f"Mục tiêu: {fmt.percent(session.target)}")
    return Slide(HEADLINE, "Kết quả chung", sentence + ".", lines)


def trend_slide(figures: SessionFigures) -> Slide:
    trend, target = figures.trend, figures.session.target
    judged = trend[trend["on_time_rate"].notna()]
    met = int((judged["on_time_rate"] >= target).sum())
    sentence = (f"{fmt.number(met)}/{fmt.number(len(judged))} tháng đạt mục tiêu {fmt.percent(target)} đúng hạn"
                if len(judged) else "Chưa có hồ sơ đã giải quyết để tính tỷ lệ theo tháng")
    lines = tuple(f"{row.label}: {fmt.percent(row.on_time_rate)} ({fmt.number(row.numerator)}/"
                  f"{fmt.number(row.denominator)})" for row in judged.itertuples() if row.on_time_rate < target)
    return Slide(TREND, "Diễn biến theo tháng so với mục tiêu", sentence + ".",
                 (("Các tháng dưới mục tiêu: " + "; ".join(lines)),) if lines else ())


def levels_slide(figures: SessionFigures) -> Slide:
    levels = figures.by_level
    largest = levels.sort_values("received_total", ascending=False).iloc[0] if len(levels) else None
    sentence = (f"{largest['name']} nhận nhiều hồ sơ nhất: {fmt.number(largest['received_total'])} trong "
                f"{fmt.number(figures.total['received_total'])} hồ sơ" if largest is not None
                else "Không có hồ sơ nào trong kỳ")
    lines = tuple(f"{row['name']}: nhận {fmt.number(row['received_total'])}, đã giải quyết "
                  f"{fmt.number(row['resolved_total'])}, đúng hạn {fmt.percent(row['on_time_rate'])}, đang quá hạn "
                  f"{fmt.number(row['pending_overdue'])}" for row in levels.to_dict("records"))
    return Slide(LEVELS, "Biểu 06: tổng theo cấp", sentence + ".", lines)


def attention_slide(figures: SessionFigures) -> Slide:
    units, target = figures.attention, figures.session.target
    if units.empty:
        return Slide(ATTENTION, "Đơn vị cần chú ý",
                     f"Không đơn vị nào dưới mục tiêu {fmt.percent(target)} hay dưới giới hạn kiểm soát.")
    lines = tuple(f"{row['name']}: {fmt.percent(row['rate'])} ({fmt.number(row['numerator'])}/"
                  f"{fmt.number(row['denominator'])}) — {row['flag_label']}" for row in units.to_dict("records"))
    return Slide(ATTENTION, "Đơn vị cần chú ý",
                 f"{fmt.number(len(units))} đơn vị dưới mục tiêu {fmt.percent(target)} hoặc dưới giới hạn kiểm soát.",
                 lines)


def comparison_slide(figures: SessionFigures) -> Slide | None:
    if figures.comparison is None:
        return None
    change, earlier = figures.comparison.total, figures.session.comparison
    a, b = change["rate_a"], change["rate_b"]
    words = _points(change["rate_change_pp"]) or "không so được (thiếu hồ sơ đã giải quyết)"
    sentence = f"So với {in_sentence(earlier)}, tỷ lệ đúng hạn {words}"
    lines = [f"{earlier.label}: {fmt.percent(a['value'])} ({fmt.number(a['numerator'])}/{fmt.number(a['denominator'])})",
             f"{figures.period.label}: {fmt.percent(b['value'])} ({fmt.number(b['numerator'])}/"
             f"{fmt.number(b['denominator'])})"]
    if change["rate_change_ci95"]:
        low, high = change["rate_change_ci95"]
        lines.append(f"Khoảng tin cậy 95% của thay đổi: {fmt.decimal(low)} đến {fmt.decimal(high)} điểm %")
    if change["note"]:
        lines.append(change["note"])
    return Slide(COMPARISON, "So sánh hai kỳ", sentence + ".", tuple(lines))


def most_late_slide(figures: SessionFigures) -> Slide:
    fields, procedures = figures.most_late_fields, figures.most_late_procedures
    if fields.empty:
        return Slide(MOST_LATE, "Lĩnh vực, thủ tục nhiều hồ sơ trễ hạn nhất",
                     "Không có hồ sơ trễ hạn nào trong kỳ.")
    first = fields.iloc[0]
    lines = tuple(f"Lĩnh vực {r.name}: {fmt.number(r.late_total)}" for r in fields.itertuples()) + tuple(
        f"Thủ tục {r.name}: {fmt.number(r.late_total)}" for r in procedures.itertuples())
    return Slide(MOST_LATE, "Lĩnh vực, thủ tục nhiều hồ sơ trễ hạn nhất",
                 f"Lĩnh vực {first['name']} có nhiều hồ sơ trễ hạn nhất: {fmt.number(first['late_total'])} hồ sơ "
                 "(đã giải quyết quá hạn và đang quá hạn).", lines)


def reconciliation_summary(rec) -> tuple[int, int]:
    """(reported figures the dossiers confirm, reported figures compared)."""
    cells = [c for row in rec.rows for c in row.cells.values() if c.within_tolerance is not None]
    return sum(c.within_tolerance for c in cells), len(cells)


def differing_lines(rec, limit: int | None = None) -> list[str]:
    """The reported figures the dossiers do not confirm, largest difference first."""
    cells = [(row, key, cell) for row in rec.rows for key, cell in row.cells.items() if cell.within_tolerance is False]
    cells.sort(key=lambda item: -abs(item[2].difference))
    return [f"{row.name} — {key_label(key)}: báo cáo {fmt.number(cell.reported)}, tính lại từ hồ sơ "
            f"{fmt.number(cell.recomputed)} (chênh {fmt.signed_number(cell.difference)})"
            for row, key, cell in cells[:limit]]


def reconciliation_slide(figures: SessionFigures) -> Slide | None:
    rec = figures.reconciliation
    if rec is None:
        return None
    confirmed, compared = reconciliation_summary(rec)
    sentence = (f"Biểu cơ quan báo cáo: {fmt.number(confirmed)}/{fmt.number(compared)} số liệu khớp với hồ sơ"
                + (f"; {fmt.number(len(rec.breaks))} chỗ biểu tự không khớp phép cộng" if rec.breaks else ""))
    lines = differing_lines(rec, MOST_DIFFERENT) + [c.message_vi for c in rec.causes]
    return Slide(RECONCILIATION, "Đối chiếu số liệu cơ quan báo cáo", sentence + ".", tuple(lines))


def questions_slide(figures: SessionFigures) -> Slide:
    asked = [sc for sc in figures.screens if sc.count]
    lines = tuple(f"{sc.title} ({fmt.number(sc.count)} hồ sơ)" + (f": {', '.join(sc.units)}" if sc.units else "")
                  + f" — {sc.reason[sc.reason.find('Nên hỏi'):] if 'Nên hỏi' in sc.reason else sc.reason}"
                  for sc in asked)
    sentence = (f"{fmt.number(len(asked))} điểm nên hỏi thêm (gợi ý câu hỏi, không phải kết luận sai phạm)"
                if asked else "Không có điểm bất thường nào cần hỏi thêm trong kỳ")
    return Slide(QUESTIONS, "Câu hỏi cho Đoàn giám sát", sentence + ".", lines)


def provenance_lines(provenance: Provenance, figures: SessionFigures) -> tuple[str, ...]:
    """Where the figures come from: files and their fingerprints, the rate, the scope, the caveats, when made."""
    rate = figures.rate.definition
    lines = [SAMPLE_WARNING + ": mọi con số chỉ để xem thử." if provenance.is_sample else "Số liệu đã nhập:"]
    lines += [f"{f.name} — sha256 {f.sha256[:16]}…" + (f", nhập {f.imported_at:%d/%m/%Y %H:%M}" if f.imported_at else "")
              + (f", {fmt.number(f.rows)} dòng" if f.rows else "") for f in provenance.files]
    lines += [f"Tỷ lệ: {rate.label} {rate.formula}", f"Phạm vi: {provenance.scope}"]
    lines += [caveat_sentence(c) for c in figures.caveats]
    lines += [f"{REASON_LABELS[r]}: {fmt.number(n)}" for r, n in figures.left_out.items() if n]
    lines += [*provenance.notes, f"Lập lúc {provenance.made_at:%H:%M ngày %d/%m/%Y}, phiên bản {provenance.version}."]
    return tuple(lines)


def deck(figures: SessionFigures, provenance: Provenance) -> list[Slide]:
    """The slides in the meeting's order; the last one says where the figures come from."""
    slides = [headline_slide(figures), trend_slide(figures), levels_slide(figures), attention_slide(figures),
              comparison_slide(figures), reconciliation_slide(figures), most_late_slide(figures),
              questions_slide(figures),
              Slide(PROVENANCE, "Nguồn số liệu", f"Đợt giám sát: {figures.session.name}.",
                    provenance_lines(provenance, figures))]
    return [s for s in slides if s is not None]
