"""The year's figures page (/records/year/) at a larger city: the same number of queries when its panel is computed
and when it is read back, and the new deputies' initial-training coverage counted over every deputy in scope
(grouped, not a subquery per deputy)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.deputies.models import Deputy, Mandate
from deputyhome.figures.models import FigureSnapshot
from deputyhome.testing import make_id_number
from deputyhome.training import selectors as training
from deputyhome.training.choices import AttendanceStatus, SessionKind
from deputyhome.training.models import Attendance, TrainingSession

pytestmark = pytest.mark.django_db
URL = "/records/year/"


def more_deputies(city, n: int, *, trained: int) -> None:
    """`n` new city deputies of township A; the first `trained` of them present at an initial session held
    after their term began, the next one at one held before it (which does not count)."""
    year = datetime.date.today().year
    start = datetime.date(year, 1, 10)
    deputies = Deputy.objects.bulk_create(
        [
            Deputy(
                name=f"新代表{i}",
                id_number=make_id_number(900 + i),
                region=city.township_a,
                gender="F",
                ethnicity="汉族",
                birth_date=datetime.date(1975, 3, 15),
                party="群众",
            )
            for i in range(n)
        ]
    )
    Mandate.objects.bulk_create([Mandate(deputy=d, congress=city.city_congress, start_date=start) for d in deputies])
    after, before = (
        TrainingSession.objects.create(title=t, kind=SessionKind.INITIAL, date=day, hours=Decimal(3))
        for t, day in (
            ("初任培训", start + datetime.timedelta(days=5)),
            ("早前培训", start - datetime.timedelta(days=5)),
        )
    )
    Attendance.objects.bulk_create(
        [Attendance(session=after, deputy=d, status=AttendanceStatus.PRESENT) for d in deputies[:trained]]
        + [Attendance(session=before, deputy=deputies[trained], status=AttendanceStatus.PRESENT)]
    )


def test_year_page_queries_do_not_grow_and_coverage_counts_the_new(login, personas, city):
    client = login(personas["city"])
    client.get(URL)  # warm the session and the caches
    before = training.initial_training_coverage(user=personas["city"])
    other_before = training.initial_training_coverage(user=personas["township_b"])
    sizes = []
    for grow in (False, True):
        if grow:
            more_deputies(city, 40, trained=25)
        # Bulk rows record no audit event: drop the panel so that it is computed from them.
        FigureSnapshot.objects.all().delete()
        with CaptureQueriesContext(connection) as computed:
            assert client.get(URL).status_code == 200
        with CaptureQueriesContext(connection) as read:
            assert client.get(URL).status_code == 200
        sizes.append((len(computed), len(read)))
    assert sizes[0] == sizes[1]
    after = training.initial_training_coverage(user=personas["city"])
    assert after["new_deputies"] == before["new_deputies"] + 40
    assert after["covered"] == before["covered"] + 25
    by_township = {
        r["code"]: r for r in training.township_breakdown(user=personas["city"], year=datetime.date.today().year)
    }
    assert by_township[city.township_a.code]["new_deputies"] >= 40
    # The township officer of B sees none of township A's new deputies.
    assert training.initial_training_coverage(user=personas["township_b"]) == other_before
