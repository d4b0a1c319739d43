"""Biểu số 06/VPCP/KSTT's vocabulary: the keys of its columns (the public keys of a table row, in the form's order)
and the roman numerals that number its levels and the year's quarters. One home for each (review 2026-12-07 §4.3)."""
from __future__ import annotations

KEYS = ["received_total", "received_online", "received_direct_postal", "carried_over", "resolved_total",
        "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_in_time",
        "pending_overdue", "withdrawn", "on_time_rate"]
COUNT_KEYS = KEYS[:-1]
ROMAN_NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def roman(n: int) -> str:
    """1 -> "I" … 10 -> "X"; beyond, the number itself."""
    return ROMAN_NUMERALS[n - 1] if 1 <= n <= len(ROMAN_NUMERALS) else str(n)
