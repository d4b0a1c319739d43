"""The store's imports: `import` files into it, list the `imports`, their data `issues` (CSV), `remove` one."""
from __future__ import annotations

import sys

from analytics.access import audit as trail
from analytics.cli import files
from analytics.cli.parser import EXIT_ARGS, EXIT_FILE, EXIT_OK, add_mapping_options, mapping, value_mapping
from analytics.dossiers.sources import expand_paths
from analytics.dossiers.store import Store
from analytics.model import issues as q
from analytics.outputs import formatting as fmt
from analytics.outputs.safe_cells import safe_frame


def add_import(commands) -> None:
    imp = commands.add_parser("import", help="nhập tệp xuất hồ sơ vào kho dữ liệu")
    imp.add_argument("paths", nargs="+", metavar="TỆP")
    add_mapping_options(imp)


def add_store_commands(commands) -> None:
    commands.add_parser("imports", help="liệt kê các lần nhập")
    iss = commands.add_parser("issues", help="mọi vấn đề dữ liệu của các lần nhập (CSV, tiêu đề tiếng Việt)")
    iss.add_argument("import_id", type=int, nargs="?")
    iss.add_argument("--out", help="tệp CSV (mặc định: màn hình)")
    rem = commands.add_parser("remove", help="xoá một lần nhập (và hồ sơ chỉ có trong lần nhập đó)")
    rem.add_argument("import_id", type=int)


def _print_issues(issues: list[q.Issue], more: str, limit: int = 20) -> None:
    for issue in issues[:limit]:
        print(f"  - {q.describe(issue)}", file=sys.stderr)
    if len(issues) > limit:
        print(f"  … và {fmt.number(len(issues) - limit)} vấn đề khác: {more}", file=sys.stderr)


def import_command(args, store: Store) -> int:
    overrides, value_overrides = mapping(args.map), value_mapping(args.map_value)
    failed = False
    for path in expand_paths(args.paths):
        result = store.import_file(path, overrides=overrides, value_overrides=value_overrides)
        files.record(store, trail.IMPORT, result.file_name,
                     trail.import_detail(result, len(overrides) + len(value_overrides)), trail.outcome_of(result))
        if result.status == "rejected":
            failed = True
            print(f"Không nhập được {result.file_name}: {result.rejected.message}", file=sys.stderr)
            continue
        if result.status == "already_imported":
            print(f"{result.file_name}: đã nhập trước đó (lần nhập số {result.import_id}), không thay đổi gì.")
            continue
        print(f"{result.file_name}: đã nhập {fmt.number(result.rows_imported)} dòng hồ sơ "
              f"(lần nhập số {result.import_id}); bỏ qua {fmt.number(result.rows_skipped)} dòng.")
        _print_issues([i for i in result.issues if i.level != q.FILE],
                      f"xem đầy đủ bằng python -m analytics issues {result.import_id} --out van-de.csv")
    return EXIT_FILE if failed else EXIT_OK


def imports_command(args, store: Store) -> int:
    table = store.imports()
    if table.empty:
        print("Chưa có lần nhập nào.")
    for row in table.itertuples():
        print(f"{row.import_id:>4}  {row.imported_at:%d/%m/%Y %H:%M}  {row.file_name}  "
              f"{fmt.number(row.rows_imported)} dòng, bỏ qua {fmt.number(row.rows_skipped)}")
    return EXIT_OK


def issues_command(args, store: Store) -> int:
    table = store.issues(args.import_id)
    if table.empty:
        print("Không có vấn đề dữ liệu nào" + (f" ở lần nhập số {args.import_id}." if args.import_id else "."))
        return EXIT_OK
    labels = {"import_id": "Lần nhập", **q.COLUMN_LABELS}
    table = table.assign(level=table["level"].map(q.LEVEL_LABELS)).rename(columns=labels)
    text = safe_frame(table).to_csv(index=False)
    if args.out:
        files.write(args.out, text.encode("utf-8-sig"), store, "issues (csv)")  # BOM: Excel reads Vietnamese right
        print(f"Đã ghi {fmt.number(len(table))} vấn đề vào {args.out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def remove_command(args, store: Store) -> int:
    if not store.remove_import(args.import_id):
        print(f"Không có lần nhập số {args.import_id}. Xem danh sách: python -m analytics imports", file=sys.stderr)
        return EXIT_ARGS
    files.record(store, trail.IMPORT_REMOVED, str(args.import_id))
    print(f"Đã xoá lần nhập số {args.import_id}.")
    return EXIT_OK
