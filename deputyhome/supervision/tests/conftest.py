"""Fixtures for scoring and statistics: those of the suggestion tests, and a driver for the course.

`people`, `session` and `categories` are the fixtures of deputyhome/suggestions/tests/conftest.py,
built by plain functions here so that the reports tests can declare the same fixtures too.

The driver moves suggestions through `deputyhome.suggestions.services` on given days with
time_machine, so the timeline events (with their `on_time` flags) are the real ones.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.conftest import PASSWORD
from deputyhome.testing import congress_session, reply_to, suggestion_categories, suggestion_people

TZ = datetime.timezone(datetime.timedelta(hours=8))
D = datetime.date


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ), tick=False)


@pytest.fixture
def june():
    """10:00 on 1 June 2026 (Beijing), the clock stopped: a module runs in it with `usefixtures("june")`; a test
    that moves the clock asks for it (the traveller)."""
    with at(D(2026, 6, 1)) as traveller:
        yield traveller


def url(name: str, *args, year: int = 2026) -> str:
    """The address of a supervision page for a year."""
    return f"{reverse(f'supervision:{name}', args=args)}?year={year}"


def stats_queries(people: dict, persona: str, grow: Callable[[], object]) -> tuple[int, int, dict]:
    """The queries the 2026 suggestion statistics take for `persona` (the user read afresh, as a request reads
    it) before and after `grow()` adds data, and the figures after."""
    from deputyhome.accounts.models import User
    from deputyhome.supervision.stats import suggestion_stats

    def measured() -> tuple[int, dict]:
        user = User.objects.get(pk=people[persona].pk)
        with CaptureQueriesContext(connection) as ctx:
            data = suggestion_stats(user=user, year=2026, today=D(2026, 6, 1))
        return len(ctx.captured_queries), data

    small, _data = measured()
    grow()
    big, data = measured()
    return small, big, data


class Course:
    """Drives suggestions through the services; every step takes the day it happens on."""

    def __init__(self, city, people, categories, session):
        self.city, self.people, self.session = city, people, session
        self.cats, self.classes = categories
        self.clerks = {city.unit_a.pk: people["unit"], city.unit_b.pk: people["unit_b"]}
        self.serial = 0

    def _sv(self):
        from deputyhome.suggestions import services

        return services

    def draft(self, *, on: D):
        with at(on):
            return self._sv().suggestion_create(
                author=self.people["deputy"].deputy,
                data={"title": "草稿", "proposals": "x"},
                actor=self.people["deputy"],
            )

    def submitted(self, *, on: D, author=None, in_session=True, title=""):
        """A submitted suggestion; `author` a Deputy (default: the deputy persona, who submits it)."""
        sv = self._sv()
        self.serial += 1
        data = {"title": title or f"建议{self.serial}", "proposals": "建议内容"}
        if in_session:
            data["session"] = self.session
        actor = self.people["deputy"] if author is None else self.people["city"]
        author = author or self.people["deputy"].deputy
        with at(on):
            s = sv.suggestion_create(author=author, data=data, actor=actor)
            sv.suggestion_submit(suggestion=s, actor=actor)
        s.refresh_from_db()
        return s

    def registered(self, *, on: D, **kwargs):
        s = self.submitted(on=on, **kwargs)
        with at(on):
            self._sv().suggestion_register(
                suggestion=s, category=self.cats["城乡建设与管理"], actor=self.people["city"]
            )
        s.refresh_from_db()
        return s

    def assigned(self, unit, *, on: D, co_units=(), **kwargs):
        s = self.registered(on=on, **kwargs)
        with at(on):
            self._sv().suggestion_assign(suggestion=s, lead_unit=unit, co_units=co_units, actor=self.people["city"])
            self._sv().suggestion_receive(suggestion=s, actor=self.clerk(s))
        s.refresh_from_db()
        return s

    def clerk(self, s):
        from deputyhome.suggestions.models import Assignment

        lead = Assignment.objects.get(suggestion=s, role="lead", status="active")
        return self.clerks[lead.unit_id]

    def reply(self, s, *, on: D, code="A", consult=True):
        sv = self._sv()
        clerk = self.clerk(s)
        with at(on):
            self._co_opinions(s)
            if consult:
                sv.suggestion_consult(suggestion=s, date=on, way="phone", notes="电话沟通", actor=clerk)
            follow = on + datetime.timedelta(days=90) if self.classes[code].needs_follow_up else None
            reply_to(s, clerk, self.classes[code], text="答复内容", follow_up_on=follow)
        s.refresh_from_db()
        return s

    def _co_opinions(self, s):
        """The co-units give their opinions first: the lead unit cannot reply before they have."""
        from deputyhome.suggestions.models import Assignment

        pending = Assignment.objects.filter(suggestion=s, role="co", status="active", opinion_on__isnull=True)
        for a in pending:
            self._sv().suggestion_co_opinion(suggestion=s, opinion="同意主办单位意见", actor=self.clerks[a.unit_id])

    def review(self, s, *, on: D, accept=True):
        with at(on):
            self._sv().suggestion_review_reply(
                suggestion=s, accept=accept, note="" if accept else "答复过于简单", actor=self.people["city"]
            )
        s.refresh_from_db()
        return s

    def evaluate(self, s, *, on: D, result="satisfied", deputy_user=None):
        user = deputy_user or self._author_user(s)
        with at(on):
            self._sv().suggestion_evaluate(
                suggestion=s,
                attitude="satisfied",
                result=result,
                comment="问题未解决" if result == "dissatisfied" else "",
                actor=user,
            )
        s.refresh_from_db()
        return s

    def silent(self, s, *, on: D):
        with at(on):
            self._sv().suggestion_record_no_evaluation(suggestion=s)
        s.refresh_from_db()
        return s

    def key(self, s, *, on: D):
        with at(on):
            self._sv().suggestion_mark_key(suggestion=s, leader="张副主任", actor=self.people["supervisor"])
        s.refresh_from_db()
        return s

    def _author_user(self, s):
        from deputyhome.accounts.models import User

        return User.objects.get(deputy_id=s.author_id)

    def closed(self, unit, *, on: D, code="A", result="satisfied", reply_on: D | None = None, **kwargs):
        """Assigned on `on`, replied a week later (or on `reply_on`), accepted and evaluated the days after."""
        s = self.assigned(unit, on=on, **kwargs)
        reply_on = reply_on or on + datetime.timedelta(days=7)
        s = self.reply(s, on=reply_on, code=code)
        s = self.review(s, on=reply_on + datetime.timedelta(days=1))
        return self.evaluate(s, on=reply_on + datetime.timedelta(days=2), result=result)


def make_session(city):
    return congress_session(city)


def make_people(personas, city) -> dict:
    return suggestion_people(personas, city, PASSWORD)


make_categories = suggestion_categories


@pytest.fixture(name="session")
def _session(city):
    return make_session(city)


@pytest.fixture(name="people")
def _people(personas, city):
    return make_people(personas, city)


@pytest.fixture(name="categories")
def _categories(db):
    return make_categories()


@pytest.fixture(name="course")
def _course(city, people, categories, session):
    return Course(city, people, categories, session)


@pytest.fixture
def two_units(course, city):
    """Unit A leads two closed suggestions (A/satisfied, B/basic); unit B one (A/satisfied)."""
    a1 = course.closed(city.unit_a, on=D(2026, 1, 20), code="A", result="satisfied")
    a2 = course.closed(city.unit_a, on=D(2026, 1, 20), code="B", result="basic")
    b1 = course.closed(city.unit_b, on=D(2026, 1, 20), code="A", result="satisfied")
    return a1, a2, b1
