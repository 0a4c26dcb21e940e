"""The home page's 待办: how many items wait in each of the user's work queues, with links to them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse

from deputyhome.suggestions import queues
from deputyhome.training.choices import AttendanceStatus
from deputyhome.training.selectors import my_attendance


@dataclass(frozen=True)
class Tile:
    label: str
    count: int
    url: str
    urgent: bool = False


@dataclass(frozen=True)
class Todo:
    title: str
    url: str
    tiles: list[Tile]

    @property
    def total(self) -> int:
        return sum(t.count for t in self.tiles)


def todo_for(user, today: datetime.date) -> Todo | None:
    """The user's to-do, or None for roles without work queues (administrators, the auditor)."""
    desk = queues.desk_for(user, today)
    if desk is None:
        return None
    tiles = [Tile(q.title, q.qs.count(), f"{desk.url}#{q.key}", q.urgent) for q in desk.queues]
    if user.deputy_id:
        waiting = (
            my_attendance(user=user, on=today)
            .filter(session__signin_open=True, status=AttendanceStatus.PENDING)
            .count()
        )
        tiles.append(Tile("今天待签到的培训", waiting, reverse("training:signin"), urgent=True))
    return Todo(desk.title, desk.url, tiles)
