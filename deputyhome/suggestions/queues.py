"""Work queues (待办): what each role has to do next with suggestions.

One definition serves the desks (代工委工作台, the unit's 收件箱, 督办看板, the deputy's 待办) and the
home page, which shows how many items wait in each queue and links to them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role
from deputyhome.organisation.selectors import township_congress_of

from . import selectors
from .choices import AssignmentStatus, ExtensionStatus, State
from .models import HANDLING_STATES, CoSigner, Evaluation, Suggestion

DUE_SOON_DAYS = 30
ACTIVE = HANDLING_STATES


@dataclass(frozen=True)
class Queue:
    key: str  # the section's anchor on its desk page
    title: str
    qs: QuerySet[Suggestion]
    empty: str
    urgent: bool = False  # shown in red on the home page when not empty


@dataclass(frozen=True)
class Desk:
    title: str
    url_name: str
    queues: list[Queue]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def _overdue(qs: QuerySet[Suggestion], today: datetime.date) -> Queue:
    return Queue(
        "overdue",
        "已逾期",
        qs.filter(selectors.overdue_q(today)).order_by("due_on"),
        "没有逾期未答复的建议。",
        urgent=True,
    )


def has_township_desk(user) -> bool:
    """A township officer whose township elects a congress (towns and townships; streets have none) runs
    that congress's suggestions."""
    return township_congress_of(user) is not None


def staff_queues(user, today: datetime.date) -> list[Queue]:
    """The desk of the user's congress: only the suggestions it runs (the city's reads a township's, no more)."""
    qs = selectors.suggestion_list(user=user).filter(scopes.suggestions_managed_q(user))
    return [
        Queue("screen", "待审查", qs.filter(state=State.SUBMITTED).order_by("submitted_at"), "没有待审查的建议。"),
        Queue(
            "assign",
            "待交办（含单位申请退回）",
            qs.filter(state=State.REGISTERED, merged_into__isnull=True).order_by("number"),
            "没有待交办的建议。",
        ),
        Queue("review", "待审核答复", qs.filter(state=State.REPLIED).order_by("replied_on"), "没有待审核的答复。"),
        Queue(
            "extensions",
            "延期申请待审批",
            qs.filter(extensions__status=ExtensionStatus.PENDING).distinct().order_by("due_on"),
            "没有待审批的延期申请。",
        ),
        _overdue(qs, today),
        forwards_queue(user),
    ]


def forwards_queue(user) -> Queue:
    """Matters townships forwarded to city units, still waiting for the answer: the township's desk follows its
    own, the city's desk reads them all (read-only)."""
    qs = selectors.suggestion_list(user=user).filter(Exists(selectors.pending_forwards()))
    title = "乡镇转来事项" if user.role == Role.CITY_OFFICER else "转请市级办理待答复"
    return Queue(
        "forwards", title, selectors.with_forward_due(qs).order_by("forward_due_on", "pk"), "没有待答复的转办事项。"
    )


def unit_queues(user, today: datetime.date) -> list[Queue]:
    qs = selectors.suggestion_list(user=user)
    mine = qs.filter(assignments__unit_id=user.unit_id, assignments__status=AssignmentStatus.ACTIVE).distinct()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    forwarded = qs.filter(Exists(selectors.pending_forwards(user.unit_id)))
    return [
        Queue(
            "new", "新交办（待签收）", mine.filter(state=State.ASSIGNED).order_by("assigned_on"), "没有新交办的建议。"
        ),
        Queue(
            "soon",
            f"即将到期（{DUE_SOON_DAYS}天内）",
            mine.filter(state__in=ACTIVE, due_on__gte=today, due_on__lte=soon).order_by("due_on"),
            "没有即将到期的建议。",
        ),
        Queue(
            "forwarded",
            "乡镇转来待答复",
            selectors.with_forward_due(forwarded, user.unit_id).order_by("forward_due_on", "pk"),
            "没有乡镇转来待答复的事项。",
        ),
        Queue(
            "overdue",
            "已逾期",
            # Overdue assignments, and matters townships forwarded here past their own due date.
            selectors.with_forward_due(qs, user.unit_id)
            .filter(pk__in=selectors.unit_overdue_ids(user.unit_id, today))
            .order_by(Coalesce("forward_due_on", "due_on"), "pk"),
            "没有逾期的建议。",
            urgent=True,
        ),
        Queue(
            "handling",
            "办理中",
            mine.filter(state__in=[State.HANDLING, State.REHANDLING]).order_by("due_on"),
            "没有办理中的建议。",
        ),
        Queue(
            "sent_back",
            "答复被退回",
            mine.filter(state=State.HANDLING, replies__review_status="sent_back").distinct().order_by("due_on"),
            "没有被退回的答复。",
            urgent=True,
        ),
        Queue(
            "returned",
            "已申请退回（交办有误）",
            qs.filter(assignments__unit_id=user.unit_id, assignments__status=AssignmentStatus.RETURNED).distinct(),
            "没有申请退回的建议。",
        ),
    ]


def board_queues(user, today: datetime.date) -> list[Queue]:
    qs = selectors.suggestion_list(user=user)
    return [
        Queue(
            "key",
            "重点督办",
            qs.filter(is_key=True).exclude(state=State.CLOSED).order_by("due_on"),
            "没有在办的重点督办件。",
        ),
        _overdue(qs, today),
        Queue("rehandling", "重新办理", qs.filter(state=State.REHANDLING).order_by("due_on"), "没有重新办理的建议。"),
        Queue(
            "follow_up",
            "跟踪落实到期（B、C类）",
            qs.filter(state=State.CLOSED, follow_up_on__lte=today).order_by("follow_up_on"),
            "没有到期的跟踪落实事项。",
        ),
    ]


def deputy_queues(user, today: datetime.date) -> list[Queue]:
    """What the deputy has to do: evaluate replies, confirm co-signatures, revise returned drafts."""
    me = user.deputy_id
    qs = selectors.suggestion_list(user=user)
    confirmed = CoSigner.objects.filter(suggestion=OuterRef("pk"), deputy_id=me, confirmed_at__isnull=False)
    unconfirmed = CoSigner.objects.filter(suggestion=OuterRef("pk"), deputy_id=me, confirmed_at__isnull=True)
    evaluated = Evaluation.objects.filter(suggestion=OuterRef("pk"), deputy_id=me, round=OuterRef("round"))
    return [
        Queue(
            "evaluate",
            "答复待我评价",
            qs.filter(state=State.AWAITING_EVALUATION)
            .filter(Q(author_id=me) | Q(Exists(confirmed)))
            .exclude(Exists(evaluated))
            .order_by("evaluation_due_on", "pk"),
            "没有待您评价的答复。",
            urgent=True,
        ),
        Queue(
            "cosign",
            "待我确认联名",
            qs.filter(state__in=[State.SUBMITTED, State.RETURNED]).filter(Exists(unconfirmed)).order_by("submitted_at"),
            "没有待您确认的联名建议。",
        ),
        Queue(
            "returned",
            "被退回待修改",
            qs.filter(author_id=me, state=State.RETURNED).order_by("-updated_at"),
            "没有被退回的建议。",
            urgent=True,
        ),
        Queue("drafts", "草稿未提交", qs.filter(author_id=me, state=State.DRAFT).order_by("-updated_at"), "没有草稿。"),
    ]


def desk_for(user, today: datetime.date) -> Desk | None:
    """The user's suggestion desk, or None for roles without one."""
    if user.role == Role.CITY_OFFICER:
        return Desk("代工委工作台", "suggestions:desk", staff_queues(user, today))
    if has_township_desk(user):
        return Desk(f"{user.region}人大建议工作台", "suggestions:desk", staff_queues(user, today))
    if selectors.is_unit_user(user):
        return Desk(f"{user.unit}收件箱", "suggestions:inbox", unit_queues(user, today))
    if user.role in (Role.SUPERVISOR, Role.LEADER):
        return Desk("督办看板", "suggestions:board", board_queues(user, today))
    if user.deputy_id:
        return deputy_desk(user, today)
    return None


def deputy_desk(user, today: datetime.date) -> Desk:
    return Desk("我的建议待办", "suggestions:todo", deputy_queues(user, today))
