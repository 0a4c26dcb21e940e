"""Menu entries of the suggestions app that depend on more than the role: a township congress's desk and
its settings."""

from __future__ import annotations

from deputyhome.core.menu import Menu, NavItem

from .queues import has_township_desk


def nav_items(user) -> list[NavItem]:
    if has_township_desk(user):
        return [
            NavItem("suggestions:desk", "建议工作台", Menu.SUGGESTIONS),
            NavItem("suggestions:categories", "建议设置", Menu.SUGGESTIONS),
        ]
    return []
