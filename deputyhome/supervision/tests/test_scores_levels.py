"""Unit scores per congress: a township officer scores their own offices with their congress's scheme (the default
until they set their own), the city's roles score the city's units and read a township's; computed in SQL."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.accounts.models import User
from deputyhome.organisation.models import HandlingUnit
from deputyhome.suggestions.choices import AssignmentStatus, UnitRole
from deputyhome.suggestions.models import Assignment, Suggestion
from deputyhome.supervision import ranking, services
from deputyhome.supervision.models import ScoringScheme
from deputyhome.supervision.selectors import board_congress, unit_scorecards
from deputyhome.supervision.tests.test_stats_levels import town_c as town_c  # noqa: F401, PLC0414
from deputyhome.supervision.tests.test_stats_levels import township_suggestions

D = datetime.date
JUNE = D(2026, 6, 1)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june")]


def led(unit, *, congress, region, author, by, n: int, start: int = 0) -> None:
    """`n` township suggestions led by `unit` (assigned ones get their lead assignment)."""
    township_suggestions(n, congress=congress, region=region, author=author, by=by, unit=unit, start=start)
    for s in Suggestion.objects.filter(congress=congress, assigned_on__isnull=False, assignments__isnull=True):
        Assignment.objects.create(
            suggestion=s, unit=unit, role=UnitRole.LEAD, status=AssignmentStatus.ACTIVE, assigned_on=s.assigned_on
        )


@pytest.fixture
def offices(city, people, course, town_c):  # noqa: F811
    """The city's unit A leads a closed suggestion; 白杨坪镇's two offices and 新塘乡's one lead theirs."""
    course.closed(city.unit_a, on=D(2026, 1, 20), result="satisfied")
    fin = HandlingUnit.objects.create(name="白杨坪镇财政所", region=city.township_b)
    farm = HandlingUnit.objects.create(name="白杨坪镇农业服务中心", region=city.township_b)
    tb = {"congress": city.township_congress_b, "region": city.township_b, "by": people["township_b"]}
    led(fin, author=city.deputies_b[0], n=4, **tb)
    led(farm, author=city.deputies_b[0], n=3, start=10, **tb)
    region, congress, officer, unit = town_c
    led(unit, congress=congress, region=region, author=city.deputies_b[1], by=officer, n=3)
    return fin, farm, unit


def names(board):
    return sorted(u.unit.name for u in board.all_units)


def test_township_officer_ranks_their_offices(people, city, offices):
    officer = User.objects.get(pk=people["township_b"].pk)
    congress = board_congress(officer, "999")  # whatever is asked, their own congress
    assert congress == city.township_congress_b
    board = ranking.unit_ranking(year=2026, user=officer, today=JUNE, congress=congress)
    assert names(board) == ["白杨坪镇农业服务中心", "白杨坪镇财政所"]
    py = unit_scorecards(year=2026, user=officer, today=JUNE, congress=congress)
    assert [(u.unit.pk, u.card.total, u.lead_count) for u in board.all_units] == [
        (u.unit.pk, u.card.total, u.lead_count) for u in py.all_units
    ]


def test_city_ranks_the_city_units_and_reads_a_township(login, people, city, offices):
    client = login(people["city"])
    html = client.get("/supervision/scores/", {"year": 2026}).content.decode()
    assert "市住房和城乡建设局" in html and "白杨坪镇财政所" not in html and "新塘乡" not in html
    html = client.get("/supervision/scores/", {"year": 2026, "congress": city.township_congress_b.pk}).content.decode()
    assert "白杨坪镇财政所" in html and "市住房和城乡建设局" not in html and "新塘乡农业服务中心" not in html
    assert "只读" in html and "/supervision/scheme/" not in html


def test_another_township_is_refused(login, people, city, offices):
    fin, _farm, other = offices
    client = login(people["township_b"])
    html = client.get("/supervision/scores/", {"year": 2026}).content.decode()
    assert "白杨坪镇财政所" in html and "新塘乡农业服务中心" not in html and "市住房和城乡建设局" not in html
    assert client.get(f"/supervision/scores/{fin.pk}/", {"year": 2026}).status_code == 200
    assert client.get(f"/supervision/scores/{other.pk}/", {"year": 2026}).status_code == 404
    assert client.get(f"/supervision/scores/{city.unit_a.pk}/", {"year": 2026}).status_code == 404


def test_a_township_sets_its_own_scheme(people, city, offices):
    officer = people["township_b"]
    default = services.scheme_for_year(year=2026, actor=officer, region=city.township_b)
    assert default.region_id is None
    with pytest.raises(ValidationError):
        services.scheme_update(
            scheme=default,
            items={"timeliness": {"points": "abc"}},
            min_suggestions=1,
            actor=officer,
            region=city.township_b,
        )
    assert not ScoringScheme.objects.filter(region=city.township_b).exists()  # bad input wrote nothing
    own = services.scheme_update(
        scheme=default, items={"timeliness": {"points": "40"}}, min_suggestions=1, actor=officer, region=city.township_b
    )
    assert own.region_id == city.township_b.pk and own.pk != default.pk
    assert services.scheme_for_year(year=2026, region=city.township_b).pk == own.pk
    assert services.scheme_for_year(year=2026).items.get(rule="timeliness").points == 25  # the city's unchanged
    board = ranking.unit_ranking(year=2026, user=officer, today=JUNE, congress=city.township_congress_b)
    assert board.scheme.pk == own.pk and board.ranked  # min 1: both offices ranked


def test_township_ranking_queries_constant(people, city, offices):
    fin, _farm, _other = offices
    officer = User.objects.get(pk=people["township_b"].pk)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            ranking.unit_ranking(year=2026, user=officer, today=JUNE, congress=city.township_congress_b)
        return len(ctx.captured_queries)

    measure()
    small = measure()
    led(
        fin,
        congress=city.township_congress_b,
        region=city.township_b,
        author=city.deputies_b[0],
        by=officer,
        n=20,
        start=50,
    )
    assert measure() == small <= 6
