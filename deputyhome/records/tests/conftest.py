"""Fixtures for duty records: the small city at a fixed date, a congress session, suggestions, reports."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

TZ = ZoneInfo("Asia/Shanghai")
YEAR = 2026
TODAY = datetime.date(YEAR, 11, 20)


@pytest.fixture(autouse=True)
def fixed_today():
    """Every records test runs on 20 November 2026, so 'this year' and 'today' never drift."""
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=TZ), tick=False):
        yield TODAY


@pytest.fixture
def session(city):
    """This year's session of the city congress (all eight small-city deputies sit in it)."""
    from deputyhome.testing import congress_session

    return congress_session(city, YEAR)


def make_suggestion(author, creator, *, number=None, day=datetime.date(YEAR, 1, 11), session=None, state="registered"):
    from deputyhome.suggestions.models import Suggestion

    return Suggestion.objects.create(
        title=f"关于{author.name}所提事项的建议{number or ''}",
        author=author,
        created_by=creator,
        region=author.region,
        session=session,
        year=day.year,
        state=state,
        submitted_at=datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=TZ),
        number=number,
    )


@pytest.fixture
def suggestion_factory():
    return make_suggestion


def make_held_report(deputy, station, day: datetime.date, entered_by, voters: int, votes=(0, 0, 0)):
    """A report to voters held at `station` on `day`: `voters` present, `votes` (satisfied, basically
    satisfied, dissatisfied) cast."""
    from deputyhome.records.choices import VoterReportStatus
    from deputyhome.records.models import VoterReport

    held = {"status": VoterReportStatus.HELD, "voters_present": voters}
    held |= dict(zip(("satisfied", "basically_satisfied", "dissatisfied"), votes, strict=True))
    return VoterReport.objects.create(deputy=deputy, station=station, date=day, created_by=entered_by, **held)


@pytest.fixture
def held_report():
    return make_held_report
