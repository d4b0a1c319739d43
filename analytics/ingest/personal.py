"""Applicants' personal data, kept only when a setting asks for it (Nghị định 13/2023/NĐ-CP: minimisation), and then
only masked: enough for an analyst to recognise a dossier when following it up, never enough to identify a person
from the store alone. Nothing here is ever exported.

    name     "Hoàng Thị Mận"                        -> "Hoàng T. M."     (family name, initials)
    phone    "0912 345 678"                         -> "09******78"
    id       "001234567890"                         -> "00********90"
    address  "12 Lê Lợi, phường Chi Lăng, TP Lạng Sơn" -> "…, phường Chi Lăng, TP Lạng Sơn"  (no house, no street)
    e-mail   "rieng.tu@example.vn"                  -> "r…@example.vn"
    birth    "01/02/1990"                           -> "**/**/****"

Every mask leaves a masked value as it is, so masking twice changes nothing.

Columns whose values look like personal data under a header that does not say so ("Liên hệ" holding phone numbers,
"Khách hàng" holding names) are told apart by their values (`looks`): such a column cannot be mapped by hand to a
field that is stored. And the copy of an upload kept for a re-import with a corrected mapping holds no personal data
(`stripped_export`).
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from analytics.ingest import headers as h
from analytics.ingest.sheets import sheets_of
from analytics.ingest.sniff import file_kind
from analytics.ingest.values import masked_digits, masked_identifiers
from analytics.model import issues as q
from analytics.model import schema as s

KEEP_VARIABLE = "ONESTOP_KEEP_PERSONAL"   # "1": keep applicants' data, masked (default: not kept)
COLUMNS = [s.CASE_ID, s.APPLICANT_NAME, s.APPLICANT_PHONE, s.APPLICANT_ADDRESS, s.APPLICANT_ID]
LABELS = {s.CASE_ID: "Mã hồ sơ", s.APPLICANT_NAME: "Người nộp (che bớt)", s.APPLICANT_PHONE: "Điện thoại (che bớt)",
          s.APPLICANT_ADDRESS: "Địa chỉ (chỉ phường/xã, huyện)", s.APPLICANT_ID: "CCCD/CMND (che bớt)"}


def keep_personal() -> bool:
    """Whether this server or command keeps applicants' data (masked): the setting ONESTOP_KEEP_PERSONAL=1."""
    return os.environ.get(KEEP_VARIABLE, "").strip().lower() in ("1", "true", "yes", "co", "có")


def masked_name(name: str) -> str:
    words = str(name).split()
    if not words:
        return ""
    return " ".join([words[0], *(w[0].upper() + "." for w in words[1:])]) if len(words) > 1 else words[0][0] + "."


_MASKED_NUMBER = re.compile(r"\d{0,2}\*+\d{0,2}")
_DATE_LIKE = re.compile(r"\d{1,4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{1,4}")
_HIDDEN_DATE = "**/**/****"


def masked_number(text: str) -> str:
    if _MASKED_NUMBER.fullmatch(str(text).strip()):
        return str(text).strip()
    return masked_digits("".join(ch for ch in str(text) if ch.isdigit()))


def masked_identifier(text: str) -> str:
    """An ID number as `masked_number`; a date (a birth date) hidden whole."""
    if str(text).strip() == _HIDDEN_DATE or _DATE_LIKE.search(str(text)):
        return _HIDDEN_DATE
    return masked_number(text)


def masked_contact(text: str) -> str:
    """A phone number as `masked_number`; an e-mail address as its first character and its domain."""
    local, at, domain = str(text).strip().partition("@")
    if at:
        return (local[:1] + "…" if local else "") + "@" + domain
    return masked_number(text)


def masked_address(address: str) -> str:
    parts = [p.strip() for p in str(address).split(",") if p.strip()]
    if len(parts) <= 2:
        return "…" if parts else ""
    return "…, " + ", ".join(parts[-2:])


MASKS = {s.APPLICANT_NAME: masked_name, s.APPLICANT_PHONE: masked_contact, s.APPLICANT_ID: masked_identifier,
         s.APPLICANT_ADDRESS: masked_address}


def masked(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per dossier of `raw` (case_id and whichever personal columns it has, as read), every value masked;
    rows with no personal value are left out."""
    out = pd.DataFrame({s.CASE_ID: raw[s.CASE_ID].astype("string")})
    for column, mask in MASKS.items():
        values = raw[column] if column in raw else pd.Series(pd.NA, index=raw.index)
        out[column] = values.map(lambda v, m=mask: m(v) if isinstance(v, str) and v.strip() else pd.NA
                                 ).astype("string")
    kept = out[list(MASKS)].notna().any(axis=1)
    return out.loc[kept & out[s.CASE_ID].notna(), COLUMNS].reset_index(drop=True)


# --- Headers and values that are personal data -----------------------------------------------------------------

def names_personal_data(header) -> bool:
    """Whether a header names personal data: it is read as an applicant's or a staff member's field
    (`headers.is_personal`), or its wording could mean one ("Họ tên cán bộ": a name, of staff or applicant)."""
    match = h.header_match(header)
    return match.field in s.PERSONAL_FIELDS or any(c in s.PERSONAL_FIELDS for c in match.candidates)


PHONE, EMAIL, ID_NUMBER, NAME = "phone", "email", "id_number", "name"
KIND_WORDS = {PHONE: "số điện thoại", EMAIL: "địa chỉ thư điện tử", ID_NUMBER: "số căn cước công dân",
              NAME: "họ tên người"}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(\+?84|0)\d{8,10}")
_PHONE_SEPARATORS = re.compile(r"[\s.()-]")
_CCCD = re.compile(r"0\d{2}[0-3]\d{8}")  # province (3 digits), century and sex, year of birth (2), 6 more
# Vietnamese family names, those of the north's Tày and Nùng included: a value of two to five capitalised words
# starting with one of them reads as a person's name.
FAMILY_NAMES = frozenset("""
    nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đào đoàn vương trịnh trương đinh lâm phùng
    mai tô hà tạ lương chu cao lưu quách thái hứa la nông lò triệu tăng kiều âu nghiêm khổng thân đàm lã lục vi hầu
    mạc tống giáp châu diệp lăng bế lộc mã ninh quan sầm hàn doãn khúc lại kim tiêu tôn ông từ
    """.split())
SAMPLE_VALUES = 1000  # the first non-blank values of a column that decide how it looks
MOSTLY = 0.6          # the share of them that must look so


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def value_kind(value) -> str | None:
    """PHONE, EMAIL, ID_NUMBER or NAME when a cell's value, whole, looks like one ("Gọi 0912 345 678" does not);
    else None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    if _EMAIL.fullmatch(text):
        return EMAIL
    compact = _PHONE_SEPARATORS.sub("", text)
    if _PHONE.fullmatch(compact) and not _DATE_LIKE.fullmatch(text):
        return PHONE
    if _CCCD.fullmatch(compact):
        return ID_NUMBER
    words = text.split()
    if 2 <= len(words) <= 5 and words[0].lower() in FAMILY_NAMES and all(
            w.isalpha() and (w.istitle() or w.isupper()) for w in words):
        return NAME
    return None


@dataclass(frozen=True)
class Looks:
    """How a column's values look: most of them (`matching` of the `values` read) are of `kind`."""
    kind: str
    matching: int
    values: int
    distinct: int

    @property
    def refused(self) -> bool:
        """Whether the column may not be mapped by hand to a stored field. Phone numbers, e-mail addresses and
        citizen ID numbers have a shape no dossier field has: refused. Names share theirs with wards, streets and
        schools named after people ("Hoàng Văn Thụ", "Lương Văn Tri" are wards of Lạng Sơn): refused only when they
        mostly differ from row to row, as applicants do and units do not; a few names repeated are only warned
        about."""
        if self.kind != NAME:
            return True
        return self.values >= 3 and self.distinct * 2 >= self.values

    @property
    def words(self) -> str:
        """"giống số điện thoại (9/10 giá trị đầu)"."""
        return f"giống {KIND_WORDS[self.kind]} ({_number(self.matching)}/{_number(self.values)} giá trị đầu)"


def looks(values: Iterable) -> Looks | None:
    """How a column's first SAMPLE_VALUES non-blank values look, when MOSTLY of them look like one kind of personal
    data (`value_kind`); None otherwise."""
    seen, kinds = [], {}
    for value in values:
        if value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip():
            continue
        seen.append(str(value).strip())
        kind = value_kind(value)
        if kind:
            kinds[kind] = kinds.get(kind, 0) + 1
        if len(seen) >= SAMPLE_VALUES:
            break
    if not seen or not kinds:
        return None
    kind, matching = max(kinds.items(), key=lambda item: item[1])
    if matching < MOSTLY * len(seen):
        return None
    return Looks(kind, matching, len(seen), len(set(seen)))


# --- A copy of an upload without its personal data ------------------------------------------------------------

@dataclass
class Stripped:
    """An export without its personal data (`stripped_export`)."""
    content: bytes | None                                   # a CSV for a CSV, else an .xlsx; None: no header
    looks: dict[str, Looks] = field(default_factory=dict)   # header text -> how its values look (columns kept)
    emptied: list[str] = field(default_factory=list)        # header texts whose values were left out


_IN_TEXT = re.compile(r"\d(?:[ .]?\d){8,11}")  # what values.masked_identifiers masks, to find the cells to look at
_NOT_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"  # characters XML cannot hold (RE2 syntax)


def stripped_export(data: bytes, name: str, used: Iterable[str] = (), keep_masked: bool = False) -> Stripped:
    """The export `data` as a file the reader reads the same way (the same sheets, rows, row numbers and header
    texts; a CSV stays a CSV, any workbook becomes an .xlsx of text cells), without personal data:
    - a column whose header names personal data (`names_personal_data`) keeps its header and loses its values (with
      `keep_masked`, its values masked as the store keeps them, when the setting ONESTOP_KEEP_PERSONAL asks for it);
    - a column not `used` (header texts read as stored fields) whose values look personal in a way that is refused
      (`Looks.refused`) loses its values; in the other columns not used, phone and ID numbers inside text are masked;
    - sheets without a header, never read, are left out.
    Keeping each header keeps the header's signature, by which a corrected mapping is remembered for the next files.
    A file that cannot be read gives no copy."""
    try:
        kind = file_kind(data, name)
        tables = sheets_of(data, kind, name)
    except q.FileRejected:
        return Stripped(None)
    used, out, kept = set(used), Stripped(None), []
    for sheet_name, table in tables:
        head = [[None if pd.isna(x) else x for x in row]
                for row in table.head(h.HEADER_SCAN_ROWS).itertuples(index=False, name=None)]
        found = h.find_header(head)
        if found is None:
            continue
        top, depth = found
        names = h.header_names(head[top], head[top + 1] if depth == 2 else None)
        columns = []
        for j in range(table.shape[1]):
            texts = [str(t).strip() for t in {names[j], head[top][j], head[top + depth - 1][j]} if t and str(t).strip()]
            columns.append(_stripped_column(table.iloc[:, j], top + depth, names[j], texts, used, keep_masked, out))
        kept.append((sheet_name, columns, len(table)))
    if kept:
        out.content = _csv(kept[0][1]) if kind == "csv" else _workbook(kept)
    return out


def _stripped_column(values: pd.Series, first_data: int, header: str, texts: list[str], used: set[str],
                     keep_masked: bool, out: Stripped) -> pa.Array:
    column = pc.cast(pa.array(values, from_pandas=True), pa.large_string())
    above, body = column.slice(0, first_data), column.slice(first_data)
    if any(names_personal_data(t) for t in texts):
        out.emptied.append(header)
        mask = MASKS.get(h.field_for(header)) if keep_masked else None
        body = (pa.array([None if v is None else mask(v) for v in body.to_pylist()], pa.large_string()) if mask
                else pa.nulls(len(body), pa.large_string()))
        return pa.concat_arrays([above, body])
    seen = looks(body.slice(0, SAMPLE_VALUES * 4).to_pylist())
    if seen is not None and header:
        out.looks.setdefault(header, seen)
    if header in used:
        return column
    if seen is not None and seen.refused:
        out.emptied.append(header)
        return pa.concat_arrays([above, pa.nulls(len(body), pa.large_string())])
    return pa.concat_arrays([above, _identifiers_masked(body)])


def _identifiers_masked(body: pa.Array) -> pa.Array:
    """The cells with a phone or ID number inside their text, masked (`values.masked_identifiers`)."""
    found = pc.fill_null(pc.match_substring_regex(body, _IN_TEXT.pattern), False).to_numpy(zero_copy_only=False)
    if not found.any():
        return body
    return pa.array([masked_identifiers(v) if hit else v for v, hit in zip(body.to_pylist(), found)],
                    pa.large_string())


def _csv(columns: list[pa.Array]) -> bytes:
    """A CSV of the columns, every row as wide as the widest (the reader gives short rows the same empty cells)."""
    buffer = io.BytesIO()
    pacsv.write_csv(pa.table(columns, names=[str(j) for j in range(len(columns))]), buffer,
                    pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return buffer.getvalue()


def _letters(j: int) -> str:
    """0 -> "A", 27 -> "AB"."""
    out = ""
    j += 1
    while j:
        j, rest = divmod(j - 1, 26)
        out = chr(65 + rest) + out
    return out


def _xml_text(column: pa.Array) -> pa.Array:
    text = pc.replace_substring_regex(column, _NOT_XML, "")
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = pc.replace_substring(text, raw, escaped)
    return text


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def _sheet_xml(columns: list[pa.Array], rows: int) -> bytes:
    """A worksheet's XML: every non-empty cell an inline string at its own row and column."""
    numbers = pc.cast(pa.array(range(1, rows + 1), pa.int64()), pa.large_string())
    cells = [pc.fill_null(pc.binary_join_element_wise(
        _text(f'<c r="{_letters(j)}'), numbers, _text('" t="inlineStr"><is><t xml:space="preserve">'),
        _xml_text(column), _text("</t></is></c>"), _text("")), _text("")) for j, column in enumerate(columns)]
    lines = (pc.binary_join_element_wise(_text('<row r="'), numbers, _text('">'), *cells, _text("</row>"), _text(""))
             if rows else pa.array([], pa.large_string()))
    body = "".join(lines.to_pylist())
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats'
            f'.org/spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>').encode("utf-8")


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _workbook(sheets: list[tuple[str, list[pa.Array], int]]) -> bytes:
    """The smallest .xlsx the reader reads: the sheets (name, columns of text, rows), no styles, no shared strings;
    the same sheets always give the same bytes."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-'
                      'officedocument.spreadsheetml.worksheet+xml"/>' for n in range(1, len(sheets) + 1))
            + "</Types>"),
        "_rels/.rels": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE}">'
                        f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
                        "</Relationships>"),
        "xl/workbook.xml": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
                            f'xmlns:r="{_RELATIONSHIPS}"><sheets>'
                            + "".join(f'<sheet name="{_attribute(name)}" sheetId="{n}" r:id="rId{n}"/>'
                                      for n, (name, _, _) in enumerate(sheets, 1))
                            + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE}">'
            + "".join(f'<Relationship Id="rId{n}" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                      for n in range(1, len(sheets) + 1))
            + "</Relationships>"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for path, text in parts.items():
            archive.writestr(zipfile.ZipInfo(path, (1980, 1, 1, 0, 0, 0)), text.encode("utf-8"),
                             compress_type=zipfile.ZIP_DEFLATED)
        for n, (_, columns, rows) in enumerate(sheets, 1):
            archive.writestr(zipfile.ZipInfo(f"xl/worksheets/sheet{n}.xml", (1980, 1, 1, 0, 0, 0)),
                             _sheet_xml(columns, rows), compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return buffer.getvalue()
