"""The boards the score pages show: the ranking of a congress's units and one unit's card with its place in it.

The city congress's ranking is scored from totals computed ahead (`precomputed.py`: seconds at province scale);
a township congress's from its few units' totals counted in SQL on each reading. A unit's card reads only that
unit's suggestions (its breakdown per suggestion) and takes its rank from the ranking, never scoring every unit.
"""

from __future__ import annotations

import datetime
from typing import Any

from deputyhome.figures.cache import Result
from deputyhome.organisation.models import Congress

from . import precomputed, ranking, scoring
from .selectors import ScoreBoard, UnitScore, scorecard_unit, sees_all_units, unit_scorecards


def ranking_board(
    *, year: int, user: Any, congress: Congress | None = None, today: datetime.date | None = None
) -> tuple[ScoreBoard, Result | None]:
    """(the ranking of the congress's units, the snapshot it was scored from: None where counted now).

    The city congress's (`congress` None) is read from the snapshot unless another day than today is asked for."""
    totals, figures = None, None
    if congress is None and today is None and sees_all_units(user):
        totals, figures = precomputed.congress_totals(year=year)
    board = ranking.unit_ranking(year=year, user=user, congress=congress, today=today, totals=totals)
    return board, figures


def unit_scorecard(
    *, year: int, user: Any, unit_id: Any, today: datetime.date | None = None
) -> tuple[ScoreBoard, UnitScore, Result | None] | None:
    """(the board, one unit's score, the ranking's snapshot or None) if the unit is in the user's scope, else None
    (the view answers 404). A unit clerk's board holds their own unit only (no ranking)."""
    found = scorecard_unit(user=user, unit_id=unit_id)
    if found is None:
        return None
    unit, congress = found
    if not sees_all_units(user):
        board = unit_scorecards(year=year, user=user, today=today, own_unit=unit)
        figures = None
        own = board.for_unit(unit.pk)
    else:
        board, figures = ranking_board(year=year, user=user, congress=congress, today=today)
        placed = board.for_unit(unit.pk)
        mine = unit_scorecards(
            year=year, user=user, today=today, scheme=board.scheme, congress=congress, unit_id=unit.pk
        ).for_unit(unit.pk)
        own = None
        if mine is not None:
            own = UnitScore(unit=unit, card=mine.card, suggestions=mine.suggestions)
            own.ranked, own.rank = (placed.ranked, placed.rank) if placed is not None else (False, None)
    if own is None:  # leads nothing this year
        own = UnitScore(unit=unit, card=scoring.score([], board.items), suggestions=[])
    return board, own, figures
