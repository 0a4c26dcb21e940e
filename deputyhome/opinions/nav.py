"""Menu entries of the opinions app (read by core.context_processors.navigation)."""

from __future__ import annotations

from deputyhome.core.menu import Menu, NavItem

from . import selectors


def nav_items(user) -> list[NavItem]:
    if not selectors.may_see_opinions(user):
        return []
    return [
        NavItem("opinions:list", "群众意见", Menu.PUBLIC),
        NavItem("opinions:reception_list", "接待选民", Menu.PUBLIC),
        NavItem("opinions:pairing_list", "结对联系", Menu.PUBLIC),
        NavItem("opinions:story_list", "代表典型", Menu.PUBLIC),
    ]
