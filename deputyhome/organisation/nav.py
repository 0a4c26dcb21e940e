"""The organisation's menu entries: groups and stations for every role with deputies in scope, the region tree for
the city's and a township's officers, units and congresses for every role with business data."""

from __future__ import annotations

from deputyhome.accounts.choices import ScopeKind
from deputyhome.core.menu import Menu, NavItem


def nav_items(user) -> list[NavItem]:
    kind = user.scope_kind
    items = []
    if kind not in (ScopeKind.NONE, ScopeKind.UNIT):
        items.append(NavItem("organisation:group_list", "代表小组", Menu.ORGANISATION))
        items.append(NavItem("organisation:station_list", "家站", Menu.ORGANISATION))
    if kind in (ScopeKind.CITY, ScopeKind.REGION):
        items.append(NavItem("organisation:region_list", "行政区域", Menu.ORGANISATION))
    if kind != ScopeKind.NONE:
        items.append(NavItem("organisation:unit_list", "承办单位", Menu.ORGANISATION))
        items.append(NavItem("organisation:congress_list", "人代会", Menu.ORGANISATION))
    return items
