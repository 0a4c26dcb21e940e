"""The administrators' menu entries: the users (system and security administrators) and the audit log (the audit
administrator)."""

from __future__ import annotations

from deputyhome.core.menu import Menu, NavItem

from .choices import Role


def nav_items(user) -> list[NavItem]:
    items = []
    if user.role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        label = "角色与权限" if user.role == Role.SECURITY_ADMIN else "用户管理"
        items.append(NavItem("accounts:user_list", label, Menu.SYSTEM))
    if user.is_auditor:
        items.append(NavItem("audit:list", "审计日志", Menu.SYSTEM))
    return items
