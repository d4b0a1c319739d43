"""Command line for accounts and the audit trail: `users add|remove|passwd|role|unlock|list` and `audit-log`.

A password is read from standard input (first line) or, at a terminal, from a prompt asked twice; it is never an
argument, so it never shows in the shell's history or the process list.
"""
from __future__ import annotations

import getpass
import json
import sys

from analytics.access import audit
from analytics.access.audit import AuditTrail, command_line_actor
from analytics.access.users import ROLE_LABELS, ROLES, UserError, Users
from analytics.cli.parser import EXIT_FILE, EXIT_OK, actions_of
from analytics.dossiers.store import Store
from analytics.outputs.safe_cells import safe_frame

USER_ACTIONS = {"add": audit.USER_ADDED, "remove": audit.USER_REMOVED, "passwd": audit.PASSWORD_CHANGED,
                "role": audit.ROLE_CHANGED, "unlock": audit.USER_UNLOCKED}


def add_commands(commands) -> None:
    users = commands.add_parser("users", help="tài khoản đăng nhập bảng điều khiển: thêm, xoá, đổi mật khẩu, "
                                              "đổi vai trò, mở khoá, liệt kê")
    actions = actions_of(users)
    add = actions.add_parser("add", help="thêm tài khoản (mật khẩu hỏi sau, hoặc đọc từ đầu vào chuẩn)")
    add.add_argument("name", metavar="TÊN")
    add.add_argument("--role", choices=ROLES, required=True,
                     help="viewer: xem mọi số liệu; analyst: thêm nhập tệp, sửa, xuất tài liệu; admin: thêm quản lý "
                          "tài khoản và đọc nhật ký")
    role = actions.add_parser("role", help="đổi vai trò của một tài khoản")
    role.add_argument("name", metavar="TÊN")
    role.add_argument("--role", choices=ROLES, required=True)
    for action, help_text in (("remove", "xoá tài khoản"), ("passwd", "đổi mật khẩu"),
                              ("unlock", "mở khoá tài khoản bị khoá vì nhập sai mật khẩu nhiều lần")):
        actions.add_parser(action, help=help_text).add_argument("name", metavar="TÊN")
    actions.add_parser("list", help="liệt kê tài khoản")

    log = commands.add_parser("audit-log", help="nhật ký thao tác: ai, khi nào, làm gì")
    log.add_argument("--limit", type=int, default=50, help="số dòng gần nhất (mặc định 50; 0: tất cả)")
    log.add_argument("--actor", help="chỉ của một người (tên đăng nhập, hoặc \"dòng lệnh: …\")")
    log.add_argument("--action", choices=sorted(audit.ACTION_LABELS), help="chỉ một loại việc")
    log.add_argument("--format", choices=["table", "json", "csv"], default="table")
    log.add_argument("--verify", action="store_true", help="kiểm tra nhật ký không bị sửa hay xoá giữa chừng")


def read_password(prompt: str = "Mật khẩu: ") -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Nhập lại mật khẩu: ") != first:
            raise UserError("Hai lần nhập mật khẩu không giống nhau; chưa thay đổi gì.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def users_command(args, store: Store) -> int:
    users = Users(store)
    trail = AuditTrail(store)
    if args.action == "list":
        accounts = users.all()
        if not accounts:
            print("Chưa có tài khoản nào: bảng điều khiển chỉ hiện hướng dẫn thêm tài khoản (chế độ một người dùng "
                  "trên máy này chỉ khi được bật rõ bằng ONESTOP_SINGLE_USER=1). Thêm tài khoản: python -m analytics "
                  "users add TÊN --role admin")
        for user in accounts:
            state = f"  tạm khoá đến {user.locked_until:%H:%M %d/%m/%Y}" if user.locked_until else ""
            print(f"{user.name}  {user.role} ({ROLE_LABELS[user.role]}){state}")
        return EXIT_OK
    if args.action in ("add", "passwd"):
        password = read_password()
        if args.action == "add":
            users.add(args.name, args.role, password)
            done = f'Đã thêm tài khoản "{args.name}" ({ROLE_LABELS[args.role]}).'
        else:
            users.set_password(args.name, password)
            done = (f'Đã đổi mật khẩu của "{args.name}"; tài khoản được mở khoá, mọi phiên đăng nhập của tài khoản đã '
                    "kết thúc.")
    elif args.action == "role":
        users.set_role(args.name, args.role)
        done = f'"{args.name}" nay là {ROLE_LABELS[args.role]}; mọi phiên đăng nhập của tài khoản đã kết thúc.'
    elif args.action == "remove":
        users.remove(args.name)
        done = f'Đã xoá tài khoản "{args.name}".'
        if not users.any():
            done += (" Không còn tài khoản nào: bảng điều khiển chỉ hiện hướng dẫn thêm tài khoản (hoặc chạy ở chế độ "
                     "một người dùng trên máy này khi được bật rõ bằng ONESTOP_SINGLE_USER=1).")
    else:
        users.unlock(args.name)
        done = f'Đã mở khoá tài khoản "{args.name}".'
    detail = {"role": args.role} if args.action in ("add", "role") else None
    trail.record(command_line_actor(), USER_ACTIONS[args.action], args.name, detail)
    print(done)
    return EXIT_OK


def audit_log_command(args, store: Store) -> int:
    trail = AuditTrail(store)
    if args.verify:
        check = trail.verify()
        if check.holds:
            print(check.describe())
            return EXIT_OK
        print(f"{check.describe()} Hãy báo người quản trị và giữ bản sao tệp kho dữ liệu cùng thư mục khoá "
              f"({audit.key_dir()}).", file=sys.stderr)
        return EXIT_FILE
    entries = trail.entries(limit=args.limit or None, actor=args.actor, action=args.action)
    if args.format == "json":
        records = entries.assign(happened_at=entries["happened_at"].astype(str),
                                 detail=entries["detail"].map(json.loads)).to_dict("records")
        print(json.dumps({"entries": records}, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(safe_frame(audit.readable(entries)).to_csv(index=False))
    elif entries.empty:
        print("Nhật ký chưa có dòng nào" + (" khớp điều kiện đã chọn." if args.actor or args.action else "."))
    else:
        for row in entries.itertuples():  # every field printable: a newline in a name must not forge a line (L3)
            print(f"{row.entry_id:>5}  {row.happened_at:%d/%m/%Y %H:%M:%S}  {audit.printable(row.actor)}  "
                  f"{audit.ACTION_LABELS.get(row.action, row.action)}  {audit.printable(row.target)}  "
                  f"{'' if row.detail == '{}' else audit.printable(row.detail)}  "
                  f"{audit.OUTCOME_LABELS.get(row.outcome, row.outcome)}")
    return EXIT_OK
