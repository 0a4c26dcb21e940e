"""Shared fixtures: a small city and one login per persona."""

from __future__ import annotations

import datetime
import os

import pytest

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
def demo(django_db_setup, django_db_blocker):
    """`manage.py demo`'s output: the demo city, built once for the module and rolled back after it.

    Tests using it take `db` as usual; their transactions nest inside this one.
    """
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def today():
    return datetime.date.today()
