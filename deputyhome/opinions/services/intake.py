"""Opinions coming in: from a citizen on a public page (no account), or taken down by staff or a
deputy at a reception or visit.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from deputyhome.audit.services import record
from deputyhome.deputies.models import Deputy
from deputyhome.deputies.validators import id_number_problem, normalise_phone, validate_phone
from deputyhome.organisation.models import Station

from .. import codes, notices, selectors, throttle
from ..choices import Channel
from ..models import Opinion, Reception
from .common import (
    MAX_CONTENT,
    add_event,
    clean_text,
    local_today,
    require,
    station_of_deputy,
    township_of,
)

PUBLIC_ACTOR = "群众（扫码留言）"


def _contains_id_number(text: str) -> bool:
    for candidate in re.findall(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])", text):
        if id_number_problem(candidate.upper()) is None:
            return True
    return False


def _clean_contact(data: dict[str, Any]) -> tuple[str, str, str]:
    content, name = clean_text(data.get("content")), clean_text(data.get("name"))
    phone = normalise_phone(clean_text(data.get("phone")))
    require(bool(content), "请填写您要反映的内容。", "content")
    require(len(content) <= MAX_CONTENT, f"反映内容不能超过{MAX_CONTENT}字。", "content")
    require(len(name) <= 30, "姓名不能超过30字。", "name")
    require(
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
    require(station is not None or deputy is not None, "请从代表之家、联络站或代表的页面留言。")
    content, name, phone = _clean_contact(data)
    version = clean_text(data.get("privacy_version")) or notices.CURRENT_VERSION
    require(bool(data.get("consent")), "请阅读并同意《个人信息保护告知》后再提交。", "consent")
    require(version in notices.NOTICES, "隐私告知版本无效，请刷新页面后重新提交。")
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
    add_event(opinion, "submit", PUBLIC_ACTOR)
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


@transaction.atomic
def opinion_record(*, data: dict[str, Any], actor: Any) -> Opinion:
    """An opinion taken down by staff or a deputy at a reception or visit (no consent form: given in person).

    data: station and/or deputy, channel, content, name, phone, reception, received_on.
    """
    require(selectors.may_triage(actor), "您的角色不能录入群众意见。")
    station, deputy, reception = data.get("station"), data.get("deputy"), data.get("reception")
    if reception is not None:
        station = station or reception.station
    require(station is not None or deputy is not None, "请选择意见反映到的家站或代表。")
    content, name, phone = _clean_contact(data)
    channel = data.get("channel") or Channel.RECEPTION
    require(channel in Channel.values, "请选择意见来源。")
    received_on = data.get("received_on") or (reception.date if reception else local_today())
    require(received_on <= local_today(), "收到日期不能晚于今天。")
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
    require(
        selectors.opinion_list(user=actor).filter(pk=opinion.pk).exists(),
        "所选家站或代表不在您的管辖范围内。",
    )
    if reception is not None:
        Reception.objects.filter(pk=reception.pk).update(opinion_count=F("opinion_count") + 1)
    add_event(opinion, "record", actor, Channel(channel).label)
    record(
        actor=actor,
        action="opinion.record",
        obj=opinion,
        changes={"station": [None, station], "deputy": [None, deputy], "channel": [None, channel]},
    )
    return opinion
