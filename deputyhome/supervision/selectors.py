"""Scoped reads for the assessment of handling units (考核评分).

Who sees what: city officers, supervisors and leaders see every unit's scorecard and the
ranking; a handling-unit clerk sees their own unit's scorecard only (no ranking, no other unit);
everyone else sees nothing (the views answer 403).

`unit_scorecards` reads every suggestion of the year led by a unit in scope with its replies,
consultations, evaluations and reply events in a fixed number of queries, turns each into
`scoring.SuggestionFacts`, and scores them with the year's scheme.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from deputyhome.accounts.choices import Role, ScopeKind
from deputyhome.accounts.scopes import units_q
from deputyhome.core.converters import valid_id
from deputyhome.organisation.choices import CongressLevel, RegionKind
from deputyhome.organisation.models import Congress, HandlingUnit
from deputyhome.organisation.selectors import township_congress_of
from deputyhome.suggestions.choices import Action, AssignmentStatus, ReviewStatus, State, UnitRole
from deputyhome.suggestions.models import Assignment, Consultation, Evaluation, Event, Reply, Suggestion

from . import scoring
from .models import ScoringScheme
from .services import item_specs, scheme_for_year

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from deputyhome.accounts.models import User

ALL_UNITS_ROLES = frozenset({Role.CITY_OFFICER, Role.SUPERVISOR, Role.LEADER})
CITY_UNIT_REGION_KINDS = (RegionKind.PROVINCE, RegionKind.PREFECTURE, RegionKind.COUNTY, RegionKind.CITY)
# States in which a suggestion waits for its lead unit's reply (as in suggestions.selectors.overdue_q).
AWAITING_REPLY = frozenset({State.ASSIGNED, State.HANDLING, State.REHANDLING})


def sees_all_units(user: User | AnonymousUser) -> bool:
    """The ranking of a congress's units: the city's staff, supervisors and leaders (every congress's, the
    townships' read-only), a township officer (their congress's offices)."""
    if user.is_authenticated and user.role == Role.TOWNSHIP_OFFICER:
        return township_congress_of(user) is not None
    return bool(user.is_authenticated and user.role in ALL_UNITS_ROLES)


def board_congress(user: User, asked: Any = None) -> Congress | None:
    """The congress whose units' scores the user reads: a township officer their own; the city's roles the
    township congress asked for (`?congress=`), read-only, or None: the city's."""
    if user.role == Role.TOWNSHIP_OFFICER:
        return township_congress_of(user)
    if user.role in ALL_UNITS_ROLES and (pk := valid_id(asked)):
        return Congress.objects.filter(level=CongressLevel.TOWNSHIP, pk=pk).select_related("region").first()
    return None


def congress_units_q(congress: Congress | None, path: str = "unit") -> Q:
    """The units of a congress (`path` leads to the unit): a township's offices carry its region; the city's
    units carry a region above the townships, or none (suggestions.services.course.units_serving)."""
    if congress is not None and congress.level == CongressLevel.TOWNSHIP:
        return Q(**{f"{path}__region_id": congress.region_id})
    return Q(**{f"{path}__region__isnull": True}) | Q(**{f"{path}__region__kind__in": CITY_UNIT_REGION_KINDS})


def unit_congress(unit: HandlingUnit) -> Congress | None:
    """The congress a unit serves: its township's current congress, or None (the city's)."""
    if unit.region_id is None:
        return None
    current = Congress.objects.filter(level=CongressLevel.TOWNSHIP, is_current=True, region_id=unit.region_id)
    return current.select_related("region").first()


def sees_own_unit(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.role == Role.UNIT_CLERK and user.unit_id)


def can_view_scores(user: User) -> bool:
    return sees_all_units(user) or sees_own_unit(user)


def can_edit_scheme(user: User, congress: Congress | None = None) -> bool:
    """The city's officers edit the default scheme (the city congress's); a township officer their own."""
    if congress is not None:
        return bool(user.is_authenticated and user.role == Role.TOWNSHIP_OFFICER and sees_all_units(user))
    return bool(user.is_authenticated and user.role == Role.CITY_OFFICER)


def can_view_stats(user: User | AnonymousUser) -> bool:
    """Statistics of suggestions: every role with a business-data scope (not the three administrators)."""
    return bool(user.is_authenticated and user.scope_kind != ScopeKind.NONE)


# Facts ---------------------------------------------------------------------------------------------------


def suggestion_facts(suggestion: Suggestion, unit_id: int, today: datetime.date) -> scoring.SuggestionFacts:
    """What one suggestion tells about its lead unit (see `scoring.SuggestionFacts`).

    Needs the suggestion's `scoring_events` (reply and waive_consultation events), `scoring_consultations`,
    `scoring_replies` and `scoring_evaluations` prefetched, and `result_class` selected.
    """
    s = suggestion
    reply_events = [e for e in s.scoring_events if e.action == Action.REPLY]
    late = any(e.data.get("on_time") is False for e in reply_events)
    overdue_now = s.state in AWAITING_REPLY and s.due_on is not None and s.due_on < today
    overdue = late or overdue_now
    on_time = False if overdue else (True if reply_events else None)

    first_reply_on: dict[int, datetime.date] = {}
    for e in sorted(reply_events, key=lambda e: (e.on, e.pk)):
        first_reply_on.setdefault(e.round, e.on)
    waived = {e.round for e in s.scoring_events if e.action == Action.WAIVE_CONSULTATION}
    checks = []
    for round_, replied_on in first_reply_on.items():
        if any(c.round == round_ and c.unit_id == unit_id and c.date <= replied_on for c in s.scoring_consultations):
            checks.append(True)
        elif round_ not in waived:
            checks.append(False)
    consulted = all(checks) if checks else None

    reviews = {r.review_status for r in s.scoring_replies if r.unit_id == unit_id}
    if ReviewStatus.SENT_BACK in reviews:
        first_accepted = False
    elif ReviewStatus.ACCEPTED in reviews:
        first_accepted = True
    else:
        first_accepted = None

    mine = [e for e in s.scoring_evaluations if e.deputy_id == s.author_id]
    final = None
    if mine:
        last = max(mine, key=lambda e: (e.round, e.pk))
        final = scoring.NO_RESPONSE if last.no_response else (last.result or None)
    closed = s.state == State.CLOSED
    return scoring.SuggestionFacts(
        key=s.pk,
        label=f"{s.number_label} {s.title}".strip(),
        on_time=on_time,
        consulted_before_reply=consulted,
        first_reply_accepted=first_accepted,
        result_weight=s.result_class.score_weight if s.result_class_id else None,
        final_satisfaction=final,
        overdue=overdue,
        finally_dissatisfied=closed and final == "dissatisfied",
        key_closed=closed and s.is_key,
    )


# Scorecards ----------------------------------------------------------------------------------------------


@dataclass
class UnitScore:
    unit: HandlingUnit
    card: scoring.Scorecard
    suggestions: list[Suggestion]
    ranked: bool = False
    rank: int | None = None
    count: int | None = None  # the number led, where the suggestions were counted in SQL and not read

    @property
    def lead_count(self) -> int:
        return self.count if self.count is not None else len(self.suggestions)


@dataclass
class ScoreBoard:
    year: int
    scheme: ScoringScheme
    items: list[scoring.ItemSpec]
    ranked: list[UnitScore] = field(default_factory=list)
    unranked: list[UnitScore] = field(default_factory=list)
    all_visible: bool = False  # the ranking of all units, or a unit clerk's own card only

    @property
    def all_units(self) -> list[UnitScore]:
        return [*self.ranked, *self.unranked]

    def for_unit(self, unit_id: int) -> UnitScore | None:
        return next((u for u in self.all_units if u.unit.pk == unit_id), None)


SUGGESTION_TEXTS = ("situation", "reasons", "proposals", "return_note", "requirements")


def _lead_assignments(year: int, unit_id: int | None, units: Q | None = None) -> QuerySet[Assignment]:
    lead_replies = Reply.objects.only("id", "suggestion_id", "unit_id", "round", "review_status")
    events = Event.objects.filter(action__in=[Action.REPLY, Action.WAIVE_CONSULTATION]).only(
        "id", "suggestion_id", "action", "round", "on", "data"
    )
    qs = (
        Assignment.objects.filter(role=UnitRole.LEAD, status=AssignmentStatus.ACTIVE, suggestion__year=year)
        .exclude(suggestion__state=State.DRAFT)
        .select_related("unit", "suggestion", "suggestion__result_class")
        # The scoring reads a suggestion's state, dates, number and title: not its long texts.
        .defer(*(f"suggestion__{name}" for name in SUGGESTION_TEXTS))
        .prefetch_related(
            Prefetch("suggestion__events", queryset=events, to_attr="scoring_events"),
            Prefetch(
                "suggestion__consultations",
                queryset=Consultation.objects.only("id", "suggestion_id", "unit_id", "round", "date"),
                to_attr="scoring_consultations",
            ),
            Prefetch("suggestion__replies", queryset=lead_replies, to_attr="scoring_replies"),
            Prefetch(
                "suggestion__evaluations",
                queryset=Evaluation.objects.only("id", "suggestion_id", "deputy_id", "round", "result", "no_response"),
                to_attr="scoring_evaluations",
            ),
        )
        .order_by("suggestion__number", "suggestion_id")
    )
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return qs if units is None else qs.filter(units)


def unit_scorecards(
    *,
    year: int,
    user: Any,
    today: datetime.date | None = None,
    scheme: ScoringScheme | None = None,
    congress: Congress | None = None,
    unit_id: int | None = None,
    own_unit: HandlingUnit | None = None,
) -> ScoreBoard:
    """Every unit's scorecard for `year` (a unit clerk: their own; `unit_id`: that one unit's only, whose rank
    then comes from the ranking, `boards.unit_scorecard`), ranked where the scheme allows. `own_unit`: the clerk's
    unit, when the caller has read it already.

    A unit appears once it leads at least one suggestion of the year (`Suggestion.year`, its
    active lead assignment); a unit clerk's own unit appears even with none. Units leading fewer
    than `scheme.min_suggestions` are listed apart, unranked (不参与排名). Equal totals share a rank.
    """
    if not can_view_scores(user):
        return ScoreBoard(year=year, scheme=ScoringScheme(year=year), items=[])
    today = today or timezone.localdate()
    board = new_board(year=year, user=user, scheme=scheme, congress=congress)
    specs = board.items
    own = unit_id if board.all_visible else user.unit_id

    by_unit: dict[int, tuple[HandlingUnit, list[Suggestion]]] = {}
    if own is not None and not board.all_visible:
        by_unit[own] = (own_unit if own_unit is not None and own_unit.pk == own else user.unit, [])
    for a in _lead_assignments(year, own, congress_units_q(congress) if board.all_visible else None):
        by_unit.setdefault(a.unit_id, (a.unit, []))[1].append(a.suggestion)

    scores = []
    for unit_id, (unit, suggestions) in by_unit.items():
        facts = [suggestion_facts(s, unit_id, today) for s in suggestions]
        scores.append(UnitScore(unit=unit, card=scoring.score(facts, specs), suggestions=suggestions))
    return rank_board(board, scores)


def new_board(*, year: int, user: Any, scheme: ScoringScheme | None, congress: Congress | None) -> ScoreBoard:
    """The year's board before any unit is scored: under `scheme` (None: the year's scheme of `congress`, the
    city's when None), showing every unit or the clerk's own only."""
    scheme = scheme or scheme_for_year(year=year, actor=user, region=congress.region if congress else None)
    return ScoreBoard(year=year, scheme=scheme, items=item_specs(scheme), all_visible=sees_all_units(user))


def rank_board(board: ScoreBoard, scores: list[UnitScore]) -> ScoreBoard:
    """`board` with `scores` ranked where the scheme allows (units leading fewer than its minimum apart)."""
    scheme = board.scheme
    scores.sort(key=lambda u: (u.unit.name, u.unit.pk))
    if board.all_visible:
        eligible = [u for u in scores if u.lead_count >= max(scheme.min_suggestions, 1)]
        for place, unit_score, _total in scoring.rank([(u, u.card.total) for u in eligible]):
            unit_score.ranked, unit_score.rank = True, place
            board.ranked.append(unit_score)
        board.unranked = [u for u in scores if not u.ranked]
    else:
        board.unranked = scores
    return board


def scorecard_unit(*, user: Any, unit_id: Any) -> tuple[HandlingUnit, Congress | None] | None:
    """(the unit, the congress it serves) if the user may read its card, else None (the view answers 404)."""
    if not can_view_scores(user):
        return None
    unit = HandlingUnit.objects.filter(units_q(user), pk=unit_id).first()
    if unit is None or (not sees_all_units(user) and unit.pk != user.unit_id):
        return None
    congress = unit_congress(unit)
    mine = township_congress_of(user) if user.role == Role.TOWNSHIP_OFFICER else None
    if mine is not None and (congress is None or congress.pk != mine.pk):
        return None  # a township officer reads their own offices' cards only
    return unit, congress


def score_years(*, user: Any) -> list[int]:
    """Years to offer in the year selector: this year and, for a unit clerk, the years their unit led suggestions;
    for the roles that read the ranking, every year from the first with a led suggestion to the last (two
    queries down the year's index: a distinct over every suggestion read them all, at province scale 0.1 s)."""
    this = timezone.localdate().year
    years = {this}
    if can_view_scores(user):
        qs = Suggestion.objects.exclude(state=State.DRAFT).filter(assignments__role=UnitRole.LEAD)
        if not sees_all_units(user):
            # From the unit's own lead assignments (its index): one join, where the suggestion's two joins (any lead
            # and any assignment of the unit) also offered years in which the unit only assisted.
            led = Assignment.objects.filter(unit_id=user.unit_id, role=UnitRole.LEAD).exclude(
                suggestion__state=State.DRAFT
            )
            years |= set(led.values_list("suggestion__year", flat=True).distinct().order_by())
        else:
            first = qs.order_by("year").values_list("year", flat=True).first()
            last = qs.order_by("-year").values_list("year", flat=True).first()
            if first is not None and last is not None:
                years |= set(range(first, last + 1))
    return sorted(years, reverse=True)
