"""The lists a suggestion refers to: sessions open for submission, the congresses, default categories and result
classes, and the settings each congress keeps (its categories and periods)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from deputyhome.accounts.choices import Role
from deputyhome.audit.services import record
from deputyhome.core.services import model_create, model_update
from deputyhome.deputies.models import Deputy, Mandate, active_on
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Congress, Region, Session
from deputyhome.organisation.selectors import township_congress_of

from ..models import Category, Policy, ResultClass
from .course import require


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


def categories_for(congress: Congress | None) -> QuerySet[Category]:
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


# The settings each congress keeps: its own categories and periods (the rows without a region are everyone's,
# kept by the city's officers). -----------------------------------------------------------------------------


def _desk_region(actor: Any) -> Region | None:
    """The region whose settings `actor` keeps: None (the common rows) for the city's officers, their
    township for a township congress's officer; refused for anyone else."""
    if actor.role == Role.CITY_OFFICER:
        return None
    congress = township_congress_of(actor)
    if congress is None:
        raise ValidationError("只有本级人大的工作人员可以修改建议设置。")
    return congress.region


def _setting_create(model: type[Category] | type[Policy], data: dict[str, Any], actor: Any) -> Category | Policy:
    return model_create(model=model, data={**data, "region": _desk_region(actor)}, actor=actor)


def _setting_update(row: Category | Policy, data: dict[str, Any], actor: Any) -> Category | Policy:
    require(row.region_id == getattr(_desk_region(actor), "pk", None), SETTING_NOT_YOURS)
    return model_update(instance=row, data={k: v for k, v in data.items() if k != "region"}, actor=actor)


SETTING_NOT_YOURS = "这是其他人大（或各级通用）的设置，您只能查看，不能修改。"


@transaction.atomic
def category_create(*, data: dict[str, Any], actor: Any) -> Category:
    """A category of the actor's congress: common to every congress when the city's officers add it."""
    return _setting_create(Category, data, actor)


@transaction.atomic
def category_update(*, instance: Category, data: dict[str, Any], actor: Any) -> Category:
    return _setting_update(instance, data, actor)


@transaction.atomic
def policy_create(*, data: dict[str, Any], actor: Any) -> Policy:
    """A year's periods of the actor's congress: the default of every congress when the city's officers set it."""
    return _setting_create(Policy, data, actor)


@transaction.atomic
def policy_update(*, instance: Policy, data: dict[str, Any], actor: Any) -> Policy:
    return _setting_update(instance, data, actor)
