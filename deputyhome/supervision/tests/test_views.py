"""The scores, scheme and statistics pages and the .xlsx export: who may open what, and what it holds."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from deputyhome.audit.models import AuditEvent
from deputyhome.supervision.models import ScoringScheme

from .conftest import url

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("deputyhome.supervision.tests.urls"),
    pytest.mark.usefixtures("june"),
]


@pytest.mark.parametrize("persona", ["city", "supervisor", "leader"])
def test_city_wide_roles_see_the_ranking(login, people, city, two_units, persona):
    response = login(people[persona]).get(url("scores"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年度承办单位考核评分" in html
    assert city.unit_a.name in html and city.unit_b.name in html
    assert "<h2>不参与排名</h2>" in html
    assert "96.00" in html
    assert url("score_detail", city.unit_a.pk) in html


def test_unit_clerk_is_sent_to_their_own_card(login, people, city, two_units):
    client = login(people["unit_b"])
    response = client.get(url("scores"))
    assert response.status_code == 302
    assert response["Location"] == url("score_detail", city.unit_b.pk)
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert city.unit_b.name in html and city.unit_a.name not in html
    assert "不向承办单位公开" in html


def test_unit_clerk_cannot_open_another_units_card(login, people, city, two_units):
    assert login(people["unit_b"]).get(url("score_detail", city.unit_a.pk)).status_code == 404
    assert login(people["unit"]).get(url("score_detail", city.unit_b.pk)).status_code == 404


@pytest.mark.parametrize("persona", ["deputy", "township", "group", "liaison", "sysadmin", "auditor"])
def test_other_roles_get_403(login, people, city, two_units, persona):
    client = login(people[persona])
    assert client.get(url("scores")).status_code == 403
    assert client.get(url("score_detail", city.unit_a.pk)).status_code == 403
    assert client.get(url("scores_export")).status_code == 403


def test_anonymous_goes_to_login(client, db):
    response = client.get(url("scores"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_detail_breaks_down_per_suggestion_with_links(login, people, city, two_units):
    a1, a2, _b1 = two_units
    html = login(people["city"]).get(url("score_detail", city.unit_a.pk)).content.decode()
    assert f'href="/suggestions/{a1.pk}/"' in html and f'href="/suggestions/{a2.pk}/"' in html
    # Each suggestion's share of an item, to the cent; a blank cell where the item does not apply to it.
    breakdown = html.split("逐件明细", 1)[1]
    assert re.search(r'<td data-label="[^"合]+">\d+\.\d\d</td>', breakdown)
    assert "代表评价：基本满意" in html
    assert "名次（共 1 个单位）" in html


def test_unknown_unit_is_404(login, people, two_units):
    assert login(people["city"]).get(url("score_detail", 99999)).status_code == 404


def test_bad_year_says_so(login, people, two_units):
    response = login(people["city"]).get(reverse("supervision:scores") + "?year=20x6")
    assert response.status_code == 400
    assert "年度无效" in response.content.decode()


def _sheets(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return book["排名"], book["明细"]


def test_export_holds_the_ranking_and_the_breakdown(login, people, city, two_units):
    response = login(people["city"]).get(url("scores_export"), follow=True)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ranking, breakdown = _sheets(response)
    assert ranking.cell(row=1, column=1).value.startswith("2026年度代表建议承办单位考核评分")
    header = [c.value for c in ranking[2]]
    assert header[:3] == ["名次", "承办单位", "主办件数"] and header[-4:] == ["扣分", "加分", "总分", "备注"]
    rows = [[c.value for c in r] for r in ranking.iter_rows(min_row=3)]
    assert [(r[0], r[1], r[2], r[-2], r[-1]) for r in rows] == [
        (1, city.unit_a.name, 2, 96.0, None),
        (None, city.unit_b.name, 1, 100.0, "不参与排名"),
    ]
    lines = [[c.value for c in r] for r in breakdown.iter_rows(min_row=3)]
    assert [line[0] for line in lines] == [city.unit_a.name, city.unit_a.name, city.unit_b.name]
    assert sum(line[-1] for line in lines if line[0] == city.unit_a.name) == pytest.approx(96.0)
    row = AuditEvent.objects.get(action="export.scores")
    assert row.actor == people["city"] and row.changes == {"rows": 2, "filters": {"year": 2026}}


def test_unit_clerks_export_holds_only_their_unit(login, people, city, two_units):
    ranking, breakdown = _sheets(login(people["unit_b"]).get(url("scores_export"), follow=True))
    assert [r[1].value for r in ranking.iter_rows(min_row=3)] == [city.unit_b.name]
    assert [r[0].value for r in breakdown.iter_rows(min_row=3)] == [city.unit_b.name]
    assert ranking.cell(row=3, column=1).value is None  # no rank for a clerk


def test_city_officer_edits_the_scheme_and_scores_follow(login, people, city, two_units):
    client = login(people["city"])
    page = client.get(url("scheme"))
    assert page.status_code == 200 and "按期答复" in page.content.decode()
    form = page.context["form"]
    post = {name: ("" if value is None else value) for name, value in form.initial.items()}
    post.update({"points_satisfaction": "40", "min_suggestions": "1"})
    response = client.post(url("scheme"), post)
    assert response.status_code == 302 and response["Location"] == url("scheme")
    scheme = ScoringScheme.objects.get(year=2026)
    assert scheme.min_suggestions == 1 and scheme.items.get(rule="satisfaction").points == Decimal("40")
    html = client.get(url("scores")).content.decode()
    assert "<h2>不参与排名</h2>" not in html
    assert "114.00" in html and "120.00" in html  # satisfaction out of 40: A 78 + 36, B 80 + 40
    assert AuditEvent.objects.filter(action="scoring_scheme.update", actor=people["city"]).count() == 1


def test_bad_scheme_input_is_refused_in_chinese(login, people, two_units):
    client = login(people["city"])
    form = client.get(url("scheme")).context["form"]
    post = {name: ("" if value is None else value) for name, value in form.initial.items()}
    post.update({"points_timeliness": "-5", "cap_overdue_deduction": "abc", "min_suggestions": ""})
    response = client.post(url("scheme"), post)
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写数字" in html and "请填写参与排名的最少主办件数" in html
    assert ScoringScheme.objects.get(year=2026).items.get(rule="timeliness").points == 25


@pytest.mark.parametrize("persona", ["supervisor", "leader", "unit", "deputy", "sysadmin"])
def test_only_city_officers_edit_the_scheme(login, people, persona):
    assert login(people[persona]).get(url("scheme")).status_code == 403


@pytest.mark.parametrize("persona", ["city", "township", "unit", "deputy", "supervisor"])
def test_statistics_page(login, people, two_units, persona):
    response = login(people[persona]).get(url("stats"))
    assert response.status_code == 200
    assert "2026年度代表建议统计" in response.content.decode()
    assert "JSON" not in response.content.decode()  # the API stays, but is no button for a clerk


@pytest.mark.parametrize("persona", ["sysadmin", "auditor"])
def test_statistics_page_refuses_administrators(login, people, persona):
    assert login(people[persona]).get(url("stats")).status_code == 403


def test_navigation_offers_the_pages(login, people, two_units):
    html = login(people["supervisor"]).get(url("scores")).content.decode()
    assert 'href="/supervision/scores/"' in html and 'href="/supervision/stats/"' in html


def test_a_unit_is_offered_the_years_it_led_not_those_it_only_assisted(people, city, course):
    from deputyhome.supervision.selectors import score_years

    led = course.assigned(city.unit_a, on=datetime.date(2025, 3, 2), co_units=[city.unit_b], in_session=False)
    assert led.year == 2025
    assert 2025 in score_years(user=people["unit"])  # unit A led it
    assert 2025 not in score_years(user=people["unit_b"])  # unit B only assisted
