"""The administrators' 待办 of 开通代表账号 (the accounts app cannot read the deputies': registered from here)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from deputyhome.accounts.choices import Role
from deputyhome.core.todo import Tile

from .services.account_batches import expired_slips, roleless_deputy_logins, waiting_count

# The pages, as the user register links them for the administrator whose step they are.
PAGES = {
    Role.SYSTEM_ADMIN: ("deputies:accounts_open", "开通代表账号"),
    Role.SECURITY_ADMIN: ("deputies:accounts_roles", "为代表账号分配角色"),
}


def tiles(user, today: datetime.date) -> list[Tile]:
    if user.role == Role.SYSTEM_ADMIN:
        out = [Tile("待开通的代表账号", waiting_count(), reverse("deputies:accounts_open"), urgent=True)]
        expired = expired_slips().count()
        if expired:  # shown only while there are some
            out.append(Tile("开通单已过期的代表账号", expired, reverse("deputies:accounts_renew"), urgent=True))
        return out
    if user.role == Role.SECURITY_ADMIN:
        count = roleless_deputy_logins().count()
        return [Tile("待分配角色的代表账号", count, reverse("deputies:accounts_roles"), urgent=True)]
    return []


def page_link(user, obj=None) -> tuple[str, str] | str:
    """(url, label) of the administrator's 开通代表账号 page, or "" for anyone else."""
    name, label = PAGES.get(user.role, ("", ""))
    return (reverse(name), label) if name else ""
