"""The city congress's ranking is served from totals computed ahead (`supervision.precomputed`) until a suggestion
or a unit changes (or the day does); a unit's card reads its own suggestions and takes its rank from the ranking."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.figures.models import FigureSnapshot
from deputyhome.organisation import services as org_services
from deputyhome.supervision import scoring
from deputyhome.supervision.precomputed import UNIT_TOTALS
from deputyhome.supervision.selectors import unit_scorecards
from deputyhome.supervision.tests.conftest import TZ, url
from deputyhome.supervision.tests.test_stats import year as year  # noqa: F401, PLC0414 - the constructed year

D = datetime.date
JUNE = D(2026, 6, 1)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("deputyhome.supervision.tests.urls"),
    pytest.mark.usefixtures("june"),
]


def opened(client, address):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def key(board):
    return [(u.unit.pk, u.rank, u.lead_count, u.card.total, [i.earned for i in u.card.items]) for u in board.all_units]


def test_the_ranking_is_served_from_the_snapshot_until_a_suggestion_moves(login, people, city, course, two_units):
    client = login(people["city"])
    first, computed = opened(client, url("scores"))
    assert first.context["figures"].computed_now
    again, served = opened(client, url("scores"))
    assert not again.context["figures"].computed_now and served < computed
    assert "数据计算于" in again.content.decode()
    assert key(again.context["board"]) == key(unit_scorecards(year=2026, user=people["city"], today=JUNE))
    assert FigureSnapshot.objects.filter(name=UNIT_TOTALS, key="city:2026").exists()

    course.closed(city.unit_b, on=D(2026, 2, 1), code="C", result="dissatisfied")  # through the services, audited
    after, _n = opened(client, url("scores"))
    assert after.context["figures"].computed_now
    board = after.context["board"]
    assert board.for_unit(city.unit_b.pk).lead_count == 2
    assert key(board) == key(unit_scorecards(year=2026, user=people["city"], today=JUNE))


def test_a_change_to_the_units_recomputes_it(login, people, city, two_units):
    # Which units serve the city congress is a unit's region (organisation): its writes make the totals stale.
    client = login(people["supervisor"])
    opened(client, url("scores"))
    assert not opened(client, url("scores"))[0].context["figures"].computed_now
    org_services.unit_update(unit=city.unit_b, data={"name": "市交通运输局（更名）"}, actor=people["city"])
    response, _n = opened(client, url("scores"))
    assert response.context["figures"].computed_now
    assert "市交通运输局（更名）" in response.content.decode()


def test_a_snapshot_of_another_day_is_recomputed(login, people, city, course, year, june):  # noqa: F811
    course.assigned(city.unit_a, on=D(2026, 5, 20))  # due in three months: overdue by December
    client = login(people["leader"])
    before, _n = opened(client, url("scores"))
    overdue_in_june = before.context["board"].for_unit(city.unit_a.pk).card.item(scoring.OVERDUE_DEDUCTION).applicable
    june.move_to(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=TZ))
    User.objects.filter(pk=people["leader"].pk).update(password_changed_at=timezone.now())  # not expired by then
    later, _n = opened(login(people["leader"]), url("scores"))
    assert later.context["figures"].computed_now  # no write since, but another day
    board = later.context["board"]
    assert board.for_unit(city.unit_a.pk).card.item(scoring.OVERDUE_DEDUCTION).applicable > overdue_in_june
    assert key(board) == key(unit_scorecards(year=2026, user=people["leader"], today=D(2026, 12, 1)))


def test_the_ranking_page_queries_do_not_grow(login, people, city, course, two_units):
    client = login(people["city"])

    def served():
        opened(client, url("scores"))  # computes the snapshot where the data changed
        return opened(client, url("scores"))[1]

    small = served()
    for _ in range(3):
        course.closed(city.unit_a, on=D(2026, 2, 2), result="basic")
        course.assigned(city.unit_b, on=D(2026, 2, 2), in_session=False)
    assert served() == small


def test_a_units_card_takes_its_rank_from_the_ranking(login, people, city, course, two_units):
    client = login(people["city"])
    board, _n = opened(client, url("scores"))
    placed = {u.unit.pk: u.rank for u in board.context["board"].ranked}
    card, _n = opened(client, url("score_detail", city.unit_a.pk))
    own = card.context["unit_score"]
    assert own.rank == placed[city.unit_a.pk] == 1
    assert [s.pk for s in own.suggestions] == [two_units[0].pk, two_units[1].pk]  # its own, not unit B's
    assert own.card.total == board.context["board"].for_unit(city.unit_a.pk).card.total
    assert "数据计算于" in card.content.decode()
    unranked, _n = opened(client, url("score_detail", city.unit_b.pk))  # leads one: fewer than the scheme's two
    assert not unranked.context["unit_score"].ranked and "不参与排名" in unranked.content.decode()


def test_a_units_card_queries_do_not_grow(login, people, city, course, two_units):
    client = login(people["supervisor"])

    def served():
        opened(client, url("score_detail", city.unit_a.pk))
        return opened(client, url("score_detail", city.unit_a.pk))[1]

    small = served()
    for _ in range(3):
        s = course.closed(city.unit_a, on=D(2026, 3, 2), result="dissatisfied")
        course.review(course.reply(s, on=D(2026, 3, 20)), on=D(2026, 3, 21))
        course.assigned(city.unit_b, on=D(2026, 3, 2))
    assert served() == small


def test_a_unit_clerks_own_card_reads_the_unit_once_and_does_not_grow(login, people, city, course, two_units):
    client = login(people["unit"])
    address = url("score_detail", city.unit_a.pk)
    opened(client, address)

    def served() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(address).status_code == 200
        units = [q for q in ctx.captured_queries if q["sql"].startswith('SELECT "organisation_handlingunit"')]
        return len(ctx.captured_queries), len(units)

    small = served()
    assert small[1] == 1  # the card's unit is the clerk's: read once
    for _ in range(3):
        s = course.closed(city.unit_a, on=D(2026, 3, 2), result="dissatisfied")
        course.review(course.reply(s, on=D(2026, 3, 20)), on=D(2026, 3, 21))
    assert served() == small
    assert login(people["unit"]).get(url("score_detail", city.unit_b.pk)).status_code == 404  # another unit's


def test_refresh_figures_keeps_this_and_last_years_ranking_warm(people, two_units):
    call_command("refresh_figures")
    keys = set(FigureSnapshot.objects.filter(name=UNIT_TOTALS).values_list("key", flat=True))
    assert keys == {"city:2026", "city:2025"}


def test_a_township_officers_ranking_is_counted_now(login, people, city, two_units):
    response, _n = opened(login(people["township_b"]), url("scores"))
    assert response.context["figures"] is None
    assert not FigureSnapshot.objects.filter(name=UNIT_TOTALS).exists()


def test_another_congress_units_card_is_refused(login, people, city, two_units):
    assert login(people["township_b"]).get(url("score_detail", city.unit_a.pk)).status_code == 404
    assert login(people["unit_b"]).get(url("score_detail", city.unit_a.pk)).status_code == 404


def test_the_ranking_is_paginated(login, people, city, two_units, monkeypatch):
    from deputyhome.supervision import views

    monkeypatch.setattr(views, "RANKING_PAGE", 1)
    client = login(people["city"])
    first = client.get(url("scores")).content.decode()
    assert city.unit_a.name in first and city.unit_b.name not in first and "第 1 / 2 页" in first
    assert "year=2026&amp;page=2" in first
    second = client.get(url("scores") + "&page=2").content.decode()
    assert city.unit_b.name in second and city.unit_a.name not in second and "<h2>不参与排名</h2>" in second
    assert "暂无参与排名" not in second  # unit A is ranked, on the first page
