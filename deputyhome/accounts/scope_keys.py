"""A user's scope as a string, for figures computed ahead per scope (`figures.cache`), and back.

Every scope rule (`scopes`, `congress_scopes`) reads the user's role and anchors: the region, the group, the deputy
and the unit, and for the city's users (every row) none of them. Users with the same key therefore see the same
rows, and a figure computed for the key serves each of them. Part of `scopes`, which re-exports both functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from .choices import ScopeKind

if TYPE_CHECKING:
    from .models import User

ANCHORS = ("region_id", "group_id", "deputy_id", "unit_id")


def scope_key(user: User) -> str:
    """e.g. "city_officer" (the city's users are not anchored), "township_officer.17...", "deputy...42."."""
    if user.scope_kind == ScopeKind.CITY:
        return user.role
    return ".".join([user.role, *(str(getattr(user, anchor) or "") for anchor in ANCHORS)])


def scope_user(key: str) -> User:
    """An unsaved user with the role and anchors `key` names: the scope a figure is computed for, outside any
    request."""
    role, *anchors = key.split(".")
    values = {anchor: int(value) if value else None for anchor, value in zip(ANCHORS, anchors, strict=False)}
    return get_user_model()(role=role, **values)
