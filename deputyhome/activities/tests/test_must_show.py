"""Must show: a problem turned into a suggestion appears in the suggestion workflow and links back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.activities import services
from deputyhome.activities.choices import ProblemStatus
from deputyhome.suggestions import services as suggestion_services
from deputyhome.suggestions.choices import State
from deputyhome.suggestions.models import Category, Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def raised_by_deputy(city, personas, activity):
    """A problem the deputy persona raised during the group's visit."""
    return services.problem_create(
        data={
            "text": "西门社区老街排水沟堵塞，雨天积水进屋。",
            "place": "西门社区老街",
            "category": Category.objects.get(name="城乡建设与管理"),
            "deputy": personas["deputy"].deputy,
            "activity": activity,
        },
        actor=personas["township"],
    )


def test_problem_to_suggestion_through_the_pages_and_back(client, personas, raised_by_deputy):
    problem = raised_by_deputy
    officer = personas["township"]
    client.force_login(officer)

    # The officer confirms on the problem's action page; the draft opens.
    confirm = client.get(reverse("activities:problem_action", args=[problem.pk, "to_suggestion"]))
    assert "形成代表建议" in confirm.content.decode()
    response = client.post(reverse("activities:problem_action", args=[problem.pk, "to_suggestion"]), follow=True)
    assert response.status_code == 200
    suggestion = Suggestion.objects.get()
    assert response.redirect_chain[-1][0] == suggestion.get_absolute_url()
    page = response.content.decode()
    assert "来源：代表活动发现的问题" in page
    assert problem.get_absolute_url() in page

    problem.refresh_from_db()
    assert problem.status == ProblemStatus.SUGGESTION and problem.suggestion == suggestion
    assert suggestion.state == State.DRAFT
    assert suggestion.author == personas["deputy"].deputy and suggestion.created_by == officer

    # The problem's page links to the suggestion.
    problem_page = client.get(problem.get_absolute_url()).content.decode()
    assert suggestion.get_absolute_url() in problem_page and "已形成代表建议" in problem_page

    # The author finds the draft among their suggestions, completes it and submits it.
    client.force_login(personas["deputy"])
    mine = client.get(reverse("suggestions:mine")).content.decode()
    assert suggestion.title in mine
    suggestion_services.suggestion_update(
        suggestion=suggestion,
        data={"proposals": "建议市住建局对老街排水沟进行清淤改造。"},
        actor=personas["deputy"],
    )
    response = client.post(reverse("suggestions:act", args=[suggestion.pk, "submit"]), follow=True)
    assert response.status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.state == State.SUBMITTED

    # Staff see it in the register with its origin, and take it on its normal course.
    client.force_login(personas["city"])
    listing = client.get(reverse("suggestions:list")).content.decode()
    assert suggestion.title in listing
    suggestion_services.suggestion_register(
        suggestion=suggestion, category=Category.objects.get(name="城乡建设与管理"), actor=personas["city"]
    )
    detail = client.get(suggestion.get_absolute_url()).content.decode()
    assert "来源：代表活动发现的问题" in detail and problem.get_absolute_url() in detail
    suggestion.refresh_from_db()
    assert suggestion.state == State.REGISTERED

    # The statistics count it as formed.
    data = client.get(reverse("activities_api:stats_activities")).json()
    assert data["problems_to_suggestions"] == 1 and data["suggestions_formed"] == 1


def test_origin_shown_without_link_to_who_may_not_open_the_problem(client, personas, raised_by_deputy, city):
    """A unit clerk handling the suggestion sees where it came from, but the problem page stays closed."""
    suggestion = services.problem_to_suggestion(problem=raised_by_deputy, actor=personas["township"])
    suggestion_services.suggestion_update(suggestion=suggestion, data={"proposals": "清淤"}, actor=personas["deputy"])
    suggestion_services.suggestion_submit(suggestion=suggestion, actor=personas["deputy"])
    suggestion_services.suggestion_register(
        suggestion=suggestion, category=Category.objects.first(), actor=personas["city"]
    )
    suggestion_services.suggestion_assign(suggestion=suggestion, lead_unit=city.unit_a, actor=personas["city"])
    client.force_login(personas["unit"])
    response = client.get(suggestion.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "来源：代表活动发现的问题" in page
    assert raised_by_deputy.get_absolute_url() not in page
    assert client.get(raised_by_deputy.get_absolute_url()).status_code == 403


def test_no_origin_box_on_ordinary_suggestions(client, personas):
    s = suggestion_services.suggestion_create(
        author=personas["deputy"].deputy, data={"title": "关于增设公交站点的建议"}, actor=personas["deputy"]
    )
    client.force_login(personas["deputy"])
    with CaptureQueriesContext(connection) as queries:
        assert "来源：代表活动发现的问题" not in client.get(s.get_absolute_url()).content.decode()
    assert not [q for q in queries if q["sql"].startswith('SELECT "activities_problem"')]  # its row said: none
