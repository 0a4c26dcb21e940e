"""The administrators' 待办: the accounts waiting for them (三员分立: accounts are the system administrator's, roles
the security administrator's)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from deputyhome.core.todo import Tile

from .choices import Role
from .models import User
from .selectors import IDLE_DAYS, former_deputy_logins, idle_q


def tiles(user, today: datetime.date) -> list[Tile]:
    users = reverse("accounts:user_list")
    if user.role == Role.SECURITY_ADMIN:
        unassigned = User.objects.filter(role=Role.UNASSIGNED, is_active=True).count()
        return [Tile("待分配角色的账号", unassigned, f"{users}?role={Role.UNASSIGNED}&is_active=true", urgent=True)]
    if user.role != Role.SYSTEM_ADMIN:
        return []
    idle = User.objects.filter(idle_q(timezone.now()), is_active=True).count()
    out = [
        Tile("离任代表的启用账号", former_deputy_logins(actor=user).count(), reverse("accounts:former_deputies"), True),
        Tile(f"{IDLE_DAYS}天以上未登录的启用账号", idle, f"{users}?idle=true&is_active=true"),
    ]
    seated = former_deputy_logins(actor=user, seated_again=True).count()
    if seated:  # rare (a term change undone): shown only while there are some
        out.append(Tile("代表资格已恢复、待重新启用的账号", seated, reverse("accounts:seated_deputies"), True))
    return out
