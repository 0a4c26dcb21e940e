from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from deputyhome.accounts import scopes
from deputyhome.accounts.models import User
from deputyhome.core.filters import TownshipFilter
from deputyhome.core.widgets import SearchSelect
from deputyhome.organisation import selectors as org_selectors
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.filters import TownshipFilterSet

from .choices import PARTIES, Gender
from .models import AccountRequest, GroupMembership, Mandate, active_on


class DeputyFilter(TownshipFilterSet):
    region = TownshipFilter()
    group = django_filters.ModelChoiceFilter(
        label="代表小组", queryset=None, empty_label="全部", method="filter_group", widget=SearchSelect("group")
    )
    level = django_filters.ChoiceFilter(label="代表层级", choices=CongressLevel.choices, method="filter_level")
    serving = django_filters.ChoiceFilter(
        label="任职情况", choices=[("yes", "在任"), ("no", "已离任")], method="filter_serving"
    )
    gender = django_filters.ChoiceFilter(label="性别", choices=Gender.choices)
    party = django_filters.ChoiceFilter(label="政治面貌", choices=[(p, p) for p in PARTIES])
    login = django_filters.ChoiceFilter(
        label="登录账号",
        choices=[
            ("yes", "已开通"),
            ("no", "未开通"),
            ("asked", "已申请、待开通"),
            ("pending", "已开通、未首次登录"),
        ],
        method="filter_login",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["group"].queryset = org_selectors.group_choices(user=self.user)
        if not self.user.can_edit:  # whether a deputy has a login is the keepers' question (申请开通账号)
            del self.filters["login"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        cond = Q(name__icontains=value) | Q(employer_title__icontains=value)
        if self.user.sees_personal_data:
            # Full ID numbers and phones are searchable only by roles allowed to see them.
            cond |= Q(id_number=value.upper()) | Q(phone=value)
        return qs.filter(cond)

    def filter_group(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        if not value:
            return qs
        return qs.filter(
            pk__in=GroupMembership.objects.filter(active_on(scopes.today()), group=value).values("deputy_id")
        )

    def filter_level(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return qs
        return qs.filter(
            pk__in=Mandate.objects.filter(active_on(scopes.today()), congress__level=value).values("deputy_id")
        )

    def filter_login(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        """Where each deputy's login stands, for the officers who ask for them and hand the slips over. 已开通: an
        account (enabled or not); 未开通: none, to ask the administrators for one; 已申请、待开通: none yet, asked
        for; 已开通、未首次登录: an enabled account whose one-time password is still unused (a slip not yet handed
        over, or a deputy to remind)."""
        if not value:
            return qs
        accounts = User.objects.filter(deputy=OuterRef("pk"))
        if value == "asked":
            asked = AccountRequest.objects.filter(deputy=OuterRef("pk"), done_at__isnull=True)
            return qs.filter(~Exists(accounts), Exists(asked))
        if value == "pending":
            return qs.filter(Exists(accounts.filter(is_active=True, password_one_time_until__isnull=False)))
        return qs.filter(Exists(accounts) if value == "yes" else ~Exists(accounts))

    def filter_serving(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        """在任: holding a mandate today; 已离任: none (their terms ended, e.g. at 换届, or they left)."""
        if not value:
            return qs
        seated = Exists(Mandate.objects.filter(active_on(scopes.today()), deputy=OuterRef("pk")))
        return qs.filter(seated if value == "yes" else ~seated)
