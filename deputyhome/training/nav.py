"""Menu entries of the training app (read by core.context_processors.navigation)."""

from __future__ import annotations

from deputyhome.core.menu import Menu, NavItem

from .selectors import may_see_training
from .views import may_see_coverage


def nav_items(user) -> list[NavItem]:
    items: list[NavItem] = []
    if may_see_training(user):
        items.append(NavItem("training:session_list", "代表培训", Menu.ACTIVITIES))
    if user.deputy_id:
        items.append(NavItem("training:signin", "培训签到", Menu.ACTIVITIES))
    if may_see_coverage(user):
        items.append(NavItem("training:coverage", "培训统计", Menu.ACTIVITIES))
    return items
