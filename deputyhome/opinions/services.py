"""Writes of voter contact. Each service is one transaction with its audit row (and, for
opinions, a timeline event); bad input raises ValidationError with a Chinese message and
writes nothing.

Triage of an opinion:
    opinion_reply        the answer to the citizen, shown with the tracking code
    opinion_forward      the fast lane: activities.referral_create; the unit's reply shows to the citizen
    opinion_merge        a duplicate of another opinion; its status page then follows that one
    opinion_to_problem   activities.problem_create
    opinion_to_suggestion  activities.problem_to_suggestion when it already is a problem, otherwise
                           suggestions.suggestion_create with the deputy as author (a draft)
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from deputyhome.accounts import scopes
from deputyhome.audit.services import diff, record
from deputyhome.core.services import model_delete
from deputyhome.deputies.models import Deputy, GroupMembership, active_on
from deputyhome.deputies.validators import id_number_problem, normalise_phone, validate_phone
from deputyhome.organisation.models import HandlingUnit, Region, Station

from . import codes, conf, notices, selectors, throttle
from .choices import Channel, ContactWay, OpinionStatus
from .models import ModelStory, Opinion, OpinionEvent, Pairing, PairingContact, Reception, ReceptionSlot

MAX_CONTENT = 2000
PUBLIC_ACTOR = "群众（扫码留言）"


def _today() -> datetime.date:
    return timezone.localdate()


def _require(condition: bool, message: str, field: str | None = None) -> None:
    if not condition:
        raise ValidationError({field: message} if field else message)


def _text(value: Any) -> str:
    return (value or "").strip()


def _label(actor: Any) -> str:
    return str(actor) if getattr(actor, "is_authenticated", False) else str(actor or "")


def _event(opinion: Opinion, action: str, actor: Any, note: str = "") -> None:
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
        GroupMembership.objects.filter(active_on(on or _today()), deputy=deputy)
        .select_related("group__station__region")
        .order_by("start_date", "pk")
        .first()
    )
    return membership.group.station if membership else None


def _contains_id_number(text: str) -> bool:
    for candidate in re.findall(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])", text):
        if id_number_problem(candidate.upper()) is None:
            return True
    return False


def _clean_contact(data: dict[str, Any]) -> tuple[str, str, str]:
    content, name = _text(data.get("content")), _text(data.get("name"))
    phone = normalise_phone(_text(data.get("phone")))
    _require(bool(content), "请填写您要反映的内容。", "content")
    _require(len(content) <= MAX_CONTENT, f"反映内容不能超过{MAX_CONTENT}字。", "content")
    _require(len(name) <= 30, "姓名不能超过30字。", "name")
    _require(
        not _contains_id_number(content),
        "内容中含有身份证号码。为保护您的个人信息，请删除身份证号码后再提交（反映问题不需要身份证号码）。",
        "content",
    )
    try:
        validate_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    return content, name, phone


def _create(**fields: Any) -> Opinion:
    # A clash of two random 59-bit codes is all but impossible; retry rather than fail if it happens.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Opinion.objects.create(tracking_code=codes.new_code(), **fields)
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free tracking code")


# The public side ---------------------------------------------------------------------------------------


def throttle_target(*, station: Station | None, deputy: Deputy | None) -> str:
    """The per-station counter an opinion counts against (a deputy's opinions count at their station)."""
    if station is None and deputy is not None:
        station = station_of_deputy(deputy)
    return f"station:{station.pk}" if station is not None else f"deputy:{deputy.pk}"


@transaction.atomic
def opinion_submit(
    *,
    data: dict[str, Any],
    client_address: str,
    station: Station | None = None,
    deputy: Deputy | None = None,
    photo: Any = None,
    now: datetime.datetime | None = None,
) -> Opinion:
    """A citizen's opinion from a public page, without an account.

    data: content (required), name, phone, consent (must be true), privacy_version (the version
    shown on the form). `photo` is an already checked file (uploads.clean_photo). Counts against
    the throttle in the same transaction; raises throttle.Throttled past a limit.
    """
    now = now or timezone.now()
    _require(station is not None or deputy is not None, "请从代表之家、联络站或代表的页面留言。")
    content, name, phone = _clean_contact(data)
    version = _text(data.get("privacy_version")) or notices.CURRENT_VERSION
    _require(bool(data.get("consent")), "请阅读并同意《个人信息保护告知》后再提交。", "consent")
    _require(version in notices.NOTICES, "隐私告知版本无效，请刷新页面后重新提交。")
    if station is None:
        station = station_of_deputy(deputy)
    throttle.take(
        throttle.submit_limits(address=client_address, target=throttle_target(station=station, deputy=deputy), now=now),
        now=now,
    )
    region = township_of(station.region if station else deputy.region)
    opinion = _create(
        channel=Channel.ONLINE,
        station=station,
        deputy=deputy,
        region=region,
        content=content,
        name=name,
        phone=phone,
        photo=photo or "",
        privacy_version=version,
        consented_at=now,
        received_on=timezone.localdate(now),
    )
    _event(opinion, "submit", PUBLIC_ACTOR)
    # Who wrote and their phone stay out of the audit trail; the opinion row is the record.
    record(
        actor=PUBLIC_ACTOR,
        action="opinion.submit",
        obj=opinion,
        changes={
            "station": [None, station],
            "deputy": [None, deputy],
            "privacy_version": [None, version],
            "photo": [None, bool(photo)],
        },
    )
    _notify_handlers(opinion)
    return opinion


def _notify_handlers(opinion: Opinion) -> None:
    """Tell those who handle a new opinion (`selectors.new_opinion_handlers`) once it is committed.

    The recipients are read in the submission's transaction; the messages go out only if it
    commits. No name, phone or content of the citizen is in them (they also go out by e-mail):
    only where the opinion was left, and the link to it, which checks the reader's scope.
    A failure to send is logged and does not fail the citizen's submission.
    """
    from deputyhome.notifications.services import notify

    users = selectors.new_opinion_handlers(opinion=opinion)
    if not users:
        return
    subject = f"新的群众意见待处理：{opinion.addressee}"
    body = f"群众于{opinion.received_on:%Y年%-m月%-d日}扫码留言，向{opinion.addressee}反映了意见。请登录查看并处理。"
    link, key = opinion.get_absolute_url(), f"opinion.submit:{opinion.pk}"
    transaction.on_commit(
        lambda: notify(users=users, subject=subject, body=body, link=link, key=key),
        robust=True,
    )


# The staff side ------------------------------------------------------------------------------------------


def _check_scope(actor: Any, opinion: Opinion) -> None:
    _require(selectors.may_triage(actor), "您的角色只能查看群众意见，不能处理。")
    _require(selectors.opinion_list(user=actor).filter(pk=opinion.pk).exists(), "该意见不在您的管辖范围内。")


def _lock(opinion: Opinion) -> Opinion:
    return Opinion.objects.select_for_update().get(pk=opinion.pk)


OPEN_STATES = (OpinionStatus.NEW, OpinionStatus.REPLIED)


@transaction.atomic
def opinion_record(*, data: dict[str, Any], actor: Any) -> Opinion:
    """An opinion taken down by staff or a deputy at a reception or visit (no consent form: given in person).

    data: station and/or deputy, channel, content, name, phone, reception, received_on.
    """
    _require(selectors.may_triage(actor), "您的角色不能录入群众意见。")
    station, deputy, reception = data.get("station"), data.get("deputy"), data.get("reception")
    if reception is not None:
        station = station or reception.station
    _require(station is not None or deputy is not None, "请选择意见反映到的家站或代表。")
    content, name, phone = _clean_contact(data)
    channel = data.get("channel") or Channel.RECEPTION
    _require(channel in Channel.values, "请选择意见来源。")
    received_on = data.get("received_on") or (reception.date if reception else _today())
    _require(received_on <= _today(), "收到日期不能晚于今天。")
    if station is None:
        station = station_of_deputy(deputy)
    region = township_of(station.region if station else deputy.region)
    opinion = _create(
        channel=channel,
        station=station,
        deputy=deputy,
        region=region,
        reception=reception,
        content=content,
        name=name,
        phone=phone,
        received_on=received_on,
        recorded_by=actor,
    )
    _require(
        selectors.opinion_list(user=actor).filter(pk=opinion.pk).exists(),
        "所选家站或代表不在您的管辖范围内。",
    )
    _event(opinion, "record", actor, Channel(channel).label)
    record(
        actor=actor,
        action="opinion.record",
        obj=opinion,
        changes={"station": [None, station], "deputy": [None, deputy], "channel": [None, channel]},
    )
    return opinion


@transaction.atomic
def opinion_reply(*, opinion: Opinion, text: str, actor: Any) -> Opinion:
    """Answer the citizen; the reply is shown on the public status page."""
    _check_scope(actor, opinion)
    text = _text(text)
    _require(bool(text), "请填写答复内容。")
    _require(len(text) <= MAX_CONTENT, f"答复内容不能超过{MAX_CONTENT}字。")
    locked = _lock(opinion)
    _require(locked.status != OpinionStatus.MERGED, "该意见已合并到其他意见，请在合并后的意见上答复。")
    before = locked.status
    locked.reply, locked.replied_at, locked.replied_by = text, timezone.now(), actor
    if before == OpinionStatus.NEW:
        locked.status = OpinionStatus.REPLIED
    locked.save()
    _event(locked, "reply", actor, text)
    record(
        actor=actor,
        action="opinion.reply",
        obj=locked,
        changes={"status": [before, locked.status], "reply": [opinion.reply or None, text]},
    )
    return locked


@transaction.atomic
def opinion_forward(
    *,
    opinion: Opinion,
    unit: HandlingUnit,
    actor: Any,
    title: str = "",
    content: str = "",
    due_on: datetime.date | None = None,
) -> Opinion:
    """Send the matter to a handling unit through the fast lane; the unit's reply reaches the citizen."""
    from deputyhome.activities.services import referral_create

    _check_scope(actor, opinion)
    locked = _lock(opinion)
    _require(locked.status in OPEN_STATES, f"该意见{locked.get_status_display()}，不能再转交。")
    title = _text(title) or _summary(locked.content)
    referral = referral_create(
        unit=unit,
        title=title,
        content=_text(content) or locked.content,
        actor=actor,
        due_on=due_on,
        region=locked.region,
    )
    before = locked.status
    locked.status, locked.referral = OpinionStatus.FORWARDED, referral
    locked.save()
    _event(locked, "forward", actor, f"转交{unit.name}")
    record(
        actor=actor,
        action="opinion.forward",
        obj=locked,
        changes={"status": [before, locked.status], "referral": [None, referral], "unit": [None, unit]},
    )
    return locked


@transaction.atomic
def opinion_merge(*, opinion: Opinion, into: Opinion, actor: Any) -> Opinion:
    """Mark `opinion` as a duplicate of `into` (both in the actor's scope)."""
    _check_scope(actor, opinion)
    _require(into is not None, "请选择要合并到的意见。")
    _check_scope(actor, into)
    _require(into.pk != opinion.pk, "不能把意见合并到它自己。")
    locked = _lock(opinion)
    target = _lock(into)
    _require(locked.status in OPEN_STATES, f"该意见{locked.get_status_display()}，不能再合并。")
    _require(target.status != OpinionStatus.MERGED, "目标意见本身已合并到其他意见，请选择合并后的那一条。")
    _require(not locked.duplicates.exists(), "已有其他意见合并到该意见，不能再把它合并出去。")
    before = locked.status
    locked.status, locked.duplicate_of = OpinionStatus.MERGED, target
    locked.save()
    _event(locked, "merge", actor, f"合并到 {target.code_display}")
    _event(target, "merged_in", actor, f"{locked.code_display} 合并到此")
    record(
        actor=actor,
        action="opinion.merge",
        obj=locked,
        changes={"status": [before, locked.status], "duplicate_of": [None, target]},
    )
    return locked


def _summary(text: str, n: int = 40) -> str:
    first = text.replace("\r", "").split("\n")[0].strip().rstrip("。；;，,")
    return first if len(first) <= n else f"{first[:n]}…"


@transaction.atomic
def opinion_to_problem(*, opinion: Opinion, actor: Any, data: dict[str, Any] | None = None) -> Opinion:
    """Register the opinion as a problem found by deputies (activities.problem_create).

    data: deputy (default: the deputy it was addressed to), category, place (default the station).
    """
    from deputyhome.activities.services import problem_create

    _check_scope(actor, opinion)
    data = data or {}
    locked = _lock(opinion)
    _require(locked.status in OPEN_STATES, f"该意见{locked.get_status_display()}，不能再转为问题。")
    deputy = data.get("deputy") or locked.deputy or (Deputy.objects.filter(pk=actor.deputy_id).first())
    problem = problem_create(
        data={
            "text": locked.content,
            "place": _text(data.get("place")) or (locked.station.name if locked.station_id else ""),
            "category": data.get("category"),
            "deputy": deputy,
            "activity": None,
            "region": locked.region,
            "date": locked.received_on,
        },
        actor=actor,
    )
    before = locked.status
    locked.status, locked.problem = OpinionStatus.PROBLEM, problem
    locked.save()
    _event(locked, "to_problem", actor)
    record(
        actor=actor,
        action="opinion.to_problem",
        obj=locked,
        changes={"status": [before, locked.status], "problem": [None, problem]},
    )
    return locked


@transaction.atomic
def opinion_to_suggestion(*, opinion: Opinion, actor: Any, deputy: Deputy | None = None, title: str = "") -> Opinion:
    """Turn the opinion into a deputy's draft suggestion.

    An opinion already registered as a problem goes through activities.problem_to_suggestion
    (its deputy is the author); otherwise suggestions.suggestion_create makes a draft with
    `deputy` (default: the deputy it was addressed to, or the actor's own deputy) as author.
    """
    from deputyhome.suggestions.services import suggestion_create

    _check_scope(actor, opinion)
    locked = _lock(opinion)
    _require(
        locked.status in (*OPEN_STATES, OpinionStatus.PROBLEM),
        f"该意见{locked.get_status_display()}，不能再形成建议。",
    )
    if locked.status == OpinionStatus.PROBLEM and locked.problem_id:
        from deputyhome.activities.services import problem_to_suggestion

        suggestion = problem_to_suggestion(problem=locked.problem, actor=actor)
    else:
        author = deputy or locked.deputy or Deputy.objects.filter(pk=actor.deputy_id).first()
        _require(author is not None, "请选择领衔提出建议的代表。")
        _require(
            author.pk == actor.deputy_id or selectors.may_edit_station_records(actor),
            "代表只能以本人名义形成建议。",
        )
        suggestion = suggestion_create(
            author=author,
            data={
                "title": _text(title) or _summary(locked.content),
                "situation": f"群众反映（{locked.received_on:%Y年%-m月%-d日}，{locked.addressee}）：\n{locked.content}",
            },
            actor=actor,
        )
    before = locked.status
    locked.status, locked.suggestion = OpinionStatus.SUGGESTION, suggestion
    locked.save()
    _event(locked, "to_suggestion", actor, str(suggestion))
    record(
        actor=actor,
        action="opinion.to_suggestion",
        obj=locked,
        changes={"status": [before, locked.status], "suggestion": [None, suggestion]},
    )
    return locked


# Reception schedules and records --------------------------------------------------------------------------


def _check_station(actor: Any, station: Station | None) -> None:
    _require(station is not None, "请选择家站。")
    _require(selectors.may_edit_station_records(actor), "您的角色不能维护接待安排和接待记录。")
    _require(
        Station.objects.filter(scopes.stations_q(actor), pk=station.pk).exists(),
        "该家站不在您的管辖范围内。",
    )


SLOT_FIELDS = ("station", "weekday", "date", "start_time", "end_time", "notice", "is_active")


def _slot_fields(data: dict[str, Any], *, announced_on: datetime.date, creating: bool) -> dict[str, Any]:
    fields = {k: data.get(k) for k in SLOT_FIELDS if k in data}
    fields["notice"] = _text(fields.get("notice"))
    weekday, date = fields.get("weekday") or None, fields.get("date")
    fields["weekday"] = int(weekday) if weekday else None
    _require(bool(fields["weekday"]) != bool(date), "请选择“每周固定接待日”或“接待日期”其中一项。")
    _require(
        fields.get("start_time") is not None and fields.get("end_time") is not None, "请填写接待的开始和结束时间。"
    )
    _require(fields["end_time"] > fields["start_time"], "结束时间应晚于开始时间。")
    days = conf.get("RECEPTION_NOTICE_DAYS")
    if date and creating and days:
        _require(
            (date - announced_on).days >= days,
            f"按接待制度，接待活动应至少提前{days}天公告：{date:%Y-%m-%d}的接待最晚应在"
            f"{date - datetime.timedelta(days=days):%Y-%m-%d}公告。请调整接待日期。",
        )
    return fields


@transaction.atomic
def reception_slot_create(*, data: dict[str, Any], deputies: Iterable[Deputy], actor: Any) -> ReceptionSlot:
    """A reception time at a station; a one-off date must leave the notice period (RECEPTION_NOTICE_DAYS)."""
    _check_station(actor, data.get("station"))
    today = _today()
    fields = _slot_fields(data, announced_on=today, creating=True)
    slot = ReceptionSlot(announced_on=today, **fields)
    slot.full_clean()
    slot.save()
    deputies = list(deputies)
    slot.deputies.set(deputies)
    changes = {k: [None, v] for k, v in fields.items()}
    changes["deputies"] = [None, [d.name for d in deputies]]
    record(actor=actor, action="receptionslot.create", obj=slot, changes=changes)
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
    fields = _slot_fields(merged, announced_on=_today(), creating=bool(moved))
    changes = diff(locked, fields)
    for k, v in fields.items():
        setattr(locked, k, v)
    if moved:
        locked.announced_on = _today()
    locked.full_clean()
    locked.save()
    deputies = list(deputies)
    old = sorted(d.name for d in locked.deputies.all())
    locked.deputies.set(deputies)
    if old != sorted(d.name for d in deputies):
        changes["deputies"] = [old, sorted(d.name for d in deputies)]
    record(actor=actor, action="receptionslot.update", obj=locked, changes=changes)
    return locked


def reception_slot_delete(*, slot: ReceptionSlot, actor: Any) -> None:
    _check_station(actor, slot.station)
    model_delete(instance=slot, actor=actor)


RECEPTION_FIELDS = ("station", "date", "slot", "voters_received", "notes")


def _reception_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data.get(k) for k in RECEPTION_FIELDS if k in data}
    fields["notes"] = _text(fields.get("notes"))
    _require(fields.get("date") is not None, "请填写接待日期。")
    _require(fields["date"] <= _today(), "接待日期不能晚于今天：接待记录在接待之后登记。")
    _require((fields.get("voters_received") or 0) >= 0, "接待选民人次不能为负数。")
    fields["voters_received"] = fields.get("voters_received") or 0
    slot = fields.get("slot")
    if slot is not None:
        _require(slot.station_id == fields["station"].pk, "所选接待安排不属于该家站。")
    return fields


@transaction.atomic
def reception_create(*, data: dict[str, Any], deputies: Iterable[Deputy], actor: Any) -> Reception:
    """Record a reception held at a station, with the deputies who received voters."""
    _check_station(actor, data.get("station"))
    fields = _reception_fields(data)
    deputies = list(deputies)
    _require(bool(deputies), "请选择参加接待的代表。")
    reception = Reception.objects.create(recorded_by=actor, **fields)
    reception.deputies.set(deputies)
    changes = {k: [None, v] for k, v in fields.items()}
    changes["deputies"] = [None, [d.name for d in deputies]]
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
    _require(bool(deputies), "请选择参加接待的代表。")
    changes = diff(locked, fields)
    for k, v in fields.items():
        setattr(locked, k, v)
    locked.save()
    old = sorted(d.name for d in locked.deputies.all())
    locked.deputies.set(deputies)
    if old != sorted(d.name for d in deputies):
        changes["deputies"] = [old, sorted(d.name for d in deputies)]
    record(actor=actor, action="reception.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def reception_delete(*, reception: Reception, actor: Any) -> None:
    _check_station(actor, reception.station)
    _require(not reception.opinions.exists(), "该接待记录已关联群众意见，不能删除。")
    model_delete(instance=reception, actor=actor)


# Pairings ----------------------------------------------------------------------------------------------


def _check_deputy(actor: Any, deputy: Deputy | None) -> None:
    _require(deputy is not None, "请选择代表。")
    _require(selectors.may_edit_pairings(actor), "您的角色不能维护结对联系。")
    if actor.role == "deputy" and not actor.is_superuser:
        _require(deputy.pk == actor.deputy_id, "代表只能维护本人的结对联系户。")
    _require(Deputy.objects.filter(scopes.deputies_q(actor), pk=deputy.pk).exists(), "该代表不在您的管辖范围内。")


PAIRING_FIELDS = ("deputy", "household", "village", "members", "since", "ended_on", "notes")


def _pairing_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data.get(k) for k in PAIRING_FIELDS if k in data}
    fields["household"], fields["notes"] = _text(fields.get("household")), _text(fields.get("notes"))
    _require(bool(fields["household"]), "请填写联系户（户主姓名）。")
    _require((fields.get("members") or 0) >= 1, "家庭人口至少为1人。")
    _require(fields.get("since") is not None, "请填写结对日期。")
    _require(fields["since"] <= _today(), "结对日期不能晚于今天。")
    if fields.get("ended_on"):
        _require(fields["ended_on"] >= fields["since"], "结束日期不能早于结对日期。")
    village = fields.get("village")
    if village is not None:
        _require(len(village.code) == 12, "“所在村（社区）”请选择村或社区。")
    return fields


@transaction.atomic
def pairing_create(*, data: dict[str, Any], actor: Any) -> Pairing:
    _check_deputy(actor, data.get("deputy"))
    fields = _pairing_fields(data)
    pairing = Pairing.objects.create(**fields)
    record(actor=actor, action="pairing.create", obj=pairing, changes={k: [None, v] for k, v in fields.items()})
    return pairing


@transaction.atomic
def pairing_update(*, pairing: Pairing, data: dict[str, Any], actor: Any) -> Pairing:
    _check_deputy(actor, pairing.deputy)
    locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
    fields = _pairing_fields({**{k: getattr(locked, k) for k in PAIRING_FIELDS}, **data})
    _check_deputy(actor, fields["deputy"])
    changes = diff(locked, fields)
    for k, v in fields.items():
        setattr(locked, k, v)
    locked.save()
    record(actor=actor, action="pairing.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def pairing_contact_add(*, pairing: Pairing, data: dict[str, Any], actor: Any) -> PairingContact:
    """Log a contact with a paired household."""
    _check_deputy(actor, pairing.deputy)
    date, notes, way = data.get("date"), _text(data.get("notes")), data.get("way")
    _require(date is not None, "请填写联系日期。")
    _require(date <= _today(), "联系日期不能晚于今天。")
    _require(date >= pairing.since, "联系日期不能早于结对日期。")
    _require(way in ContactWay.values, "请选择联系方式。")
    _require(bool(notes), "请填写联系情况。")
    contact = PairingContact.objects.create(pairing=pairing, date=date, way=way, notes=notes, recorded_by=actor)
    record(
        actor=actor,
        action="pairingcontact.create",
        obj=contact,
        object_repr=f"{pairing}：{contact}",
        changes={"date": [None, date], "way": [None, way]},
    )
    return contact


# Model-deputy stories -----------------------------------------------------------------------------------

STORY_FIELDS = ("deputy", "title", "text", "figures")


def _story_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data.get(k) for k in STORY_FIELDS if k in data}
    fields["title"], fields["text"] = _text(fields.get("title")), _text(fields.get("text"))
    _require(fields.get("deputy") is not None, "请选择代表。")
    _require(bool(fields["title"]), "请填写标题。")
    _require(bool(fields["text"]), "请填写事迹。")
    figures = fields.get("figures") or []
    _require(
        all(isinstance(f, (list, tuple)) and len(f) == 2 and all(_text(x) for x in f) for f in figures),
        "数据每项应有名称和数值。",
    )
    fields["figures"] = [[_text(a), _text(b)] for a, b in figures]
    return fields


def _check_story(actor: Any, deputy: Deputy | None) -> None:
    _require(selectors.may_edit_stories(actor), "只有市、乡两级人大工作人员可以编写和发布代表典型。")
    _require(
        deputy is not None and Deputy.objects.filter(scopes.deputies_q(actor), pk=deputy.pk).exists(),
        "该代表不在您的管辖范围内。",
    )


@transaction.atomic
def story_create(*, data: dict[str, Any], actor: Any) -> ModelStory:
    _check_story(actor, data.get("deputy"))
    fields = _story_fields(data)
    story = ModelStory.objects.create(created_by=actor, **fields)
    record(actor=actor, action="modelstory.create", obj=story, changes={k: [None, v] for k, v in fields.items()})
    return story


@transaction.atomic
def story_update(*, story: ModelStory, data: dict[str, Any], actor: Any) -> ModelStory:
    _check_story(actor, story.deputy)
    locked = ModelStory.objects.select_for_update().get(pk=story.pk)
    fields = _story_fields({**{k: getattr(locked, k) for k in STORY_FIELDS}, **data})
    _check_story(actor, fields["deputy"])
    changes = diff(locked, fields)
    for k, v in fields.items():
        setattr(locked, k, v)
    locked.save()
    record(actor=actor, action="modelstory.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def story_publish(*, story: ModelStory, publish: bool, actor: Any) -> ModelStory:
    """Publish a story on the public page, or take it down."""
    _check_story(actor, story.deputy)
    locked = ModelStory.objects.select_for_update().get(pk=story.pk)
    before = locked.is_published
    locked.is_published = publish
    locked.published_at = (locked.published_at or timezone.now()) if publish else None
    locked.save()
    record(
        actor=actor,
        action="modelstory.publish" if publish else "modelstory.unpublish",
        obj=locked,
        changes={"is_published": [before, publish]},
    )
    return locked


def story_delete(*, story: ModelStory, actor: Any) -> None:
    _check_story(actor, story.deputy)
    model_delete(instance=story, actor=actor)
