"""One line of a yearly scheme as plain data, for the pure scoring code (no Django, no database).

Records' duty points (`records/points.py`) and supervision's unit scoring (`supervision/scoring.py`)
each extend it with what only they need.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ItemSpec:
    """One scheme line: the rule, its label, its points and an optional cap."""

    rule: str
    label: str
    points: Decimal
    cap: Decimal | None = None
