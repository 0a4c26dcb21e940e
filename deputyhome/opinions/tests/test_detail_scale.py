"""An opinion's page at province scale: the triage steps that read the scope (forward's units, the deputies who could
take the matter up, the merge candidates) are offered by their labels and load their forms when opened, so neither the
page nor a step's form reads more queries with many opinions, deputies and units than with few; a step's form is
refused outside the scope or the role, and says so when the opinion has moved on."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from deputyhome.core.tests.reading import read
from deputyhome.opinions import services
from deputyhome.opinions.views import LOADED_WHEN_OPENED
from deputyhome.testing import add_deputies, add_places, largest_select

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _reads(client, url: str, **headers) -> tuple[int, str]:
    page = read(client, url, **headers)
    return page.queries, page.html


def _urls(opinion) -> list[tuple[str, dict]]:
    steps = [(reverse("opinions:step_form", args=[opinion.pk, a]), HTMX) for a in LOADED_WHEN_OPENED]
    return [(reverse("opinions:detail", args=[opinion.pk]), {}), *steps]


@pytest.mark.parametrize("persona", ["township", "group", "deputy", "city"])
def test_the_page_and_each_steps_form_read_the_same_queries_with_few_and_many(
    client, personas, make_opinion, city, persona
):
    opinion = make_opinion()
    make_opinion(content="路灯坏了。", address="10.9.0.1")
    client.force_login(personas[persona])
    few = [_reads(client, url, **headers)[0] for url, headers in _urls(opinion)]
    # More of everything the steps offer: opinions at the station and to its deputies, deputies in the station's
    # group, and handling units past the drop-down's 100 (the forward form's picker becomes a search).
    for n in range(15):
        make_opinion(content=f"意见{n}", address=f"10.7.0.{n}")
        make_opinion(content=f"给代表的意见{n}", deputy=city.deputies_a[3], station=None, address=f"10.8.0.{n}")
    add_deputies(30, congress=city.city_congress, group=city.group_a, region=city.township_a)
    add_places(city, 110)
    many = [_reads(client, url, **headers) for url, headers in _urls(opinion)]
    # The same, but for the forward form's unit field: past 100 units its picker counts their ids and builds no
    # row (core.widgets.SearchSelect), one query fewer than the drop-down's.
    forward_at = 1 + LOADED_WHEN_OPENED.index("forward")
    expected = [n - 1 if i == forward_at else n for i, n in enumerate(few)]
    assert [n for n, _ in many] == expected
    page, forward, problem, suggestion, merge = (html for _, html in many)
    for action in LOADED_WHEN_OPENED:  # offered by label, the form loaded when the step is opened
        assert f'id="step-{action}"' in page and f"/act/{action}/form/" in page
    assert 'name="unit"' not in page and 'name="deputy"' not in page and 'name="into"' not in page
    assert 'id="step-reply"' in page and 'name="text"' in page  # the reply is written in place
    assert re.search(r'hx-get="/choices/active_unit/\?field=unit"', forward) and largest_select(forward) <= 100
    # The station's deputies in the user's scope, offered to take it up (a deputy: themself).
    offered = personas["deputy"].deputy.name if persona == "deputy" else "王29"
    assert offered in problem and offered in suggestion
    assert merge.count('name="into"') == 10  # the latest few candidates, then search as you type
    assert "<html" not in forward  # a fragment for the page


def test_without_script_a_steps_form_is_a_page_of_its_own(client, personas, make_opinion):
    opinion = make_opinion()
    client.force_login(personas["township"])
    _, html = _reads(client, reverse("opinions:step_form", args=[opinion.pk, "forward"]))
    assert "<html" in html and opinion.code_display in html
    assert f'action="{reverse("opinions:act", args=[opinion.pk, "forward"])}"' in html and 'name="unit"' in html


def test_a_step_no_longer_offered_says_so(client, personas, make_opinion, city):
    opinion = make_opinion()
    services.opinion_forward(opinion=opinion, unit=city.unit_a, actor=personas["township"])
    client.force_login(personas["township"])
    _, html = _reads(client, reverse("opinions:step_form", args=[opinion.pk, "forward"]), **HTMX)
    assert "状态已有变化" in html and "<form" not in html
    _, page = _reads(client, reverse("opinions:detail", args=[opinion.pk]))
    assert 'id="step-forward"' not in page


def test_another_townships_opinion_and_its_steps_are_refused(client, personas, make_opinion, city):
    theirs = make_opinion(station=city.station_b, address="10.0.0.9")
    mine = make_opinion(address="10.0.0.8")
    client.force_login(personas["township"])
    for url, headers in _urls(theirs):
        assert client.get(url, headers=headers).status_code == 404, url
    assert client.get(reverse("opinions:step_form", args=[mine.pk, "nonsense"])).status_code == 404
    client.force_login(personas["supervisor"])  # reads opinions, does not triage them
    page = client.get(reverse("opinions:detail", args=[mine.pk])).content.decode()
    assert "step-forward" not in page
    assert client.get(reverse("opinions:step_form", args=[mine.pk, "forward"])).status_code == 403
