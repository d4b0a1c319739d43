"""Data-quality issues: every problem found while reading or classifying, as data.

Each issue has a stable code, a level (file-level problems stop the file; row-level ones skip the row; notices keep
it), where it is (file, sheet, the spreadsheet's own row number, the user's header text), the value, and a
Vietnamese message that says how to fix it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

FILE = "file"        # the file cannot be used: nothing from it is imported
ROW = "row"          # the row is skipped, the rest of the file is imported
NOTICE = "notice"    # the row is kept; something about it deserves a look

# Stable codes.
NOT_A_SPREADSHEET = "not_a_spreadsheet"
CORRUPT_FILE = "corrupt_file"
PASSWORD_PROTECTED = "password_protected"
UNSAFE_FILE = "unsafe_file"
TOO_LARGE = "too_large"
EMPTY_FILE = "empty_file"
NO_HEADER = "no_header"
MISSING_COLUMN = "missing_column"
BAD_ENCODING = "bad_encoding"
BAD_MAPPING = "bad_mapping"
WRONG_EXTENSION = "wrong_extension"
MISSING_CASE_ID = "missing_case_id"
BAD_DATE = "bad_date"                    # an unreadable received date: the row is skipped
DATE_UNREADABLE = "date_unreadable"      # another date not read: the row is kept, the date missing, marked
DATE_COLUMN_UNREADABLE = "date_column_unreadable"  # most of such a column not read: perhaps mapped wrongly
DATE_IN_WORDS = "date_in_words"          # a due date in words: "Trong ngày" = the received day, "Không quy định" = none
STATUS_UNRECOGNISED = "status_unrecognised"    # a status wording not read: rows kept, status inferred from dates
CHANNEL_UNRECOGNISED = "channel_unrecognised"  # a channel wording not read: rows kept, counted as in person
MATCHED_BY_PHRASE = "matched_by_phrase"  # a header or value read by a known phrase inside longer wording
AMBIGUOUS_HEADER = "ambiguous_header"    # a header whose phrases name two fields: not used until mapped
MISSING_FIELD = "missing_field"          # no column for channel, due date, finish date or status
BAD_VALUE_MAPPING = "bad_value_mapping"  # a value mapping given by the user that names no code: not used
DUPLICATE_COLUMN = "duplicate_column"
PERSONAL_COLUMN = "personal_column"      # a mapping by hand of a personal-data column to another field: refused
NO_RECEIVED_DATE = "no_received_date"
FINISHED_BEFORE_RECEIVED = "finished_before_received"
ENDED_WITHOUT_FINISH_DATE = "ended_without_finish_date"
NOT_RECEIVED_STATUS = "not_received_status"
BAD_TIME_LIMIT = "bad_time_limit"            # catalog: a time limit that cannot be read
DUPLICATE_PROCEDURE = "duplicate_procedure"  # catalog: the same procedure code twice
RECORDS_DISAGREE = "records_disagree"        # one case id, records that disagree on unit or received date
ORIGINAL_DUE_RECOVERED = "original_due_recovered"  # original due date taken from the earliest snapshot of a case id
VALUE_UNREAD = "value_unread"            # a rating, a count of extensions or an earlier due date not read: row kept
ORIGINAL_DUE_FROM_LIST = "original_due_from_list"  # no original due column: the earliest earlier due date is used

COLUMNS = ["code", "level", "file", "sheet", "row", "column", "value", "message"]
COLUMN_LABELS = {"code": "Mã lỗi", "level": "Mức", "file": "Tệp", "sheet": "Trang tính", "row": "Dòng",
                 "column": "Cột", "value": "Giá trị", "message": "Nội dung và cách sửa"}
LEVEL_LABELS = {FILE: "Không dùng được tệp", ROW: "Bỏ qua dòng", NOTICE: "Lưu ý"}


@dataclass(frozen=True)
class Issue:
    code: str
    level: str
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


class FileRejected(Exception):
    """A file- or header-level problem: the file is not used at all."""

    def __init__(self, issue: Issue):
        super().__init__(issue.message)
        self.issue = issue


def issues_table(issues: list[Issue]) -> pd.DataFrame:
    """Issues as a table with the project's column names (Vietnamese labels in COLUMN_LABELS)."""
    return pd.DataFrame([i.as_dict() for i in issues], columns=COLUMNS)


def where(issue: Issue) -> str:
    """'Tệp a.xlsx, trang "Sheet1", dòng 14, cột "Ngày hẹn trả"' — as much as is known."""
    parts = []
    if issue.file:
        parts.append(f"Tệp {issue.file}")
    if issue.sheet:
        parts.append(f'trang "{issue.sheet}"')
    if issue.row is not None:
        parts.append(f"dòng {issue.row}")
    if issue.column:
        parts.append(f'cột "{issue.column}"')
    return ", ".join(parts)


def describe(issue: Issue) -> str:
    place = where(issue)
    return f"{place}: {issue.message}" if place else issue.message


# Codes of a reported table (issue 10).
HEADER_SHIFTED = "header_shifted"    # reported table: a header row one column off its figures, realigned
COLUMN_KEPT = "column_kept"          # reported table: a column with no Biểu 06 meaning, kept under its own header
NO_ROW_LABEL = "no_row_label"        # reported table: no column naming each row's unit, field or level
BAD_NUMBER = "bad_number"            # reported table: a figure that cannot be read as a number (left empty)
SCORE_SUM_BREAK = "score_sum_break"  # national index file: a total score that is not the sum of its six groups
NOT_A_DATA_ROW = "not_a_data_row"    # reported table: a row inside the table without figures or without a name
BAD_LEGAL_TEXT = "bad_legal_text"        # the table of legal texts: a row that cannot be read
REMEMBERED_COLUMNS = "remembered_columns"  # reported table: columns read as a user said for tables of this layout
