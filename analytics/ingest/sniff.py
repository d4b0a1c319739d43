"""Sniffing a file's bytes: which kind of spreadsheet it really is (by content, never by name), and the checks
that keep a hostile file (zip bombs, XML entities, password-protected or non-spreadsheet Office files) out."""
from __future__ import annotations

import io
import zipfile

import olefile

from analytics.model import issues as q

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".json", ".jsonl", ".xml")
SPREADSHEETML_NAMESPACE = b"urn:schemas-microsoft-com:office:spreadsheet"
MAX_UNCOMPRESSED = 4 * 2**30        # a full 1,048,576-row sheet is well under this
MAX_RATIO, RATIO_CHECK_FROM = 200, 50 * 2**20


def reject(code: str, message: str, name: str, **where) -> q.FileRejected:
    return q.FileRejected(q.Issue(code, q.FILE, message, file=name, **where))



def utf16_encoding(head: bytes) -> str | None:
    """'utf-16' for text in UTF-16 (with a byte-order mark, or ASCII with every other byte NUL), else None."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 8 and sample[1::2].count(0) > 0.6 * len(sample[1::2]) and 0 not in sample[0:8:2]:
        return "utf-16-le"
    if len(sample) >= 8 and sample[0::2].count(0) > 0.6 * len(sample[0::2]) and 0 not in sample[1:8:2]:
        return "utf-16-be"
    return None


def file_kind(data: bytes, name: str) -> str:
    """'xlsx' (any zip workbook: xlsx, xlsm, ods), 'xls', 'spreadsheetml' (Excel 2003 XML, often saved as .xls),
    'json' (an array of objects, an object wrapping one, or JSON lines), or 'csv', judged by the content, not the
    name."""
    if not data:
        raise reject(q.EMPTY_FILE, "Tệp rỗng (0 byte). Hãy xuất lại tệp từ phần mềm một cửa.", name)
    if data[:4] == b"PK\x03\x04":
        _check_zip(data, name)
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        _check_ole(data, name)
        return "xls"
    head = data[:65536]
    if utf16_encoding(head):  # Excel's "Unicode Text": tab-separated UTF-16
        return "csv"
    if b"\x00" in head:
        raise reject(q.NOT_A_SPREADSHEET, "Tệp không phải bảng tính (Excel, OpenDocument hay CSV). Hãy chọn tệp "
                      "xuất hồ sơ dạng .xlsx, .xls, .ods hoặc .csv.", name)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start[:15].lower().startswith((b"<!doctype html", b"<html", b"<table")):
        raise reject(q.NOT_A_SPREADSHEET, "Tệp là trang HTML mang đuôi bảng tính. Hãy mở tệp bằng Excel rồi "
                      "lưu lại dạng .xlsx (File > Save As > Excel Workbook) và tải lên lại.", name)
    if start.startswith(b"<") and SPREADSHEETML_NAMESPACE in head:
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise _unsafe(name)
        return "spreadsheetml"
    if start[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def _check_zip(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if not ({"[Content_Types].xml", "mimetype"} & names):
                raise reject(q.NOT_A_SPREADSHEET, "Tệp nén này không phải bảng tính Excel hay OpenDocument. Hãy "
                              "giải nén (nếu cần) và chọn tệp .xlsx, .ods hoặc .csv bên trong.", name)
            if sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
                raise reject(q.TOO_LARGE, "Tệp quá lớn khi giải nén (trên 4 GiB). Hãy tách tệp theo quý hoặc "
                              "theo đơn vị rồi tải lên từng phần.", name)
            for m in members:
                if m.file_size > RATIO_CHECK_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                    raise _unsafe(name)
                if m.filename.endswith(".xml"):
                    with archive.open(m) as part:
                        prolog = part.read(4096)
                    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                        raise _unsafe(name)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError):
        raise reject(q.CORRUPT_FILE, "Tệp bảng tính bị hỏng hoặc không đầy đủ (có thể tải về chưa xong). Hãy "
                      "mở thử bằng Excel; nếu không mở được, hãy xuất lại tệp từ phần mềm một cửa.", name) from None


def _unsafe(name: str) -> q.FileRejected:
    return reject(q.UNSAFE_FILE, "Tệp chứa cấu trúc bất thường (khai báo thực thể XML hoặc dữ liệu nén bất thường) "
                   "mà tệp xuất hồ sơ không bao giờ có, nên không được đọc để bảo vệ máy. Hãy xuất lại tệp từ phần "
                   "mềm một cửa.", name)


def _check_ole(data: bytes, name: str) -> None:
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(p) for p in ole.listdir()}
    except OSError:
        raise reject(q.CORRUPT_FILE, "Tệp Excel (.xls) bị hỏng hoặc không đầy đủ. Hãy mở thử bằng Excel; nếu không "
                      "mở được, hãy xuất lại tệp.", name) from None
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise password_protected(name)
    if "Workbook" not in streams and "Book" not in streams:
        raise reject(q.NOT_A_SPREADSHEET, "Tệp Office này không phải bảng tính Excel (có thể là tệp Word). Hãy "
                      "chọn tệp xuất hồ sơ dạng .xlsx, .xls, .ods hoặc .csv.", name)


def password_protected(name: str) -> q.FileRejected:
    return reject(q.PASSWORD_PROTECTED, "Tệp được đặt mật khẩu nên không đọc được. Hãy mở tệp bằng Excel, bỏ mật "
                   "khẩu (File > Info > Protect Workbook > Encrypt with Password, xoá mật khẩu), lưu lại rồi tải lên "
                   "lại.", name)


