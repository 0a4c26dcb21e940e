"""The demo's training is the same on every run with the same seed (the sign-in code included)."""

from __future__ import annotations

import hashlib

from django.db import transaction

from deputyhome.demo.builder import build_demo
from deputyhome.testing import load_snapshot
from deputyhome.training.models import Attendance, MaterialDistribution, TrainingPlan, TrainingSession


def _fingerprint() -> str:
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


def _build(**kwargs) -> str:
    with transaction.atomic():
        build_demo(**kwargs)
        value = _fingerprint()
        transaction.set_rollback(True)
    return value


def _loaded(built) -> str:
    """The fingerprint of a demo built earlier in this test process (deputyhome/conftest.py), loaded again."""
    with transaction.atomic():
        load_snapshot(built.snapshot)
        value = _fingerprint()
        transaction.set_rollback(True)
    return value


def test_same_seed_same_training(db, shared_demo, demo_builds):
    # The city `manage.py demo` built for this test process, and one built now.
    assert _loaded(shared_demo) == _build()
    assert _loaded(demo_builds.get(seed=1)) != _loaded(demo_builds.get(seed=2))
