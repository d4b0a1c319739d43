"""Uploading files, and how each uploaded file was read, on the Dữ liệu screen: sheets, a preview, the header mapping
(editable, then re-imported), the values of the coded columns and how each was read, and every issue of the file.

The round trips (mapping table -> overrides, value table -> value overrides) are plain functions, tested without
Streamlit; `show_result` only arranges widgets.

Streamlit (1.67) draws its file uploader's own texts in English ("Upload", "200MB per file • XLSX…", "Drag and drop
files here") and offers no parameter for them; it also cuts each chosen file's name in the middle
("2018-Q...ng-Son.xlsx"). `uploader` draws the uploader with a style sheet scoped to the uploader's data-testid
attributes: it hides those texts (display: none, so screen readers skip them too) and writes Vietnamese ones in
their place (CSS generated content); each chip shows its whole file name, which Streamlit keeps in the chip's title
attribute, wrapping over lines (the cut name stays in the page at size 0). What stays English: the messages Streamlit
writes inside a chip when a file is refused ("File must be …", "Upload failed"), the labels only screen readers hear
("Remove …", "Add files"), and the size under a chip, with its decimal point ("5.7KB").
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from analytics.ingest.headers import field_for
from analytics.ingest.personal import names_personal_data
from analytics.model import issues as q
from analytics.model import schema as s
from analytics.outputs import formatting as fmt
from ui import tables

IGNORE = "(bỏ qua cột này)"
FIELD_CHOICES = [IGNORE] + [f"{s.FIELD_LABELS[f]} ({f})" for f in s.FIELDS]
FIELD_BY_CHOICE = {f"{s.FIELD_LABELS[f]} ({f})": f for f in s.FIELDS} | {IGNORE: ""}
HEADER_COLUMN, FIELD_COLUMN, HOW_COLUMN = "Tiêu đề trong tệp", "Trường", "Cách nhận ra"
HOW_LABELS = {"exact": "đúng tên quen thuộc", "phrase": "theo cụm từ bên trong", "override": "do người dùng chỉ",
              "unrecognised": "CHƯA NHẬN RA", "ambiguous": "CHƯA RÕ: trùng nhiều nghĩa", "": ""}
# The coded columns whose values a user can map, and what each value may be read as.
VALUE_FIELDS = {s.STATUS: "Trạng thái", s.CHANNEL: "Hình thức nộp", s.LEVEL: "Cấp"}
KEEP = "(giữ cách đọc)"
VALUE_CHOICES = {
    s.STATUS: {f"{code} – {label}": code for code, label in s.STATUS_LABELS.items()},
    s.CHANNEL: {f"{code} – {label}": code for code, label in s.CHANNEL_LABELS.items()},
    s.LEVEL: {level: level for level in ("Cấp tỉnh", "Cấp huyện", "Cấp xã")},
}
VALUE_COLUMN, COUNT_COLUMN, READ_AS_COLUMN, CHANGE_COLUMN = "Giá trị trong tệp", "Số hồ sơ", "Đọc là", "Sửa thành"
STATUS_TEXT = {"imported": "Đã nhập", "already_imported": "Đã nhập trước đó, không thay đổi",
               "rejected": "Không nhập được"}
PREVIEW = {s.CASE_ID: "Mã hồ sơ", s.PROCEDURE_NAME: "Thủ tục", s.UNIT: "Cơ quan", s.RECEIVED_DATE: "Tiếp nhận",
           s.DUE_DATE: "Hẹn trả", s.COMPLETED_DATE: "Có kết quả", s.STATUS_CODE: "Mã trạng thái",
           s.CHANNEL_CODE: "Kênh (1/2/3)"}


def uploader_css(max_megabytes: int) -> str:
    """The style sheet that writes the uploader's texts in Vietnamese (see the module's docstring)."""
    zone, instructions = '[data-testid="stFileUploaderDropzone"]', '[data-testid="stFileUploaderDropzoneInstructions"]'
    return f"""<style>
{zone} button [data-testid="stMarkdownContainer"] p {{ display: none; }}
{zone} button [data-testid="stMarkdownContainer"]::after {{ content: "Chọn tệp"; font-size: 0.875rem; }}
{instructions} span {{ display: none; }}
{instructions} > div::after {{ content: "hoặc kéo thả tệp vào đây · tối đa {max_megabytes} MB mỗi tệp";
  font-size: 0.875rem; line-height: 1.6; opacity: 0.7; }}
{zone} > div:not([data-testid]) > span:only-child {{ font-size: 0; }}
{zone} > div:not([data-testid]) > span:only-child::after {{ content: "Thả tệp vào đây"; font-size: 0.875rem; }}
{zone} > div [data-testid="stFileChips"] {{ max-height: 16rem; }}
[data-testid="stFileChip"] {{ max-width: 100%; height: auto; }}
[data-testid="stFileChipName"] {{ font-size: 0; white-space: normal; overflow: visible; text-overflow: clip; }}
[data-testid="stFileChipName"]::after {{ content: attr(title); font-size: 0.875rem; overflow-wrap: anywhere; }}
</style>"""


def uploader(label: str, key: str, types: Sequence[str], multiple: bool = False, help: str | None = None):
    """st.file_uploader with its own texts in Vietnamese and whole file names (see the module's docstring);
    `types`: suffixes with or without the dot. Returns what st.file_uploader returns."""
    st.html(uploader_css(int(st.get_option("server.maxUploadSize"))))
    return st.file_uploader(label, type=[x.lstrip(".") for x in types], accept_multiple_files=multiple, key=key,
                            help=help)


ISSUE_VIEW_WIDTHS = {"code": "small", "file": "medium", "message": "large"}


def show_issues(shown: pd.DataFrame, name: str, key: str, extra: dict[str, str] | None = None,
                height: int = 400) -> None:
    """Issues (columns of q.COLUMNS, levels already in words) as a grid with their downloads; `extra`: columns
    shown before them (column -> header)."""
    view = tables.View({**(extra or {}), **q.COLUMN_LABELS}, plain=("row", *(extra or {})),
                       help={"row": "Số dòng trong trang tính của tệp", "code": "Mã ổn định của loại vấn đề"},
                       widths=ISSUE_VIEW_WIDTHS)
    tables.show(shown, view, height=tables.fitted_height(len(shown), height))
    tables.downloads(shown, name, key, view.text)


def _header_texts(reading) -> list[str]:
    return list(dict.fromkeys(t for sheet in reading.sheets for t in sheet.headers if t)) or \
        list(dict.fromkeys(reading.header_candidates))


def personal_headers(reading) -> list[str]:
    """The file's header texts that name personal data, or may ("Họ tên cán bộ"): dropped at import, never offered
    another field (`personal.names_personal_data`)."""
    return [t for t in _header_texts(reading) if names_personal_data(t)]


def mapping_table(reading) -> pd.DataFrame:
    """One row per header text of the file: the field it was read as (or would be, for a file that stopped at its
    header), as the editor's choice labels. Columns of personal data are left out: they cannot be mapped
    (`personal_headers`)."""
    headers = [t for t in _header_texts(reading) if not names_personal_data(t)]
    mapping = {t: f for sheet in reading.sheets for t, f in sheet.mapping.items()} or \
        {t: field_for(t) or "" for t in headers}
    choice = {f: c for c, f in FIELD_BY_CHOICE.items() if f}
    read_by = {t: how for sheet in reading.sheets for t, how in sheet.read_by.items()}
    ambiguous = {t for sheet in reading.sheets for t in sheet.ambiguous}
    return pd.DataFrame({HEADER_COLUMN: headers,
                         FIELD_COLUMN: [choice.get(mapping.get(t, ""), IGNORE) for t in headers],
                         HOW_COLUMN: [HOW_LABELS["ambiguous" if t in ambiguous else read_by.get(t, "")]
                                      for t in headers]})


def overrides_from(edited: pd.DataFrame) -> dict[str, str]:
    """The editor's table back to header text -> field ('' = ignore the column)."""
    return {row[HEADER_COLUMN]: FIELD_BY_CHOICE[row[FIELD_COLUMN]] for row in edited.to_dict("records")}


def mapped_by_hand(before: pd.DataFrame, edited: pd.DataFrame) -> dict[str, str]:
    """Header text -> field, for the columns the user mapped to a field other than the one they were read as."""
    was = dict(zip(before[HEADER_COLUMN], before[FIELD_COLUMN]))
    return {row[HEADER_COLUMN]: FIELD_BY_CHOICE[row[FIELD_COLUMN]] for row in edited.to_dict("records")
            if row[FIELD_COLUMN] != was.get(row[HEADER_COLUMN]) and FIELD_BY_CHOICE.get(row[FIELD_COLUMN])}


def mappings_of_personal_values(by_hand: dict[str, str], looks: dict) -> tuple[list[str], list[str]]:
    """(refusals, warnings), in Vietnamese Markdown, for the columns mapped by hand whose values look like personal
    data (`personal.Looks`, measured when the file was kept for a re-import): phone numbers, e-mail addresses, ID
    numbers and names that differ from row to row are refused (the re-import waits until the column is ignored);
    names that repeat (wards and schools are named after people) are only warned about."""
    refusals, warnings = [], []
    for text, field_name in by_hand.items():
        seen = looks.get(text)
        if seen is None:
            continue
        column, target = fmt.markdown_text(text), s.FIELD_LABELS.get(field_name, field_name)
        if seen.refused:
            refusals.append(f'Cột "{column}" có giá trị {seen.words} nên không được ánh xạ thành "{target}": dữ liệu '
                            f'cá nhân không được lưu (Nghị định 13/2023/NĐ-CP). Hãy chọn "{IGNORE}" cho cột này rồi '
                            "nhập lại.")
        else:
            warnings.append(f'Cột "{column}" có giá trị {seen.words}. Nếu đó là tên người nộp hay cán bộ, hãy chọn '
                            f'"{IGNORE}": dữ liệu cá nhân không được lưu; nếu là tên đơn vị (phường, xã, trường mang '
                            f'tên người), cứ nhập lại với "{target}".')
    return refusals, warnings


def _read_as(field_name: str, code) -> str:
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return ""
    return next((label for label, c in VALUE_CHOICES[field_name].items() if c == code), str(code))


def value_table(reading, field_name: str) -> pd.DataFrame:
    """The distinct values of a coded column (status, channel, level): how many dossiers, what each was read as
    and how; the column "Sửa thành" starts as KEEP for the user to change."""
    values = getattr(reading, "value_counts", {}).get(field_name, [])
    return pd.DataFrame({
        VALUE_COLUMN: [v["value"] for v in values],
        COUNT_COLUMN: [v["count"] for v in values],
        READ_AS_COLUMN: [_read_as(field_name, v["read_as"]) for v in values],
        HOW_COLUMN: [HOW_LABELS.get(v["how"], v["how"]) for v in values],
        CHANGE_COLUMN: [KEEP] * len(values),
    })


def value_overrides_from(edited: dict[str, pd.DataFrame]) -> dict[str, dict[str, int | str]]:
    """Field -> the editor's table back to {wording: code} for the values the user changed."""
    out: dict[str, dict[str, int | str]] = {}
    for field_name, table in edited.items():
        for row in table.to_dict("records"):
            if row[CHANGE_COLUMN] and row[CHANGE_COLUMN] != KEEP:
                out.setdefault(field_name, {})[row[VALUE_COLUMN]] = VALUE_CHOICES[field_name][row[CHANGE_COLUMN]]
    return out


def _summary(name: str, result) -> str:
    icon = {"imported": ":material/check_circle:", "already_imported": ":material/info:",
            "rejected": ":material/error:"}[result.status]
    return (f"{icon} **{fmt.markdown_text(name)}** — {STATUS_TEXT[result.status]}: {fmt.number(result.rows_imported)} "
            f"dòng hồ sơ, bỏ qua {fmt.number(result.rows_skipped)} dòng")


def show_result(name: str, result) -> tuple[dict[str, str], dict[str, dict]] | None:
    """How one file was read; returns the corrected (header mapping, value mapping) when the user asks to import it
    again."""
    reading = result.reading
    with st.expander(_summary(name, result), expanded=result.status == "rejected"):
        if result.rejected:
            st.error(fmt.markdown_text(q.describe(result.rejected)))
        for sheet in reading.sheets:  # names from the file: Markdown escaped
            st.markdown(f"Trang **{fmt.markdown_text(sheet.sheet)}**: dòng tiêu đề ở dòng {sheet.header_row}, "
                        f"{fmt.number(sheet.data_rows)} dòng hồ sơ. Cột không dùng: "
                        + (", ".join(f'"{fmt.markdown_text(t)}"' for t in sheet.ignored) or "không có") + ".")
        if not reading.records.empty:
            st.caption("Năm dòng đầu đã đọc (sau khi làm sạch; không có dữ liệu cá nhân):")
            tables.show(reading.records.head(5), tables.View(PREVIEW, dates=(s.RECEIVED_DATE, s.DUE_DATE,
                                                                              s.COMPLETED_DATE)))
        corrected = None
        editor = mapping_table(reading)
        if len(editor):
            st.markdown("**Ánh xạ cột** — sửa cột nào đọc sai rồi bấm *Nhập lại* (ánh xạ được nhớ cho các tệp có "
                        "cùng dòng tiêu đề):")
            edited = st.data_editor(editor, hide_index=True, width="stretch", key=f"mapping_{name}",
                                    disabled=[HEADER_COLUMN, HOW_COLUMN],
                                    column_config={FIELD_COLUMN: st.column_config.SelectboxColumn(
                                        FIELD_COLUMN, options=FIELD_CHOICES, required=True)})
            personal = personal_headers(reading)
            if personal:
                st.caption("Cột dữ liệu cá nhân, không lưu và không ánh xạ sang trường khác được (Nghị định "
                           "13/2023/NĐ-CP): " + ", ".join(f'"{fmt.markdown_text(t)}"' for t in personal) + ".")
            refusals, warnings = mappings_of_personal_values(mapped_by_hand(editor, edited),
                                                             getattr(result, "values_look_personal", {}) or {})
            for refusal in refusals:
                st.error(refusal, icon=":material/person_off:")
            for warning in warnings:
                st.warning(warning, icon=":material/person_alert:")
            edited_values = _value_editors(name, reading)
            if st.button("Nhập lại với ánh xạ và cách đọc này", key=f"reimport_{name}", disabled=bool(refusals)):
                corrected = overrides_from(edited), value_overrides_from(edited_values)
        row_issues = [i for i in result.issues if i.level != q.FILE]
        if row_issues:
            st.markdown(f"**{fmt.number(len(row_issues))} vấn đề** (dòng bị bỏ qua được liệt kê đầy đủ):")
            issues = q.issues_table(row_issues).assign(level=lambda f: f["level"].map(q.LEVEL_LABELS))
            show_issues(issues, f"van-de_{name}", f"issues_{name}", height=300)
    return corrected


def _value_editors(name: str, reading) -> dict[str, pd.DataFrame]:
    """One editor per coded column present: its distinct values, how each was read, a choice to correct it."""
    edited = {}
    for field_name, label in VALUE_FIELDS.items():
        table = value_table(reading, field_name)
        if table.empty:
            continue
        unread = int((table[HOW_COLUMN].isin([HOW_LABELS["unrecognised"], HOW_LABELS["ambiguous"]])).sum())
        st.markdown(f"**Giá trị cột {label}** — {fmt.number(len(table))} cách ghi"
                    + (f", **{fmt.number(unread)} chưa nhận ra**: chọn mã ở cột *{CHANGE_COLUMN}*" if unread else "")
                    + " (cách đọc được nhớ cho các tệp có cùng dòng tiêu đề):")
        edited[field_name] = st.data_editor(
            table, hide_index=True, width="stretch", key=f"values_{field_name}_{name}",
            disabled=[VALUE_COLUMN, COUNT_COLUMN, READ_AS_COLUMN, HOW_COLUMN],
            column_config={COUNT_COLUMN: st.column_config.NumberColumn(COUNT_COLUMN, format=tables.COUNT_FORMAT),
                           CHANGE_COLUMN: st.column_config.SelectboxColumn(
                               CHANGE_COLUMN, options=[KEEP, *VALUE_CHOICES[field_name]], required=True)})
    return edited
