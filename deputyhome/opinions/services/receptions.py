"""Reception schedules (接待安排) and records (接待选民) at the stations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from deputyhome.accounts import scopes
from deputyhome.audit.services import apply_changes, record
from deputyhome.core.services import model_delete
from deputyhome.deputies.models import Deputy
from deputyhome.organisation.models import Station

from .. import conf, selectors
from ..models import Reception, ReceptionSlot
from .common import (
    clean_text,
    local_today,
    require,
    set_deputies,
)


def _check_station(actor: Any, station: Station | None) -> None:
    require(station is not None, "请选择家站。")
    require(selectors.may_edit_station_records(actor), "您的角色不能维护接待安排和接待记录。")
    require(
        Station.objects.filter(scopes.stations_q(actor), pk=station.pk).exists(),
        "该家站不在您的管辖范围内。",
    )


def schedule_summary(slots: Iterable[ReceptionSlot]) -> str:
    """The station's 接待时间 in one line, from its active slots: the weekly ones, then a word on one-off ones."""
    active = [s for s in slots if s.is_active]
    weekly = sorted((s for s in active if s.weekday), key=lambda s: (s.weekday, s.start_time))
    text = "；".join(s.when_label for s in weekly)
    if any(s.date for s in active):
        text = f"{text}；另有临时接待安排" if text else "临时接待安排，见接待公告"
    return text[:200]


def station_schedule_sync(*, station: Station, actor: Any) -> str:
    """Write the station's 接待时间 from its reception slots, the one source of the schedule (call inside the
    slot service's transaction); the change gets its own audit row."""
    locked = Station.objects.select_for_update().get(pk=station.pk)
    summary = schedule_summary(ReceptionSlot.objects.filter(station=locked))
    if locked.reception_hours != summary:
        old = locked.reception_hours
        Station.objects.filter(pk=locked.pk).update(reception_hours=summary)
        record(actor=actor, action="station.schedule", obj=locked, changes={"reception_hours": [old, summary]})
    return summary


SLOT_FIELDS = ("station", "weekday", "date", "start_time", "end_time", "notice", "is_active")


def _slot_fields(data: dict[str, Any], *, announced_on: datetime.date, creating: bool) -> dict[str, Any]:
    fields = {k: data.get(k) for k in SLOT_FIELDS if k in data}
    fields["notice"] = clean_text(fields.get("notice"))
    weekday, date = fields.get("weekday") or None, fields.get("date")
    fields["weekday"] = int(weekday) if weekday else None
    require(bool(fields["weekday"]) != bool(date), "请选择“每周固定接待日”或“接待日期”其中一项。")
    require(fields.get("start_time") is not None and fields.get("end_time") is not None, "请填写接待的开始和结束时间。")
    require(fields["end_time"] > fields["start_time"], "结束时间应晚于开始时间。")
    days = conf.get("RECEPTION_NOTICE_DAYS")
    if date and creating and days:
        require(
            (date - announced_on).days >= days,
            f"按接待制度，接待活动应至少提前{days}天公告：{date:%Y-%m-%d}的接待最晚应在"
            f"{date - datetime.timedelta(days=days):%Y-%m-%d}公告。请调整接待日期。",
        )
    return fields


@transaction.atomic
def reception_slot_create(*, data: dict[str, Any], deputies: Iterable[Deputy], actor: Any) -> ReceptionSlot:
    """A reception time at a station; a one-off date must leave the notice period (RECEPTION_NOTICE_DAYS)."""
    _check_station(actor, data.get("station"))
    today = local_today()
    fields = _slot_fields(data, announced_on=today, creating=True)
    slot = ReceptionSlot(announced_on=today, **fields)
    slot.full_clean()
    slot.save()
    changes = {k: [None, v] for k, v in fields.items()}
    set_deputies(slot, deputies, changes, creating=True)
    record(actor=actor, action="receptionslot.create", obj=slot, changes=changes)
    station_schedule_sync(station=slot.station, actor=actor)
    return slot


@transaction.atomic
def reception_slot_update(
    *, slot: ReceptionSlot, data: dict[str, Any], deputies: Iterable[Deputy], actor: Any
) -> ReceptionSlot:
    _check_station(actor, slot.station)
    locked = ReceptionSlot.objects.select_for_update().get(pk=slot.pk)
    merged = {**{k: getattr(locked, k) for k in SLOT_FIELDS}, **data}
    _check_station(actor, merged["station"])
    moved = merged.get("date") and merged.get("date") != locked.date
    fields = _slot_fields(merged, announced_on=local_today(), creating=bool(moved))
    changes = apply_changes(locked, fields)
    if moved:
        locked.announced_on = local_today()
    locked.full_clean()
    locked.save()
    set_deputies(locked, deputies, changes)
    record(actor=actor, action="receptionslot.update", obj=locked, changes=changes)
    for station_id in {slot.station_id, locked.station_id}:
        station_schedule_sync(station=Station(pk=station_id), actor=actor)
    return locked


@transaction.atomic
def reception_slot_delete(*, slot: ReceptionSlot, actor: Any) -> None:
    _check_station(actor, slot.station)
    station = slot.station
    model_delete(instance=slot, actor=actor)
    station_schedule_sync(station=station, actor=actor)


RECEPTION_FIELDS = ("station", "date", "slot", "voters_received", "notes")


def _reception_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data.get(k) for k in RECEPTION_FIELDS if k in data}
    fields["notes"] = clean_text(fields.get("notes"))
    require(fields.get("date") is not None, "请填写接待日期。")
    require(fields["date"] <= local_today(), "接待日期不能晚于今天：接待记录在接待之后登记。")
    require((fields.get("voters_received") or 0) >= 0, "接待选民人次不能为负数。")
    fields["voters_received"] = fields.get("voters_received") or 0
    slot = fields.get("slot")
    if slot is not None:
        require(slot.station_id == fields["station"].pk, "所选接待安排不属于该家站。")
    return fields


@transaction.atomic
def reception_create(*, data: dict[str, Any], deputies: Iterable[Deputy], actor: Any) -> Reception:
    """Record a reception held at a station, with the deputies who received voters."""
    _check_station(actor, data.get("station"))
    fields = _reception_fields(data)
    deputies = list(deputies)
    require(bool(deputies), "请选择参加接待的代表。")
    reception = Reception.objects.create(recorded_by=actor, **fields)
    changes = {k: [None, v] for k, v in fields.items()}
    set_deputies(reception, deputies, changes, creating=True)
    record(actor=actor, action="reception.create", obj=reception, changes=changes)
    return reception


@transaction.atomic
def reception_update(
    *, reception: Reception, data: dict[str, Any], deputies: Iterable[Deputy], actor: Any
) -> Reception:
    _check_station(actor, reception.station)
    locked = Reception.objects.select_for_update().get(pk=reception.pk)
    fields = _reception_fields({**{k: getattr(locked, k) for k in RECEPTION_FIELDS}, **data})
    _check_station(actor, fields["station"])
    deputies = list(deputies)
    require(bool(deputies), "请选择参加接待的代表。")
    changes = apply_changes(locked, fields)
    locked.save()
    set_deputies(locked, deputies, changes)
    record(actor=actor, action="reception.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def reception_delete(*, reception: Reception, actor: Any) -> None:
    _check_station(actor, reception.station)
    require(not reception.opinions.exists(), "该接待记录已关联群众意见，不能删除。")
    model_delete(instance=reception, actor=actor)
