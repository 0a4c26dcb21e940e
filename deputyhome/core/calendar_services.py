"""Writes to the working-day calendar: set or clear an override, with the audit row in the same transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from deputyhome.audit.services import diff, record

from .models import CalendarOverride


@transaction.atomic
def calendar_override_set(*, date: datetime.date, is_workday: bool, note: str, actor: Any) -> CalendarOverride:
    """Declare `date` a working day (`is_workday=True`) or a rest day (False), creating or updating its override."""
    data = {"is_workday": is_workday, "note": note}
    override = CalendarOverride.objects.select_for_update().filter(date=date).first()
    if override is None:
        override = CalendarOverride(date=date, **data)
        override.full_clean()
        override.save()
        changes = {"date": [None, date], **{key: [None, value] for key, value in data.items()}}
        record(actor=actor, action="calendaroverride.create", obj=override, changes=changes)
        return override
    changes = diff(override, data)
    if not changes:
        return override
    for key, value in data.items():
        setattr(override, key, value)
    override.full_clean()
    override.save()
    record(actor=actor, action="calendaroverride.update", obj=override, changes=changes)
    return override


@transaction.atomic
def calendar_override_clear(*, date: datetime.date, actor: Any) -> bool:
    """Remove the override of `date`, so the official calendar applies again. False if there was none."""
    override = CalendarOverride.objects.select_for_update().filter(date=date).first()
    if override is None:
        return False
    repr_, pk = str(override), override.pk
    changes = {"date": [date, None], "is_workday": [override.is_workday, None], "note": [override.note, None]}
    override.delete()
    record(
        actor=actor,
        action="calendaroverride.delete",
        object_type=CalendarOverride._meta.label_lower,
        object_id=str(pk),
        object_repr=repr_,
        changes=changes,
    )
    return True
