"""The administrators' 待办: the accounts waiting for them (三员分立: accounts are the system administrator's, roles
the security administrator's).

The system administrator's counts read every account of a province (100,000 deputies' logins, their mandates): they
are computed ahead for the day (`accounts.review`, stale on a change to an account or a mandate, served for
`FIGURES_GRACE_SECONDS` after one, as the committee's figures), and each tile opens the list it counts, read live.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from deputyhome.core.todo import Tile
from deputyhome.figures import cache

from .choices import Role
from .models import User
from .selectors import IDLE_DAYS, deputy_logins, idle_q, outdated_leader_q, retired_unit_q

ACCOUNT_REVIEW = "accounts.review"


def tiles(user, today: datetime.date) -> list[Tile]:
    users = reverse("accounts:user_list")
    if user.role == Role.SECURITY_ADMIN:
        # A few thousand group leaders' and liaison officers' accounts at a province, each checked along the
        # memberships' index: live.
        unassigned = User.objects.filter(role=Role.UNASSIGNED, is_active=True).count()
        outdated = User.objects.filter(outdated_leader_q(), is_active=True).count()
        retired = User.objects.filter(retired_unit_q(), is_active=True).count()
        return [
            Tile("待分配角色的账号", unassigned, f"{users}?role={Role.UNASSIGNED}&is_active=true", urgent=True),
            Tile("已不任组长、联络员的账号", outdated, f"{users}?outdated=true&is_active=true", urgent=True),
            Tile("所属单位已停用的经办人账号", retired, f"{users}?retired_unit=true&is_active=true", urgent=True),
        ]
    if user.role != Role.SYSTEM_ADMIN:
        return []
    counts = cache.get(ACCOUNT_REVIEW, today.isoformat()).value
    out = [
        Tile("离任代表的启用账号", counts["former"], reverse("accounts:former_deputies"), urgent=True),
        Tile(f"{IDLE_DAYS}天以上未登录的启用账号", counts["idle"], f"{users}?idle=true&is_active=true"),
    ]
    if counts["seated"]:  # rare (a term change undone): shown only while there are some
        out.append(
            Tile("代表资格已恢复、待重新启用的账号", counts["seated"], reverse("accounts:seated_deputies"), True)
        )
    return out


@cache.precomputed(
    ACCOUNT_REVIEW, depends=("accounts", "deputies"), daily=True, warm=lambda: [timezone.localdate().isoformat()]
)
def account_review(key: str) -> dict[str, int]:
    """The system administrator's three counts for the day `key` (about 60 ms at a province, most of it the
    deputies who left: an anti-join of the logins on the mandates)."""
    return {
        "former": deputy_logins(seated_again=False).count(),
        "idle": User.objects.filter(idle_q(timezone.now()), is_active=True).count(),
        "seated": deputy_logins(seated_again=True).count(),
    }
