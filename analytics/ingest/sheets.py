"""Loading every sheet of a spreadsheet file (xlsx, xlsm, xls, ods, Excel 2003 XML, CSV or JSON) as a table of text
cells."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from itertools import chain
from pathlib import Path

import fastexcel
import pandas as pd
import pyarrow as pa

from analytics.ingest.sniff import file_kind, password_protected, reject, utf16_encoding
from analytics.model import issues as q
from analytics.model.text_keys import plain_key

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
    if kind == "json":
        return [("JSON", _json_table(data, name))]
    if kind == "spreadsheetml":
        return _spreadsheetml_tables(data, name)
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


def _decoded(data: bytes, name: str, what: str) -> str:
    encoding = utf16_encoding(data[:65536])
    try:
        if encoding:
            return data.decode(encoding).lstrip("\ufeff")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise reject(q.BAD_ENCODING, f"Tệp {what} không ở mã UTF-8 (lỗi ở dòng {line}). Hãy mở bằng Excel và lưu "
                      "lại bằng 'CSV UTF-8 (Comma delimited)'.", name) from None


def _csv_table(data: bytes, name: str) -> pd.DataFrame:
    if len(data) > MAX_CSV_BYTES:
        raise reject(q.TOO_LARGE, "Tệp CSV quá lớn (trên 2 GiB). Hãy tách tệp rồi tải lên từng phần.", name)
    text = _decoded(data, name, "CSV")
    if text.count("\r") != text.count("\r\n"):  # old Mac line ends (a bare CR): one line end for all
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    sample = text[:20000]
    delimiter = max([",", ";", "\t"], key=sample.count)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        line = _broken_record_line(text, delimiter)
        limit = csv.field_size_limit()
        why = (f"một ô dài hơn {limit:,} ký tự".replace(",", ".") + ' (thường do một dấu ngoặc kép " mở mà không '
               "đóng)" if "field larger" in str(error) else "cấu trúc CSV không hợp lệ")
        raise reject(q.CORRUPT_FILE, f"Tệp CSV không đọc được từ dòng {line}: {why}. Hãy mở tệp bằng Excel, kiểm "
                      "tra dòng đó rồi lưu lại dạng .xlsx hoặc 'CSV UTF-8'.", name, row=line) from None
    if not rows:
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype="str")
    return frame.where(frame.apply(lambda column: column.str.strip() != ""), None)


def _broken_record_line(text: str, delimiter: str) -> int:
    """The line where the record the csv module could not read starts (read again, only when reading failed)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error:
        pass
    return start


# --- JSON: an array of objects, an object wrapping one, or one object per line --------------------------------

_WRAPPERS = ("data", "items", "records", "rows", "result", "results", "value", "content", "list", "danh sach",
             "ds ho so", "ho so", "list ho so")
_NAME_PARTS = {"ma", "ten", "code", "name", "id", "so"}  # {"thuTuc": {"ma": …}} is "mã thủ tục"


def _json_table(data: bytes, name: str) -> pd.DataFrame:
    """The objects of a JSON export as a table of text: the first row is the union of their keys (in the order
    first seen), each object a row below. A nested object's scalar values become columns ("trangThai ten",
    "ma thuTuc"); deeper objects and lists of objects are left out; a list of scalars is joined with ", "."""
    text = _decoded(data, name, "JSON")
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        document = _json_lines(text, name)
    objects = _objects_in(document)
    if objects is None:
        raise reject(q.NO_HEADER, "Tệp JSON không chứa danh sách hồ sơ (một mảng các đối tượng, ví dụ "
                      '[{"maHoSo": …, "ngayTiepNhan": …}, …] hoặc {"data": [ … ]}). Hãy xuất lại danh sách hồ sơ '
                      "dạng .xlsx hoặc .csv.", name)
    rows = [_flat(o) for o in objects]
    keys = list(dict.fromkeys(chain.from_iterable(rows)))
    if not keys:
        return pd.DataFrame()
    body = [[_text(row.get(k)) for k in keys] for row in rows]
    return pd.DataFrame([keys, *body], dtype=object)


def _json_lines(text: str, name: str) -> list:
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except (json.JSONDecodeError, RecursionError):
        raise reject(q.CORRUPT_FILE, "Tệp JSON sai cú pháp (có thể tải về chưa xong). Hãy xuất lại tệp từ phần mềm "
                      "một cửa.", name) from None


def _objects_in(document, depth: int = 0) -> list[dict] | None:
    if isinstance(document, list):
        objects = [o for o in document if isinstance(o, dict)]
        return objects if objects and len(objects) * 2 >= len(document) else None
    if not isinstance(document, dict) or depth > 3:
        return None
    by_key = {plain_key(k): value for k, value in document.items()}
    for key in _WRAPPERS:
        if key in by_key and (found := _objects_in(by_key[key], depth + 1)):
            return found
    lists = [found for value in document.values() if isinstance(value, (list, dict))
             and (found := _objects_in(value, depth + 1))]
    return max(lists, key=len) if lists else None


def _flat(obj: dict) -> dict:
    out = {}
    for key, value in obj.items():
        if isinstance(value, dict):
            for inner, item in value.items():
                if not isinstance(item, (dict, list)):
                    out[f"{inner} {key}" if plain_key(inner) in _NAME_PARTS else f"{key} {inner}"] = item
        elif isinstance(value, list):
            if all(not isinstance(x, (dict, list)) for x in value):
                out[key] = ", ".join(t for t in map(_text, value) if t)
        else:
            out[key] = value
    return out


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


# --- SpreadsheetML: Excel 2003 XML, often saved as .xls --------------------------------------------------------

_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
_MAX_ROWS, _MAX_COLUMNS = 1_048_576, 16_384


def _spreadsheetml_tables(data: bytes, name: str) -> list[tuple[str, pd.DataFrame]]:
    """One table per Worksheet. `ss:Index` places a row or cell after a gap; `ss:MergeAcross` = n makes a cell span
    n more columns, whose text is in the first (as a merged cell of a workbook). DTDs and entities were refused by
    the sniffer; the standard library's expat parser then expands nothing."""
    try:
        root = ET.fromstring(data)
        out = []
        for n, worksheet in enumerate(root.iter(f"{_SS}Worksheet"), start=1):
            rows = _worksheet_rows(worksheet)
            width = max((max(r) + 1 for r in rows if r), default=0)
            out.append((worksheet.get(f"{_SS}Name") or f"Sheet{n}",
                        pd.DataFrame([[r.get(j) for j in range(width)] for r in rows], dtype=object)))
        return out
    except (ET.ParseError, ValueError):
        raise reject(q.CORRUPT_FILE, "Tệp bảng tính XML (Excel 2003) bị hỏng hoặc không đầy đủ. Hãy mở tệp bằng "
                      "Excel, lưu lại dạng .xlsx rồi tải lên lại.", name) from None


def _worksheet_rows(worksheet) -> list[dict[int, str]]:
    rows: list[dict[int, str]] = []
    table = worksheet.find(f"{_SS}Table")
    if table is None:
        return rows
    for row in table.iter(f"{_SS}Row"):
        position = _index(row, len(rows), _MAX_ROWS)
        while len(rows) < position:
            rows.append({})
        cells: dict[int, str] = {}
        column = 0
        for cell in row.iter(f"{_SS}Cell"):
            column = _index(cell, column, _MAX_COLUMNS)
            value = cell.find(f"{_SS}Data")
            text = "".join(value.itertext()).strip() if value is not None else ""
            if text:
                cells[column] = text
            column += 1 + int(cell.get(f"{_SS}MergeAcross") or 0)
        if position < len(rows):
            rows[position].update(cells)
        else:
            rows.append(cells)
    return rows


def _index(element, default: int, limit: int) -> int:
    """The element's 0-based position: its `ss:Index` (1-based) when given, else the next one."""
    given = element.get(f"{_SS}Index")
    position = int(given) - 1 if given else default
    if not 0 <= position < limit:
        raise ValueError(f"index {given} out of range")
    return position


def source_bytes(source: str | Path | bytes, name: str | None, what: str) -> tuple[bytes, str]:
    """(the bytes, the file's name) of a path or of uploaded bytes; `what` names the file in the message
    ("danh mục", "bảng báo cáo") when it cannot be opened."""
    if isinstance(source, (str, Path)):
        name = name or Path(source).name
        try:
            return Path(source).read_bytes(), name
        except OSError:
            raise q.FileRejected(q.Issue(q.NOT_A_SPREADSHEET, q.FILE, f"Không mở được tệp {what}. Hãy kiểm tra "
                                         "đường dẫn và quyền đọc tệp.", file=name)) from None
    return bytes(source), name or f"{what} tải lên"
