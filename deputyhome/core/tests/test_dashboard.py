"""The dashboard: overview figures for the user's scope, or a pointer for roles without business data."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, path, reverse

from config import urls as project_urls

# The layout's navigation links pages that other features build. So that these tests check
# the dashboard and not whether every linked page exists yet, missing link targets are
# stubbed in a copy of the project's URLconf; existing ones are left untouched.
NAV_TARGETS = {
    "deputies": ["list", "me"],
    "organisation": ["group_list", "station_list", "region_list", "unit_list", "congress_list"],
    "roster": ["import"],
    "audit": ["list"],
}


def _stub(request):
    return HttpResponse("stub")


def _with_stubs(resolver: URLResolver) -> URLResolver:
    have = {p.name for p in resolver.url_patterns if isinstance(p, URLPattern)}
    missing = [name for name in NAV_TARGETS.get(resolver.namespace or "", []) if name not in have]
    if not missing:
        return resolver
    stubs = [path(f"__stub__/{name}/", _stub, name=name) for name in missing]
    return URLResolver(
        resolver.pattern,
        [*resolver.url_patterns, *stubs],
        app_name=resolver.app_name,
        namespace=resolver.namespace,
    )


urlpatterns = [_with_stubs(p) if isinstance(p, URLResolver) else p for p in project_urls.urlpatterns]
pytestmark = pytest.mark.urls(__name__)
URL = "/"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_url_name():
    assert reverse("core:dashboard") == URL


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_city_officer_sees_figures_and_townships(login, personas, city):
    response = login(personas["city"]).get(URL)
    assert response.status_code == 200
    html = _text(response)
    assert "市人大常委会代工委工作人员" in html
    for label in (
        "人大代表之家",
        "人大代表联络站",
        "代表小组",
        "人大代表",
        "省级代表",
        "州级代表",
        "市级代表",
        "乡级代表",
    ):
        assert f'<div class="l">{label}</div>' in html
    assert '<div class="n">8</div><div class="l">人大代表</div>' in html
    assert '<div class="n">0</div><div class="l">未编组代表</div>' in html
    assert "乡镇（街道）" in html
    deputies = reverse("deputies:list")
    assert f'href="{deputies}?region={city.township_a.pk}">六角亭街道</a>' in html
    assert f'href="{deputies}?region={city.township_b.pk}">白杨坪镇</a>' in html
    assert "合计" in html


def test_township_officer_sees_only_their_township(login, personas, city):
    html = _text(login(personas["township"]).get(URL))
    assert "乡镇（街道）人大工作人员" in html
    assert '<div class="n">4</div><div class="l">人大代表</div>' in html
    assert "六角亭街道" in html and "白杨坪镇" not in html
    assert 'id="areas"' not in html  # a table by township of one row: not shown to one township's officer


@pytest.mark.parametrize(("persona", "deputies"), [("group", 4), ("supervisor", 8), ("leader", 8)])
def test_other_roles_with_figures(login, personas, persona, deputies):
    html = _text(login(personas[persona]).get(URL))
    assert f'<div class="n">{deputies}</div><div class="l">人大代表</div>' in html


@pytest.mark.parametrize("persona", ["sysadmin", "auditor"])
def test_admins_get_an_explanation_not_figures(login, personas, persona):
    response = login(personas[persona]).get(URL)
    assert response.status_code == 200
    html = _text(response)
    assert "三员分立" in html
    assert 'class="stat"' not in html
    if persona == "auditor":
        assert f'href="{reverse("audit:list")}"' in html


def test_unit_clerk_gets_an_explanation_and_the_inbox_not_figures(login, personas):
    html = _text(login(personas["unit"]).get(URL))
    assert "承办单位经办人" in html
    assert "市住房和城乡建设局" in html
    assert "人大代表之家" not in html and "按层级" not in html
    assert "打开市住房和城乡建设局收件箱" in html and f'href="{reverse("suggestions:inbox")}#new"' in html


def test_deputy_gets_the_to_do_and_quick_links_not_the_organisation(login, personas):
    html = _text(login(personas["deputy"]).get(URL))
    assert "我的待办" in html and "答复待我评价" in html and "今天待签到的培训" in html
    assert "人大代表之家" not in html and "按层级" not in html
    for name in ("suggestions:create", "suggestions:mine", "training:signin", "deputies:me"):
        assert f'href="{reverse(name)}"' in html
    assert "我的" in html and "年履职" in html and "年度代表工作概况" not in html  # their own year, loaded by htmx


def test_query_count_is_constant(login, personas, city, django_assert_max_num_queries):
    client = login(personas["city"])
    client.get(URL)  # the city-wide overview and figures by level computed ahead (reports.precomputed); then read
    # the session and the user (and its region, in the greeting), the menu's unread count, one count per queue of
    # the 代工委工作台 (6, each along its index), the open problems, the overdue referrals and the new opinions, the
    # motions waiting for the staff (one, both tiles), the overview and the figures by level (each its snapshot and
    # the "changed since?" check), the names of the regions above the townships
    with django_assert_max_num_queries(19):
        client.get(URL)
