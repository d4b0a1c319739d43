"""From imported records to dossiers: one record per case id, the most advanced one."""
from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.model import issues as q
from analytics.model import schema as s

LATEST_EVENT, LATEST, SHEET_POSITION = "_latest_event", "_latest_date", "_sheet_position"
EVENT_DATES = [s.RECEIVED_DATE, s.COMPLETED_DATE, s.RETURNED_DATE]
# Merged records of one case id should agree on these; when they do not, a notice (records_disagree).
MUST_AGREE = [s.UNIT, s.RECEIVED_DATE]


# --- The same choice in SQL: the store's `dossiers` table (issue 20, Store.engine_connection) -------------------

def chosen_sql(records: str = "records", where: str = "") -> str:
    """One row per case id from the store's records (DuckDB: it reads `rowid`), as dossiers/dedup.merge_duplicates
    keeps it: the most advanced record (latest event, then latest date, then the later import, sheet, row), its
    original due date taken from the earliest snapshot's promise when it has none and that promise differs from its
    due date (`original_due_recovered`); `engine_row` keeps the reading order (analyses read dossiers back in it).
    `where`: only the records of some case ids (all of each case id's
    records must pass it); a sheet's position in its import is kept, as the import's sheets lie in rowid order."""
    events = ", ".join((s.RECEIVED_DATE, s.COMPLETED_DATE, s.RETURNED_DATE))
    dates = ", ".join(s.DATE_FIELDS)
    promise = f"COALESCE({s.ORIGINAL_DUE_DATE}, {s.DUE_DATE})"
    order = ("latest_event {d} NULLS {n}, latest_date {d} NULLS {n}, import_id {d}, sheet_position {d}, "
             f"{s.SOURCE_ROW} {{d}}, record_row {{d}}")
    newest, oldest = order.format(d="DESC", n="LAST"), order.format(d="ASC", n="FIRST")
    columns = [c for c in s.RECORD_COLUMNS if c != s.ORIGINAL_DUE_DATE]
    return f"""
SELECT import_id, {', '.join(columns)},
  CASE WHEN recovered THEN first_promise ELSE {s.ORIGINAL_DUE_DATE} END AS {s.ORIGINAL_DUE_DATE},
  recovered AS {s.ORIGINAL_DUE_RECOVERED}, record_row AS engine_row
FROM (
  SELECT *,
    copies > 1 AND {s.ORIGINAL_DUE_DATE} IS NULL AND first_promise IS NOT NULL
      AND ({s.DUE_DATE} IS NULL OR first_promise <> {s.DUE_DATE}) AS recovered
  FROM (
    SELECT *,
      ROW_NUMBER() OVER (PARTITION BY {s.CASE_ID} ORDER BY {newest}) AS newest_first,
      FIRST_VALUE({promise} IGNORE NULLS) OVER (PARTITION BY {s.CASE_ID} ORDER BY {oldest}
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_promise,
      COUNT(*) OVER (PARTITION BY {s.CASE_ID}) AS copies
    FROM (
      SELECT *, GREATEST({events}) AS latest_event, GREATEST({dates}) AS latest_date,
        DENSE_RANK() OVER (PARTITION BY import_id ORDER BY sheet_first_row) AS sheet_position
      FROM (SELECT *, rowid AS record_row,
                   MIN(rowid) OVER (PARTITION BY import_id, {s.SOURCE_SHEET}) AS sheet_first_row
            FROM {records} {f"WHERE {where}" if where else ""}) AS r) AS ranked) AS numbered
  WHERE newest_first = 1) AS kept
ORDER BY record_row"""



def sheet_positions(records: pd.DataFrame) -> pd.Series:
    """Each record's sheet position in its file: the order in which the sheets of one import first appear in the
    records (a reader gives a workbook's sheets in workbook order), not the sheets' names."""
    keys = [records[s.IMPORT_ID]] if s.IMPORT_ID in records else []
    sheets = pd.MultiIndex.from_arrays([*keys, records[s.SOURCE_SHEET].astype(object)])
    codes, _ = pd.factorize(sheets, use_na_sentinel=False)
    return pd.Series(codes, index=records.index, name=SHEET_POSITION)


def _ranked(records: pd.DataFrame, repeated: np.ndarray) -> pd.DataFrame:
    """The records of repeated case ids, least advanced first: the order merging reads them in (the last one of a
    case id wins)."""
    ranks = {LATEST_EVENT: records[EVENT_DATES].max(axis=1), LATEST: records[s.DATE_FIELDS].max(axis=1),
             SHEET_POSITION: sheet_positions(records)}
    order = [LATEST_EVENT, LATEST] + ([s.IMPORT_ID] if s.IMPORT_ID in records else []) + [SHEET_POSITION,
                                                                                        s.SOURCE_ROW]
    candidates = records[repeated].assign(**{k: v[repeated] for k, v in ranks.items()})
    return candidates.sort_values(order, na_position="first", kind="stable")


def _recovered(ranked: pd.DataFrame) -> pd.DataFrame:
    """Per case id whose latest record has no original due date: the due date its earliest snapshot promised (that
    snapshot's original due date when it has one, else its due date), where it differs from the latest record's due
    date. Columns: the winner's index (`winner`), `original` and the latest `due`."""
    promised = ranked[s.ORIGINAL_DUE_DATE].fillna(ranked[s.DUE_DATE])
    by_case = pd.DataFrame({s.CASE_ID: ranked[s.CASE_ID], "promised": promised, "winner": ranked.index})
    grouped = by_case.groupby(s.CASE_ID, sort=False)
    first = grouped["promised"].first()  # the first promise seen, in the ranked order: the earliest snapshot's
    winner = grouped["winner"].last()
    latest = ranked.loc[winner.to_numpy()]
    out = pd.DataFrame({"winner": winner.to_numpy(), "original": first.reindex(winner.index).to_numpy(),
                        "due": latest[s.DUE_DATE].to_numpy()}, index=winner.index)
    blank = latest[s.ORIGINAL_DUE_DATE].isna().to_numpy()
    moved = out["original"].notna() & (out["due"].isna() | (out["original"] != out["due"]))
    return out[blank & moved.to_numpy()]


def merge_duplicates(records: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """(one row per case id, number of records merged away).

    The same dossier appears in several rows or files (quarterly exports overlap, resubmissions): keep the most
    advanced record, the one with the latest of its dates. What happened (received, completed, returned) counts
    before what was promised (due dates): a record completed on 09/01 beats one still pending with the same due
    date 10/01. On a tie, the record read last wins: the later file (higher `import_id`), then the later sheet in
    the workbook, then the row lower on the sheet (higher `source_row`). `records` is not changed.

    The software overwrites a due date after an apology letter: when the kept record has no original due date, the
    earliest snapshot's promise (its original due date, else its due date) becomes the original due date where it
    differs from the kept due date, marked in `original_due_recovered` (a column every result has).
    """
    repeated = records[s.CASE_ID].duplicated(keep=False).to_numpy()
    if not repeated.any():  # the usual single export: nothing to rank
        out = records.reset_index(drop=True)
        out[s.ORIGINAL_DUE_RECOVERED] = False
        return out, 0
    # Only the records of repeated case ids are ranked; the sheet positions are those of the whole import.
    ranked = _ranked(records, repeated)
    winners = ranked.drop_duplicates(s.CASE_ID, keep="last").index
    keep = ~repeated
    keep[records.index.get_indexer(winners)] = True
    recovered = _recovered(ranked)
    kept = records[keep]  # in read order, as before (a new frame: copy-on-write)
    kept[s.ORIGINAL_DUE_RECOVERED] = False
    if len(recovered):
        kept.loc[recovered["winner"].to_numpy(), s.ORIGINAL_DUE_DATE] = recovered["original"].to_numpy()
        kept.loc[recovered["winner"].to_numpy(), s.ORIGINAL_DUE_RECOVERED] = True
    return kept.reset_index(drop=True), len(records) - len(kept)


def _disagreeing(records: pd.DataFrame) -> pd.DataFrame:
    """The records of the case ids whose records disagree on the deciding unit or the received date (blanks left
    aside), in read order: two units that number their dossiers alike, or a typo."""
    repeated = records[records[s.CASE_ID].duplicated(keep=False)]
    if repeated.empty:
        return repeated
    values = repeated[MUST_AGREE].assign(**{s.RECEIVED_DATE: repeated[s.RECEIVED_DATE].dt.normalize()})
    distinct = values.groupby(repeated[s.CASE_ID], sort=False).nunique()
    return repeated[repeated[s.CASE_ID].isin(distinct.index[(distinct > 1).any(axis=1)])]


def _value(column: str, value) -> str:
    return f"{value:%d/%m/%Y}" if column == s.RECEIVED_DATE else f'"{value}"'


def merge_notices(records: pd.DataFrame, file_names: dict[int, str] | None = None) -> list[q.Issue]:
    """A notice (records_disagree) per case id whose records disagree on the unit or the received date, giving
    each value and where it was first read (`file_names`: import_id -> file name, to say which file); then one
    notice (original_due_recovered) when merging takes original due dates from earlier snapshots."""
    file_names = file_names or {}
    notices = []
    for case_id, same in _disagreeing(records).groupby(s.CASE_ID, sort=False):
        parts, columns = [], []
        for column in MUST_AGREE:
            values = (same[column].dt.normalize() if column == s.RECEIVED_DATE else same[column]).dropna()
            firsts = values[~values.duplicated()]  # the first record holding each value, in read order
            if len(firsts) < 2:
                continue
            columns.append(s.FIELD_LABELS[column])
            parts.append(f"{s.FIELD_LABELS[column]} " + " và ".join(
                f"{_value(column, value)} ({_place(same.loc[index], file_names)})" for index, value in firsts.items()))
        notices.append(q.Issue(
            q.RECORDS_DISAGREE, q.NOTICE,
            f'Mã hồ sơ "{case_id}" có {len(same)} bản ghi không khớp nhau: {"; ".join(parts)}. Chỉ một bản ghi được '
            "tính (bản ghi tiến triển xa nhất). Nếu đây là hai hồ sơ khác nhau trùng mã (ví dụ mỗi xã tự đánh số "
            "1, 2, 3…), hãy xuất lại với mã hồ sơ đầy đủ; nếu là lỗi nhập liệu, hãy sửa trong phần mềm một cửa.",
            column=", ".join(columns), value=str(case_id)))
    return notices + _recovery_notice(records)


MAX_EXAMPLES = 5  # case ids named in the notice of recovered original due dates


def _recovery_notice(records: pd.DataFrame) -> list[q.Issue]:
    """One notice for the case ids whose original due date merging takes from an earlier snapshot."""
    repeated = records[s.CASE_ID].duplicated(keep=False).to_numpy()
    if not repeated.any():
        return []
    recovered = _recovered(_ranked(records, repeated))
    if recovered.empty:
        return []
    examples = ", ".join(
        f'"{case_id}" ({_value(s.RECEIVED_DATE, original)} → '
        f'{_value(s.RECEIVED_DATE, due) if pd.notna(due) else "để trống"})'
        for case_id, original, due in zip(recovered.index[:MAX_EXAMPLES], recovered["original"], recovered["due"]))
    more = f" và {len(recovered) - MAX_EXAMPLES} hồ sơ khác" if len(recovered) > MAX_EXAMPLES else ""
    return [q.Issue(
        q.ORIGINAL_DUE_RECOVERED, q.NOTICE,
        f"{len(recovered)} hồ sơ không có ngày hẹn trả ban đầu trong tệp xuất sau, mà ngày hẹn trả đã đổi so với bản "
        f"xuất sớm hơn: {examples}{more}. Ngày hẹn trả ban đầu lấy theo bản xuất sớm nhất của cùng mã hồ sơ, và trước "
        "hạn / đúng hạn / quá hạn tính theo ngày đó (phần mềm ghi đè ngày hẹn trả sau khi có thư xin lỗi). Nếu "
        "phần mềm xuất được cột \"Ngày hẹn trả ban đầu\", hãy xuất lại với cột đó.",
        column=s.FIELD_LABELS[s.ORIGINAL_DUE_DATE], value=str(len(recovered)))]


def _place(record: pd.Series, file_names: dict[int, str]) -> str:
    where = []
    file = file_names.get(record.get(s.IMPORT_ID))
    if file:
        where.append(f"tệp {file}")
    if pd.notna(record[s.SOURCE_SHEET]):
        where.append(f'trang "{record[s.SOURCE_SHEET]}"')
    if pd.notna(record[s.SOURCE_ROW]):
        where.append(f"dòng {int(record[s.SOURCE_ROW])}")
    return ", ".join(where)
