"""Coverage of new deputies, hours per deputy and per township, and the year's figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from deputyhome.deputies.models import Deputy, Mandate
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Congress
from deputyhome.testing import make_id_number
from deputyhome.training import selectors
from deputyhome.training.choices import SessionKind

pytestmark = pytest.mark.django_db


def _all(city):
    return city.deputies_a + city.deputies_b


def test_every_current_city_or_township_deputy_is_new_in_a_first_term(personas, city):
    new = selectors.new_deputies(user=personas["city"])
    assert {d.pk for d in new} == {d.pk for d in _all(city)}
    assert all(d.new_since == datetime.date(2021, 10, 1) for d in new)


def test_a_deputy_who_served_an_earlier_term_is_not_new(personas, city):
    earlier = Congress.objects.create(
        level=CongressLevel.CITY, term=10, name="恩施市第十届人民代表大会", region=city.city, is_current=False
    )
    veteran = city.deputies_a[1]
    Mandate.objects.create(
        deputy=veteran, congress=earlier, start_date=datetime.date(2016, 10, 1), end_date=datetime.date(2021, 9, 30)
    )
    assert veteran.pk not in {d.pk for d in selectors.new_deputies(user=personas["city"])}


def test_province_and_prefecture_deputies_are_not_counted(personas, city):
    province = Congress.objects.create(level=CongressLevel.PROVINCE, term=14, name="湖北省第十四届人民代表大会")
    p = Deputy.objects.create(
        name="省代表",
        gender="M",
        ethnicity="汉族",
        birth_date=datetime.date(1970, 1, 1),
        party="中共党员",
        id_number=make_id_number(900),
        region=city.township_a,
    )
    Mandate.objects.create(deputy=p, congress=province, start_date=datetime.date(2023, 1, 1))
    assert p.pk not in {d.pk for d in selectors.new_deputies(user=personas["city"])}


def test_coverage_full_when_everyone_attended_initial_training(personas, city, make_session, invite):
    city_initial = make_session(kind=SessionKind.INITIAL, title="市级初任培训")
    invite(city_initial, city.deputies_a, status="present")
    township_initial = make_session(kind=SessionKind.INITIAL, region=city.township_b, title="乡镇初任培训")
    invite(township_initial, city.deputies_b, status="present")
    cov = selectors.initial_training_coverage(user=personas["city"])
    assert cov == {"new_deputies": 8, "covered": 8, "missing": 0, "ratio": 1.0}


def test_excused_then_made_up_counts_absent_does_not(personas, city, make_session, invite):
    today = timezone.localdate()
    first = make_session(kind=SessionKind.INITIAL, date=today - datetime.timedelta(days=30))
    invite(first, _all(city)[:6], status="present")
    invite(first, _all(city)[6:7], status="excused", reason="住院")
    invite(first, _all(city)[7:], status="absent")
    makeup = make_session(kind=SessionKind.INITIAL, title="补训班", date=today - datetime.timedelta(days=5))
    invite(makeup, _all(city)[6:7], status="present")
    cov = selectors.initial_training_coverage(user=personas["city"])
    assert cov == {"new_deputies": 8, "covered": 7, "missing": 1, "ratio": 0.875}
    [missing] = selectors.uncovered_new_deputies(user=personas["city"])
    assert missing.pk == _all(city)[7].pk


def test_other_kinds_and_initial_training_before_the_mandate_do_not_count(personas, city, make_session, invite):
    special = make_session(kind=SessionKind.SPECIAL)
    invite(special, _all(city), status="present")
    old = make_session(kind=SessionKind.INITIAL, date=datetime.date(2020, 5, 1))
    invite(old, _all(city), status="present")
    assert selectors.initial_training_coverage(user=personas["city"])["covered"] == 0


def test_coverage_is_scoped(personas, city, make_session, invite):
    initial = make_session(kind=SessionKind.INITIAL)
    invite(initial, city.deputies_a, status="present")
    assert selectors.initial_training_coverage(user=personas["township"])["ratio"] == 1.0
    assert selectors.initial_training_coverage(user=personas["township_b"])["covered"] == 0
    assert selectors.initial_training_coverage(user=personas["deputy"])["new_deputies"] == 1
    assert selectors.initial_training_coverage(user=personas["unit"])["new_deputies"] == 0


def test_deputy_training_hours_in_one_query(personas, city, make_session, invite, django_assert_num_queries):
    year = timezone.localdate().year
    a, b, c, d = city.deputies_a
    s1 = make_session(hours="3")
    s2 = make_session(hours="1.5", region=city.township_a)
    s3 = make_session(hours="2")
    last_year = make_session(hours="8", date=datetime.date(year - 1, 6, 1))
    invite(s1, [a, b], status="present")
    invite(s2, [a], status="present")
    invite(s2, [b], status="excused", reason="出差")
    invite(s3, [a, b], status="absent")
    invite(s3, [c])  # still pending: counts nowhere
    invite(last_year, [a], status="present")
    with django_assert_num_queries(1):
        figures = selectors.deputy_training(deputy_ids=[a.pk, b.pk, c.pk, d.pk], year=year)
    assert figures[a.pk] == {"sessions": 2, "hours": Decimal("4.5"), "absent_unexcused": 1, "excused": 0}
    assert figures[b.pk] == {"sessions": 1, "hours": Decimal("3"), "absent_unexcused": 1, "excused": 1}
    assert figures[c.pk] == figures[d.pk] == {"sessions": 0, "hours": Decimal("0"), "absent_unexcused": 0, "excused": 0}
    assert selectors.deputy_training(deputy_ids=[a.pk], year=year - 1)[a.pk]["hours"] == Decimal("8")
    with django_assert_num_queries(2):
        by_queryset = selectors.deputy_training(deputy_ids=Deputy.objects.filter(pk__in=[a.pk, d.pk]), year=year)
    assert set(by_queryset) == {a.pk, d.pk}


def test_hours_list_annotations_match(personas, city, make_session, invite):
    year = timezone.localdate().year
    a, b = city.deputies_a[:2]
    invite(make_session(hours="3"), [a, b], status="present")
    invite(make_session(hours="2.5"), [a], status="present")
    invite(make_session(hours="2"), [b], status="absent")
    rows = {d.pk: d for d in selectors.deputy_hours_list(user=personas["township"], year=year)}
    assert set(rows) == {d.pk for d in city.deputies_a}
    assert rows[a.pk].training_hours == Decimal("5.5") and rows[a.pk].training_sessions == 2
    assert rows[b.pk].training_absent == 1 and rows[b.pk].training_hours == Decimal("3")
    assert list(selectors.deputy_hours_list(user=personas["township"], year=year).order_by("-training_hours"))[0] == a


def test_township_breakdown(personas, city, make_session, invite):
    year = timezone.localdate().year
    initial = make_session(kind=SessionKind.INITIAL, hours="6")
    invite(initial, city.deputies_a, status="present")
    invite(initial, city.deputies_b[:3], status="present")
    rows = {r["name"]: r for r in selectors.township_breakdown(user=personas["city"], year=year)}
    a, b = rows["六角亭街道"], rows["白杨坪镇"]
    assert (a["deputies"], a["new_deputies"], a["covered"], a["missing"], a["ratio"]) == (4, 4, 4, 0, 1.0)
    assert (b["covered"], b["missing"], b["ratio"]) == (3, 1, 0.75)
    assert a["hours"] == Decimal("24") and a["hours_per_deputy"] == Decimal("6.0")
    assert b["hours_per_deputy"] == Decimal("4.5")
    assert list(rows) == ["六角亭街道", "白杨坪镇"]
    assert [r["name"] for r in selectors.township_breakdown(user=personas["township"], year=year)] == ["六角亭街道"]


def test_training_stats_on_constructed_data(personas, city, make_session, invite, django_assert_max_num_queries):
    year = timezone.localdate().year
    initial = make_session(kind=SessionKind.INITIAL, hours="6")
    invite(initial, city.deputies_a + city.deputies_b[:3], status="present")
    invite(initial, city.deputies_b[3:], status="excused", reason="外出务工")
    for topic in ("财政监督", "代表行动", "党代会精神"):
        invite(make_session(kind=SessionKind.SPECIAL, title=topic, hours="3"), city.deputies_a[:2], status="present")
    meeting_b = make_session(kind=SessionKind.MEETING, region=city.township_b, hours="1.5")
    invite(meeting_b, city.deputies_b[:2], status="absent")
    walk_in = make_session(kind=SessionKind.EXCHANGE, region=city.township_a, hours="2")
    invite(walk_in, city.deputies_a[:1])
    walk_in.attendances.update(invited=False, status="present")
    make_session(kind=SessionKind.SPECIAL, date=datetime.date(year - 1, 3, 1))  # another year

    with django_assert_max_num_queries(6):
        stats = selectors.training_stats(user=personas["city"], year=year)
    assert stats["sessions_total"] == 6
    assert stats["sessions_by_kind"] == {
        "initial": 1,
        "special": 3,
        "meeting": 1,
        "onsite": 0,
        "lecture": 0,
        "exchange": 1,
        "self_study": 0,
    }
    assert stats["special_topic_sessions"] == 3
    assert stats["sessions_by_level"] == {"city": 4, "township": 2}
    assert stats["attendance"] == {"invited": 16, "walk_ins": 1, "present": 14, "excused": 1, "absent": 2, "pending": 0}
    assert stats["hours_total"] == Decimal("6") * 7 + Decimal("3") * 6 + Decimal("2")
    assert stats["deputies_trained"] == 7
    assert stats["initial_training_coverage"] == {"new_deputies": 8, "covered": 7, "missing": 1, "ratio": 0.875}
    assert stats["session_hours"] == Decimal("6") + 9 + Decimal("1.5") + 2

    township = selectors.training_stats(user=personas["township"], year=year)
    assert township["sessions_total"] == 5  # city sessions and its own, not 白杨坪镇's meeting
    assert township["attendance"]["absent"] == 0
    assert township["initial_training_coverage"]["ratio"] == 1.0
    nothing = selectors.training_stats(user=personas["sysadmin"], year=year)
    assert nothing["sessions_total"] == 0 and nothing["initial_training_coverage"]["ratio"] is None
