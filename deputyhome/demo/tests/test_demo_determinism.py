"""The demo is the same city on every run: same seed, same names, codes and ID numbers, same training (the sign-in
codes included), same suggestions on the same stages. A demo build takes a while (most on PostgreSQL): the module
builds one and fingerprints it whole, against the one this test process built first.

`make test` runs this module on SQLite only (marker `sqlite_only`, decision 158): what it checks, the draws the builder
makes from its seed, is decided in Python; on PostgreSQL the demo's figures are still checked on its own build
(test_annual_demo, test_demo_suggestions, test_demo_motions and the browser sweep)."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection, transaction

from deputyhome.accounts.models import User
from deputyhome.demo.builder import DemoExists, build_demo
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate
from deputyhome.deputies.roster_columns import PARTICULARS
from deputyhome.organisation.models import DeputyGroup, Region, Station
from deputyhome.suggestions.models import Suggestion
from deputyhome.training.models import Attendance, MaterialDistribution, TrainingPlan, TrainingSession

pytestmark = pytest.mark.sqlite_only


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
                *PARTICULARS,
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


def training_fingerprint() -> str:
    """A hash of the demo's training: plans, sessions (with their sign-in codes), attendance and materials."""
    parts = [
        sorted(TrainingPlan.objects.values_list("title", "level", "region__code", "budget", "status")),
        sorted(
            TrainingSession.objects.values_list(
                "title", "kind", "level", "region__code", "date", "hours", "place", "signin_code", "signin_open"
            )
        ),
        sorted(
            Attendance.objects.values_list(
                "session__title", "deputy__id_number", "status", "excuse_reason", "signin_way"
            )
        ),
        sorted(
            MaterialDistribution.objects.values_list(
                "material__title", "deputy__id_number", "session__title", "quantity"
            ),
            key=str,
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def suggestions_fingerprint() -> str:
    """A hash of the demo's suggestions, of every congress: what each is, who wrote it, where it stands."""
    rows = Suggestion.objects.values_list(
        "congress__name", "title", "state", "number", "author__id_number", "due_on", "round", "is_key"
    )
    return hashlib.sha256(repr(sorted(rows, key=str)).encode()).hexdigest()


def _fingerprints() -> tuple[str, str, str]:
    return fingerprint(), training_fingerprint(), suggestions_fingerprint()


@pytest.fixture(scope="module")
def built_now(django_db_setup, django_db_blocker, shared_demo) -> tuple[str, str, str]:
    """The fingerprints of a demo built now, with the default seed (in a transaction rolled back after), on the day
    the first was built (a run may pass midnight between the two)."""
    with shared_demo.clock(), django_db_blocker.unblock(), transaction.atomic():
        build_demo()
        if connection.vendor == "postgresql":
            # Fresh, uncommitted rows: without statistics the planner picks nested loops over thousands of rows.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        value = _fingerprints()
        transaction.set_rollback(True)
    return value


@pytest.fixture(scope="module")
def other_seeds(django_db_setup, django_db_blocker) -> list[tuple[str, str, str]]:
    """The fingerprints of the city and its training with seeds 1 and 2 (the other features are not built: each
    draws from a generator of its own, and the fingerprints do not look at them)."""
    prints = []
    for seed in (1, 2):
        with django_db_blocker.unblock(), transaction.atomic():
            build_demo(seed=seed, features=("training",))
            prints.append(_fingerprints())
            transaction.set_rollback(True)
    return prints


@pytest.fixture(scope="module")
def built_first(shared_demo, django_db_blocker) -> tuple[str, str, str]:
    """The fingerprints of the demo `manage.py demo` built earlier in this test process (deputyhome/conftest.py)."""
    with shared_demo.loaded(django_db_blocker):
        return _fingerprints()


def test_same_seed_same_city(built_first, built_now):
    assert built_first[0] == built_now[0]


def test_another_seed_another_city(other_seeds):
    assert other_seeds[0][0] != other_seeds[1][0]


def test_same_seed_same_training(built_first, built_now):
    assert built_first[1] == built_now[1]


def test_same_seed_same_suggestions(built_first, built_now):
    assert built_first[2] == built_now[2]


def test_another_seed_other_training(other_seeds):
    assert other_seeds[0][1] != other_seeds[1][1]


def test_refuses_when_a_demo_login_is_taken(db):
    User.objects.create(username="auditor")
    with pytest.raises(DemoExists, match="auditor"):
        build_demo()
    assert not Region.objects.exists()
