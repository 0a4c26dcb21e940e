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


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def today():
    return datetime.date.today()
