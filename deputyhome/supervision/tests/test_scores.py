"""Scorecards built from the real course of suggestions: facts, scheme changes, ranking, queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.audit.models import AuditEvent
from deputyhome.supervision import scoring
from deputyhome.supervision.boards import unit_scorecard
from deputyhome.supervision.models import ScoringScheme
from deputyhome.supervision.selectors import unit_scorecards
from deputyhome.supervision.services import scheme_for_year, scheme_update

from .conftest import D

pytestmark = pytest.mark.django_db
JUNE = D(2026, 6, 1)
T = Decimal


def card_of(user, unit, today=JUNE, year=2026):
    board = unit_scorecards(year=year, user=user, today=today)
    return board.for_unit(unit.pk)


def test_default_scheme_is_created_once_and_audited(people):
    assert not ScoringScheme.objects.filter(year=2026).exists()
    scheme = scheme_for_year(year=2026, actor=people["city"])
    assert scheme.min_suggestions == 2
    assert [(i.rule, i.points, i.cap) for i in scheme.items.all()] == [
        (s.rule, s.points, s.cap) for s in scoring.DEFAULT_ITEMS
    ]
    assert scheme_for_year(year=2026).pk == scheme.pk
    assert AuditEvent.objects.filter(action="scoring_scheme.create").count() == 1


def test_facts_and_scores_of_a_good_year(people, city, two_units):
    a1, a2, _b1 = two_units
    unit = card_of(people["city"], city.unit_a)
    facts = {f.key: f for f in unit.card.facts}
    assert facts[a1.pk].on_time and facts[a1.pk].consulted_before_reply and facts[a1.pk].first_reply_accepted
    assert facts[a2.pk].result_weight == T("0.80") and facts[a2.pk].final_satisfaction == "basic"
    # 25 + 20 + 15 + 20 × 0.9 + 20 × 0.9
    assert unit.card.total == T("96.00")
    assert unit.ranked and unit.rank == 1


def test_a_late_reply_costs_timeliness_and_a_deduction(people, city, course, two_units):
    s = course.assigned(city.unit_a, on=D(2026, 1, 20))
    assert s.due_on == D(2026, 4, 20)
    before = card_of(people["city"], city.unit_a, today=D(2026, 3, 1)).card
    assert before.total == T("96.00")  # pending and not yet due: no item applies to it
    s = course.reply(s, on=D(2026, 5, 6))
    s = course.review(s, on=D(2026, 5, 7))
    course.evaluate(s, on=D(2026, 5, 8))
    card = card_of(people["city"], city.unit_a).card
    facts = next(f for f in card.facts if f.key == s.pk)
    assert facts.on_time is False and facts.overdue
    assert card.item(scoring.TIMELINESS).earned == T("16.67")
    assert card.item(scoring.OVERDUE_DEDUCTION).earned == T("-2.00")
    # 16.67 + 20 + 15 + 18.67 + 18.67 − 2
    assert card.total == T("87.01")


def test_overdue_without_reply_counts_as_late(people, city, course, two_units):
    s = course.assigned(city.unit_a, on=D(2026, 1, 20))
    card = card_of(people["city"], city.unit_a, today=D(2026, 4, 21)).card
    facts = next(f for f in card.facts if f.key == s.pk)
    assert facts.on_time is False and facts.overdue and facts.result_weight is None
    assert card.item(scoring.OVERDUE_DEDUCTION).contributions == {s.pk: T("-2.00")}


def test_dissatisfied_deputy_lowers_the_score(people, city, course, two_units):
    assert card_of(people["city"], city.unit_b).card.total == T("100.00")
    s = course.assigned(city.unit_b, on=D(2026, 2, 2))
    s = course.reply(s, on=D(2026, 2, 10))
    s = course.review(s, on=D(2026, 2, 11))
    s = course.evaluate(s, on=D(2026, 2, 12), result="dissatisfied")
    assert s.state == "rehandling" and s.round == 2
    card = card_of(people["city"], city.unit_b, today=D(2026, 2, 13)).card
    assert card.item(scoring.SATISFACTION).earned == T("10.00")  # the round-1 rating stands for now
    assert card.item(scoring.DISSATISFIED_DEDUCTION).earned == 0
    assert card.total == T("90.00")
    s = course.reply(s, on=D(2026, 2, 25))
    s = course.review(s, on=D(2026, 2, 26))
    s = course.evaluate(s, on=D(2026, 2, 27), result="dissatisfied")
    assert s.state == "closed"
    card = card_of(people["city"], city.unit_b).card
    assert card.item(scoring.DISSATISFIED_DEDUCTION).contributions == {s.pk: T("-2.00")}
    assert card.total == T("88.00")


def test_sent_back_reply_and_silence(people, city, course, two_units):
    s = course.assigned(city.unit_b, on=D(2026, 2, 2))
    s = course.reply(s, on=D(2026, 2, 10))
    s = course.review(s, on=D(2026, 2, 11), accept=False)
    s = course.reply(s, on=D(2026, 2, 12), consult=False)
    s = course.review(s, on=D(2026, 2, 13))
    s = course.silent(s, on=D(2026, 3, 20))
    assert s.state == "closed"
    card = card_of(people["city"], city.unit_b).card
    facts = next(f for f in card.facts if f.key == s.pk)
    assert facts.first_reply_accepted is False and facts.final_satisfaction == "no_response"
    assert facts.consulted_before_reply is True  # the round's consultation came before its first reply
    assert card.item(scoring.REPLY_QUALITY).earned == T("7.50")
    assert card.item(scoring.SATISFACTION).earned == T("16.00")  # 20 × (1 + 0.6) / 2


def test_key_supervision_closed_earns_the_bonus(people, city, course, two_units):
    s = course.assigned(city.unit_a, on=D(2026, 2, 2))
    course.key(s, on=D(2026, 2, 3))
    s = course.reply(s, on=D(2026, 2, 10))
    s = course.review(s, on=D(2026, 2, 11))
    course.evaluate(s, on=D(2026, 2, 12))
    card = card_of(people["city"], city.unit_a).card
    assert card.item(scoring.KEY_CLOSED_BONUS).contributions == {s.pk: T("1.00")}
    assert card.bonus == T("1.00")


def test_changing_the_scheme_recomputes(people, city, course, two_units):
    s = course.assigned(city.unit_a, on=D(2026, 1, 20))
    course.review(course.reply(s, on=D(2026, 5, 6)), on=D(2026, 5, 7))
    assert card_of(people["city"], city.unit_a).card.total == T("86.34")  # evaluation pending
    scheme = scheme_for_year(year=2026)
    scheme_update(
        scheme=scheme,
        items={"timeliness": {"label": "按期答复", "points": T("40"), "cap": None}},
        min_suggestions=2,
        actor=people["city"],
    )
    card = card_of(people["city"], city.unit_a).card
    assert card.full_marks == T("115.00")
    assert card.item(scoring.TIMELINESS).earned == T("26.67")
    row = AuditEvent.objects.get(action="scoring_scheme.update")
    assert row.changes["timeliness"][0]["points"] == "25.00" and row.changes["timeliness"][1]["points"] == "40"
    scheme_update(
        scheme=scheme,
        items={"overdue_deduction": {"label": "逾期扣分", "points": T("5"), "cap": T("4")}},
        min_suggestions=2,
        actor=people["city"],
    )
    card = card_of(people["city"], city.unit_a).card
    assert card.item(scoring.OVERDUE_DEDUCTION).earned == T("-4.00") and card.item(scoring.OVERDUE_DEDUCTION).capped
    assert card.item(scoring.OVERDUE_DEDUCTION).label == "逾期扣分"


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ({"timeliness": {"points": "-1"}}, "应在0到100之间"),
        ({"timeliness": {"points": "abc"}}, "应为数字"),
        ({"timeliness": {"points": "1.234"}}, "两位小数"),
        ({"nonsense": {"points": "1"}}, "未知的计分项"),
        ({r: {"points": "0"} for r in scoring.RATE_RULES}, "合计须大于0"),
    ],
)
def test_scheme_update_refuses_bad_input(people, items, message):
    scheme = scheme_for_year(year=2026)
    with pytest.raises(ValidationError, match=message):
        scheme_update(scheme=scheme, items=items, min_suggestions=2, actor=people["city"])
    assert not AuditEvent.objects.filter(action="scoring_scheme.update").exists()
    assert scheme.items.get(rule="timeliness").points == 25


def test_min_suggestions_leaves_small_units_out_of_the_ranking(people, city, two_units):
    board = unit_scorecards(year=2026, user=people["city"], today=JUNE)
    assert [u.unit for u in board.ranked] == [city.unit_a]
    assert [(u.unit, u.lead_count, u.rank) for u in board.unranked] == [(city.unit_b, 1, None)]
    scheme_update(scheme=board.scheme, items={}, min_suggestions=1, actor=people["city"])
    board = unit_scorecards(year=2026, user=people["city"], today=JUNE)
    assert [(u.unit, u.rank) for u in board.ranked] == [(city.unit_b, 1), (city.unit_a, 2)]
    assert board.unranked == []


def test_other_years_are_separate(people, city, course, two_units):
    board = unit_scorecards(year=2025, user=people["city"], today=JUNE)
    assert board.all_units == []
    assert ScoringScheme.objects.filter(year=2025).exists()


def test_unit_clerk_sees_only_their_own_card(people, city, two_units):
    board = unit_scorecards(year=2026, user=people["unit_b"], today=JUNE)
    assert not board.all_visible
    assert [u.unit for u in board.all_units] == [city.unit_b]
    assert board.ranked == [] and board.all_units[0].rank is None
    assert unit_scorecard(year=2026, user=people["unit_b"], unit_id=city.unit_a.pk, today=JUNE) is None
    _board, own, _figures = unit_scorecard(year=2026, user=people["unit_b"], unit_id=city.unit_b.pk, today=JUNE)
    assert own.card.total == T("100.00")


@pytest.mark.parametrize("persona", ["deputy", "township", "group", "sysadmin", "auditor"])
def test_other_roles_see_no_scores(people, two_units, persona):
    assert unit_scorecards(year=2025, user=people[persona], today=JUNE).all_units == []
    assert unit_scorecards(year=2026, user=people[persona], today=JUNE).all_units == []
    assert not ScoringScheme.objects.filter(year=2025).exists()  # nor does looking create anything


def test_queries_do_not_grow_with_data(people, city, course, two_units, django_assert_num_queries):
    user = people["city"]
    scheme_for_year(year=2026)
    with CaptureQueriesContext(connection) as small:
        unit_scorecards(year=2026, user=user, today=JUNE)
    for i in range(3):
        unit = city.unit_a if i % 2 else city.unit_b
        s = course.closed(unit, on=D(2026, 3, 2), result="dissatisfied")
        course.review(course.reply(s, on=D(2026, 3, 20)), on=D(2026, 3, 21))
        course.assigned(unit, on=D(2026, 3, 2))
    with django_assert_num_queries(len(small.captured_queries)):
        board = unit_scorecards(year=2026, user=user, today=JUNE)
    assert sum(u.lead_count for u in board.all_units) == 9
    assert len(small.captured_queries) == 7  # scheme, items, lead assignments, four prefetches
