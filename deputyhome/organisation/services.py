"""Writes to the organisation. Each service is one transaction with its audit row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal

from deputyhome.accounts.choices import Role
from deputyhome.core.services import model_create, model_delete, model_update

from . import selectors
from .models import Congress, DeputyGroup, HandlingUnit, Region, Session, Station
from .naming import natural_key


def region_create(*, data: dict[str, Any], actor: Any) -> Region:
    return model_create(model=Region, data=data, actor=actor)


def region_update(*, region: Region, data: dict[str, Any], actor: Any) -> Region:
    return model_update(instance=region, data=data, actor=actor)


def station_create(*, data: dict[str, Any], actor: Any) -> Station:
    return model_create(model=Station, data=data, actor=actor)


def station_update(*, station: Station, data: dict[str, Any], actor: Any) -> Station:
    return model_update(instance=station, data=data, actor=actor)


def station_delete(*, station: Station, actor: Any) -> None:
    model_delete(instance=station, actor=actor)


def _with_sort_key(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "sort_key": natural_key(data["name"])} if data.get("name") else data


def group_create(*, data: dict[str, Any], actor: Any) -> DeputyGroup:
    return model_create(model=DeputyGroup, data=_with_sort_key(data), actor=actor)


# Sent inside `group_update`'s transaction when a group moved to another station (keyword: group).
# The deputies app connects its members' region resync in `DeputiesConfig.ready`: organisation stands
# below deputies and imports nothing of it.
group_moved = Signal()


@transaction.atomic
def group_update(*, group: DeputyGroup, data: dict[str, Any], actor: Any) -> DeputyGroup:
    moved = "station" in data and data["station"] != group.station
    group = model_update(instance=group, data=_with_sort_key(data), actor=actor)
    if moved:
        group_moved.send(sender=DeputyGroup, group=group)
    return group


def group_delete(*, group: DeputyGroup, actor: Any) -> None:
    model_delete(instance=group, actor=actor)


UNIT_REGION_REFUSED = "所属区域只能是本级人大所在的区域：市直单位为市，乡镇的单位为本乡镇。"


def _with_unit_region(data: dict[str, Any], actor: Any, current: Region | None = None) -> dict[str, Any]:
    """`data` with the region the unit is kept under: a township officer's own township, else the region
    chosen (the city when none); refused outside `selectors.unit_region_choices`."""
    if actor.role == Role.TOWNSHIP_OFFICER:
        region = actor.region
    else:
        region = data.get("region", current) or selectors.home_region()
    if region is None or not selectors.unit_region_choices(user=actor).filter(pk=region.pk).exists():
        raise ValidationError({"region": UNIT_REGION_REFUSED})
    return {**data, "region": region}


@transaction.atomic
def unit_create(*, data: dict[str, Any], actor: Any) -> HandlingUnit:
    return model_create(model=HandlingUnit, data=_with_unit_region(data, actor), actor=actor)


@transaction.atomic
def unit_update(*, unit: HandlingUnit, data: dict[str, Any], actor: Any) -> HandlingUnit:
    if not selectors.units_managed(user=actor).filter(pk=unit.pk).exists():
        raise ValidationError("该承办单位由其他人大管理，您只能查看。")
    return model_update(instance=unit, data=_with_unit_region(data, actor, unit.region), actor=actor)


def congress_create(*, data: dict[str, Any], actor: Any) -> Congress:
    return model_create(model=Congress, data=data, actor=actor)


def congress_update(*, congress: Congress, data: dict[str, Any], actor: Any) -> Congress:
    return model_update(instance=congress, data=data, actor=actor)


def session_create(*, data: dict[str, Any], actor: Any) -> Session:
    return model_create(model=Session, data=data, actor=actor)


def session_update(*, session: Session, data: dict[str, Any], actor: Any) -> Session:
    return model_update(instance=session, data=data, actor=actor)
