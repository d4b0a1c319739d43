"""Boundaries (issue 18, DOMAIN.md "Units change: the 2025 reorganisation"): the dossiers' units placed in a unit
register, and the dossiers counted as recorded (each unit as its export names it) or under the new boundaries (each
old unit's dossiers under its final successor; a unit without successor keeps its own row, never spread).

The register's names are matched to the data's as reported tables' are (model.unit_names): a match that is not exact
is a notice; a register unit the data never name, and a data unit the register cannot place, are listed. Codes and
names only: outputs words them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics.model import schema as s
from analytics.model.periods import Period
from analytics.model.unit_names import EXACT, match_names, unit_key
from analytics.model.unit_register import NEW, RECORDED, REORGANISATION, TRANSITION_END, UnitRegister

# What a comparison across the reorganisation must say beside its figures (Warning.code).
CROSSES_REORGANISATION = "crosses_reorganisation"   # one side before 1/7/2025, the other after (or one spans it)
IN_TRANSITION = "in_transition"                     # a period touches July–September 2025
MERGED_VS_PREDECESSOR = "merged_vs_predecessor"     # a new unit compared with one of the units it was formed from


@dataclass(frozen=True)
class Placement:
    """Where each unit of the data stands in the register."""
    successor: dict[str, str]                   # data unit -> the unit it counts under (new boundaries)
    without_successor: list[str]                # data units that stopped with no successor
    not_in_data: list[str]                      # register units the data never name
    unplaced: list[str]                         # data units the register cannot place
    not_exact: list[tuple[str, str, str]] = field(default_factory=list)  # (data unit, register name, how matched)


def placement(register: UnitRegister, units: list[str]) -> Placement:
    """The data's units (`units`) placed in the register."""
    names = register.names
    found = match_names(list(units), names)
    of_data = {units[i]: group for i, (group, _) in found.matched.items()}
    spelled = {unit_key(group): unit for unit, group in of_data.items()}   # a register unit as the data write it
    not_exact = [(units[i], group, how) for i, (group, how) in found.matched.items() if how != EXACT]
    successor: dict[str, str] = {}
    stopped: list[str] = []
    for unit, name in of_data.items():
        final, _ = register.final(name)
        if final is None:
            stopped.append(unit)
        else:
            successor[unit] = spelled.get(unit_key(final), final)
    used = set(of_data.values())
    return Placement(successor, sorted(stopped), [n for n in names if n not in used],
                     sorted(u for u in units if u not in of_data), not_exact)


def under_boundaries(dossiers: pd.DataFrame, place: Placement, boundaries: str) -> pd.DataFrame:
    """The dossiers with their unit as the boundaries count it: unchanged as RECORDED; each placed unit's name
    replaced by its successor's under NEW (a unit without successor, or unplaced, keeps its own)."""
    if boundaries == RECORDED or not place.successor:
        return dossiers
    if boundaries != NEW:
        raise ValueError(boundaries)
    out = dossiers.copy()
    units = out[s.UNIT].astype(object)
    out[s.UNIT] = units.map(lambda u: place.successor.get(u, u) if isinstance(u, str) else u)
    return out


@dataclass(frozen=True)
class Warning:
    code: str
    periods: tuple[Period, ...]
    units: tuple[str, ...] = ()


def reorganisation_warnings(periods: list[Period], register: UnitRegister | None = None,
                            compared_units: tuple[str, str] | None = None) -> list[Warning]:
    """What a trend or comparison over `periods` must say: it crosses 1/7/2025, it touches the transition window;
    with a register and two units compared, that one was formed from the other."""
    out = []
    before = [p for p in periods if p.start < REORGANISATION]
    after = [p for p in periods if p.end >= REORGANISATION]
    if before and after:
        out.append(Warning(CROSSES_REORGANISATION, tuple(periods)))
    window = [p for p in periods if p.start <= TRANSITION_END and p.end >= REORGANISATION]
    if window:
        out.append(Warning(IN_TRANSITION, tuple(window)))
    if register is not None and compared_units is not None:
        a, b = compared_units
        if _formed_from(register, a, b) or _formed_from(register, b, a):
            out.append(Warning(MERGED_VS_PREDECESSOR, tuple(periods), (a, b)))
    return out


def _formed_from(register: UnitRegister, new: str, old: str) -> bool:
    _, chain = register.final(old)
    return any(unit_key(n) == unit_key(new) for n in chain[1:])


def merged_across(register: UnitRegister, names: list[str], a: Period, b: Period) -> dict[str, list[str]]:
    """The groups (named as recorded) that are a unit formed, between or within the two periods, from units other
    than itself alone ("UBND phường Tam Thanh" of 1/7/2025 is the old ward and X. Hoàng Đồng): {name: the units it
    was formed from}. As recorded, such a group's two sides are not the same unit and are not compared."""
    out: dict[str, list[str]] = {}
    found = match_names(list(names), register.new_units)
    for i, (new, _) in found.matched.items():
        steps = [x for x in register.successions if x.new and unit_key(x.new) == unit_key(new)]
        formed_from = [x.old for x in steps]
        if len(formed_from) < 2 and all(unit_key(old) == unit_key(new) for old in formed_from):
            continue   # renamed or kept as it was: the same unit
        day = min((x.effective for x in steps if x.effective), default=None)
        if day is None or min(a.start, b.start) < day <= max(a.end, b.end):
            out[names[i]] = formed_from
    return out


REFUSED_KEYS = ("rate_change_pp", "rate_change_ci95", "p_value")


def refused(change: dict, count_keys: list[str]) -> dict:
    """A comparison's change of a merged unit, left empty: its two sides are not one unit (`not_comparable`)."""
    return {**change, **dict.fromkeys([*count_keys, *REFUSED_KEYS]), "judgeable": False, "not_comparable": True}
