"""The command line's parser: its help and its argument errors in Vietnamese, the exit codes, the options that
several commands share, and the reading of argument values (--from/--to/--period, --map, --map-value, --map-row).

Each command family (data, reports, sessions, reconcile, access) adds its own commands to the parser built here.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys

from analytics.model.levels import LEVELS
from analytics.model import periods
from analytics.model import schema as s
from analytics.model.periods import Period

EXIT_OK, EXIT_FILE, EXIT_ARGS, EXIT_INTERNAL = 0, 1, 2, 3
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
# By the name of the function given as an option's type.
_TYPE_WORDS = {"int": "số nguyên", "float": "số", "iso_date": "ngày", "date_range": "khoảng ngày"}


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


class Parser(argparse.ArgumentParser):
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


def program_parser() -> tuple[Parser, argparse._SubParsersAction]:
    """The program's parser and the place its commands are added to (each family adds its own)."""
    parser = Parser(prog="python -m analytics", description="Giám sát giải quyết TTHC tại Bộ phận Một cửa.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser, title="lệnh",
                                     metavar="LỆNH")
    return parser, commands


def actions_of(command: Parser) -> argparse._SubParsersAction:
    """The place a command's own actions are added to (session add|list…, users add|remove…)."""
    return command.add_subparsers(dest="action", required=True, parser_class=Parser, title="lệnh", metavar="LỆNH")


def add_mapping_options(command) -> None:
    command.add_argument("--map", action="append", default=[], metavar='"Tên cột=trường"',
                         help='đọc một cột theo trường đã chỉ, ví dụ "Mã tra cứu=case_id" (- để bỏ qua cột)')
    command.add_argument("--map-value", action="append", default=[], metavar='"trường:cách ghi=mã"',
                         help='đọc một cách ghi giá trị theo mã đã chỉ, ví dụ "status:Hồ sơ đang ở phòng=4"')


def add_source(command, catalog_option: bool = True) -> None:
    command.add_argument("paths", nargs="*", metavar="TỆP",
                         help="tệp hoặc thư mục xuất hồ sơ (không có: dùng kho dữ liệu)")
    add_mapping_options(command)
    if catalog_option:
        command.add_argument("--catalog", help="danh mục TTHC: hồ sơ thiếu ngày hẹn trả được tính theo thời hạn "
                                               "trong danh mục (ghi rõ số hồ sơ được tính)")


def add_period(command) -> None:
    command.add_argument("--from", dest="start", type=iso_date, help="ngày đầu kỳ, YYYY-MM-DD")
    command.add_argument("--to", dest="end", type=iso_date, help="ngày cuối kỳ, YYYY-MM-DD")
    command.add_argument("--period", help="kỳ có sẵn: month:2019:3, quarter:2019:1, half:2019:1, nine_months:2019, "
                                          "year:2019 (thay cho --from/--to)")
    command.add_argument("--cutoff", action="store_true",
                         help="kỳ theo ngày chốt số liệu của Nghị định 09/2019 (từ ngày 15 đến ngày 14)")


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" không phải ngày dạng YYYY-MM-DD (ví dụ 2019-03-31)') from None


def date_range(text: str) -> Period:
    try:
        return periods.parse_range(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def period_of(args) -> Period:
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


def mapping(pairs: list[str]) -> dict[str, str]:
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


def value_mapping(pairs: list[str]) -> dict[str, dict[str, int | str]]:
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


ROLE_WORDS = {"unit": "unit", "don vi": "unit", "subtotal": "subtotal", "dong cong": "subtotal", "cong": "subtotal",
              "total": "total", "tong": "total", "tong cong": "total"}


def row_kinds(pairs: list[str]) -> dict[str, str]:
    """--row-kind "Tên dòng=unit|subtotal|total" (or the sheet row's number: "14=subtotal")."""
    from analytics.model.text_keys import plain_key
    out = {}
    for pair in pairs:
        row, sep, kind = pair.rpartition("=")
        role = ROLE_WORDS.get(plain_key(kind))
        if not sep or not row.strip() or role is None:
            raise ArgumentError(f'--row-kind "{pair}": hãy viết dạng "Tên dòng=unit" (đơn vị), "=subtotal" (dòng '
                                'cộng) hoặc "=total" (tổng cộng); tên dòng như trong biểu, hoặc số dòng trên trang, '
                                'ví dụ "II. CẤP XÃ=subtotal" hoặc "14=unit".')
        out[row.strip()] = role
    return out


def row_map(pairs: list[str]) -> dict[str, str]:
    """--map-row "Reported name=Name in the data" (session add, reconcile)."""
    out = {}
    for pair in pairs:
        reported, sep, target = pair.rpartition("=")
        if not sep or not reported.strip() or not target.strip():
            raise ArgumentError(f'--map-row "{pair}": hãy viết dạng "Tên trong báo cáo=Tên trong số liệu", ví dụ '
                                '"UBND TP Lạng Sơn=UBND thành phố Lạng Sơn".')
        out[reported.strip()] = target.strip()
    return out
