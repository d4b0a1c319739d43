"""`experience`: citizens' experience of a period (online end to end, apology letters, ratings, receiving points)
with the national index beside it; `index import|list|remove`: the official QĐ 766 scores, one file per month."""
from __future__ import annotations

import sys
from pathlib import Path

from analytics.access import audit as trail
from analytics.analyses.experience import BY_CHOICES, carried, experience
from analytics.analyses.index_estimates import compare_index
from analytics.analyses.session_figures import scoped
from analytics.analyses.bieu06 import official_table
from analytics.cli import files, units
from analytics.cli.parser import EXIT_ARGS, EXIT_FILE, EXIT_OK, ArgumentError, add_period, add_source, period_of
from analytics.dossiers.store import Store
from analytics.ingest.national_index import parse_month, read_index
from analytics.model import issues as q
from analytics.model.national_index import MONTH, IndexFile
from analytics.outputs import formatting as fmt
from analytics.outputs import experience_words as words
from analytics.outputs.experience_xlsx import experience_xlsx


def _month(text: str) -> tuple[int, int]:
    month = parse_month(text)
    if month is None:
        raise ArgumentError(f'"{text}" không phải tháng dạng YYYY-MM (ví dụ 2025-10).')
    return month


def add_commands(commands) -> None:
    exp = commands.add_parser("experience", help="trải nghiệm người dân: trực tuyến toàn trình, văn bản xin lỗi, "
                                                 "đánh giá hài lòng, nơi tiếp nhận; Bộ chỉ số QĐ 766 bên cạnh")
    add_source(exp)
    add_period(exp)
    exp.add_argument("--session", help="dùng kỳ, bộ lọc và ranh giới đơn vị của đợt giám sát đã lưu")
    exp.add_argument("--by", choices=list(BY_CHOICES), help="nhóm theo đơn vị, lĩnh vực, cấp hoặc thủ tục")
    exp.add_argument("--index", metavar="TỆP", help="tệp điểm Bộ chỉ số (QĐ 766) đọc thẳng, không lưu")
    exp.add_argument("--index-month", metavar="YYYY-MM",
                     help="tháng của điểm Bộ chỉ số (mặc định: tháng mới nhất đã nhập nằm trong kỳ)")
    exp.add_argument("--index-body", metavar="TÊN",
                     help='cơ quan trong tệp điểm mà toàn bộ dữ liệu đại diện, ví dụ "UBND tỉnh An Giang"')
    exp.add_argument("--format", choices=["table", "json", "xlsx"], default="table")
    exp.add_argument("--out", help="ghi kết quả vào tệp thay vì màn hình")
    units.add_options(exp)

    index = commands.add_parser("index", help="điểm Bộ chỉ số phục vụ người dân (QĐ 766): nhập, xem, xoá")
    actions = index.add_subparsers(dest="action", required=True, metavar="import|list|remove")
    imp = actions.add_parser("import", help="nhập tệp điểm xuất từ Cổng Dịch vụ công quốc gia")
    imp.add_argument("scores", metavar="TỆP", help="tệp điểm (.xlsx)")
    imp.add_argument("--month", metavar="YYYY-MM", help="tháng của tệp (mặc định: đọc từ tên tệp, ví dụ T10_2025)")
    actions.add_parser("list", help="các tháng đã nhập")
    rem = actions.add_parser("remove", help="xoá điểm của một tháng")
    rem.add_argument("month", metavar="YYYY-MM")


def index_command(args, store: Store) -> int:
    if args.action == "import":
        try:
            scores = read_index(Path(args.scores), month=_month(args.month) if args.month else None)
        except q.FileRejected as rejected:
            print(f"Không dùng được tệp điểm {Path(args.scores).name}: {q.describe(rejected.issue)}", file=sys.stderr)
            return EXIT_FILE
        replaced = store.save_index(scores)
        files.record(store, trail.INDEX_IMPORTED, scores.file_name, {"month": f"{scores.year}-{scores.month:02d}",
                                                                     "rows": len(scores.scores)})
        adds_up = sum(x.adds_up is True for x in scores.scores)
        print(f"Đã nhập điểm Bộ chỉ số tháng {scores.month}/{scores.year} từ {scores.file_name}: "
              f"{fmt.number(len(scores.scores))} dòng, tổng điểm bằng tổng sáu nhóm ở {fmt.number(adds_up)} dòng"
              + (" (thay tệp cùng tháng đã nhập)." if replaced else "."))
        for issue in scores.issues:
            print(f"Lưu ý: {q.describe(issue)}", file=sys.stderr)
        return EXIT_OK
    if args.action == "remove":
        year, month = _month(args.month)
        if not store.remove_index(year, month):
            print(f"Kho chưa có điểm Bộ chỉ số tháng {month}/{year}.", file=sys.stderr)
            return EXIT_ARGS
        files.record(store, trail.INDEX_REMOVED, f"{year}-{month:02d}")
        print(f"Đã xoá điểm Bộ chỉ số tháng {month}/{year}.")
        return EXIT_OK
    months = store.index_months()
    if not months:
        print("Kho chưa có điểm Bộ chỉ số nào. Nhập bằng: python -m analytics index import TỆP.xlsx")
    for year, month, name in months:
        print(f"Tháng {month}/{year}: {name}")
    return EXIT_OK


def index_scores(args, store: Store, period) -> IndexFile | None:
    """The scores `experience` sets beside the dossiers: --index (read, not stored), --index-month, else the latest
    stored month inside the period."""
    if args.index:
        try:
            return read_index(Path(args.index), month=_month(args.index_month) if args.index_month else None)
        except q.FileRejected as rejected:
            raise ArgumentError(f"--index {args.index}: {q.describe(rejected.issue)}") from None
    if args.index_month:
        wanted = _month(args.index_month)
        if wanted not in [(y, m) for y, m, _ in store.index_months()]:
            raise ArgumentError(f"kho chưa có điểm Bộ chỉ số tháng {wanted[1]}/{wanted[0]} (xem: index list).")
        return store.index_scores(*wanted)
    return store.index_inside(period.start, period.end)


def experience_command(args, store: Store) -> int:
    session = files.session(store, args.session) if args.session else None
    if args.session and session is None:
        return EXIT_ARGS
    period = session.period if session else period_of(args)
    source = files.source(args, store)
    if source is None:
        return EXIT_FILE
    if session is not None:   # counted as the session's documents count them (catalog, boundaries, filters)
        counted = files.session_dossiers(store, session, source.dossiers)
        if counted is None:
            return EXIT_FILE
        dossiers, said = scoped(counted[0], session), []
    else:
        dossiers, _, said = units.bounded(args, store, source.dossiers)
    by = args.by or ("unit" if session else None)
    classified = official_table(dossiers, period).classified
    lived = experience(classified, period, by, carried(dossiers))
    scores = index_scores(args, store, period)
    comparison = compare_index(scores, dossiers, MONTH, args.index_body) if scores else None
    doc = words.experience_document(lived, source.description(), comparison)
    if args.format == "json":
        files.emit(files.as_json(doc), args, store)
    elif args.format == "table":
        files.emit(words.experience_text(doc) + "".join(f"Lưu ý: {n}\n" for n in said), args, store)
    else:
        out = files.write(args.out or f"trai_nghiem_{period.start:%Y%m%d}_{period.end:%Y%m%d}.xlsx",
                          experience_xlsx(doc, classified, period), store, "experience (xlsx)")
        print(f"Đã ghi trải nghiệm người dân vào {out}")
    return EXIT_OK
