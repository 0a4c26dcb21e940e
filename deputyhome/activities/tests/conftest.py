"""Fixtures for the activities tests: uploads go to a temporary media folder."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# Every list page of the app (the tests of pages and of query counts go through them).
LIST_PAGES = [
    "activities:activity_list",
    "activities:problem_list",
    "activities:referral_list",
    "activities:campaign_list",
    "activities:assessment_list",
    "activities:assessment_overview",
    "activities:standard_list",
    "activities:rule_list",
    "activities:policy",
    "activities:stats",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png(name: str = "photo.png", size=(8, 8)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def fake_jpg(name: str = "evidence.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00 this is really a program, not a photo", content_type="image/jpeg")


def make_activity(actor, present, data: dict):
    """An activity through the service, with the deputies `present` attending."""
    from deputyhome.activities import services
    from deputyhome.activities.choices import Attendance

    return services.activity_create(data=data, participants=[(d, Attendance.PRESENT) for d in present], actor=actor)


def close_rated(suggestion, deputy, result) -> None:
    """The suggestion closed and rated by `deputy` (satisfied with the attitude, `result` with the result), as
    the funnel counts it; no audit row (a test that needs one writes it)."""
    from deputyhome.suggestions.choices import Satisfaction, State
    from deputyhome.suggestions.models import Evaluation

    type(suggestion).objects.filter(pk=suggestion.pk).update(state=State.CLOSED)
    Evaluation.objects.create(
        suggestion=suggestion,
        deputy=deputy,
        attitude=Satisfaction.SATISFIED,
        result=result,
        evaluated_on=datetime.date.today(),
    )


def _days_ago(days: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=days)


@pytest.fixture
def activity(city, personas):
    """Group A's visit three days ago, attended by its first three deputies."""
    from deputyhome.activities.choices import ActivityKind, OrganiserLevel

    data = {
        "kind": ActivityKind.VISIT,
        "level": OrganiserLevel.GROUP,
        "group": city.group_a,
        "date": _days_ago(3),
        "place": "西门社区",
        "topic": "老城文旅振兴走访",
    }
    return make_activity(personas["township"], city.deputies_a[:3], data)


@pytest.fixture
def activity_b(city, personas):
    """Township B's research five days ago, attended by two of its deputies."""
    from deputyhome.activities.choices import ActivityKind, OrganiserLevel

    data = {
        "kind": ActivityKind.RESEARCH,
        "level": OrganiserLevel.TOWNSHIP,
        "region": city.township_b,
        "date": _days_ago(5),
        "place": "洞下槽村",
        "topic": "茶旅融合调研",
    }
    return make_activity(personas["township_b"], city.deputies_b[:2], data)


@pytest.fixture
def problem(city, personas, activity):
    from deputyhome.activities import services
    from deputyhome.suggestions.models import Category

    return services.problem_create(
        data={
            "text": "西门社区老街路灯损坏，夜间出行不便。",
            "place": "西门社区老街",
            "category": Category.objects.first(),
            "deputy": city.deputies_a[1],
            "activity": activity,
        },
        actor=personas["township"],
    )


@pytest.fixture
def problem_b(city, personas, activity_b):
    from deputyhome.activities import services

    return services.problem_create(
        data={
            "text": "洞下槽村茶园便道损毁。",
            "place": "洞下槽村",
            "deputy": city.deputies_b[0],
            "activity": activity_b,
        },
        actor=personas["township_b"],
    )
