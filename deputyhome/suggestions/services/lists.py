"""The lists a suggestion refers to: sessions open for submission, default categories and result classes."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from deputyhome.audit.services import record
from deputyhome.deputies.models import Deputy, Mandate, active_on
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Congress, Region, Session

from ..models import (
    Category,
    ResultClass,
)


def sessions_open_for_submission() -> list[Session]:
    """Sessions a suggestion may be linked to: those of current congresses, newest first."""
    return list(
        Session.objects.filter(congress__is_current=True).select_related("congress").order_by("-start_date")[:20]
    )


SUGGESTION_LEVELS = (CongressLevel.CITY, CongressLevel.TOWNSHIP)


def county_congress(region: Region | None) -> Congress | None:
    """The current county-level congress (the city's) over `region`; the first one when the region is unknown."""
    current = Congress.objects.filter(level=CongressLevel.CITY, is_current=True).select_related("region")
    if region is not None:
        found = current.filter(region__code=region.code[:6]).order_by("-term").first()
        if found is not None:
            return found
    return current.order_by("region__code", "-term").first()


def congresses_for(*, deputy: Deputy, day: datetime.date) -> list[Congress]:
    """The congresses a deputy's suggestion may go to, the city's first.

    Each current city or township congress in which the deputy holds a mandate on `day`: a township
    deputy's suggestions go to the township presidium, a city deputy's to the city's 代工委, and a deputy
    with both chooses. A deputy with neither (of the province or the prefecture only) submits to the
    county-level congress over their township, as the committee receives them today. Streets have no
    congress: their deputies are the city's.
    """
    held = [
        m.congress
        for m in Mandate.objects.filter(
            active_on(day), deputy=deputy, congress__is_current=True, congress__level__in=SUGGESTION_LEVELS
        ).select_related("congress__region")
    ]
    held.sort(key=lambda c: (c.level != CongressLevel.CITY, c.name))
    if held:
        return held
    fallback = county_congress(deputy.region)
    return [fallback] if fallback else []


def categories_for(congress: Congress | None):
    """The categories a congress registers its suggestions under: the common list and its own."""
    common = Q(region__isnull=True)
    mine = Q(region_id=congress.region_id) if congress is not None and congress.region_id else Q(pk__in=[])
    return Category.objects.filter(common | mine, is_active=True)


def session_during(*, day: datetime.date, congress: Congress | None) -> Session | None:
    """The session of `congress` whose dates include `day` (会议期间), or None (闭会期间)."""
    if congress is None:
        return None
    return (
        Session.objects.filter(start_date__lte=day, end_date__gte=day, congress=congress)
        .select_related("congress")
        .order_by("start_date", "pk")
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
