"""The figures of a period: `report` (Biểu 06), `compare` two periods, `timeliness`, `funnel`, `screening`, `late`,
`trend`, and the `audit` against the procedure catalog; from the files given or the store."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.analyses import catalog_audit
from analytics.analyses.bieu06 import COUNT_KEYS, GROUPINGS, OFFICIAL, official_table
from analytics.analyses.caveats import caveats
from analytics.analyses.comparison import compare
from analytics.analyses.boundaries import merged_across, refused, reorganisation_warnings
from analytics.cli import files, units
from analytics.cli.parser import EXIT_FILE, EXIT_OK, add_period, add_source, date_range, period_of
from analytics.dossiers.sources import LoadedDossiers
from analytics.dossiers.store import Store
from analytics.model.rates import DEFAULT_RATE, RATES
from analytics.outputs import bieu06_xlsx, documents, text_tables
from analytics.model.unit_register import RECORDED
from analytics.outputs.boundaries_words import not_comparable_sentence, warning_sentence
from analytics.outputs.sentences import table_notes

# --by for each command that groups: the choices it handles, and what "official" means there.
BY_CHOICES = sorted(GROUPINGS) + [OFFICIAL]
BY_HELP = {
    "report": "nhóm theo; official = mẫu chính thức: cấp › cơ quan › lĩnh vực, có dòng cộng",
    "compare": "nhóm theo; official = từng dòng cấp › cơ quan › lĩnh vực của mẫu chính thức, gọi theo đường dẫn "
               "(không so sánh dòng cộng: dùng --by level hoặc --by unit cho các dòng đó)",
    "timeliness": "nhóm theo; official = từng dòng cấp › cơ quan › lĩnh vực của mẫu chính thức, gọi theo đường dẫn",
}
# The analyses printed from the official table: (the document, its text).
_ANALYSES = {
    "timeliness": (documents.timeliness_document, text_tables.timeliness_text),
    "funnel": (documents.funnel_document, text_tables.funnel_text),
    "screening": (documents.screening_document, text_tables.screening_text),
    "late": (documents.late_document, text_tables.late_text),
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


def add_commands(commands) -> None:
    rep = commands.add_parser("report", help="Biểu 06 cho một kỳ")
    add_source(rep)
    add_period(rep)
    _add_table_options(rep, by="report", formats=("table", "json", "xlsx"))
    units.add_options(rep)

    cmp_ = commands.add_parser("compare", help="so sánh hai kỳ")
    add_source(cmp_)
    cmp_.add_argument("--a", required=True, type=date_range, help="kỳ A: TỪ:ĐẾN, ví dụ 2018-01-01:2018-12-31")
    cmp_.add_argument("--b", required=True, type=date_range, help="kỳ B: TỪ:ĐẾN, ví dụ 2019-01-01:2019-03-31")
    _add_table_options(cmp_, by="compare")
    units.add_options(cmp_)

    for name, help_text in [("timeliness", "thời gian giải quyết (ngày làm việc), tỷ lệ giải quyết hết, tuổi hồ sơ"),
                            ("funnel", "so sánh công bằng giữa các đơn vị (biểu đồ phễu)"),
                            ("screening", "gợi ý câu hỏi cho Đoàn giám sát"),
                            ("late", "hồ sơ trễ hạn theo đơn vị và lĩnh vực, kèm thư xin lỗi"),
                            ("trend", "diễn biến theo tháng hoặc quý")]:
        sub = commands.add_parser(name, help=help_text)
        add_source(sub)
        add_period(sub)
        _add_table_options(sub, by=name if name in BY_HELP else None)
        if name in ("timeliness", "funnel", "trend"):
            units.add_options(sub)
        if name == "trend":
            sub.add_argument("--freq", choices=["month", "quarter"], default="month")

    aud = commands.add_parser("audit", help="đối chiếu với danh mục TTHC")
    add_source(aud, catalog_option=False)
    add_period(aud)
    aud.add_argument("--catalog", required=True, help="tệp danh mục thủ tục hành chính")
    aud.add_argument("--format", choices=["table", "json"], default="table")
    aud.add_argument("--out")


@dataclass
class _Counted:
    """The dossiers a command counts, under the boundaries asked (when it takes --boundaries), with what it says
    beside its figures: the boundaries (`block` in JSON, `said` in text) and the 2025 warnings."""
    source: LoadedDossiers
    dossiers: pd.DataFrame
    block: dict
    said: list[str]
    warnings: list[str]

    def json(self, doc: dict) -> dict:
        return doc | self.block | ({"warnings": self.warnings} if self.warnings else {})

    def text(self, text: str, more: list[str] = ()) -> str:
        return text + "".join(f"\nLưu ý: {n}" for n in [*self.said, *more, *self.warnings])


def _counted(args, store: Store, periods: list) -> _Counted | None:
    source = files.source(args, store)
    if source is None:
        return None
    dossiers, block, said = units.bounded(args, store, source.dossiers) if hasattr(args, "boundaries") \
        else (source.dossiers, {}, [])
    return _Counted(source, dossiers, block, said, [warning_sentence(w) for w in reorganisation_warnings(periods)])


def report_command(args, store: Store) -> int:
    period = period_of(args)
    counted = _counted(args, store, [period])
    if counted is None:
        return EXIT_FILE
    source = counted.source
    table = official_table(counted.dossiers, period, args.by, args.fold_withdrawn, args.rate)
    if args.format == "json":
        files.emit(files.as_json(counted.json(documents.report_document(table, source))), args, store)
        return EXIT_OK
    notes = table_notes(caveats(table.classified, source.missing_fields()), table.quality()) + counted.said + \
        counted.warnings
    if args.format == "table":
        files.emit(text_tables.text_table(table, notes), args, store)
    else:
        out = files.write(args.out or f"bieu06_{period.start:%Y%m%d}_{period.end:%Y%m%d}.xlsx",
                          bieu06_xlsx.xlsx_bytes(table, quality_lines=[source.description(), *notes]), store,
                          "report (xlsx)")
        print(f"Đã ghi Biểu 06 vào {out}")
    return EXIT_OK


def compare_command(args, store: Store) -> int:
    counted = _counted(args, store, [args.a, args.b])
    if counted is None:
        return EXIT_FILE
    comparison = compare(counted.dossiers, args.a, args.b, args.by, args.rate, args.fold_withdrawn)
    doc = counted.json(documents.comparison_document(comparison, counted.source))
    refusals = []
    register = units.register_of(args, store) if counted.block["boundaries"] == RECORDED and args.by == "unit" \
        else None
    if register is not None:
        merged = merged_across(register, [g["name"] for g in doc["change"]["groups"]], args.a, args.b)
        for n, group in enumerate(doc["change"]["groups"]):
            if group["name"] in merged:   # a merged unit against one of its predecessors: refused, with the reason
                reason = not_comparable_sentence(group["name"], merged[group["name"]])
                doc["change"]["groups"][n] = refused(group, COUNT_KEYS) | {"note": reason}
                refusals.append(reason)
    files.emit(files.as_json(doc) if args.format == "json" else counted.text(text_tables.comparison_text(doc),
                                                                              refusals), args, store)
    return EXIT_OK


def analysis_command(args, store: Store) -> int:
    """timeliness, funnel, screening, late and trend."""
    period = period_of(args)
    counted = _counted(args, store, [period])
    if counted is None:
        return EXIT_FILE
    if args.command == "trend":
        doc = documents.trend_document(counted.dossiers, period, args.freq, args.cutoff, args.rate,
                                       args.fold_withdrawn)
        text = text_tables.trend_text
    else:
        by = getattr(args, "by", None) if args.command == "timeliness" else "unit" if args.command == "funnel" \
            else None
        table = official_table(counted.dossiers, period, by, args.fold_withdrawn, args.rate)
        build, text = _ANALYSES[args.command]
        doc = build(table)
    doc = counted.json(doc)
    files.emit(files.as_json(doc) if args.format == "json" else counted.text(text(doc)), args, store)
    return EXIT_OK


def audit_command(args, store: Store) -> int:
    period = period_of(args)
    source = files.source(args, store)
    if source is None:
        return EXIT_FILE
    procedures = files.procedure_catalog(args.catalog)
    if procedures is None:
        return EXIT_FILE
    doc = catalog_audit.audit(source.dossiers, procedures, period.start, period.end)
    files.emit(files.as_json(doc) if args.format == "json" else text_tables.audit_text(doc, period), args, store)
    return EXIT_OK
