"""Loading every sheet of a spreadsheet file (xlsx, xlsm, xls, ods, Excel 2003 XML, CSV or JSON) as a table of text
cells, within the limits of `sniff` (rows per sheet, rows in all, sheets, bytes).

A reader that only wants sheets with a header passes `wanted`: a workbook's sheets are then first read on their
first rows only (for xlsx, straight from the start of each sheet's XML), and a sheet `wanted` refuses is never
parsed further. CSV goes straight into Arrow (`pyarrow.csv`); only rows Arrow cannot place go through Python.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import posixpath
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from itertools import chain
from pathlib import Path

import fastexcel
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from analytics.ingest.headers import HEADER_SCAN_ROWS
from analytics.ingest.sniff import (
    MAX_CSV_BYTES,
    MAX_SHEET_ROWS,
    MAX_SHEETS,
    MAX_TOTAL_ROWS,
    MAX_TREE_BYTES,
    MIB,
    check_size,
    file_kind,
    number,
    password_protected,
    reject,
    utf16_encoding,
)
from analytics.model import issues as q
from analytics.model.text_keys import plain_key

_log = logging.getLogger(__name__)

# A test on a sheet's first rows (lists of text, None for an empty cell): False = the sheet is not wanted.
Wanted = Callable[[list[list]], bool]


# --- Loading sheets as text ----------------------------------------------------------------------------------

def load_tables(data: bytes, name: str) -> list[tuple[str, pd.DataFrame]]:
    """Every sheet of a spreadsheet file (any supported kind, judged by content) as a DataFrame of text.

    Raises `quality.FileRejected` with a Vietnamese message when the file cannot be used.
    """
    return sheets_of(data, file_kind(data, name), name)


def sheets_of(data: bytes, kind: str, name: str, wanted: Wanted | None = None,
              first_rows: int = HEADER_SCAN_ROWS) -> list[tuple[str, pd.DataFrame]]:
    """Every sheet as a DataFrame of text (None for empty cells); row i is the spreadsheet's row i + 1.

    With `wanted`, a workbook's sheet whose first `first_rows` rows it refuses comes back as those rows only, the
    rest of it never parsed. Too many sheets or rows stop the file (`sniff.MAX_SHEETS`, `MAX_SHEET_ROWS`,
    `MAX_TOTAL_ROWS`)."""
    if kind in ("csv", "json", "spreadsheetml"):
        tables = ([("CSV", _csv_table(data, name))] if kind == "csv" else
                  [("JSON", _json_table(data, name))] if kind == "json" else _spreadsheetml_tables(data, name))
        _check_sheet_count(len(tables), name)
        total = 0
        for sheet_name, table in tables:
            total = _counted_rows(total, len(table), sheet_name, name)
        return tables
    try:
        return _workbook_tables(data, name, wanted, first_rows)
    except q.FileRejected:
        raise
    except Exception as error:  # noqa: BLE001 (the reader's errors are technical; the user gets a plain message)
        # Kept for whoever runs the server: the person gets a plain message, the log says what the reader said.
        _log.warning("Không đọc được bảng tính %s: %s: %s", name, type(error).__name__, error)
        text = str(error).lower()
        if "password" in text or "encrypt" in text:
            raise password_protected(name) from None
        raise reject(q.CORRUPT_FILE, "Không đọc được nội dung bảng tính (tệp hỏng hoặc định dạng không được hỗ trợ). "
                      "Hãy mở tệp bằng Excel, lưu lại dạng .xlsx rồi tải lên lại.", name) from None


def _workbook_tables(data: bytes, name: str, wanted: Wanted | None, first_rows: int) -> list[tuple[str, pd.DataFrame]]:
    reader = fastexcel.read_excel(data)
    sheet_names = reader.sheet_names
    _check_sheet_count(len(sheet_names), name)
    probes = _xlsx_first_rows(data, first_rows) if wanted else {}
    out, total = [], 0
    for sheet_name in sheet_names:
        probe = probes.get(sheet_name)
        if probe is not None:
            rows, more = probe
            if not wanted(rows) and (more is False or any(c is not None for r in rows for c in r)):
                out.append((sheet_name, _rows_frame(rows)))  # not parsed further
                continue
        sheet = reader.load_sheet(sheet_name, header_row=None, dtypes="string", skip_rows=0,
                                  n_rows=MAX_SHEET_ROWS + 1, whitespace_as_null=True)  # blank, as in a CSV
        frame = pa.Table.from_batches([sheet.to_arrow()]).to_pandas()  # Arrow-backed text, no copies
        frame.columns = range(frame.shape[1])
        if wanted and probe is None:  # an .ods or .xls (read whole on opening) or an xlsx sheet not probed
            head = frame.head(first_rows)
            if not wanted(_table_rows(head)) and head.notna().any().any():
                out.append((sheet_name, head.copy()))
                continue
        total = _counted_rows(total, len(frame), sheet_name, name)
        out.append((sheet_name, frame))
    return out


def _table_rows(frame: pd.DataFrame) -> list[list]:
    return [[None if pd.isna(x) else x for x in row] for row in frame.itertuples(index=False, name=None)]


def _rows_frame(rows: list[list]) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [None] * (width - len(r)) for r in rows], columns=range(width), dtype=object)


def _check_sheet_count(count: int, name: str) -> None:
    if count > MAX_SHEETS:
        raise reject(q.TOO_LARGE, f"Tệp có {number(count)} trang tính (tối đa {MAX_SHEETS}). Hãy chỉ giữ các trang "
                      "danh sách hồ sơ (hoặc tách thành nhiều tệp) rồi tải lên lại.", name)


def _counted_rows(total: int, rows: int, sheet: str, name: str) -> int:
    """The rows read so far with this sheet's; refuses a sheet or a file over the limits."""
    if rows > MAX_SHEET_ROWS:
        raise reject(q.TOO_LARGE, f"Trang tính có hơn {number(MAX_SHEET_ROWS)} dòng (giới hạn của một trang Excel). "
                      "Hãy tách dữ liệu theo quý hoặc theo đơn vị thành nhiều tệp rồi tải lên từng tệp.", name,
                      sheet=sheet)
    total += rows
    if total > MAX_TOTAL_ROWS:
        raise reject(q.TOO_LARGE, f"Tệp có hơn {number(MAX_TOTAL_ROWS)} dòng ở các trang tính cộng lại (tối đa "
                      f"{number(MAX_TOTAL_ROWS)}). Hãy tách tệp theo quý hoặc theo đơn vị rồi tải lên từng tệp.",
                      name, sheet=sheet)
    return total


# --- The first rows of an xlsx sheet, read from the start of its XML --------------------------------------------

_PROBE_BYTES = 16 * MIB     # XML read at most for a sheet's first rows; past it, the sheet is loaded whole
_PROBE_CHUNK = 64 * 1024


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xlsx_first_rows(data: bytes, count: int) -> dict[str, tuple[list[list], bool]]:
    """Sheet name -> (its first `count` rows, row i the sheet's row i + 1, cells as text or None; whether more rows
    follow), read from the start of each sheet's XML, shared strings as far as those rows need them. A sheet that
    cannot be read this way is left out (it is then loaded whole), as is every sheet of a workbook that is not
    xlsx/xlsm (an .ods, an .xlsb). The sniffer has refused DTDs and entities, and checked every member's size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            paths, strings_path = _sheet_paths(archive)
            probes = {}
            for sheet_name, path in paths.items():
                try:
                    probe = _first_rows(archive, path, count)
                except (KeyError, ET.ParseError, ValueError, zipfile.BadZipFile, EOFError, OSError):
                    continue
                if probe is not None:
                    probes[sheet_name] = probe
            needed = max((c[1] for rows, _ in probes.values() for r in rows for c in r if isinstance(c, tuple)),
                         default=-1)
            strings = _shared_strings(archive, strings_path, needed) if needed >= 0 else []
    except (KeyError, ET.ParseError, ValueError, zipfile.BadZipFile, EOFError, OSError):
        return {}

    def text(cell):
        if isinstance(cell, tuple):
            return strings[cell[1]] or None if cell[1] < len(strings) else None
        return cell

    return {sheet: ([[text(c) for c in r] for r in rows], more) for sheet, (rows, more) in probes.items()}


_RELATIONSHIP_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _sheet_paths(archive: zipfile.ZipFile) -> tuple[dict[str, str], str | None]:
    """(sheet name -> the member holding its XML, the member holding the shared strings)."""
    relationships = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets, strings = {}, None
    for rel in relationships:
        target = rel.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = path
        if (rel.get("Type") or "").endswith("/sharedStrings"):
            strings = path
    paths = {}
    for sheet in ET.fromstring(archive.read("xl/workbook.xml")).iter():
        if _local(sheet.tag) == "sheet":
            rel_id = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
            if rel_id in targets and sheet.get("name") is not None:
                paths[sheet.get("name")] = targets[rel_id]
    return paths, strings


def _column(reference: str) -> int:
    """'AB12' -> 27."""
    number_ = 0
    for ch in reference:
        if not ch.isalpha():
            break
        number_ = number_ * 26 + ord(ch.upper()) - 64
    return number_ - 1


def _first_rows(archive: zipfile.ZipFile, path: str, count: int) -> tuple[list[list], bool] | None:
    """The sheet's first `count` rows (shared strings as ("s", index)) and whether more follow; None when they take
    more than _PROBE_BYTES of XML."""
    parser = ET.XMLPullParser(events=("start", "end"))
    cells: dict[int, dict[int, object]] = {}
    row, column, fed = 0, 0, 0

    def table() -> list[list]:
        width = max((max(c) + 1 for c in cells.values() if c), default=0)
        return [[cells.get(r, {}).get(j) for j in range(width)] for r in range(1, min(count, max(cells, default=0)) + 1)]

    with archive.open(path) as stream:
        while fed < _PROBE_BYTES:
            chunk = stream.read(_PROBE_CHUNK)
            if not chunk:
                parser.close()  # a sheet's XML cut short is an error (then the reader says the file is corrupt)
                return table(), False
            fed += len(chunk)
            parser.feed(chunk)
            for event, element in parser.read_events():
                tag = _local(element.tag)
                if event == "start":
                    if tag == "row":
                        row = int(element.get("r") or row + 1)
                        column = 0
                        if row > count:
                            return table(), True
                    continue
                if tag == "c":
                    reference = element.get("r")
                    column = _column(reference) if reference else column
                    value = _cell_value(element)
                    if value is not None and row >= 1:
                        cells.setdefault(row, {})[column] = value
                    column += 1
                    element.clear()
                elif tag == "sheetData":
                    return table(), False
    return None


def _cell_value(cell: ET.Element):
    kind = cell.get("t")
    if kind == "inlineStr":
        text = "".join(t.text or "" for t in cell.iter() if _local(t.tag) == "t")
        return text or None
    value = next((child.text for child in cell if _local(child.tag) == "v"), None)
    if not value:
        return None
    return ("s", int(value)) if kind == "s" else value


def _shared_strings(archive: zipfile.ZipFile, path: str | None, last: int) -> list[str]:
    """The shared strings up to index `last` (the rest of the table is not read)."""
    if path is None or path not in archive.namelist():
        return []
    parser = ET.XMLPullParser(events=("start", "end"))
    out: list[str] = []
    root = None
    with archive.open(path) as stream:
        while len(out) <= last:
            chunk = stream.read(_PROBE_CHUNK * 4)
            if not chunk:
                break
            parser.feed(chunk)
            for event, element in parser.read_events():
                if root is None:
                    root = element
                if event == "end" and _local(element.tag) == "si":
                    out.append(_string_item(element))
                    root.clear()  # keeps memory flat however long the table
    return out


def _string_item(item: ET.Element) -> str:
    """The text of a shared string: its <t>, or the <t> of each run (phonetic guides left out)."""
    parts = []
    for child in item:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts += [t.text or "" for t in child if _local(t.tag) == "t"]
    return "".join(parts)


# --- CSV, into Arrow ---------------------------------------------------------------------------------------------

_CSV_BLOCK = 4 * MIB


def _decoded(data: bytes, name: str, what: str) -> str:
    encoding = utf16_encoding(data[:65536])
    try:
        if encoding:
            return data.decode(encoding).lstrip("\ufeff")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _bad_encoding(data, error.start, name, what) from None


def _bad_encoding(data: bytes, at: int, name: str, what: str) -> q.FileRejected:
    line = data[:at].count(b"\n") + 1
    return reject(q.BAD_ENCODING, f"Tệp {what} không ở mã UTF-8 (lỗi ở dòng {line}). Hãy mở bằng Excel và lưu "
                  "lại bằng 'CSV UTF-8 (Comma delimited)'.", name)


def _utf8(data: bytes, name: str) -> bytes:
    """The CSV's bytes in UTF-8: UTF-16 ("Unicode Text") converted, UTF-8 checked a few MiB at a time."""
    if utf16_encoding(data[:65536]):
        return _decoded(data, name, "CSV").encode("utf-8")
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 8 * MIB
    for at in range(0, len(data), step):
        try:
            decoder.decode(data[at:at + step], final=at + step >= len(data))
        except UnicodeDecodeError as error:
            raise _bad_encoding(data, max(0, at + error.start - 3), name, "CSV") from None
    return data


def _csv_table(data: bytes, name: str) -> pd.DataFrame:
    check_size(len(data), name, MAX_CSV_BYTES, "Tệp CSV")
    data = _utf8(data, name)
    sample = data[:80000].decode("utf-8", errors="ignore").lstrip("\ufeff")[:20000]
    delimiter = max([",", ";", "\t"], key=sample.count)
    try:
        table = _arrow_csv(data, delimiter, _usual_width(sample, delimiter))
    except (pa.ArrowInvalid, csv.Error):  # a quirk Arrow does not take (a row over its block): the csv module
        table = _csv_module_table(data, name, delimiter)
    if table.num_rows == 0 or table.num_columns == 0:
        return pd.DataFrame()
    _check_cell_lengths(table, name)
    columns = []
    for column in table.columns:  # blank cells -> None, as every other reader gives them
        blank = pc.equal(pc.utf8_trim_whitespace(column), "")
        columns.append(pc.if_else(blank, pa.scalar(None, pa.string()), column) if pc.any(blank).as_py() else column)
    frame = pa.table(columns, names=[str(j) for j in range(len(columns))]).to_pandas()
    frame.columns = range(frame.shape[1])
    return frame


def _usual_width(sample: str, delimiter: str) -> int:
    """The most common number of fields of the sample's records (the last, maybe cut, left out)."""
    widths: dict[int, int] = {}
    try:
        for row in list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))[:-1] or [[]]:
            widths[len(row)] = widths.get(len(row), 0) + 1
    except csv.Error:
        pass
    return max(widths, key=lambda w: (widths[w], w), default=1) or 1


def _arrow_csv(data: bytes, delimiter: str, width: int) -> pa.Table:
    """The CSV as a table of text, one column per field. Rows with another number of fields than `width` (title
    lines, ragged rows) are read by the csv module and put back in their place; the table is as wide as the
    widest row."""
    odd: list[tuple[int, str]] = []

    def set_aside(row) -> str:
        odd.append((row.number, row.text))
        return "skip"

    names = [str(j) for j in range(width)]
    table = pacsv.read_csv(
        pa.BufferReader(data),
        read_options=pacsv.ReadOptions(column_names=names, block_size=_CSV_BLOCK, use_threads=False),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False,
                                         invalid_row_handler=set_aside),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                             strings_can_be_null=False, quoted_strings_can_be_null=False))
    if not odd:
        return table
    if any(number_ is None or number_ < 1 for number_, _ in odd):
        raise pa.ArrowInvalid("rows without a number")
    rows = [next(csv.reader([text], delimiter=delimiter), []) for _, text in odd]
    total = table.num_rows + len(odd)
    wide = max(width, max(len(r) for r in rows))
    table = _widened(table, wide)
    extra = _widened(_rows_table(rows), wide)
    # Row p of the file: from the odd rows (after Arrow's rows in the concatenation) when p is one of theirs, else
    # the next row Arrow read.
    positions = np.array([number_ - 1 for number_, _ in odd])
    if positions.max() >= total or np.any(np.diff(positions) <= 0):
        raise pa.ArrowInvalid("odd rows out of place")
    is_odd = np.zeros(total, dtype=bool)
    is_odd[positions] = True
    order = np.empty(total, dtype=np.int64)
    order[~is_odd] = np.arange(table.num_rows)
    order[is_odd] = table.num_rows + np.arange(len(odd))
    return pa.concat_tables([table, extra]).take(pa.array(order))


def _rows_table(rows: list[list[str]]) -> pa.Table:
    width = max((len(r) for r in rows), default=0)
    return pa.table([pa.array([r[j] if j < len(r) else "" for r in rows], pa.string()) for j in range(width)],
                    names=[str(j) for j in range(width)])


def _widened(table: pa.Table, width: int) -> pa.Table:
    """The table with empty text columns added up to `width` (names "0", "1", …)."""
    columns = list(table.columns) + [pa.array([""] * table.num_rows, pa.string())
                                     for _ in range(width - table.num_columns)]
    return pa.table(columns, names=[str(j) for j in range(width)])


def _csv_module_table(data: bytes, name: str, delimiter: str) -> pa.Table:
    """The CSV read by the csv module, a batch of rows at a time into Arrow; a record it cannot read stops the file
    with its line."""
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""), delimiter=delimiter)
    batches, rows, start = [], [], 1
    try:
        for row in reader:
            rows.append(row)
            start = reader.line_num + 1
            if len(rows) == 65536:
                batches.append(_rows_table(rows))
                rows = []
    except csv.Error as error:
        limit = csv.field_size_limit()
        why = (f"một ô dài hơn {number(limit)} ký tự" + ' (thường do một dấu ngoặc kép " mở mà không đóng)'
               if "field larger" in str(error) else "cấu trúc CSV không hợp lệ")
        raise _unreadable_from(start, why, name) from None
    batches.append(_rows_table(rows))
    width = max(b.num_columns for b in batches)
    return pa.concat_tables([_widened(b, width) for b in batches])


def _unreadable_from(line: int, why: str, name: str) -> q.FileRejected:
    return reject(q.CORRUPT_FILE, f"Tệp CSV không đọc được từ dòng {line}: {why}. Hãy mở tệp bằng Excel, kiểm tra "
                  "dòng đó rồi lưu lại dạng .xlsx hoặc 'CSV UTF-8'.", name, row=line)


def _check_cell_lengths(table: pa.Table, name: str) -> None:
    """A cell over the csv module's limit (131,072 characters) is almost always a quote opened and never closed,
    which swallowed the rest of the file: the file stops at the row where that cell starts."""
    limit = csv.field_size_limit()
    first = None
    for column in table.columns:
        lengths = pc.utf8_length(column)
        if (pc.max(lengths).as_py() or 0) > limit:
            at = pc.index(pc.greater(lengths, limit), True).as_py()
            first = at if first is None else min(first, at)
    if first is not None:
        raise _unreadable_from(first + 1, f"một ô dài hơn {number(limit)} ký tự (thường do một dấu ngoặc kép \" "
                               "mở mà không đóng)", name)


# --- JSON: an array of objects, an object wrapping one, or one object per line --------------------------------

_WRAPPERS = ("data", "items", "records", "rows", "result", "results", "value", "content", "list", "danh sach",
             "ds ho so", "ho so", "list ho so")
_NAME_PARTS = {"ma", "ten", "code", "name", "id", "so"}  # {"thuTuc": {"ma": …}} is "mã thủ tục"


def _json_table(data: bytes, name: str) -> pd.DataFrame:
    """The objects of a JSON export as a table of text: the first row is the union of their keys (in the order
    first seen), each object a row below. A nested object's scalar values become columns ("trangThai ten",
    "ma thuTuc"); deeper objects and lists of objects are left out; a list of scalars is joined with ", "."""
    check_size(len(data), name, MAX_TREE_BYTES, "Tệp JSON")
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
    check_size(len(data), name, MAX_TREE_BYTES, "Tệp bảng tính XML (Excel 2003)")
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
            check_size(Path(source).stat().st_size, name)  # before a byte is read
            return Path(source).read_bytes(), name
        except OSError:
            raise q.FileRejected(q.Issue(q.NOT_A_SPREADSHEET, q.FILE, f"Không mở được tệp {what}. Hãy kiểm tra "
                                         "đường dẫn và quyền đọc tệp.", file=name)) from None
    return bytes(source), name or f"{what} tải lên"
