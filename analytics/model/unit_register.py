"""A unit register (DOMAIN.md, "Units change: the 2025 reorganisation"): how units changed, as an analyst keeps it.

Each `Succession` says an old unit was formed into a new one on a date, or stopped with no successor. Successions
chain: A → B on 1/3, B → C on 1/7 counts A under C (`final`). The register never renames a dossier by itself: the
figures use it only under the new boundaries, and say so (analyses.boundaries).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from analytics.model import issues as q
from analytics.model.unit_names import unit_key

RECORDED, NEW = "recorded", "new"   # the boundaries a figure uses: each unit as its export names it, or successors
BOUNDARIES = (RECORDED, NEW)
REORGANISATION = dt.date(2025, 7, 1)          # no district level from this day (Nghị quyết 202/2025/QH15)
TRANSITION_END = dt.date(2025, 9, 30)         # July–September 2025: district backlogs handed over, portal moved


@dataclass(frozen=True)
class Succession:
    old: str                        # the old unit, as the register writes it
    new: str | None                 # its successor; None: it stopped with no successor
    effective: dt.date | None       # the day the change took effect
    row: int | None = None          # the register's row (its sheet row number)


@dataclass
class UnitRegister:
    file: str
    sha256: str
    successions: list[Succession]
    issues: list[q.Issue] = field(default_factory=list)

    def successor(self, old: str) -> Succession | None:
        """The register's entry for `old` (names compared as plain words), the latest when several."""
        found = [s for s in self.successions if unit_key(s.old) == unit_key(old)]
        return max(found, key=lambda s: s.effective or dt.date.min) if found else None

    def final(self, name: str) -> tuple[str | None, list[str]]:
        """(the unit `name` is counted under at the end of every step, None when a step stopped it with no
        successor; the chain of names walked, `name` first)."""
        chain = [name]
        current = name
        while (step := self.successor(current)) is not None:
            if step.new is None:
                return None, chain
            if any(unit_key(step.new) == unit_key(seen) for seen in chain):   # a ward kept its name, or a loop
                break
            current = step.new
            chain.append(current)
        return current, chain

    @property
    def new_units(self) -> list[str]:
        return _distinct([s.new for s in self.successions if s.new])

    @property
    def old_units(self) -> list[str]:
        return _distinct([s.old for s in self.successions])

    @property
    def names(self) -> list[str]:
        """Every unit the register names, once each however it is spelled (the first spelling kept)."""
        return _distinct([*self.old_units, *self.new_units])


def _distinct(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(unit_key(name), name)
    return list(seen.values())
