"""Sniffing a file's bytes: which kind of spreadsheet it really is (by content, never by name), and the checks
that keep a hostile or oversized file out: zip bombs and zips whose headers lie about their size, XML entities,
password-protected or non-spreadsheet Office files. The limits are listed in docs/RULES.md ("Giới hạn")."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

import olefile

from analytics.model import issues as q

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".json", ".jsonl", ".xml")
SPREADSHEETML_NAMESPACE = b"urn:schemas-microsoft-com:office:spreadsheet"
MIB, GIB = 2**20, 2**30

# Limits, sized for real exports: a province's year of dossiers is a few hundred thousand rows, a 9 MiB workbook
# per 100,000 rows (about 80 MiB of sheet XML).
MAX_FILE_BYTES = 200 * MIB       # any file read (an upload or a path): its bytes as they are
MAX_CSV_BYTES = MAX_FILE_BYTES   # a CSV is read whole into Arrow (about its own size in memory)
MAX_TREE_BYTES = 100 * MIB       # JSON and Excel 2003 XML become Python objects, about 10 times their size
MAX_INFLATED = 1 * GIB           # a zip workbook's members together, inflated (so any one member too)
MAX_MEMBERS = 10_000             # members of a zip workbook (a real one has a few dozen)
MAX_RATIO, RATIO_CHECK_FROM = 200, 1 * MIB  # inflated / compressed, for every member above 1 MiB inflated
MAX_SHEETS = 200                 # sheets of a workbook
MAX_SHEET_ROWS = 1_048_576       # rows of one sheet (Excel's own limit) or of a CSV
MAX_TOTAL_ROWS = 2_000_000       # rows of all the sheets of a file together

_IN_CHUNK, _OUT_CHUNK = 1 * MIB, 4 * MIB  # compressed bytes fed, inflated bytes produced, at a time
_MARKUP = (b"<!DOCTYPE", b"<!ENTITY")
_XML_MEMBERS = (".xml", ".rels", ".vml")


def reject(code: str, message: str, name: str, **where) -> q.FileRejected:
    return q.FileRejected(q.Issue(code, q.FILE, message, file=name, **where))


def number(n: int) -> str:
    """1.048.576: thousands separated by dots, as Vietnamese writes them."""
    return f"{n:,}".replace(",", ".")


def mib(size: int) -> str:
    """A size in MiB as Vietnamese writes it: "1,1" under 10 MiB, else whole ("1.024"); never a long run of digits,
    which issues mask."""
    if size < 10 * MIB and size % MIB:
        return f"{size / MIB:.1f}".replace(".", ",")
    return number(round(size / MIB))


def check_size(size: int, name: str, limit: int | None = None, what: str = "Tệp") -> None:
    """Refuse a file over `limit` bytes (MAX_FILE_BYTES by default) before anything else is done with it."""
    limit = MAX_FILE_BYTES if limit is None else limit
    if size > limit:
        raise reject(q.TOO_LARGE, f"{what} quá lớn ({mib(size)} MiB, tối đa {mib(limit)} MiB). Hãy tách tệp theo "
                      "quý hoặc theo đơn vị rồi tải lên từng phần; tệp CSV hay JSON lớn nên mở bằng Excel và lưu "
                      "lại dạng .xlsx (nhỏ hơn nhiều lần).", name)


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
    name. A file over MAX_FILE_BYTES, and a zip workbook that fails `check_zip`, is refused."""
    if not data:
        raise reject(q.EMPTY_FILE, "Tệp rỗng (0 byte). Hãy xuất lại tệp từ phần mềm một cửa.", name)
    check_size(len(data), name)
    if data[:4] == b"PK\x03\x04":
        check_zip(data, name)
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


# --- Zip workbooks ----------------------------------------------------------------------------------------------

def check_zip(data: bytes, name: str) -> None:
    """Refuse a zip workbook that is not a spreadsheet, is corrupt, or could exhaust the machine.

    The sizes the headers declare are checked first (members, total); then every member is inflated, in chunks
    that are counted and dropped, to its real size: a member producing more than it declares (a lying header) or
    more than MAX_RATIO times its compressed size (above RATIO_CHECK_FROM) stops the check at once. So no member
    and no total can pass MAX_INFLATED, whatever the headers say. XML members are searched for DTDs and entities.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if not ({"[Content_Types].xml", "mimetype"} & names):
                raise reject(q.NOT_A_SPREADSHEET, "Tệp nén này không phải bảng tính Excel hay OpenDocument. Hãy "
                              "giải nén (nếu cần) và chọn tệp .xlsx, .ods hoặc .csv bên trong.", name)
            if len(members) > MAX_MEMBERS:
                raise reject(q.TOO_LARGE, f"Tệp bảng tính chứa {number(len(members))} thành phần bên trong (tối đa "
                              f"{number(MAX_MEMBERS)}; tệp xuất hồ sơ chỉ có vài chục). Hãy mở tệp bằng Excel, chỉ "
                              "giữ các trang danh sách hồ sơ, lưu lại rồi tải lên lại.", name)
            if sum(m.file_size for m in members) > MAX_INFLATED:
                raise _too_large_inflated(name)
        view = memoryview(data)
        for member in members:
            _check_member(view, member, name)
    except (zipfile.BadZipFile, zlib.error, struct.error, EOFError, OSError, NotImplementedError, ValueError):
        raise _corrupt(name) from None


def _check_member(view: memoryview, member: zipfile.ZipInfo, name: str) -> None:
    if member.flag_bits & 0x1:
        raise password_protected(name)
    raw = _member_bytes(view, member, name)
    scan = member.filename.lower().endswith(_XML_MEMBERS)
    size, tail = 0, b""
    for chunk in _inflated_chunks(raw, member.compress_type, name):
        size += len(chunk)
        if size > member.file_size:  # more than it declares: the header lies (the declared total stays the cap)
            raise _unsafe(name)
        if size > RATIO_CHECK_FROM and size > MAX_RATIO * max(len(raw), 1):
            raise _unsafe(name)
        if scan:
            edge = tail + chunk[:16]
            if (b"!" in chunk or b"!" in edge) and any(m in chunk or m in edge for m in _MARKUP):  # "!": memchr
                raise _unsafe(name)
            tail = chunk[-16:]
    if size != member.file_size:
        raise _corrupt(name)


def _member_bytes(view: memoryview, member: zipfile.ZipInfo, name: str) -> memoryview:
    """A member's compressed bytes, found through its local header (never past the end of the file)."""
    start = member.header_offset
    head = bytes(view[start:start + 30])
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise _corrupt(name)
    name_length, extra_length = struct.unpack("<HH", head[26:30])
    begin = start + 30 + name_length + extra_length
    if begin + member.compress_size > len(view):
        raise _corrupt(name)
    return view[begin:begin + member.compress_size]


def _inflated_chunks(raw: memoryview, method: int, name: str):
    """The member's real content, a few MiB at a time, as far as its compressed bytes go."""
    if method == zipfile.ZIP_STORED:
        for at in range(0, len(raw), _OUT_CHUNK):
            yield bytes(raw[at:at + _OUT_CHUNK])
        return
    if method != zipfile.ZIP_DEFLATED:
        raise reject(q.CORRUPT_FILE, "Tệp bảng tính dùng kiểu nén lạ mà Excel và LibreOffice không dùng nên không "
                      "đọc được. Hãy mở tệp bằng Excel, lưu lại dạng .xlsx rồi tải lên lại.", name)
    inflater, at = zlib.decompressobj(-zlib.MAX_WBITS), 0
    while not inflater.eof:
        pending = inflater.unconsumed_tail
        if not pending:
            if at >= len(raw):
                rest = inflater.flush()
                if rest:
                    yield rest
                return
            pending, at = raw[at:at + _IN_CHUNK], at + _IN_CHUNK
        chunk = inflater.decompress(pending, _OUT_CHUNK)
        if chunk:
            yield chunk


def _corrupt(name: str) -> q.FileRejected:
    return reject(q.CORRUPT_FILE, "Tệp bảng tính bị hỏng hoặc không đầy đủ (có thể tải về chưa xong). Hãy mở thử "
                  "bằng Excel; nếu không mở được, hãy xuất lại tệp từ phần mềm một cửa.", name)


def _too_large_inflated(name: str) -> q.FileRejected:
    return reject(q.TOO_LARGE, f"Tệp quá lớn khi giải nén (trên {mib(MAX_INFLATED)} MiB). Hãy tách tệp theo quý "
                  "hoặc theo đơn vị rồi tải lên từng phần.", name)


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


