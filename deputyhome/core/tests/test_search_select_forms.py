"""The forms that pick a township, group, station, village, region, congress or unit stay light at province
scale (core.widgets.SearchSelect): with 150 of each, no drop-down of a form page holds more than 100 options;
the field still takes the id, the search answers only from the user's scope, and an id outside it is refused
with a Chinese message and writes nothing. Under 100 choices the form keeps its drop-down."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from deputyhome.organisation.choices import CongressLevel, RegionKind
from deputyhome.organisation.models import Congress, Region
from deputyhome.testing import add_places, largest_select

pytestmark = pytest.mark.django_db

OUT_OF_SCOPE = "不存在或不在您的管辖范围内"


def _add_villages(sc, n: int) -> None:
    """`n` more villages in township A (六角亭街道) and `n` more township congresses (bulk)."""
    Region.objects.bulk_create(
        [
            Region(code=f"422801002{100 + i:03d}", name=f"新设{i}社区", kind=RegionKind.COMMUNITY, parent=sc.township_a)
            for i in range(n)
        ]
    )
    towns = Region.objects.filter(name__startswith="新设", kind=RegionKind.TOWN)
    Congress.objects.bulk_create(
        [
            Congress(level=CongressLevel.TOWNSHIP, term=1, name=f"{t.name}第一届人民代表大会", region=t)
            for t in towns[:n]
        ]
    )


@pytest.fixture
def province(city):
    """The small city with 150 more townships, stations, groups, units, villages and congresses."""
    add_places(city, 150)
    _add_villages(city, 150)
    return city


@pytest.fixture
def objects(city, personas):
    """What the pages with a form hang on: a campaign, a rule, a problem and an opinion."""
    from deputyhome.activities import services as activities
    from deputyhome.activities.choices import RuleCategory
    from deputyhome.opinions import services as opinions

    today = datetime.date.today()
    officer = personas["city"]
    campaign = activities.campaign_create(
        data={"slogan": "代表在行动", "start_on": today, "end_on": today, "main_theme": "乡村振兴"}, actor=officer
    )
    rule = activities.rule_create(data={"title": "接待选民制度", "category": RuleCategory.values[0]}, actor=officer)
    problem = activities.problem_create(
        data={"text": "西门社区老街路灯损坏。", "place": "西门社区", "region": city.township_a},
        actor=personas["township"],
    )
    opinion = opinions.opinion_submit(
        data={"content": "村口路灯坏了三个月。", "consent": True},
        station=city.station_a,
        deputy=None,
        client_address="10.0.0.1",
    )
    return {"campaign": campaign, "rule": rule, "problem": problem, "opinion": opinion}


def _form_pages(objects) -> list[tuple[str, str]]:
    """(page, the fields on it that pick one of many)."""
    return [
        (reverse("activities:activity_create"), "region group station"),
        (reverse("activities:problem_create"), "region"),
        (reverse("activities:assessment_create"), "station"),
        (reverse("activities:posting_create", args=[objects["rule"].pk]), "stations"),
        (reverse("activities:theme_set", args=[objects["campaign"].pk]), "region"),
        (reverse("activities:topic_set", args=[objects["campaign"].pk]), "group"),
        (reverse("activities:problem_action", args=[objects["problem"].pk, "forward"]), "unit"),
        (reverse("opinions:record"), "station"),
        (reverse("opinions:slot_create"), "station"),
        (reverse("opinions:reception_create"), "station"),
        (reverse("opinions:pairing_create"), "village"),
        (reverse("opinions:step_form", args=[objects["opinion"].pk, "forward"]), "unit"),
        (reverse("organisation:region_create"), "parent"),
        (reverse("organisation:station_create"), "region"),
        (reverse("organisation:group_create"), "station"),
        (reverse("organisation:congress_create"), "region"),
        (reverse("organisation:session_create"), "congress"),
        (reverse("records:report_create"), "station"),
        (reverse("training:session_create"), "region"),
        (reverse("training:plan_create"), "region"),
    ]


def test_no_drop_down_on_a_form_page_holds_more_than_100_options(client, personas, province, objects):
    client.force_login(personas["city"])
    for url, fields in _form_pages(objects):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert largest_select(html) <= 100, url
        for name in fields.split():
            assert f'<select name="{name}"' not in html, (url, name)
            assert re.search(rf'hx-get="/choices/[a-z_]+/\?field={name}"', html), (url, name)


def test_under_100_choices_the_forms_keep_their_drop_downs(client, personas, city, objects):
    client.force_login(personas["city"])
    for url, fields in _form_pages(objects):
        html = client.get(url).content.decode()
        assert 'hx-get="/choices/' not in html, url
        for name in fields.split():
            assert re.search(rf'<select name="{name}"[^>]*>', html), (url, name)
    html = client.get(reverse("opinions:pairing_create")).content.decode()
    village = re.search(r'<select name="village".*?</select>', html, re.S).group(0)
    assert city.village_a.name in village and city.village_b.name in village


@pytest.mark.parametrize(
    ("kind", "q", "mine", "theirs"),
    [
        ("village", "社区", "西门社区", "洞下槽村"),
        ("region", "", "六角亭街道", "白杨坪镇"),
        ("active_unit", "市", "市人民法院", "市第"),
    ],
)
def test_the_new_kinds_search_only_the_users_scope(client, personas, province, kind, q, mine, theirs):
    client.force_login(personas["township"])  # 六角亭街道
    url = reverse("core:choice_search", args=[kind])
    html = client.get(url, {"field": "f", "f_q": q}).content.decode()
    assert mine in html
    if kind != "active_unit":  # units are public names to officers: every unit in use is theirs
        assert theirs not in html and "新设1镇" not in html


def test_active_units_leave_out_the_units_no_longer_in_use(client, personas, province):
    province.unit_b.is_active = False
    province.unit_b.save()
    client.force_login(personas["city"])
    html = client.get(reverse("core:choice_search", args=["active_unit"]), {"field": "unit", "unit_q": "市"})
    assert "市住房和城乡建设局" in html.content.decode() and "市人民法院" not in html.content.decode()


def test_village_search_finds_a_village_by_its_township_and_names_it(client, personas, province):
    client.force_login(personas["city"])
    html = client.get(reverse("core:choice_search", args=["village"]), {"field": "village", "village_q": "白杨坪"})
    assert "洞下槽村（白杨坪镇）" in html.content.decode()


def test_a_chosen_choice_is_named_when_the_form_is_shown_again(client, personas, province, objects):
    """An activity's edit page past 100 groups shows its group checked, by name."""
    from deputyhome.activities.models import Activity

    client.force_login(personas["city"])
    response = client.post(
        reverse("activities:activity_create"),
        {
            "kind": "visit",
            "level": "group",
            "group": province.group_b.pk,
            "date": datetime.date.today().isoformat(),
            "place": "洞下槽村",
            "topic": "茶园走访",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get(topic="茶园走访")
    assert activity.group == province.group_b
    html = client.get(reverse("activities:activity_update", args=[activity.pk])).content.decode()
    chosen = re.search(r'data-name="group".*?</ul>', html, re.S).group(0)
    assert f'name="group" value="{province.group_b.pk}" checked' in chosen and province.group_b.name in chosen


def test_posting_takes_several_stations_past_100(client, personas, province, objects):
    from deputyhome.activities import services
    from deputyhome.activities.models import RulePosting

    version = services.rule_version_create(
        rule=objects["rule"],
        data={"version": "2026年版", "effective_on": datetime.date.today(), "text": "每月接待一次。"},
        actor=personas["city"],
    )
    client.force_login(personas["city"])
    url = reverse("activities:posting_create", args=[objects["rule"].pk])
    stations = [province.station_a.pk, province.station_b.pk]
    data = {"version": version.pk, "stations": stations, "posted_on": datetime.date.today().isoformat()}
    assert client.post(url, data).status_code == 302
    assert set(RulePosting.objects.values_list("station_id", flat=True)) == set(stations)


# An id outside the user's scope: the township officer of 六角亭街道 posts township B's (白杨坪镇) --------------


def _refused(response, count_before: int, count_after: int) -> str:
    assert response.status_code == 400, response.status_code  # the form again, with its errors
    assert count_after == count_before
    html = response.content.decode()
    assert OUT_OF_SCOPE in html, re.findall(r'<ul class="errorlist">.*?</ul>', html, re.S)
    return html


def _today() -> str:
    return datetime.date.today().isoformat()


def test_an_activity_of_another_townships_group_station_or_township_is_refused(client, personas, province):
    from deputyhome.activities.models import Activity

    client.force_login(personas["township"])
    base = {"kind": "visit", "date": _today(), "place": "某地", "topic": "越权登记"}
    for data in (
        {"level": "group", "group": province.group_b.pk},
        {"level": "group", "group": province.group_a.pk, "station": province.station_b.pk},
        {"level": "township", "region": province.township_b.pk},
    ):
        before = Activity.objects.count()
        response = client.post(reverse("activities:activity_create"), {**base, **data})
        _refused(response, before, Activity.objects.count())


def test_a_problem_theme_or_topic_of_another_township_is_refused(client, personas, province, objects):
    from deputyhome.activities.models import GroupTopic, Problem, TownshipTheme

    client.force_login(personas["township"])
    before = Problem.objects.count()
    response = client.post(
        reverse("activities:problem_create"), {"text": "越权问题", "region": province.township_b.pk, "date": _today()}
    )
    _refused(response, before, Problem.objects.count())
    campaign = objects["campaign"].pk
    response = client.post(
        reverse("activities:theme_set", args=[campaign]), {"region": province.township_b.pk, "theme": "越权主题"}
    )
    _refused(response, 0, TownshipTheme.objects.count())
    response = client.post(
        reverse("activities:topic_set", args=[campaign]), {"group": province.group_b.pk, "topic": "越权切口"}
    )
    _refused(response, 0, GroupTopic.objects.count())


def test_an_assessment_or_posting_at_another_townships_station_is_refused(client, personas, province, objects):
    from deputyhome.activities.models import RulePosting, StationAssessment

    client.force_login(personas["township"])
    response = client.post(
        reverse("activities:assessment_create"),
        {"station": province.station_b.pk, "year": datetime.date.today().year, "assessed_on": _today()},
    )
    _refused(response, 0, StationAssessment.objects.count())
    response = client.post(
        reverse("activities:posting_create", args=[objects["rule"].pk]),
        {"stations": [province.station_a.pk, province.station_b.pk], "posted_on": _today()},
    )
    _refused(response, 0, RulePosting.objects.count())


def test_a_forward_to_a_unit_no_longer_in_use_is_refused(client, personas, province, objects):
    from deputyhome.activities.models import Referral

    province.unit_b.is_active = False
    province.unit_b.save()
    client.force_login(personas["township"])
    response = client.post(
        reverse("activities:problem_action", args=[objects["problem"].pk, "forward"]), {"unit": province.unit_b.pk}
    )
    _refused(response, 0, Referral.objects.count())
    response = client.post(
        reverse("opinions:act", args=[objects["opinion"].pk, "forward"]), {"unit": province.unit_b.pk}
    )
    _refused(response, 0, Referral.objects.count())


def test_an_opinion_reception_or_pairing_of_another_township_is_refused(client, personas, province):
    from deputyhome.opinions.models import Opinion, Pairing, Reception, ReceptionSlot

    client.force_login(personas["township"])
    before = Opinion.objects.count()
    response = client.post(
        reverse("opinions:record"), {"channel": "reception", "station": province.station_b.pk, "content": "越权"}
    )
    _refused(response, before, Opinion.objects.count())
    response = client.post(
        reverse("opinions:slot_create"), {"station": province.station_b.pk, "weekday": 1, "is_active": "on"}
    )
    _refused(response, 0, ReceptionSlot.objects.count())
    response = client.post(reverse("opinions:reception_create"), {"station": province.station_b.pk, "date": _today()})
    _refused(response, 0, Reception.objects.count())
    response = client.post(
        reverse("opinions:pairing_create"),
        {
            "deputy": province.deputies_a[0].pk,
            "household": "越权户",
            "village": province.village_b.pk,
            "since": _today(),
        },
    )
    _refused(response, 0, Pairing.objects.count())


def test_a_station_region_or_group_of_another_township_is_refused(client, personas, province):
    from deputyhome.organisation.models import DeputyGroup, Station

    client.force_login(personas["township"])
    before = Region.objects.count()
    response = client.post(
        reverse("organisation:region_create"),
        {"code": "422801101900", "name": "越权村", "kind": RegionKind.VILLAGE, "parent": province.township_b.pk},
    )
    _refused(response, before, Region.objects.count())
    before = Station.objects.count()
    response = client.post(
        reverse("organisation:station_create"),
        {"kind": "liaison", "name": "越权联络站", "region": province.village_b.pk},
    )
    _refused(response, before, Station.objects.count())
    before = DeputyGroup.objects.count()
    response = client.post(
        reverse("organisation:group_create"), {"name": "越权代表小组", "station": province.station_b.pk}
    )
    _refused(response, before, DeputyGroup.objects.count())


def test_a_voter_report_at_another_townships_station_is_refused(client, personas, province):
    from deputyhome.records.models import VoterReport

    client.force_login(personas["township"])
    response = client.post(
        reverse("records:report_create"),
        {"deputy": province.deputies_a[0].pk, "station": province.station_b.pk, "date": _today(), "status": "planned"},
    )
    html = response.content.decode()
    assert response.status_code == 400 and VoterReport.objects.count() == 0
    assert "所选家站不存在或不在您的管辖范围内" in html  # the form's own message stays


def test_an_assessments_station_past_100_is_shown_but_not_searched_on_its_edit_page(client, personas, province):
    """The station of an assessment is fixed once assessed: past 100 stations it is named, not searchable."""
    from deputyhome.activities import services
    from deputyhome.activities.models import StandardItem

    today = datetime.date.today()
    assessment = services.assessment_save(
        station=province.station_a,
        year=today.year,
        assessed_on=today,
        results=[{"item": it, "status": "partly"} for it in StandardItem.objects.filter(is_active=True)],
        actor=personas["city"],
    )
    client.force_login(personas["city"])
    html = client.get(reverse("activities:assessment_update", args=[assessment.pk])).content.decode()
    picker = re.search(r'<span class="choice-picker[^"]*" data-name="station".*?</span>', html, re.S).group(0)
    assert f'value="{province.station_a.pk}" checked data-pick disabled' in picker and province.station_a.name in picker
    assert 'type="search"' not in picker
