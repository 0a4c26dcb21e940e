"""Writes for activities, their participants and photos, and their outputs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from deputyhome.audit.services import apply_changes, record
from deputyhome.core.services import model_delete
from deputyhome.organisation.models import DeputyGroup, Region
from deputyhome.organisation.selectors import home_region

from .. import permissions, uploads
from ..choices import Attendance, OrganiserLevel
from ..models import (
    Activity,
    ActivityPhoto,
    Campaign,
    Output,
    Participation,
)
from .base import _covers, _covers_group, _require, _text, _township_of

# Activities --------------------------------------------------------------------------------------------

ACTIVITY_FIELDS = ("kind", "level", "region", "group", "station", "campaign", "date", "place", "topic", "notes")


def _city_region() -> Region | None:
    return home_region()


def _activity_fields(data: dict[str, Any], actor: Any) -> dict[str, Any]:
    fields = {k: data.get(k) for k in ACTIVITY_FIELDS if k in data}
    for key in ("place", "topic", "notes"):
        fields[key] = _text(fields.get(key))
    _require(bool(fields.get("kind")), "请选择活动类型。")
    _require(bool(fields["topic"]), "请填写活动主题。")
    _require(bool(fields["place"]), "请填写活动地点。")
    _require(fields.get("date") is not None, "请填写活动日期。")
    level = fields.get("level")
    group: DeputyGroup | None = fields.get("group")
    if level == OrganiserLevel.GROUP:
        _require(group is not None, "组织层级为“代表小组”时，请选择代表小组。")
        fields["region"] = group.station.region.township
        fields["station"] = fields.get("station") or group.station
        _require(_covers_group(actor, group), "该代表小组不在您的管辖范围内。")
    elif level == OrganiserLevel.TOWNSHIP:
        region = _township_of(fields.get("region"))
        _require(region is not None, "组织层级为“乡镇（街道）人大”时，请选择组织活动的乡镇（街道）。")
        fields["region"], fields["group"] = region, None
        _require(_covers(actor, region), "该乡镇（街道）不在您的管辖范围内。")
    elif level == OrganiserLevel.COMMITTEE:
        _require(permissions.is_city(actor), "只有市人大常委会代工委工作人员可以录入常委会组织的活动。")
        fields["region"], fields["group"] = _city_region(), None
    else:
        raise ValidationError("请选择组织层级。")
    campaign: Campaign | None = fields.get("campaign")
    if campaign is not None:
        _require(
            campaign.start_on <= fields["date"] <= campaign.end_on,
            f"活动日期不在{campaign}的期间内（{campaign.start_on:%Y-%m-%d}至{campaign.end_on:%Y-%m-%d}）。",
        )
    return fields


def _set_participants(activity: Activity, participants: Iterable[tuple[Any, str]]) -> dict[str, Any]:
    wanted: dict[int, str] = {}
    for deputy, attendance in participants:
        _require(attendance in Attendance.values, f"代表“{deputy}”的出席情况无效。")
        wanted[deputy.pk] = attendance
    current = {p.deputy_id: p for p in activity.participations.all()}
    removed = [pk for pk in current if pk not in wanted]
    Participation.objects.filter(activity=activity, deputy_id__in=removed).delete()
    new = [
        Participation(activity=activity, deputy_id=pk, attendance=a) for pk, a in wanted.items() if pk not in current
    ]
    Participation.objects.bulk_create(new)
    for pk, a in wanted.items():
        if pk in current and current[pk].attendance != a:
            Participation.objects.filter(pk=current[pk].pk).update(attendance=a)
    return {"participants": [sorted(current), sorted(wanted)]} if set(current) != set(wanted) else {}


def _add_photos(activity: Activity, photos: Sequence[UploadedFile], actor: Any) -> None:
    for f in photos:
        ActivityPhoto.objects.create(
            activity=activity, file=f, name=(f.name or "")[:200], size=f.size, uploaded_by=actor
        )


@transaction.atomic
def activity_create(
    *,
    data: dict[str, Any],
    actor: Any,
    participants: Iterable[tuple[Any, str]] = (),
    photos: Sequence[UploadedFile] = (),
) -> Activity:
    """Record an activity with its participating deputies (deputy, attendance) and photos."""
    _require(permissions.may_record_activities(actor), "您的角色不能录入代表活动。")
    fields = _activity_fields(data, actor)
    for f in photos:
        uploads.check_photo(f)
    activity = Activity.objects.create(**fields, created_by=actor)
    changes = {k: [None, v] for k, v in fields.items()}
    changes.update(_set_participants(activity, participants))
    _add_photos(activity, photos, actor)
    record(actor=actor, action="activity.create", obj=activity, changes=changes)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    data: dict[str, Any],
    actor: Any,
    participants: Iterable[tuple[Any, str]] | None = None,
    photos: Sequence[UploadedFile] = (),
) -> Activity:
    _require(permissions.may_record_activities(actor), "您的角色不能修改代表活动。")
    fields = _activity_fields({**{k: getattr(activity, k) for k in ACTIVITY_FIELDS}, **data}, actor)
    for f in photos:
        uploads.check_photo(f)
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    changes = apply_changes(locked, fields)
    locked.save()
    if participants is not None:
        changes.update(_set_participants(locked, participants))
    _add_photos(locked, photos, actor)
    record(actor=actor, action="activity.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def activity_delete(*, activity: Activity, actor: Any) -> None:
    _require(not activity.outputs.exists(), "该活动已有调研报告或审议意见，不能删除。")
    _require(not activity.problems.exists(), "该活动已登记发现的问题，不能删除。")
    model_delete(instance=activity, actor=actor)


@transaction.atomic
def activity_photo_delete(*, photo: ActivityPhoto, actor: Any) -> None:
    model_delete(instance=photo, actor=actor)


# Outputs -----------------------------------------------------------------------------------------------

OUTPUT_FIELDS = ("kind", "title", "date", "sent_to", "response", "response_on")


def _output_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data.get(k) for k in OUTPUT_FIELDS if k in data}
    for key in ("title", "sent_to", "response"):
        fields[key] = _text(fields.get(key))
    _require(bool(fields.get("kind")), "请选择成果类型。")
    _require(bool(fields["title"]), "请填写标题。")
    _require(fields.get("date") is not None, "请填写形成日期。")
    if fields.get("response_on"):
        _require(fields["response_on"] >= fields["date"], "反馈日期不能早于形成日期。")
        _require(bool(fields["response"]), "填写了反馈日期，请同时填写办理反馈。")
    return fields


@transaction.atomic
def output_create(*, activity: Activity, data: dict[str, Any], actor: Any, file: UploadedFile | None = None) -> Output:
    """A research report or review opinion of an activity, with its document."""
    fields = _output_fields(data)
    if file is not None:
        uploads.check_document(file)
        fields.update(file=file, file_name=(file.name or "")[:200])
    output = Output.objects.create(activity=activity, created_by=actor, **fields)
    record(
        actor=actor,
        action="output.create",
        obj=output,
        changes={k: [None, v] for k, v in fields.items() if k != "file"},
    )
    return output


@transaction.atomic
def output_update(*, output: Output, data: dict[str, Any], actor: Any, file: UploadedFile | None = None) -> Output:
    fields = _output_fields({**{k: getattr(output, k) for k in OUTPUT_FIELDS}, **data})
    if file is not None:
        uploads.check_document(file)
    locked = Output.objects.select_for_update().get(pk=output.pk)
    changes = apply_changes(locked, fields)
    if file is not None:
        locked.file, locked.file_name = file, (file.name or "")[:200]
        changes["file_name"] = [output.file_name, locked.file_name]
    locked.save()
    record(actor=actor, action="output.update", obj=locked, changes=changes)
    return locked


def output_delete(*, output: Output, actor: Any) -> None:
    model_delete(instance=output, actor=actor)
