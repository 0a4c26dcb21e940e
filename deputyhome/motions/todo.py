"""The home page's tiles of motions: signatures a deputy has to confirm, motions the staff have to check or decide."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from deputyhome.core.todo import Tile

from . import selectors
from .choices import MotionState


def _url(**query: str) -> str:
    return f"{reverse('motions:list')}?{urlencode(query)}"


def tiles(user, today: datetime.date) -> list[Tile]:
    out: list[Tile] = []
    counts = selectors.staff_queues(user=user)
    if counts:
        out.append(Tile("议案待审查", counts["check"], _url(state=MotionState.FILED)))
        out.append(Tile("议案待主席团决定", counts["decide"], _url(state=MotionState.ACCEPTED)))
    if user.deputy_id:
        waiting = selectors.to_confirm(user=user).count()
        if waiting:
            out.append(Tile("议案待我确认联名", waiting, _url(state=MotionState.FILED), urgent=True))
    return out
