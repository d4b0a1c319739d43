"""Applicants' personal data, kept only when a setting asks for it (Nghị định 13/2023/NĐ-CP: minimisation), and then
only masked: enough for an analyst to recognise a dossier when following it up, never enough to identify a person
from the store alone. Nothing here is ever exported.

    name     "Hoàng Thị Mận"                        -> "Hoàng T. M."     (family name, initials)
    phone    "0912 345 678"                         -> "09******78"
    id       "001234567890"                         -> "00********90"
    address  "12 Lê Lợi, phường Chi Lăng, TP Lạng Sơn" -> "…, phường Chi Lăng, TP Lạng Sơn"  (no house, no street)
"""
from __future__ import annotations

import os

import pandas as pd

from analytics.ingest.values import masked_digits
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


def masked_number(text: str) -> str:
    return masked_digits("".join(ch for ch in str(text) if ch.isdigit()))


def masked_address(address: str) -> str:
    parts = [p.strip() for p in str(address).split(",") if p.strip()]
    if len(parts) <= 2:
        return "…" if parts else ""
    return "…, " + ", ".join(parts[-2:])


MASKS = {s.APPLICANT_NAME: masked_name, s.APPLICANT_PHONE: masked_number, s.APPLICANT_ID: masked_number,
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
