"""The ranking computed in SQL gives the very scores of the facts computed per suggestion, in a constant
number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.accounts.models import User
from deputyhome.supervision import ranking
from deputyhome.supervision.selectors import unit_scorecards
from deputyhome.supervision.tests.test_stats import year as year  # noqa: F401, PLC0414 - the constructed year

D = datetime.date
JUNE = D(2026, 6, 1)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june")]


def same(board_sql, board_py):
    def key(board):
        return [
            (
                u.unit.pk,
                u.rank,
                u.lead_count,
                u.card.total,
                u.card.raw_total,
                [(i.rule, i.earned, i.applicable, i.ratio, i.not_applicable, i.capped) for i in u.card.items],
            )
            for u in board.all_units
        ]

    assert key(board_sql) == key(board_py)


@pytest.mark.parametrize("persona", ["city", "unit", "unit_b"])
def test_sql_ranking_is_the_per_suggestion_scoring(people, city, course, year, persona):  # noqa: F811
    s2 = year[2]
    course.key(s2, on=D(2026, 2, 1))
    user = User.objects.get(pk=people[persona].pk)
    sql = ranking.unit_ranking(year=2026, user=user, today=JUNE)
    py = unit_scorecards(year=2026, user=user, today=JUNE)
    assert sql.all_units
    same(sql, py)
    # A later day turns more suggestions overdue: both see it alike.
    same(
        ranking.unit_ranking(year=2026, user=user, today=D(2026, 12, 1)),
        unit_scorecards(year=2026, user=user, today=D(2026, 12, 1)),
    )


def test_sql_ranking_queries_do_not_grow(people, city, course, year):  # noqa: F811
    user = User.objects.get(pk=people["city"].pk)
    ranking.unit_ranking(year=2026, user=user, today=JUNE)  # the year's scheme exists from now on
    with CaptureQueriesContext(connection) as small:
        ranking.unit_ranking(year=2026, user=user, today=JUNE)
    for _ in range(3):
        course.closed(city.unit_a, on=D(2026, 2, 2), result="basic")
        course.assigned(city.unit_b, on=D(2026, 2, 2), in_session=False)
    with CaptureQueriesContext(connection) as big:
        board = ranking.unit_ranking(year=2026, user=user, today=JUNE)
    assert len(big.captured_queries) == len(small.captured_queries) <= 5
    same(board, unit_scorecards(year=2026, user=user, today=JUNE))
