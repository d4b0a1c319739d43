"""Filters every screen shares: level, unit, field, channel. Empty selection = everything."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.model import schema as s

DIMENSIONS = {"levels": s.LEVEL, "units": s.UNIT, "fields": s.FIELD}


@dataclass(frozen=True)
class Filters:
    levels: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    channels: tuple[int, ...] = ()

    @classmethod
    def of_session(cls, session) -> "Filters":
        """The filters a supervision session carries (model.session.SupervisionSession)."""
        return cls(tuple(session.levels), tuple(session.units), tuple(session.fields), tuple(session.channels))

    @property
    def active(self) -> bool:
        return bool(self.levels or self.units or self.fields or self.channels)

    def mask(self, dossiers: pd.DataFrame, index: "FilterIndex | None" = None) -> np.ndarray:
        """Rows kept; `index` (FilterIndex.of(dossiers)) makes it a lookup of small integer codes."""
        keep = np.ones(len(dossiers), dtype=bool)
        for attribute, column in DIMENSIONS.items():
            chosen = getattr(self, attribute)
            if chosen and index is not None:
                codes, values = index.codes[attribute]
                keep &= np.isin(codes, [i for i, v in enumerate(values) if v in chosen])
            elif chosen:
                keep &= dossiers[column].fillna(s.MISSING_GROUP).isin(chosen).to_numpy()
        if self.channels:
            keep &= dossiers[s.CHANNEL_CODE].isin(self.channels).to_numpy(dtype=bool, na_value=False)
        return keep

    def apply(self, dossiers: pd.DataFrame, index: "FilterIndex | None" = None) -> pd.DataFrame:
        return dossiers[self.mask(dossiers, index)] if self.active else dossiers


@dataclass(frozen=True)
class FilterIndex:
    """Each filter column as integer codes and its distinct values, made once per data set."""
    codes: dict[str, tuple[np.ndarray, list]]

    @classmethod
    def of(cls, dossiers: pd.DataFrame) -> "FilterIndex":
        out = {}
        for attribute, column in DIMENSIONS.items():
            codes, values = pd.factorize(dossiers[column].fillna(s.MISSING_GROUP))
            out[attribute] = (codes, [str(v) for v in values])
        return cls(out)


def choices(dossiers: pd.DataFrame) -> dict[str, list]:
    """The values each filter can take, sorted (blank shown as "(Không ghi)")."""
    out = {a: sorted(dossiers[c].fillna(s.MISSING_GROUP).astype(str).unique().tolist()) for a, c in DIMENSIONS.items()}
    out["channels"] = sorted(int(c) for c in dossiers[s.CHANNEL_CODE].dropna().unique())
    return out
