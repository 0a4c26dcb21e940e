"""The draft form at province scale: an officer entering a deputy's suggestion searches the congress and the
session as you type (a province has a thousand current congresses and five thousand sessions: the page was 540 KB),
among those of their own scope; a deputy drafting sees only the sessions of the congresses they may submit to.
A searched value saves; another scope's session is refused in Chinese and nothing is written."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from deputyhome.organisation.models import Congress, Session
from deputyhome.suggestions.models import Suggestion
from deputyhome.testing import add_places, add_township_congresses, largest_select

pytestmark = pytest.mark.django_db

URL = "/suggestions/new/"
OUT_OF_SCOPE = "不存在或不在您的管辖范围内"


@pytest.fixture
def province(city):
    """150 more townships, each with a current congress holding one session this year."""
    add_places(city, 150)
    congresses = add_township_congresses()
    Session.objects.bulk_create(
        [
            Session(
                congress=c,
                number=1,
                name=f"{c.name}第一次会议",
                start_date=datetime.date(2026, 3, 1),
                end_date=datetime.date(2026, 3, 2),
            )
            for c in congresses
        ]
    )
    return city


@pytest.fixture
def township_session(city):
    return Session.objects.create(
        congress=city.township_congress_b,
        number=3,
        name="白杨坪镇第十九届人民代表大会第三次会议",
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2026, 2, 2),
    )


def _search(client, kind: str, field: str, q: str) -> str:
    return client.get(reverse("core:choice_search", args=[kind]), {"field": field, f"{field}_q": q}).content.decode()


def test_an_officer_searches_the_congress_and_the_session(client, personas, province, session):
    client.force_login(personas["city"])
    html = client.get(URL).content.decode()
    assert largest_select(html) <= 100 and len(html) < 50_000
    for kind, name in (("entry_congress", "congress"), ("entry_session", "session")):
        assert f'<select name="{name}"' not in html
        assert f'hx-get="/choices/{kind}/?field={name}"' in html
    assert "新设7镇第一届人民代表大会第一次会议" in _search(client, "entry_session", "session", "新设7镇")
    # A township officer's: the city's congress over them, not another township's.
    client.force_login(personas["township"])
    found = _search(client, "entry_session", "session", "")
    assert session.name in found and "新设7镇" not in found
    theirs = Congress.objects.get(name="新设7镇第一届人民代表大会")
    assert f'value="{theirs.pk}"' not in _search(client, "entry_congress", "congress", "新设7镇")
    client.force_login(personas["city"])
    assert f'value="{theirs.pk}"' in _search(client, "entry_congress", "congress", "新设7镇")


def test_an_officers_entry_saves_with_a_searched_session_and_refuses_another_scopes(
    client, personas, province, township_session
):
    both = province.deputies_b[0]  # a city and a township mandate (白杨坪镇)
    client.force_login(personas["city"])
    data = {"author": both.pk, "title": "关于修缮村道的建议", "proposals": "修缮村道"}
    done = client.post(URL, {**data, "congress": province.township_congress_b.pk, "session": township_session.pk})
    assert done.status_code == 302
    s = Suggestion.objects.get()
    assert (s.congress, s.session) == (province.township_congress_b, township_session)

    elsewhere = Session.objects.get(name="新设7镇第一届人民代表大会第一次会议")
    client.force_login(personas["township_b"])
    refused = client.post(URL, {**data, "session": elsewhere.pk})
    html = refused.content.decode()
    assert refused.status_code == 400 and f"所选的“提出时间”{OUT_OF_SCOPE}" in html
    assert Suggestion.objects.count() == 1


def test_a_deputy_sees_only_the_sessions_of_their_own_congresses(client, personas, province, session):
    client.force_login(personas["deputy"])  # a city deputy of 六角亭街道
    html = client.get(URL).content.decode()
    sessions = html.split('<select name="session"')[1].split("</select>")[0]
    assert session.name in sessions and "新设" not in sessions and 'hx-get="/choices/' not in html
    refused = client.post(
        URL, {"title": "关于路灯的建议", "session": Session.objects.filter(name__startswith="新设")[0].pk}
    )
    assert refused.status_code == 400 and not Suggestion.objects.exists()
