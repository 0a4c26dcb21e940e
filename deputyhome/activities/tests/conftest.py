"""Fixtures for the activities tests: uploads go to a temporary media folder."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


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


@pytest.fixture
def activity(city, personas):
    from deputyhome.activities import services
    from deputyhome.activities.choices import ActivityKind, Attendance, OrganiserLevel

    return services.activity_create(
        data={
            "kind": ActivityKind.VISIT,
            "level": OrganiserLevel.GROUP,
            "group": city.group_a,
            "date": datetime.date.today() - datetime.timedelta(days=3),
            "place": "西门社区",
            "topic": "老城文旅振兴走访",
        },
        participants=[(d, Attendance.PRESENT) for d in city.deputies_a[:3]],
        actor=personas["township"],
    )


@pytest.fixture
def activity_b(city, personas):
    from deputyhome.activities import services
    from deputyhome.activities.choices import ActivityKind, Attendance, OrganiserLevel

    return services.activity_create(
        data={
            "kind": ActivityKind.RESEARCH,
            "level": OrganiserLevel.TOWNSHIP,
            "region": city.township_b,
            "date": datetime.date.today() - datetime.timedelta(days=5),
            "place": "洞下槽村",
            "topic": "茶旅融合调研",
        },
        participants=[(d, Attendance.PRESENT) for d in city.deputies_b[:2]],
        actor=personas["township_b"],
    )


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
