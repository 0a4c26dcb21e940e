"""The lists a suggestion refers to: sessions open for submission, default categories and result classes."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Case, When

from deputyhome.audit.services import record
from deputyhome.deputies.models import Deputy, Mandate, active_on
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Session

from ..models import (
    Category,
    ResultClass,
)


def sessions_open_for_submission() -> list[Session]:
    """Sessions a suggestion may be linked to: those of current congresses, newest first."""
    return list(
        Session.objects.filter(congress__is_current=True).select_related("congress").order_by("-start_date")[:20]
    )


def session_during(*, day: datetime.date, deputy: Deputy) -> Session | None:
    """The session a suggestion submitted on `day` by `deputy` comes in at (会议期间), or None (闭会期间):
    a session of a current city or township congress whose dates include the day and in which the deputy
    holds a mandate that day; the city congress's first when a township congress sits at the same time."""
    mandates = Mandate.objects.filter(active_on(day), deputy=deputy).values("congress_id")
    return (
        Session.objects.filter(
            start_date__lte=day,
            end_date__gte=day,
            congress__is_current=True,
            congress__level__in=[CongressLevel.CITY, CongressLevel.TOWNSHIP],
            congress_id__in=mandates,
        )
        .select_related("congress")
        .order_by(Case(When(congress__level=CongressLevel.CITY, then=0), default=1), "start_date", "pk")
        .first()
    )


@transaction.atomic
def default_lists_ensure(*, actor: Any) -> list[str]:
    """Add the default categories and result classes that are missing (DOMAIN.md); audited.

    A new database gets them from a data migration; this restores them where they were emptied
    (e.g. a test database after a flush) before the demo is built. Existing rows are left as edited.
    """
    from decimal import Decimal

    from ..defaults import CATEGORIES, RESULT_CLASSES

    added: list[str] = []
    for order, name in enumerate(CATEGORIES, start=1):
        if Category.objects.get_or_create(name=name, defaults={"order": order})[1]:
            added.append(f"分类：{name}")
    for order, (code, label, follow, weight) in enumerate(RESULT_CLASSES, start=1):
        _, created = ResultClass.objects.get_or_create(
            code=code,
            defaults={"label": label, "needs_follow_up": follow, "score_weight": Decimal(weight), "order": order},
        )
        if created:
            added.append(f"办理结果：{code}类")
    if added:
        record(
            actor=actor,
            action="suggestion_settings.defaults",
            object_type="suggestions.category",
            changes={"added": added},
        )
    return added
