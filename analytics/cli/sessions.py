"""Supervision sessions: `session add|list|show|remove`, and `export` a session's written report (docx), slides
(pptx) or workbook (xlsx)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from analytics.access import audit as trail
from analytics.analyses.filters import Filters
from analytics.cli import files
from analytics.cli.parser import (
    EXIT_ARGS,
    EXIT_FILE,
    EXIT_OK,
    ArgumentError,
    actions_of,
    add_source,
    iso_date,
    row_map,
)
from analytics.dossiers.store import Store
from analytics.ingest.recommendations_docx import read_recommendations
from analytics.model import issues as q
from analytics.model.unit_register import BOUNDARIES, RECORDED
from analytics.outputs.boundaries_words import boundaries_line
from analytics.model.recommendations import COMPLEX_REPORT_DAYS, DONE, REPORT_DAYS, STATUSES, Recommendation
from analytics.model.reported import ROW_CORRECTION
from analytics.model.rates import DEFAULT_RATE, RATES
from analytics.model.session import SupervisionSession
from analytics.outputs import formatting as fmt
from analytics.outputs.report_text import STATUS_LABELS
from analytics.outputs.sentences import filters_words, session_description

# export --format: (module in analytics.outputs, its function); imported when asked for.
EXPORTS = {"docx": ("report_docx", "report_docx"), "pptx": ("slides_pptx", "slides_pptx"),
           "xlsx": ("workbook_xlsx", "workbook_xlsx")}


def add_commands(commands) -> None:
    session = commands.add_parser("session", help="các đợt giám sát: thêm, liệt kê, xem, xoá")
    actions = actions_of(session)
    add = actions.add_parser("add", help="thêm (hoặc thay) một đợt giám sát")
    add.add_argument("name", metavar="TÊN")
    add.add_argument("--from", dest="start", type=iso_date, required=True, help="ngày đầu kỳ giám sát, YYYY-MM-DD")
    add.add_argument("--to", dest="end", type=iso_date, required=True, help="ngày cuối kỳ giám sát, YYYY-MM-DD")
    add.add_argument("--compare-from", type=iso_date, help="ngày đầu kỳ so sánh")
    add.add_argument("--compare-to", type=iso_date, help="ngày cuối kỳ so sánh")
    add.add_argument("--unit", action="append", default=[], metavar="ĐƠN_VỊ", help="đơn vị trong phạm vi (lặp lại "
                                                                                  "được; không có: mọi đơn vị)")
    add.add_argument("--rate", choices=sorted(RATES), default=DEFAULT_RATE)
    add.add_argument("--target", type=float, default=0.95, help="mục tiêu tỷ lệ đúng hạn, ví dụ 0.95")
    add.add_argument("--catalog", help="danh mục TTHC dùng cho đợt này")
    add.add_argument("--team", default="", help='đoàn giám sát, ví dụ "Đoàn giám sát HĐND tỉnh Lạng Sơn"')
    add.add_argument("--bodies", default="", help='cơ quan được giám sát, ví dụ "UBND thành phố Lạng Sơn"')
    add.add_argument("--reported", metavar="TỆP", help="biểu số liệu cơ quan đã báo cáo cho kỳ này: được lưu và đối "
                                                       "chiếu trong báo cáo và bản trình chiếu của đợt")
    add.add_argument("--title", default="", help='tên đợt in trên báo cáo, ví dụ "Giám sát chuyên đề … năm 2018 và '
                                                 'quý I/2019" (không có: ghép từ cơ quan được giám sát và kỳ)')
    add.add_argument("--parent-body", default="", help='cơ quan chủ quản in trên tên Đoàn, ví dụ "HĐND tỉnh Lạng Sơn"')
    add.add_argument("--signer", default="", help="họ tên người ký báo cáo (Trưởng đoàn)")
    add.add_argument("--boundaries", choices=list(BOUNDARIES), default=RECORDED,
                     help="ranh giới đơn vị: recorded (như dữ liệu ghi) hoặc new (theo sổ sắp xếp đơn vị đã nhập)")
    add.add_argument("--date", dest="report_date", type=iso_date, default=None, metavar="YYYY-MM-DD",
                     help="ngày của báo cáo (mặc định: hôm nay): báo cáo dẫn luật giám sát có hiệu lực ngày đó")
    add.add_argument("--level", action="append", default=[], metavar="CẤP", help="chỉ các hồ sơ của cấp này (lặp lại "
                                                                                 "được)")
    add.add_argument("--field", action="append", default=[], metavar="LĨNH_VỰC", help="chỉ các hồ sơ của lĩnh vực "
                                                                                       "này (lặp lại được)")
    add.add_argument("--channel", action="append", default=[], type=int, choices=[1, 2, 3],
                     help="chỉ hồ sơ nộp theo hình thức này: 1 trực tiếp, 2 trực tuyến, 3 bưu chính (lặp lại được)")
    add.add_argument("--fold-withdrawn", action="store_true",
                     help='tính hồ sơ rút/dừng xử lý vào cột (9) "Đúng hạn" (cách của một số tỉnh)')
    add.add_argument("--cutoff", action="store_true",
                     help="chia tháng theo ngày chốt số liệu của Nghị định 09/2019 (từ ngày 15 đến ngày 14)")
    add.add_argument("--keep-due-dates", action="store_true",
                     help="không tính ngày hẹn trả còn thiếu theo danh mục TTHC (mặc định: có tính, khi có --catalog)")
    add.add_argument("--map-row", action="append", default=[], metavar="TÊN_BÁO_CÁO=TÊN_DỮ_LIỆU",
                     help="ghép một dòng của biểu báo cáo với một đơn vị trong dữ liệu (thêm vào các cách ghép đã nhớ)")
    actions.add_parser("list", help="liệt kê các đợt giám sát")
    for action, help_text in (("show", "xem một đợt giám sát"), ("remove", "xoá một đợt giám sát")):
        actions.add_parser(action, help=help_text).add_argument("name", metavar="TÊN")

    rec = commands.add_parser("recommend", help="kiến nghị của đợt giám sát và kết quả thực hiện")
    steps = rec.add_subparsers(dest="action", required=True, metavar="add|list|answer|remove")
    add_rec = steps.add_parser("add", help="thêm một kiến nghị của đợt giám sát")
    add_rec.add_argument("session", metavar="ĐỢT")
    add_rec.add_argument("--body", required=True, help="cơ quan được kiến nghị")
    add_rec.add_argument("--text", required=True, help="nội dung kiến nghị")
    add_rec.add_argument("--deadline", type=iso_date, metavar="YYYY-MM-DD", help="hạn thực hiện (nếu báo cáo nêu)")
    add_rec.add_argument("--complex", action="store_true", help="vấn đề phức tạp: 30 ngày để báo cáo kết quả (không: 15)")
    listed = steps.add_parser("list", help="mọi kiến nghị, quá hạn trước")
    listed.add_argument("--open", action="store_true", help="chỉ các kiến nghị chưa thực hiện xong")
    answer = steps.add_parser("answer", help="ghi kết quả thực hiện cơ quan trả lời")
    answer.add_argument("rec_id", type=int, metavar="SỐ")
    answer.add_argument("--status", required=True, choices=list(STATUSES))
    answer.add_argument("--answer", default="", help="nội dung cơ quan trả lời")
    answer.add_argument("--on", dest="answered_on", type=iso_date, metavar="YYYY-MM-DD", help="ngày trả lời")
    steps.add_parser("remove", help="xoá một kiến nghị").add_argument("rec_id", type=int, metavar="SỐ")
    imp = steps.add_parser("import", help='đọc các kiến nghị từ báo cáo (.docx) Đoàn đã sửa: mục "KIẾN NGHỊ"')
    imp.add_argument("session", metavar="ĐỢT")
    imp.add_argument("report", metavar="BÁO_CÁO.docx")

    exp = commands.add_parser("export", help="báo cáo (docx), bản trình chiếu (pptx) hoặc sổ tính (xlsx) của một "
                                             "đợt giám sát")
    add_source(exp, catalog_option=False)
    exp.add_argument("--session", required=True, metavar="TÊN", help="tên đợt giám sát (xem: session list)")
    exp.add_argument("--format", choices=list(EXPORTS), required=True)
    exp.add_argument("--out", help="tệp kết quả (mặc định: theo tên đợt và định dạng)")


def _session_text(session: SupervisionSession) -> str:
    lines = [f"Đợt giám sát: {session.name}", f"Tên: {session.heading}",
             *session_description(session).split(" · "), f"Danh mục TTHC: {session.catalog or 'không dùng'}"]
    lines += [f"Cơ quan chủ quản: {session.parent_body}"] if session.parent_body else []
    lines += [f"Đoàn giám sát: {session.team}"] if session.team else []
    lines += [f"Cơ quan được giám sát: {session.bodies}"] if session.bodies else []
    lines += [f"Người ký: {session.signer}"] if session.signer else []
    lines += [f"Ngày báo cáo: {fmt.date(session.report_date)}"] if session.report_date else []
    lines += [boundaries_line(session.boundaries, None)]
    lines += [f"Biểu cơ quan báo cáo (sha256): {session.reported[:16]}…"] if session.reported else []
    lines += [f"Ghép dòng biểu báo cáo: {a} = {b}" for a, b in session.row_map]
    return "\n".join(lines)


def session_command(args, store: Store) -> int:
    if args.action == "add":
        return _add_session(args, store)
    if args.action == "list":
        sessions = store.sessions()
        if not sessions:
            print("Chưa có đợt giám sát nào. Thêm: python -m analytics session add TÊN --from … --to …")
        for session in sessions:
            print(f"{session.name}  {session.period.label}"
                  + (f"  so với {session.comparison.label}" if session.comparison else ""))
        return EXIT_OK
    session = files.session(store, args.name)
    if session is None:
        return EXIT_ARGS
    if args.action == "show":
        print(_session_text(session))
    else:
        store.remove_session(args.name)
        files.record(store, trail.SESSION_REMOVED, args.name)
        print(f'Đã xoá đợt giám sát "{args.name}".')
    return EXIT_OK


def _add_session(args, store: Store) -> int:
    if args.catalog and files.procedure_catalog(args.catalog) is None:
        return EXIT_FILE
    reported = None
    if args.reported:
        try:
            table = store.read_reported(args.reported)
        except q.FileRejected as rejected:
            print(f"Không dùng được {args.reported}: {q.describe(rejected.issue)}", file=sys.stderr)
            return EXIT_FILE
        reported_id, added = store.save_reported(table)
        if added:
            files.record(store, trail.REPORTED_IMPORT, table.file, {"reported_id": reported_id})
        reported = table.sha256
        if args.map_row:  # the matches of the session's table, for the screen and `reconcile` too
            store.remember_corrections(table.layout, "unit", ROW_CORRECTION, row_map(args.map_row))
    try:
        session = SupervisionSession(
            args.name, args.start, args.end, args.compare_from, args.compare_to, tuple(args.unit), args.rate,
            args.target, str(Path(args.catalog).resolve()) if args.catalog else None, args.team, args.bodies,
            reported, title=args.title, levels=tuple(args.level), fields=tuple(args.field),
            channels=tuple(args.channel), fold_withdrawn=args.fold_withdrawn,
            fill_due_dates=not args.keep_due_dates, cutoff=args.cutoff,
            row_map=tuple(sorted(row_map(args.map_row).items())),
            parent_body=args.parent_body, signer=args.signer,
            report_date=args.report_date or dt.date.today(), boundaries=args.boundaries)
    except ValueError as error:  # no name, a period that ends before it starts
        raise ArgumentError(str(error)) from None
    replaced = store.session(args.name) is not None
    store.save_session(session)
    files.record(store, trail.SESSION_SAVED, session.name, {"replaced": replaced})
    print(("Đã thay" if replaced else "Đã thêm") + f" đợt giám sát \"{session.name}\".\n" + _session_text(session))
    return EXIT_OK


def export_command(args, store: Store) -> int:
    """A session's written report, slides or workbook, from the files given or the store."""
    import importlib

    from analytics.analyses.session_figures import session_figures
    from analytics.dossiers import provenance as origin

    session = files.session(store, args.session)
    if session is None:
        return EXIT_ARGS
    source = files.dossiers(args, store)
    if source is None:
        return EXIT_FILE
    counted = files.session_dossiers(store, session, source.dossiers)
    if counted is None:
        return EXIT_FILE
    dossiers, procedures = counted
    reported = store.reported_by_sha256(session.reported) if session.reported else None
    corrections = store.row_corrections(reported.layout, "unit") if reported is not None else None
    figures = session_figures(dossiers, session, source.missing_fields(), procedures, reported, corrections,
                              store.recommendations(), store.index_inside(session.start, session.end))
    scope = filters_words(Filters.of_session(session))
    made = origin.from_files(source, origin.is_sample(source), scope) if source.readings \
        else origin.from_store(store.imports(), scope)
    module, function = EXPORTS[args.format]
    data = getattr(importlib.import_module(f"analytics.outputs.{module}"), function)(figures, made)
    out = files.write(args.out or f"{session.file_stem}.{args.format}", data, store,
                      f"export {args.format}: {session.name}")
    print(f"Đã ghi {out} ({fmt.number(len(data) // 1024)} KB) cho đợt giám sát \"{session.name}\".")
    return EXIT_OK


def recommend_command(args, store: Store) -> int:
    """recommend add|list|answer|remove: a session's recommendations and what the bodies did."""
    if args.action == "import":
        return _import_recommendations(args, store)
    if args.action == "add":
        session = files.session(store, args.session)
        if session is None:
            return EXIT_ARGS
        rec = Recommendation(session.name, args.body.strip(), args.text.strip(),
                             session.report_date or dt.date.today(), args.complex, args.deadline)
        rec_id = store.add_recommendation(rec)
        files.record(store, trail.RECOMMENDATION_ADDED, session.name, {"rec_id": rec_id, "body": rec.body})
        print(f"Đã thêm kiến nghị số {rec_id} cho {rec.body}; hạn báo cáo kết quả thực hiện {fmt.date(rec.report_due)}"
              f" ({COMPLEX_REPORT_DAYS if rec.complex_matter else REPORT_DAYS} ngày kể từ ngày báo cáo).")
        return EXIT_OK
    if args.action in ("answer", "remove"):
        done = store.update_recommendation(args.rec_id, args.status, args.answer, args.answered_on) \
            if args.action == "answer" else store.remove_recommendation(args.rec_id)
        if not done:
            print(f"Không có kiến nghị số {args.rec_id}. Xem: python -m analytics recommend list", file=sys.stderr)
            return EXIT_ARGS
        files.record(store, trail.RECOMMENDATION_UPDATED if args.action == "answer" else trail.RECOMMENDATION_REMOVED,
                     str(args.rec_id))
        print(f"Đã {'ghi kết quả' if args.action == 'answer' else 'xoá'} kiến nghị số {args.rec_id}.")
        return EXIT_OK
    today = dt.date.today()
    recs = [r for r in store.recommendations() if not (args.open and r.status == DONE)]
    if not recs:
        print("Chưa có kiến nghị nào.")
    for rec in sorted(recs, key=lambda r: (not r.overdue_on(today), r.report_due)):
        late = " QUÁ HẠN" if rec.overdue_on(today) else ""
        print(f"{rec.rec_id}. [{STATUS_LABELS[rec.status]}{late}] {rec.body}: {rec.text} (đợt {rec.session}, "
              f"hạn báo cáo {fmt.date(rec.report_due)}" + (f", hạn thực hiện {fmt.date(rec.deadline)}" if rec.deadline
                                                          else "") + ")")
    return EXIT_OK


def _import_recommendations(args, store: Store) -> int:
    """recommend import SESSION REPORT.docx: each recommendation the team wrote under "KIẾN NGHỊ", added once."""
    session = files.session(store, args.session)
    if session is None:
        return EXIT_ARGS
    try:
        found = read_recommendations(Path(args.report))
    except (q.FileRejected, OSError) as error:
        message = q.describe(error.issue) if isinstance(error, q.FileRejected) else f"không mở được tệp ({error})"
        print(f"Không đọc được kiến nghị từ {Path(args.report).name}: {message}", file=sys.stderr)
        return EXIT_FILE
    known = {(r.body, r.text) for r in store.recommendations(session.name)}
    added = 0
    for body, text in found:
        if (body, text) in known:
            continue
        rec_id = store.add_recommendation(Recommendation(session.name, body, text,
                                                         session.report_date or dt.date.today()))
        files.record(store, trail.RECOMMENDATION_ADDED, session.name, {"rec_id": rec_id, "body": body})
        known.add((body, text))
        added += 1
    print(f"Đã đọc {fmt.number(len(found))} kiến nghị trong {Path(args.report).name}, thêm {fmt.number(added)} kiến "
          f"nghị mới cho đợt \"{session.name}\".")
    return EXIT_OK
