"""Work queues (待办): what each role has to do next with suggestions.

One definition serves the desks (代工委工作台, the unit's 收件箱, 督办看板, the deputy's 待办) and the
home page, which shows how many items wait in each queue and links to them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import CharField, Count, DateField, Exists, F, OuterRef, Q, QuerySet, Value, Window
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.urls import reverse

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role, ScopeKind
from deputyhome.organisation.selectors import township_congress_of

from . import selectors
from .choices import AssignmentStatus, ExtensionStatus, ForwardStatus, ReviewStatus, State
from .models import HANDLING_STATES, Assignment, CoSigner, Evaluation, Extension, Forward, Reply, Suggestion

DUE_SOON_DAYS = 30
ACTIVE = HANDLING_STATES


@dataclass(frozen=True)
class Queue:
    """One work queue of a desk: the desk's suggestions that meet `when`, listed in `order` (ending with the id, so
    that the first rows shown are always the same)."""

    key: str  # the section's anchor on its desk page
    title: str
    when: Q
    order: tuple[Any, ...]
    empty: str
    urgent: bool = False  # shown in red on the home page when not empty
    forward_due: bool = False  # listed with the first pending forward's due date and unit
    forwards: bool = False  # the desk's queue of every pending forward it reads (none: no forward dates to list)


@dataclass(frozen=True)
class Desk:
    """A role's queues over one set of suggestions in the user's scope (`base`, from `selectors.suggestion_list`).

    The home page counts the queues (`counts`); the desk page lists the first rows of those that hold something
    (`first_rows`; `rows`: a queue's whole query).
    `forward_unit`: the unit whose forwards the listed due dates are (None: any); `city_wide`: `base` is every
    suggestion (a city-wide user's)."""

    title: str
    url_name: str
    base: QuerySet[Suggestion]
    queues: list[Queue]
    forward_unit: int | None = None
    city_wide: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def rows(self, queue: Queue, counts: dict[str, int] | None = None) -> QuerySet[Suggestion]:
        """The queue's suggestions in its order. Given the desk's `counts`, a desk whose queue of pending forwards
        holds none lists no forward dates (known to be empty) instead of looking them up for every row."""
        qs = self.base.filter(queue.when)
        if queue.forward_due and counts is not None and not any(counts[q.key] for q in self.queues if q.forwards):
            qs = qs.annotate(**NO_FORWARD)
        elif queue.forward_due:
            qs = selectors.with_forward_due(qs, self.forward_unit)
        return qs.order_by(*queue.order)

    def counts(self) -> dict[str, int]:
        """How many suggestions wait in each queue. A scoped desk's suggestions (a township's, a unit's, a
        deputy's: tens to hundreds) are read once through the scope's union and counted with a COUNT ... FILTER
        per queue, in one query. A city-wide desk's are every suggestion of the province: one pass would read
        them all, so each queue is counted on its own, along its index (the state's, the due dates')."""
        base = self.base.select_related(None).prefetch_related(None).order_by()
        if self.city_wide:
            return {q.key: base.filter(q.when).count() for q in self.queues}
        return base.aggregate(**{q.key: Count("pk", filter=q.when) for q in self.queues})

    def queue(self, key: str) -> Queue:
        return next(q for q in self.queues if q.key == key)

    def first_rows(self, counts: dict[str, int], limit: int) -> dict[str, list[dict[str, Any]]]:
        """The first `limit` rows (`ROW_FIELDS`) of each queue that holds something by the desk's `counts`, each
        with its `position` in its queue. Where the database allows LIMIT inside a compound query (PostgreSQL) in
        one query, a UNION ALL of the queues' pages; elsewhere one query a queue."""
        pages = [self._page(q, counts, limit) for q in self.queues if counts[q.key]]
        if len(pages) > 1 and connection.features.supports_slicing_ordering_in_compound:
            rows = list(pages[0].union(*pages[1:], all=True))
        else:
            rows = [row for page in pages for row in page]
        out: dict[str, list[dict[str, Any]]] = {}
        for row in sorted(rows, key=itemgetter("position")):  # a UNION ALL does not promise its parts' order
            out.setdefault(row["queue"], []).append(row)
        return out

    def _page(self, queue: Queue, counts: dict[str, int], limit: int) -> QuerySet:
        qs = self.rows(queue, counts).select_related(None).prefetch_related(None)
        if not queue.forward_due:  # the same columns in every part
            qs = qs.annotate(**NO_FORWARD)
        position = Window(RowNumber(), order_by=[_ordering(o) for o in queue.order])
        qs = qs.annotate(author_name=F("author__name"), queue=Value(queue.key, CharField()), position=position)
        return qs.values(*ROW_FIELDS, "queue", "position")[:limit]


# No forward listed: typed, since PostgreSQL takes two parts' untyped NULLs in a UNION for text.
NO_FORWARD = {"forward_due_on": Cast(Value(None), DateField()), "forward_unit": Cast(Value(None), CharField())}
# What a desk's table shows of a suggestion. Of the author only the name: a deputy's row carries numbers kept
# encrypted, which every row would decrypt.
ROW_FIELDS = (
    *("pk", "number", "title", "is_key", "state", "round", "due_on", "follow_up_on", "author_name"),
    *("forward_due_on", "forward_unit"),
)


def _ordering(order: Any) -> Any:
    """An `order_by` item ("field", "-field", an expression) as an ordering expression (for a window)."""
    if isinstance(order, str):
        return F(order[1:]).desc() if order.startswith("-") else F(order).asc()
    return order.asc()


def _overdue(when: Q, today: datetime.date) -> Queue:
    return Queue(
        "overdue", "已逾期", when & selectors.overdue_q(today), ("due_on", "pk"), "没有逾期未答复的建议。", True
    )


def has_township_desk(user) -> bool:
    """A township officer whose township elects a congress (towns and townships; streets have none) runs
    that congress's suggestions."""
    return township_congress_of(user) is not None


def staff_queues(user, today: datetime.date) -> list[Queue]:
    """The desk of the user's congress: only the suggestions it runs (the city's reads a township's, no more);
    the forwards to city units of every suggestion in scope."""
    managed = scopes.suggestions_managed_q(user)
    extending = Extension.objects.filter(status=ExtensionStatus.PENDING).values("suggestion_id")
    return [
        Queue("screen", "待审查", managed & Q(state=State.SUBMITTED), ("submitted_at", "pk"), "没有待审查的建议。"),
        Queue(
            "assign",
            "待交办（含单位申请退回）",
            managed & Q(state=State.REGISTERED, merged_into__isnull=True),
            ("number", "pk"),
            "没有待交办的建议。",
        ),
        Queue("review", "待审核答复", managed & Q(state=State.REPLIED), ("replied_on", "pk"), "没有待审核的答复。"),
        Queue(
            "extensions", "延期申请待审批", managed & Q(pk__in=extending), ("due_on", "pk"), "没有待审批的延期申请。"
        ),
        _overdue(managed, today),
        forwards_queue(user),
    ]


def forwards_queue(user) -> Queue:
    """Matters townships forwarded to city units, still waiting for the answer: the township's desk follows its
    own, the city's desk reads them all (read-only)."""
    title = "乡镇转来事项" if user.role == Role.CITY_OFFICER else "转请市级办理待答复"
    pending = Forward.objects.filter(status=ForwardStatus.PENDING).values("suggestion_id")
    return Queue(
        "forwards",
        title,
        Q(pk__in=pending),
        ("forward_due_on", "pk"),
        "没有待答复的转办事项。",
        forward_due=True,
        forwards=True,
    )


def unit_queues(user, today: datetime.date) -> list[Queue]:
    unit = user.unit_id
    mine = Q(pk__in=Assignment.objects.filter(unit_id=unit, status=AssignmentStatus.ACTIVE).values("suggestion_id"))
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    forwarded = Forward.objects.filter(unit_id=unit, status=ForwardStatus.PENDING).values("suggestion_id")
    returned = Assignment.objects.filter(unit_id=unit, status=AssignmentStatus.RETURNED).values("suggestion_id")
    sent_back = Reply.objects.filter(suggestion=OuterRef("pk"), review_status=ReviewStatus.SENT_BACK)
    return [
        Queue("new", "新交办（待签收）", Q(state=State.ASSIGNED) & mine, ("assigned_on", "pk"), "没有新交办的建议。"),
        Queue(
            "soon",
            f"即将到期（{DUE_SOON_DAYS}天内）",
            Q(state__in=ACTIVE, due_on__gte=today, due_on__lte=soon) & mine,
            ("due_on", "pk"),
            "没有即将到期的建议。",
        ),
        Queue(
            "forwarded",
            "乡镇转来待答复",
            Q(pk__in=forwarded),
            ("forward_due_on", "pk"),
            "没有乡镇转来待答复的事项。",
            forward_due=True,
            forwards=True,
        ),
        Queue(
            "overdue",
            "已逾期",
            # Overdue assignments, and matters townships forwarded here past their own due date.
            Q(pk__in=selectors.unit_overdue_ids(unit, today)),
            (Coalesce("forward_due_on", "due_on"), "pk"),
            "没有逾期的建议。",
            urgent=True,
            forward_due=True,
        ),
        Queue(
            "handling",
            "办理中",
            Q(state__in=[State.HANDLING, State.REHANDLING]) & mine,
            ("due_on", "pk"),
            "没有办理中的建议。",
        ),
        Queue(
            "sent_back",
            "答复被退回",
            # The state first: the database looks for a sent-back reply only for a suggestion being handled.
            Q(state=State.HANDLING) & mine & Q(Exists(sent_back)),
            ("due_on", "pk"),
            "没有被退回的答复。",
            urgent=True,
        ),
        Queue(
            "returned",
            "已申请退回（交办有误）",
            Q(pk__in=returned),
            tuple(Suggestion._meta.ordering),
            "没有申请退回的建议。",
        ),
    ]


def board_queues(user, today: datetime.date) -> list[Queue]:
    return [
        Queue("key", "重点督办", Q(is_key=True) & ~Q(state=State.CLOSED), ("due_on", "pk"), "没有在办的重点督办件。"),
        _overdue(Q(), today),
        Queue("rehandling", "重新办理", Q(state=State.REHANDLING), ("due_on", "pk"), "没有重新办理的建议。"),
        Queue(
            "follow_up",
            "跟踪落实到期（B、C类）",
            Q(state=State.CLOSED, follow_up_on__lte=today),
            ("follow_up_on", "pk"),
            "没有到期的跟踪落实事项。",
        ),
    ]


def deputy_queues(user, today: datetime.date) -> list[Queue]:
    """What the deputy has to do: evaluate replies, confirm co-signatures, revise returned drafts."""
    me = user.deputy_id
    confirmed = CoSigner.objects.filter(suggestion=OuterRef("pk"), deputy_id=me, confirmed_at__isnull=False)
    unconfirmed = CoSigner.objects.filter(suggestion=OuterRef("pk"), deputy_id=me, confirmed_at__isnull=True)
    evaluated = Evaluation.objects.filter(suggestion=OuterRef("pk"), deputy_id=me, round=OuterRef("round"))
    return [
        Queue(
            "evaluate",
            "答复待我评价",
            Q(state=State.AWAITING_EVALUATION) & (Q(author_id=me) | Q(Exists(confirmed))) & ~Q(Exists(evaluated)),
            ("evaluation_due_on", "pk"),
            "没有待您评价的答复。",
            urgent=True,
        ),
        Queue(
            "cosign",
            "待我确认联名",
            Q(state__in=[State.SUBMITTED, State.RETURNED]) & Q(Exists(unconfirmed)),
            ("submitted_at", "pk"),
            "没有待您确认的联名建议。",
        ),
        Queue(
            "returned",
            "被退回待修改",
            Q(author_id=me, state=State.RETURNED),
            ("-updated_at", "pk"),
            "没有被退回的建议。",
            urgent=True,
        ),
        Queue("drafts", "草稿未提交", Q(author_id=me, state=State.DRAFT), ("-updated_at", "pk"), "没有草稿。"),
    ]


def _desk_kind(user) -> tuple[str, str, Callable[[Any, datetime.date], list[Queue]]] | None:
    """The title, page and queues of the user's desk, or None for roles without one."""
    if user.role == Role.CITY_OFFICER:
        return "代工委工作台", "suggestions:desk", staff_queues
    if has_township_desk(user):
        return f"{user.region}人大建议工作台", "suggestions:desk", staff_queues
    if selectors.is_unit_user(user):
        return f"{user.unit}收件箱", "suggestions:inbox", unit_queues
    if user.role in (Role.SUPERVISOR, Role.LEADER):
        return "督办看板", "suggestions:board", board_queues
    if user.deputy_id:
        return "我的建议待办", "suggestions:todo", deputy_queues
    return None


def desk_for(user, today: datetime.date) -> Desk | None:
    """The user's suggestion desk, or None for roles without one."""
    kind = _desk_kind(user)
    if kind is None:
        return None
    title, url_name, queues = kind
    unit = user.unit_id if queues is unit_queues else None
    base = _base(user, drafts=queues is deputy_queues)
    return Desk(title, url_name, base, queues(user, today), unit, _city_wide(user))


def _base(user, *, drafts: bool = False) -> QuerySet[Suggestion]:
    """The suggestions a desk's queues draw from: the user's, without drafts (the deputy's desk lists their own)."""
    return selectors.suggestion_list(user=user, drafts=drafts)


def _city_wide(user) -> bool:
    return user.scope_kind == ScopeKind.CITY


@dataclass(frozen=True)
class DeskLink:
    title: str
    url: str


def desk_link(user, today: datetime.date) -> DeskLink | None:
    """The title and address of the user's desk (the home page's button), without building its queues."""
    kind = _desk_kind(user)
    return DeskLink(kind[0], reverse(kind[1])) if kind else None


def board_desk(user, today: datetime.date) -> Desk:
    return Desk("督办看板", "suggestions:board", _base(user), board_queues(user, today), city_wide=_city_wide(user))


def deputy_desk(user, today: datetime.date) -> Desk:
    return Desk("我的建议待办", "suggestions:todo", _base(user, drafts=True), deputy_queues(user, today))
