"""Scoped reads of sessions, delegations and motions: the scope filters are `accounts.scopes`' own.

The session page's figures (members, attendance, the motions and the suggestions received) are one query for
all the session's delegations, by correlated subqueries, whatever their number.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import ScopeKind
from deputyhome.accounts.scopes import NOTHING
from deputyhome.core.counting import count_of
from deputyhome.core.models import active_on
from deputyhome.deputies.models import Mandate
from deputyhome.organisation import selectors as organisation_selectors
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Session
from deputyhome.suggestions import selectors as suggestion_selectors
from deputyhome.suggestions.choices import State as SuggestionState
from deputyhome.suggestions.models import Suggestion

from .choices import AttendanceStatus, Decision, LeaveState, MotionState
from .models import (
    Delegation,
    DelegationMember,
    Motion,
    MotionEvent,
    MotionRules,
    MotionSigner,
    SessionAttendance,
)

if TYPE_CHECKING:
    from deputyhome.accounts.models import User

# Sessions and delegations ---------------------------------------------------------------------------------


def may_see_sessions(user: User) -> bool:
    """Everyone doing deputy work; not the handling units' clerks nor the three administrators."""
    return user.scope_kind not in (ScopeKind.NONE, ScopeKind.UNIT)


def session_list(*, user: User) -> QuerySet[Session]:
    return (
        Session.objects.filter(scopes.sessions_q(user))
        .select_related("congress__region")
        .annotate(
            # Correlated counts, not joins: a join of both would multiply every session's delegations by its
            # motions before grouping (a province's 5,000 sessions became 42,000 rows), and a subquery is worked
            # out only for the rows of the page unless the register sorts by it.
            delegation_count=count_of(Delegation.objects.filter(session=OuterRef("pk"))),
            motion_count=count_of(Motion.objects.filter(session=OuterRef("pk"), filed_at__isnull=False)),
        )
    )


def session_choices(*, user: User) -> QuerySet[Session]:
    """The sessions a filter offers (no counts): those of the congresses the user works with, latest first."""
    return Session.objects.filter(scopes.sessions_q(user)).select_related("congress").order_by("-start_date")


def delegation_list(*, user: User) -> QuerySet[Delegation]:
    return Delegation.objects.filter(scopes.delegations_q(user)).select_related("session__congress", "region")


def _during(session: Session, prefix: str = "") -> Q:
    """Memberships that meet the session's dates (both ends inclusive, an open end open)."""
    return Q(**{f"{prefix}start_date__lte": session.end_date}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": session.start_date})
    )


def received_suggestions(session: Session) -> QuerySet[Suggestion]:
    """Suggestions received during the session (submitted, not a draft), as the suggestion statistics count them."""
    return Suggestion.objects.filter(session=session, submitted_at__isnull=False).exclude(state=SuggestionState.DRAFT)


def delegation_figures(*, user: User, session: Session) -> QuerySet[Delegation]:
    """The session's delegations in the user's scope, each with its figures (one query, whatever their number):
    members during the session; of them present (出席), on leave (请假), absent (缺席) and not recorded yet; the
    motions it filed or its members led; and the suggestions its members led during the session."""
    members = DelegationMember.objects.filter(_during(session), delegation=OuterRef("pk"))
    member_ids = DelegationMember.objects.filter(_during(session), delegation=OuterRef(OuterRef("pk"))).values(
        "deputy_id"
    )
    attendance = SessionAttendance.objects.filter(session=session, deputy_id__in=member_ids)
    return (
        delegation_list(user=user)
        .filter(session=session)
        .annotate(
            member_count=count_of(members.values("deputy_id").distinct()),
            present=count_of(attendance.filter(status=AttendanceStatus.PRESENT)),
            excused=count_of(attendance.filter(status=AttendanceStatus.EXCUSED)),
            absent=count_of(attendance.filter(status=AttendanceStatus.ABSENT)),
            not_recorded=F("member_count") - F("present") - F("excused") - F("absent"),
            motions_received=count_of(Motion.objects.filter(delegation=OuterRef("pk"), filed_at__isnull=False)),
            suggestions_received=count_of(received_suggestions(session).filter(author_id__in=member_ids)),
        )
        .order_by("region__code", "name")
    )


def session_totals(*, session: Session) -> dict[str, int]:
    """The whole session's figures (two queries): what came in, whoever brought it."""
    motions = Motion.objects.filter(session=session, filed_at__isnull=False).aggregate(
        received=Count("pk"),
        on_agenda=Count("pk", filter=Q(decision=Decision.ON_AGENDA)),
        converted=Count("pk", filter=Q(decision=Decision.CONVERTED)),
    )
    return {**{f"motions_{k}": v for k, v in motions.items()}, "suggestions": received_suggestions(session).count()}


def with_attendance(rows: QuerySet, session_id: int) -> QuerySet:
    """Rows with a `deputy` (a delegation's members, a congress's mandates), with the deputy and their region and
    their attendance at the session: `attendance` (status), `leave_reason`, `leave_state` (None: no row yet)."""
    return rows.select_related("deputy__region").annotate(
        att=FilteredRelation(
            "deputy__session_attendances", condition=Q(deputy__session_attendances__session_id=session_id)
        ),
        attendance=F("att__status"),
        leave_reason=F("att__reason"),
        leave_state=F("att__leave_state"),
    )


def members_on(*, delegation: Delegation, on: datetime.date) -> QuerySet[DelegationMember]:
    """The delegation's members on `on` (both boundary dates count), with their attendance at the session."""
    return with_attendance(delegation.members.filter(active_on(on)), delegation.session_id).order_by(
        "role", "deputy__name", "pk"
    )


def may_manage_delegations(user: User, session: Session) -> bool:
    """The congress's staff arrange its delegations (the city committee for the city congress)."""
    from .services import may_act_for

    return may_act_for(user, session.congress)


def members_during(*, delegation: Delegation) -> QuerySet[DelegationMember]:
    """The delegation's members on any day of its session (one row per deputy: their latest membership), with
    their attendance, for the staff's attendance page."""
    session = delegation.session
    latest = (
        DelegationMember.objects.filter(_during(session), delegation=delegation, deputy_id=OuterRef("deputy_id"))
        .order_by("-start_date", "-pk")
        .values("pk")[:1]
    )
    return with_attendance(delegation.members.filter(_during(session), pk=Subquery(latest)), session.pk).order_by(
        "role", "deputy__name", "pk"
    )


def ticked_on_one_sheet(session: Session) -> bool:
    """Whether the session's attendance is one sheet of its congress's deputies: a township congress's, which
    seats no delegations (a congress above it is ticked a delegation at a time)."""
    return session.congress.level == CongressLevel.TOWNSHIP


def seated_during(*, session: Session) -> QuerySet[Mandate]:
    """The mandates of the session's congress in force on any day of it (a deputy holds one), with the deputy's
    attendance: the staff's sheet of a session that seats no delegations (a township congress)."""
    return with_attendance(
        Mandate.objects.filter(_during(session), congress_id=session.congress_id), session.pk
    ).order_by("deputy__region__code", "deputy__name", "pk")


def seated_figures(*, session: Session) -> dict[str, int]:
    """How many deputies `seated_during` lists, and of them present, on leave, absent and not recorded yet (one
    query), for the page of a session without delegations."""
    figures = (
        seated_during(session=session)
        .order_by()
        .aggregate(
            seated=Count("pk"),
            present=Count("pk", filter=Q(attendance=AttendanceStatus.PRESENT)),
            excused=Count("pk", filter=Q(attendance=AttendanceStatus.EXCUSED)),
            absent=Count("pk", filter=Q(attendance=AttendanceStatus.ABSENT)),
        )
    )
    figures["not_recorded"] = figures["seated"] - figures["present"] - figures["excused"] - figures["absent"]
    return figures


def my_attendance(*, user: User, session: Session) -> SessionAttendance | None:
    """The user's own attendance row at the session (their request for leave and its decision), if any."""
    if not user.deputy_id:
        return None
    return SessionAttendance.objects.filter(session=session, deputy_id=user.deputy_id).first()


def may_ask_leave(*, user: User, session: Session) -> bool:
    """A deputy who may attend the session may ask for leave until it closes."""
    from .services import eligible_ids

    return bool(
        user.deputy_id
        and timezone.localdate() <= session.end_date
        and user.deputy_id in eligible_ids(session, [user.deputy_id])
    )


def leave_requests(*, user: User, session: Session) -> QuerySet[SessionAttendance]:
    """The session's requests for leave (pending first), for its staff (`accounts.scopes.congress_staff_q`); none
    for anyone else."""
    return (
        SessionAttendance.objects.filter(session=session, leave_state__in=LeaveState.values)
        .filter(scopes.congress_staff_q(user, "session__congress"))
        .select_related("deputy__region", "leave_decided_by")
        .order_by(Case(When(leave_state=LeaveState.PENDING, then=0), default=1), "-leave_requested_at", "pk")
    )


# Motions ----------------------------------------------------------------------------------------------------


def may_see_motions(user: User) -> bool:
    return may_see_sessions(user)


def may_draft(user: User) -> bool:
    return bool(user.deputy_id)


def scope_q(user: User) -> Q:
    """Motions in the user's scope (drafts aside): `accounts.scopes.motions_q`, one row each by a semi-join."""
    cond = scopes.motions_q(user)
    return Q(pk__in=Motion.objects.filter(cond).values("pk")) if cond else cond


def visible_q(user: User) -> Q:
    """Everything in scope; a draft only for its lead and whoever entered it."""
    visible = scope_q(user) & ~Q(state=MotionState.DRAFT)
    own_drafts = Q(state=MotionState.DRAFT) & (
        Q(created_by_id=user.pk) | (Q(lead_id=user.deputy_id) if user.deputy_id else NOTHING)
    )
    return visible | own_drafts


def motion_register(*, user: User) -> QuerySet[Motion]:
    """The motions the user may see, without the signers' counts (the register counts its page's, `add_signer_counts`)."""
    return Motion.objects.filter(visible_q(user)).select_related(
        "session__congress", "lead", "delegation", "suggestion"
    )


def motion_list(*, user: User) -> QuerySet[Motion]:
    return motion_register(user=user).annotate(
        signer_count=Count("signers", filter=Q(signers__withdrawn_at__isnull=True), distinct=True),
        confirmed_count=Count(
            "signers",
            filter=Q(signers__confirmed_at__isnull=False, signers__withdrawn_at__isnull=True),
            distinct=True,
        ),
    )


def add_signer_counts(motions: list[Motion]) -> None:
    """`signer_count` and `confirmed_count` of these motions (a page), as `motion_list` gives them, in one
    grouped query rather than an aggregate over every motion's signers before the page is cut."""
    rows = (
        MotionSigner.objects.filter(motion_id__in=[m.pk for m in motions], withdrawn_at__isnull=True)
        .values("motion_id")
        .annotate(signers=Count("pk"), confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)))
    )
    counts = {r["motion_id"]: (r["signers"], r["confirmed"]) for r in rows}
    for m in motions:
        m.signer_count, m.confirmed_count = counts.get(m.pk, (0, 0))


def motion_detail(*, user: User, pk: Any) -> Motion:
    return (
        motion_list(user=user)
        .select_related("session__congress__region", "region", "delegation__region", "suggestion")
        .prefetch_related(
            Prefetch("signers", queryset=MotionSigner.objects.select_related("deputy__region")),
            Prefetch("events", queryset=MotionEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def to_confirm(*, user: User) -> QuerySet[Motion]:
    """Filed motions waiting for the user's own confirmation, before their session's deadline."""
    if not user.deputy_id:
        return Motion.objects.none()
    waiting = MotionSigner.objects.filter(
        deputy_id=user.deputy_id, is_lead=False, confirmed_at__isnull=True, withdrawn_at__isnull=True
    )
    return Motion.objects.filter(state=MotionState.FILED, pk__in=waiting.values("motion_id"))


def staff_queues(*, user: User) -> dict[str, int]:
    """How many motions wait for the user as the congress's staff (one query): to check, to decide."""
    cond = scopes.motions_managed_q(user)
    if cond == NOTHING:
        return {}
    return Motion.objects.filter(visible_q(user), cond).aggregate(
        check=Count("pk", filter=Q(state=MotionState.FILED)),
        decide=Count("pk", filter=Q(state=MotionState.ACCEPTED)),
    )


# Figures ----------------------------------------------------------------------------------------------------


def motion_stats(*, user: User, year: int) -> dict[str, Any]:
    """The year's motions in the user's scope (one query): received (filed), put on the agenda, not put on it,
    converted to suggestions, and pending (waiting for the check or the decision); refused and withdrawn too."""
    qs = Motion.objects.filter(visible_q(user), year=year, filed_at__isnull=False)
    counts = qs.aggregate(
        received=Count("pk"),
        on_agenda=Count("pk", filter=Q(decision=Decision.ON_AGENDA)),
        not_on_agenda=Count("pk", filter=Q(decision=Decision.NOT_ON_AGENDA)),
        converted_to_suggestions=Count("pk", filter=Q(decision=Decision.CONVERTED)),
        pending=Count("pk", filter=Q(state__in=[MotionState.FILED, MotionState.ACCEPTED])),
        refused=Count("pk", filter=Q(state=MotionState.REFUSED)),
        withdrawn=Count("pk", filter=Q(state=MotionState.WITHDRAWN)),
    )
    return {"year": year, "as_of": timezone.localdate().isoformat(), "scope": user.scope_kind, **counts}


def motion_origin(*, user: User, suggestion: Suggestion) -> tuple[Motion, bool] | None:
    """The motion a suggestion was converted from, and whether the user may open it (one query; none when the
    suggestion's row says there is no such motion)."""
    if not suggestion_selectors.has_rows(suggestion, "motion"):
        return None
    motion = Motion.objects.filter(suggestion=suggestion).select_related("session").first()
    if motion is None:
        return None
    return motion, may_see_motions(user) and Motion.objects.filter(visible_q(user), pk=motion.pk).exists()


def member_list(*, user: User) -> QuerySet:
    """The members of the delegations the user may see."""
    return DelegationMember.objects.filter(delegation__in=delegation_list(user=user)).select_related(
        "delegation__session__congress", "deputy"
    )


def rules_list(*, user: User) -> QuerySet:
    """Every congress's rules are public facts to those who work with sessions (`congresses_q` in the scopes)."""
    if not may_see_sessions(user):
        return MotionRules.objects.none()
    return MotionRules.objects.filter(
        congress__in=organisation_selectors.congress_list(user=user).values("pk")
    ).select_related("congress")
