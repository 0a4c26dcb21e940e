"""The annual report's draft of 存在的问题 names the station norms the year's data show missed: groups that did not
meet every quarter (GF-4) and deputies who never came to a home or a station (GF-2), for the report's scope."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from deputyhome.opinions.models import Pairing, Reception
from deputyhome.records.tests.test_group_quarters import _activity

pytestmark = pytest.mark.django_db

YEAR = 2025


def _draft(client) -> str:
    response = client.get(reverse("reports:annual_text"), {"year": YEAR})
    assert response.status_code == 200
    return response.content.decode()


def test_the_draft_names_the_groups_and_deputies_short_of_the_norms(city, personas, login):
    by = personas["city"]
    for month in (1, 4, 7, 10):  # group A met every quarter; group B never
        _activity(city, by, datetime.date(YEAR, month, 6), group=city.group_a)
    reception = Reception.objects.create(station=city.station_a, date=datetime.date(YEAR, 5, 5), recorded_by=by)
    reception.deputies.add(*city.deputies_a[:2])
    html = _draft(login(personas["city"]))
    assert "2个代表小组中有1个未做到每季度集中开展一次活动" in html
    assert "督促1个代表小组每季度至少集中开展一次活动" in html  # and the next steps answer it
    # Eight deputies in the groups: two received voters, group A's four are not listed at its meetings.
    assert "6名代表全年未到家站参加活动或接待选民" in html
    township = _draft(login(personas["township"]))
    assert "未做到每季度集中开展一次活动" not in township  # its one group met every quarter
    assert "2名代表全年未到家站参加活动或接待选民" in township
    # Nobody has a paired household: all eight are short of ten, and the next steps say so.
    assert "8名代表结对联系群众不足10户" in html and "帮助8名代表落实结对联系户，每人联系10户以上群众" in html
    assert "4名代表结对联系群众不足10户" in township


def test_no_such_words_when_the_norms_are_kept(city, personas, login):
    by = personas["city"]
    for group in (city.group_a, city.group_b):
        for month in (1, 4, 7, 10):
            _activity(city, by, datetime.date(YEAR, month, 6), group=group)
    reception = Reception.objects.create(station=city.station_a, date=datetime.date(YEAR, 5, 5), recorded_by=by)
    reception.deputies.add(*city.deputies_a, *city.deputies_b)
    for deputy in (*city.deputies_a, *city.deputies_b):
        Pairing.objects.bulk_create(
            Pairing(deputy=deputy, household=f"户{i}", since=datetime.date(YEAR - 1, 1, 1)) for i in range(10)
        )
    html = _draft(login(personas["city"]))
    assert (
        "未做到每季度集中开展一次活动" not in html and "全年未到家站" not in html and "代表小组每季度至少" not in html
    )
    assert "结对联系群众不足" not in html and "落实结对联系户" not in html


def test_the_report_counts_the_households_paired_and_their_contacts(city, personas, login):
    """The article's 结对联系群众496户1438人, from the data: the households in force at the year's end in the scope."""
    pairing = Pairing.objects.create(
        deputy=city.deputies_a[0], household="田家", members=4, since=datetime.date(YEAR - 1, 3, 1)
    )
    Pairing.objects.create(deputy=city.deputies_b[0], household="李家", members=2, since=datetime.date(YEAR, 3, 1))
    pairing.contacts.create(date=datetime.date(YEAR, 4, 1), way="visit", notes="走访", recorded_by=personas["city"])
    from deputyhome.reports.annual import annual_figures, section_texts

    def activities(user) -> str:
        return "".join(dict(section_texts(annual_figures(user=user, year=YEAR)))["三、组织活动，让代表常“回家”"])

    assert "代表结对联系群众2户6人，全年走访联系1次" in activities(personas["city"])
    assert "代表结对联系群众1户4人，全年走访联系1次" in activities(personas["township"])
    Pairing.objects.all().delete()
    assert "结对联系群众" not in activities(personas["city"])
