"""Command line: `python -m analytics COMMAND …` (see README).

Exit codes: 0 done; 1 a file or the store could not be used (a Vietnamese message on stderr, never a traceback);
2 bad arguments; 3 an error of the program itself (said as such, its details written to the store's errors.log).
Every change and every file written is recorded in the audit trail (analytics/access/audit.py).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import re
import sys
import traceback
from pathlib import Path

from analytics import cli_access
from analytics.access import audit as trail
from analytics.access.audit import AuditTrail, command_line_actor
from analytics.access.users import UserError
from analytics.analyses import catalog_audit, reconciliation
from analytics.analyses.bieu06 import GROUPINGS, OFFICIAL, official_table
from analytics.analyses.caveats import caveats
from analytics.analyses.comparison import compare
from analytics.analyses.filters import Filters
from analytics.dossiers.dedup import merge_duplicates, merge_notices
from analytics.dossiers.sources import LoadedDossiers, expand_paths, read_files
from analytics.dossiers.store import Store, StoreUnavailable
from analytics.ingest import catalog
from analytics.ingest.values import LEVELS
from analytics.model import issues as q
from analytics.model import periods
from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.model.procedure_catalog import Catalog
from analytics.model.rates import DEFAULT_RATE, RATES
from analytics.model.session import SupervisionSession
from analytics.outputs import bieu06_xlsx, documents, text_tables
from analytics.outputs import formatting as fmt
from analytics.outputs.files import write_atomically
from analytics.outputs.safe_cells import safe_frame
from analytics.outputs.sentences import filters_words, session_description, table_notes

EXIT_OK, EXIT_FILE, EXIT_ARGS, EXIT_INTERNAL = 0, 1, 2, 3
ERROR_LOG = "errors.log"  # in the data folder: the details of an error of the program
# export --format: (module in analytics.outputs, its function, the file's suffix); imported when asked for.
EXPORTS = {"docx": ("report_docx", "report_docx"), "pptx": ("slides_pptx", "slides_pptx"),
           "xlsx": ("workbook_xlsx", "workbook_xlsx")}
# What --map-value may map each coded field to: the national status codes, the channel codes, the three levels.
VALUE_TARGETS = {s.STATUS: list(range(1, 11)), s.CHANNEL: [1, 2, 3], s.LEVEL: list(LEVELS)}


class ArgumentError(Exception):
    pass


# The placeholder written after an option that takes a value, by the option's dest (argparse would write the dest
# in capitals: "--from START").
METAVARS = {"data_dir": "THƯ_MỤC", "catalog": "TỆP", "out": "TỆP", "start": "NGÀY", "end": "NGÀY",
            "compare_from": "NGÀY", "compare_to": "NGÀY", "period": "KỲ", "a": "TỪ:ĐẾN", "b": "TỪ:ĐẾN",
            "target": "TỶ_LỆ", "team": "TÊN", "bodies": "TÊN", "title": "TÊN", "parent_body": "TÊN",
            "signer": "HỌ_TÊN", "actor": "TÊN", "limit": "SỐ", "tolerance": "SỐ", "import_id": "SỐ"}
HELP_TEXT = "hiện hướng dẫn này rồi thoát"
# argparse's own messages (Python 3.11 and later) -> the same in Vietnamese; the value parts are kept as written.
_MESSAGES = [
    (r"argument (?P<name>.+?): (?P<rest>.*)", lambda m: f"tham số {m['name']}: {_vietnamese(m['rest'])}"),
    (r"the following arguments are required: (?P<names>.*)", lambda m: f"thiếu tham số bắt buộc: {m['names']}"),
    (r"unrecognized arguments: (?P<names>.*)", lambda m: f"không hiểu tham số: {m['names']}"),
    (r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.*)\)",
     lambda m: f"không có lựa chọn {m['value']}; hãy chọn một trong: {m['choices']}"),
    (r"invalid (?P<type>\w+) value: (?P<value>.*)",
     lambda m: f"{m['value']} không phải {_TYPE_WORDS.get(m['type'], 'giá trị hợp lệ')}"),
    (r"expected one argument", lambda m: "cần một giá trị sau tùy chọn này"),
    (r"expected at most one argument", lambda m: "chỉ nhận nhiều nhất một giá trị"),
    (r"expected at least one argument", lambda m: "cần ít nhất một giá trị"),
    (r"expected (?P<n>\d+) arguments?", lambda m: f"cần {m['n']} giá trị"),
    (r"ambiguous option: (?P<option>.+?) could match (?P<matches>.*)",
     lambda m: f"tùy chọn {m['option']} chưa rõ là tùy chọn nào: {m['matches']}"),
    (r"not allowed with argument (?P<name>.*)", lambda m: f"không dùng cùng với {m['name']}"),
    (r"one of the arguments (?P<names>.*) is required", lambda m: f"cần một trong các tham số: {m['names']}"),
    (r"ignored explicit argument (?P<value>.*)", lambda m: f"tùy chọn này không nhận giá trị ({m['value']})"),
]
_TYPE_WORDS = {"int": "số nguyên", "float": "số", "_date": "ngày", "_range": "khoảng ngày"}


def _vietnamese(message: str) -> str:
    """argparse's English message in Vietnamese (a message of ours, already Vietnamese, is left as it is)."""
    for pattern, words in _MESSAGES:
        found = re.fullmatch(pattern, message, flags=re.DOTALL)
        if found:
            return words(found)
    return message


class _Formatter(argparse.HelpFormatter):
    """argparse's help in Vietnamese: "Cách dùng: " before the usage, placeholders named in Vietnamese."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)

    def _get_default_metavar_for_optional(self, action):
        return METAVARS.get(action.dest, "GIÁ_TRỊ")

    def _get_default_metavar_for_positional(self, action):
        return METAVARS.get(action.dest, action.dest.upper())


class _Parser(argparse.ArgumentParser):
    """Every command's parser: its help and its errors in Vietnamese (argparse writes "usage:", "options", "show
    this help message and exit", "the following arguments are required" …), exit code 2 for bad arguments; and it
    takes --data-dir, before or after the command's name (given neither, the default)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP_TEXT)
        self.add_argument("--data-dir", default=argparse.SUPPRESS,
                          help="thư mục dữ liệu (mặc định data/ trong thư mục chương trình, hoặc biến "
                               "ONESTOP_DATA_DIR)")

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"Tham số không hợp lệ: {_vietnamese(message)}\nXem hướng dẫn: {self.prog} --help", file=sys.stderr)
        sys.exit(EXIT_ARGS)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" không phải ngày dạng YYYY-MM-DD (ví dụ 2019-03-31)') from None


def _mapping(pairs: list[str]) -> dict[str, str]:
    """--map "Header text=field" (field empty or '-' to ignore the column)."""
    out = {}
    for pair in pairs or []:
        header, sep, target = pair.rpartition("=")
        target = target.strip()
        if not sep or not header.strip():
            raise ArgumentError(f'--map "{pair}": hãy viết dạng "Tên cột=tên trường", ví dụ "Mã tra cứu=case_id".')
        if target in ("-", ""):
            target = ""
        elif target not in s.FIELDS:
            raise ArgumentError(f'--map "{pair}": "{target}" không phải tên trường. Các tên trường: '
                                + ", ".join(s.FIELDS) + ".")
        out[header.strip()] = target
    return out


def _value_mapping(pairs: list[str]) -> dict[str, dict[str, int | str]]:
    """--map-value "status:Hồ sơ đang ở phòng=4" (also channel:…=1..3, level:…=Cấp tỉnh|Cấp huyện|Cấp xã)."""
    out: dict[str, dict[str, int | str]] = {}
    for pair in pairs or []:
        field_name, colon, rest = pair.partition(":")
        wording, sep, target = rest.rpartition("=")
        field_name, wording, target = field_name.strip(), wording.strip(), target.strip()
        if not colon or not sep or not wording or field_name not in VALUE_TARGETS:
            raise ArgumentError(f'--map-value "{pair}": hãy viết dạng "trường:cách ghi trong tệp=mã", ví dụ '
                                '"status:Hồ sơ đang ở phòng=4", "channel:Cổng DVC quốc gia=2", '
                                '"level:Phường=Cấp xã" (trường: status, channel, level).')
        allowed = VALUE_TARGETS[field_name]
        value: int | str = int(target) if target.isdigit() and field_name != s.LEVEL else target
        if value not in allowed:
            raise ArgumentError(f'--map-value "{pair}": "{target}" không dùng được cho {field_name}; hãy chọn một '
                                "trong: " + ", ".join(map(str, allowed)) + ".")
        out.setdefault(field_name, {})[wording] = value
    return out


def _add_mapping_options(command) -> None:
    command.add_argument("--map", action="append", default=[], metavar='"Tên cột=trường"',
                         help='đọc một cột theo trường đã chỉ, ví dụ "Mã tra cứu=case_id" (- để bỏ qua cột)')
    command.add_argument("--map-value", action="append", default=[], metavar='"trường:cách ghi=mã"',
                         help='đọc một cách ghi giá trị theo mã đã chỉ, ví dụ "status:Hồ sơ đang ở phòng=4"')


def _add_source(command, catalog_option: bool = True) -> None:
    command.add_argument("paths", nargs="*", metavar="TỆP",
                         help="tệp hoặc thư mục xuất hồ sơ (không có: dùng kho dữ liệu)")
    _add_mapping_options(command)
    if catalog_option:
        command.add_argument("--catalog", help="danh mục TTHC: hồ sơ thiếu ngày hẹn trả được tính theo thời hạn "
                                               "trong danh mục (ghi rõ số hồ sơ được tính)")


def _add_period(command) -> None:
    command.add_argument("--from", dest="start", type=_date, help="ngày đầu kỳ, YYYY-MM-DD")
    command.add_argument("--to", dest="end", type=_date, help="ngày cuối kỳ, YYYY-MM-DD")
    command.add_argument("--period", help="kỳ có sẵn: month:2019:3, quarter:2019:1, half:2019:1, nine_months:2019, "
                                          "year:2019 (thay cho --from/--to)")
    command.add_argument("--cutoff", action="store_true",
                         help="kỳ theo ngày chốt số liệu của Nghị định 09/2019 (từ ngày 15 đến ngày 14)")


# --by for each command that groups: the choices it handles, and what "official" means there.
BY_CHOICES = sorted(GROUPINGS) + [OFFICIAL]
BY_HELP = {
    "report": "nhóm theo; official = mẫu chính thức: cấp › cơ quan › lĩnh vực, có dòng cộng",
    "compare": "nhóm theo; official = từng dòng cấp › cơ quan › lĩnh vực của mẫu chính thức, gọi theo đường dẫn "
               "(không so sánh dòng cộng: dùng --by level hoặc --by unit cho các dòng đó)",
    "timeliness": "nhóm theo; official = từng dòng cấp › cơ quan › lĩnh vực của mẫu chính thức, gọi theo đường dẫn",
}


def _add_table_options(command, by: str | None = None, formats=("table", "json")) -> None:
    """The options of a command that prints a table; `by`: the command's name when it takes --by (BY_HELP)."""
    if by:
        command.add_argument("--by", choices=BY_CHOICES, help=BY_HELP[by])
    command.add_argument("--rate", choices=sorted(RATES), default=DEFAULT_RATE,
                         help="định nghĩa tỷ lệ đúng hạn (mặc định resolved: ((8)+(9))/(7))")
    command.add_argument("--fold-withdrawn", action="store_true",
                         help='tính hồ sơ rút/dừng xử lý vào cột (9) "Đúng hạn" (cách của một số tỉnh)')
    command.add_argument("--format", choices=list(formats), default="table")
    command.add_argument("--out", help="ghi kết quả vào tệp thay vì màn hình")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analytics", description="Giám sát giải quyết TTHC tại Bộ phận Một cửa.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, title="lệnh",
                                     metavar="LỆNH")

    imp = commands.add_parser("import", help="nhập tệp xuất hồ sơ vào kho dữ liệu")
    imp.add_argument("paths", nargs="+", metavar="TỆP")
    _add_mapping_options(imp)

    rep = commands.add_parser("report", help="Biểu 06 cho một kỳ")
    _add_source(rep)
    _add_period(rep)
    _add_table_options(rep, by="report", formats=("table", "json", "xlsx"))

    cmp_ = commands.add_parser("compare", help="so sánh hai kỳ")
    _add_source(cmp_)
    cmp_.add_argument("--a", required=True, type=_range, help="kỳ A: TỪ:ĐẾN, ví dụ 2018-01-01:2018-12-31")
    cmp_.add_argument("--b", required=True, type=_range, help="kỳ B: TỪ:ĐẾN, ví dụ 2019-01-01:2019-03-31")
    _add_table_options(cmp_, by="compare")

    for name, help_text in [("timeliness", "thời gian giải quyết (ngày làm việc), tỷ lệ giải quyết hết, tuổi hồ sơ"),
                            ("funnel", "so sánh công bằng giữa các đơn vị (biểu đồ phễu)"),
                            ("screening", "gợi ý câu hỏi cho Đoàn giám sát"),
                            ("late", "hồ sơ trễ hạn theo đơn vị và lĩnh vực, kèm thư xin lỗi"),
                            ("trend", "diễn biến theo tháng hoặc quý")]:
        sub = commands.add_parser(name, help=help_text)
        _add_source(sub)
        _add_period(sub)
        _add_table_options(sub, by=name if name in BY_HELP else None)
        if name == "trend":
            sub.add_argument("--freq", choices=["month", "quarter"], default="month")

    aud = commands.add_parser("audit", help="đối chiếu với danh mục TTHC")
    _add_source(aud, catalog_option=False)
    _add_period(aud)
    aud.add_argument("--catalog", required=True, help="tệp danh mục thủ tục hành chính")
    aud.add_argument("--format", choices=["table", "json"], default="table")
    aud.add_argument("--out")

    _add_session_commands(commands)
    exp = commands.add_parser("export", help="báo cáo (docx), bản trình chiếu (pptx) hoặc sổ tính (xlsx) của một "
                                             "đợt giám sát")
    _add_source(exp, catalog_option=False)
    exp.add_argument("--session", required=True, metavar="TÊN", help="tên đợt giám sát (xem: session list)")
    exp.add_argument("--format", choices=list(EXPORTS), required=True)
    exp.add_argument("--out", help="tệp kết quả (mặc định: theo tên đợt và định dạng)")

    commands.add_parser("imports", help="liệt kê các lần nhập")
    iss = commands.add_parser("issues", help="mọi vấn đề dữ liệu của các lần nhập (CSV, tiêu đề tiếng Việt)")
    iss.add_argument("import_id", type=int, nargs="?")
    iss.add_argument("--out", help="tệp CSV (mặc định: màn hình)")
    rem = commands.add_parser("remove", help="xoá một lần nhập (và hồ sơ chỉ có trong lần nhập đó)")
    rem.add_argument("import_id", type=int)
    _add_reconcile(commands)
    cli_access.add_commands(commands, _Parser)
    return parser


def _add_session_commands(commands) -> None:
    session = commands.add_parser("session", help="các đợt giám sát: thêm, liệt kê, xem, xoá")
    actions = session.add_subparsers(dest="action", required=True, parser_class=_Parser, title="lệnh",
                                     metavar="LỆNH")
    add = actions.add_parser("add", help="thêm (hoặc thay) một đợt giám sát")
    add.add_argument("name", metavar="TÊN")
    add.add_argument("--from", dest="start", type=_date, required=True, help="ngày đầu kỳ giám sát, YYYY-MM-DD")
    add.add_argument("--to", dest="end", type=_date, required=True, help="ngày cuối kỳ giám sát, YYYY-MM-DD")
    add.add_argument("--compare-from", type=_date, help="ngày đầu kỳ so sánh")
    add.add_argument("--compare-to", type=_date, help="ngày cuối kỳ so sánh")
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


def _range(text: str) -> Period:
    try:
        return periods.parse_range(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _period(args) -> Period:
    """--from/--to, or --period KIND:YEAR[:N] with --cutoff."""
    if args.period:
        if args.start or args.end:
            raise ArgumentError("dùng --period hoặc --from/--to, không dùng cả hai.")
        kind, _, rest = args.period.partition(":")
        try:
            numbers = [int(x) for x in rest.split(":") if x]
            year_number, number = numbers[0], numbers[1] if len(numbers) > 1 else 1
        except (IndexError, ValueError):
            raise ArgumentError(f'--period "{args.period}": hãy viết ví dụ quarter:2019:1, month:2019:3, '
                                "year:2019.") from None
        try:
            return periods.preset(kind, year_number, number, args.cutoff)
        except ValueError as error:  # out of range (month 13, quarter 5) or an unknown kind: say which
            raise ArgumentError(f'--period "{args.period}": {error}') from None
    if not args.start or not args.end:
        raise ArgumentError("cần --from và --to (YYYY-MM-DD), hoặc --period.")
    try:
        return Period(args.start, args.end)
    except ValueError as error:  # the start after the end
        raise ArgumentError(str(error)) from None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = getattr(args, "data_dir", None)
    store = Store(data_dir) if data_dir else Store()
    commands = {"import": _import, "report": _report, "compare": _compare, "timeliness": _analysis,
                "funnel": _analysis, "screening": _analysis, "late": _analysis, "trend": _analysis,
                "audit": _audit, "imports": _imports, "issues": _issues, "remove": _remove, "session": _session,
                "export": _export, "reconcile": _reconcile, "users": cli_access.users_command,
                "audit-log": cli_access.audit_log_command}
    try:
        return commands[args.command](args, store)
    except StoreUnavailable as error:  # busy (another program writes), read-only, full disk, not a store
        print(str(error), file=sys.stderr)
        return EXIT_FILE
    except ArgumentError as error:
        print(f"Tham số không hợp lệ: {error}", file=sys.stderr)
        return EXIT_ARGS
    except UserError as error:  # an account that does not exist, a password too short…
        print(str(error), file=sys.stderr)
        return EXIT_ARGS
    except OSError as error:  # writing --out: a folder that does not exist, no permission, a full disk
        print(f"Không ghi được tệp {error.filename or ''}: {error.strerror or error}. Hãy kiểm tra đường dẫn, quyền "
              "ghi và dung lượng ổ đĩa.", file=sys.stderr)
        return EXIT_FILE
    except Exception as error:  # a defect of the program, never the user's argument or file
        where = _log_error(store)
        print(f"Lỗi của chương trình (không phải do tham số hay tệp của bạn): {type(error).__name__}. Dữ liệu trong "
              f"kho không bị thay đổi dở dang. Hãy báo cho người phát triển kèm {where}.", file=sys.stderr)
        return EXIT_INTERNAL


def _log_error(store: Store) -> str:
    """Keep the traceback for the developers, out of the user's sight: where it went, said for the message."""
    try:
        store.data_dir.mkdir(parents=True, exist_ok=True)
        with open(store.data_dir / ERROR_LOG, "a", encoding="utf-8") as log:
            log.write(f"--- {dt.datetime.now():%Y-%m-%d %H:%M:%S} {' '.join(sys.argv)}\n{traceback.format_exc()}\n")
        return f"tệp {store.data_dir / ERROR_LOG}"
    except OSError:
        logging.getLogger("analytics").exception("Lỗi của chương trình")
        return "thời điểm xảy ra"


def _record(store: Store, action: str, target: str = "", detail: dict | None = None,
            outcome: str = trail.OK) -> None:
    """One line of the audit trail for what this command did (a store that cannot take it is said, not fatal: the
    work itself is done)."""
    try:
        AuditTrail(store).record(command_line_actor(), action, target, detail, outcome)
    except StoreUnavailable as error:
        print(f"Lưu ý: không ghi được nhật ký thao tác. {error}", file=sys.stderr)


def _write(out: str | Path, content: bytes, store: Store, what: str) -> Path:
    """Write an output whole or not at all, and record the export."""
    path = write_atomically(out, content)
    _record(store, trail.EXPORT, str(Path(path).resolve()), {"what": what, "bytes": len(content)})
    return path


def _print_issues(issues: list[q.Issue], more: str, limit: int = 20) -> None:
    for issue in issues[:limit]:
        print(f"  - {q.describe(issue)}", file=sys.stderr)
    if len(issues) > limit:
        print(f"  … và {fmt.number(len(issues) - limit)} vấn đề khác: {more}", file=sys.stderr)


def _import(args, store: Store) -> int:
    overrides, value_overrides = _mapping(args.map), _value_mapping(args.map_value)
    failed = False
    for path in expand_paths(args.paths):
        result = store.import_file(path, overrides=overrides, value_overrides=value_overrides)
        _record(store, trail.IMPORT, result.file_name,
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


def _source(args, store: Store) -> LoadedDossiers | None:
    """The dossiers the command works on (files or the store), due dates filled from --catalog when given."""
    source = _dossiers(args, store)
    if source is None or not getattr(args, "catalog", None) or args.command == "audit":
        return source
    procedures = _catalog(args.catalog)
    if procedures is None:
        return None
    source.dossiers, source.due_dates_computed = catalog_audit.fill_missing_due_dates(source.dossiers, procedures)
    return source


def _catalog(path: str) -> Catalog | None:
    try:
        return catalog.read_catalog(path)
    except q.FileRejected as rejected:
        print(f"Không dùng được danh mục {path}: {rejected.issue.message}", file=sys.stderr)
        return None


def _dossiers(args, store: Store) -> LoadedDossiers | None:
    overrides, value_overrides = _mapping(args.map), _value_mapping(args.map_value)
    if args.paths:
        missing = [p for p in args.paths if not Path(p).exists()]
        if missing:
            print(f"Không tìm thấy: {', '.join(missing)}. Hãy kiểm tra đường dẫn.", file=sys.stderr)
            return None
        source = read_files(args.paths, overrides=overrides, remembered=store.remembered_mappings(),
                            value_overrides=value_overrides, remembered_values=store.remembered_value_mappings())
        if not source.readings:
            print("Không có tệp bảng tính (.xlsx, .xlsm, .xls, .ods, .csv) nào trong đường dẫn đã cho.",
                  file=sys.stderr)
            return None
        if source.rejected:
            for issue in source.rejected:
                print(f"Không dùng được {issue.file}: {issue.message}", file=sys.stderr)
            return None
        skipped = sum(r.rows_skipped for r in source.readings)
        if skipped:
            print(f"Lưu ý: {fmt.number(skipped)} dòng bị bỏ qua khi đọc tệp (xem data_quality trong "
                  "python -m analytics report … --format json).", file=sys.stderr)
        return source
    records = store.records()
    dossiers, merged = merge_duplicates(records)
    if dossiers.empty:
        print("Kho dữ liệu chưa có hồ sơ. Hãy nhập tệp trước: python -m analytics import TỆP…", file=sys.stderr)
        return None
    if value_overrides:
        print("Lưu ý: --map-value chỉ áp dụng khi đọc tệp hoặc nhập (python -m analytics import … --map-value …); "
              "kho dữ liệu giữ cách đọc của lần nhập.", file=sys.stderr)
    imports = store.imports()
    notices = merge_notices(records, dict(zip(imports["import_id"], imports["file_name"])))
    return LoadedDossiers(dossiers, merged, stored_issues=store.issues(), stored_missing=store.missing_fields(),
                          merge_notices=notices,
                          origin=f"Nguồn số liệu: kho {store.path}, {len(imports)} lần nhập ("
                                 + ", ".join(imports["file_name"].head(5)) + (", …" if len(imports) > 5 else "")
                                 + ").")


def _emit(text: str, args, store: Store) -> None:
    """The command's text or JSON: on screen, or into --out (recorded as an export)."""
    if args.out:
        _write(args.out, (text + "\n").encode("utf-8"), store, f"{args.command} ({args.format})")
    else:
        sys.stdout.write(text + "\n")


def _json(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str)


def _report(args, store: Store) -> int:
    period = _period(args)
    source = _source(args, store)
    if source is None:
        return EXIT_FILE
    table = official_table(source.dossiers, period, args.by, args.fold_withdrawn, args.rate)
    if args.format == "json":
        _emit(_json(documents.report_document(table, source)), args, store)
        return EXIT_OK
    notes = table_notes(caveats(table.classified, source.missing_fields()), table.quality())
    if args.format == "table":
        _emit(text_tables.text_table(table, notes), args, store)
    else:
        out = _write(args.out or f"bieu06_{period.start:%Y%m%d}_{period.end:%Y%m%d}.xlsx",
                     bieu06_xlsx.xlsx_bytes(table, quality_lines=[source.description(), *notes]), store,
                     "report (xlsx)")
        print(f"Đã ghi Biểu 06 vào {out}")
    return EXIT_OK


def _compare(args, store: Store) -> int:
    source = _source(args, store)
    if source is None:
        return EXIT_FILE
    comparison = compare(source.dossiers, args.a, args.b, args.by, args.rate, args.fold_withdrawn)
    doc = documents.comparison_document(comparison, source)
    _emit(_json(doc) if args.format == "json" else text_tables.comparison_text(doc), args, store)
    return EXIT_OK


_ANALYSES = {
    "timeliness": (documents.timeliness_document, text_tables.timeliness_text),
    "funnel": (documents.funnel_document, text_tables.funnel_text),
    "screening": (documents.screening_document, text_tables.screening_text),
    "late": (documents.late_document, text_tables.late_text),
}


def _analysis(args, store: Store) -> int:
    period = _period(args)
    source = _source(args, store)
    if source is None:
        return EXIT_FILE
    if args.command == "trend":
        doc = documents.trend_document(source.dossiers, period, args.freq, args.cutoff, args.rate, args.fold_withdrawn)
        text = text_tables.trend_text
    else:
        by = getattr(args, "by", None) if args.command == "timeliness" else "unit" if args.command == "funnel" \
            else None
        table = official_table(source.dossiers, period, by, args.fold_withdrawn, args.rate)
        build, text = _ANALYSES[args.command]
        doc = build(table)
    _emit(_json(doc) if args.format == "json" else text(doc), args, store)
    return EXIT_OK


def _audit(args, store: Store) -> int:
    period = _period(args)
    source = _source(args, store)
    if source is None:
        return EXIT_FILE
    procedures = _catalog(args.catalog)
    if procedures is None:
        return EXIT_FILE
    doc = catalog_audit.audit(source.dossiers, procedures, period.start, period.end)
    _emit(_json(doc) if args.format == "json" else text_tables.audit_text(doc, period), args, store)
    return EXIT_OK


def _imports(args, store: Store) -> int:
    table = store.imports()
    if table.empty:
        print("Chưa có lần nhập nào.")
    for row in table.itertuples():
        print(f"{row.import_id:>4}  {row.imported_at:%d/%m/%Y %H:%M}  {row.file_name}  "
              f"{fmt.number(row.rows_imported)} dòng, bỏ qua {fmt.number(row.rows_skipped)}")
    return EXIT_OK


def _issues(args, store: Store) -> int:
    table = store.issues(args.import_id)
    if table.empty:
        print("Không có vấn đề dữ liệu nào" + (f" ở lần nhập số {args.import_id}." if args.import_id else "."))
        return EXIT_OK
    labels = {"import_id": "Lần nhập", **q.COLUMN_LABELS}
    table = table.assign(level=table["level"].map(q.LEVEL_LABELS)).rename(columns=labels)
    text = safe_frame(table).to_csv(index=False)
    if args.out:
        _write(args.out, text.encode("utf-8-sig"), store, "issues (csv)")  # BOM: Excel reads Vietnamese right
        print(f"Đã ghi {fmt.number(len(table))} vấn đề vào {args.out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _remove(args, store: Store) -> int:
    if not store.remove_import(args.import_id):
        print(f"Không có lần nhập số {args.import_id}. Xem danh sách: python -m analytics imports", file=sys.stderr)
        return EXIT_ARGS
    _record(store, trail.IMPORT_REMOVED, str(args.import_id))
    print(f"Đã xoá lần nhập số {args.import_id}.")
    return EXIT_OK


def _session_text(session: SupervisionSession) -> str:
    lines = [f"Đợt giám sát: {session.name}", f"Tên: {session.heading}",
             *session_description(session).split(" · "), f"Danh mục TTHC: {session.catalog or 'không dùng'}"]
    lines += [f"Cơ quan chủ quản: {session.parent_body}"] if session.parent_body else []
    lines += [f"Đoàn giám sát: {session.team}"] if session.team else []
    lines += [f"Cơ quan được giám sát: {session.bodies}"] if session.bodies else []
    lines += [f"Người ký: {session.signer}"] if session.signer else []
    lines += [f"Biểu cơ quan báo cáo (sha256): {session.reported[:16]}…"] if session.reported else []
    lines += [f"Ghép dòng biểu báo cáo: {a} = {b}" for a, b in session.row_map]
    return "\n".join(lines)


def _session(args, store: Store) -> int:
    if args.action == "add":
        if args.catalog and _catalog(args.catalog) is None:
            return EXIT_FILE
        reported = None
        if args.reported:
            from analytics.ingest.reported_table import read_reported_table
            try:
                table = read_reported_table(args.reported)
            except q.FileRejected as rejected:
                print(f"Không dùng được {args.reported}: {q.describe(rejected.issue)}", file=sys.stderr)
                return EXIT_FILE
            reported_id, added = store.save_reported(table)
            if added:
                _record(store, trail.REPORTED_IMPORT, table.file, {"reported_id": reported_id})
            reported = table.sha256
        try:
            session = SupervisionSession(
                args.name, args.start, args.end, args.compare_from, args.compare_to, tuple(args.unit), args.rate,
                args.target, str(Path(args.catalog).resolve()) if args.catalog else None, args.team, args.bodies,
                reported, title=args.title, levels=tuple(args.level), fields=tuple(args.field),
                channels=tuple(args.channel), fold_withdrawn=args.fold_withdrawn,
                fill_due_dates=not args.keep_due_dates, cutoff=args.cutoff,
                row_map=tuple(sorted({**store.remembered_row_map(), **_row_map(args.map_row)}.items())),
                parent_body=args.parent_body, signer=args.signer)
        except ValueError as error:  # no name, a period that ends before it starts
            raise ArgumentError(str(error)) from None
        replaced = store.session(args.name) is not None
        store.save_session(session)
        _record(store, trail.SESSION_SAVED, session.name, {"replaced": replaced})
        print(("Đã thay" if replaced else "Đã thêm") + f" đợt giám sát \"{session.name}\".\n" + _session_text(session))
        return EXIT_OK
    if args.action == "list":
        sessions = store.sessions()
        if not sessions:
            print("Chưa có đợt giám sát nào. Thêm: python -m analytics session add TÊN --from … --to …")
        for session in sessions:
            print(f"{session.name}  {session.period.label}"
                  + (f"  so với {session.comparison.label}" if session.comparison else ""))
        return EXIT_OK
    session = store.session(args.name)
    if session is None:
        print(f'Không có đợt giám sát "{args.name}". Xem danh sách: python -m analytics session list',
              file=sys.stderr)
        return EXIT_ARGS
    if args.action == "show":
        print(_session_text(session))
    else:
        store.remove_session(args.name)
        _record(store, trail.SESSION_REMOVED, args.name)
        print(f'Đã xoá đợt giám sát "{args.name}".')
    return EXIT_OK


def _export(args, store: Store) -> int:
    """A session's written report, slides or workbook, from the files given or the store."""
    import importlib

    from analytics.analyses.session_figures import prepared, session_figures
    from analytics.dossiers import provenance as origin

    session = store.session(args.session)
    if session is None:
        print(f'Không có đợt giám sát "{args.session}". Thêm bằng: python -m analytics session add …',
              file=sys.stderr)
        return EXIT_ARGS
    source = _dossiers(args, store)
    if source is None:
        return EXIT_FILE
    procedures = _catalog(session.catalog) if session.catalog else None
    if session.catalog and procedures is None:
        return EXIT_FILE
    dossiers = prepared(source.dossiers, session, procedures)
    reported = store.reported_by_sha256(session.reported) if session.reported else None
    figures = session_figures(dossiers, session, source.missing_fields(), procedures, reported)
    scope = filters_words(Filters.of_session(session))
    made = origin.from_files(source, origin.is_sample(source), scope) if source.readings \
        else origin.from_store(store.imports(), scope)
    module, function = EXPORTS[args.format]
    data = getattr(importlib.import_module(f"analytics.outputs.{module}"), function)(figures, made)
    out = _write(args.out or f"{session.file_stem}.{args.format}", data, store,
                 f"export {args.format}: {session.name}")
    print(f"Đã ghi {out} ({fmt.number(len(data) // 1024)} KB) cho đợt giám sát \"{session.name}\".")
    return EXIT_OK


# --- reconcile: a body's reported table beside the figures recomputed from its dossiers (issue 10) -----------------

def _tolerance(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f'"{text}" không phải ngưỡng chênh lệch: hãy cho một số hồ sơ từ 0 trở lên '
                                         "(ví dụ 0 hoặc 2).")
    return value


def _add_reconcile(commands) -> None:
    rec = commands.add_parser("reconcile", help="đối chiếu bảng số liệu đơn vị báo cáo với số tính lại từ hồ sơ")
    rec.add_argument("reported", metavar="REPORTED_FILE",
                     help="bảng số liệu đơn vị báo cáo (Biểu 06 hoặc báo cáo kết quả giải quyết TTHC): .xlsx, .xls, "
                          ".ods, .csv")
    rec.add_argument("paths", nargs="*", metavar="TỆP",
                     help="tệp hoặc thư mục xuất hồ sơ (không có: dùng kho dữ liệu)")
    _add_period(rec)
    rec.add_argument("--session", metavar="TÊN", help="đợt giám sát: lấy kỳ, đơn vị và cách tính tỷ lệ của đợt "
                                                      "(thay cho --from/--to/--period)")
    rec.add_argument("--by", choices=reconciliation.BY, default="unit",
                     help="mỗi dòng của bảng báo cáo là một cơ quan (unit, mặc định), lĩnh vực (field) hay cấp (level)")
    rec.add_argument("--map-row", action="append", default=[], metavar='"Tên trong báo cáo=Tên trong số liệu"',
                     help="ghép một dòng của bảng báo cáo với một nhóm trong số liệu hồ sơ (lặp lại được)")
    rec.add_argument("--map", action="append", default=[], metavar='"Tiêu đề cột=khóa"',
                     help='đọc một cột của bảng báo cáo theo khóa của Biểu 06, ví dụ "Tiếp nhận mới='
                          'received_in_period" (- để giữ cột như ghi, không đối chiếu)')
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


def _row_map(pairs: list[str]) -> dict[str, str]:
    """--map-row "Reported name=Name in the data"."""
    out = {}
    for pair in pairs:
        reported, sep, target = pair.rpartition("=")
        if not sep or not reported.strip() or not target.strip():
            raise ArgumentError(f'--map-row "{pair}": hãy viết dạng "Tên trong báo cáo=Tên trong số liệu", ví dụ '
                                '"UBND TP Lạng Sơn=UBND thành phố Lạng Sơn".')
        out[reported.strip()] = target.strip()
    return out


def _reconcile(args, store: Store) -> int:
    """A reported table beside Biểu 06 recomputed from the dossiers (files given, or the store) for a period or a
    session; exit 0 whether or not they differ, 1 when the reported table or a dossier file cannot be used."""
    from analytics.analyses.reconciliation import reconcile
    from analytics.analyses.session_figures import scoped
    from analytics.ingest.reported_table import read_reported_table
    from analytics.outputs import reconciliation_outputs as out

    overrides, given = _reported_mapping(args.map), _row_map(args.map_row)
    row_map = {**store.remembered_row_map(), **given}  # corrections given before are remembered; new ones win
    session = None
    if args.session:
        if args.start or args.end or args.period:
            raise ArgumentError("dùng --session hoặc --from/--to/--period, không dùng cả hai.")
        session = store.session(args.session)
        if session is None:
            print(f'Không có đợt giám sát "{args.session}". Xem danh sách: python -m analytics session list',
                  file=sys.stderr)
            return EXIT_ARGS
        period = session.period
        row_map = {**store.remembered_row_map(), **dict(session.row_map), **given}
    else:
        period = _period(args)
    rate = args.rate or (session.rate if session else DEFAULT_RATE)
    path = Path(args.reported)
    if not path.is_file():
        print(f"Không tìm thấy bảng báo cáo {args.reported}. Hãy kiểm tra đường dẫn.", file=sys.stderr)
        return EXIT_FILE
    try:
        table = read_reported_table(path, path.name, overrides or None)
    except q.FileRejected as rejected:
        print(f"Không dùng được bảng báo cáo {path.name}: {rejected.issue.message}", file=sys.stderr)
        return EXIT_FILE
    if not any(k in table.rows for k in _reconcile_keys()):
        print(f"Không dùng được bảng báo cáo {path.name}: không cột nào của bảng (trang \"{table.sheet}\") đọc được "
              "là một cột của Biểu 06 để đối chiếu. Hãy chỉ cột bằng --map \"Tiêu đề cột=khóa\", ví dụ --map "
              "\"Tổng số hồ sơ tiếp nhận=received_total\" (các khóa: received_total, carried_over, resolved_total, "
              "resolved_on_time, pending_total, pending_overdue …).", file=sys.stderr)
        return EXIT_FILE
    catalog_path = args.catalog or (session.catalog if session else None)
    source = _source(argparse.Namespace(paths=args.paths, map=args.map_dossier, map_value=args.map_value,
                                        catalog=catalog_path, command="reconcile"), store)
    if source is None:
        return EXIT_FILE
    dossiers = scoped(source.dossiers, session) if session else source.dossiers
    if given:
        store.remember_row_map(given)
        _record(store, trail.ROW_MAP, path.name, {"rows": len(given)})
    fold = args.fold_withdrawn or bool(session and session.fold_withdrawn)
    result = reconcile(table, dossiers, period, args.by, args.tolerance, row_map, rate, fold,
                       source.missing_fields())
    if not [r for r in result.rows if not r.is_total]:
        print(f"Lưu ý: không dòng nào của bảng báo cáo {path.name} ghép được với một "
              f"{'cơ quan' if args.by == 'unit' else 'lĩnh vực' if args.by == 'field' else 'cấp'} trong số liệu hồ sơ. "
              "Hãy kiểm tra --by, hoặc ghép bằng --map-row \"Tên trong báo cáo=Tên trong số liệu\".", file=sys.stderr)
    for note in out.reconciliation_notes(result):
        print(f"Lưu ý: {note}", file=sys.stderr)
    if args.format == "json":
        _emit(_json(out.reconciliation_document(result)), args, store)
    elif args.format == "table":
        _emit(out.reconciliation_text(result), args, store)
    else:
        target = _write(args.out or f"doi-chieu_{period.start:%Y%m%d}_{period.end:%Y%m%d}.xlsx",
                        out.reconciliation_xlsx(result), store, "reconcile (xlsx)")
        print(f"Đã ghi bảng đối chiếu vào {target}")
    return EXIT_OK


def _reconcile_keys() -> list[str]:
    """The reported table's keys that have a recomputed figure."""
    from analytics.model.reported import BIEU06_KEYS, DERIVED
    return BIEU06_KEYS + list(DERIVED)
