"""The units' ranking computed in SQL: each lead assignment's facts read as flags in one query (one EXISTS per
condition), summed per unit, then scored by `scoring.score_totals`.

The ranking page needs each unit's items and total, not the breakdown per suggestion, so it does not build
one object per suggestion (`selectors.unit_scorecards` still does, for a unit's own card and the export).
The sums are those of `selectors.suggestion_facts`, fact by fact:

* timeliness: applies to a suggestion replied or overdue; worth 1 when replied and not overdue (overdue: a
  reply marked late, or waiting for a reply past its due date today);
* consultation: applies where some round with a reply had a consultation by the unit on or before that
  round's first reply (good) or had none and was not waived (bad); worth 1 when no round was bad;
* reply quality: applies where one of the unit's replies was reviewed; worth 1 when none was sent back;
* result: applies where a result class is set, worth its weight (clamped to [0, 1]): counted per class;
* satisfaction: the lead deputy's final evaluation, counted per answer and weighed by its factor;
* the deductions and the bonus: counts of the suggestions that trigger them.
"""

from __future__ import annotations

import datetime
from collections import Counter
from fractions import Fraction
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery

from deputyhome.suggestions.choices import Action, AssignmentStatus, ReviewStatus, State, UnitRole
from deputyhome.suggestions.models import Assignment, Consultation, Event, Reply, ResultClass
from deputyhome.supervision.stats import final_evaluations

from . import scoring

AWAITING_REPLY = (State.ASSIGNED, State.HANDLING, State.REHANDLING)


FLAGS = ("timely_n", "timely", "consulted_n", "consulted", "quality_n", "quality", "overdue")
FLAGS += ("dissatisfied_closed", "key_closed")


# Correlated (EXISTS per assignment, down the suggestion's index), not `suggestion_id IN (subquery)`: the year's
# assignments are a fifth of all, and the uncorrelated form read the whole event table once per condition.
def _exists(events) -> Exists:
    return Exists(events.filter(suggestion=OuterRef("suggestion")))


def _consultation_checks() -> tuple[Exists, Exists]:
    """(a round was consulted in time, a round was not and not waived) for the assignment's unit."""
    replies = Event.objects.filter(action=Action.REPLY)
    earlier = replies.filter(suggestion=OuterRef("suggestion"), round=OuterRef("round"), on__lt=OuterRef("on"))
    first = replies.filter(suggestion=OuterRef("suggestion")).filter(~Exists(earlier))
    consulted = Consultation.objects.filter(
        suggestion=OuterRef("suggestion"),
        round=OuterRef("round"),
        unit=OuterRef(OuterRef("unit")),
        date__lte=OuterRef("on"),
    )
    waived = Event.objects.filter(
        action=Action.WAIVE_CONSULTATION, suggestion=OuterRef("suggestion"), round=OuterRef("round")
    )
    return Exists(first.filter(Exists(consulted))), Exists(first.filter(~Exists(consulted), ~Exists(waived)))


def _reviewed(status: str) -> Exists:
    return Exists(Reply.objects.filter(suggestion=OuterRef("suggestion"), unit=OuterRef("unit"), review_status=status))


def unit_totals(*, year: int, today: datetime.date, units: Q) -> dict[int, scoring.UnitTotals]:
    """The year's totals of each unit matching `units` (a filter on the unit, from the assignment) that leads
    at least one suggestion: two queries (the result classes; each lead assignment with its facts as flags).

    Each condition is one EXISTS per assignment, evaluated and compiled once, and the flags are summed here: a
    grouped count in SQL repeated each condition in every count that used it (a query of some 40 subqueries,
    whose building alone cost a township's page more than its reading)."""
    classes = dict(ResultClass.objects.values_list("pk", "score_weight"))
    reply = Event.objects.filter(action=Action.REPLY)
    good, bad = _consultation_checks()
    finals = final_evaluations().filter(suggestion=OuterRef("suggestion"))
    rows = (
        Assignment.objects.filter(role=UnitRole.LEAD, status=AssignmentStatus.ACTIVE, suggestion__year=year)
        .exclude(suggestion__state=State.DRAFT)
        .filter(units)
        .annotate(
            replied=_exists(reply),
            late=_exists(reply.filter(data__on_time=False)),
            good=good,
            bad=bad,
            sent_back=_reviewed(ReviewStatus.SENT_BACK),
            accepted=_reviewed(ReviewStatus.ACCEPTED),
            final_silent=Subquery(finals.values("no_response")[:1]),
            final_result=Subquery(finals.values("result")[:1]),
        )
        .values_list(
            "unit_id",
            "suggestion__state",
            "suggestion__due_on",
            "suggestion__is_key",
            "suggestion__result_class_id",
            "replied",
            "late",
            "good",
            "bad",
            "sent_back",
            "accepted",
            "final_silent",
            "final_result",
        )
        .order_by()
    )
    sums: dict[int, dict[str, Any]] = {}
    for unit_id, state, due_on, is_key, result_class, replied, late, good_, bad_, back, ok, silent, answer in rows:
        u = sums.setdefault(unit_id, {"n": 0, "classes": Counter(), "answers": Counter(), **dict.fromkeys(FLAGS, 0)})
        overdue = late or (state in AWAITING_REPLY and due_on is not None and due_on < today)
        closed = state == State.CLOSED
        final = None if silent is None else (scoring.NO_RESPONSE if silent else answer)
        u["n"] += 1
        u["timely_n"] += replied or overdue
        u["timely"] += replied and not overdue
        u["consulted_n"] += good_ or bad_
        u["consulted"] += good_ and not bad_
        u["quality_n"] += back or ok
        u["quality"] += ok and not back
        u["overdue"] += overdue
        u["dissatisfied_closed"] += closed and final == "dissatisfied"
        u["key_closed"] += closed and is_key
        if result_class in classes:
            u["classes"][result_class] += 1
        if final in scoring.SATISFACTION_FACTORS:
            u["answers"][final] += 1
    out = {}
    for unit_id, u in sums.items():
        weights = [(n, min(max(Fraction(classes[pk]), Fraction(0)), Fraction(1))) for pk, n in u["classes"].items()]
        answers = [(n, Fraction(scoring.SATISFACTION_FACTORS[a])) for a, n in u["answers"].items()]
        out[unit_id] = scoring.UnitTotals(
            lead_count=u["n"],
            rates={
                scoring.TIMELINESS: (Fraction(u["timely"]), u["timely_n"]),
                scoring.CONSULTATION: (Fraction(u["consulted"]), u["consulted_n"]),
                scoring.REPLY_QUALITY: (Fraction(u["quality"]), u["quality_n"]),
                scoring.RESULT: (sum((n * w for n, w in weights), Fraction(0)), sum(n for n, _w in weights)),
                scoring.SATISFACTION: (sum((n * w for n, w in answers), Fraction(0)), sum(n for n, _w in answers)),
            },
            hits={
                scoring.OVERDUE_DEDUCTION: u["overdue"],
                scoring.DISSATISFIED_DEDUCTION: u["dissatisfied_closed"],
                scoring.KEY_CLOSED_BONUS: u["key_closed"],
            },
        )
    return out


def dump_totals(totals: dict[int, scoring.UnitTotals]) -> list:
    """`unit_totals` as JSON (the figure stored ahead, `precomputed.py`): per unit its id, its count, each rate
    rule's (numerator, denominator, n) and each deduction or bonus rule's hits."""
    return [
        [pk, t.lead_count, {r: [v.numerator, v.denominator, n] for r, (v, n) in t.rates.items()}, t.hits]
        for pk, t in totals.items()
    ]


def load_totals(rows: list) -> dict[int, scoring.UnitTotals]:
    """`dump_totals` read back."""
    return {
        pk: scoring.UnitTotals(
            lead_count=count,
            rates={r: (Fraction(num, den), n) for r, (num, den, n) in rates.items()},
            hits=dict(hits),
        )
        for pk, count, rates, hits in rows
    }


def unit_ranking(
    *,
    year: int,
    user,
    today: datetime.date | None = None,
    scheme=None,
    congress=None,
    totals: dict[int, scoring.UnitTotals] | None = None,
):
    """The ranking page's board: every unit of `congress` (None: the city's; `selectors.board_congress`) scored
    from its SQL totals (`unit_totals`, or the `totals` given: the city's, computed ahead), the same totals and
    ranks as `selectors.unit_scorecards`, in a fixed number of queries (no facts per suggestion: a unit's card,
    `boards.unit_scorecard`, has those). The scheme is applied here, on reading, so a new scheme shows at once."""
    from django.utils import timezone

    from deputyhome.organisation.models import HandlingUnit

    from .models import ScoringScheme
    from .selectors import ScoreBoard, UnitScore, can_view_scores, congress_units_q, new_board, rank_board

    if not can_view_scores(user):
        return ScoreBoard(year=year, scheme=ScoringScheme(year=year), items=[])
    today = today or timezone.localdate()
    board = new_board(year=year, user=user, scheme=scheme, congress=congress)
    specs = board.items
    units = congress_units_q(congress) if board.all_visible else Q(unit_id=user.unit_id)
    if totals is None or not board.all_visible:
        totals = unit_totals(year=year, today=today, units=units)
    if not board.all_visible:
        totals.setdefault(user.unit_id, scoring.UnitTotals(lead_count=0, rates={}, hits={}))
    named = HandlingUnit.objects.in_bulk(list(totals))
    scores = [
        UnitScore(unit=named[pk], card=scoring.score_totals(t, specs), suggestions=[], count=t.lead_count)
        for pk, t in totals.items()
        if pk in named  # a unit deleted since the totals were computed ahead
    ]
    return rank_board(board, scores)
