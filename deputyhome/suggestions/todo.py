"""The home page's tiles of the suggestion queues: one per queue of the user's desk, counted together (`Desk.counts`)."""

from __future__ import annotations

import datetime

from deputyhome.core.todo import Tile

from .queues import desk_for


def tiles(user, today: datetime.date) -> list[Tile]:
    desk = desk_for(user, today)
    if desk is None:
        return []
    counts = desk.counts()
    url = desk.url
    return [Tile(q.title, counts[q.key], f"{url}#{q.key}", q.urgent) for q in desk.queues]
