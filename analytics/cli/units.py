"""`units import|list|remove`: the unit register of the 2025 reorganisation (issue 18), and the `--units` /
`--boundaries` options of the commands that count by unit."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analytics.access import audit as trail
from analytics.analyses.boundaries import Placement, placement, under_boundaries
from analytics.cli import files
from analytics.cli.parser import EXIT_ARGS, EXIT_FILE, EXIT_OK, ArgumentError
from analytics.dossiers.store import Store
from analytics.ingest.unit_register import read_unit_register
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.unit_register import BOUNDARIES, NEW, RECORDED, UnitRegister
from analytics.outputs import formatting as fmt
from analytics.outputs.boundaries_words import NO_SUCCESSOR, boundaries_line, placement_notes


def add_commands(commands) -> None:
    units = commands.add_parser("units", help="sổ theo dõi sắp xếp đơn vị (2025): nhập, xem, xoá")
    actions = units.add_subparsers(dest="action", required=True, metavar="import|list|remove")
    imp = actions.add_parser("import", help="nhập sổ (đơn vị mới, các đơn vị cũ hình thành nên nó, ngày hiệu lực)")
    imp.add_argument("register", metavar="SỔ", help="tệp sổ sắp xếp đơn vị (.xlsx, .xls, .ods, .csv)")
    actions.add_parser("list", help="xem sổ đang dùng")
    actions.add_parser("remove", help="xoá sổ đang dùng")


def add_options(command) -> None:
    """--units and --boundaries, for the commands that count by unit."""
    command.add_argument("--units", metavar="SỔ", help="sổ sắp xếp đơn vị đọc thẳng từ tệp, không lưu (không có: "
                                                       "dùng sổ đã nhập bằng units import)")
    command.add_argument("--boundaries", choices=list(BOUNDARIES), default=RECORDED,
                         help="ranh giới đơn vị: recorded (mặc định, như dữ liệu ghi) hoặc new (hồ sơ của đơn vị cũ "
                              "tính cho đơn vị kế tiếp theo sổ sắp xếp)")


def units_command(args, store: Store) -> int:
    if args.action == "import":
        try:
            register = read_unit_register(Path(args.register))
        except q.FileRejected as rejected:
            print(f"Không dùng được sổ sắp xếp đơn vị {Path(args.register).name}: {q.describe(rejected.issue)}",
                  file=sys.stderr)
            return EXIT_FILE
        replaced = store.save_register(register)
        files.record(store, trail.UNITS_IMPORTED, register.file, {"rows": len(register.successions),
                                                                  "replaced": replaced})
        print(f"Đã nhập sổ sắp xếp đơn vị {register.file}: {fmt.number(len(register.successions))} đơn vị cũ, "
              f"{fmt.number(len(register.new_units))} đơn vị mới" + (" (thay sổ trước)." if replaced else "."))
        for issue in register.issues:
            print(f"Bỏ qua: {q.describe(issue)}", file=sys.stderr)
        return EXIT_OK
    if args.action == "remove":
        if not store.remove_register():
            print("Kho chưa có sổ sắp xếp đơn vị nào.", file=sys.stderr)
            return EXIT_ARGS
        files.record(store, trail.UNITS_REMOVED, "")
        print("Đã xoá sổ sắp xếp đơn vị.")
        return EXIT_OK
    register = store.unit_register()
    if register is None:
        print("Kho chưa có sổ sắp xếp đơn vị nào. Nhập bằng: python -m analytics units import SỔ.xlsx")
        return EXIT_OK
    print(f"Sổ sắp xếp đơn vị: {register.file} (SHA-256 {register.sha256[:16]}…)")
    for step in register.successions:
        when = fmt.date(step.effective) if step.effective else "—"
        print(f"  {step.old} → {step.new or NO_SUCCESSOR} (từ {when}; dòng {step.row})")
    dossiers = store.dossiers()[0] if store.exists else pd.DataFrame()
    if len(dossiers):
        for line in placement_notes(placement(register, _units(dossiers))):
            print(f"Lưu ý: {line}")
    return EXIT_OK


def _units(dossiers: pd.DataFrame) -> list[str]:
    return sorted({u for u in dossiers[s.UNIT].dropna().astype(str)})


def register_of(args, store: Store) -> UnitRegister | None:
    """The register a command uses: --units (read, not stored), else the store's."""
    if getattr(args, "units", None):
        try:
            return read_unit_register(Path(args.units))
        except q.FileRejected as rejected:
            raise ArgumentError(f"--units {args.units}: {q.describe(rejected.issue)}") from None
    return store.unit_register()


def bounded(args, store: Store, dossiers: pd.DataFrame) -> tuple[pd.DataFrame, dict, list[str]]:
    """(the dossiers under the boundaries asked, the JSON block that says them, the notes for a text output)."""
    boundaries = getattr(args, "boundaries", RECORDED)
    register = register_of(args, store)
    if boundaries == NEW and register is None:
        raise ArgumentError("--boundaries new cần sổ sắp xếp đơn vị: nhập bằng \"units import SỔ.xlsx\" hoặc chỉ tệp "
                            "bằng --units SỔ.xlsx.")
    block: dict = {"boundaries": boundaries}
    notes = [boundaries_line(boundaries, register)]
    if boundaries == NEW:
        place: Placement = placement(register, _units(dossiers))
        dossiers = under_boundaries(dossiers, place, NEW)
        block |= {"without_successor": place.without_successor, "unplaced": place.unplaced,
                  "not_in_data": place.not_in_data,
                  "register": {"file": register.file, "sha256": register.sha256},
                  "not_exact": [{"unit": u, "register": n, "how": h} for u, n, h in place.not_exact]}
        notes += placement_notes(place)
    return dossiers, block, notes
