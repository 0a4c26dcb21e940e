"""What the writes of voter contact share: input helpers, the opinion's timeline, places."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import OuterRef
from django.utils import timezone

from deputyhome.core.counting import count_of
from deputyhome.deputies.models import Deputy, GroupMembership, active_on
from deputyhome.organisation.models import Region, Station

from ..models import Opinion, OpinionEvent, Pairing, PairingContact, Reception

MAX_CONTENT = 2000


def local_today() -> datetime.date:
    return timezone.localdate()


def require(condition: bool, message: str, field: str | None = None) -> None:
    if not condition:
        raise ValidationError({field: message} if field else message)


def clean_text(value: Any) -> str:
    return (value or "").strip()


def _label(actor: Any) -> str:
    return str(actor) if getattr(actor, "is_authenticated", False) else str(actor or "")


def add_event(opinion: Opinion, action: str, actor: Any, note: str = "") -> None:
    OpinionEvent.objects.create(
        opinion=opinion,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_label(actor)[:100],
        action=action,
        note=note,
    )


def township_of(region: Region | None) -> Region | None:
    return region.township if region is not None else None


def station_of_deputy(deputy: Deputy, on: datetime.date | None = None) -> Station | None:
    """The station of the deputy's current group (the first, should they be in more than one)."""
    membership = (
        GroupMembership.objects.filter(active_on(on or local_today()), deputy=deputy)
        .select_related("group__station__region")
        .order_by("start_date", "pk")
        .first()
    )
    return membership.group.station if membership else None


def set_deputies(obj: Any, deputies: Iterable[Deputy], changes: dict[str, Any], *, creating: bool = False) -> None:
    """Set the deputies of a reception or its schedule; a change of names goes into `changes`."""
    deputies = list(deputies)
    new = [d.name for d in deputies]
    if creating:
        obj.deputies.set(deputies)
        changes["deputies"] = [None, new]
        return
    old = sorted(d.name for d in obj.deputies.all())
    obj.deputies.set(deputies)
    if old != sorted(new):
        changes["deputies"] = [old, sorted(new)]


def stored_counts_refresh() -> None:
    """Count again what the rows keep (a reception's opinions, a pairing's contacts), for the demo and the bench,
    which write their rows in bulk past the services that keep them; in the caller's transaction and audit row."""
    Reception.objects.update(opinion_count=count_of(Opinion.objects.filter(reception=OuterRef("pk"))))
    Pairing.objects.update(contact_count=count_of(PairingContact.objects.filter(pairing=OuterRef("pk"))))
