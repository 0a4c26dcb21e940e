"""Fixtures for the suggestion workflow: the small city, its personas, a co-unit clerk and a session."""

from __future__ import annotations

import datetime

import pytest

from deputyhome.conftest import PASSWORD


@pytest.fixture
def session(city):
    from deputyhome.organisation.models import Session

    return Session.objects.create(
        congress=city.city_congress,
        number=6,
        name="恩施市第十一届人民代表大会第六次会议",
        start_date=datetime.date(2026, 1, 10),
        end_date=datetime.date(2026, 1, 13),
    )


@pytest.fixture
def people(personas, city):
    """Personas plus a clerk of unit B (the court) and a cosigning deputy with a login."""
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User

    unit_b = User(username="unit_b", role=Role.UNIT_CLERK, unit=city.unit_b)
    unit_b.set_password(PASSWORD)
    unit_b.save()
    cosigner = User(username="cosigner", role=Role.DEPUTY, deputy=city.deputies_a[2])
    cosigner.set_password(PASSWORD)
    cosigner.save()
    return {**personas, "unit_b": unit_b, "cosigner": cosigner}


@pytest.fixture
def categories(db):
    from deputyhome.suggestions.models import Category, ResultClass

    return {c.name: c for c in Category.objects.all()}, {r.code: r for r in ResultClass.objects.all()}
