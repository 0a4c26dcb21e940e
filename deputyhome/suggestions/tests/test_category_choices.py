"""A township congress keeps its own suggestion categories beside the common list: its officer's filters and the
problem form offer the common ones and their own, not another township's (`accounts.scopes.categories_q`); the
city's officers every congress's."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from deputyhome.activities.models import Problem
from deputyhome.suggestions.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_lists(city, categories):
    ours = Category.objects.create(name="茶叶产业（本镇）", region=city.township_a)
    theirs = Category.objects.create(name="茶叶产业（他镇）", region=city.township_b)
    return ours, theirs


def _category_select(html: str) -> str:
    """The category field's options alone (a deputy's or an activity's id may be the same number)."""
    found = re.search(r'<select name="category".*?</select>', html, re.S)
    assert found, "no category field on the page"
    return found.group(0)


def _search(client, q: str) -> str:
    url = reverse("core:choice_search", args=["category"])
    return client.get(url, {"field": "category", "category_q": q}).content.decode()


def test_a_township_officer_is_offered_the_common_categories_and_their_own(client, personas, own_lists):
    ours, theirs = own_lists
    common = Category.objects.filter(region__isnull=True).order_by("pk").first()
    client.force_login(personas["township"])
    html = _search(client, "茶叶")
    assert f'value="{ours.pk}"' in html and f'value="{theirs.pk}"' not in html
    assert f'value="{common.pk}"' in _search(client, common.name)
    client.force_login(personas["city"])
    html = _search(client, "茶叶")
    assert f'value="{ours.pk}"' in html and f'value="{theirs.pk}"' in html


def test_another_townships_category_is_not_a_choice_of_the_register_filter(client, personas, own_lists):
    ours, theirs = own_lists
    client.force_login(personas["township"])
    refused = client.get(reverse("suggestions:list"), {"category": theirs.pk})
    assert refused.status_code == 200
    assert "选择一个有效的选项" in refused.content.decode()
    kept = client.get(reverse("suggestions:list"), {"category": ours.pk})
    assert kept.status_code == 200 and "选择一个有效的选项" not in kept.content.decode()


def test_the_problem_form_refuses_another_townships_category_and_writes_nothing(client, personas, city, own_lists):
    ours, theirs = own_lists
    client.force_login(personas["township"])
    data = {"text": "茶园道路损毁", "place": "六角亭", "deputy": city.deputies_a[0].pk, "date": "2026-03-04"}
    response = client.post(reverse("activities:problem_create"), {**data, "category": theirs.pk})
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    assert not Problem.objects.filter(text="茶园道路损毁").exists()
    response = client.post(reverse("activities:problem_create"), {**data, "category": ours.pk})
    assert response.status_code == 302
    assert Problem.objects.get(text="茶园道路损毁").category == ours


def test_editing_a_problem_keeps_its_category_when_it_is_no_longer_offered(client, personas, city, own_lists):
    """A problem the city filed under another township's category, or under one retired since: its township's
    officer edits the text, and the category stays (the form offers it, selected), with nothing else added."""
    ours, theirs = own_lists
    retired = Category.objects.create(name="已停用分类", is_active=False)
    client.force_login(personas["city"])
    data = {"text": "茶园道路损毁", "place": "六角亭", "deputy": city.deputies_a[0].pk, "date": "2026-03-04"}
    assert client.post(reverse("activities:problem_create"), {**data, "category": theirs.pk}).status_code == 302
    problem = Problem.objects.get(text="茶园道路损毁")
    client.force_login(personas["township"])
    for kept in (theirs, retired):
        Problem.objects.filter(pk=problem.pk).update(category=kept)
        url = reverse("activities:problem_update", args=[problem.pk])
        html = _category_select(client.get(url).content.decode())
        assert f'<option value="{kept.pk}" selected>' in html
        other = retired if kept == theirs else theirs
        assert f'value="{other.pk}"' not in html  # only the problem's own is kept, not the rest of the list
        response = client.post(url, {**data, "text": "茶园道路损毁（已核实）", "category": kept.pk})
        assert response.status_code == 302
        problem.refresh_from_db()
        assert problem.category == kept and problem.text == "茶园道路损毁（已核实）"
        data["text"] = problem.text


def test_an_opinion_turned_into_a_problem_is_filed_under_the_officers_categories(client, personas, city, own_lists):
    """The triage step 形成问题 of a voter's opinion offers the same categories as the problem form."""
    from deputyhome.opinions import services as opinion_services

    ours, theirs = own_lists
    opinion = opinion_services.opinion_submit(
        data={"content": "茶园道路损毁，雨天无法通行。", "consent": True},
        station=city.station_a,
        deputy=None,
        client_address="10.0.0.1",
    )
    client.force_login(personas["township"])
    html = _category_select(client.get(reverse("opinions:step_form", args=[opinion.pk, "to_problem"])).content.decode())
    assert f'value="{ours.pk}"' in html and f'value="{theirs.pk}"' not in html
    refused = client.post(reverse("opinions:act", args=[opinion.pk, "to_problem"]), {"category": theirs.pk})
    assert refused.status_code == 400 and "选择一个有效的选项" in refused.content.decode()
    assert not Problem.objects.exists()
    assert (
        client.post(reverse("opinions:act", args=[opinion.pk, "to_problem"]), {"category": ours.pk}).status_code == 302
    )
    assert Problem.objects.get().category == ours
