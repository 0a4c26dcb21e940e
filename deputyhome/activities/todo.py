"""The home page's tiles of activities: problems found that wait for handling, referrals that wait for a reply."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from deputyhome.accounts.choices import Role
from deputyhome.core.todo import Tile

from . import permissions, selectors
from .choices import ProblemStatus, ReferralStatus

# The roles that handle problems found by deputies (DOMAIN.md): the committee's and the townships' officers.
PROBLEM_HANDLERS = (Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER)


def _url(name: str, **query: str) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def tiles(user, today: datetime.date) -> list[Tile]:
    open_referrals = selectors.referral_list(user=user).filter(status=ReferralStatus.OPEN).order_by()
    if permissions.is_unit_clerk(user):
        # The open ones and whether any is overdue, in one query.
        counts = open_referrals.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        return [
            Tile(
                "转交事项待答复",
                counts["open"],
                _url("activities:referral_list", status=ReferralStatus.OPEN),
                urgent=counts["overdue"] > 0,
            )
        ]
    if user.role not in PROBLEM_HANDLERS:
        return []
    problems = selectors.problem_list(user=user).filter(status=ProblemStatus.OPEN)
    return [
        Tile("发现问题待处理", problems.count(), _url("activities:problem_list", status=ProblemStatus.OPEN)),
        Tile(
            "转交事项逾期未答复",
            open_referrals.filter(due_on__lt=today).count(),
            _url("activities:referral_list", overdue="true"),
            urgent=True,
        ),
    ]
