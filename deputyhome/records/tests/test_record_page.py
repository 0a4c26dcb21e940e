"""A deputy's duty record reads only the lists its figures say have rows (records.selectors.deputy_record): a
deputy with nothing takes fewer queries, a full record the same number however long its lists, and every row of
any status is listed (a training not signed for, an activity on leave, a cancelled report)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.activities.models import Activity, Participation
from deputyhome.motions.models import SessionAttendance
from deputyhome.opinions.models import Reception
from deputyhome.records.choices import VoterReportStatus
from deputyhome.records.models import VoterReport
from deputyhome.suggestions.models import CoSigner
from deputyhome.training.models import Attendance, TrainingSession

from .conftest import YEAR, make_suggestion


def _url(deputy) -> str:
    return f"/records/deputies/{deputy.pk}/?year={YEAR}"


def _fill(city, deputy, other, creator, session, n: int, status: dict[str, str], first: int = 100) -> None:
    """`n` rows in each of the record's lists for `deputy`, each list's rows of the status given."""
    day = datetime.date(YEAR, 3, 1)
    for i in range(n):
        training = TrainingSession.objects.create(title=f"培训{i}", kind="special", date=day, hours=Decimal(2))
        Attendance.objects.create(session=training, deputy=deputy, status=status.get("training", "present"))
        activity = Activity.objects.create(
            kind="research",
            level="township",
            region=city.township_a,
            date=day,
            place="西门",
            topic=f"调研{i}",
            created_by=creator,
        )
        Participation.objects.create(activity=activity, deputy=deputy, attendance=status.get("activity", "present"))
        Reception.objects.create(station=city.station_a, date=day, voters_received=3, recorded_by=creator).deputies.add(
            deputy
        )
        VoterReport.objects.create(
            deputy=deputy,
            station=city.station_a,
            date=day,
            status=status.get("report", VoterReportStatus.HELD),
            voters_present=10,
            created_by=creator,
        )
        make_suggestion(deputy, creator, number=first + 2 * i, session=session)
        cosigned = make_suggestion(other, creator, number=first + 1 + 2 * i, session=session)
        CoSigner.objects.create(suggestion=cosigned, deputy=deputy, confirmed_at=cosigned.submitted_at)
    SessionAttendance.objects.get_or_create(session=session, deputy=deputy, defaults={"status": "excused"})


def test_a_record_reads_only_the_lists_it_has_and_its_queries_do_not_grow(city, personas, login, session):
    client = login(personas["township"])
    empty, one, many = city.deputies_a[0], city.deputies_a[1], city.deputies_a[2]
    creator = personas["city"]
    author = city.deputies_b[0]  # of the suggestions they co-sign
    _fill(city, one, author, creator, session, 1, {}, first=10)
    _fill(city, many, author, creator, session, 4, {})
    client.get(_url(empty))  # the year's scheme
    counts = {}
    for deputy in (empty, one, many):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(_url(deputy)).content.decode()
        counts[deputy.pk] = len(queries)
        assert ("调研0" in html) == (deputy != empty)
    assert counts[one.pk] == counts[many.pk]
    # Training, activities, receptions, reports, suggestions led and co-signed, the session's exception: not read.
    assert counts[empty.pk] == counts[many.pk] - 7
    html = client.get(_url(many)).content.decode()
    assert all(f"调研{i}" in html and f"培训{i}" in html for i in range(4))
    assert all(f"第{100 + i}号" in html for i in range(8))


def test_rows_of_every_status_are_listed(city, personas, login, session):
    deputy = city.deputies_a[3]
    statuses = {"training": "pending", "activity": "excused", "report": VoterReportStatus.CANCELLED}
    _fill(city, deputy, city.deputies_a[0], personas["city"], session, 1, statuses)
    html = login(personas["township"]).get(_url(deputy)).content.decode()
    for shown, status in (("培训0", "未签到"), ("调研0", "请假"), ('data-label="地点"', "已取消")):
        row = next(tr for tr in html.split("<tr>") if shown in tr and "data-label" in tr)
        assert status in row, (shown, row)
    assert "恩施市第十一届人民代表大会第六次会议" in html
