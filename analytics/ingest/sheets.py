"""Loading every sheet of a spreadsheet file (xlsx, xlsm, xls, ods or CSV) as a table of text cells."""
from __future__ import annotations

import csv
import io

import fastexcel
import pandas as pd
import pyarrow as pa

from analytics.ingest.sniff import file_kind, password_protected, reject
from analytics.model import issues as q

MAX_CSV_BYTES = 2 * 2**30


# --- Loading sheets as text ----------------------------------------------------------------------------------

def load_tables(data: bytes, name: str) -> list[tuple[str, pd.DataFrame]]:
    """Every sheet of a spreadsheet file (any supported kind, judged by content) as a DataFrame of text.

    Raises `quality.FileRejected` with a Vietnamese message when the file cannot be used.
    """
    return sheets_of(data, file_kind(data, name), name)


def sheets_of(data: bytes, kind: str, name: str) -> list[tuple[str, pd.DataFrame]]:
    """Every sheet as a DataFrame of text (None for empty cells); row i is the spreadsheet's row i + 1."""
    if kind == "csv":
        return [("CSV", _csv_table(data, name))]
    try:
        reader = fastexcel.read_excel(data)
        out = []
        for sheet_name in reader.sheet_names:
            sheet = reader.load_sheet(sheet_name, header_row=None, dtypes="string", skip_rows=0)
            frame = pa.Table.from_batches([sheet.to_arrow()]).to_pandas()  # Arrow-backed text, no copies
            frame.columns = range(frame.shape[1])
            out.append((sheet_name, frame))
        return out
    except q.FileRejected:
        raise
    except Exception as error:  # the reader's errors are technical; the user gets a plain message instead
        text = str(error).lower()
        if "password" in text or "encrypt" in text:
            raise password_protected(name) from None
        raise reject(q.CORRUPT_FILE, "Không đọc được nội dung bảng tính (tệp hỏng hoặc định dạng không được hỗ trợ). "
                      "Hãy mở tệp bằng Excel, lưu lại dạng .xlsx rồi tải lên lại.", name) from None


def _csv_table(data: bytes, name: str) -> pd.DataFrame:
    if len(data) > MAX_CSV_BYTES:
        raise reject(q.TOO_LARGE, "Tệp CSV quá lớn (trên 2 GiB). Hãy tách tệp rồi tải lên từng phần.", name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise reject(q.BAD_ENCODING, f"Tệp CSV không ở mã UTF-8 (lỗi ở dòng {line}). Hãy mở bằng Excel và lưu "
                      "lại bằng 'CSV UTF-8 (Comma delimited)'.", name) from None
    sample = text[:20000]
    delimiter = max([",", ";", "\t"], key=sample.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype="str")
    return frame.where(frame.apply(lambda column: column.str.strip() != ""), None)


