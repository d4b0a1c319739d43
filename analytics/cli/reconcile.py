"""`reconcile`: a body's reported table beside the figures recomputed from its dossiers (issue 10)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analytics.access import audit as trail
from analytics.analyses import reconciliation
from analytics.cli import files
from analytics.cli.parser import (
    EXIT_ARGS,
    EXIT_FILE,
    EXIT_OK,
    ArgumentError,
    add_period,
    period_of,
    row_kinds,
    row_map,
)
from analytics.dossiers.store import Store
from analytics.model import issues as q
from analytics.model.reported import ROLE_CORRECTION, ROW_CORRECTION
from analytics.model.rates import DEFAULT_RATE, RATES


def _tolerance(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f'"{text}" không phải ngưỡng chênh lệch: hãy cho một số hồ sơ từ 0 trở lên '
                                         "(ví dụ 0 hoặc 2).")
    return value


def add_command(commands) -> None:
    rec = commands.add_parser("reconcile", help="đối chiếu bảng số liệu đơn vị báo cáo với số tính lại từ hồ sơ")
    rec.add_argument("reported", metavar="REPORTED_FILE",
                     help="bảng số liệu đơn vị báo cáo (Biểu 06 hoặc báo cáo kết quả giải quyết TTHC): .xlsx, .xls, "
                          ".ods, .csv")
    rec.add_argument("paths", nargs="*", metavar="TỆP",
                     help="tệp hoặc thư mục xuất hồ sơ (không có: dùng kho dữ liệu)")
    add_period(rec)
    rec.add_argument("--session", metavar="TÊN", help="đợt giám sát: lấy kỳ, đơn vị và cách tính tỷ lệ của đợt "
                                                      "(thay cho --from/--to/--period)")
    rec.add_argument("--by", choices=reconciliation.BY, default="unit",
                     help="mỗi dòng của bảng báo cáo là một cơ quan (unit, mặc định), lĩnh vực (field) hay cấp (level)")
    rec.add_argument("--map-row", action="append", default=[], metavar='"Tên trong báo cáo=Tên trong số liệu"',
                     help="ghép một dòng của bảng báo cáo với một nhóm trong số liệu hồ sơ (lặp lại được); được nhớ "
                          "cho các bảng cùng mẫu và cùng cách nhóm (--by)")
    rec.add_argument("--row-kind", action="append", default=[], metavar='"Tên dòng=unit|subtotal|total"',
                     help="chỉ rõ một dòng của bảng là đơn vị (unit), dòng cộng (subtotal) hay tổng cộng (total), khi "
                          "chương trình hiểu sai; tên dòng như trong bảng hoặc số dòng trên trang (lặp lại được, được "
                          "nhớ cho các bảng cùng mẫu)")
    rec.add_argument("--map", action="append", default=[], metavar='"Tiêu đề cột=khóa"',
                     help='đọc một cột của bảng báo cáo theo khóa của Biểu 06, ví dụ "Tiếp nhận mới='
                          'received_in_period" (- để giữ cột như ghi, không đối chiếu); được nhớ cho các bảng cùng '
                          "mẫu cột")
    rec.add_argument("--map-dossier", action="append", default=[], metavar='"Tên cột=trường"',
                     help='đọc một cột của tệp hồ sơ theo trường đã chỉ, ví dụ "Mã tra cứu=case_id"')
    rec.add_argument("--map-value", action="append", default=[], metavar='"trường:cách ghi=mã"',
                     help='đọc một cách ghi giá trị trong tệp hồ sơ theo mã đã chỉ, ví dụ "status:Chờ bổ sung=5"')
    rec.add_argument("--catalog", help="danh mục TTHC: hồ sơ thiếu ngày hẹn trả được tính theo thời hạn trong danh mục")
    rec.add_argument("--tolerance", type=_tolerance, default=0.0,
                     help="chênh lệch tối đa (số hồ sơ) vẫn coi là khớp; mặc định 0: phải khớp đúng")
    rec.add_argument("--rate", choices=sorted(RATES), default=None,
                     help="định nghĩa tỷ lệ đúng hạn (mặc định: của đợt giám sát, hoặc resolved)")
    rec.add_argument("--fold-withdrawn", action="store_true",
                     help='tính hồ sơ rút/dừng xử lý vào cột (9) "Đúng hạn" khi tính lại')
    rec.add_argument("--format", choices=["table", "json", "xlsx"], default="table")
    rec.add_argument("--out", help="ghi kết quả vào tệp thay vì màn hình (xlsx: mặc định doi-chieu_TỪ_ĐẾN.xlsx)")


def _reported_mapping(pairs: list[str]) -> dict[str, str]:
    """--map "Header text=key" for the reported table (key empty or '-' to keep the column as written)."""
    from analytics.model.reported import BIEU06_KEYS, OTHER_KEYS, REPORTED_RATE
    keys = BIEU06_KEYS + OTHER_KEYS + [REPORTED_RATE]
    out = {}
    for pair in pairs:
        header, sep, key = pair.rpartition("=")
        key = key.strip()
        if not sep or not header.strip():
            raise ArgumentError(f'--map "{pair}": hãy viết dạng "Tiêu đề cột=khóa", ví dụ "Nhận trong kỳ='
                                'received_in_period".')
        if key in ("-", ""):
            key = ""
        elif key not in keys:
            raise ArgumentError(f'--map "{pair}": "{key}" không phải khóa của bảng báo cáo. Các khóa: '
                                + ", ".join(keys) + ".")
        out[header.strip()] = key
    return out


def _roles(table, kinds: dict[str, str]) -> dict[int, str]:
    """--row-kind given by a row's name (or its sheet row number) -> {sheet row: role}."""
    from analytics.model.reported import NAME, ROW
    from analytics.model.text_keys import plain_key
    out = {}
    rows = table.rows[[NAME, ROW]].to_dict("records")
    for wanted, role in kinds.items():
        found = [int(r[ROW]) for r in rows if wanted.isdigit() and int(r[ROW]) == int(wanted)] or \
            [int(r[ROW]) for r in rows if plain_key(r[NAME]) == plain_key(wanted)]
        if len(found) != 1:
            names = ", ".join(f'"{r[NAME]}" (dòng {int(r[ROW])})' for r in rows
                              if plain_key(r[NAME]) == plain_key(wanted))
            raise ArgumentError(f'--row-kind "{wanted}={role}": ' + (
                f"nhiều dòng cùng tên ({names}); hãy ghi số dòng trên trang thay cho tên." if found else
                "bảng báo cáo không có dòng nào tên như vậy (hoặc số dòng như vậy)."))
        out[found[0]] = role
    return out


def _reconcile_keys() -> list[str]:
    """The reported table's keys that have a recomputed figure."""
    from analytics.model.reported import BIEU06_KEYS, DERIVED
    return BIEU06_KEYS + list(DERIVED)


def reconcile_command(args, store: Store) -> int:
    """A reported table beside Biểu 06 recomputed from the dossiers (files given, or the store) for a period or a
    session; exit 0 whether or not they differ, 1 when the reported table or a dossier file cannot be used."""
    from analytics.analyses.reconciliation import reconcile
    from analytics.analyses.session_figures import scoped
    from analytics.outputs import reconciliation_outputs as out

    overrides, given, kinds = _reported_mapping(args.map), row_map(args.map_row), row_kinds(args.row_kind)
    session = None
    if args.session:
        if args.start or args.end or args.period:
            raise ArgumentError("dùng --session hoặc --from/--to/--period, không dùng cả hai.")
        session = files.session(store, args.session)
        if session is None:
            return EXIT_ARGS
        period = session.period
    else:
        period = period_of(args)
    rate = args.rate or (session.rate if session else DEFAULT_RATE)
    path = Path(args.reported)
    if not path.is_file():
        print(f"Không tìm thấy bảng báo cáo {args.reported}. Hãy kiểm tra đường dẫn.", file=sys.stderr)
        return EXIT_FILE
    try:
        table = store.read_reported(path, path.name, overrides)
    except q.FileRejected as rejected:
        print(f"Không dùng được bảng báo cáo {path.name}: {rejected.issue.message}", file=sys.stderr)
        return EXIT_FILE
    if not any(k in table.rows for k in _reconcile_keys()):
        print(f"Không dùng được bảng báo cáo {path.name}: không cột nào của bảng (trang \"{table.sheet}\") đọc được "
              "là một cột của Biểu 06 để đối chiếu. Hãy chỉ cột bằng --map \"Tiêu đề cột=khóa\", ví dụ --map "
              "\"Tổng số hồ sơ tiếp nhận=received_total\" (các khóa: received_total, carried_over, resolved_total, "
              "resolved_on_time, pending_total, pending_overdue …).", file=sys.stderr)
        return EXIT_FILE
    for issue in table.issues:
        if issue.code == q.REMEMBERED_COLUMNS:
            print(f"Lưu ý: {issue.message}", file=sys.stderr)
    roles = _roles(table, kinds)
    catalog_path = args.catalog or (session.catalog if session else None)
    source = files.source(argparse.Namespace(paths=args.paths, map=args.map_dossier, map_value=args.map_value,
                                             catalog=catalog_path, command="reconcile"), store)
    if source is None:
        return EXIT_FILE
    dossiers = scoped(source.dossiers, session) if session else source.dossiers
    if given or roles:
        store.remember_corrections(table.layout, args.by, ROW_CORRECTION, given)
        store.remember_corrections(table.layout, "", ROLE_CORRECTION, {str(k): v for k, v in roles.items()})
        files.record(store, trail.ROW_MAP, path.name, {"rows": len(given), "roles": len(roles)})
    said = store.row_corrections(table.layout, args.by)
    matches = {**(dict(session.row_map) if session else {}), **said.matches, **given}
    fold = args.fold_withdrawn or bool(session and session.fold_withdrawn)
    result = reconcile(table, dossiers, period, args.by, args.tolerance, matches, rate, fold, source.missing_fields(),
                       {**said.roles, **roles})
    if not [r for r in result.rows if not r.is_total]:
        print(f"Lưu ý: không dòng nào của bảng báo cáo {path.name} ghép được với một "
              f"{'cơ quan' if args.by == 'unit' else 'lĩnh vực' if args.by == 'field' else 'cấp'} trong số liệu hồ sơ. "
              "Hãy kiểm tra --by, hoặc ghép bằng --map-row \"Tên trong báo cáo=Tên trong số liệu\".", file=sys.stderr)
    for note in out.reconciliation_notes(result):
        print(f"Lưu ý: {note}", file=sys.stderr)
    if args.format == "json":
        files.emit(files.as_json(out.reconciliation_document(result)), args, store)
    elif args.format == "table":
        files.emit(out.reconciliation_text(result), args, store)
    else:
        target = files.write(args.out or f"doi-chieu_{period.start:%Y%m%d}_{period.end:%Y%m%d}.xlsx",
                             out.reconciliation_xlsx(result), store, "reconcile (xlsx)")
        print(f"Đã ghi bảng đối chiếu vào {target}")
    return EXIT_OK
