"""The system administrator's 待办 tile of 发送失败的通知, while there are recent failures (the page hangs off 用户管理,
as their other pages do: an administrator's bar has one link)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from deputyhome.accounts.choices import Role
from deputyhome.core.todo import Tile

from .selectors import deliveries_stuck, numbers_stuck

# The tile counts the failures of these last days: an old one, not sent again, stays listed but leaves the home page.
TILE_DAYS = 7


def tiles(user, today: datetime.date) -> list[Tile]:
    if user.role != Role.SYSTEM_ADMIN:
        return []
    # A message counts when it failed, or waited past the command's rounds (a queued one is not a failure yet).
    count = deliveries_stuck(days=TILE_DAYS).count() + numbers_stuck(days=TILE_DAYS).count()
    return (
        [Tile(f"{TILE_DAYS}天内发送失败的通知", count, reverse("notifications:failed"), urgent=True)] if count else []
    )
