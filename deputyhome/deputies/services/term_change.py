"""换届: a congress's term ends and the next one begins.

A deputy's term runs from the first meeting of their congress to the first meeting of the next one (代表法 第四条
and 地方组织法). On the day the new congress first meets, the old one stops being the current one (`is_current`),
its end is recorded (the day before), and every mandate still held in it ends that day with the reason 任期届满.
A deputy who then holds no mandate at all also leaves their group that day: the groups are formed again from the new
term's roster (the roster import adds the new mandates and the groups). A deputy who still sits in another congress
(a township deputy whose city term ended) keeps their group.

Their logins (a deputy's, a group leader's) stay as they are: accounts are the system administrator's (三员分立), who
is told how many to review and finds them in the user register (代表本人已离任).

The new congress is registered with its term, name and first day; if the committee registered it already (to
arrange its first session), that record becomes the current one. Everything is one transaction with one audit row
for each congress and one for the mandates and memberships ended (`record_batch`), whatever their number; that row
(on the new congress) keeps what the two congresses were, so that a change made by mistake can be undone
(`term_undo`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, QuerySet, Value, When
from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.audit.models import AuditEvent
from deputyhome.audit.services import BatchItem, record_batch
from deputyhome.core.services import model_create, model_update
from deputyhome.organisation.models import Congress

from ..choices import MandateEndReason, MandateStatus
from ..models import GroupMembership, Mandate
from .register import ask_account_review, memberships_past, seats_after

NUMERALS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 21 → 二十一 (a term's number, up to 99)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else NUMERALS[tens]) + "十" if tens else ""
    return text + (NUMERALS[ones] if ones else "")


def next_name(congress: Congress, term: int) -> str:
    """The old name with its term's number changed (恩施市第十一届人民代表大会 → 恩施市第十二届人民代表大会)."""
    for old in (f"第{chinese_number(congress.term)}届", f"第{congress.term}届"):
        if old in congress.name:
            return congress.name.replace(old, f"第{chinese_number(term)}届", 1)
    return ""


@dataclass(frozen=True)
class TermChange:
    """What a term change would do: the old term's last day, the mandates it ends and the deputies leaving their
    groups (their numbers), and the new congress already registered, if any."""

    congress: Congress
    term: int
    name: str
    start_date: datetime.date
    last_day: datetime.date
    mandates: int
    leaving: int
    accounts: int  # enabled logins of deputies leaving (a group leader's, a deputy's), for the administrators to review
    existing: Congress | None


def _held(congress: Congress) -> QuerySet[Mandate]:
    return Mandate.objects.filter(congress=congress, status=MandateStatus.ACTIVE)


def _departing(congress: Congress, last_day: datetime.date) -> QuerySet[Mandate]:
    """The mandates in `congress` of the deputies who hold no other mandate after `last_day` (their "deputy")."""
    elsewhere = seats_after(last_day).filter(deputy=OuterRef("deputy")).exclude(congress=congress)
    return _held(congress).exclude(Exists(elsewhere))


def _leaving(congress: Congress, last_day: datetime.date) -> QuerySet[GroupMembership]:
    """The group memberships running past `last_day` of the deputies leaving (`_departing`)."""
    return memberships_past(last_day).filter(deputy__in=_departing(congress, last_day).values("deputy"))


def term_change_plan(*, congress: Congress, data: dict[str, Any]) -> TermChange:
    """Check a term change of `congress` to `data` (term, name, start_date) and say what it would do; raises a
    ValidationError, in Chinese and by field, on what is wrong."""
    term, name, start = data["term"], (data.get("name") or "").strip(), data["start_date"]
    if not congress.is_current:
        raise ValidationError(f"{congress.name}已不是本届人民代表大会，不能再办理换届。")
    errors: dict[str, str] = {}
    if term <= congress.term:
        errors["term"] = f"新一届的届次须大于第{congress.term}届。"
    if start > timezone.localdate():
        errors["start_date"] = "换届在新一届人民代表大会第一次会议开幕后办理：开幕日期不能晚于今天。"
    elif congress.start_date and start <= congress.start_date:
        errors["start_date"] = f"须晚于本届开始日期（{congress.start_date:%Y-%m-%d}）。"
    if errors:
        raise ValidationError(errors)
    last_day = start - datetime.timedelta(days=1)
    late = _held(congress).filter(start_date__gt=last_day).select_related("deputy").order_by("deputy__name")
    if late.exists():
        names = "、".join(m.deputy.name for m in late[:5])
        raise ValidationError(
            {
                "start_date": f"{late.count()}名代表（{names}）的任期开始日期不早于此日期：请先更正其代表资格，或核对开幕日期。"
            }
        )
    existing = Congress.objects.filter(level=congress.level, term=term, region=congress.region_id).first()
    name = name or (existing.name if existing else next_name(congress, term))
    if not name:
        raise ValidationError({"name": "请填写新一届人民代表大会的名称。"})
    taken = Congress.objects.filter(name=name).exclude(pk=existing.pk if existing else None)
    if taken.exists():
        raise ValidationError({"name": f"名称“{name}”已被其他人民代表大会使用。"})
    return TermChange(
        congress=congress,
        term=term,
        name=name,
        start_date=start,
        last_day=last_day,
        mandates=_held(congress).count(),
        leaving=_leaving(congress, last_day).values("deputy").distinct().count(),
        accounts=User.objects.filter(
            deputy__in=_departing(congress, last_day).values("deputy"), is_active=True
        ).count(),
        existing=existing,
    )


def _day(day: datetime.date | None) -> str | None:
    return str(day) if day else None


@transaction.atomic
def term_change(*, congress: Congress, data: dict[str, Any], actor: Any) -> Congress:
    """End `congress`'s term and make the next one current (module docstring); returns the new congress."""
    congress = Congress.objects.select_for_update().get(pk=congress.pk)
    plan = term_change_plan(congress=congress, data=data)
    last_day, now = plan.last_day, timezone.now()

    # The memberships first: which deputies leave is read from the mandates still held. One UPDATE each, the same
    # values for every row (a mandate ending earlier keeps its end): 700 rows of a province's congress in one go.
    leaving = list(_leaving(congress, last_day).select_related("deputy", "group"))
    GroupMembership.objects.filter(pk__in=[m.pk for m in leaving]).update(end_date=last_day, updated_at=now)
    ended = list(_held(congress).select_related("deputy", "congress").order_by("pk"))
    _held(congress).update(
        status=MandateStatus.ENDED,
        end_reason=MandateEndReason.TERM_END,
        end_date=Case(When(end_date__lt=last_day, then=F("end_date")), default=Value(last_day)),
        updated_at=now,
    )
    items = [
        BatchItem(
            m,
            {
                "status": [m.status, MandateStatus.ENDED],
                "end_date": [_day(m.end_date), _day(min(m.end_date or last_day, last_day))],
                "end_reason": [m.end_reason, MandateEndReason.TERM_END],
            },
        )
        for m in ended
    ]
    items += [
        BatchItem(m, {"end_date": [_day(m.end_date), str(last_day)], "reason": [None, "任期届满，不再担任代表"]})
        for m in leaving
    ]

    # What the two congresses were, for 撤销换届 (`term_undo`).
    undo = {
        "congress": congress.pk,
        "congress_end_date": _day(congress.end_date),
        "next_created": plan.existing is None,
    }
    model_update(instance=congress, data={"is_current": False, "end_date": last_day}, actor=actor)
    new_data = {"name": plan.name, "start_date": plan.start_date, "end_date": None, "is_current": True}
    if plan.existing is not None:
        e = plan.existing
        undo["next_before"] = {
            "name": e.name,
            "start_date": _day(e.start_date),
            "end_date": _day(e.end_date),
            "is_current": e.is_current,
        }
        new = model_update(instance=plan.existing, data=new_data, actor=actor)
    else:
        new = model_create(
            model=Congress,
            data={"level": congress.level, "term": plan.term, "region": congress.region, **new_data},
            actor=actor,
        )
    event = record_batch(
        actor=actor,
        action="congress.term_change",
        object_type="organisation.congress",
        object_id=str(new.pk),
        object_repr=f"{congress.name} → {new.name}"[:255],
        items=items,
        changes={
            "last_day": str(last_day),
            "mandates_ended": len(ended),
            "memberships_ended": len(leaving),
            **undo,
        },
        detail=f"换届：{congress.name}于{last_day:%Y-%m-%d}届满，终止代表资格{len(ended)}个，"
        f"{len({m.deputy_id for m in leaving})}名代表退出代表小组；{new.name}自{plan.start_date:%Y-%m-%d}起为本届",
    )
    if plan.accounts:
        ask_account_review(
            accounts=plan.accounts,
            why=f"{congress.name}于{last_day:%Y-%m-%d}届满（换届）",
            key=review_key(event),
        )
    return new


def review_key(event: AuditEvent) -> str:
    """The key of the account review a term change asks for: its own (a change undone and made again asks again)."""
    return f"term_change:{event.pk}"
