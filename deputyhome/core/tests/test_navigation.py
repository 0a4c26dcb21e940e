"""The main navigation: who sees which entry, and what the menu costs a request."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import resolve

from deputyhome.core.context_processors import navigation

# Taken from the flat navigation before it was grouped into menus: grouping must not change who sees what.
# url name -> label, per persona (deputyhome.testing.make_personas mirrors the demo's logins).
COMMON = {
    "core:dashboard": "首页",
}
DEPUTY_DATA = {
    "deputies:list": "人大代表",
    "organisation:group_list": "代表小组",
    "organisation:station_list": "家站",
    "organisation:unit_list": "承办单位",
    "organisation:congress_list": "人代会",
    "suggestions:list": "代表建议",
    "supervision:stats": "建议统计",
    "activities:activity_list": "代表活动",
    "activities:problem_list": "发现问题",
    "activities:campaign_list": "代表行动",
    "activities:assessment_list": "家站建设",
    "activities:stats": "活动统计",
    "opinions:list": "群众意见",
    "opinions:reception_list": "接待选民",
    "opinions:pairing_list": "结对联系",
    "opinions:story_list": "代表典型",
    "training:session_list": "代表培训",
    "records:report_list": "向选民述职",
}
STAFF = {
    **DEPUTY_DATA,
    "organisation:region_list": "行政区域",
    "training:coverage": "培训统计",
    "records:points": "履职积分",
}
CITY_READERS = {**STAFF, "suggestions:board": "督办看板", "supervision:scores": "考核评分"}
OWN_DUTY = {
    "suggestions:mine": "我的建议",
    "training:signin": "培训签到",
    "records:my_record": "履职档案",
    "deputies:me": "我的履职",
}

EXPECTED: dict[str, dict[str, str]] = {
    "city": {
        **COMMON,
        **CITY_READERS,
        "suggestions:desk": "代工委工作台",
        "suggestions:categories": "建议设置",
        "roster:import": "名册导入",
    },
    "township": {**COMMON, **STAFF, "roster:import": "名册导入"},
    "group": {
        **COMMON,
        **DEPUTY_DATA,
        **OWN_DUTY,
        "training:coverage": "培训统计",
        "records:points": "履职积分",
    },
    "liaison": {**COMMON, **DEPUTY_DATA, "training:coverage": "培训统计", "records:points": "履职积分"},
    "deputy": {**COMMON, **DEPUTY_DATA, **OWN_DUTY},
    "unit": {
        **COMMON,
        "organisation:unit_list": "承办单位",
        "organisation:congress_list": "人代会",
        "suggestions:list": "代表建议",
        "suggestions:inbox": "收件箱",
        "supervision:scores": "考核评分",
        "supervision:stats": "建议统计",
        "activities:referral_list": "转交事项",
    },
    "supervisor": {**COMMON, **CITY_READERS},
    "leader": {**COMMON, **CITY_READERS},
    "sysadmin": {**COMMON, "accounts:user_list": "用户管理"},
    "secadmin": {**COMMON, "accounts:user_list": "角色与权限"},
    "auditor": {**COMMON, "audit:list": "审计日志"},
    "superuser": {**COMMON, **STAFF, "supervision:scores": "考核评分", "accounts:user_list": "用户管理"},
}

NAV = re.compile(r'<nav class="mainnav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"[^>]*>(.*?)</a>', re.S)


@pytest.fixture
def everyone(personas, django_user_model):
    root = django_user_model.objects.create_superuser(username="root", password="Root-Passw0rd!")
    return {**personas, "superuser": root}


def menu_links(html: str) -> dict[str, str]:
    """The links of the rendered main navigation, as url name -> label."""
    match = NAV.search(html)
    assert match, "no <nav class=mainnav> on the page"
    return {resolve(href).view_name: label.strip() for href, label in LINK.findall(match.group(1))}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_role_gets_the_same_entries_as_before(client, everyone, persona):
    client.force_login(everyone[persona])
    html = client.get("/").content.decode()
    assert menu_links(html) == EXPECTED[persona]


def test_navigation_costs_one_query(rf: RequestFactory, personas, django_assert_num_queries):
    request = rf.get("/")
    request.user = personas["city"]
    with django_assert_num_queries(1):  # the unread-notifications badge; the entries need none
        navigation(request)


def test_anonymous_gets_no_menu(rf: RequestFactory):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert not navigation(request)["nav"]
