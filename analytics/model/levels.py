"""The three levels of government a one-stop shop belongs to, and the words that name them ("Huyện", "cấp huyện",
"Thành phố", "UBND cấp huyện" → "Cấp huyện"), as plain keys."""
from __future__ import annotations

from analytics.model.text_keys import plain_key

PROVINCE, DISTRICT, COMMUNE = "Cấp tỉnh", "Cấp huyện", "Cấp xã"
LEVELS = {PROVINCE: ["tinh", "cap tinh", "so", "cap so", "so nganh", "tinh thanh pho",
                     "thanh pho truc thuoc trung uong", "truc thuoc trung uong", "ubnd tinh"],
          DISTRICT: ["huyen", "cap huyen", "quan", "cap quan", "thi xa", "cap thi xa", "thanh pho", "cap thanh pho",
                     "quan huyen", "huyen thi xa thanh pho", "thanh pho thuoc tinh", "thanh pho truc thuoc tinh",
                     "thi xa thuoc tinh", "ubnd huyen"],
          COMMUNE: ["xa", "cap xa", "phuong", "cap phuong", "thi tran", "xa phuong", "xa phuong thi tran", "ubnd xa"]}
LEVEL_BY_KEY = {word: level for level, words in LEVELS.items() for word in words}

# A row of a reported table that stands for a level: "I. CẤP TỈNH", "Các sở, ban, ngành", "Cộng cấp xã".
_GROUP_LEVELS = [(PROVINCE, ("cap tinh", "cac so", "so ban nganh", "so nganh", "khoi so")),
                 (DISTRICT, ("cap huyen", "cap quan", "cac phong chuyen mon", "cac phong ban")),
                 (COMMUNE, ("cap xa", "cap phuong", "cac xa", "xa phuong", "ubnd cac xa"))]


def level_named_in(text) -> str | None:
    """The one level a group's name names ("II. Cấp xã" → "Cấp xã"), or None when it names none or several."""
    key = f" {plain_key(text)} "
    found = {level for level, phrases in _GROUP_LEVELS if any(f" {p} " in key for p in phrases)}
    return found.pop() if len(found) == 1 else None
