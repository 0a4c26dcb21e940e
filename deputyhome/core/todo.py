"""The home page's 待办: how many items wait in each of the user's work queues, with links to them.

Each app with queues registers `tiles(user, today) -> list[Tile]` (none for roles it has nothing for)
with `core.registry.register_todo` in its `AppConfig.ready`; the desk registered with `register_desk`
(the suggestion desk of the role, if it has one) gives the section its button.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from . import registry


@dataclass(frozen=True)
class Tile:
    label: str
    count: int
    url: str
    urgent: bool = False  # shown in red when not empty


@dataclass(frozen=True)
class Todo:
    tiles: list[Tile]
    desk_title: str = ""
    desk_url: str = ""

    @property
    def total(self) -> int:
        return sum(t.count for t in self.tiles)


def todo_for(user, today: datetime.date) -> Todo | None:
    """The user's to-do, or None for roles without work queues (administrators, the auditor)."""
    tiles: list[Tile] = []
    for provider in registry.todo_providers():
        tiles.extend(provider(user, today))
    if not tiles:
        return None
    desk = registry.desk(user, today)
    return Todo(tiles, desk.title if desk else "", desk.url if desk else "")
