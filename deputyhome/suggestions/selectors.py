"""Scoped reads of suggestions. A handling unit sees what is assigned to it; a deputy their own and
co-signed ones; a township officer those of their township's deputies; drafts stay with their author.
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role
from deputyhome.accounts.scopes import NOTHING

from .choices import AssignmentStatus, State, UnitRole
from .models import Assignment, Event, Suggestion


def scope_q(user) -> Q:
    """Suggestions the user may see (drafts excepted; see `suggestion_list`): `accounts.scopes.suggestions_q`.

    That filter crosses co-signers and assignments (many per suggestion); a semi-join keeps one row each.
    """
    cond = scopes.suggestions_q(user)
    return Q(pk__in=Suggestion.objects.filter(cond).values("pk")) if cond else cond


def suggestion_list(*, user) -> QuerySet[Suggestion]:
    """Everything in scope, with a draft visible only to its author and to whoever entered it."""
    visible = scope_q(user) & ~Q(state=State.DRAFT)
    own_drafts = Q(state=State.DRAFT) & (
        Q(created_by_id=user.pk) | (Q(author_id=user.deputy_id) if user.deputy_id else NOTHING)
    )
    lead = Assignment.objects.filter(status=AssignmentStatus.ACTIVE, role=UnitRole.LEAD).select_related("unit")
    return (
        Suggestion.objects.filter(visible | own_drafts)
        .select_related("author", "category", "session", "region", "result_class")
        .prefetch_related(Prefetch("assignments", queryset=lead, to_attr="lead_assignments"))
    )


def suggestion_detail(*, user, pk: int) -> Suggestion:
    return (
        suggestion_list(user=user)
        .prefetch_related(
            "cosigners__deputy",
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit")),
            "consultations__unit",
            "extensions__unit",
            "replies__result_class",
            "replies__unit",
            "evaluations__deputy",
            "attachments",
            "supervision_records__recorded_by",
            Prefetch("events", queryset=Event.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def overdue_q(today: datetime.date) -> Q:
    """Not yet replied (or re-handled) and past the due date."""
    return Q(state__in=[State.ASSIGNED, State.HANDLING, State.REHANDLING], due_on__lt=today)


def is_unit_user(user) -> bool:
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
