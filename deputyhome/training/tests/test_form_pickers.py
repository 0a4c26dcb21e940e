"""The training forms stay light at province scale: with 150 more deputies, sessions, plans and materials, no
drop-down of the distribution or session form holds more than 100 options (a province has 100,000 deputies and
thousands of sessions: the page took 20 seconds and 6.6 MB). The fields are searched as you type among the user's
own choices; a searched value saves; the chosen objects show again on a form sent back; an id outside the scope is
refused in Chinese and nothing is written. Under 100 choices the drop-downs stay."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from deputyhome.testing import add_deputies, largest_select
from deputyhome.training.choices import OrganiserLevel, SessionKind
from deputyhome.training.models import Material, MaterialDistribution, TrainingPlan, TrainingSession

pytestmark = pytest.mark.django_db

OUT_OF_SCOPE = "不存在或不在您的管辖范围内"


@pytest.fixture
def crowded(city):
    """150 more deputies, sessions and plans of township A (六角亭街道), and 150 more materials."""
    today = timezone.localdate()
    add_deputies(150, congress=city.city_congress, group=city.group_a, region=city.township_a)
    TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                title=f"六角亭第{i}期学习会",
                kind=SessionKind.SPECIAL,
                level=OrganiserLevel.TOWNSHIP,
                region=city.township_a,
                date=today - datetime.timedelta(days=i),
                hours=Decimal("2"),
            )
            for i in range(150)
        ]
    )
    TrainingPlan.objects.bulk_create(
        [
            TrainingPlan(year=2000 + i % 50, level=OrganiserLevel.TOWNSHIP, region=city.township_a, title=f"方案{i}")
            for i in range(150)
        ]
    )
    Material.objects.bulk_create([Material(title=f"学习资料第{i}册") for i in range(150)])
    return city


def _search(client, kind: str, field: str, q: str) -> str:
    response = client.get(reverse("core:choice_search", args=[kind]), {"field": field, f"{field}_q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_the_distribution_form_searches_deputies_sessions_and_materials(client, personas, crowded):
    client.force_login(personas["township"])
    response = client.get(reverse("training:distribution_create"))
    html = response.content.decode()
    assert response.status_code == 200 and largest_select(html) <= 100 and len(html) < 50_000
    for kind, name in (("deputy", "deputy"), ("training_session", "session"), ("material", "material")):
        assert f'<select name="{name}"' not in html
        assert f'hx-get="/choices/{kind}/?field={name}"' in html


def test_the_searches_answer_from_the_users_own_choices(client, personas, crowded, make_session):
    other = make_session(title="白杨坪镇第9期学习会", region=crowded.township_b)
    client.force_login(personas["township"])
    found = _search(client, "training_session", "session", "第9期")
    assert "六角亭第9期学习会" in found and f'value="{other.pk}"' not in found
    assert f"{timezone.localdate() - datetime.timedelta(days=9):%Y-%m-%d}" in found  # dated: titles repeat
    assert f'value="{crowded.deputies_b[0].pk}"' not in _search(client, "deputy", "deputy", crowded.deputies_b[0].name)
    assert "学习资料第7册" in _search(client, "material", "material", "第7册")
    client.force_login(personas["deputy"])  # not training staff: no materials to hand out
    assert "学习资料第7册" not in _search(client, "material", "material", "第7册")


def test_a_distribution_saves_with_searched_values_and_refuses_another_townships(client, personas, crowded):
    deputy = crowded.deputies_a[-1]
    session = TrainingSession.objects.get(title="六角亭第120期学习会")
    book = Material.objects.get(title="学习资料第120册")
    client.force_login(personas["township"])
    url = reverse("training:distribution_create")
    data = {"material": book.pk, "date": timezone.localdate().isoformat(), "quantity": "3"}
    done = client.post(url, {**data, "deputy": deputy.pk, "session": session.pk})
    assert done.status_code == 302
    given = MaterialDistribution.objects.get()
    assert (given.deputy, given.session, given.material, given.quantity) == (deputy, session, book, 3)

    theirs = crowded.deputies_b[0]
    refused = client.post(url, {**data, "deputy": theirs.pk, "session": session.pk})
    html = refused.content.decode()
    assert refused.status_code == 400 and f"所选的“发放给代表”{OUT_OF_SCOPE}" in html
    assert MaterialDistribution.objects.count() == 1
    # The form comes back with what was chosen: the session and the material as checked boxes.
    assert f'name="session" value="{session.pk}" checked' in html
    assert f'name="material" value="{book.pk}" checked' in html and "学习资料第120册" in html


def test_a_session_link_opens_the_form_with_its_session_chosen(client, personas, crowded):
    session = TrainingSession.objects.get(title="六角亭第3期学习会")
    client.force_login(personas["township"])
    html = client.get(reverse("training:distribution_create"), {"session": session.pk}).content.decode()
    assert f'name="session" value="{session.pk}" checked' in html and "六角亭第3期学习会" in html


def test_the_session_form_searches_the_plans(client, personas, crowded):
    client.force_login(personas["township"])
    html = client.get(reverse("training:session_create")).content.decode()
    assert largest_select(html) <= 100 and '<select name="plan"' not in html
    assert 'hx-get="/choices/training_plan/?field=plan"' in html
    found = _search(client, "training_plan", "plan", "方案7")
    assert "2007年 方案7" in found  # named with its year: titles repeat year by year


def test_under_100_choices_the_distribution_form_keeps_its_drop_downs(client, personas, city, session_a):
    Material.objects.create(title="《中国人大》")
    client.force_login(personas["township"])
    html = client.get(reverse("training:distribution_create")).content.decode()
    assert 'hx-get="/choices/' not in html
    for name in ("deputy", "session", "material"):
        assert f'<select name="{name}"' in html
    assert city.deputies_a[0].name in html and city.deputies_b[0].name not in html
    assert f"{session_a.date:%Y-%m-%d} {session_a.title}" in html
