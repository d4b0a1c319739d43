"""Text as it is compared: Vietnamese wording reduced to plain lowercase ASCII words."""
from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def plain_key(text) -> str:
    """'Đã trả  Kết quả' -> 'da tra ket qua': no diacritics, lowercase, words separated by one space."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_WORD.sub(" ", text).strip()
