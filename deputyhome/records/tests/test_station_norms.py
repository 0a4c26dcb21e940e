"""A station's assessment shows what the data say of its norms GF-2 (代表每年进站) and GF-4 (小组季度活动): the
station's groups and their deputies in the assessed year, with links to the lists narrowed to the station."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from deputyhome.accounts import scopes
from deputyhome.activities import services
from deputyhome.activities.choices import ItemStatus
from deputyhome.activities.models import StandardItem
from deputyhome.opinions.models import Reception, ReceptionSlot
from deputyhome.testing import add_deputies

from .test_group_quarters import _activity

pytestmark = pytest.mark.django_db

YEAR = 2025


def _assessment(city, by, station=None):
    results = [
        {"item": item, "status": ItemStatus.MET, "notes": "", "photos": []}
        for item in StandardItem.objects.filter(is_active=True)
    ]
    station = station or city.station_b
    return services.assessment_save(
        station=station, year=YEAR, assessed_on=datetime.date(YEAR, 12, 20), results=results, actor=by
    )


@pytest.fixture
def station_b(city, personas):
    """Station B's one group met in three quarters of 2025; one of its four deputies received voters there. It
    announced two one-off receptions: one 3 days ahead, one the day before (recorded before the rule was checked)."""
    by = personas["city"]
    for month in (2, 5, 11):
        _activity(city, by, datetime.date(YEAR, month, 3), group=city.group_b)
    reception = Reception.objects.create(station=city.station_b, date=datetime.date(YEAR, 4, 1), recorded_by=by)
    reception.deputies.add(city.deputies_b[0])
    for day, ahead in ((datetime.date(YEAR, 3, 10), 3), (datetime.date(YEAR, 9, 10), 1)):
        ReceptionSlot.objects.create(
            station=city.station_b, date=day, start_time=datetime.time(9), end_time=datetime.time(11),
            announced_on=day - datetime.timedelta(days=ahead),
        )  # fmt: skip
    return city


GF2 = "本站代表小组的代表 4 名，2025年已进站 1 名、未进站 3 名（进站率 25.0%）。"
GF4 = "本站代表小组 1 个，2025年已结束的季度均开展了活动的 0 个、有季度未开展的 1 个。"
GF1 = "接待安排：未设；2025年登记接待选民 1 次。"
GF3 = "2025年临时接待安排 2 次，提前2天以上公告的 1 次。"


def test_the_form_and_the_page_of_an_assessment_show_the_figures(station_b, personas, login):
    client = login(personas["city"])
    form = client.get(reverse("activities:assessment_create"), {"station": station_b.station_b.pk, "year": YEAR})
    html = form.content.decode()
    for figures in (GF1, GF2, GF3, GF4):
        assert f"数据参考：{figures}" in html
    lists = f"?year={YEAR}&amp;station={station_b.station_b.pk}"
    assert f"{reverse('records:visits')}{lists}" in html and f"{reverse('records:group_quarters')}{lists}" in html
    assessment = _assessment(station_b, personas["city"])
    detail = client.get(assessment.get_absolute_url()).content.decode()
    assert "数据参考" in detail and all(figures in detail for figures in (GF1, GF2, GF3, GF4))
    assert f"{reverse('opinions:reception_list')}{lists}" in detail
    edit = client.get(reverse("activities:assessment_update", args=[assessment.pk])).content.decode()
    assert GF2 in edit


def test_the_figures_follow_the_data(station_b, personas, login):
    """A meeting in the missing quarter, and two more deputies in the group, change what the form says."""
    _activity(station_b, personas["city"], datetime.date(YEAR, 8, 8), group=station_b.group_b)
    add_deputies(2, congress=station_b.city_congress, group=station_b.group_b, region=station_b.township_b)
    client = login(personas["township_b"])
    html = client.get(reverse("activities:assessment_create"), {"station": station_b.station_b.pk}).content.decode()
    assert f"{scopes.today().year}年已进站 0 名" in html  # no year asked: this year's, when nothing was done yet
    html = client.get(
        reverse("activities:assessment_create"), {"station": station_b.station_b.pk, "year": YEAR}
    ).content.decode()
    assert "代表 6 名，2025年已进站 1 名、未进站 5 名（进站率 16.7%）" in html
    assert "均开展了活动的 1 个、有季度未开展的 0 个" in html


def test_no_figures_without_a_station_or_for_another_townships(station_b, personas, login):
    client = login(personas["city"])
    assert "数据参考" not in client.get(reverse("activities:assessment_create")).content.decode()
    other = login(personas["township"]).get(
        reverse("activities:assessment_create"), {"station": station_b.station_b.pk, "year": YEAR}
    )
    assert "数据参考" not in other.content.decode() and "洞下槽村" not in other.content.decode()


def test_a_groups_leader_sees_no_figures_of_a_whole_station(station_b, personas, login):
    """The leader of group A reads only their group's part of station A: no figures called the station's."""
    assessment = _assessment(station_b, personas["city"], station_b.station_a)
    assert "数据参考" in login(personas["township"]).get(assessment.get_absolute_url()).content.decode()
    page = login(personas["group"]).get(assessment.get_absolute_url())
    assert page.status_code == 200 and "数据参考" not in page.content.decode()
