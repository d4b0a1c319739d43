"""What the commands read and write: the dossiers they work on (the files given, or the store), a procedure catalog,
and outputs (on screen, or a file written whole or not at all); every change and every file written is recorded in
the audit trail (analytics/access/audit.py).

A file that cannot be used is said on stderr in Vietnamese and comes back as None: the command then exits 1.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from analytics.access import audit as trail
from analytics.access.audit import AuditTrail, command_line_actor
from analytics.analyses import catalog_audit
from analytics.cli.parser import mapping, value_mapping
from analytics.dossiers.dedup import merge_duplicates, merge_notices
from analytics.dossiers.sources import LoadedDossiers, read_files
from analytics.dossiers.store import Store, StoreUnavailable
from analytics.ingest.catalog import read_catalog
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.model.unit_register import NEW
from analytics.model.procedure_catalog import Catalog
from analytics.outputs import formatting as fmt
from analytics.outputs.files import write_atomically


def record(store: Store, action: str, target: str = "", detail: dict | None = None, outcome: str = trail.OK) -> None:
    """One line of the audit trail for what this command did (a store that cannot take it is said, not fatal: the
    work itself is done)."""
    try:
        AuditTrail(store).record(command_line_actor(), action, target, detail, outcome)
    except StoreUnavailable as error:
        print(f"Lưu ý: không ghi được nhật ký thao tác. {error}", file=sys.stderr)


def write(out: str | Path, content: bytes, store: Store, what: str) -> Path:
    """Write an output whole or not at all, and record the export."""
    path = write_atomically(out, content)
    record(store, trail.EXPORT, str(Path(path).resolve()), {"what": what, "bytes": len(content)})
    return path


def emit(text: str, args, store: Store) -> None:
    """The command's text or JSON: on screen, or into --out (recorded as an export)."""
    if args.out:
        write(args.out, (text + "\n").encode("utf-8"), store, f"{args.command} ({args.format})")
    else:
        sys.stdout.write(text + "\n")


def as_json(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str)


def procedure_catalog(path: str) -> Catalog | None:
    try:
        return read_catalog(path)
    except q.FileRejected as rejected:
        print(f"Không dùng được danh mục {path}: {rejected.issue.message}", file=sys.stderr)
        return None


def source(args, store: Store) -> LoadedDossiers | None:
    """The dossiers the command works on (files or the store), due dates filled from --catalog when given."""
    loaded = dossiers(args, store)
    if loaded is None or not getattr(args, "catalog", None) or args.command == "audit":
        return loaded
    procedures = procedure_catalog(args.catalog)
    if procedures is None:
        return None
    loaded.dossiers, loaded.due_dates_computed = catalog_audit.fill_missing_due_dates(loaded.dossiers, procedures)
    return loaded


def dossiers(args, store: Store) -> LoadedDossiers | None:
    """The dossiers of the files given (args.paths, read with --map and --map-value), else of the store."""
    overrides, value_overrides = mapping(args.map), value_mapping(args.map_value)
    if args.paths:
        missing = [p for p in args.paths if not Path(p).exists()]
        if missing:
            print(f"Không tìm thấy: {', '.join(missing)}. Hãy kiểm tra đường dẫn.", file=sys.stderr)
            return None
        loaded = read_files(args.paths, overrides=overrides, remembered=store.remembered_mappings(),
                            value_overrides=value_overrides, remembered_values=store.remembered_value_mappings())
        if not loaded.readings:
            print("Không có tệp bảng tính (.xlsx, .xlsm, .xls, .ods, .csv) nào trong đường dẫn đã cho.",
                  file=sys.stderr)
            return None
        if loaded.rejected:
            for issue in loaded.rejected:
                print(f"Không dùng được {issue.file}: {issue.message}", file=sys.stderr)
            return None
        skipped = sum(r.rows_skipped for r in loaded.readings)
        if skipped:
            print(f"Lưu ý: {fmt.number(skipped)} dòng bị bỏ qua khi đọc tệp (xem data_quality trong "
                  "python -m analytics report … --format json).", file=sys.stderr)
        return loaded
    records = store.records()
    merged_dossiers, merged = merge_duplicates(records)
    if merged_dossiers.empty:
        print("Kho dữ liệu chưa có hồ sơ. Hãy nhập tệp trước: python -m analytics import TỆP…", file=sys.stderr)
        return None
    if value_overrides:
        print("Lưu ý: --map-value chỉ áp dụng khi đọc tệp hoặc nhập (python -m analytics import … --map-value …); "
              "kho dữ liệu giữ cách đọc của lần nhập.", file=sys.stderr)
    imports = store.imports()
    notices = merge_notices(records, dict(zip(imports["import_id"], imports["file_name"])))
    return LoadedDossiers(merged_dossiers, merged, stored_issues=store.issues(), stored_missing=store.missing_fields(),
                          merge_notices=notices,
                          origin=f"Nguồn số liệu: kho {store.path}, {len(imports)} lần nhập ("
                                 + ", ".join(imports["file_name"].head(5)) + (", …" if len(imports) > 5 else "")
                                 + ").")


def session(store: Store, name: str):
    """The stored supervision session of that name; None, said on stderr with where to look, when there is none."""
    found = store.session(name)
    if found is None:
        print(f'Không có đợt giám sát "{name}". Xem danh sách: python -m analytics session list; thêm bằng: python -m '
              "analytics session add …", file=sys.stderr)
    return found


def session_dossiers(store: Store, session, dossiers: pd.DataFrame):
    """(the dossiers as a session's documents count them: due dates filled from its catalog when it asks, units
    under the new boundaries when it uses them; its catalog) — None, said on stderr, when the catalog or the unit
    register it needs cannot be had. The session's filters apply later (session_figures.scoped)."""
    from analytics.analyses.boundaries import placement, under_boundaries   # only for a session's documents
    from analytics.analyses.session_figures import prepared
    procedures = procedure_catalog(session.catalog) if session.catalog else None
    if session.catalog and procedures is None:
        return None
    dossiers = prepared(dossiers, session, procedures)
    if session.boundaries == NEW:
        register = store.unit_register()
        if register is None:
            print(f'Đợt giám sát "{session.name}" tính theo ranh giới mới nhưng kho chưa có sổ sắp xếp đơn vị. Nhập '
                  "bằng: python -m analytics units import SỔ.xlsx", file=sys.stderr)
            return None
        dossiers = under_boundaries(dossiers, placement(register, sorted(set(dossiers[s.UNIT].dropna().astype(str)))),
                                    NEW)
    return dossiers, procedures
