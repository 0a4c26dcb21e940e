"""The demo's training is the same on every run with the same seed (the sign-in code included)."""

from __future__ import annotations

import hashlib

from deputyhome.testing import demo_digest
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


def test_same_seed_same_training(db, shared_demo, demo_builds):
    # The city `manage.py demo` built for this test process, and one built now.
    assert demo_digest(_fingerprint, built=shared_demo) == demo_digest(_fingerprint)
    seed_1, seed_2 = demo_builds.get(seed=1), demo_builds.get(seed=2)
    assert demo_digest(_fingerprint, built=seed_1) != demo_digest(_fingerprint, built=seed_2)
