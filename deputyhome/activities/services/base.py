"""Checks the service modules share: required values, clean text, who covers which region or group."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone

from deputyhome.core.services import model_create, model_update
from deputyhome.organisation.models import DeputyGroup, Region

from .. import permissions


def _today() -> datetime.date:
    return timezone.localdate()


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _text(value: Any) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()


def _township_of(region: Region | None) -> Region | None:
    return region.township if region is not None else None


def _covers(actor: Any, region: Region | None) -> bool:
    """A city officer covers everything; a township officer their township and below."""
    if permissions.is_city(actor):
        return True
    if permissions.is_township(actor) and region is not None:
        return region.code.startswith(actor.region.code)
    return False


def _put(model: type[Model], *, key: dict[str, Any], data: dict[str, Any], actor: Any) -> Any:
    """The one row of `model` with `key`: created with `data`, or (locked) changed to it."""
    row = model.objects.select_for_update().filter(**key).first()
    if row is None:
        return model_create(model=model, data={**key, **data}, actor=actor)
    return model_update(instance=row, data=data, actor=actor)


def _covers_group(actor: Any, group: DeputyGroup) -> bool:
    if permissions.is_group_staff(actor):
        return actor.group_id == group.pk
    return _covers(actor, group.station.region)
