"""The home page's tile of training: the deputy's sessions open for sign-in today."""

from __future__ import annotations

import datetime

from django.urls import reverse

from deputyhome.core.todo import Tile

from .choices import AttendanceStatus
from .selectors import my_attendance


def tiles(user, today: datetime.date) -> list[Tile]:
    if not user.deputy_id:
        return []
    waiting = my_attendance(user=user, on=today).filter(session__signin_open=True, status=AttendanceStatus.PENDING)
    return [Tile("今天待签到的培训", waiting.count(), reverse("training:signin"), urgent=True)]
