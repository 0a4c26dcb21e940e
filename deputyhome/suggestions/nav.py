"""Menu entries of the suggestions app: the register, a deputy's own suggestions, the committee's desk and settings
(a township congress's when it has a desk), a unit's inbox, the supervision board."""

from __future__ import annotations

from deputyhome.accounts.choices import Role, ScopeKind
from deputyhome.core.menu import Menu, NavItem

from .queues import has_township_desk


def nav_items(user) -> list[NavItem]:
    items = []
    if user.scope_kind != ScopeKind.NONE:
        items.append(NavItem("suggestions:list", "代表建议", Menu.SUGGESTIONS))
    if user.deputy_id:
        items.append(NavItem("suggestions:mine", "我的建议", Menu.SUGGESTIONS))
    if user.role == Role.CITY_OFFICER:
        items.append(NavItem("suggestions:desk", "代工委工作台", Menu.SUGGESTIONS))
        items.append(NavItem("suggestions:categories", "建议设置", Menu.SUGGESTIONS))
    if user.role == Role.UNIT_CLERK and user.unit_id:
        items.append(NavItem("suggestions:inbox", "收件箱", Menu.SUGGESTIONS))
    if user.role in (Role.SUPERVISOR, Role.LEADER, Role.CITY_OFFICER):
        items.append(NavItem("suggestions:board", "督办看板", Menu.SUGGESTIONS))
    if has_township_desk(user):
        items.append(NavItem("suggestions:desk", "建议工作台", Menu.SUGGESTIONS))
        items.append(NavItem("suggestions:categories", "建议设置", Menu.SUGGESTIONS))
    return items
