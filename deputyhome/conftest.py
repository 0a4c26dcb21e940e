"""Shared fixtures: a small city and one login per persona."""

from __future__ import annotations

import contextlib
import datetime
import importlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command, get_commands
from django.utils import timezone

from deputyhome.testing_snapshots import TableSnapshot, cached_snapshot, load_committed, snapshot_loaded

os.environ.setdefault("DEPUTYHOME_TESTING", "1")

PASSWORD = "Test-Passw0rd!"


@pytest.fixture
def city(db):
    """A small city: two townships, each with a home, two liaison stations and groups, deputies in both."""
    from deputyhome.testing import build_small_city

    return build_small_city()


@pytest.fixture
def personas(city):
    """One user per role, anchored in township A (六角亭街道) where an anchor is needed."""
    from deputyhome.testing import make_personas

    return make_personas(city, password=PASSWORD)


@pytest.fixture(scope="module")
def demo(shared_demo, django_db_blocker):
    """`manage.py demo`'s output: the demo city, loaded for the module (built once per test process) and rolled
    back after it, on the day it was built (`SharedDemo.clock`). Tests using it take `db` as usual; their
    transactions nest inside this one."""
    with shared_demo.loaded(django_db_blocker), shared_demo.clock():
        yield shared_demo.output


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def today():
    return datetime.date.today()


@dataclass
class SharedDemo:
    """A demo city as it was built once in this test process: what it printed, returned and wrote."""

    output: str  # what `manage.py demo` printed ("" for a build with another seed)
    result: Any  # build_demo's DemoResult (counts, logins)
    snapshot: TableSnapshot
    built_at: datetime.datetime  # when the build ended (its clock: `_build_clock`)

    @contextlib.contextmanager
    def loaded(self, django_db_blocker) -> Iterator[Any]:
        """The demo city in the database for the block (a test module), rolled back after it."""
        with snapshot_loaded(django_db_blocker, self.snapshot):
            yield self

    @contextlib.contextmanager
    def clock(self) -> Iterator[None]:
        """The block on the demo's day. The demo is dated from the day it is built (today's training session, what
        is overdue): a run that passed midnight since reads it at the instant the build ended, the clock running."""
        if timezone.now() >= self.built_at and timezone.localdate() == timezone.localdate(self.built_at):
            yield
        else:
            with time_machine.travel(self.built_at, tick=True):
                yield


# A demo built later in the day is built at this hour (local time), so that the tests reading it on its day
# (`SharedDemo.clock`) have hours before midnight, not minutes.
LATEST_BUILD_HOUR = 20


@contextlib.contextmanager
def _build_clock() -> Iterator[None]:
    now = timezone.localtime()
    latest = now.replace(hour=LATEST_BUILD_HOUR, minute=0, second=0, microsecond=0)
    if now < latest:
        yield
    else:
        with time_machine.travel(latest, tick=True):
            yield


class DemoBuilds:
    """Demo cities built in this test process on today's date, each seed once (a build takes a while;
    loading the rows it wrote takes a moment)."""

    def __init__(self, django_db_blocker) -> None:
        self._blocker = django_db_blocker
        self._built: dict[int | None, SharedDemo] = {}
        # The command as `manage.py demo` runs it, wherever the app that owns it lives.
        self._command = importlib.import_module(f"{get_commands()['demo']}.management.commands.demo")

    def get(self, seed: int | None = None) -> SharedDemo:
        """The demo with this seed; None: the city `manage.py demo` loads, with its output."""
        if seed not in self._built:
            with self._blocker.unblock():
                self._built[seed] = self._command_run() if seed is None else self._build(seed)
        return self._built[seed]

    def _build(self, seed: int) -> SharedDemo:
        with _build_clock():
            (result, built_at), snapshot = cached_snapshot(
                f"demo-{seed}", lambda: (self._command.build_demo(seed=seed), timezone.now())
            )
        return SharedDemo(output="", result=result, snapshot=snapshot, built_at=built_at)

    def _command_run(self) -> SharedDemo:
        real_build, returned = self._command.build_demo, []

        def build_and_keep(**kwargs):
            returned.append(real_build(**kwargs))
            return returned[-1]

        def run() -> str:
            out = StringIO()
            with mock.patch.object(self._command, "build_demo", build_and_keep):
                call_command("demo", stdout=out)
            return out.getvalue()

        with _build_clock():
            (output, result, built_at), snapshot = cached_snapshot(
                "demo-command", lambda: (run(), returned[0], timezone.now())
            )
        return SharedDemo(output=output, result=result, snapshot=snapshot, built_at=built_at)


@pytest.fixture(scope="session")
def demo_builds(django_db_setup, django_db_blocker) -> DemoBuilds:
    return DemoBuilds(django_db_blocker)


@pytest.fixture
def committed_demo(transactional_db, shared_demo):
    """The demo city as `manage.py demo` builds it, committed for a browser test's live server: the same build as
    the `demo` fixture's (once per test process, or once per run and database kind when `make test` shares its
    builds, `testing_snapshots.cached_snapshot`). Its result is `build_demo`'s DemoResult."""
    load_committed(shared_demo.snapshot)
    with shared_demo.clock():
        yield shared_demo.result


@pytest.fixture(scope="session")
def shared_demo(demo_builds) -> SharedDemo:
    """The demo city (1,338 deputies) as `manage.py demo` builds it, once per test process.

    A module that reads it takes it with a module fixture: `with shared_demo.loaded(django_db_blocker): yield ...`.
    """
    return demo_builds.get()


@pytest.fixture
def sms_outbox():
    """The SMS the test backend keeps (notifications.services.LocmemSmsBackend), empty before and after the test."""
    from deputyhome.notifications.services import outbox

    outbox.clear()
    yield outbox
    outbox.clear()
