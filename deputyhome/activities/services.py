"""Writes for station standards, rules, campaigns, activities, problems and referrals.

Every service is keyword-only, runs in one transaction and writes an audit row through
`deputyhome.audit.services.record`. Bad input raises `ValidationError` with a Chinese message
and writes nothing (uploaded files are checked before the first row is written).

The problem and fast-lane services other apps call (opinions uses them):

    referral_create(*, unit, title, content, actor, due_on=None, region=None) -> Referral
        A small matter sent straight to a handling unit; its clerks are notified on commit.
        `due_on` defaults to 15 working days from today; `region` (the township it concerns)
        defaults to the actor's township.
    referral_reply(*, referral, text, actor) -> Referral
        The unit's reply; only a clerk of that unit may give it, once.
    problem_create(*, data: dict, actor) -> Problem
        data keys: text (required), place, category (suggestions.Category), deputy, activity,
        region (township; defaults to the activity's or the deputy's), date (default today).
    problem_forward(*, problem, unit, actor, due_on=None) -> Referral
        An open problem goes to a unit through the fast lane (status 转交办理).
    problem_to_suggestion(*, problem, actor) -> Suggestion
        An open problem becomes a draft suggestion through suggestions.services.suggestion_create,
        with the problem's deputy as author and the actor as the officer who entered it (or the
        deputy themself); the draft then follows the normal course. Linked both ways
        (Problem.suggestion).
    problem_close(*, problem, note, actor) -> Problem
        An open problem solved on the spot (当场解决), with a note.

`problem_forward`, `problem_to_suggestion` and `problem_close` are for city officers and for
township officers within their township; the deputy who raised a problem may also turn it into
their own suggestion.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from deputyhome.audit.services import diff, record
from deputyhome.core.services import model_create, model_delete, model_update
from deputyhome.organisation.models import DeputyGroup, HandlingUnit, Region, Station

from . import permissions, scoring, uploads
from .choices import Attendance, ItemStatus, OrganiserLevel, ProblemStatus, ReferralStatus
from .models import (
    Activity,
    ActivityPhoto,
    AssessmentPolicy,
    AssessmentResult,
    Campaign,
    EvidencePhoto,
    GroupTopic,
    Output,
    Participation,
    Problem,
    Referral,
    Rule,
    RulePosting,
    RuleVersion,
    StandardItem,
    StationAssessment,
    TownshipTheme,
)

REFERRAL_WORKDAYS = 15


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


# Station standards ---------------------------------------------------------------------------------------


def standard_item_create(*, data: dict[str, Any], actor: Any) -> StandardItem:
    _require(bool(_text(data.get("label"))), "请填写标准项名称。")
    return model_create(model=StandardItem, data=data, actor=actor)


def standard_item_update(*, item: StandardItem, data: dict[str, Any], actor: Any) -> StandardItem:
    _require(bool(_text(data.get("label", item.label))), "请填写标准项名称。")
    return model_update(instance=item, data=data, actor=actor)


def standard_item_delete(*, item: StandardItem, actor: Any) -> None:
    model_delete(instance=item, actor=actor)


def pass_score_for(year: int) -> int:
    policy = AssessmentPolicy.objects.filter(year__lte=year).order_by("-year").first()
    return policy.pass_score if policy else scoring.DEFAULT_PASS_SCORE


@transaction.atomic
def assessment_policy_set(*, year: int, pass_score: int, actor: Any) -> AssessmentPolicy:
    _require(2000 <= year <= 2100, "年度无效：请填写2000至2100之间的年份。")
    _require(0 < pass_score <= 100, "达标分数线应在1至100之间。")
    policy = AssessmentPolicy.objects.select_for_update().filter(year=year).first()
    if policy is None:
        return model_create(model=AssessmentPolicy, data={"year": year, "pass_score": pass_score}, actor=actor)
    return model_update(instance=policy, data={"pass_score": pass_score}, actor=actor)


@transaction.atomic
def assessment_save(
    *,
    station: Station,
    year: int,
    assessed_on: datetime.date,
    results: Sequence[dict[str, Any]],
    actor: Any,
    notes: str = "",
    assessment: StationAssessment | None = None,
) -> StationAssessment:
    """Create or re-do a station's assessment for a year, with a result for every active item.

    results: [{"item": StandardItem, "status": ItemStatus, "notes": str, "photos": [UploadedFile]}].
    The score and pass/fail are computed here and stored.
    """
    _require(permissions.may_assess(actor), "只有市、乡两级人大工作人员可以评估家站。")
    _require(_covers(actor, station.region), "该家站不在您的管辖范围内。")
    _require(2000 <= int(year) <= 2100, "年度无效：请填写2000至2100之间的年份。")
    _require(assessed_on is not None, "请填写评估日期。")
    _require(assessed_on.year in (year, year + 1), f"评估日期应在{year}年或次年年初。")
    active = list(StandardItem.objects.filter(is_active=True))
    by_item = {r["item"].pk: r for r in results if r.get("item") is not None}
    missing = [i.label for i in active if i.pk not in by_item or not by_item[i.pk].get("status")]
    _require(not missing, f"请为每一项填写评估结果，缺少：{'、'.join(missing)}。")
    for r in by_item.values():
        _require(r["status"] in ItemStatus.values, f"“{r['item'].label}”的评估结果无效。")
        for f in r.get("photos") or ():
            uploads.check_photo(f)
    duplicate = StationAssessment.objects.filter(station=station, year=year)
    if assessment is not None:
        duplicate = duplicate.exclude(pk=assessment.pk)
    _require(not duplicate.exists(), f"{station.name}的{year}年度评估已存在，请在原评估上修改。")

    items = {i.pk: i for i in active}
    for r in by_item.values():  # results for retired items kept on an old assessment are re-scored too
        items.setdefault(r["item"].pk, r["item"])
    value = scoring.score((items[pk].points, r["status"]) for pk, r in by_item.items())
    mark = pass_score_for(year)
    fields = {
        "station": station,
        "year": year,
        "assessed_on": assessed_on,
        "notes": _text(notes),
        "score": value,
        "pass_score": mark,
        "passed": scoring.passes(value, mark),
        "assessor": actor,
    }
    if assessment is None:
        assessment = StationAssessment.objects.create(**fields)
        changes = {k: [None, v] for k, v in fields.items()}
        action = "stationassessment.create"
    else:
        assessment = StationAssessment.objects.select_for_update().get(pk=assessment.pk)
        changes = diff(assessment, fields)
        for k, v in fields.items():
            setattr(assessment, k, v)
        assessment.save()
        action = "stationassessment.update"
    existing = {r.item_id: r for r in assessment.results.all()}
    for pk, r in by_item.items():
        row = existing.get(pk)
        if row is None:
            row = AssessmentResult.objects.create(
                assessment=assessment,
                item=items[pk],
                status=r["status"],
                points=items[pk].points,
                notes=_text(r.get("notes")),
            )
        else:
            if row.status != r["status"]:
                changes[f"item:{items[pk].code}"] = [row.status, r["status"]]
            row.status, row.notes, row.points = r["status"], _text(r.get("notes")), items[pk].points
            row.save()
        for f in r.get("photos") or ():
            EvidencePhoto.objects.create(result=row, file=f, name=(f.name or "")[:200], size=f.size, uploaded_by=actor)
    record(actor=actor, action=action, obj=assessment, changes=changes)
    return assessment


def assessment_delete(*, assessment: StationAssessment, actor: Any) -> None:
    _require(_covers(actor, assessment.station.region), "该家站不在您的管辖范围内。")
    model_delete(instance=assessment, actor=actor)


# Rules -------------------------------------------------------------------------------------------------


def rule_create(*, data: dict[str, Any], actor: Any) -> Rule:
    _require(bool(_text(data.get("title"))), "请填写制度名称。")
    return model_create(model=Rule, data=data, actor=actor)


def rule_update(*, rule: Rule, data: dict[str, Any], actor: Any) -> Rule:
    return model_update(instance=rule, data=data, actor=actor)


def rule_version_create(*, rule: Rule, data: dict[str, Any], actor: Any) -> RuleVersion:
    _require(bool(_text(data.get("version"))), "请填写版本号。")
    _require(bool(_text(data.get("text"))), "请填写制度正文。")
    _require(data.get("effective_on") is not None, "请填写施行日期。")
    _require(
        not RuleVersion.objects.filter(rule=rule, version=_text(data["version"])).exists(),
        f"“{rule.title}”已有版本“{_text(data['version'])}”。",
    )
    return model_create(model=RuleVersion, data={**data, "rule": rule}, actor=actor)


def rule_post(*, station: Station, version: RuleVersion, posted_on: datetime.date, actor: Any) -> RulePosting:
    """Record that a station has put up a version of a rule."""
    _require(permissions.may_post_rules(actor), "只有市、乡两级人大工作人员可以登记制度上墙。")
    _require(_covers(actor, station.region), "该家站不在您的管辖范围内。")
    _require(posted_on is not None, "请填写上墙日期。")
    _require(
        not RulePosting.objects.filter(station=station, version=version).exists(),
        f"{station.name}已登记“{version}”上墙。",
    )
    return model_create(
        model=RulePosting, data={"station": station, "version": version, "posted_on": posted_on}, actor=actor
    )


def rule_unpost(*, posting: RulePosting, actor: Any) -> None:
    _require(_covers(actor, posting.station.region), "该家站不在您的管辖范围内。")
    model_delete(instance=posting, actor=actor)


# Campaigns ---------------------------------------------------------------------------------------------


def _check_campaign(data: dict[str, Any]) -> None:
    _require(bool(_text(data.get("slogan"))), "请填写行动主题口号。")
    start, end = data.get("start_on"), data.get("end_on")
    _require(start is not None and end is not None, "请填写行动的开始和结束日期。")
    _require(end >= start, "结束日期不能早于开始日期。")


def campaign_create(*, data: dict[str, Any], actor: Any) -> Campaign:
    _check_campaign(data)
    return model_create(model=Campaign, data=data, actor=actor)


def campaign_update(*, campaign: Campaign, data: dict[str, Any], actor: Any) -> Campaign:
    _check_campaign({**{"slogan": campaign.slogan, "start_on": campaign.start_on, "end_on": campaign.end_on}, **data})
    return model_update(instance=campaign, data=data, actor=actor)


def campaign_delete(*, campaign: Campaign, actor: Any) -> None:
    _require(not campaign.activities.exists(), f"“{campaign}”下已有代表活动，不能删除。")
    model_delete(instance=campaign, actor=actor)


@transaction.atomic
def township_theme_set(
    *, campaign: Campaign, region: Region, theme: str, actor: Any, description: str = ""
) -> TownshipTheme:
    """Set (or change) a township's theme in a campaign."""
    _require(region is not None and len(region.code) == 9, "请选择乡镇（街道）。")
    _require(bool(_text(theme)), "请填写活动主题。")
    _require(_covers(actor, region), "该乡镇（街道）不在您的管辖范围内。")
    row = TownshipTheme.objects.select_for_update().filter(campaign=campaign, region=region).first()
    data = {"theme": _text(theme), "description": _text(description)}
    if row is None:
        return model_create(model=TownshipTheme, data={"campaign": campaign, "region": region, **data}, actor=actor)
    return model_update(instance=row, data=data, actor=actor)


def township_theme_delete(*, theme: TownshipTheme, actor: Any) -> None:
    _require(_covers(actor, theme.region), "该乡镇（街道）不在您的管辖范围内。")
    model_delete(instance=theme, actor=actor)


def _covers_group(actor: Any, group: DeputyGroup) -> bool:
    if permissions.is_group_staff(actor):
        return actor.group_id == group.pk
    return _covers(actor, group.station.region)


@transaction.atomic
def group_topic_set(
    *, campaign: Campaign, group: DeputyGroup, topic: str, actor: Any, description: str = ""
) -> GroupTopic:
    """Set (or change) a group's small entry point (小切口) in a campaign."""
    _require(group is not None, "请选择代表小组。")
    _require(bool(_text(topic)), "请填写小切口。")
    _require(_covers_group(actor, group), "该代表小组不在您的管辖范围内。")
    row = GroupTopic.objects.select_for_update().filter(campaign=campaign, group=group).first()
    data = {"topic": _text(topic), "description": _text(description)}
    if row is None:
        return model_create(model=GroupTopic, data={"campaign": campaign, "group": group, **data}, actor=actor)
    return model_update(instance=row, data=data, actor=actor)


def group_topic_delete(*, topic: GroupTopic, actor: Any) -> None:
    _require(_covers_group(actor, topic.group), "该代表小组不在您的管辖范围内。")
    model_delete(instance=topic, actor=actor)


# Activities --------------------------------------------------------------------------------------------

ACTIVITY_FIELDS = ("kind", "level", "region", "group", "station", "campaign", "date", "place", "topic", "notes")


def _city_region() -> Region | None:
    return Region.objects.filter(parent__isnull=True).order_by("code").first()


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
    changes = diff(locked, fields)
    for k, v in fields.items():
        setattr(locked, k, v)
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
    changes = diff(locked, fields)
    for k, v in fields.items():
        setattr(locked, k, v)
    if file is not None:
        locked.file, locked.file_name = file, (file.name or "")[:200]
        changes["file_name"] = [output.file_name, locked.file_name]
    locked.save()
    record(actor=actor, action="output.update", obj=locked, changes=changes)
    return locked


def output_delete(*, output: Output, actor: Any) -> None:
    model_delete(instance=output, actor=actor)


# Referrals (the fast lane) ----------------------------------------------------------------------------


def _notify_unit(referral: Referral) -> None:
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User

    def send() -> None:
        try:
            from deputyhome.notifications.services import notify
        except ImportError:  # pragma: no cover - notifications is part of the project
            return
        users = list(User.objects.filter(role=Role.UNIT_CLERK, unit_id=referral.unit_id, is_active=True))
        notify(users=users, subject=f"新的转交事项：{referral.title}", link=referral.get_absolute_url())

    transaction.on_commit(send)


def _default_due(today: datetime.date) -> datetime.date:
    from deputyhome.core import workdays

    try:
        return workdays.add_workdays(today, REFERRAL_WORKDAYS)
    except Exception:  # an uncovered calendar year must not block the fast lane
        return today + datetime.timedelta(days=21)


def _create_referral(
    *, unit: HandlingUnit, title: str, content: str, actor: Any, due_on: datetime.date | None, region: Region | None
) -> Referral:
    _require(unit is not None, "请选择承办单位。")
    _require(unit.is_active, f"承办单位“{unit}”已停用，请选择其他单位。")
    title, content = _text(title), _text(content)
    _require(bool(title), "请填写转交事项的标题。")
    _require(bool(content), "请填写转交事项的具体内容。")
    _require(len(title) <= 200, "转交事项的标题不能超过200字。")
    today = _today()
    _require(due_on is None or due_on >= today, "办理期限不能早于今天。")
    if region is None and permissions.is_township(actor):
        region = actor.region
    referral = Referral.objects.create(
        unit=unit,
        title=title,
        content=content,
        region=_township_of(region) or region,
        created_by=actor,
        due_on=due_on or _default_due(today),
    )
    record(
        actor=actor,
        action="referral.create",
        obj=referral,
        changes={"unit": [None, unit], "title": [None, title], "due_on": [None, referral.due_on]},
    )
    _notify_unit(referral)
    return referral


@transaction.atomic
def referral_create(
    *,
    unit: HandlingUnit,
    title: str,
    content: str,
    actor: Any,
    due_on: datetime.date | None = None,
    region: Region | None = None,
) -> Referral:
    """Send a small matter straight to a handling unit (转交办理)."""
    _require(actor is not None and permissions.sees_business(actor), "您的角色不能转交事项。")
    return _create_referral(unit=unit, title=title, content=content, actor=actor, due_on=due_on, region=region)


@transaction.atomic
def referral_reply(*, referral: Referral, text: str, actor: Any) -> Referral:
    """The handling unit answers a referral; only a clerk of that unit may, and only once."""
    _require(
        permissions.is_unit_clerk(actor) and actor.unit_id == referral.unit_id,
        "只有承办单位经办人可以答复转交给本单位的事项。",
    )
    text = _text(text)
    _require(bool(text), "请填写答复内容。")
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    _require(locked.status == ReferralStatus.OPEN, "该事项已答复，不能重复答复。")
    locked.status, locked.reply, locked.replied_on, locked.replied_by = (
        ReferralStatus.REPLIED,
        text,
        _today(),
        actor,
    )
    locked.save()
    record(
        actor=actor,
        action="referral.reply",
        obj=locked,
        changes={"status": [ReferralStatus.OPEN, ReferralStatus.REPLIED], "reply": [None, text]},
    )
    return locked


# Problems ----------------------------------------------------------------------------------------------

PROBLEM_FIELDS = ("text", "place", "category", "deputy", "activity", "region", "date")


def _problem_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data.get(k) for k in PROBLEM_FIELDS}
    fields["text"], fields["place"] = _text(fields["text"]), _text(fields["place"])
    _require(bool(fields["text"]), "请填写问题描述。")
    _require(len(fields["place"]) <= 200, "地点不能超过200字。")
    fields["date"] = fields["date"] or _today()
    _require(fields["date"] <= _today(), "发现日期不能晚于今天。")
    activity: Activity | None = fields["activity"]
    if activity is not None:
        _require(fields["date"] >= activity.date, "发现日期不能早于活动日期。")
    region = fields["region"]
    if region is None and activity is not None and activity.level != OrganiserLevel.COMMITTEE:
        region = activity.region
    if region is None and fields["deputy"] is not None:
        region = fields["deputy"].region
    if region is None and activity is not None:
        region = activity.region
    _require(region is not None, "请选择问题所属的乡镇（街道）。")
    fields["region"] = _township_of(region) or region
    return fields


@transaction.atomic
def problem_create(*, data: dict[str, Any], actor: Any) -> Problem:
    """Register a problem found by deputies (see the module docstring for `data`)."""
    _require(actor is not None and permissions.sees_business(actor), "您的角色不能登记问题。")
    fields = _problem_fields(data)
    problem = Problem.objects.create(**fields, created_by=actor)
    record(actor=actor, action="problem.create", obj=problem, changes={k: [None, v] for k, v in fields.items()})
    return problem


def _lock_open(problem: Problem, actor: Any, *, own_deputy: bool = False) -> Problem:
    """The open problem, locked; officers act within their scope, and (with `own_deputy`) the deputy who
    raised it may act on it too."""
    mine = own_deputy and actor is not None and bool(actor.deputy_id) and actor.deputy_id == problem.deputy_id
    _require(mine or permissions.may_handle_problems(actor), "只有市、乡两级人大工作人员可以处理问题。")
    locked = (
        Problem.objects.select_for_update(of=("self",))
        .select_related("region", "deputy", "activity")
        .get(pk=problem.pk)
    )
    _require(mine or _covers(actor, locked.region), "该问题不在您的管辖范围内。")
    _require(locked.status == ProblemStatus.OPEN, f"该问题已处理（{locked.get_status_display()}），不能重复处理。")
    return locked


@transaction.atomic
def problem_update(*, problem: Problem, data: dict[str, Any], actor: Any) -> Problem:
    """Correct an open problem's details."""
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    _require(locked.status == ProblemStatus.OPEN, "问题已处理，不能再修改。")
    fields = _problem_fields({**{k: getattr(locked, k) for k in PROBLEM_FIELDS}, **data})
    changes = diff(locked, fields)
    for k, v in fields.items():
        setattr(locked, k, v)
    locked.save()
    record(actor=actor, action="problem.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def problem_delete(*, problem: Problem, actor: Any) -> None:
    _require(problem.status == ProblemStatus.OPEN, "问题已处理，不能删除。")
    model_delete(instance=problem, actor=actor)


@transaction.atomic
def problem_close(*, problem: Problem, note: str, actor: Any) -> Problem:
    """The problem was solved on the spot (当场解决)."""
    note = _text(note)
    _require(bool(note), "请填写处理说明：问题是如何当场解决的。")
    locked = _lock_open(problem, actor)
    locked.status, locked.closing_note, locked.handled_on = ProblemStatus.CLOSED, note, _today()
    locked.save()
    record(
        actor=actor,
        action="problem.close",
        obj=locked,
        changes={"status": [ProblemStatus.OPEN, ProblemStatus.CLOSED], "closing_note": [None, note]},
    )
    return locked


def _short(text: str, n: int = 40) -> str:
    first = text.replace("\r", "").split("\n")[0].strip().rstrip("。；;，,")
    return first if len(first) <= n else f"{first[:n]}…"


@transaction.atomic
def problem_forward(
    *, problem: Problem, unit: HandlingUnit, actor: Any, due_on: datetime.date | None = None
) -> Referral:
    """Send an open problem to a unit as a small matter (the fast lane)."""
    locked = _lock_open(problem, actor)
    content = locked.text + (f"\n地点：{locked.place}" if locked.place else "")
    if locked.deputy_id:
        content += f"\n提出代表：{locked.deputy.name}"
    referral = _create_referral(
        unit=unit, title=_short(locked.text), content=content, actor=actor, due_on=due_on, region=locked.region
    )
    locked.status, locked.referral, locked.handled_on = ProblemStatus.FORWARDED, referral, _today()
    locked.save()
    record(
        actor=actor,
        action="problem.forward",
        obj=locked,
        changes={
            "status": [ProblemStatus.OPEN, ProblemStatus.FORWARDED],
            "referral": [None, referral],
            "unit": [None, unit],
        },
    )
    return referral


@transaction.atomic
def problem_to_suggestion(*, problem: Problem, actor: Any):
    """Turn an open problem into a draft suggestion by its deputy, entered by the actor."""
    from deputyhome.suggestions.services import suggestion_create

    locked = _lock_open(problem, actor, own_deputy=True)
    _require(locked.deputy_id is not None, "该问题没有提出代表，不能形成建议：请先在问题中填写提出代表。")
    d = locked.date
    where = f"在{locked.place}" if locked.place else ""
    during = f"开展“{locked.activity.topic}”活动时发现" if locked.activity_id else "开展代表活动时发现"
    situation = f"{d.year}年{d.month}月{d.day}日{where}{during}。"
    suggestion = suggestion_create(
        author=locked.deputy,
        data={"title": f"关于{_short(locked.text, 30)}的建议", "situation": situation, "reasons": locked.text},
        actor=actor,
    )
    locked.status, locked.suggestion, locked.handled_on = ProblemStatus.SUGGESTION, suggestion, _today()
    locked.save()
    record(
        actor=actor,
        action="problem.to_suggestion",
        obj=locked,
        changes={"status": [ProblemStatus.OPEN, ProblemStatus.SUGGESTION], "suggestion": [None, suggestion]},
    )
    return suggestion
