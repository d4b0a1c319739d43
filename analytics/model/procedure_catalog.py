"""The procedure catalog (danh mục TTHC) as data: its columns and the `Catalog` a reader returns.

A catalog lists each published procedure with its code, name, field, level, legal time limit and fee.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from analytics.model import issues as q
from analytics.model import schema as s

# Catalog columns beside the canonical procedure fields.
TIME_LIMIT_DAYS = "time_limit_days"    # working days; 0 = "Trong ngày"; NA = no limit or unreadable
TIME_LIMIT_TEXT = "time_limit_text"    # the limit as the catalog writes it
FEE = "fee"
TEXT_COLUMNS = [s.PROCEDURE_CODE, s.PROCEDURE_NAME, s.FIELD, s.LEVEL, TIME_LIMIT_TEXT, FEE]
COLUMNS = [s.PROCEDURE_CODE, s.PROCEDURE_NAME, s.FIELD, s.LEVEL, TIME_LIMIT_DAYS, TIME_LIMIT_TEXT, FEE,
           s.SOURCE_SHEET, s.SOURCE_ROW]
COLUMN_LABELS = {s.PROCEDURE_CODE: "Mã TTHC", s.PROCEDURE_NAME: "Tên thủ tục hành chính", s.FIELD: "Lĩnh vực",
                 s.LEVEL: "Cấp thực hiện", TIME_LIMIT_DAYS: "Thời hạn (ngày làm việc)",
                 TIME_LIMIT_TEXT: "Thời hạn giải quyết", FEE: "Phí, lệ phí"}


@dataclass
class Catalog:
    procedures: pd.DataFrame            # COLUMNS, one row per procedure, in the catalog's order
    issues: list[q.Issue] = field(default_factory=list)


_NUMERIC_CODE = re.compile(r"^(\d\.\d{1,5})$")


def code_keys(codes: pd.Series) -> pd.Series:
    """Codes as compared: trimmed; '2.00072' (a code typed as a number, its last zero lost) -> '2.000720'."""
    trimmed = codes.astype("string").str.strip().replace("", pd.NA)
    return trimmed.str.replace(_NUMERIC_CODE, lambda m: m.group(1).ljust(8, "0"), regex=True)
