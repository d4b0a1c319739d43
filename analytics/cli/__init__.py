"""Command line: `python -m analytics COMMAND …` (see README).

Exit codes: 0 done; 1 a file or the store could not be used (a Vietnamese message on stderr, never a traceback);
2 bad arguments; 3 an error of the program itself (said as such, its details written to the store's errors.log).
Every change and every file written is recorded in the audit trail (analytics/access/audit.py).

By command family:
    parser      the parser, its Vietnamese help and argument errors, the exit codes, the options commands share
    files       what commands read and write: the dossiers (files given, or the store), a catalog, outputs recorded
    data        import, imports, issues, remove
    reports     report, compare, timeliness, funnel, screening, late, trend, audit
    sessions    session add|list|show|remove, export, recommend add|list|answer|remove
    reconcile   reconcile
    units       units import|list|remove; the --units/--boundaries options of the commands counting by unit
    experience  experience (citizens' experience), index import|list|remove (the QĐ 766 scores)
    cluster     parquet, rollup: the store as Parquet, Biểu 06 counted on it by DuckDB or Spark (issue 20)
    access      users add|remove|passwd|role|unlock|list, audit-log
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import traceback

from analytics.access.users import UserError
from analytics.cli import access, cluster, data, experience, reconcile, reports, sessions, units
from analytics.cli.parser import EXIT_ARGS, EXIT_FILE, EXIT_INTERNAL, ArgumentError, program_parser
from analytics.dossiers.store import Store, StoreUnavailable

ERROR_LOG = "errors.log"  # in the data folder: the details of an error of the program


def build_parser() -> argparse.ArgumentParser:
    """Every command, in the order the help lists them."""
    parser, commands = program_parser()
    data.add_import(commands)
    reports.add_commands(commands)
    sessions.add_commands(commands)
    data.add_store_commands(commands)
    reconcile.add_command(commands)
    units.add_commands(commands)
    experience.add_commands(commands)
    cluster.add_commands(commands)
    access.add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = getattr(args, "data_dir", None)
    store = Store(data_dir) if data_dir else Store()
    commands = {"import": data.import_command, "report": reports.report_command,
                "compare": reports.compare_command, "timeliness": reports.analysis_command,
                "funnel": reports.analysis_command, "screening": reports.analysis_command,
                "late": reports.analysis_command, "trend": reports.analysis_command, "audit": reports.audit_command,
                "imports": data.imports_command, "issues": data.issues_command, "remove": data.remove_command,
                "session": sessions.session_command, "export": sessions.export_command,
                "reconcile": reconcile.reconcile_command, "users": access.users_command,
                "audit-log": access.audit_log_command, "units": units.units_command,
                "recommend": sessions.recommend_command, "experience": experience.experience_command,
                "index": experience.index_command, "parquet": cluster.parquet_command,
                "rollup": cluster.rollup_command}
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
