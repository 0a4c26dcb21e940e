"""On the demo city: the figures by level keep the article's, and the ranking computed in SQL is the ranking
computed per suggestion, unit by unit and item by item."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.supervision import ranking
from deputyhome.supervision.selectors import unit_scorecards
from deputyhome.supervision.stats import suggestion_stats

pytestmark = pytest.mark.usefixtures("demo_city")


def test_city_figures_stay_the_articles(db):
    data = suggestion_stats(user=User.objects.get(username="city"), year=timezone.localdate().year)
    assert (data["received"], data["received_in_session"], data["received_in_recess"]) == (120, 118, 2)
    city_rows = [r for r in data["by_congress"] if r["level"] == "city"]
    assert [r["received"] for r in city_rows] == [120]


@pytest.mark.parametrize("later", [0, 200])
def test_sql_ranking_is_the_demo_ranking(db, later):
    user = User.objects.get(username="city")
    today = timezone.localdate() + datetime.timedelta(days=later)  # later: more of them overdue
    year = timezone.localdate().year
    sql = ranking.unit_ranking(year=year, user=user, today=today)
    py = unit_scorecards(year=year, user=user, today=today)
    assert len(sql.all_units) == len(py.all_units) > 10

    def key(board):
        return [
            (u.unit.name, u.rank, u.lead_count, u.card.total, [(i.rule, i.earned, i.applicable) for i in u.card.items])
            for u in board.all_units
        ]

    assert key(sql) == key(py)


def test_dashboard_by_level(client, db):
    client.force_login(User.objects.get(username="city"))
    response = client.get("/")
    html = response.content.decode()
    assert len(response.content) < 200_000
    assert "恩施市各乡镇（街道）情况" in html
    assert html.count('<td data-label="乡镇（街道）">') == 19
    assert '<td data-label="层级">市级人大</td><td data-label="收到">120</td>' in html
