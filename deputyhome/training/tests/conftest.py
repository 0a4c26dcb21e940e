"""Fixtures for training: sessions of the city and of both townships in the small city."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone


@pytest.fixture
def make_session(city):
    from deputyhome.training.choices import OrganiserLevel, SessionKind
    from deputyhome.training.models import TrainingSession

    counter = iter(range(100000, 999999, 7919))

    def _make(
        *,
        title: str = "培训",
        kind: str = SessionKind.SPECIAL,
        region=None,
        date: datetime.date | None = None,
        hours: str = "3",
        signin_open: bool = False,
        code: str | None = None,
        **extra,
    ) -> TrainingSession:
        return TrainingSession.objects.create(
            title=title,
            kind=kind,
            level=OrganiserLevel.TOWNSHIP if region is not None else OrganiserLevel.CITY,
            region=region,
            date=date or timezone.localdate(),
            hours=Decimal(hours),
            signin_code=code or f"{next(counter):06d}",
            signin_open=signin_open,
            **extra,
        )

    return _make


@pytest.fixture
def invite():
    from deputyhome.training.choices import AttendanceStatus, SignInWay
    from deputyhome.training.models import Attendance

    def _invite(session, deputies, status=AttendanceStatus.PENDING, reason=""):
        rows = []
        for d in deputies:
            present = status == AttendanceStatus.PRESENT
            rows.append(
                Attendance.objects.create(
                    session=session,
                    deputy=d,
                    status=status,
                    excuse_reason=reason,
                    signed_in_at=timezone.now() if present else None,
                    signin_way=SignInWay.STAFF if present else "",
                )
            )
        return rows

    return _invite


@pytest.fixture
def city_session(make_session):
    return make_session(title="市级专题培训", hours="3")


@pytest.fixture
def session_a(make_session, city):
    return make_session(title="六角亭街道代表学习会", kind="meeting", region=city.township_a, hours="2")


@pytest.fixture
def session_b(make_session, city):
    return make_session(title="白杨坪镇初任培训", kind="initial", region=city.township_b, hours="6")
