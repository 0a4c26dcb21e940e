"""Scoped reads of suggestions. A handling unit sees what is assigned to it; a deputy their own and
co-signed ones; a township officer those of their township's deputies; drafts stay with their author.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import BooleanField, Model, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.db.models.expressions import RawSQL

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role
from deputyhome.core.models import active_on
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Congress, Session

from .choices import AssignmentStatus, ForwardStatus, State, UnitRole
from .models import (
    Assignment,
    Attachment,
    Category,
    CoSigner,
    Evaluation,
    Extension,
    Forward,
    Reply,
    Suggestion,
    SupervisionRecord,
)

if TYPE_CHECKING:
    from deputyhome.accounts.models import User


def suggestion_list(*, user: User, forwarded: bool = True, drafts: bool = True) -> QuerySet[Suggestion]:
    """Everything in scope, with a draft visible only to its author and to whoever entered it; `forwarded=False`:
    without those a unit's clerk sees only because a township forwarded a matter to their unit; `drafts=False`:
    without any draft (the desks of the staff, the units and the supervisors hold none: one union fewer)."""
    cond = scopes.suggestions_q(user, forwarded)
    if not drafts:
        return Suggestion.objects.filter(cond).exclude(state=State.DRAFT)
    all_drafts = Suggestion.objects.filter(state=State.DRAFT).order_by()
    own_drafts = [all_drafts.filter(created_by_id=user.pk).values("pk")]
    if user.deputy_id:
        own_drafts.append(all_drafts.filter(author_id=user.deputy_id).values("pk"))
    if cond:
        # A scoped user: one IN over a union of id lists, each read through its index. "In scope and not a
        # draft, OR an own draft" kept the database from using them and read every suggestion (decision 84).
        visible = Suggestion.objects.filter(cond).exclude(state=State.DRAFT).order_by().values("pk")
        where = Q(pk__in=visible.union(*own_drafts))
    else:
        where = ~Q(state=State.DRAFT) | Q(state=State.DRAFT, created_by_id=user.pk)
        if user.deputy_id:
            where |= Q(state=State.DRAFT, author_id=user.deputy_id)
    lead = Assignment.objects.filter(status=AssignmentStatus.ACTIVE, role=UnitRole.LEAD).select_related("unit")
    return (
        Suggestion.objects.filter(where)
        .select_related("author", "category", "session", "region", "result_class", "congress__region")
        .prefetch_related(Prefetch("assignments", queryset=lead, to_attr="lead_assignments"))
    )


def as_table_rows(qs: QuerySet[Suggestion], *related: str) -> QuerySet[Suggestion]:
    """`qs` (from `suggestion_list`) for a table of suggestions: only the `related` objects its columns show,
    without the long texts. Planning the list's eight-table join costs more than running it, and every row
    would carry the texts."""
    return qs.select_related(None).select_related(*related).defer(*LONG_TEXTS)


LONG_TEXTS = ("situation", "reasons", "proposals", "requirements", "return_note")


DETAIL_RELATED = ("author", "congress__region", "session", "category", "result_class")
# What a suggestion's page lists besides its course (the events, which every suggestion has), each read only when the
# suggestion's row says it has some (`has_<name>`): a suggestion being handled has no reply or evaluation yet, most
# have no attachment, extension or supervision record.
DETAIL_ROWS = {
    "cosigners": CoSigner.objects.select_related("deputy"),
    "assignments": Assignment.objects.select_related("unit"),
    "replies": Reply.objects.select_related("result_class", "unit"),
    "evaluations": Evaluation.objects.select_related("deputy"),
    "attachments": Attachment.objects.all(),
    "extensions": Extension.objects.all(),
    "supervision_records": SupervisionRecord.objects.all(),
    "merged": Suggestion.objects.all(),  # the suggestions merged into this one
}
# Also flagged, read on demand: the forwards (`forwards_of`), the consultations (one step asks), and what the apps
# above add to the page (`flag_rows`).
FLAGGED = [*DETAIL_ROWS, "forwards", "consultations"]


def flag_rows(name: str) -> None:
    """Have `suggestion_detail` say whether a suggestion has rows of the reverse relation `name` (`has_rows`): for an
    app above whose part of the page (where the suggestion came from) reads nothing for most suggestions."""
    if name not in FLAGGED:
        FLAGGED.append(name)


def _has(name: str) -> RawSQL:
    """EXISTS (a row of the reverse relation `name` points at the suggestion), for the query of one suggestion, whose
    table keeps its name as its alias. Written out from the models' tables and columns: an `Exists` of a queryset
    doubled the time of the query, nine of them."""
    rel = Suggestion._meta.get_field(name)
    q = connection.ops.quote_name
    table, column, outer = rel.related_model._meta.db_table, rel.field.column, Suggestion._meta.db_table
    sql = f"EXISTS (SELECT 1 FROM {q(table)} x WHERE x.{q(column)} = {q(outer)}.{q('id')})"  # noqa: S608 - names, no input
    return RawSQL(sql, (), BooleanField())  # noqa: S611 - the models' own table and column names


def suggestion_detail(*, user: User, pk: int) -> Suggestion:
    """One suggestion in the user's scope with what its page shows: each kind of row one query however many there
    are, and none for a kind the suggestion has none of (its row says which it has: `has_<name>`, an EXISTS each).
    A suggestion being handled reads its timeline and its assignments; a closed one its replies and evaluations too."""
    s = (
        suggestion_list(user=user)
        .select_related(None)
        .select_related(*DETAIL_RELATED)
        .prefetch_related(None)
        .annotate(**{f"has_{name}": _has(name) for name in FLAGGED})
        .get(pk=pk)
    )
    prefetch_related_objects([s], "events", *(Prefetch(n, qs) for n, qs in DETAIL_ROWS.items() if has_rows(s, n)))
    for name, qs in DETAIL_ROWS.items():
        if not has_rows(s, name):
            _read_as_empty(s, name, qs)
    return s


def _read_as_empty(obj: Model, name: str, qs: QuerySet) -> None:
    """Set `obj.<name>.all()` to no rows, as `prefetch_related` would have found: what the object's row said."""
    empty = qs.none()
    empty._result_cache = []
    empty._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = empty


def has_rows(suggestion: Suggestion, name: str) -> bool:
    """Whether the suggestion may have rows of `name` (in `FLAGGED`): False only when `suggestion_detail` read that
    it has none."""
    return getattr(suggestion, f"has_{name}", True)


PICKER_LIMIT = 20


def picker_deputies(*, ids: Iterable[int] | None = None, q: str = "", exclude: Iterable[int] = ()) -> QuerySet[Deputy]:
    """Deputies serving now that a suggestion can name (author or co-signer): any in the city, as the form allows."""
    today = scopes.today()
    qs = (
        Deputy.objects.filter(pk__in=Mandate.objects.filter(status="active").values("deputy_id"))
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.filter(active_on(today)).select_related("group"),
                to_attr="current_memberships",
            )
        )
        .order_by("name", "region__code", "birth_date", "pk")
    )
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.exclude(pk__in=[i for i in exclude if i])


def deputy_search(*, user: User, q: str, exclude: Iterable[int] = ()) -> list[Deputy]:
    """The picker's matches for what was typed (two characters at least), at most PICKER_LIMIT; nothing
    for a user who may not draft suggestions."""
    q = q.strip()
    if len(q) < 2 or not (user.deputy_id or user.role in (Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER)):
        return []
    return list(picker_deputies(q=q, exclude=exclude)[:PICKER_LIMIT])


def overdue_q(today: datetime.date) -> Q:
    """Not yet replied (or re-handled) and past the due date."""
    return Q(state__in=[State.ASSIGNED, State.HANDLING, State.REHANDLING], due_on__lt=today)


def is_unit_user(user: User) -> bool:
    return user.role == Role.UNIT_CLERK and bool(user.unit_id)


def published_replies() -> QuerySet[Suggestion]:
    """For the public: closed or awaiting evaluation, with a reply staff accepted as publishable."""
    return (
        Suggestion.objects.filter(publish_reply=True, state__in=[State.AWAITING_EVALUATION, State.CLOSED])
        .select_related("category", "result_class", "session")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(status=AssignmentStatus.ACTIVE, role=UnitRole.LEAD).select_related(
                    "unit"
                ),
                to_attr="lead_assignments",
            )
        )
    )


def congresses_for_entry(*, user: User) -> QuerySet[Congress]:
    """Congresses an officer may enter a deputy's suggestion for: the current city and township congresses
    of their scope (the service then checks the author holds a mandate in the one chosen)."""
    current = Congress.objects.filter(is_current=True, level__in=[CongressLevel.CITY, CongressLevel.TOWNSHIP])
    return current.filter(scopes.entry_congresses_q(user)).select_related("region").order_by("level", "name", "pk")


def sessions_for_entry(*, user: User) -> QuerySet[Session]:
    """The sessions an officer's entry may name: those of the congresses they may enter for, latest first."""
    return (
        Session.objects.filter(congress__in=congresses_for_entry(user=user))
        .select_related("congress")
        .order_by("-start_date", "pk")
    )


# Forwards to city units (转请市级办理) -----------------------------------------------------------------------


def category_choices(*, user: User, active: bool = False, keep: int | None = None) -> QuerySet[Category]:
    """The categories the user's filters and forms offer (`accounts.scopes.categories_q`): the common ones and, for a
    township officer, their township's own, not another township's. A form offers the `active` ones, and `keep`, the
    one the record being edited already has (retired since, or another township's, set by the city), so that saving
    it does not drop it."""
    offered = scopes.categories_q(user) & Q(is_active=True) if active else scopes.categories_q(user)
    if keep and offered:  # an empty Q offers every category already, and `Q() | x` would narrow it to x
        offered |= Q(pk=keep)
    return Category.objects.filter(offered).select_related("region").order_by("order", "name")


def forward_list(*, user: User) -> QuerySet[Forward]:
    """Forwards the user may see: of suggestions in their scope, and for a unit's clerk only their unit's."""
    visible = suggestion_list(user=user).values("pk")
    return Forward.objects.filter(scopes.forwards_q(user), suggestion__in=visible).select_related(
        "unit", "suggestion__congress__region"
    )


def forwards_of(*, user: User, suggestion: Suggestion) -> list[Forward]:
    """The forwards of one suggestion the user sees (the suggestion came through `suggestion_detail`): one query,
    none when it has no forwards."""
    if not has_rows(suggestion, "forwards"):
        return []
    qs = suggestion.forwards.filter(scopes.forwards_q(user)).select_related("unit", "forwarded_by", "answered_by")
    return list(qs.order_by("forwarded_on", "pk"))


def pending_forwards(unit_id: int | None = None, overdue_on: datetime.date | None = None) -> QuerySet[Forward]:
    """Pending forwards of the suggestion at `OuterRef("pk")` (to one unit; due before a day), for the queues."""
    qs = Forward.objects.filter(suggestion=OuterRef("pk"), status=ForwardStatus.PENDING)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if overdue_on is not None:
        qs = qs.filter(due_on__lt=overdue_on)
    return qs.order_by("due_on", "pk")


def unit_overdue_ids(unit_id: int, today: datetime.date) -> QuerySet:
    """The ids of the suggestions overdue at a unit: assigned to it (active) past their due date, or forwarded to
    it and pending past the forward's. One union of two index reads; "IN (...) OR EXISTS (...)" read every
    suggestion of the province (decision 84)."""
    assigned = Assignment.objects.filter(
        unit_id=unit_id,
        status=AssignmentStatus.ACTIVE,
        suggestion__state__in=[State.ASSIGNED, State.HANDLING, State.REHANDLING],
        suggestion__due_on__lt=today,
    )
    forwarded = Forward.objects.filter(unit_id=unit_id, status=ForwardStatus.PENDING, due_on__lt=today)
    return assigned.order_by().values("suggestion_id").union(forwarded.order_by().values("suggestion_id"))


def with_forward_due(qs: QuerySet[Suggestion], unit_id: int | None = None) -> QuerySet[Suggestion]:
    """Each suggestion with its first pending forward's due date and unit (`forward_due_on`, `forward_unit`)."""
    first = pending_forwards(unit_id)
    return qs.annotate(
        forward_due_on=Subquery(first.values("due_on")[:1]), forward_unit=Subquery(first.values("unit__name")[:1])
    )


def settings_list(model: type[Model], *, user: User) -> QuerySet:
    """Settings rows of the suggestion course (categories, periods) the user reads: the common rows and their
    congress's own (the city's officers every congress's)."""
    return model.objects.filter(scopes.congress_settings_visible_q(user)).select_related("region")


def settings_managed(model: type[Model], *, user: User) -> QuerySet:
    """The settings rows the user may change: the common rows for the city's officers, a township's own for
    its congress's officer."""
    return settings_list(model, user=user).filter(scopes.congress_settings_q(user))


def city_unit_choices(*, user: User) -> QuerySet:
    """The units of the city congress over the user's township (`services.city_units_for` for its suggestions),
    within the user's scope: what a township forwards a suggestion to."""
    from .services import county_congress, units_serving

    congress = county_congress(user.region if user.region_id else None)
    return units_serving(congress).filter(scopes.units_q(user)).order_by("kind", "name")
