"""The session register counts attendance only for the page's sessions: the same queries at 5 and 50
sessions (each with attendance), and the counts shown are the sessions' own."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.core.tests.reading import queries
from deputyhome.training.choices import AttendanceStatus, SessionKind
from deputyhome.training.models import Attendance, TrainingSession

pytestmark = pytest.mark.django_db


def _sessions(n: int, deputies, start: int) -> list[TrainingSession]:
    sessions = TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                title=f"批量培训{start + i}", kind=SessionKind.SPECIAL, date=datetime.date(2026, 3, 1), hours=2
            )
            for i in range(n)
        ]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(session=s, deputy=d, status=AttendanceStatus.PRESENT if k else AttendanceStatus.ABSENT)
            for s in sessions
            for k, d in enumerate(deputies)
        ]
    )
    return sessions


def _queries(client, **params) -> int:
    return queries(client, reverse("training:session_list"), params)


@pytest.mark.parametrize("persona", ["city", "deputy"])
def test_the_register_runs_the_same_queries_at_5_and_50_sessions(client, personas, city, persona):
    deputies = city.deputies_a + city.deputies_b
    client.force_login(personas[persona])
    _sessions(5, deputies, 0)
    few = _queries(client)
    _sessions(45, deputies, 5)
    assert _queries(client) == few
    assert _queries(client, township=city.township_a.pk) == _queries(client, township=city.township_b.pk)


def test_the_register_shows_each_pages_sessions_own_counts(client, personas, city, make_session, invite):
    busy = make_session(title="满座的培训", date=datetime.date(2026, 5, 2))
    invite(busy, city.deputies_a, status=AttendanceStatus.PRESENT)
    invite(busy, city.deputies_b[:1], status=AttendanceStatus.ABSENT)
    make_session(title="无人的培训", date=datetime.date(2026, 5, 1))
    client.force_login(personas["city"])
    html = client.get(reverse("training:session_list")).content.decode()
    rows = {title: html.split(title, 1)[1].split("</tr>", 1)[0] for title in ("满座的培训", "无人的培训")}
    cells = [c.split(">", 1)[1] for c in rows["满座的培训"].split("<td")[1:]]
    assert cells[-3:] == ["5</td>", f"{len(city.deputies_a)}</td>", "0</td>"]
    assert [c.split(">", 1)[1] for c in rows["无人的培训"].split("<td")[1:]][-3:] == ["0</td>"] * 3


def test_a_deputy_sees_their_own_status_on_the_page(client, personas, city, make_session, invite):
    session = make_session(title="请假的培训")
    invite(session, [personas["deputy"].deputy], status=AttendanceStatus.EXCUSED, reason="出差")
    client.force_login(personas["deputy"])
    html = client.get(reverse("training:session_list")).content.decode()
    assert str(AttendanceStatus.EXCUSED.label) in html.split("请假的培训", 1)[1].split("</tr>", 1)[0]


def test_the_pages_counts_read_the_attendance_rows_alone(client, personas, city):
    # Attendance's default order (by session and deputy) once joined the sessions and the deputies (a scan
    # of every deputy of a province) into the grouped count.
    _sessions(3, city.deputies_a, 0)
    client.force_login(personas["city"])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("training:session_list")).status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if '"invited_count"' in q["sql"]]
    assert len(counts) == 1
    assert "JOIN" not in counts[0]
