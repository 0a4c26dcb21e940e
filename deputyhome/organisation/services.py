"""Writes to the organisation. Each service is one transaction with its audit row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

from deputyhome.core.services import model_create, model_delete, model_update

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


def unit_create(*, data: dict[str, Any], actor: Any) -> HandlingUnit:
    return model_create(model=HandlingUnit, data=data, actor=actor)


def unit_update(*, unit: HandlingUnit, data: dict[str, Any], actor: Any) -> HandlingUnit:
    return model_update(instance=unit, data=data, actor=actor)


def congress_create(*, data: dict[str, Any], actor: Any) -> Congress:
    return model_create(model=Congress, data=data, actor=actor)


def congress_update(*, congress: Congress, data: dict[str, Any], actor: Any) -> Congress:
    return model_update(instance=congress, data=data, actor=actor)


def session_create(*, data: dict[str, Any], actor: Any) -> Session:
    return model_create(model=Session, data=data, actor=actor)


def session_update(*, session: Session, data: dict[str, Any], actor: Any) -> Session:
    return model_update(instance=session, data=data, actor=actor)
