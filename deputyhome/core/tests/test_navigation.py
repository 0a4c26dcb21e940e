"""The main navigation: who sees which entry, how the entries group into menus, and what the menu costs."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import resolve

from deputyhome.core.context_processors import navigation
from deputyhome.core.menu import Dropdown, Link, Menu, NavItem, build_menu

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
    "motions:session_list": "会议与代表团",
    "suggestions:list": "代表建议",
    "motions:list": "议案",
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
    "records:visits": "代表进站情况",
    "records:households": "结对联系群众情况",
    "records:group_quarters": "小组活动情况",
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
        "records:visits": "代表进站情况",
        "records:households": "结对联系群众情况",
        "records:group_quarters": "小组活动情况",
    },
    "liaison": {
        **COMMON,
        **DEPUTY_DATA,
        "training:coverage": "培训统计",
        "records:points": "履职积分",
        "records:visits": "代表进站情况",
        "records:households": "结对联系群众情况",
        "records:group_quarters": "小组活动情况",
    },
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
    # A superuser flag gives nothing (no account stands outside the three administrators): the menu of no role.
    "superuser": COMMON,
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


# Grouping into menus ---------------------------------------------------------------------------------------


def bar(nav: list[Link | Dropdown]) -> list[tuple[str, list[str]]]:
    """The bar as (label, labels inside) per entry; a plain link has nothing inside."""
    return [(e.label, [link.label for link in e.links] if isinstance(e, Dropdown) else []) for e in nav]


def test_menus_come_in_a_fixed_order_with_entries_in_the_order_given():
    items = [
        NavItem("records:points", "履职积分", Menu.DUTY),
        NavItem("suggestions:list", "代表建议", Menu.SUGGESTIONS),
        NavItem("core:dashboard", "首页", None),
        NavItem("records:report_list", "向选民述职", Menu.DUTY),
        NavItem("suggestions:board", "督办看板", Menu.SUGGESTIONS),
    ]
    assert bar(build_menu(items, "/")) == [
        ("首页", []),
        ("代表建议", ["代表建议", "督办看板"]),
        ("履职", ["履职积分", "向选民述职"]),
    ]


def test_an_entry_of_lower_order_comes_first_in_its_menu_and_one_order_keeps_the_order_given():
    items = [
        NavItem("organisation:group_list", "代表小组", Menu.ORGANISATION),
        NavItem("organisation:station_list", "家站", Menu.ORGANISATION),
        NavItem("deputies:list", "人大代表", Menu.ORGANISATION, order=-1),
        NavItem("roster:import", "名册导入", Menu.ORGANISATION),
        NavItem("core:dashboard", "首页", None),
    ]
    assert bar(build_menu(items, "/")) == [("首页", []), ("组织与代表", ["人大代表", "代表小组", "家站", "名册导入"])]


def test_core_names_only_its_own_pages_in_the_menu():
    """Every other entry comes from the app it opens (its nav.py, registered in AppConfig.ready)."""
    import ast
    from pathlib import Path

    source = (Path(__file__).resolve().parents[1] / "context_processors.py").read_text(encoding="utf-8")
    names = [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and ":" in node.value
    ]
    assert names and all(name.startswith("core:") for name in names), names


def test_a_menu_with_one_entry_is_a_plain_link_and_an_empty_one_is_left_out():
    items = [
        NavItem("core:dashboard", "首页", None),
        NavItem("activities:referral_list", "转交事项", Menu.ACTIVITIES),
        NavItem("suggestions:list", "代表建议", Menu.SUGGESTIONS),
        NavItem("suggestions:inbox", "收件箱", Menu.SUGGESTIONS),
    ]
    nav = build_menu(items, "/")
    assert bar(nav) == [("首页", []), ("代表建议", ["代表建议", "收件箱"]), ("转交事项", [])]
    assert nav[2] == Link(href="/activities/referrals/", label="转交事项")


def test_the_current_page_and_the_page_it_belongs_to():
    items = [
        NavItem("core:dashboard", "首页", None),
        NavItem("suggestions:list", "代表建议", Menu.SUGGESTIONS),
        NavItem("suggestions:mine", "我的建议", Menu.SUGGESTIONS),
        NavItem("records:points", "履职积分", Menu.DUTY),
        NavItem("records:report_list", "向选民述职", Menu.DUTY),
    ]

    def marks(path: str) -> dict[str, str]:
        nav = build_menu(items, path)
        links = [link for e in nav for link in (e.links if isinstance(e, Dropdown) else [e])]
        groups = [e.label for e in nav if isinstance(e, Dropdown) and e.current]
        return {**{link.label: link.current for link in links if link.current}, "groups": groups}

    assert marks("/") == {"首页": "page", "groups": []}
    assert marks("/suggestions/mine/") == {"我的建议": "page", "groups": ["代表建议"]}
    # A suggestion's own page belongs to the deepest entry above it, not to 首页.
    assert marks("/suggestions/12/") == {"代表建议": "true", "groups": ["代表建议"]}
    assert marks("/records/reports/3/edit/") == {"向选民述职": "true", "groups": ["履职"]}
    assert marks("/notifications/") == {"groups": []}


def _summaries(html: str) -> list[str]:
    return re.findall(r"<summary>(.*?)</summary>", NAV.search(html).group(1))


def test_the_city_officer_gets_five_menus(client, personas):
    client.force_login(personas["city"])
    response = client.get("/")
    assert bar(response.context["nav"]) == [
        ("首页", []),
        ("组织与代表", ["人大代表", "代表小组", "家站", "行政区域", "承办单位", "人代会", "名册导入", "会议与代表团"]),
        ("代表建议", ["代表建议", "代工委工作台", "建议设置", "督办看板", "议案", "考核评分", "建议统计"]),
        ("活动与培训", ["代表活动", "发现问题", "代表行动", "家站建设", "活动统计", "代表培训", "培训统计"]),
        ("联系群众", ["群众意见", "接待选民", "结对联系", "代表典型"]),
        ("履职", ["履职积分", "代表进站情况", "结对联系群众情况", "小组活动情况", "向选民述职"]),
    ]
    html = response.content.decode()
    assert _summaries(html) == ["组织与代表", "代表建议", "活动与培训", "联系群众", "履职"]
    assert html.count('<details class="navgroup') == 5
    for href in ("/suggestions/mine/", "/suggestions/inbox/", "/activities/referrals/", "/accounts/users/", "/audit/"):
        assert f'href="{href}"' not in NAV.search(html).group(1)


def test_the_unit_clerk_gets_two_menus_and_a_link(client, personas):
    client.force_login(personas["unit"])
    html = client.get("/").content.decode()
    menu = NAV.search(html).group(1)
    assert _summaries(html) == ["组织与代表", "代表建议"]
    assert '<a href="/activities/referrals/">转交事项</a>' in menu
    for label in ("人大代表", "代表培训", "群众意见", "活动与培训", "联系群众", "履职", "系统"):
        assert label not in menu


def test_the_deputy_gets_own_entries_in_their_menus(client, personas):
    client.force_login(personas["deputy"])
    response = client.get("/")
    menus = dict(bar(response.context["nav"]))
    assert menus["代表建议"] == ["代表建议", "我的建议", "议案", "建议统计"]
    assert menus["履职"] == ["我的履职", "履职档案", "向选民述职"]
    assert "培训签到" in menus["活动与培训"] and "培训统计" not in menus["活动与培训"]
    assert "组织与代表" in menus and "系统" not in menus


@pytest.mark.parametrize(
    ("persona", "label"), [("sysadmin", "用户管理"), ("secadmin", "角色与权限"), ("auditor", "审计日志")]
)
def test_administrators_get_plain_links_and_no_menus(client, personas, persona, label):
    client.force_login(personas[persona])
    html = client.get("/").content.decode()
    assert "<details" not in NAV.search(html).group(1)
    assert list(menu_links(html).values()) == ["首页", label]


def test_the_menu_of_the_current_page_is_marked(client, personas, city):
    client.force_login(personas["deputy"])
    html = client.get("/suggestions/mine/").content.decode()
    menu = NAV.search(html).group(1)
    assert '<a href="/suggestions/mine/" aria-current="page">我的建议</a>' in menu
    assert menu.count("aria-current") == 1
    assert re.findall(r'<details class="navgroup current"[^>]*>\s*<summary>(.*?)</summary>', menu) == ["代表建议"]

    client.force_login(personas["township"])
    html = client.get(f"/deputies/{city.deputies_a[0].pk}/").content.decode()
    menu = NAV.search(html).group(1)
    assert '<a href="/deputies/" aria-current="true">人大代表</a>' in menu
    assert re.findall(r'<details class="navgroup current"[^>]*>\s*<summary>(.*?)</summary>', menu) == ["组织与代表"]


def test_a_menu_address_is_reversed_once_and_follows_the_script_prefix():
    from django.urls import get_script_prefix, reverse, set_script_prefix

    from deputyhome.core.menu import _reversed, href

    _reversed.cache_clear()
    assert href("suggestions:list") == reverse("suggestions:list") == href("suggestions:list")
    assert _reversed.cache_info().hits == 1
    before = get_script_prefix()
    set_script_prefix("/rd/")  # served below a path (SCRIPT_NAME)
    try:
        assert href("suggestions:list") == reverse("suggestions:list") and href("suggestions:list").startswith("/rd/")
    finally:
        set_script_prefix(before)
    assert not href("suggestions:list").startswith("/rd/")
