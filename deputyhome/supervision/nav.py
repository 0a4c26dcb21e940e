"""Menu entries of the supervision app (read by core.context_processors.navigation)."""

from __future__ import annotations

from deputyhome.core.menu import Menu, NavItem

from .selectors import can_view_scores, can_view_stats


def nav_items(user) -> list[NavItem]:
    items: list[NavItem] = []
    if can_view_scores(user):
        items.append(NavItem("supervision:scores", "考核评分", Menu.SUGGESTIONS))
    if can_view_stats(user):
        items.append(NavItem("supervision:stats", "建议统计", Menu.SUGGESTIONS))
    return items
