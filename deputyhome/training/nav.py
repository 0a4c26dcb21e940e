"""Menu entries of the training app (read by core.context_processors.navigation)."""

from __future__ import annotations

from .selectors import may_see_training
from .views import may_see_coverage


def nav_items(user) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    if may_see_training(user):
        items.append(("training:session_list", "代表培训"))
    if user.deputy_id:
        items.append(("training:signin", "培训签到"))
    if may_see_coverage(user):
        items.append(("training:coverage", "培训统计"))
    return items
