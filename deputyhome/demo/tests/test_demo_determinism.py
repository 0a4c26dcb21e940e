"""The demo is the same city on every run: same seed, same names, codes and ID numbers."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection, transaction

from deputyhome.accounts.models import User
from deputyhome.demo.builder import DemoExists, build_demo
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate
from deputyhome.organisation.models import DeputyGroup, Region, Station
from deputyhome.testing import load_snapshot


def fingerprint() -> str:
    """A hash of everything the demo writes except primary keys and timestamps."""
    parts = [
        sorted(Region.objects.values_list("code", "name", "kind", "parent__code")),
        sorted(Station.objects.values_list("name", "kind", "region__code", "address", "phone", "reception_hours")),
        sorted(DeputyGroup.objects.values_list("name", "station__name")),
        sorted(
            Deputy.objects.values_list(
                "id_number",
                "name",
                "gender",
                "ethnicity",
                "birth_date",
                "party",
                "education",
                "employer_title",
                "phone",
                "address",
                "region__code",
            )
        ),
        sorted(Mandate.objects.values_list("deputy__id_number", "congress__name", "constituency", "start_date")),
        sorted(GroupMembership.objects.values_list("deputy__id_number", "group__name", "role", "start_date")),
        sorted(
            User.objects.values_list("username", "role", "display_name", "deputy__id_number", "group__name"),
            key=str,
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _build_and_fingerprint(**kwargs) -> str:
    with transaction.atomic():
        build_demo(**kwargs)
        if connection.vendor == "postgresql":
            # Fresh, uncommitted rows: without statistics the planner picks nested loops over thousands of rows.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        value = fingerprint()
        transaction.set_rollback(True)
    return value


def _loaded_fingerprint(built) -> str:
    """The fingerprint of a demo built earlier in this test process (deputyhome/conftest.py), loaded again."""
    with transaction.atomic():
        load_snapshot(built.snapshot)
        value = fingerprint()
        transaction.set_rollback(True)
    return value


def test_same_seed_same_city(db, shared_demo):
    # The city `manage.py demo` built for this test process, and one built now.
    assert _loaded_fingerprint(shared_demo) == _build_and_fingerprint()


def test_another_seed_another_city(db, demo_builds):
    assert _loaded_fingerprint(demo_builds.get(seed=1)) != _loaded_fingerprint(demo_builds.get(seed=2))


def test_refuses_when_a_demo_login_is_taken(db):
    User.objects.create(username="auditor")
    with pytest.raises(DemoExists, match="auditor"):
        build_demo()
    assert not Region.objects.exists()
