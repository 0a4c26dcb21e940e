"""Menu entries of the records app (read by core.context_processors.navigation)."""

from __future__ import annotations

from deputyhome.core.menu import Menu, NavItem

from . import selectors


def nav_items(user) -> list[NavItem]:
    items: list[NavItem] = []
    if user.deputy_id and selectors.can_view_records(user):
        items.append(NavItem("records:my_record", "履职档案", Menu.DUTY))
    if selectors.can_view_points_list(user):
        items.append(NavItem("records:points", "履职积分", Menu.DUTY))
    if selectors.can_view_records(user):
        items.append(NavItem("records:report_list", "向选民述职", Menu.DUTY))
    return items
