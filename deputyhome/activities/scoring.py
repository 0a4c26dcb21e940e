"""Scoring a station against the checklist: plain arithmetic, no database.

An item met earns its points, partly met half of them, not met none. The score is the share
of the points available, out of 100 with one decimal; a station passes at the year's mark.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from .choices import ItemStatus

DEFAULT_PASS_SCORE = 80
SHARE = {ItemStatus.MET: Decimal(1), ItemStatus.PARTLY: Decimal("0.5"), ItemStatus.NOT_MET: Decimal(0)}


def score(results: Iterable[tuple[int, str]]) -> Decimal:
    """(points, status) pairs → 0–100 with one decimal; 0 when there is nothing to score."""
    total = Decimal(0)
    earned = Decimal(0)
    for points, status in results:
        total += points
        earned += SHARE[status] * points
    if total == 0:
        return Decimal("0.0")
    return (earned * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def passes(value: Decimal, pass_score: int) -> bool:
    return value >= pass_score
