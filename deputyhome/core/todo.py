"""The home page's 待办: how many items wait in each of the user's work queues, with links to them.

Each app with queues has `deputyhome.<app>.todo.tiles(user, today) -> list[Tile]` (none for roles
it has nothing for); the suggestion desk of the role, if it has one, gives the section its button.
"""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass

TODO_APPS = ("suggestions", "activities", "opinions", "training")


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
    from deputyhome.suggestions.queues import desk_for

    tiles: list[Tile] = []
    for app in TODO_APPS:
        module = importlib.import_module(f"deputyhome.{app}.todo")
        tiles.extend(module.tiles(user, today))
    if not tiles:
        return None
    desk = desk_for(user, today)
    return Todo(tiles, desk.title if desk else "", desk.url if desk else "")
