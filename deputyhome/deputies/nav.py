"""The deputies' menu entries: the register for every role with deputies in scope, the roster import for the
officers who edit, a deputy's own record."""

from __future__ import annotations

from deputyhome.accounts.choices import ScopeKind
from deputyhome.core.menu import Menu, NavItem


def nav_items(user) -> list[NavItem]:
    items = []
    if user.scope_kind not in (ScopeKind.NONE, ScopeKind.UNIT):
        # The register of deputies heads the menu, before the organisation's entries (organisation's app comes first).
        items.append(NavItem("deputies:list", "人大代表", Menu.ORGANISATION, order=-1))
    if user.can_edit:
        items.append(NavItem("roster:import", "名册导入", Menu.ORGANISATION))
    if user.deputy_id:
        items.append(NavItem("deputies:me", "我的履职", Menu.DUTY))
    return items
