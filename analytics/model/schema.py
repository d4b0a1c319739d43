"""The dossier schema: canonical field names, status and channel codes, and their Vietnamese labels.

Column names are defined here once; every other module imports them from here.
"""
from __future__ import annotations

import pandas as pd

# Canonical fields, the project's public vocabulary (issue 2).
CASE_ID = "case_id"
PROCEDURE_CODE = "procedure_code"
PROCEDURE_NAME = "procedure_name"
FIELD = "field"
UNIT = "unit"
RECEIVING_UNIT = "receiving_unit"
LEVEL = "level"
CHANNEL = "channel"
RECEIVED_DATE = "received_date"
DUE_DATE = "due_date"
ORIGINAL_DUE_DATE = "original_due_date"
COMPLETED_DATE = "completed_date"
RETURNED_DATE = "returned_date"
STATUS = "status"
APOLOGY = "apology"
APOLOGY_DATE = "apology_date"      # the letter's date (its own column, or dates written in the apology column)
EXTENSIONS = "extensions"          # how many times the due date was moved (a count column, or earlier due dates)
EARLIER_DUE_DATES = "earlier_due_dates"  # a column listing the earlier due dates: read into EXTENSIONS
ONLINE_LEVEL_COLUMN = "online_level_column"  # a column of its own saying "toàn trình" / "một phần" (into ONLINE_LEVEL)
RATING = "rating"                  # the citizen's rating: RATING_CODES; 0 not rated; missing = no rating column
STAFF = "staff"
APPLICANT_NAME = "applicant_name"
APPLICANT_PHONE = "applicant_phone"
APPLICANT_ADDRESS = "applicant_address"
APPLICANT_ID = "applicant_id"

FIELDS = [CASE_ID, PROCEDURE_CODE, PROCEDURE_NAME, FIELD, UNIT, RECEIVING_UNIT, LEVEL, CHANNEL, RECEIVED_DATE,
          DUE_DATE, ORIGINAL_DUE_DATE, COMPLETED_DATE, RETURNED_DATE, STATUS, APOLOGY, APOLOGY_DATE, EXTENSIONS,
          EARLIER_DUE_DATES, ONLINE_LEVEL_COLUMN, RATING, STAFF, APPLICANT_NAME, APPLICANT_PHONE, APPLICANT_ADDRESS,
          APPLICANT_ID]
DATE_FIELDS = [RECEIVED_DATE, DUE_DATE, ORIGINAL_DUE_DATE, COMPLETED_DATE, RETURNED_DATE, APOLOGY_DATE]
TEXT_FIELDS = [PROCEDURE_CODE, PROCEDURE_NAME, FIELD, UNIT, RECEIVING_UNIT, LEVEL]
# Personal data (Nghị định 13/2023/NĐ-CP): recognised so that it is not reported as unknown, then dropped at import
# (never stored), and never mapped by hand to another field. Officials' names (STAFF) too: no screen uses them.
PERSONAL_FIELDS = [APPLICANT_NAME, APPLICANT_PHONE, APPLICANT_ADDRESS, APPLICANT_ID, STAFF]
REQUIRED_FIELDS = [CASE_ID, RECEIVED_DATE]

FIELD_LABELS = {
    CASE_ID: "Mã hồ sơ", PROCEDURE_CODE: "Mã TTHC", PROCEDURE_NAME: "Tên thủ tục", FIELD: "Lĩnh vực",
    UNIT: "Cơ quan giải quyết", RECEIVING_UNIT: "Đơn vị tiếp nhận", LEVEL: "Cấp", CHANNEL: "Hình thức nộp",
    RECEIVED_DATE: "Ngày tiếp nhận", DUE_DATE: "Ngày hẹn trả", ORIGINAL_DUE_DATE: "Ngày hẹn trả ban đầu",
    COMPLETED_DATE: "Ngày có kết quả", RETURNED_DATE: "Ngày trả kết quả", STATUS: "Trạng thái",
    APOLOGY: "Thư xin lỗi", APOLOGY_DATE: "Ngày văn bản xin lỗi", EXTENSIONS: "Số lần gia hạn",
    EARLIER_DUE_DATES: "Các ngày hẹn trả trước", ONLINE_LEVEL_COLUMN: "Mức độ dịch vụ trực tuyến",
    RATING: "Đánh giá hài lòng", STAFF: "Cán bộ tiếp nhận", APPLICANT_NAME: "Chủ hồ sơ",
    APPLICANT_PHONE: "Số điện thoại, thư điện tử", APPLICANT_ADDRESS: "Địa chỉ",
    APPLICANT_ID: "Số CCCD/CMND, hộ chiếu, ngày sinh",
}

# Derived columns kept beside the canonical ones.
STATUS_CODE = "status_code"        # national code 1..10
CHANNEL_CODE = "channel_code"      # 1 in person, 2 online, 3 public postal service
ONLINE_LEVEL = "online_level"      # "một phần" / "toàn trình" when the export says so
STATUS_INFERRED = "status_inferred"  # no status read: inferred from the dates (see docs/RULES.md)
STATUS_UNRECOGNISED = "status_unrecognised"    # a status was written but its wording was not read (so inferred)
CHANNEL_UNRECOGNISED = "channel_unrecognised"  # a channel was written but its wording was not read (so in person)
# A date was written but could not be read as one (so missing): the due or original due date; the completion or
# return date. Only an unreadable received date skips the row (docs/RULES.md, Reading a file).
DUE_DATE_UNREADABLE = "due_date_unreadable"
FINISH_DATE_UNREADABLE = "finish_date_unreadable"
# Set when merging the records of a case id (dossiers/dedup.py), not stored: the original due date was not exported
# and was taken from the earliest snapshot of the case id, whose due date differs from the latest one's.
ORIGINAL_DUE_RECOVERED = "original_due_recovered"

# Provenance columns in the store.
IMPORT_ID = "import_id"
SOURCE_SHEET = "source_sheet"
SOURCE_ROW = "source_row"

RECORD_COLUMNS = [CASE_ID, PROCEDURE_CODE, PROCEDURE_NAME, FIELD, UNIT, RECEIVING_UNIT, LEVEL, CHANNEL_CODE,
                  ONLINE_LEVEL, RECEIVED_DATE, DUE_DATE, ORIGINAL_DUE_DATE, COMPLETED_DATE, RETURNED_DATE,
                  STATUS_CODE, STATUS_INFERRED, APOLOGY, SOURCE_SHEET, SOURCE_ROW, STATUS_UNRECOGNISED,
                  CHANNEL_UNRECOGNISED, DUE_DATE_UNREADABLE, FINISH_DATE_UNREADABLE, APOLOGY_DATE, EXTENSIONS,
                  RATING]
FLAG_COLUMNS = [STATUS_INFERRED, STATUS_UNRECOGNISED, CHANNEL_UNRECOGNISED, DUE_DATE_UNREADABLE,
                FINISH_DATE_UNREADABLE]  # boolean, False by default

# Fields whose absence is a caveat on the figures (FileReading.missing_fields, kept in the store by these words);
# FINISH_DATES = neither a completion nor a return date column. Not classification.FINISH, the date a dossier
# ended on, derived per dossier (the same word, kept for stores written before the two were told apart).
FINISH_DATES = "finish_date"
CAVEAT_FIELDS = [CHANNEL, DUE_DATE, FINISH_DATES, STATUS]

# Statuses: the national code list.
STATUS_LABELS = {
    1: "Mới đăng ký", 2: "Được tiếp nhận", 3: "Không được tiếp nhận", 4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ", 6: "Yêu cầu thực hiện nghĩa vụ tài chính", 7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý", 9: "Đã xử lý xong", 10: "Đã trả kết quả",
}
STATUS_NOT_RECEIVED = (1, 3)
STATUS_WAITING_ON_APPLICANT = (5, 6)
STATUS_WITHDRAWN = (7, 8)
STATUS_ENDED = (7, 8, 9, 10)

# Ratings (DOMAIN.md, "Citizens' experience"): 0 = not rated (the column is there, the cell is blank or says so).
NOT_RATED, VERY_SATISFIED, SATISFIED, DISSATISFIED = 0, 1, 2, 3
RATING_LABELS = {VERY_SATISFIED: "Rất hài lòng", SATISFIED: "Hài lòng", DISSATISFIED: "Không hài lòng",
                 NOT_RATED: "Chưa đánh giá"}
ONLINE_PARTIAL, ONLINE_FULL = "một phần", "toàn trình"

CHANNEL_IN_PERSON, CHANNEL_ONLINE, CHANNEL_POSTAL = 1, 2, 3
CHANNEL_LABELS = {CHANNEL_IN_PERSON: "Trực tiếp", CHANNEL_ONLINE: "Trực tuyến", CHANNEL_POSTAL: "Bưu chính công ích"}

MISSING_GROUP = "(Không ghi)"


def typed_records(frame):
    """Records read back from the store's engine with the dtypes of freshly read records (dates to the second,
    codes as small nullable integers, the letter as a nullable boolean, the marks as booleans); the columns it has."""
    for c in DATE_FIELDS:
        if c in frame:
            frame[c] = pd.to_datetime(frame[c]).astype("datetime64[s]")
    for c in (STATUS_CODE, CHANNEL_CODE, EXTENSIONS, RATING):
        if c in frame:
            frame[c] = frame[c].astype("Int8")
    if APOLOGY in frame:
        frame[APOLOGY] = frame[APOLOGY].astype("boolean")
    for c in (STATUS_UNRECOGNISED, CHANNEL_UNRECOGNISED, DUE_DATE_UNREADABLE, FINISH_DATE_UNREADABLE):
        if c in frame:
            frame[c] = frame[c].astype("boolean").fillna(False)
    return frame
